/**
 * Hardening catalogue, part 2: wheels a stranger could publish or link to. Every one is served
 * by the fixture index (or by URL) and refused before anything is written, or rolled back:
 * pip freeze and the sha256 of every file under site-packages and bin/ are unchanged.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { sha256Hex, type BuiltDist } from '../../fixtures/wheel-builder';
import { expectClearAndUnchanged, pipSubject, outcome, type CatalogueItem } from './catalogue';
import { hostileWheel, rawZip, zipBombEntries } from './hostile-wheels';

const enc = new TextEncoder();
let server: IndexServer;
let h: PipHarness;

/** A zip with a payload and no .dist-info at all. */
function noDistInfo(): BuiltDist {
  const bytes = rawZip([{ path: 'nodist/__init__.py', data: enc.encode('x = 1\n') }]);
  const metadata = 'Metadata-Version: 2.1\nName: nodist\nVersion: 1.0\n';
  return { filename: 'nodist-1.0-py3-none-any.whl', bytes, sha256: sha256Hex(bytes), metadata, metadataSha256: sha256Hex(metadata), spec: { name: 'nodist', version: '1.0' }, kind: 'wheel' };
}

beforeAll(async () => {
  const indexSays = (name: string, extra = ''): string => `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n${extra}`;
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0' },
      { name: 'alpha', version: '2.0' },
      { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    pass\n' } },
      { name: 'tool', version: '2.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    return 2\n' } },
      { name: 'not-zip', version: '1.0', corrupt: 'not-zip' },
      { name: 'truncated', version: '1.0', corrupt: 'truncate' },
      { name: 'bad-record', version: '1.0', corrupt: 'bad-record' },
      { name: 'renamed-version', version: '1.0', corrupt: 'metadata-mismatch' },
      { name: 'dotdot', version: '1.0', corrupt: 'path-traversal' },
      { name: 'absolute', version: '1.0', corrupt: 'absolute-path' },
      { name: 'tampered', version: '1.0' },
      { name: 'elsewhere', version: '1.0', tags: 'cp314-cp314-win_amd64' },
    ],
    dists: [
      hostileWheel({ name: 'other-name', version: '1.0' }, { metadataName: 'someone-else', indexMetadata: indexSays('other-name') }),
      hostileWheel({ name: 'other-version', version: '1.0' }, { metadataVersion: '6.6.6', indexMetadata: indexSays('other-version') }),
      hostileWheel({ name: 'symlinked', version: '1.0' }, { extra: [{ path: 'symlinked/passwd', data: enc.encode('/etc/passwd'), mode: 0o120777 }] }),
      hostileWheel({ name: 'one-gigabyte', version: '1.0' }, { extra: [{ path: 'one_gigabyte/big.bin', data: enc.encode('x'), declaredSize: 0x7fff_ffff }] }),
      hostileWheel({ name: 'bomb', version: '1.0' }, { extra: zipBombEntries('bomb', 11, 100) }),
      hostileWheel({ name: 'future-wheel', version: '1.0' }, { wheelVersion: '2.0' }),
      hostileWheel({ name: 'odd-scheme', version: '1.0' }, { extra: [{ path: 'odd_scheme-1.0.data/evil/x.py', data: enc.encode('x') }] }),
      hostileWheel({ name: 'drive-letter', version: '1.0' }, { extra: [{ path: 'C:/evil.py', data: enc.encode('x') }] }),
      hostileWheel({ name: 'backslash', version: '1.0' }, { extra: [{ path: '..\\evil.py', data: enc.encode('x') }] }),
      hostileWheel({ name: 'data-escape', version: '1.0' }, { extra: [{ path: 'data_escape-1.0.data/scripts/../../../evil', data: enc.encode('x') }] }),
      hostileWheel({ name: 'hidden-deps', version: '1.0', requires: ['alpha>=2'] }, { indexMetadata: indexSays('hidden-deps') }),
      hostileWheel({ name: 'claims-python', version: '1.0' }, { indexMetadata: indexSays('claims-python', 'Requires-Python: >=3\n') }),
      hostileWheel({ name: 'index-lies', version: '1.0' }, { indexMetadata: indexSays('index-lies').replace('Version: 1.0', 'Version: 1.1') }),
      noDistInfo(),
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
  const r = await h.pip('install', 'alpha==1.0', 'tool==1.0');
  if (r.code !== 0) throw new Error(r.stderr);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const pip = (...argv: string[]) => async (s: PipHarness) => outcome(await s.pip(...argv));
const unchanged = 'Nothing was installed: the environment is as it was before this command.';
/** `pip install -U tool NAME`: an upgrade of tool is written first, so a refusal must undo it. */
const withUpgrade = (name: string) => pip('install', '--no-cache-dir', '-U', 'tool', name);

const catalogue: CatalogueItem<PipHarness>[] = [
  { input: 'a wheel that is not a zip archive', run: withUpgrade('not-zip'), expectedMessage: 'not_zip-1.0-py3-none-any.whl is not a valid wheel: it is not a readable zip archive' },
  { input: 'a truncated wheel (first half of the file)', run: withUpgrade('truncated'), expectedMessage: 'truncated-1.0-py3-none-any.whl is not a valid wheel: it is not a readable zip archive' },
  {
    input: 'a wheel whose sha256 is not the one the index lists',
    setup: (s) => s.server.setFaults({ wrongHash: /tampered-1\.0-py3-none-any\.whl$/ }),
    cleanup: (s) => s.server.setFaults({}),
    run: pip('install', '--no-cache-dir', 'tampered'),
    expectedMessage: 'ERROR: Hash mismatch for tampered-1.0-py3-none-any.whl',
  },
  { input: 'a wheel whose RECORD hash does not match a file', run: withUpgrade('bad-record'), expectedMessage: 'bad_record-1.0-py3-none-any.whl: bad_record/__init__.py does not match its RECORD entry' },
  { input: 'METADATA Name not matching the file name', run: withUpgrade('other-name'), expectedMessage: 'other_name-1.0-py3-none-any.whl is not what its name says: its METADATA is for someone-else 1.0' },
  { input: 'METADATA Version not matching the file name', run: withUpgrade('other-version'), expectedMessage: 'other_version-1.0-py3-none-any.whl is not what its name says: its METADATA is for other-version 6.6.6' },
  {
    input: 'METADATA Version not matching the file name, .metadata saying the same',
    run: pip('install', 'renamed-version'),
    expectedMessage: "has inconsistent version: expected '1.0', but metadata has '1.0.post999'",
  },
  { input: '.metadata (PEP 658) with another version than the file', run: pip('install', 'index-lies'), expectedMessage: "has inconsistent version: expected '1.0', but metadata has '1.1'" },
  {
    input: '.metadata listing fewer dependencies than the wheel',
    run: withUpgrade('hidden-deps'),
    expectedMessage: "hidden_deps-1.0-py3-none-any.whl has inconsistent Requires-Dist: the index's hidden_deps-1.0-py3-none-any.whl.metadata file says [], but the wheel's METADATA has [\"alpha>=2\"]",
  },
  { input: ".metadata with a Requires-Python the wheel lacks", run: withUpgrade('claims-python'), expectedMessage: 'has inconsistent Requires-Python' },
  { input: 'a path with .. in the wheel', run: withUpgrade('dotdot'), expectedMessage: 'dotdot-1.0-py3-none-any.whl contains the path "../pipette-evil.py", which would be written outside site-packages' },
  { input: 'an absolute path in the wheel', run: withUpgrade('absolute'), expectedMessage: 'contains the path "/tmp/pipette-evil.py", which would be written outside site-packages' },
  { input: 'a drive-letter path (C:/evil.py)', run: withUpgrade('drive-letter'), expectedMessage: 'contains the path "C:/evil.py"' },
  { input: 'a backslash path (..\\evil.py)', run: withUpgrade('backslash'), expectedMessage: 'contains the path "..\\\\evil.py"' },
  { input: 'a .data/scripts path that climbs out (../../../evil)', run: withUpgrade('data-escape'), expectedMessage: 'contains the path "data_escape-1.0.data/scripts/../../../evil"' },
  { input: 'a symbolic link in the wheel (-> /etc/passwd)', run: withUpgrade('symlinked'), expectedMessage: 'symlinked-1.0-py3-none-any.whl contains "symlinked/passwd" as a symbolic link' },
  { input: 'an entry declaring 2 GB uncompressed', run: withUpgrade('one-gigabyte'), expectedMessage: 'declares more than 1.1 GB of uncompressed content; refusing to unpack it' },
  { input: 'a zip bomb (11 x 100 MB of zeros in 1 MB)', run: withUpgrade('bomb'), expectedMessage: 'bomb-1.0-py3-none-any.whl declares more than 1.1 GB of uncompressed content' },
  { input: 'Wheel-Version 2.0', run: withUpgrade('future-wheel'), expectedMessage: 'future_wheel-1.0-py3-none-any.whl has Wheel-Version 2; only 1.x is supported.' },
  { input: 'a zip with no .dist-info', run: withUpgrade('nodist'), expectedMessage: 'nodist-1.0-py3-none-any.whl has no .dist-info directory for nodist' },
  { input: 'a .data directory with an unknown scheme', run: withUpgrade('odd-scheme'), expectedMessage: 'in an unknown .data scheme "evil"' },
  { input: 'a wheel only for another platform (win_amd64), from the index', run: pip('install', 'elsewhere'), expectedMessage: 'hint: elsewhere==1.0 has wheels only for other platforms (win_amd64).' },
  {
    input: 'a wheel for another platform given by URL',
    run: async (s) => outcome(await s.pip('install', s.server.fileUrl('elsewhere-1.0-cp314-cp314-win_amd64.whl'))),
    expectedMessage: 'elsewhere==1.0 has no wheels for Pyodide (only for win_amd64)',
  },
  { input: 'a wheel URL that is 404', run: async (s) => outcome(await s.pip('install', s.server.fileUrl('gone-1.0-py3-none-any.whl'))), expectedMessage: /ERROR: HTTP error 404 while getting http:\/\/127\.0\.0\.1:\d+\/files\/gone-1\.0-py3-none-any\.whl/ },
  { input: 'a URL whose file name is no wheel name (bad.whl)', run: async (s) => outcome(await s.pip('install', s.server.fileUrl('bad.whl'))), expectedMessage: "ERROR: bad.whl is not a valid wheel filename: Invalid wheel filename (wrong number of parts): 'bad.whl'." },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  const result = await expectClearAndUnchanged(pipSubject(h), item);
  // Whatever started writing was put back, and said so.
  if (result.output.includes('Installing collected packages')) expect(result.output).toContain(unchanged);
});

test('the zip bomb is refused from its directory, before anything is inflated', async () => {
  const started = performance.now();
  const r = await h.pip('install', 'bomb');
  expect(r.stderr).toContain('declares more than 1.1 GB');
  // Inflating the first 1 GB took about 3 s on this machine before the sizes were read first.
  expect(performance.now() - started).toBeLessThan(1500);
});

test('the refused upgrades left the old tool script and module in place', () => {
  expect(h.fs.exists(`${h.environment.scheme.scripts}/tool`)).toBe(true);
  expect(h.metadataVersion('tool')).toBe('1.0');
});
