import type { PyodideAPI } from 'pyodide';

/**
 * What Pipette needs to know about the running interpreter, read from it at boot and never
 * hard-coded: the PEP 508 marker environment, the Python version, and the lock-file `info`
 * from which the compatible wheel tags are derived (abi_version, platform, python).
 */
export interface InterpreterInfo {
  readonly pyodideVersion: string;
  readonly pythonVersion: string;
  readonly markerEnvironment: Readonly<Record<string, string>>;
  readonly lockInfo: { readonly abi_version: string; readonly platform: string; readonly python: string; readonly arch: string };
}

/**
 * `_python_full_version()`: `platform.python_version()` as CPython's platform computes it (the
 * first word of `sys.version`, ".0" added to a two-part one) without importing `platform`, ~45 ms
 * of every boot. For code that has imported `sys`; used here and by the bytecode cache's key
 * (bytecode-compiler.ts), which must agree.
 */
export const PYTHON_FULL_VERSION_PY = `
def _python_full_version():
    v = sys.version.split()[0]
    return v + ".0" if v.count(".") == 1 else v
`;

// Mirrors packaging.markers.default_environment(), evaluated inside Pyodide (PEP 508 "Environment
// Markers"): the values a requirement's marker is checked against.
//
// Without importing `platform`: that import alone is ~45 ms of every boot (measured in Node's
// Pyodide), for values it reads from `os.uname()` and `sys.version` on a POSIX CPython, which is
// what this does: `platform.uname()` takes system, release, version and machine from
// `os.uname()`; `platform.python_version()` is the first word of `sys.version` (".0" added to a
// two-part one); `python_implementation()` is "CPython" for CPython. Another implementation
// falls back to `platform` itself. test/integration/runtime/interpreter.test.ts checks the result
// against what packaging computed in a real Pyodide (../shared/conformance).
const MARKER_ENVIRONMENT_PY = `
import json, os, sys
${PYTHON_FULL_VERSION_PY}
def _impl_version(info):
    v = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        v += info.releaselevel[0] + str(info.serial)
    return v
def _platform():
    if sys.implementation.name != "cpython" or not hasattr(os, "uname"):
        import platform
        return (platform.system(), platform.release(), platform.version(), platform.machine(),
                platform.python_version(), platform.python_implementation())
    u = os.uname()
    return (u.sysname, u.release, u.version, u.machine, _python_full_version(), "CPython")
_system, _release, _version, _machine, _full, _impl = _platform()
json.dumps({
    "implementation_name": sys.implementation.name,
    "implementation_version": _impl_version(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": _machine,
    "platform_release": _release,
    "platform_system": _system,
    "platform_version": _version,
    "python_full_version": _full,
    "platform_python_implementation": _impl,
    "python_version": ".".join(_full.split(".")[:2]),
    "sys_platform": sys.platform,
})
`;

export function readInterpreterInfo(py: PyodideAPI): InterpreterInfo {
  const markerEnvironment = JSON.parse(py.runPython(MARKER_ENVIRONMENT_PY) as string) as Record<string, string>;
  const info = py.lockfile.info;
  return {
    pyodideVersion: py.version,
    pythonVersion: markerEnvironment['python_full_version'] ?? info.python,
    markerEnvironment,
    lockInfo: { abi_version: info.abi_version, platform: info.platform, python: info.python, arch: info.arch },
  };
}
