/**
 * `python ...` and console scripts, as the terminal's shell runs them: in the environment the
 * program belongs to. A venv's `bin/python` (and a script whose `#!` names it) runs in that venv
 * whether or not it is activated, as on a real system, where `venv/bin/python` finds its
 * `pyvenv.cfg` (PEP 405) and `sys.prefix` is the venv; plain `python` runs in the active one.
 * There is one interpreter per tab, so it is pointed at that venv for the run and back after.
 */
import { escapeTerminalText } from '../pep';
import { shellQuote, type CommandContext, type PythonInvocation } from '../shell';
import type { LineAnswer, LineRequest } from './api';
import type { Environment } from './environments';
import type { InteractiveIo, PythonIo, PythonProgram } from './python-runner';
import type { RuntimeSession } from './session';
import { isVenv } from './venv-layout';

/** What the page lends a running program: `input()`'s line, and prompts of its own (the REPL's). */
export interface ProgramHooks {
  /** What the person typed for `input()` (a line, Ctrl+D, Ctrl+C). Absent: input() sees end of input. */
  readLine?(): LineAnswer;
  /** A line typed at the program's own prompt (`>>> `), edited like the shell's. Absent: no REPL. */
  prompt?(request: LineRequest): Promise<LineAnswer>;
}

const PYTHON_HELP = `usage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...
Options (and corresponding environment variables):
-c cmd : program passed in as string (terminates option list)
-i     : inspect interactively after running script
-m mod : run library module as a script (terminates option list)
-q     : don't print version and copyright messages on interactive startup
-V     : print the Python version number and exit (also --version)
file   : program read from script file
-      : program read from stdin (default; interactive mode if a tty)
`;

export class PythonCommand {
  constructor(
    private readonly session: RuntimeSession,
    private readonly hooks: ProgramHooks,
  ) {}

  /** `python ARGV...` as routePython parsed it; `ctx.program` is the python file named (`venv/bin/python`), if any. */
  async run(invocation: PythonInvocation, ctx: CommandContext): Promise<number> {
    const fs = this.session.fs;
    switch (invocation.kind) {
      case 'version':
        ctx.stdout(`Python ${this.session.info.pythonVersion}\n`);
        return 0;
      case 'help':
        ctx.stdout(PYTHON_HELP);
        return 0;
      case 'repl':
        return this.inEnvironmentOf(ctx, ctx.program, () => this.interact(null, invocation.options, ctx));
      case 'stdin':
        return this.inEnvironmentOf(ctx, ctx.program, () => this.runProgram({ kind: 'code', code: ctx.stdin ?? '', args: invocation.args }, { ...ctx, stdin: '' }));
      case 'code':
      case 'module': {
        // `python -m build`: the real build package, its isolated environments and hooks made
        // possible in a tab by src/build (no venv, no subprocess), in the environment this
        // python belongs to.
        if (invocation.kind === 'module' && invocation.module === 'build' && !inspect(invocation.options)) {
          const args = invocation.args;
          return this.inEnvironmentOf(ctx, ctx.program, () =>
            this.session.hasModule('build') ? this.session.buildCommand(args, { stdout: ctx.stdout, stderr: ctx.stderr }, { cwd: ctx.cwd, env: ctx.env, signal: ctx.signal }) : this.runProgram({ kind: 'module', module: 'build', args }, ctx),
          );
        }
        const program: PythonProgram = invocation.kind === 'code' ? { kind: 'code', code: invocation.code, args: invocation.args } : { kind: 'module', module: invocation.module, args: invocation.args };
        return this.inEnvironmentOf(ctx, ctx.program, () => (inspect(invocation.options) ? this.interact(program, invocation.options, ctx) : this.runProgram(program, ctx)));
      }
      case 'script': {
        if (!fs.exists(invocation.path) || fs.isDirectory(invocation.path)) {
          ctx.stderr(`python: can't open file '${escapeTerminalText(invocation.path)}': [Errno 2] No such file or directory\n`);
          return 2;
        }
        const program: PythonProgram = { kind: 'script', path: invocation.path, args: invocation.args };
        return this.inEnvironmentOf(ctx, ctx.program, () => (inspect(invocation.options) ? this.interact(program, invocation.options, ctx) : this.runProgram(program, ctx)));
      }
    }
  }

