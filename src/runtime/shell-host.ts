import { listInstalled } from '../install';
import { encodeShareLink } from '../share';
import { escapeTerminalText } from '../pep';
import { quoteArgv, shellQuote, type CommandContext, type PythonInvocation, type ShellHost, type VenvInfo, type VenvRequest } from '../shell';
import { DownloadMeter, type DownloadActivity } from './download-meter';
import type { LineAnswer, LineRequest } from './api';
import { PythonCommand } from './python-command';
import type { RuntimeSession } from './session';

/** What the page provides to the shell beyond the session: the screen and the keyboard. */
export interface TerminalHooks {
  /** `clear` / Ctrl+L. */
  clear(): void;
  /** A line typed for `input()`; null at end of input. Absent: input() sees end of input. */
  readLine?(): LineAnswer;
  /** Downloads of the running command (null when it ends), for the page's status line. */
  activity?(activity: DownloadActivity | null): void;
  /** A line typed at a running program's own prompt (the Python REPL's `>>> `, pip's `Proceed (Y/n)? `). */
  prompt?(request: LineRequest): Promise<LineAnswer>;
}

/**
 * The shell's world in the worker: the interpreter's filesystem, pip and python of the active
 * environment (or of the venv a path names: `env/bin/pip`), venvs, and console scripts.
 */
export class RuntimeShellHost implements ShellHost {
  readonly user = 'pyodide';
  readonly hostname = 'pipette';
  /** `twine` when none is installed: Pipette's twine check (src/build twine-check.ts). */
  readonly tools = ['twine'] as const;

  private readonly programs: PythonCommand;

  constructor(
    private readonly session: RuntimeSession,
    private readonly hooks: TerminalHooks,
  ) {
    this.programs = new PythonCommand(session, hooks);
  }

  get fs() {
    return this.session.fs;
  }

  get home(): string {
    return this.session.home;
  }

  async pip(argv: readonly string[], ctx: CommandContext): Promise<number> {
    if (argv[0] === 'share') return this.share(argv.slice(1), ctx);
    const environment = this.venvOfProgram(ctx.program);
    // pip draws its progress bar only on a terminal; here one line for all downloads.
    const meter = new DownloadMeter(ctx.stdoutIsTerminal ? ctx.stderr : null, (a) => this.hooks.activity?.(a));
    const out = {
      stdout: (text: string) => (meter.clear(), ctx.stdout(text)),
      stderr: (text: string) => (meter.clear(), ctx.stderr(text)),
      progress: (event: Parameters<DownloadMeter['update']>[0]) => meter.update(event),
    };
    try {
      const prompt = this.hooks.prompt;
      // pip's questions (`Proceed (Y/n)? `) are answered at the terminal, as pip reads them from stdin.
      const ask = prompt && ctx.stdin === null ? { prompt: async (text: string) => answerText(await prompt({ prompt: text, kind: 'answer' })) } : {};
      return await this.session.pip(argv, out, { cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, ...(environment ? { environment } : {}), ...ask });
    } finally {
      meter.finish();
    }
  }

  async python(invocation: PythonInvocation, ctx: CommandContext): Promise<number> {
    return this.programs.run(invocation, ctx);
  }

  async createVenv(request: VenvRequest, ctx: CommandContext): Promise<number> {
    const outcome = await this.session.venv({ kind: 'create', request });
    // venv's messages name the directories given: outside text like any other.
    if (outcome.stdout) ctx.stdout(escapeTerminalText(outcome.stdout));
    if (outcome.stderr) ctx.stderr(escapeTerminalText(outcome.stderr));
    return outcome.exitCode;
  }

  async runProgram(path: string, argv: readonly string[], ctx: CommandContext): Promise<number> {
    return this.programs.runFile(path, argv, ctx);
  }

  async runTool(name: string, argv: readonly string[], ctx: CommandContext): Promise<number> {
    if (name !== 'twine') {
      ctx.stderr(`bash: ${name}: command not found\n`);
      return 127;
    }
    return this.session.twine(argv, { stdout: ctx.stdout, stderr: ctx.stderr }, { cwd: ctx.cwd, env: ctx.env, signal: ctx.signal });
  }

