/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { History, Shell } from '../shell';
import type { BootProgress, RuntimeApi, RuntimeBoot, RuntimeConfig } from './api';
import { RuntimeShellHost } from './shell-host';
import { requestInput } from './stdin-channel';
import { bootPyodide } from './boot';
import { readInterpreterInfo } from './interpreter';
import { RuntimeSession } from './session';
import { openBrowserStores } from './browser-stores';
import { createRuntimeApi, type TerminalSlot } from './runtime-api';

// The runtime worker: owns the one Pyodide of this tab, so the page never blocks on Python.
// `boot` resolves to the booted API only once the saved workspace is back, so nothing runs
// against a half-restored environment, and nothing can be asked of a runtime not yet started.
let booting: Promise<RuntimeApi> | null = null;

// Boot trace: performance marks (`pipette:*`) read by bench/playground.bench.ts to show where a
// boot's time goes. A mark is a timestamp in a buffer, nothing more.
const mark = (name: string): void => void performance.mark(`pipette:${name}`);
mark('worker-script');

async function boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<RuntimeApi> {
  const started = performance.now();
  const elapsedMs = (): number => performance.now() - started;
  mark('boot-called');
  onProgress?.({ phase: 'loading', elapsedMs: 0 });
  const pyodide = await bootPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href });
  mark('pyodide-loaded');
  const info = readInterpreterInfo(pyodide);
  mark('interpreter-info');
  const stores = await openBrowserStores();
  mark('stores-open');
  const session = new RuntimeSession(pyodide, info, config, stores.cache, (input, init) => fetch(input, init), {
    workspace: stores.workspace,
    cacheLocation: stores.cacheLocation,
  });
  mark('session-created');
  let firstRestoreStep = true;
  const restored = await session.restore((p) => {
    // The first step comes once the saved state and home files are read, before any rebuild.
    if (firstRestoreStep) mark('workspace-read');
    firstRestoreStep = false;
    onProgress?.({ phase: 'restoring', elapsedMs: elapsedMs(), done: p.done, total: p.total, ...(p.environment ? { environment: p.environment } : {}) });
  });
  mark('workspace-restored');
  const restore = stores.problem ? { ...restored, problems: [stores.problem, ...restored.problems] } : restored;
  if (config.interruptBuffer) session.runner.setInterruptBuffer(config.interruptBuffer);
  const stdin = config.stdin;
  /** The terminal of the line running now (one at a time). */
  const terminal: TerminalSlot = { current: null };
  const shell = new Shell(
    new RuntimeShellHost(session, {
      clear: () => void terminal.current?.clear(),
      activity: (a) => void terminal.current?.activity(a),
      ...(stdin ? { readLine: () => requestInput(stdin, () => void terminal.current?.askInput()) } : {}),
      prompt: (request) => terminal.current?.readLine?.(request) ?? Promise.resolve({ kind: 'eof' } as const),
    }),
    { cwd: session.home, history: new History(config.history ?? []) },
  );
  mark('shell-ready');
  const api = createRuntimeApi(session, shell, config, terminal);
  onProgress?.({ phase: 'ready', elapsedMs: elapsedMs(), restore });
  return api;
}

const runtime: RuntimeBoot = {
  async boot(config, onProgress) {
    booting ??= boot(config, onProgress);
    return Comlink.proxy(await booting);
  },
};

Comlink.expose(runtime);
