/**
 * All or nothing: whatever fails (a hash the index got wrong, a server error on the third
 * download, a conflict, a broken wheel after two upgrades were already written, hash-checking
 * mode), `pip freeze` and every file under site-packages, bin/ and the shared library folder
 * are byte for byte what they were before.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'atom-a', version: '1.0' },
      { name: 'atom-a', version: '2.0' },
      {
        name: 'atom-b',
        version: '1.0',
        entryPoints: { console_scripts: { 'atom-b': 'atom_b:main' } },
        files: { 'atom_b/__init__.py': '__version__ = "1.0"\ndef main():\n    pass\n', 'atom_b/util.py': 'X = 1\n' },
      },
      { name: 'atom-b', version: '2.0', files: { 'atom_b/__init__.py': '__version__ = "2.0"\n' } },
      { name: 'atom-c', version: '1.0', requires: ['atom-a>=1'] },
      { name: 'aaa-broken', version: '1.0', corrupt: 'bad-record' },
      { name: 'needs-old', version: '1.0', requires: ['atom-a<2'] },
      { name: 'needs-new', version: '1.0', requires: ['atom-a>=2'] },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  h.signal = null;
  h.onProgress = null;
  server.setFaults({});
  await h.reset();
  expect((await h.pip('install', 'atom-a==1.0', 'atom-b==1.0')).code).toBe(0);
  // Python has imported the old versions (their __pycache__ must come back too).
  expect(h.importVersion('atom_b')).toBe('1.0');
});

afterAll(() => {
  server.setFaults({});
});

const sha = (file: string): string => server.dists.find((d) => d.filename === file)!.sha256;

test('a wrong hash on the index: nothing changes', async () => {
  const before = await h.snapshot();
  server.setFaults({ wrongHash: /atom_b-2\.0-py3-none-any\.whl$/ });
  // --no-cache-dir: the index page cached a moment ago (with the right hash) is not used.
  const r = await h.pip('install', '--no-cache-dir', '-U', 'atom-a', 'atom-b');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('ERROR: Hash mismatch for atom_b-2.0-py3-none-any.whl');
  expect(r.stdout).not.toContain('Installing collected packages');
  expect(await h.snapshot()).toEqual(before);
  expect(h.importVersion('atom_b')).toBe('1.0');
});

test('a server error on the third download: nothing changes', async () => {
  const before = await h.snapshot();
  server.setFaults({ status: { match: /atom_c-1\.0-py3-none-any\.whl$/, code: 500 } });
  const r = await h.pip('install', '-U', 'atom-a', 'atom-b', 'atom-c');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('HTTP error 500');
  expect(await h.snapshot()).toEqual(before);
});

test('a broken wheel after two upgrades were written: both are rolled back', async () => {
  const before = await h.snapshot();
  const r = await h.pip('install', '-U', 'atom-a', 'atom-b', 'aaa-broken');
  expect(r.code).toBe(1);
  // The upgrades really started (pip's order: atom-b, atom-a, then aaa-broken) ...
  expect(r.stdout).toContain('Installing collected packages: atom-b, atom-a, aaa-broken');
  expect(r.stdout).toContain('Successfully uninstalled atom-a-1.0');
  // ... and the failure undid them.
  expect(r.stderr).toContain('aaa_broken-1.0-py3-none-any.whl');
  expect(r.stderr).toContain('Nothing was installed: the environment is as it was before this command.');
  expect(await h.snapshot()).toEqual(before);
  expect(h.importVersion('atom_b')).toBe('1.0');
  expect(h.metadataVersion('atom-a')).toBe('1.0');
  expect(h.fs.exists(`${h.environment.scheme.scripts}/atom-b`)).toBe(true);
});

test('a conflict: pip\'s explanation, nothing changes', async () => {
  const before = await h.snapshot();
  const r = await h.pip('install', 'needs-old', 'needs-new');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('ERROR: Cannot install needs-new and needs-old because these package versions have conflicting dependencies.');
  expect(await h.snapshot()).toEqual(before);
});

test('--hash that does not match: pip\'s HashMismatch text, nothing changes', async () => {
  const before = await h.snapshot();
  const wrong = '0'.repeat(64);
  h.writeFile(`${h.cwd}/hashes.txt`, `atom-a==2.0 --hash=sha256:${wrong}\n`);
  const r = await h.pip('install', '-r', 'hashes.txt');
  expect(r.code).toBe(1);
  const file = 'atom_a-2.0-py3-none-any.whl';
  expect(r.stderr).toBe(
    [
      'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.',
      `    atom-a==2.0 from ${server.url}/files/${file} (from -r hashes.txt (line 1)):`,
      `        Expected sha256 ${wrong}`,
      `             Got        ${sha(file)}`,
      '',
      '',
    ].join('\n'),
  );
  expect(await h.snapshot()).toEqual(before);
});

test('--require-hashes: missing hashes are listed with the hash to add, unpinned ones refused', async () => {
  const before = await h.snapshot();
  const missing = await h.pip('install', '--require-hashes', 'atom-c==1.0', 'atom-a==1.0');
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(
    [
      'ERROR: Hashes are required in --require-hashes mode, but they are missing from some requirements. Here is a list of those requirements along with the hashes their downloaded archives actually had. Add lines like these to your requirements files to prevent tampering. (If you did not enable --require-hashes manually, note that it turns on automatically when any package has a hash.)',
      `    atom-c==1.0 --hash=sha256:${sha('atom_c-1.0-py3-none-any.whl')}`,
      '',
    ].join('\n'),
  );
  h.writeFile(`${h.cwd}/unpinned.txt`, `atom-c --hash=sha256:${sha('atom_c-1.0-py3-none-any.whl')}\n`);
  const unpinned = await h.pip('install', '-r', 'unpinned.txt');
  expect(unpinned.code).toBe(1);
  expect(unpinned.stderr).toContain('In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:\n    atom-c from ');
  expect(await h.snapshot()).toEqual(before);
});

test('--hash that matches installs (and the hash of every dependency is required too)', async () => {
  h.writeFile(`${h.cwd}/good.txt`, `atom-c==1.0 --hash=sha256:${sha('atom_c-1.0-py3-none-any.whl')}\natom-a==1.0 --hash=sha256:${sha('atom_a-1.0-py3-none-any.whl')}\n`);
  const r = await h.pip('install', '-r', 'good.txt');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(h.metadataVersion('atom-c')).toBe('1.0');
});

test('cancelled in the middle of the downloads: "Operation cancelled by user", nothing changes', async () => {
  const before = await h.snapshot();
  const controller = new AbortController();
  h.signal = controller.signal;
  h.onProgress = (filename) => {
    if (filename.endsWith('.whl')) controller.abort();
  };
  const r = await h.pip('install', '--no-cache-dir', '-U', 'atom-a', 'atom-b', 'atom-c');
  h.signal = null;
  h.onProgress = null;
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('ERROR: Operation cancelled by user\n');
  expect(await h.snapshot()).toEqual(before);
});
