import { escapeTerminalText } from '../pep';
import type { RunIo, RunResult as ShellRunResult, Shell } from '../shell';
import type { Completion, RuntimeApi, RuntimeConfig, TerminalCallbacks } from './api';
import { guarded, runtimeFailure } from './failure';
import { exportLock, importLock, openShareLink, shareLink } from './lock-exchange';
import { environmentStamp, homeEntries, workspaceStamp } from './machinery';
import type { RuntimeSession } from './session';

/**
 * The booted runtime's API over one session and its shell: made only once both exist (the
 * worker's `boot` resolves to it), so no method has to ask whether Python has started.
 */
export function createRuntimeApi(session: RuntimeSession, shell: Shell, config: RuntimeConfig, terminal: TerminalSlot): RuntimeApi {
  /** workspaceStamp after the last save of a shell line (see onShell). */
  let savedStamp = stampOf(session);
  /** How to stop the line running now (one at a time). */
  let running: AbortController | null = null;

  /** Runs a line (or an argv) on the shell with the terminal's callbacks; Ctrl+C aborts it. */
  async function onShell(callbacks: TerminalCallbacks, run: (io: RunIo) => Promise<ShellRunResult>): Promise<number> {
    terminal.current = callbacks;
    running = new AbortController();
    // Bytecode compiled in idle time waits while the line runs (idle-bytecode.ts).
    const release = session.hold();
    // The buffer is not cleared here: the page clears it before it sends the line, so a Ctrl+C
    // pressed before this worker gets to the line (busy with the last one's panels) is kept.
    try {
      const result = await run({
        stdout: (text) => callbacks.output({ stream: 'stdout', text }),
        stderr: (text) => callbacks.output({ stream: 'stderr', text }),
        signal: running.signal,
      });
      // What the line wrote with the shell's own commands (`echo x > a.txt`, `rm`, `mkdir`) is
      // kept like what pip and python write: saved before the prompt comes back, and only when
      // something changed (saving computes every environment's lock).
      if (stampOf(session) !== savedStamp) {
        const problem = await session.workspace.save();
        if (problem) callbacks.output({ stream: 'stderr', text: `WARNING: ${escapeTerminalText(problem)}\n` });
        savedStamp = stampOf(session);
      }
      // One awaited call on the callbacks' port: the page has then drawn every chunk sent
      // before it, so the prompt never lands ahead of the command's last output.
      await callbacks.activity(null);
      return result.status;
    } finally {
      release();
      terminal.current = null;
      running = null;
      // A Ctrl+C no Python code took (it came during JavaScript work, such as pip resolving)
      // must not raise KeyboardInterrupt in the next Python the page runs.
      if (config.interruptBuffer) Atomics.store(config.interruptBuffer, 0, 0);
    }
  }

  return {
    info: session.info,
    readFile: (path) => guarded(() => session.readFile(path)),
    writeFile: (path, data) => guarded(() => session.writeFile(path, data)),
    removePath: (path) => guarded(() => session.removePath(path)),
    renamePath: (from, to) => guarded(() => session.renamePath(from, to)),
    lock: async () => session.lock()!,

    shellPrompt: async () => shell.prompt(),
    shellRun: (line, callbacks) => onShell(callbacks, (io) => shell.run(line, io)),
    shellRunArgv: (argv, callbacks) => onShell(callbacks, (io) => shell.runArgv(argv, io)),
    async shellComplete(line, cursor): Promise<Completion> {
      const { replaceFrom, candidates } = await shell.complete(line, cursor);
      return { replaceFrom, candidates: [...candidates] };
    },
    shellTyping: async (line) => session.typing(line, { env: shell.environment(), cwd: shell.cwd }),
    pythonComplete: async (line, cursor) => session.runner.complete(line, cursor),
    async interrupt() {
      // At the Python REPL, Ctrl+C is Python's (KeyboardInterrupt through the interrupt buffer, or
      // the line given up at the prompt): the REPL goes on, so the line that started it must not end.
      if (session.runner.interactive) return;
      running?.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
    },

    describeEnvironment: (options = {}) => session.describeEnvironment(options),
    diskEntries: async () => session.diskEntries(),
    async environmentStamp() {
      const env = session.environments.active;
      return environmentStamp(session.fs, { prefix: env.prefix, sitePackages: env.sitePackages, scripts: session.environment.scheme.scripts });
    },
    homeEntries: async () => homeEntries(session.fs, session.home),
    projectVersions: (name) =>
      guarded(async () => {
        let versions;
        try {
          versions = await session.projectVersions(name);
        } catch (e) {
          return runtimeFailure('index-failed', e instanceof Error ? e.message : String(e));
        }
        return versions === null ? runtimeFailure('no-such-project', `No project named ${name} on the index.`) : { kind: 'ok', versions };
      }),
    classifyVersions: async (project, specifier, options = {}) => session.classifyVersions(project, specifier, options),

    shareLock: async () => session.shareLock(),
    shareLink: (pageUrl) => guarded(() => shareLink(session, pageUrl)),
    openShareLink: (url) => guarded(() => openShareLink(session, url)),
    importLock: (name, text) => guarded(() => importLock(session, name, text)),
    exportLock: (format) => guarded(() => exportLock(session, format)),
    restoreShared: (lock, onOutput) => session.restoreShared(lock, { stdout: (text) => onOutput({ stream: 'stdout', text }), stderr: (text) => onOutput({ stream: 'stderr', text }) }),
  };
}

/** The terminal of the line running now: the shell host's callbacks (clear, activity, input) reach it here. */
export interface TerminalSlot {
  current: TerminalCallbacks | null;
}

function stampOf(session: RuntimeSession): string {
  const environments = session.environments.list().map((env) => ({ prefix: env.prefix, sitePackages: env.sitePackages, scripts: session.environments.pipEnvironment(env).scheme.scripts }));
  return `${session.environments.active.prefix}\n${workspaceStamp(session.fs, session.home, environments)}`;
}
