import { afterAll, beforeAll, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../../fixtures/machine-wheels';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;
beforeAll(async () => {
  server = await startIndexServer({ projects: [{ name: 'six', version: '1.17.0' }], dists: machineDists(BUILD_TOOLS) });
  h = await PipHarness.create(server, { python: true });
}, 120_000);
afterAll(async () => { await server?.close(); });

test('smoke', async () => {
  h.writeFile('/home/pyodide/proj/pyproject.toml', '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[project]\nname = "hello"\nversion = "0.1"\ndependencies = ["six"]\n');
  h.writeFile('/home/pyodide/proj/src/hello/__init__.py', 'def greet():\n    return "hi"\n');
  const r = await h.pip('install', './proj');
  console.log(r.stdout, r.stderr);
  expect(r.code).toBe(0);
}, 300_000);
