/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { escapeTerminalText } from '../pep';
import { History, Shell, type RunIo, type RunResult as ShellRunResult } from '../shell';
import type { BootProgress, Completion, OutputChunk, PipRunOptions, RunResult, RuntimeApi, RuntimeConfig, TerminalCallbacks, VenvCommand, VenvOutcome } from './api';
import { classifyVersions } from './classify-versions';
import { environmentStamp, homeEntries, workspaceStamp } from './machinery';
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
/** workspaceStamp after the last save of a shell line (see shellRun). */
let savedStamp: string | null = null;

function stampOf(session: RuntimeSession): string {
  const environments = session.environments.list().map((env) => ({ prefix: env.prefix, sitePackages: env.sitePackages, scripts: session.environments.pipEnvironment(env).scheme.scripts }));
  return `${session.environments.active.prefix}\n${workspaceStamp(session.fs, session.home, environments)}`;
}

const NOT_BOOTED = 'Python is still starting; wait for the prompt.';

// Boot trace: performance marks (`pipette:*`) read by bench/playground.bench.ts to show where a
// boot's time goes. A mark is a timestamp in a buffer, nothing more.
const mark = (name: string): void => void performance.mark(`pipette:${name}`);
mark('worker-script');

const api: RuntimeApi = {
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo> {
    booting ??= (async () => {
      const started = performance.now();
      const elapsedMs = (): number => performance.now() - started;
      mark('boot-called');
      onProgress?.({ phase: 'loading', elapsedMs: 0 });
      const pyodide = await bootPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, self.location.origin).href });
      mark('pyodide-loaded');
      runtimeConfig = config;
      const info = readInterpreterInfo(pyodide);
      mark('interpreter-info');
      const stores = await openBrowserStores();
      mark('stores-open');
      const ready = new RuntimeSession(pyodide, info, config, stores.cache, (input, init) => fetch(input, init), {
        workspace: stores.workspace,
        cacheLocation: stores.cacheLocation,
      });
      mark('session-created');
      let firstRestoreStep = true;
      const restored = await ready.restore((p) => {
        // The first step comes once the saved state and home files are read, before any rebuild.
        if (firstRestoreStep) mark('workspace-read');
        firstRestoreStep = false;
        onProgress?.({ phase: 'restoring', elapsedMs: elapsedMs(), done: p.done, total: p.total, ...(p.environment ? { environment: p.environment } : {}) });
      });
      mark('workspace-restored');
      const restore = stores.problem ? { ...restored, problems: [stores.problem, ...restored.problems] } : restored;
      session = ready;
      savedStamp = stampOf(ready);
      if (config.interruptBuffer) ready.runner.setInterruptBuffer(config.interruptBuffer);
      const stdin = config.stdin;
      shell = new Shell(
        new RuntimeShellHost(ready, {
          clear: () => void terminal?.clear(),
          activity: (a) => void terminal?.activity(a),
          ...(stdin ? { readLine: () => requestInput(stdin, () => void terminal?.askInput()) } : {}),
          prompt: (request) => terminal?.readLine?.(request) ?? Promise.resolve({ kind: 'eof' } as const),
        }),
        { cwd: ready.home, history: new History(config.history ?? []) },
      );
      mark('shell-ready');
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

  shellRun(line: string, callbacks: TerminalCallbacks): Promise<number> {
    return onShell(callbacks, (ready, io) => ready.run(line, io));
  },

  shellRunArgv(argv: string[], callbacks: TerminalCallbacks): Promise<number> {
    return onShell(callbacks, (ready, io) => ready.runArgv(argv, io));
  },

  async shellComplete(line: string, cursor: number): Promise<Completion> {
    if (!shell) return { replaceFrom: cursor, candidates: [] };
    const { replaceFrom, candidates } = await shell.complete(line, cursor);
    return { replaceFrom, candidates: [...candidates] };
  },

  async interrupt(): Promise<void> {
    // At the Python REPL, Ctrl+C is Python's (KeyboardInterrupt through the interrupt buffer, or
    // the line given up at the prompt): the REPL goes on, so the line that started it must not end.
    if (session?.runner.interactive) return;
    running?.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
  },

  async pythonComplete(line: string, cursor: number): Promise<Completion> {
    if (!session) return { replaceFrom: cursor, candidates: [] };
    return session.runner.complete(line, cursor);
  },

  async describeEnvironment(options = {}) {
    return session ? session.describeEnvironment(options) : null;
  },

  async diskEntries() {
    return session?.diskEntries() ?? null;
  },

  async environmentStamp() {
    if (!session) return null;
    const env = session.environments.active;
    return environmentStamp(session.fs, { prefix: env.prefix, sitePackages: env.sitePackages, scripts: session.environment.scheme.scripts });
  },

  async homeEntries() {
    return session ? homeEntries(session.fs, session.home) : null;
  },

  async projectVersions(name: string) {
    if (!session) return null;
    try {
      return await session.projectVersions(name);
    } catch (e) {
      return { kind: 'error', code: 'not-found', path: name, message: e instanceof Error ? e.message : String(e) } as const;
    }
  },

  async classifyVersions(project: string, specifier: string, options = {}) {
    return session ? session.classifyVersions(project, specifier, options) : classifyVersions(specifier, [], options);
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

  async previewShared(lock) {
    return session?.previewShared(lock) ?? null;
  },

  async restoreShared(lock, onOutput) {
    if (!session) return 1;
    return session.restoreShared(lock, { stdout: (text) => onOutput({ stream: 'stdout', text }), stderr: (text) => onOutput({ stream: 'stderr', text }) });
  },
};

/** Runs a line (or an argv) on the shell with the terminal's callbacks; Ctrl+C aborts it. */
async function onShell(callbacks: TerminalCallbacks, run: (ready: Shell, io: RunIo) => Promise<ShellRunResult>): Promise<number> {
  if (!shell) {
    callbacks.output({ stream: 'stderr', text: `${NOT_BOOTED}\n` });
    return 1;
  }
  terminal = callbacks;
  running = new AbortController();
  if (runtimeConfig?.interruptBuffer) Atomics.store(runtimeConfig.interruptBuffer, 0, 0);
  try {
    const result = await run(shell, {
      stdout: (text) => callbacks.output({ stream: 'stdout', text }),
      stderr: (text) => callbacks.output({ stream: 'stderr', text }),
      signal: running.signal,
    });
    // What the line wrote with the shell's own commands (`echo x > a.txt`, `rm`, `mkdir`) is
    // kept like what pip and python write: saved before the prompt comes back, and only when
    // something changed (saving computes every environment's lock).
    if (session && stampOf(session) !== savedStamp) {
      const problem = await session.workspace.save();
      if (problem) callbacks.output({ stream: 'stderr', text: `WARNING: ${escapeTerminalText(problem)}\n` });
      savedStamp = stampOf(session);
    }
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
}

Comlink.expose(api);
