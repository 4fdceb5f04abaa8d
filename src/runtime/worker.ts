/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { version as pyodideVersion } from 'pyodide';
import type { RuntimeBoot } from './api';
import { bootPyodide } from './boot';
import { fromCompiledModule } from './compiled-module';
import { bootWithSnapshot, idbSnapshotStore, snapshotFor } from './interpreter-snapshot';
import { PYODIDE_WASM, pyodideIndexURL } from './pyodide-wasm';

// The runtime worker's entry: owns the one Pyodide of this tab, so the page never blocks on Python.
//
// Kept small on purpose (Comlink, Pyodide's loader, the interpreter snapshot's store): loadPyodide
// is most of a boot, so it starts the moment this script has looked up a kept snapshot, before the
// page's `boot` message arrives and while the rest of the runtime (worker-boot.ts: pip, the
// resolver, the installer, the shell) is fetched and evaluated as a chunk of its own, and the
// saved workspace is read from IndexedDB meanwhile. `boot` still resolves only once the workspace
// is back (worker-boot.ts).
//
// pyodide.asm.wasm is compiled by the page (client.ts), which gets Chromium's compiled-code
// cache where this worker does not; loadPyodide fetches the other files meanwhile and waits for
// the page's module (or its null: then it compiles its own) only to instantiate it.

// Boot trace: performance marks (`pipette:*`) read by bench/playground.bench.ts to show where a
// boot's time goes. A mark is a timestamp in a buffer, nothing more.
const mark = (name: string): void => void performance.mark(`pipette:${name}`);
mark('worker-script');

let offered: (module: WebAssembly.Module | null) => void = () => {};
const pageModule = new Promise<WebAssembly.Module | null>((resolve) => (offered = resolve));

const indexURL = pyodideIndexURL(self.location.origin);
const handoff = fromCompiledModule({
  factoryURL: new URL('pyodide.asm.mjs', indexURL).href,
  wasmURL: new URL(PYODIDE_WASM, indexURL).href,
  compiled: pageModule,
  // `wasm-from-page`: the page's module; `wasm-compiled-in-worker`: Pyodide's own compile.
  onInstantiated: (source) => mark(source === 'given' ? 'wasm-from-page' : 'wasm-compiled-in-worker'),
});
// Pyodide's loader requests pyodide.asm.wasm as it starts; that request is made only if the
// worker compiles its own after all (compiled-module.ts).
self.fetch = handoff.holdingFetch(self.fetch.bind(self));
// From the snapshot a reload keeps (interpreter-snapshot.ts: Python's start-up is most of a
// boot), else from scratch, making one.
let lookedUp: () => void = () => {};
const afterLookUp = new Promise<void>((resolve) => (lookedUp = resolve));
const started = bootWithSnapshot({
  load: (snapshot) => bootPyodide({ indexURL, createPyodideModule: handoff.createPyodideModule, ...(snapshot ? { snapshot } : {}) }),
  store: typeof indexedDB === 'undefined' ? null : idbSnapshotStore(),
  for: snapshotFor(pyodideVersion, indexURL),
  mark,
  lookedUp,
});
const pyodide = started.then((s) => s.pyodide);
// Boot trace: Python is ready (`pyodide-loaded` comes only once the page has called boot()).
void pyodide.then(() => mark('pyodide-ready'), () => {});
// A failure is reported by `boot`, the one that awaits it; not as an unhandled rejection before.
pyodide.catch(() => {});
// The runtime's chunk once the snapshot is looked up: evaluating it (~100 ms on this thread) held
// back the lookup's answer from IndexedDB, and with it the start of loadPyodide.
const prepared = afterLookUp.then(() => import('./worker-boot')).then((m) => m.prepare(pyodide));
prepared.catch(() => {});

/** How long after the boot's answer the worker keeps a snapshot it made (interpreter-snapshot.ts). */
const KEEP_SNAPSHOT_AFTER_MS = 500;

let booting: ReturnType<Awaited<typeof prepared>['boot']> | null = null;

const runtime: RuntimeBoot = {
  async boot(config, onProgress) {
    mark('boot-called');
    booting ??= prepared.then((p) => p.boot(config, onProgress));
    const api = await booting;
    // The boot is over: keep the snapshot made on the way, if any, once the page has had its
    // answer and made its first calls (copying ~30 MB holds this thread some 10-30 ms).
    setTimeout(() => void started.then((s) => s.keep()), KEEP_SNAPSHOT_AFTER_MS);
    return Comlink.proxy(api);
  },
  pyodideModule(module) {
    mark('page-module-received');
    offered(module);
  },
};

Comlink.expose(runtime);
