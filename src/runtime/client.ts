import * as Comlink from 'comlink';
import type { RuntimeBoot } from './api';

let started: Comlink.Remote<RuntimeBoot> | null = null;

/**
 * The page's handle on the runtime worker: its `boot` resolves to the booted runtime. The UI
 * talks to Python, pip and the resolver only through this (design: `ui/` never imports the
 * resolver or the installer).
 *
 * One worker per page: the first call starts it and later calls get the same one. The page
 * calls it before its components' modules are evaluated (src/ui/start-runtime.ts), so the worker
 * (which starts loadPyodide at once) does not wait for the components to be defined and drawn.
 */
export function startRuntime(): Comlink.Remote<RuntimeBoot> {
  if (started) return started;
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pipette-runtime' });
  started = Comlink.wrap<RuntimeBoot>(worker);
  return started;
}

export { proxy, type Remote } from 'comlink';
