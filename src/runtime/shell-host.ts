import { listInstalled } from '../install';
import { encodeShareLink } from '../share';
import { escapeTerminalText } from '../pep';
import { quoteArgv, shellQuote, type CommandContext, type PythonInvocation, type ShellHost, type VenvInfo, type VenvRequest } from '../shell';
import { DownloadMeter, type DownloadActivity } from './download-meter';
import type { PythonIo, PythonProgram } from './python-runner';
import type { RuntimeSession } from './session';

/** What the page provides to the shell beyond the session: the screen and the keyboard. */
export interface TerminalHooks {
  /** `clear` / Ctrl+L. */
  clear(): void;
  /** A line typed for `input()`; null at end of input. Absent: input() sees end of input. */
  readLine?(): string | null;
  /** Downloads of the running command (null when it ends), for the page's status line. */
  activity?(activity: DownloadActivity | null): void;
}

const PYTHON_HELP = `usage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options (and corresponding environment variables):
-c cmd : program passed in as string (terminates option list)
-m mod : run library module as a script (terminates option list)
-V     : print the Python version number and exit (also --version)
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
`;

/**
 * The shell's world in the worker: the interpreter's filesystem, pip and python of the active
 * environment (or of the venv a path names: `env/bin/pip`), venvs, and console scripts.
 */
export class RuntimeShellHost implements ShellHost {
  readonly user = 'pyodide';
  readonly hostname = 'pipette';

  constructor(
    private readonly session: RuntimeSession,
    private readonly hooks: TerminalHooks,
  ) {}

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
      return await this.session.pip(argv, out, { cwd: ctx.cwd, env: ctx.env, signal: ctx.signal, ...(environment ? { environment } : {}) });
    } finally {
      meter.finish();
    }
  }

  async python(invocation: PythonInvocation, ctx: CommandContext): Promise<number> {
    switch (invocation.kind) {
      case 'version':
        ctx.stdout(`Python ${this.session.info.pythonVersion}\n`);
        return 0;
      case 'help':
        ctx.stdout(PYTHON_HELP);
        return 0;
      case 'repl':
        ctx.stderr("python: the interactive interpreter isn't available in this terminal yet. Run code with python -c 'CODE', a file with python FILE, or the editor's Run button.\n");
        return 1;
      case 'code':
        return this.run({ kind: 'code', code: invocation.code, args: invocation.args }, ctx);
      case 'stdin':
        return this.run({ kind: 'code', code: ctx.stdin ?? '', args: invocation.args }, { ...ctx, stdin: '' });
      case 'module':
        return this.run({ kind: 'module', module: invocation.module, args: invocation.args }, ctx);
      case 'script':
        if (!this.fs.exists(invocation.path) || this.fs.isDirectory(invocation.path)) {
          ctx.stderr(`python: can't open file '${escapeTerminalText(invocation.path)}': [Errno 2] No such file or directory\n`);
          return 2;
        }
        return this.run({ kind: 'script', path: invocation.path, args: invocation.args }, ctx);
    }
  }

  async createVenv(request: VenvRequest, ctx: CommandContext): Promise<number> {
    const outcome = await this.session.venv({ kind: 'create', request });
    // venv's messages name the directories given: outside text like any other.
    if (outcome.stdout) ctx.stdout(escapeTerminalText(outcome.stdout));
    if (outcome.stderr) ctx.stderr(escapeTerminalText(outcome.stderr));
    return outcome.exitCode;
  }

  async runProgram(path: string, argv: readonly string[], ctx: CommandContext): Promise<number> {
    const data = this.fs.readFile(path);
    const firstLine = data ? new TextDecoder().decode(data.subarray(0, 256)).split('\n')[0]! : '';
    if (!firstLine.startsWith('#!') || !/python/.test(firstLine)) {
      ctx.stderr(`bash: ${shellQuote(argv[0] ?? path, 'unprintable')}: cannot execute binary file\n`);
      return 126;
    }
    // A console-script launcher (pip's, with `#!<env>/bin/python`): run it as that script.
    return this.run({ kind: 'script', path, args: argv.slice(1), argv0: path }, ctx);
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
    const { lock, unlocked, skippedFiles, leftOut } = this.session.shareLock();
    let link: string;
    try {
      link = await encodeShareLink(lock, this.session.config.pageUrl ?? 'http://localhost/');
    } catch (e) {
      ctx.stderr(`ERROR: ${escapeTerminalText(e instanceof Error ? e.message : String(e))}\n`);
      return 1;
    }
    // Names from metadata and file names: outside text.
    for (const name of unlocked) ctx.stderr(`WARNING: ${escapeTerminalText(name)} cannot travel in a link: it was not installed from an index or URL (a local file). Install it from an index to share it.\n`);
    for (const path of skippedFiles) ctx.stderr(`WARNING: ${escapeTerminalText(path)} is not shared: it is not a text file (or it is a symbolic link), or larger than 256 kB.\n`);
    for (const { path, reason } of leftOut) ctx.stderr(`WARNING: ${escapeTerminalText(JSON.stringify(path))} is left out of the link: ${reason}.\n`);
    ctx.stdout(`Share this link (${lock.distributions.length} packages, ${lock.files.length} files):\n${link}\n`);
    return 0;
  }

  private async run(program: PythonProgram, ctx: CommandContext): Promise<number> {
    const io: PythonIo = {
      stdout: ctx.stdout,
      stderr: ctx.stderr,
      ...(ctx.stdin === null && this.hooks.readLine ? { readLine: this.hooks.readLine } : {}),
    };
    const status = this.session.runner.run(program, io, { cwd: ctx.cwd, stdin: ctx.stdin });
    const problem = await this.session.workspace.save();
    if (problem) ctx.stderr(`WARNING: ${escapeTerminalText(problem)}\n`);
    return status;
  }

  /** `env/bin/pip` names that venv's pip: pip acts on it without activating it. */
  private venvOfProgram(program: string | null): string | undefined {
    if (!program) return undefined;
    const m = /^(.*)\/bin\/[^/]+$/.exec(program);
    if (!m || !this.fs.exists(`${m[1]}/pyvenv.cfg`)) return undefined;
    return m[1];
  }
}
