import type { PyodideAPI } from 'pyodide';
import type { PyCallable } from 'pyodide/ffi';
import { privateFunction } from './py-namespace';

/**
 * Python: `importlib.invalidate_caches()` (what makes files written since the last import
 * visible to the next one), without importing `importlib.metadata` when nothing imported it yet.
 *
 * CPython's `PathFinder.invalidate_caches` ends with `from importlib.metadata import
 * MetadataPathFinder` to clear that module's caches: the first call in a process imports
 * importlib.metadata (email, zipfile, csv...), 35–50 ms here, on the critical path of a tab's
 * first `pip install`. A module never imported has no cache to clear, so until something imports
 * it, the rest of `PathFinder.invalidate_caches` is done as CPython 3.14 does it
 * (`_bootstrap_external.py`): relative-path and negative entries dropped from
 * `sys.path_importer_cache`, every other path entry finder told, the namespace-path epoch
 * advanced; and every other finder on `sys.meta_path` told, as `importlib.invalidate_caches`.
 */
export const INVALIDATE_CACHES_PY = `
def __pipette_invalidate_caches():
    import importlib, sys
    if "importlib.metadata" in sys.modules:
        importlib.invalidate_caches()
        return
    import importlib._bootstrap_external as bx
    for finder in sys.meta_path:
        if finder is bx.PathFinder:
            for name, entry in list(sys.path_importer_cache.items()):
                if entry is None or not bx._path_isabs(name):
                    del sys.path_importer_cache[name]
                elif hasattr(entry, "invalidate_caches"):
                    entry.invalidate_caches()
            bx._NamespacePath._epoch += 1
        elif hasattr(finder, "invalidate_caches"):
            finder.invalidate_caches()
`;

const invalidators = new WeakMap<PyodideAPI, PyCallable>();

/** Runs INVALIDATE_CACHES_PY's function in `pyodide` (defined once per interpreter, outside `__main__`). */
export function invalidateImportCaches(pyodide: PyodideAPI): void {
  let fn = invalidators.get(pyodide);
  if (!fn) invalidators.set(pyodide, (fn = privateFunction(pyodide, `${INVALIDATE_CACHES_PY}\n__pipette_invalidate_caches`)));
  fn();
}
