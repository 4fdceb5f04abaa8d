import type { PyodideAPI } from 'pyodide';
import type { PyCallable } from 'pyodide/ffi';
import { privateFunction } from './py-namespace';
import type { BuildIo, BuildPython } from '../build';
import type { PythonRunner } from './python-runner';

// Runs one function of a Python file in a namespace of its own (not the person's __main__).
const CALL_FILE_PY = `
def call_file(path, fn, request):
    namespace = {"__name__": "__pipette_build__", "__file__": path, "__builtins__": __builtins__}
    with open(path, encoding="utf-8") as f:
        source = f.read()
    exec(compile(source, path, "exec"), namespace)
    try:
        return namespace[fn](request)
    finally:
        import sys
        sys.stdout.flush()
        sys.stderr.flush()

call_file
`;

/**
 * src/build's BuildPython over the tab's interpreter: the frontend module's functions run
 * synchronously, their output streamed through the runner's standard streams to `io`.
 */
export class PyodideBuildPython implements BuildPython {
  private fn: PyCallable | null = null;

  constructor(
    private readonly pyodide: PyodideAPI,
    private readonly runner: PythonRunner,
  ) {}

  call(path: string, fn: string, request: string, io: BuildIo): string {
    const call = (this.fn ??= privateFunction(this.pyodide, CALL_FILE_PY));
    return this.runner.withIo(io, () => String(call(path, fn, request)));
  }
}
