// Over 400 lines: the Shell class is one evaluator over the AST; its methods share the session's state.
import { describeFsError, escapeTerminalText, PipetteError } from '../pep';
import type { AndOr, Pipeline, Script, SimpleCommand } from './ast';
import { BUILTINS, type BuiltinContext, type CommandLookup, type ShellState } from './builtins';
import { completeLine, type Completion } from './completion';
import { expandWord, expandWords, type ExpandContext } from './expand';
import { History } from './history';
import type { CommandContext, ShellHost, Writer } from './host';
import { parseScript } from './parser';
import { baseName, joinChild, resolvePath } from './path';
import { formatPrompt } from './prompt';
import { routePython } from './python-args';
import { applyRedirects } from './redirects';
import { quoteArgv, shellQuote } from './quote';
import { Collector, commandContext, ioOf, type Io } from './streams';
import { ShellParseError } from './syntax-error';

export interface ShellOptions {
  /** The starting directory; HOME when absent. */
  readonly cwd?: string;
  /** Lines entered before (a reload); a new History when absent. */
  readonly history?: History;
}

/** Where a line's output goes (the terminal), and its Ctrl+C. */
export interface RunIo {
  readonly stdout: Writer;
  readonly stderr: Writer;
  readonly signal?: AbortSignal;
}

export interface RunResult {
  /** `$?` after the line: the last command's status; 2 for a syntax error, 130 after Ctrl+C. */
  readonly status: number;
  /** `exit` ran: the terminal session is over. */
  readonly exit: boolean;
  readonly interrupted: boolean;
}

/** Debian's default PATH for a login shell; a venv's `bin` goes in front when activated. */
export const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

const PIP = /^pip(3(\.[0-9]+)?)?$/;
const PYTHON = /^python(3(\.[0-9]+)?)?$/;

/** Thrown through the running commands when Ctrl+C aborts the line. */
class Interrupted extends PipetteError<'interrupted'> {
  override readonly name = 'Interrupted';
  constructor() {
    super('interrupted', '');
  }
}

/**
 * The terminal's shell: parses a line, expands it, and runs it over the host, with bash's
 * semantics for what a pip tutorial types (pipes, redirects, `&&`/`||`/`;`, variables, venvs).
 * Pipeline stages run one after another, each reading the previous one's whole output: the
 * commands here are not interactive, so the order of effects is what bash's would be.
 */
export class Shell {
  readonly history: History;
  private cwdPath: string;
  private readonly vars = new Map<string, string>();
  private readonly exportedNames = new Set<string>();
  private status = 0;
  private exitStatus: number | null = null;
  /** `source` commands running inside each other (see SOURCE_NEST_MAX). */
  private sourceDepth = 0;
  /** The signals of lines whose outermost command is waiting on Ctrl+C now. */
  private readonly racing = new WeakSet<AbortSignal>();
  private readonly state: ShellState;

  constructor(
    readonly host: ShellHost,
    options: ShellOptions = {},
  ) {
    this.history = options.history ?? new History();
    this.cwdPath = resolvePath('/', options.cwd ?? host.home);
    for (const [name, value] of Object.entries(host.env ?? {})) this.setVar(name, value, true);
    const defaults: Record<string, string> = { HOME: host.home, USER: host.user, PATH: DEFAULT_PATH };
    for (const [name, value] of Object.entries(defaults)) if (!this.vars.has(name)) this.setVar(name, value, true);
    this.setVar('PWD', this.cwdPath, true);
    const venv = host.activeVenv();
    if (venv) {
      this.setVar('_OLD_VIRTUAL_PATH', this.vars.get('PATH')!, false);
      this.setVar('PATH', `${venv.prefix}/bin:${this.vars.get('PATH')}`, true);
      this.setVar('VIRTUAL_ENV', venv.prefix, true);
      this.setVar('VIRTUAL_ENV_PROMPT', venv.name, true);
    }
    this.state = this.makeState();
  }

  get cwd(): string {
    return this.cwdPath;
  }

  /** `$?`. */
  get lastStatus(): number {
    return this.status;
  }

  /** A shell variable (exported or not). */
  getVar(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** The exported variables, sorted by name: what commands get as their environment. */
  environment(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of [...this.exportedNames].sort()) {
      const value = this.vars.get(name);
      if (value !== undefined) out[name] = value;
    }
    return out;
  }

