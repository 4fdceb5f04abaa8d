import type { PyodideAPI } from 'pyodide';
import type { PyCallable, PyProxy } from 'pyodide/ffi';

/**
 * Runs `source`, whose last expression names a function, in a namespace of its own (nothing of
 * it shows in the person's `__main__`) and returns that function.
 */
export function privateFunction(pyodide: PyodideAPI, source: string): PyCallable {
  const dict = pyodide.globals.get('dict') as PyCallable;
  const namespace = dict() as PyProxy;
  dict.destroy();
  try {
    return pyodide.runPython(source, { globals: namespace }) as PyCallable;
  } finally {
    namespace.destroy();
  }
}

/** Python: the files and folders a module was imported from (`__file__`, a package's `__path__`). */
export const MODULE_PLACES_PY = `
def __pipette_module_places(module):
    places = []
    f = getattr(module, "__file__", None)
    if isinstance(f, str):
        places.append(f)
    try:
        places.extend(str(p) for p in (getattr(module, "__path__", None) or []))
    except Exception:
        pass
    return places
`;
