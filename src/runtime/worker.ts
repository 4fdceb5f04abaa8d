/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { Shell } from '../shell';
import type { BootProgress, Completion, OutputChunk, PipRunOptions, RunResult, RuntimeApi, RuntimeConfig, TerminalCallbacks, VenvCommand, VenvOutcome } from './api';
import { RuntimeShellHost } from './shell-host';
import { requestInput } from './stdin-channel';
import { bootPyodide } from './boot';
import { readInterpreterInfo, type InterpreterInfo } from './interpreter';
import { RuntimeSession } from './session';
import { openBrowserStores } from './browser-stores';

// The runtime worker: owns the one Pyodide of this tab, so the page never blocks on Python.
// The session is published only once the saved workspace is back, so nothing runs against a
// half-restored environment.
let session: RuntimeSession | null = null;
let booting: Promise<InterpreterInfo> | null = null;
let shell: Shell | null = null;
let runtimeConfig: RuntimeConfig | null = null;
/** The terminal of the line running now (one at a time), and how to stop it. */
let terminal: TerminalCallbacks | null = null;
let running: AbortController | null = null;

const NOT_BOOTED = 'Python is still starting; wait for the prompt.';

const api: RuntimeApi = {
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo> {
    booting ??= (async () => {
      const started = performance.now();
      const elapsedMs = (): number => performance.now() - started;
      onProgress?.({ phase: 'loading', elapsedMs: 0 });
      const pyodide = await bootPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href });
      if (config.interruptBuffer) pyodide.setInterruptBuffer(config.interruptBuffer);
      runtimeConfig = config;
      const info = readInterpreterInfo(pyodide);
      const stores = await openBrowserStores();
      const ready = new RuntimeSession(pyodide, info, config, stores.cache, (input, init) => fetch(input, init), {
        workspace: stores.workspace,
        cacheLocation: stores.cacheLocation,
      });
      const restored = await ready.restore((p) => onProgress?.({ phase: 'restoring', elapsedMs: elapsedMs(), done: p.done, total: p.total, ...(p.environment ? { environment: p.environment } : {}) }));
      const restore = stores.problem ? { ...restored, problems: [stores.problem, ...restored.problems] } : restored;
      session = ready;
      const stdin = config.stdin;
      shell = new Shell(
        new RuntimeShellHost(ready, {
          clear: () => void terminal?.clear(),
          activity: (a) => void terminal?.activity(a),
          ...(stdin ? { readLine: () => requestInput(stdin, () => void terminal?.askInput()) } : {}),
        }),
        { cwd: ready.home },
      );
      onProgress?.({ phase: 'ready', elapsedMs: elapsedMs(), restore });
      return info;
    })();
    return booting;
  },

  async runPython(code: string): Promise<RunResult> {
    if (!session) return { kind: 'error', code: 'not-booted', message: NOT_BOOTED, stdout: '', stderr: '' };
    return session.runPython(code);
  },

  async pip(argv: string[], onOutput: (chunk: OutputChunk) => void, options: PipRunOptions = {}): Promise<number> {
    if (!session) {
      onOutput({ stream: 'stderr', text: `ERROR: ${NOT_BOOTED}\n` });
      return 1;
    }
    return session.pip(argv, { stdout: (text) => onOutput({ stream: 'stdout', text }), stderr: (text) => onOutput({ stream: 'stderr', text }) }, options);
  },

  async venv(command: VenvCommand): Promise<VenvOutcome> {
    if (!session) throw new Error(NOT_BOOTED);
    return session.venv(command);
  },

  async activeEnvironment() {
    return session?.activeEnvironment() ?? null;
  },

  async readFile(path: string) {
    return session?.readFile(path) ?? { kind: 'error', code: 'not-booted', path, message: NOT_BOOTED };
  },

  async writeFile(path: string, data: Uint8Array | string) {
    return session ? session.writeFile(path, data) : { kind: 'error', code: 'not-booted', path, message: NOT_BOOTED };
  },

  async listDir(path: string) {
    return session?.listDir(path) ?? { kind: 'error', code: 'not-booted', path, message: NOT_BOOTED };
  },

  async lock(prefix?: string) {
    return session?.lock(prefix) ?? null;
  },

  async shellPrompt(): Promise<string> {
    return shell?.prompt() ?? '$ ';
  },

  async shellRun(line: string, callbacks: TerminalCallbacks): Promise<number> {
    if (!shell) {
      callbacks.output({ stream: 'stderr', text: `${NOT_BOOTED}\n` });
      return 1;
    }
    terminal = callbacks;
    running = new AbortController();
    if (runtimeConfig?.interruptBuffer) Atomics.store(runtimeConfig.interruptBuffer, 0, 0);
    try {
      const result = await shell.run(line, {
        stdout: (text) => callbacks.output({ stream: 'stdout', text }),
        stderr: (text) => callbacks.output({ stream: 'stderr', text }),
        signal: running.signal,
      });
      // One awaited call on the callbacks' port: the page has then drawn every chunk sent
      // before it, so the prompt never lands ahead of the command's last output.
      await callbacks.activity(null);
      return result.status;
    } finally {
      terminal = null;
      running = null;
      // A Ctrl+C no Python code took (it came during JavaScript work, such as pip resolving)
      // must not raise KeyboardInterrupt in the next Python the page runs.
      if (runtimeConfig?.interruptBuffer) Atomics.store(runtimeConfig.interruptBuffer, 0, 0);
    }
  },

  async shellComplete(line: string, cursor: number): Promise<Completion> {
    if (!shell) return { replaceFrom: cursor, candidates: [] };
    const { replaceFrom, candidates } = await shell.complete(line, cursor);
    return { replaceFrom, candidates: [...candidates] };
  },

  async interrupt(): Promise<void> {
    running?.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
  },

  async describeEnvironment(options = {}) {
    return session ? session.describeEnvironment(options) : null;
  },

  async diskEntries() {
    return session?.diskEntries() ?? null;
  },

  async projectVersions(name: string) {
    if (!session) return null;
    try {
      return await session.projectVersions(name);
    } catch (e) {
      return { kind: 'error', code: 'not-found', path: name, message: e instanceof Error ? e.message : String(e) } as const;
    }
  },

  async removePath(path: string) {
    return session ? session.removePath(path) : { kind: 'error', code: 'not-booted', path, message: NOT_BOOTED };
  },

  async renamePath(from: string, to: string) {
    return session ? session.renamePath(from, to) : { kind: 'error', code: 'not-booted', path: from, message: NOT_BOOTED };
  },

  async shareLock() {
    return session?.shareLock() ?? null;
  },

  async restoreShared(lock, onOutput) {
    if (!session) return 1;
    return session.restoreShared(lock, { stdout: (text) => onOutput({ stream: 'stdout', text }), stderr: (text) => onOutput({ stream: 'stderr', text }) });
  },
};

Comlink.expose(api);
