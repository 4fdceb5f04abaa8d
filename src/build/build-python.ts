/**
 * What src/build needs from the interpreter, injected by src/runtime (which alone touches
 * Pyodide): run one function of a Python file, synchronously, with its output streamed.
 * Builds run in the tab's one interpreter; the frontend module (frontend-module.ts) isolates
 * each hook and restores the interpreter's state afterwards.
 */

/** Where the Python code's standard streams go while it runs. */
export interface BuildIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface BuildPython {
  /**
   * Runs the Python file at `path` in a fresh namespace (not the person's `__main__`), calls
   * its function `fn` with `request` (a JSON string) and returns the function's answer (a JSON
   * string). Output written meanwhile goes to `io` as it is written. An exception escaping
   * `fn` is thrown as an Error carrying the traceback text.
   */
  call(path: string, fn: string, request: string, io: BuildIo): string;
}