  /**
   * A program found on PATH or by its path that is not pip or python: a console script, run by
   * the python its `#!` line names (a venv's: in that venv). Anything else is not runnable here.
   */
  async runFile(path: string, argv: readonly string[], ctx: CommandContext): Promise<number> {
    const data = this.session.fs.readFile(path);
    const firstLine = data ? new TextDecoder().decode(data.subarray(0, 256)).split('\n')[0]! : '';
    const shebang = /^#!\s*(\S+)/.exec(firstLine);
    if (!shebang || !/python/.test(firstLine)) {
      ctx.stderr(`bash: ${shellQuote(argv[0] ?? path, 'unprintable')}: cannot execute binary file\n`);
      return 126;
    }
    // A console-script launcher (pip's, with `#!<env>/bin/python`): run it as that script.
    return this.inEnvironmentOf(ctx, shebang[1]!, () => this.runProgram({ kind: 'script', path, args: argv.slice(1), argv0: path }, ctx));
  }

  private async runProgram(program: PythonProgram, ctx: CommandContext): Promise<number> {
    return this.session.runner.run(program, this.io(ctx), { cwd: ctx.cwd, stdin: ctx.stdin });
  }

  /** The interactive interpreter (after `program` with `-i`): lines typed at `>>> ` on the page. */
  private async interact(program: PythonProgram | null, options: readonly string[], ctx: CommandContext): Promise<number> {
    const prompt = this.hooks.prompt;
    if (!prompt) {
      ctx.stderr("python: the interactive interpreter needs the page's terminal. Run code with python -c 'CODE' or a file with python FILE.\n");
      return 1;
    }
    const io: InteractiveIo = { ...this.io(ctx), prompt: (request) => prompt(request) };
    // CPython prints its banner for the REPL alone, not after a program (`-i FILE`), not with -q.
    const banner = program === null && !options.includes('-q');
    return this.session.runner.interact(io, { cwd: ctx.cwd, argv: [''], banner, ...(program ? { program } : {}) });
  }

  private io(ctx: CommandContext): PythonIo {
    return {
      stdout: ctx.stdout,
      stderr: ctx.stderr,
      ...(ctx.stdin === null && this.hooks.readLine ? { readLine: this.hooks.readLine } : {}),
    };
  }

  /**
   * Runs `f` with the interpreter in the environment `python` belongs to (`/home/u/venv/bin/python`
   * -> the venv at /home/u/venv), then puts the active one back; then the workspace is saved
   * (files the program wrote). Plain `python` (null) runs in the active environment.
   */
  private async inEnvironmentOf(ctx: CommandContext, python: string | null, f: () => Promise<number>): Promise<number> {
    const environments = this.session.environments;
    const active = environments.active;
    const target = this.venvOf(python);
    // The .pyc files the cache holds for wheels just installed or restored go in first (idle-bytecode.ts).
    await this.session.idleBytecode.settle();
    let status: number;
    if (target === null || target === active.prefix) {
      status = await f();
    } else {
      const env: Environment | null = environments.activate(target);
      try {
        status = await f();
      } finally {
        if (env) environments.switchTo(active);
      }
    }
    const problem = await this.session.workspace.save();
    if (problem) ctx.stderr(`WARNING: ${escapeTerminalText(problem)}\n`);
    return status;
  }

  /** `PREFIX` of `PREFIX/bin/python3` when PREFIX holds a venv (its pyvenv.cfg); else null. */
  private venvOf(python: string | null): string | null {
    if (!python) return null;
    const m = /^(.*)\/bin\/[^/]+$/.exec(python);
    if (!m || m[1] === '') return null;
    return isVenv(this.session.fs, m[1]!) ? m[1]! : null;
  }
}

/** `-i` among python's options (routePython lists clustered flags one by one: `-qi` -> `-q`, `-i`). */
function inspect(options: readonly string[]): boolean {
  return options.includes('-i');
}
