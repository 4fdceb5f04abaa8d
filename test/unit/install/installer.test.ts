import { describe, expect, test } from 'vitest';
import { InstallError, MemoryFs, installWheel, listInstalled, parseRecord, schemeForPrefix, uninstallDistribution } from '../../../src/install';
import { buildWheel, type WheelCorruption } from '../../fixtures/wheel-builder';

const scheme = schemeForPrefix('/venv', '3.14.2');
const site = scheme.purelib;
const hello = {
  name: 'Hello.World',
  version: '1.2.0',
  files: { 'hello_world/__init__.py': 'def main():\n    print("hi")\n', 'hello_world/data/x.txt': 'x' },
  entryPoints: { console_scripts: { 'hello-world': 'hello_world:main' } },
  data: { scripts: { 'hello-raw': '#!python\nprint("raw")\n' }, data: { 'share/hello/readme.txt': 'readme' } },
};

function snapshot(fs: MemoryFs): string[] {
  return fs.listFiles().map((p) => `${p}:${fs.readFile(p)!.length}`);
}

describe('installWheel', () => {
  test('writes the payload, .data schemes, launchers, and a dist-info pip would write', async () => {
    const fs = new MemoryFs();
    const wheel = buildWheel(hello);
    const installed = await installWheel(fs, scheme, wheel.filename, wheel.bytes, { expectedSha256: wheel.sha256, requested: true });
    expect(installed.name).toBe('Hello.World');
    expect(installed.version).toBe('1.2.0');
    const files = fs.listFiles();
    expect(files).toContain(`${site}/hello_world/__init__.py`);
    expect(files).toContain(`${site}/hello_world-1.2.0.dist-info/METADATA`);
    expect(files).toContain(`${site}/hello_world-1.2.0.dist-info/INSTALLER`);
    expect(files).toContain(`${site}/hello_world-1.2.0.dist-info/REQUESTED`);
    expect(files).toContain('/venv/share/hello/readme.txt');
    // `#!python` in .data/scripts points at the environment's interpreter.
    expect(new TextDecoder().decode(fs.readFile('/venv/bin/hello-raw')!)).toBe('#!/venv/bin/python\nprint("raw")\n');
    expect(fs.isExecutable('/venv/bin/hello-raw')).toBe(true);
    const launcher = new TextDecoder().decode(fs.readFile('/venv/bin/hello-world')!);
    expect(launcher).toContain('from hello_world import main');
    expect(launcher.startsWith('#!/venv/bin/python\n')).toBe(true);

    // RECORD is rewritten for what was written: every file listed once, paths relative to
    // site-packages, scripts as ../../../bin/..., RECORD itself unhashed.
    const record = parseRecord(new TextDecoder().decode(fs.readFile(`${site}/hello_world-1.2.0.dist-info/RECORD`)!));
    const paths = record.map((r) => r.path).sort();
    expect(paths).toContain('../../../bin/hello-world');
    expect(paths).toContain('../../../share/hello/readme.txt');
    expect(record.find((r) => r.path.endsWith('RECORD'))).toEqual({ path: 'hello_world-1.2.0.dist-info/RECORD', hash: '', size: null });
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.length).toBe(installed.files.length);
    expect(installed.files.length).toBe(files.length);
    expect(new TextDecoder().decode(fs.readFile(`${site}/hello_world-1.2.0.dist-info/INSTALLER`)!)).toBe('pipette\n');

    const [dist] = listInstalled(fs, site);
    expect(dist?.name).toBe('hello-world');
    expect(dist?.requested).toBe(true);
  });

  test('a URL install records direct_url.json (PEP 610); a dependency gets no REQUESTED', async () => {
    const fs = new MemoryFs();
    const wheel = buildWheel({ name: 'dep', version: '0.1' });
    await installWheel(fs, scheme, wheel.filename, wheel.bytes, { requested: false, directUrl: { url: 'https://example.org/dep-0.1-py3-none-any.whl' } });
    const directUrl = JSON.parse(new TextDecoder().decode(fs.readFile(`${site}/dep-0.1.dist-info/direct_url.json`)!));
    expect(directUrl).toEqual({ url: 'https://example.org/dep-0.1-py3-none-any.whl', archive_info: { hashes: { sha256: wheel.sha256 }, hash: `sha256=${wheel.sha256}` } });
    expect(fs.exists(`${site}/dep-0.1.dist-info/REQUESTED`)).toBe(false);
  });

  const refusals: Array<[WheelCorruption | 'hash', string, RegExp]> = [
    ['hash', 'hash-mismatch', /DO NOT MATCH THE HASHES[\s\S]*Expected sha256 0{64}/],
    ['not-zip', 'not-a-zip', /not a readable zip archive/],
    ['truncate', 'not-a-zip', /not a readable zip archive/],
    ['bad-record', 'record-mismatch', /does not match its RECORD entry/],
    ['metadata-mismatch', 'metadata-mismatch', /its METADATA is for good 1\.0\.post999, the file name says good 1\.0/],
    ['path-traversal', 'unsafe-path', /"\.\.\/pipette-evil\.py", which would be written outside site-packages/],
    ['absolute-path', 'unsafe-path', /"\/tmp\/pipette-evil\.py", which would be written outside site-packages/],
  ];
  test.each(refusals)('refuses %s with code %s and leaves the environment as it was', async (fault, code, message) => {
    const fs = new MemoryFs();
    const existing = buildWheel({ name: 'existing', version: '1.0' });
    await installWheel(fs, scheme, existing.filename, existing.bytes, { requested: true });
    const before = snapshot(fs);
    const wheel = fault === 'hash' ? buildWheel({ name: 'good', version: '1.0' }) : buildWheel({ name: 'good', version: '1.0' }, { corrupt: fault });
    const error = await installWheel(fs, scheme, wheel.filename, wheel.bytes, { requested: true, expectedSha256: fault === 'hash' ? '0'.repeat(64) : null }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).code).toBe(code);
    expect((error as InstallError).message).toMatch(message);
    expect(snapshot(fs)).toEqual(before);
  });

  test('a write failing midway rolls back every file written and restores overwritten ones', async () => {
    const fs = new MemoryFs();
    fs.writeFile(`${site}/shared/__init__.py`, new TextEncoder().encode('old'));
    const before = snapshot(fs);
    let writes = 0;
    const failing = Object.assign(Object.create(fs) as MemoryFs, {
      writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }) {
        if (++writes === 4) throw new Error('ENOSPC: no space left on device');
        fs.writeFile(path, data, options);
      },
    });
    const wheel = buildWheel({ name: 'big', version: '1.0', files: { 'shared/__init__.py': 'new', 'big/a.py': 'a', 'big/b.py': 'b', 'big/c.py': 'c' } });
    await expect(installWheel(failing, scheme, wheel.filename, wheel.bytes, { requested: true })).rejects.toThrow(/ENOSPC: no space left on device\. Nothing was changed\./);
    expect(snapshot(fs)).toEqual(before);
    expect(new TextDecoder().decode(fs.readFile(`${site}/shared/__init__.py`)!)).toBe('old');
  });
});