  /** Ex) `(venv) user@pipette:~/project$ ` */
  prompt(): string {
    return formatPrompt({
      user: this.host.user,
      hostname: this.host.hostname,
      cwd: this.cwdPath,
      home: this.vars.get('HOME') ?? this.host.home,
      venv: this.host.activeVenv()?.name ?? null,
    });
  }

  /**
   * Runs one entered line (recorded in the history). A syntax error is printed as bash prints
   * it (status 2). When `io.signal` aborts, the shell stops waiting for the running command at
   * once, prints `^C`, skips the rest of the line, and the status is 130.
   */
  async run(line: string, io: RunIo): Promise<RunResult> {
    this.history.add(line);
    this.exitStatus = null;
    let script: Script;
    try {
      script = parseScript(line);
    } catch (e) {
      if (!(e instanceof ShellParseError)) throw e;
      io.stderr(`${escapeTerminalText(e.message)}\n`);
      this.status = 2;
      return { status: 2, exit: false, interrupted: false };
    }
    return this.runTop(io, (base) => this.runScript(script, base));
  }

  /**
   * Runs one command given as argv, as if typed (recorded in the history as the line that
   * would run it, `quoteArgv`): no parsing, no expansion, so nothing in a word is ever read as
   * shell syntax. What the page uses to run a name it did not type (Import…, Run, the panels).
   * Ex) runArgv(['pip', 'install', '-r', 'a; rm -rf ~.txt']) runs pip with that one file name.
   */
  async runArgv(argv: readonly string[], io: RunIo): Promise<RunResult> {
    if (argv.length === 0) return { status: this.status, exit: false, interrupted: false };
    this.history.add(quoteArgv(argv, { home: this.vars.get('HOME') ?? this.host.home }));
    this.exitStatus = null;
    return this.runTop(io, async (base) => {
      this.status = await this.dispatch(argv, base, this.environment());
    });
  }

  /** A line's run at the terminal: its streams, and Ctrl+C turned into `^C` and status 130. */
  private async runTop(io: RunIo, run: (base: Io) => Promise<unknown>): Promise<RunResult> {
    this.exitStatus = null;
    const signal = io.signal ?? new AbortController().signal;
    const base: Io = { stdin: null, stdout: { write: io.stdout, terminal: true }, stderr: { write: io.stderr, terminal: true }, signal };
    try {
      await run(base);
    } catch (e) {
      if (!(e instanceof Interrupted)) throw e;
      io.stdout('^C\n');
      this.status = 130;
      return { status: 130, exit: false, interrupted: true };
    }
    return { status: this.status, exit: this.exitStatus !== null, interrupted: false };
  }

  /** Tab completion at `cursor` in `line` (see completeLine). */
  complete(line: string, cursor: number = line.length): Promise<Completion> {
    return completeLine(line, cursor, {
      fs: this.host.fs,
      cwd: this.cwdPath,
      home: this.vars.get('HOME') ?? this.host.home,
      path: this.vars.get('PATH') ?? '',
      variables: [...this.vars.keys()],
      builtins: [...BUILTINS.keys()].filter((n) => n !== '.'),
      installedNames: () => this.host.installedNames?.() ?? Promise.resolve([]),
      ...(this.host.pipCommands ? { pipCommands: this.host.pipCommands } : {}),
    });
  }

  /** How `name` would run: builtin, pip, python, a file on PATH, or bash's "not found". */
  lookup(name: string): CommandLookup {
    const fs = this.host.fs;
    if (name === '') return { kind: 'missing', message: 'bash: : command not found', status: 127 };
    // bash's words; a name with a control character in ANSI-C quotes, as bash 5.2 shows it.
    const shown = shellQuote(name, 'unprintable');
    if (name.includes('/')) {
      const path = resolvePath(this.cwdPath, name);
      if (!fs.exists(path)) return { kind: 'missing', message: `bash: ${shown}: No such file or directory`, status: 127 };
      if (fs.isDirectory(path)) return { kind: 'missing', message: `bash: ${shown}: Is a directory`, status: 126 };
      return classify(path);
    }
    if (BUILTINS.has(name)) return { kind: 'builtin', name };
    for (const dir of (this.vars.get('PATH') ?? '').split(':')) {
      const candidate = joinChild(resolvePath(this.cwdPath, dir || '.'), name);
      if (fs.exists(candidate) && !fs.isDirectory(candidate)) return classify(candidate);
    }
    if (PIP.test(name)) return { kind: 'pip', program: null };
    if (PYTHON.test(name)) return { kind: 'python', program: null };
    if (this.host.tools?.includes(name) && this.host.runTool) return { kind: 'tool', name };
    return { kind: 'missing', message: `bash: ${shown}: command not found`, status: 127 };
  }