  activeVenv(): VenvInfo | null {
    const env = this.session.activeEnvironment();
    return env.kind === 'venv' ? { name: env.prompt ?? env.name, prefix: env.prefix } : null;
  }

  async activate(prefix: string, ctx: CommandContext): Promise<number> {
    const outcome = await this.session.venv({ kind: 'activate', path: prefix });
    if (outcome.stderr) ctx.stderr(escapeTerminalText(outcome.stderr));
    return outcome.exitCode;
  }

  async deactivate(ctx: CommandContext): Promise<number> {
    const outcome = await this.session.venv({ kind: 'deactivate' });
    if (outcome.stderr) ctx.stderr(escapeTerminalText(outcome.stderr));
    return outcome.exitCode;
  }

  clear(): void {
    this.hooks.clear();
  }

  async installedNames(): Promise<readonly string[]> {
    return listInstalled(this.fs, this.session.environment.scheme.purelib).map((d) => d.metadata.name);
  }

  /**
   * `pip share` (Pipette's): prints a link that carries the active environment (exact wheels
   * and sha256, indexes without credentials, the home folder's text files).
   */
  private async share(argv: readonly string[], ctx: CommandContext): Promise<number> {
    if (argv.length > 0 && (argv[0] === '-h' || argv[0] === '--help')) {
      ctx.stdout('Usage: pip share\n\nPrints a link that reinstalls this environment (the same files, hash-checked) and restores your files in any browser.\n');
      return 0;
    }
    if (argv.length > 0) {
      ctx.stderr(`ERROR: pip share takes no arguments (got ${quoteArgv(argv)}).\n`);
      return 2;
    }
    const { lock, unlocked, built, skippedFiles, leftOut } = this.session.shareLock();
    let link: string;
    try {
      link = await encodeShareLink(lock, this.session.config.pageUrl ?? 'http://localhost/');
    } catch (e) {
      ctx.stderr(`ERROR: ${escapeTerminalText(e instanceof Error ? e.message : String(e))}\n`);
      return 1;
    }
    // Names from metadata and file names: outside text.
    for (const name of unlocked) ctx.stderr(`WARNING: ${escapeTerminalText(name)} cannot travel in a link: it was not installed from an index or URL (a local file). Install it from an index to share it.\n`);
    for (const name of built) ctx.stderr(`WARNING: ${escapeTerminalText(name)} cannot travel in a link: it was built from a folder outside your home folder, and a link carries only the home folder's files. Move the project under your home folder and install it from there to share it.\n`);
    for (const path of skippedFiles) ctx.stderr(`WARNING: ${escapeTerminalText(path)} is not shared: it is not a text file (or it is a symbolic link), or larger than 256 kB.\n`);
    for (const { path, reason } of leftOut) ctx.stderr(`WARNING: ${escapeTerminalText(JSON.stringify(path))} is left out of the link: ${reason}.\n`);
    const builds = lock.builds ?? [];
    const packages = lock.distributions.length + builds.length;
    ctx.stdout(`Share this link (${packages} packages${builds.length > 0 ? `, ${builds.length} built from source on opening` : ''}, ${lock.files.length} files):\n${link}\n`);
    return 0;
  }

  /** `env/bin/pip` names that venv's pip: pip acts on it without activating it. */
  private venvOfProgram(program: string | null): string | undefined {
    if (!program) return undefined;
    const m = /^(.*)\/bin\/[^/]+$/.exec(program);
    if (!m || !this.fs.exists(`${m[1]}/pyvenv.cfg`)) return undefined;
    return m[1];
  }
}

/** The line typed, or null for end of input and Ctrl+C (pip then stops: `Operation cancelled by user`). */
function answerText(answer: LineAnswer): string | null {
  return answer.kind === 'line' ? answer.text : null;
}
