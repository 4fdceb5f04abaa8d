/**
 * The runtime's own Python runs in namespaces of its own (src/runtime/py-namespace.ts): nothing of
 * it reaches the person's `__main__`, a person's `dict = ...` there does not reach it, its frames
 * are `<pipette>`, and a source that does not end with its function's name is refused.
 */
import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { execPrivately, privateFunction } from '../../../src/runtime/py-namespace';
import { startTestPyodide } from '../../fixtures/test-pyodide';

let py: PyodideAPI;
beforeAll(async () => {
  py = await startTestPyodide();
}, 60_000);

const mainHas = (name: string): boolean => py.runPython(`${JSON.stringify(name)} in globals()`) as boolean;

test('a private function works and leaves nothing in __main__, even with a person\'s dict = 5 there', () => {
  py.runPython('dict = 5');
  try {
    const double = privateFunction(py, 'import json\n_scale = 2\ndef double(x):\n    return json.dumps(x * _scale)\n\ndouble\n');
    expect(double(21)).toBe('42');
    double.destroy();
    execPrivately(py, 'import base64\n_left = 1\n');
    for (const name of ['double', '_scale', '_left', 'base64', '__pipette_source__']) expect(mainHas(name), name).toBe(false);
  } finally {
    py.runPython('del dict');
  }
});

test("a helper's frames are <pipette>, and a source without its function's name last is refused", () => {
  const fail = privateFunction(py, 'def fail():\n    raise ValueError("x")\n\nfail\n');
  const where = privateFunction(py, 'import traceback\ndef where(f):\n    try:\n        f()\n    except ValueError as e:\n        return traceback.extract_tb(e.__traceback__)[-1].filename\n\nwhere\n');
  expect(where(fail)).toBe('<pipette>');
  fail.destroy();
  where.destroy();
  expect(() => privateFunction(py, 'def f():\n    pass\nf()\n')).toThrow(/must end with the name of its function/);
  expect(() => privateFunction(py, 'def f():\n    pass\n\ng\n')).toThrow(/defines no g/);
});
