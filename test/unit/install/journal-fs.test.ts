import { expect, test } from 'vitest';
import { MemoryFs } from '../../../src/install';
import { JournalFs } from '../../../src/install';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

function state(fs: MemoryFs): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdir(dir)) {
      const p = dir === '/' ? `/${name}` : `${dir}/${name}`;
      if (fs.isDirectory(p)) {
        out.push(`${p}/`);
        walk(p);
      } else out.push(`${p}=${new TextDecoder().decode(fs.readFile(p)!)}`);
    }
  };
  walk('/');
  return out;
}

test('rollback restores overwritten and removed files, removes created files and directories', () => {
  const fs = new MemoryFs();
  fs.writeFile('/site/a/__init__.py', bytes('old a'));
  fs.writeFile('/site/a/util.py', bytes('util'));
  fs.writeFile('/site/keep.txt', bytes('keep'));
  fs.mkdirp('/site/empty');
  const before = state(fs);

  const j = new JournalFs(fs);
  j.remove('/site/a/util.py');
  j.remove('/site/a/__init__.py');
  j.remove('/site/a');
  j.remove('/site/empty');
  j.mkdirp('/site/b/sub');
  j.writeFile('/site/b/sub/x.py', bytes('new'));
  j.writeFile('/site/keep.txt', bytes('changed'));
  j.mkdirp('/site/a');
  j.writeFile('/site/a/__init__.py', bytes('new a'));
  expect(state(fs)).not.toEqual(before);

  j.rollback();
  expect(state(fs)).toEqual(before);
});

test('commit keeps the changes and forgets the journal', () => {
  const fs = new MemoryFs();
  const j = new JournalFs(fs);
  j.mkdirp('/x');
  j.writeFile('/x/y', bytes('1'));
  expect(j.touched().sort()).toEqual(['/x', '/x/y']);
  j.commit();
  j.rollback();
  expect(fs.readFile('/x/y')).toEqual(bytes('1'));
});
