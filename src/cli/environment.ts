/**
 * The target of a CLI resolution: the bundled Pyodide's lock `info` and the PEP 508 marker
 * environment Pyodide reports (see ../shared/conformance/pyodide-environment.json:
 * `sys_platform` emscripten, `platform_machine` wasm32, `platform_release` the Emscripten
 * version, ...), with the Python version replaced when `--python-version` is given.
 */
import type { MarkerEnvironment, PyodideLockInfo } from '../pep';
import { UsageError } from './args';

export interface Target {
  readonly info: PyodideLockInfo;
  readonly environment: MarkerEnvironment;
}

/** `3.12` -> `3.12.0`; `3.12.1` stays; anything else is a usage error. */
export function fullPythonVersion(version: string): string {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?$/.exec(version.trim());
  if (!m) throw new UsageError(`invalid --python-version '${version}': give X.Y or X.Y.Z, e.g. 3.12`, version);
  return `${m[1]}.${m[2]}.${m[3] ?? '0'}`;
}

/** The marker environment of Pyodide built as `info` says (Python from `info.python`). */
export function pyodideEnvironment(info: PyodideLockInfo): MarkerEnvironment {
  const full = fullPythonVersion(info.python);
  const [major, minor] = full.split('.');
  // info.platform is `emscripten_5_0_3`: Pyodide reports platform_release "5.0.3".
  const release = /^emscripten_(\d+)_(\d+)_(\d+)$/.exec(info.platform);
  return {
    implementation_name: 'cpython',
    implementation_version: full,
    os_name: 'posix',
    platform_machine: info.arch ?? 'wasm32',
    platform_release: release ? `${release[1]}.${release[2]}.${release[3]}` : '',
    platform_system: 'Emscripten',
    platform_version: '#1',
    python_full_version: full,
    platform_python_implementation: 'CPython',
    python_version: `${major}.${minor}`,
    sys_platform: 'emscripten',
  };
}

/** The target for `info`, with the interpreter replaced by `pythonVersion` when given. */
export function targetFor(info: PyodideLockInfo, pythonVersion: string | null): Target {
  const python = pythonVersion === null ? info.python : fullPythonVersion(pythonVersion);
  const target = { ...info, python };
  return { info: target, environment: pyodideEnvironment(target) };
}