  private setVar(name: string, value: string, exported: boolean): void {
    this.vars.set(name, value);
    if (exported) this.exportedNames.add(name);
  }

  private async runScript(script: Script, io: Io): Promise<number> {
    for (const item of script.items) {
      await this.runAndOr(item, io);
      if (this.exitStatus !== null) break;
    }
    return this.status;
  }

  /** `a && b || c`: each pipeline runs or is skipped by the status so far (XCU 2.9.3). */
  private async runAndOr(item: AndOr, io: Io): Promise<void> {
    await this.runPipeline(item.first, io);
    for (const { op, pipeline } of item.rest) {
      if (this.exitStatus !== null) return;
      if ((op === '&&') === (this.status === 0)) await this.runPipeline(pipeline, io);
    }
  }

  private async runPipeline(pipeline: Pipeline, io: Io): Promise<void> {
    let stdin = io.stdin;
    let status = 0;
    const last = pipeline.commands.length - 1;
    for (const [i, command] of pipeline.commands.entries()) {
      const collector = i < last ? new Collector() : null;
      status = await this.runCommand(command, { ...io, stdin, stdout: collector ? collector.stream : io.stdout });
      if (collector) stdin = collector.text();
      if (this.exitStatus !== null) break;
    }
    this.status = pipeline.negated ? (status === 0 ? 1 : 0) : status;
  }

  private async runCommand(command: SimpleCommand, io: Io): Promise<number> {
    if (io.signal.aborted) throw new Interrupted();
    const expand = this.expandContext();
    const argv = expandWords(command.words, expand);
    const assignments = command.assignments.map((a) => [a.name, expandWord(a.value, expand)] as const);
    const redirected = applyRedirects(command.redirects, io, this.host.fs, expand);
    try {
      if (!redirected.ok) {
        io.stderr.write(`${redirected.message}\n`);
        return 1;
      }
      if (argv.length === 0) {
        // `NAME=value` alone sets a shell variable (exported if it already was).
        for (const [name, value] of assignments) this.setVar(name, value, false);
        return 0;
      }
      return await this.dispatch(argv, redirected.io, { ...this.environment(), ...Object.fromEntries(assignments) });
    } finally {
      for (const sink of redirected.sinks) {
        try {
          sink.flush();
        } catch (e) {
          io.stderr.write(`bash: ${shellQuote(sink.path, 'unprintable')}: ${escapeTerminalText(describeFsError(e))}\n`);
        }
      }
    }
  }

  private async dispatch(argv: readonly string[], io: Io, env: Record<string, string>): Promise<number> {
    const [name, ...args] = argv as [string, ...string[]];
    const found = this.lookup(name);
    const program = found.kind === 'program' ? found.path : found.kind === 'pip' || found.kind === 'python' ? found.program : null;
    const ctx = commandContext(io, { cwd: this.cwdPath, env, program });
    const host = this.host;
    switch (found.kind) {
      case 'missing':
        io.stderr.write(`${found.message}\n`);
        return found.status;
      case 'builtin': {
        const builtin = BUILTINS.get(found.name)!;
        const builtinCtx: BuiltinContext = { ...ctx, shell: this.state };
        return this.invoke(name, io, () => builtin(args, builtinCtx));
      }
      case 'pip':
        return this.invoke(name, io, () => host.pip(args, ctx));
      case 'program':
        return this.invoke(name, io, () => host.runProgram(found.path, argv, ctx));
      case 'tool':
        return this.invoke(name, io, () => host.runTool!(found.name, args, ctx));
      case 'python': {
        const route = routePython(args, this.cwdPath, io.stdin !== null);
        switch (route.kind) {
          case 'pip':
            return this.invoke(name, io, () => host.pip(route.argv, ctx));
          case 'venv':
            return this.invoke(name, io, () => host.createVenv(route.request, ctx));
          case 'python':
            return this.invoke(name, io, () => host.python(route.invocation, ctx));
          case 'usage':
            if (route.stdout) io.stdout.write(route.stdout);
            if (route.stderr) io.stderr.write(route.stderr);
            return route.status;
        }
      }
    }
  }

