import * as Comlink from 'comlink';
import type { RuntimeApi } from './api';

/**
 * The page's handle on the runtime worker. The UI talks to Python, pip and the resolver only
 * through this (design: `ui/` never imports the resolver or the installer).
 */
export function startRuntime(): Comlink.Remote<RuntimeApi> {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'pipette-runtime' });
  return Comlink.wrap<RuntimeApi>(worker);
}

export { proxy } from 'comlink';
