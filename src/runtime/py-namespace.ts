import type { PyodideAPI } from 'pyodide';
import type { PyCallable, PyProxy } from 'pyodide/ffi';

/**
 * Runs `source` (statements) with `namespace` as its globals, compiled by Python's `compile`
 * as `<pipette>` (frames left out of the tracebacks a person sees: python-program.ts).
 *
 * Not `runPython(source)`: Pyodide's runner first parses a source into an AST of Python objects
 * (to return a last expression's value), which costs 3-5x the compile itself for the helpers the
 * runtime defines at every boot (InterpreterSwitch's: 20 ms against ~5 ms, on the way to the
 * prompt).
 */
export function execIn(pyodide: PyodideAPI, source: string, namespace: PyProxy): void {
  const ns = namespace as PyProxy & { set(k: string, v: unknown): void; delete(k: string): void };
  ns.set('__pipette_source__', source);
  try {
    pyodide.runPython('exec(compile(__pipette_source__, "<pipette>", "exec"))', { globals: namespace });
  } finally {
    ns.delete('__pipette_source__');
  }
}

/**
 * A new, empty dict for Python code of the runtime's own to run in: nothing of it shows in the
 * person's `__main__`. Made from JavaScript, not by looking `dict` up in `__main__`, where a
 * person's `dict = ...` would answer instead. The caller destroys it.
 */
export function newNamespace(pyodide: PyodideAPI): PyProxy {
  return pyodide.toPy({}) as PyProxy;
}

/** Runs `source` (statements) in a namespace of its own, dropped after. */
export function execPrivately(pyodide: PyodideAPI, source: string): void {
  const namespace = newNamespace(pyodide);
  try {
    execIn(pyodide, source, namespace);
  } finally {
    namespace.destroy();
  }
}

/**
 * Runs `source`, whose last line is the name of a function it defines, in a namespace of its own
 * (nothing of it shows in the person's `__main__`) and returns that function.
 */
export function privateFunction(pyodide: PyodideAPI, source: string): PyCallable {
  const body = source.trimEnd();
  const cut = body.lastIndexOf('\n');
  const name = body.slice(cut + 1);
  if (!/^[A-Za-z_]\w*$/.test(name)) throw new Error(`privateFunction: the source must end with the name of its function, not ${JSON.stringify(name)}`);
  const namespace = newNamespace(pyodide);
  try {
    execIn(pyodide, body.slice(0, cut + 1), namespace);
    return (namespace as PyProxy & { get(k: string): PyCallable | undefined }).get(name) ?? fail(name);
  } finally {
    namespace.destroy();
  }
}

function fail(name: string): never {
  throw new Error(`privateFunction: the source defines no ${name}`);
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
