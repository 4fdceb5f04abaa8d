import * as Comlink from 'comlink';
import type { RuntimeBoot } from './api';
import { compilePyodideWasm, pyodideIndexURL } from './pyodide-wasm';

let started: Comlink.Remote<RuntimeBoot> | null = null;

/**
 * The page's handle on the runtime worker: its `boot` resolves to the booted runtime. The UI
 * talks to Python, pip and the resolver only through this (design: `ui/` never imports the
 * resolver or the installer).
 *
 * One worker per page: the first call starts it and later calls get the same one. The page
 * calls it before its components' modules are evaluated (src/ui/start-runtime.ts), so the worker
 * (which starts loadPyodide at once) does not wait for the components to be defined and drawn.
 *
 * It also starts compiling pyodide.asm.wasm here on the page (pyodide-wasm.ts says why) and
 * hands the module to the worker, or null when it can't, so the worker never waits for nothing.
 */
export function startRuntime(): Comlink.Remote<RuntimeBoot> {
  if (started) return started;
  performance.mark('pipette:wasm-compile-start');
  const compiling = compilePyodideWasm(pyodideIndexURL(location.origin));
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pipette-runtime' });
  const remote = Comlink.wrap<RuntimeBoot>(worker);
  void compiling.then(async (module) => {
    performance.mark(module ? 'pipette:wasm-compiled' : 'pipette:wasm-compile-failed');
    // A browser that cannot post a module to a worker (DataCloneError): the worker compiles its own.
    await remote.pyodideModule(module).catch(() => remote.pyodideModule(null));
  });
  started = remote;
  return started;
}

export { proxy, type Remote } from 'comlink';
