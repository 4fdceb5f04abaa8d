/**
 * Invalidating the import caches after an install (src/runtime/import-caches.ts) in a real
 * Pyodide: what was written becomes importable, as with `importlib.invalidate_caches()`, and
 * importlib.metadata (35–50 ms at its first import) is imported only if something already did.
 * A folder's mtime is put back after each write, so only the invalidation can make the new file
 * visible (CPython's FileFinder also refreshes when the folder's mtime changes).
 */
import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { invalidateImportCaches } from '../../../src/runtime/import-caches';

let py: PyodideAPI;
beforeAll(async () => {
  py = await bootPyodide();
}, 60_000);

const run = (code: string): unknown => py.runPython(code);
/** Writes `path` and puts its folder's mtime back as it was. */
const writeKeepingMtime = (path: string, text: string): void => {
  run(`
import os
_d = os.path.dirname(${JSON.stringify(path)})
_st = os.stat(_d)
with open(${JSON.stringify(path)}, "w") as _f:
    _f.write(${JSON.stringify(text)})
os.utime(_d, ns=(_st.st_atime_ns, _st.st_mtime_ns))
`);
};
const importable = (module: string): boolean =>
  run(`
try:
    import ${module}
    _ok = True
except ModuleNotFoundError:
    _ok = False
_ok
`) as boolean;

test('a module written after a failed import is found once the caches are invalidated, without importing importlib.metadata', () => {
  run(`import os, sys; os.makedirs("/tmp/ic/site", exist_ok=True); sys.path.insert(0, "/tmp/ic/site")`);
  expect(importable('ic_fresh')).toBe(false);
  writeKeepingMtime('/tmp/ic/site/ic_fresh.py', 'VALUE = 1\n');
  // FileFinder still has the folder's old listing: the write alone does not show.
  expect(importable('ic_fresh')).toBe(false);
  invalidateImportCaches(py);
  expect(importable('ic_fresh')).toBe(true);
  expect(run(`import sys; "importlib.metadata" in sys.modules`)).toBe(false);
  // A relative entry (the current directory's finder) is dropped, as CPython's PathFinder does.
  run(`import sys; sys.path_importer_cache["relative/dir"] = None`);
  invalidateImportCaches(py);
  expect(run(`import sys; "relative/dir" in sys.path_importer_cache`)).toBe(false);
});

test("once importlib.metadata is in use, its caches are invalidated too (a distribution installed since is found)", () => {
  run(`import os; os.makedirs("/tmp/ic/meta", exist_ok=True); import sys; sys.path.insert(0, "/tmp/ic/meta")`);
  const version = (): unknown =>
    run(`
import importlib.metadata as md
try:
    _v = md.version("ic-dist")
except md.PackageNotFoundError:
    _v = None
_v
`);
  expect(version()).toBeUndefined();
  // The dist-info folder and its METADATA, with /tmp/ic/meta's mtime put back (importlib.metadata
  // also re-reads a folder whose mtime changed).
  run(`
import os
_st = os.stat("/tmp/ic/meta")
os.makedirs("/tmp/ic/meta/ic_dist-1.0.dist-info")
with open("/tmp/ic/meta/ic_dist-1.0.dist-info/METADATA", "w") as _f:
    _f.write("Metadata-Version: 2.1\\nName: ic-dist\\nVersion: 1.0\\n")
os.utime("/tmp/ic/meta", ns=(_st.st_atime_ns, _st.st_mtime_ns))
`);
  expect(version()).toBeUndefined();
  invalidateImportCaches(py);
  expect(version()).toBe('1.0');
});
