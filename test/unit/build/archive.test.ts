/**
 * Source archives are hostile input: unpacked to plain files only when every entry stays inside,
 * links point inside, nothing is a device, and the sizes are bounded (gzip bombs stopped while
 * inflating). The archives here are made byte by byte (test/fixtures/zip.ts), including ones
 * no tool would write.
 */
import { describe, expect, test } from 'vitest';
import { gzipSync } from 'fflate';
import { readTar, unpackSourceArchive } from '../../../src/build';
import { gzip, makeRawTar, makeTar, makeZip } from '../../fixtures/zip';
import { refusal } from './refusal';
import { hostileZips } from '../../integration/hardening/hostile-zips';

const files = (entries: ReturnType<typeof unpackSourceArchive>): Record<string, string> =>
  Object.fromEntries(entries.map((f) => [f.path, new TextDecoder().decode(f.data)]));

describe('unpackSourceArchive', () => {
  test('a .tar.gz sdist: files under the leading folder, which is stripped (pip unpack_file)', () => {
    const tar = gzip(makeTar([['demo-1.0/PKG-INFO', 'Metadata-Version: 2.1\n'], ['demo-1.0/pyproject.toml', '[project]\n'], ['demo-1.0/src/demo/__init__.py', 'x = 1\n']]));
    expect(files(unpackSourceArchive('demo-1.0.tar.gz', tar))).toEqual({ 'PKG-INFO': 'Metadata-Version: 2.1\n', 'pyproject.toml': '[project]\n', 'src/demo/__init__.py': 'x = 1\n' });
  });

  test('a .zip sdist, and a tar whose entries do not share one folder (kept as they are)', () => {
    expect(files(unpackSourceArchive('demo-1.0.zip', makeZip([['demo-1.0/setup.py', 'setup()\n'], ['demo-1.0/demo.py', '']])))).toEqual({ 'setup.py': 'setup()\n', 'demo.py': '' });
    expect(files(unpackSourceArchive('flat.tar', makeTar([['setup.py', 'a'], ['lib/x.py', 'b']])))).toEqual({ 'setup.py': 'a', 'lib/x.py': 'b' });
  });

  test('the executable bit survives; a symbolic or hard link to a file inside becomes a copy', () => {
    const tar = makeRawTar([
      { path: 'p-1/run.sh', type: '0', content: '#!/bin/sh\n', mode: 0o755 },
      { path: 'p-1/docs/README.md', type: '0', content: 'readme' },
      { path: 'p-1/README.md', type: '2', linkTarget: 'docs/README.md' },
      { path: 'p-1/copy.sh', type: '1', linkTarget: 'p-1/run.sh' },
    ]);
    const out = unpackSourceArchive('p-1.tar', tar);
    expect(files(out)).toEqual({ 'run.sh': '#!/bin/sh\n', 'docs/README.md': 'readme', 'README.md': 'readme', 'copy.sh': '#!/bin/sh\n' });
    expect(out.find((f) => f.path === 'run.sh')!.executable).toBe(true);
    expect(out.find((f) => f.path === 'README.md')!.executable).toBe(false);
  });

  test.each([
    ['an absolute path', [{ path: '/etc/cron.d/x', type: '0', content: 'x' }], 'it contains the path "/etc/cron.d/x", which is absolute or holds characters a path may not'],
    ['a .. path', [{ path: 'p-1/../../home/pyodide/.bashrc', type: '0', content: 'x' }], 'it contains the path "p-1/../../home/pyodide/.bashrc", which would be written outside the folder it is unpacked into'],
    ['a backslash path', [{ path: 'p-1\\..\\evil.py', type: '0', content: 'x' }], 'which is absolute or holds characters a path may not (backslash, control characters)'],
    ['a control character in a name', [{ path: 'p-1/a\u001b[2Jb.py', type: '0', content: 'x' }], 'which is absolute or holds characters a path may not'],
    ['a symbolic link out of the tree', [{ path: 'p-1/home', type: '2', linkTarget: '../../home/pyodide' }], 'it contains the link "p-1/home" -> "../../home/pyodide", which points outside the archive'],
    ['an absolute symbolic link', [{ path: 'p-1/passwd', type: '2', linkTarget: '/etc/passwd' }], 'which points outside the archive'],
    ['a hard link out of the tree', [{ path: 'p-1/x', type: '1', linkTarget: '../outside' }], 'which points outside the archive'],
    ['a link to a folder (or nothing)', [{ path: 'p-1/d/f', type: '0', content: 'x' }, { path: 'p-1/l', type: '2', linkTarget: 'd' }], 'whose target is not a file in the archive'],
    ['a character device', [{ path: 'p-1/tty', type: '3' }], 'a special file (tar type "3")'],
    ['a FIFO', [{ path: 'p-1/fifo', type: '6' }], 'a special file (tar type "6")'],
  ])('refuses %s', (_what, entries, message) => {
    expect(refusal(() => unpackSourceArchive('p-1.tar', makeRawTar(entries)))).toContain(message);
  });

  test('a zip entry with .. is refused too', () => {
    expect(refusal(() => unpackSourceArchive('p-1.zip', makeZip([['p-1/../../x.py', 'x']])))).toContain('which would be written outside the folder');
  });

  test('a gzip bomb is stopped at the cap, without inflating it whole', () => {
    const bomb = gzipSync(new Uint8Array(32 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    const started = performance.now();
    expect(refusal(() => unpackSourceArchive('bomb-1.0.tar.gz', bomb, { maxBytes: 1024 * 1024 }))).toBe(
      'Cannot unpack bomb-1.0.tar.gz: it holds more than 1 MB once uncompressed (a damaged or hostile archive). Refusing to unpack it.',
    );
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test('too many entries, damaged and truncated archives, unknown formats: refused with the reason', () => {
    const many = makeRawTar(Array.from({ length: 30 }, (_, i) => ({ path: `p/f${i}`, type: '0', content: '' })));
    expect(refusal(() => unpackSourceArchive('p.tar', many, { maxEntries: 20 }))).toContain('it holds more than 20 entries');
    const tar = makeTar([['p-1/a.py', 'x'.repeat(2000)]]);
    const damaged = tar.slice();
    damaged[0] = 0x41; // the name changes, the checksum does not
    expect(refusal(() => unpackSourceArchive('p-1.tar', damaged))).toContain('has a bad checksum');
    expect(refusal(() => unpackSourceArchive('p-1.tar.gz', gzip(tar).slice(0, 100)))).toContain('Cannot unpack p-1.tar.gz:');
    expect(refusal(() => unpackSourceArchive('p-1.tar.bz2', new Uint8Array(10)))).toBe('Cannot unpack p-1.tar.bz2: Pipette reads source distributions as .tar.gz (PEP 625) or .zip archives only. Use the project\'s .tar.gz sdist or a wheel.');
  });
});

describe('readTar', () => {
  test('pax path records and GNU long names give the full path', () => {
    const long = `p-1/${'d'.repeat(120)}/f.py`;
    // `NNN path=...\n`: the length counts the whole record, its own digits included.
    const body = ` path=${long}\n`;
    let length = body.length;
    while (String(length).length + body.length !== length) length = String(length).length + body.length;
    const record = `${length}${body}`;
    const tar = makeRawTar([
      { path: 'p-1/PaxHeader', type: 'x', content: record },
      { path: 'p-1/short.py', type: '0', content: 'pax' },
      { path: '././@LongLink', type: 'L', content: `${long.replace('f.py', 'g.py')}\0` },
      { path: 'p-1/cut.py', type: '0', content: 'gnu' },
    ]);
    expect(readTar(tar).map((e) => [e.path, new TextDecoder().decode(e.data)])).toEqual([
      [long, 'pax'],
      [long.replace('f.py', 'g.py'), 'gnu'],
    ]);
  });
});

describe('a source zip is read by the one zip reader, as zipfile reads it (the hostile wheels of the catalogue, given as p-1.zip)', () => {
  // Where pip's zipfile refuses the archive, so does the source unpacker; where it reads it (a
  // wrong entry count, a stub before the archive, cp437 names), the unpacker gives zipfile's
  // names. Cases Pipette refuses on purpose (`differs`: a name twice) are refused here too.
  for (const zip of hostileZips()) {
    test(zip.input, () => {
      const unpack = (): ReturnType<typeof unpackSourceArchive> => unpackSourceArchive('p-1.zip', zip.dist.bytes);
      if ('refuses' in zip.pip || zip.differs) expect(refusal(unpack)).toMatch(/^Cannot unpack p-1\.zip: /);
      else expect(unpack().map((f) => f.path)).toEqual(expect.arrayContaining([`${zip.project.replace(/-/g, '_')}-1.0.dist-info/METADATA`]));
    });
  }
});
