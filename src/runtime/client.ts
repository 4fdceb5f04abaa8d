import * as Comlink from 'comlink';
import type { RuntimeBoot } from './api';

/**
 * The page's handle on the runtime worker: its `boot` resolves to the booted runtime. The UI
 * talks to Python, pip and the resolver only through this (design: `ui/` never imports the
 * resolver or the installer).
 */
export function startRuntime(): Comlink.Remote<RuntimeBoot> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pipette-runtime' });
  return Comlink.wrap<RuntimeBoot>(worker);
}

export { proxy, type Remote } from 'comlink';
