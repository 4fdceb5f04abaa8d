import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { readInterpreterInfo } from '../../../src/runtime/interpreter';
import { RuntimeSession } from '../../../src/runtime/session';
import { loadConformance } from '../../fixtures/conformance';
import { newStores } from '../../fixtures/runtime-harness';

let py: PyodideAPI;
beforeAll(async () => {
  py = await bootPyodide();
}, 60_000);

test('the marker environment read from the running Pyodide is the one the conformance vectors were computed in', () => {
  const expected = loadConformance<{ env: Record<string, string> }>('pyodide-environment.json');
  const info = readInterpreterInfo(py);
  expect(info.markerEnvironment).toEqual(expected.env);
  expect(info.pythonVersion).toBe(expected.env['python_full_version']);
});

test("the lock-file info comes from the bundled Pyodide's own lock file", async () => {
  const { readFile } = await import('node:fs/promises');
  const lock = JSON.parse(await readFile('node_modules/pyodide/pyodide-lock.json', 'utf8')) as { info: Record<string, string> };
  const info = readInterpreterInfo(py);
  expect(info.lockInfo).toEqual({ abi_version: lock.info['abi_version'], platform: lock.info['platform'], python: lock.info['python'], arch: lock.info['arch'] });
  expect(info.pyodideVersion).toMatch(/^314\./);
});

test('a boot to the prompt imports neither platform nor importlib.metadata (about 45 and 35 ms of every boot)', async () => {
  // A Pyodide of its own: the tests above may import anything in theirs.
  const fresh = await bootPyodide();
  const stores = newStores();
  const info = readInterpreterInfo(fresh);
  const session = new RuntimeSession(fresh, info, { indexUrl: 'http://127.0.0.1:9/simple/', pyodidePackagesUrl: null }, stores.cache, globalThis.fetch, { workspace: stores.workspace, cacheLocation: 'memory (test)' });
  await session.restore();
  const imported = (name: string): boolean => fresh.runPython(`import sys; ${JSON.stringify(name)} in sys.modules`) as boolean;
  expect(imported('platform')).toBe(false);
  expect(imported('importlib.metadata')).toBe(false);
  // What was read without them is what platform says.
  const viaPlatform = JSON.parse(fresh.runPython('import json, platform; json.dumps([platform.system(), platform.release(), platform.version(), platform.machine(), platform.python_version(), platform.python_implementation()])') as string) as string[];
  const env = info.markerEnvironment;
  expect([env['platform_system'], env['platform_release'], env['platform_version'], env['platform_machine'], env['python_full_version'], env['platform_python_implementation']]).toEqual(viaPlatform);
  expect(session.bytecode.interpreter).toContain(`-${viaPlatform[4]}-pyodide-`);
}, 60_000);