  /**
   * Runs a command and waits for it, unless Ctrl+C comes first: then the shell stops waiting
   * (the command sees `ctx.signal` aborted and should stop too). A command that throws is
   * reported like a crashed program (`pip: <message>`, status 1) rather than ending the shell.
   */
  private async invoke(name: string, io: Io, run: () => number | Promise<number>): Promise<number> {
    if (io.signal.aborted) throw new Interrupted();
    let status: number;
    // Only the outermost command of a line races Ctrl+C: one listener per line's signal,
    // however deep `source` and `xargs` nest (a nested command still stops at the next abort check).
    const outermost = !this.racing.has(io.signal);
    if (outermost) this.racing.add(io.signal);
    try {
      const running = Promise.resolve().then(run);
      status = await (outermost ? untilAborted(running, io.signal) : running);
    } catch (e) {
      if (e instanceof Interrupted || io.signal.aborted) throw e instanceof Interrupted ? e : new Interrupted();
      // Never `[object Object]`: Pyodide's filesystem throws ErrnoError objects (errno text).
      io.stderr.write(`${shellQuote(name, 'unprintable')}: ${escapeTerminalText(describeFsError(e))}\n`);
      return 1;
    } finally {
      if (outermost) this.racing.delete(io.signal);
    }
    if (io.signal.aborted) throw new Interrupted();
    return status;
  }

  private expandContext(): ExpandContext {
    return {
      lookup: (name) => {
        if (name === '?') return String(this.status);
        if (name === '#') return '0';
        if (name === '0') return 'bash';
        return this.vars.get(name);
      },
      home: this.vars.get('HOME') ?? this.host.home,
      cwd: this.cwdPath,
      fs: this.host.fs,
    };
  }

  private makeState(): ShellState {
    const shell = this; // for the getters below
    return {
      host: this.host,
      fs: this.host.fs,
      history: this.history,
      get cwd() {
        return shell.cwdPath;
      },
      get lastStatus() {
        return shell.status;
      },
      chdir: (path) => {
        this.cwdPath = path;
      },
      getVar: (name) => this.vars.get(name),
      setVar: (name, value, options) => this.setVar(name, value, options?.export ?? false),
      unsetVar: (name) => {
        this.vars.delete(name);
        this.exportedNames.delete(name);
      },
      exportVar: (name) => {
        this.exportedNames.add(name);
        if (!this.vars.has(name)) this.vars.set(name, '');
      },
      exported: () => this.environment(),
      lookup: (name) => this.lookup(name),
      builtinNames: () => [...BUILTINS.keys()],
      runArgv: (argv, ctx) => this.dispatch(argv, ioOf(ctx), { ...ctx.env }),
      runText: (text, ctx, options) => this.runText(text, ctx, options),
      get sourceDepth() {
        return shell.sourceDepth;
      },
      requestExit: (status) => {
        this.exitStatus = status;
      },
    };
  }

  private async runText(text: string, ctx: CommandContext, options: { sourced?: boolean } = {}): Promise<number> {
    let script: Script;
    try {
      script = parseScript(text);
    } catch (e) {
      if (!(e instanceof ShellParseError)) throw e;
      ctx.stderr(`${escapeTerminalText(e.reason)}\n`);
      return 2;
    }
    if (options.sourced) this.sourceDepth++;
    try {
      return await this.runScript(script, ioOf(ctx));
    } finally {
      if (options.sourced) this.sourceDepth--;
    }
  }
}

function classify(path: string): CommandLookup {
  const name = baseName(path);
  if (PIP.test(name)) return { kind: 'pip', program: path };
  if (PYTHON.test(name)) return { kind: 'python', program: path };
  return { kind: 'program', path };
}

/** The promise's outcome, or Interrupted as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Interrupted());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
