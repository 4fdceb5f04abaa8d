/// <reference lib="webworker" />
import type { PyodideAPI } from 'pyodide';
import { History, Shell } from '../shell';
import { createPackageSource } from '../index';
import type { BootProgress, RuntimeApi, RuntimeConfig } from './api';
import { RuntimeShellHost } from './shell-host';
import { requestInput } from './stdin-channel';
import { relayInterruptView, relayReadLine, RelayUnavailable } from './terminal-relay';
import { readInterpreterInfo } from './interpreter';
import { RuntimeSession } from './session';
import { openBrowserStores, type BrowserStores } from './browser-stores';
import { readRestoreAhead, type RestoreReadAhead } from './restore-read-ahead';
import { createRuntimeApi, type TerminalSlot } from './runtime-api';

// The runtime worker's boot, after its entry (worker.ts) has started loadPyodide: everything of
// the runtime but Pyodide's loader is in this chunk. `boot` resolves to the booted API only once
// the saved workspace is back, so nothing runs against a half-restored environment, and nothing
// can be asked of a runtime not yet started.

const mark = (name: string): void => void performance.mark(`pipette:${name}`);
const workerFetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => fetch(input, init);

/**
 * What input() says where the page has no channel to pass a typed line: no SharedArrayBuffer (the
 * page is not cross-origin isolated, which a browser allows only in a secure context) and no
 * terminal relay (a static host over plain http; `npm start` and `npm run preview` relay). Python
 * then reads end of input (EOFError).
 */
const NO_INPUT_CHANNEL =
  'input() cannot wait for a typed line on this page: it is not cross-origin isolated, which browsers allow only over https or at localhost, and its server does not relay the terminal. Python reads end of input instead. Open the playground over https, at localhost, or from a server started with `npm start` or `npm run preview`.\n';

/** The relay failed while input() waited (the server stopped); Python reads end of input. */
const relayFailed = (e: RelayUnavailable): string => `input() lost its line: ${e.message}. Python reads end of input instead.\n`;

export interface PreparedBoot {
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<RuntimeApi>;
}

/**
 * Called as soon as this chunk is evaluated, while Pyodide loads: opens IndexedDB and starts
 * reading what the restore will need (restore-read-ahead.ts).
 */
export function prepare(pyodide: Promise<PyodideAPI>): PreparedBoot {
  mark('worker-modules');
  const stores = openBrowserStores().then((s) => {
    mark('stores-open');
    return { stores: s, readAhead: readRestoreAhead(s.workspace, createPackageSource({ noIndex: true, fetch: workerFetch, cache: s.cache, retries: 1 })) };
  });
  return { boot: (config, onProgress) => boot(config, onProgress, pyodide, stores) };
}

async function boot(
  config: RuntimeConfig,
  onProgress: ((p: BootProgress) => void) | undefined,
  loading: Promise<PyodideAPI>,
  opening: Promise<{ stores: BrowserStores; readAhead: RestoreReadAhead }>,
): Promise<RuntimeApi> {
  // From the worker's start (its time origin), when loadPyodide began: the wait the person sees
  // in "ready (N ms)". Counting from this `boot` call would leave out the load that ran before it.
  const elapsedMs = (): number => performance.now();
  onProgress?.({ phase: 'loading', elapsedMs: elapsedMs() });
  const pyodide = await loading;
  mark('pyodide-loaded');
  const info = readInterpreterInfo(pyodide);
  mark('interpreter-info');
  const { stores, readAhead } = await opening;
  const session = new RuntimeSession(pyodide, info, config, stores.cache, workerFetch, {
    workspace: readAhead.store,
    cacheLocation: stores.cacheLocation,
    restoreSource: (source) => readAhead.wheels(source),
  });
  mark('session-created');
  let firstRestoreStep = true;
  const restored = await session.restore((p) => {
    // The first step comes once the saved state and home files are read, before any rebuild.
    if (firstRestoreStep) mark('workspace-read');
    firstRestoreStep = false;
    onProgress?.({ phase: 'restoring', elapsedMs: elapsedMs(), done: p.done, total: p.total, ...(p.environment ? { environment: p.environment } : {}) });
  });
  readAhead.release();
  mark('workspace-restored');
  const restore = stores.problem ? { ...restored, problems: [stores.problem, ...restored.problems] } : restored;
  if (config.interruptBuffer) session.runner.setInterruptBuffer(config.interruptBuffer);
  else if (config.terminalRelay) session.runner.setInterruptSource(relayInterruptView(config.terminalRelay));
  const stdin = config.stdin;
  const relay = config.terminalRelay;
  /** The terminal of the line running now (one at a time). */
  const terminal: TerminalSlot = { current: null };
  const shell = new Shell(
    new RuntimeShellHost(session, {
      clear: () => void terminal.current?.clear(),
      activity: (a) => void terminal.current?.activity(a),
      readLine: stdin
        ? () => requestInput(stdin, () => void terminal.current?.askInput())
        : relay
          ? () => {
              try {
                return relayReadLine(relay, () => void terminal.current?.askInput());
              } catch (e) {
                if (!(e instanceof RelayUnavailable)) throw e;
                terminal.current?.output({ stream: 'stderr', text: relayFailed(e) });
                return { kind: 'eof' } as const;
              }
            }
          : () => {
              terminal.current?.output({ stream: 'stderr', text: NO_INPUT_CHANNEL });
              return { kind: 'eof' } as const;
            },
      prompt: (request) => terminal.current?.readLine?.(request) ?? Promise.resolve({ kind: 'eof' } as const),
    }),
    { cwd: session.home, history: new History(config.history ?? []) },
  );
  mark('shell-ready');
  const api = createRuntimeApi(session, shell, config, terminal);
  onProgress?.({ phase: 'ready', elapsedMs: elapsedMs(), restore });
  return api;
}
