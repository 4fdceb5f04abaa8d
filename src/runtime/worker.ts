/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import type { RuntimeBoot } from './api';
import { bootPyodide } from './boot';

// The runtime worker's entry: owns the one Pyodide of this tab, so the page never blocks on Python.
//
// Kept small on purpose (Comlink and Pyodide's loader): loadPyodide is most of a boot, so it
// starts the moment this script runs, before the page's `boot` message arrives and while the rest
// of the runtime (worker-boot.ts: pip, the resolver, the installer, the shell) is fetched and
// evaluated as a chunk of its own, and the saved workspace is read from IndexedDB meanwhile.
// `boot` still resolves only once the workspace is back (worker-boot.ts).

// Boot trace: performance marks (`pipette:*`) read by bench/playground.bench.ts to show where a
// boot's time goes. A mark is a timestamp in a buffer, nothing more.
performance.mark('pipette:worker-script');

const pyodide = bootPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href });
// A failure is reported by `boot`, the one that awaits it; not as an unhandled rejection before.
pyodide.catch(() => {});
const prepared = import('./worker-boot').then((m) => m.prepare(pyodide));
prepared.catch(() => {});

let booting: ReturnType<Awaited<typeof prepared>['boot']> | null = null;

const runtime: RuntimeBoot = {
  async boot(config, onProgress) {
    performance.mark('pipette:boot-called');
    booting ??= prepared.then((p) => p.boot(config, onProgress));
    return Comlink.proxy(await booting);
  },
};

Comlink.expose(runtime);
