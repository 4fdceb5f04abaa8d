/**
 * Hardening catalogue, zip structure: wheels whose zip a reader of local headers, a reader of
 * the central directory and Python's zipfile would each read differently
 * (hostile-zips.ts; test/integration/install/zip-differential.test.ts holds them against pip
 * 24.2 itself). Those pip refuses, and those Pipette refuses on purpose, are refused before
 * anything is written, with the upgrade of `tool` that came first undone. Those pip installs,
 * Pipette installs with pip's file names.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { expectClearAndUnchanged, outcome, pipSubject, type CatalogueItem } from './catalogue';
import { hostileZips } from './hostile-zips';

const cases = hostileZips();
let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    pass\n' } },
      { name: 'tool', version: '2.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    return 2\n' } },
    ],
    dists: cases.map((c) => c.dist),
  });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
  const r = await h.pip('install', 'tool==1.0');
  if (r.code !== 0) throw new Error(r.stderr);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const unchanged = 'Nothing was installed: the environment is as it was before this command.';

/** `pip install -U tool NAME`: an upgrade of tool is written first, so a refusal must undo it. */
const catalogue: CatalogueItem<PipHarness>[] = cases
  .filter((c) => c.pipette !== undefined)
  .map((c) => ({ input: c.input, run: async (s) => outcome(await s.pip('install', '--no-cache-dir', '-U', 'tool', c.project)), expectedMessage: c.pipette! }));

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  const result = await expectClearAndUnchanged(pipSubject(h), item);
  if (result.output.includes('Installing collected packages')) expect(result.output).toContain(unchanged);
});

test.each(cases.filter((c) => c.pipette === undefined).map((c) => [c.input, c] as const))('installed as pip installs it: %s', async (_input, c) => {
  const r = await h.pip('install', '--no-cache-dir', c.project);
  expect(r.code, r.stderr).toBe(0);
  const files = h.tree([h.sitePackages]).filter((line) => line.includes(`/${c.project.replace(/-/g, '_')}/`) && !line.includes('__pycache__'));
  // The payload under the names zipfile gives: café.py from cp437, evil.py from the 0x7075 field.
  const expected = { cp437: ['café.py'], 'unicode-path': ['evil.py'], zip64: ['big.py'] }[c.project as string] ?? [];
  expect(files.map((l) => l.split(' ')[0]!.split('/').pop())).toEqual(expect.arrayContaining(['__init__.py', ...expected]));
  expect((await h.pip('uninstall', '-y', c.project)).code).toBe(0);
});

test('the refused upgrades left the old tool in place', () => {
  expect(h.fs.exists(`${h.environment.scheme.scripts}/tool`)).toBe(true);
  expect(h.metadataVersion('tool')).toBe('1.0');
});
