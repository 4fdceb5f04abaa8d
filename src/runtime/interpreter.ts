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

// Mirrors packaging.markers.default_environment(), evaluated inside Pyodide (PEP 508 "Environment
// Markers"): the values a requirement's marker is checked against.
const MARKER_ENVIRONMENT_PY = `
import json, os, platform, sys
def _impl_version(info):
    v = "{0.major}.{0.minor}.{0.micro}".format(info)
    if info.releaselevel != "final":
        v += info.releaselevel[0] + str(info.serial)
    return v
json.dumps({
    "implementation_name": sys.implementation.name,
    "implementation_version": _impl_version(sys.implementation.version),
    "os_name": os.name,
    "platform_machine": platform.machine(),
    "platform_release": platform.release(),
    "platform_system": platform.system(),
    "platform_version": platform.version(),
    "python_full_version": platform.python_version(),
    "platform_python_implementation": platform.python_implementation(),
    "python_version": ".".join(platform.python_version_tuple()[:2]),
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
