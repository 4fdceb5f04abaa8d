import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { readInterpreterInfo } from '../../../src/runtime/interpreter';
import { loadConformance } from '../../fixtures/conformance';

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
