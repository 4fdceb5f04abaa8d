import { expect, test } from 'vitest';
import { MemoryShellFs } from '../../../src/shell';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('files and directories, listed by name, with stat', () => {
  let now = 1000;
  const fs = new MemoryShellFs(() => now);
  fs.mkdirp('/a/b');
  now = 2000;
  fs.writeFile('/a/x.txt', bytes('hello'), { executable: true });
  expect(fs.readdir('/a')).toEqual(['b', 'x.txt']);
  expect(fs.readdir('/')).toEqual(['a']);
  expect(fs.readdir('/a/x.txt')).toEqual([]);
  expect(fs.stat('/a/x.txt')).toEqual({ kind: 'file', size: 5, mtimeMs: 2000, executable: true });
  expect(fs.stat('/a/b')).toEqual({ kind: 'directory', size: 4096, mtimeMs: 1000, executable: true });
  expect(fs.stat('/nope')).toBeNull();
  expect(fs.isDirectory('/a') && fs.exists('/a/x.txt') && !fs.isDirectory('/a/x.txt')).toBe(true);
  expect(new TextDecoder().decode(fs.readFile('/a/x.txt')!)).toBe('hello');
  expect(fs.readFile('/a')).toBeNull();
});

test('strict like a disk: no parent, non-empty directory, file in the way', () => {
  const fs = new MemoryShellFs(() => 0);
  expect(() => fs.writeFile('/missing/x', bytes(''))).toThrow('ENOENT');
  fs.writeFile('/f', bytes(''));
  expect(() => fs.mkdirp('/f/g')).toThrow('ENOTDIR');
  fs.mkdirp('/d/e');
  expect(() => fs.remove('/d')).toThrow('ENOTEMPTY');
  expect(() => fs.writeFile('/d', bytes(''))).toThrow('EISDIR');
  fs.remove('/d/e');
  fs.remove('/d');
  expect(fs.exists('/d')).toBe(false);
  expect(() => fs.remove('/d')).toThrow('ENOENT');
});
