import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { PyodideFs } from '../../../src/runtime/pyodide-fs';
import { installWheel, schemeForPrefix, uninstallDistribution, type InstallScheme } from '../../../src/install';
import { buildWheel } from '../../fixtures/wheel-builder';

let py: PyodideAPI;
let scheme: InstallScheme;
let fs: PyodideFs;

beforeAll(async () => {
  py = await bootPyodide();
  fs = new PyodideFs(py);
  // The interpreter's own site-packages: install where `import` looks.
  const sitePackages = py.runPython('import site; site.getsitepackages()[0]') as string;
  const base = schemeForPrefix('/home/pyodide/.pipette-prefix', '3.14');
  scheme = { ...base, purelib: sitePackages, platlib: sitePackages };
}, 60_000);

function filesUnder(path: string): string[] {
  const code = `import os, json; json.dumps(sorted(os.path.join(d, f) for d, _, fs in os.walk(${JSON.stringify(path)}) for f in fs))`;
  return JSON.parse(py.runPython(code) as string) as string[];
}

test('an installed wheel imports at once, and importlib.metadata agrees', async () => {
  const before = filesUnder(scheme.purelib);
  const wheel = buildWheel({
    name: 'pipette-demo',
    version: '2.5.1',
    requires: ['idna>=2.5'],
    files: { 'pipette_demo/__init__.py': 'ANSWER = 42\ndef main():\n    print("demo", ANSWER)\n' },
    entryPoints: { console_scripts: { 'pipette-demo': 'pipette_demo:main' } },
  });
  await installWheel(fs, scheme, wheel.filename, wheel.bytes, { expectedSha256: wheel.sha256, requested: true });
  py.runPython('import importlib; importlib.invalidate_caches()');
  expect(py.runPython('import pipette_demo; pipette_demo.ANSWER')).toBe(42);
  expect(py.runPython('import importlib.metadata as m; m.version("pipette-demo")')).toBe('2.5.1');
  expect(py.runPython('import importlib.metadata as m; str(m.requires("pipette-demo"))')).toBe("['idna>=2.5']");
  expect(py.runPython('import importlib.metadata as m; m.distribution("pipette-demo").read_text("INSTALLER").strip()')).toBe('pipette');
  expect(py.runPython('import importlib.metadata as m; [e.name for e in m.entry_points(group="console_scripts") if e.value == "pipette_demo:main"][0]')).toBe('pipette-demo');
  // Python's own view of RECORD lists every file and each exists.
  expect(py.runPython('import importlib.metadata as m; all(f.locate().exists() for f in m.files("pipette-demo") if not str(f).startswith(".."))')).toBe(true);

  const result = uninstallDistribution(fs, scheme, 'pipette-demo');
  expect(result.removed.length).toBeGreaterThan(4);
  py.runPython('import importlib, sys; importlib.invalidate_caches(); sys.modules.pop("pipette_demo", None)');
  expect(py.runPython('import importlib.util; importlib.util.find_spec("pipette_demo") is None')).toBe(true);
  expect(filesUnder(scheme.purelib)).toEqual(before);
});

test('a file written over another takes the new bytes and the new mode, as Python sees them', () => {
  const path = '/tmp/pipette-mode-check/tool';
  fs.mkdirp('/tmp/pipette-mode-check');
  fs.writeFile(path, new TextEncoder().encode('#!/bin/sh\necho a long first version\n'), { executable: true });
  const first = py.runPython(`import os, stat; s = os.stat(${JSON.stringify(path)}); (stat.S_IMODE(s.st_mode), s.st_size)`) as { toJs(): [number, number]; destroy(): void };
  expect(first.toJs()).toEqual([0o755, 36]);
  first.destroy();
  // Shorter, and no longer executable: truncated, and the mode of the file that was there changes.
  fs.writeFile(path, new TextEncoder().encode('data\n'), { executable: false });
  const second = py.runPython(`import os, stat; s = os.stat(${JSON.stringify(path)}); (stat.S_IMODE(s.st_mode), open(${JSON.stringify(path)}).read())`) as { toJs(): [number, string]; destroy(): void };
  expect(second.toJs()).toEqual([0o644, 'data\n']);
  second.destroy();
  expect(fs.stat(path)).toMatchObject({ kind: 'file', size: 5, executable: false });
});