describe('uninstallDistribution', () => {
  test('removes every file RECORD lists, compiled caches, and directories left empty', async () => {
    const fs = new MemoryFs();
    const keep = buildWheel({ name: 'keep', version: '1.0' });
    await installWheel(fs, scheme, keep.filename, keep.bytes, { requested: true });
    const before = snapshot(fs);
    const wheel = buildWheel(hello);
    await installWheel(fs, scheme, wheel.filename, wheel.bytes, { requested: true });
    fs.writeFile(`${site}/hello_world/__pycache__/__init__.cpython-314.pyc`, new Uint8Array([1, 2]));
    const result = uninstallDistribution(fs, scheme, 'hello_world');
    expect(result).toMatchObject({ name: 'Hello.World', version: '1.2.0' });
    expect(snapshot(fs)).toEqual(before);
    expect(fs.exists(`${site}/hello_world`)).toBe(false);
    expect(fs.exists('/venv/share/hello')).toBe(false);
  });

  test("says so when the distribution isn't installed", () => {
    expect(() => uninstallDistribution(new MemoryFs(), scheme, 'nope')).toThrow('Skipping nope as it is not installed.');
  });
});

test("the root prefix (Pyodide's own sys.prefix '/') gives the interpreter's real paths", () => {
  expect(schemeForPrefix('/', '3.14.2')).toEqual({
    purelib: '/lib/python3.14/site-packages',
    platlib: '/lib/python3.14/site-packages',
    scripts: '/bin',
    data: '/',
    headers: '/include/python3.14',
    pythonExecutable: '/bin/python',
  });
});

test('RECORD rows read the same with and without quoted fields (the quote-free fast path)', () => {
  const plain = 'a/b.py,sha256=x,12\r\nc.dist-info/RECORD,,\n\nd,e\n';
  expect(parseRecord(plain)).toEqual([
    { path: 'a/b.py', hash: 'sha256=x', size: 12 },
    { path: 'c.dist-info/RECORD', hash: '', size: null },
    { path: 'd', hash: 'e', size: null },
  ]);
  expect(parseRecord('"a,b.py",sha256=x,12\n"q""uote",,\n')).toEqual([
    { path: 'a,b.py', hash: 'sha256=x', size: 12 },
    { path: 'q"uote', hash: '', size: null },
  ]);
  expect(parseRecord('')).toEqual([]);
});
