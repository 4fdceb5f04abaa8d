/**
 * Where each part of a wheel goes (the install scheme, sysconfig's "posix_prefix"). A venv's
 * scheme is `NAME/lib/python3.14/site-packages`, `NAME/bin`, ... under the venv's prefix.
 */
export interface InstallScheme {
  readonly purelib: string;
  readonly platlib: string;
  readonly scripts: string;
  readonly data: string;
  readonly headers: string;
  /** What launchers' `#!` lines point at (`#!python` in wheels is rewritten to it). */
  readonly pythonExecutable: string;
}

/** The scheme of a prefix: `prefix/lib/pythonX.Y/site-packages`, `prefix/bin`, `prefix/include/...`. */
export function schemeForPrefix(prefix: string, pythonVersion: string): InstallScheme {
  const [major, minor] = pythonVersion.split('.');
  // Ex) '/' (Pyodide's own sys.prefix) -> '/lib/python3.14/site-packages', not '//lib/...'.
  const base = prefix.replace(/\/+$/, '');
  const lib = `${base}/lib/python${major}.${minor}/site-packages`;
  return {
    purelib: lib,
    platlib: lib,
    scripts: `${base}/bin`,
    data: base || '/',
    headers: `${base}/include/python${major}.${minor}`,
    pythonExecutable: `${base}/bin/python`,
  };
}
