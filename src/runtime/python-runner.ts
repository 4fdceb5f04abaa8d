import type { PyodideAPI } from 'pyodide';
import type { Completion, LineAnswer, LineRequest } from './api';
import { atomicInterruptView } from './interrupt-signal';
import { MODULE_PLACES_PY } from './py-namespace';
import { invalidateImportCaches } from './import-caches';
import { PROGRAM_HELPERS_PY } from './python-program';
import { ReplFactory, type ReplSession } from './python-repl';

/** Where a running Python program's standard streams go, and where its input comes from. */
export interface PythonIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * A line typed by the person for `input()` / `sys.stdin.readline()` (without blocking the page:
   * the worker waits on a SharedArrayBuffer the page fills, or on the terminal relay). End of
   * input: EOFError; Ctrl+C: KeyboardInterrupt.
   */
  readLine?(): LineAnswer;
}

/** What to run, as `python` would be asked to run it (see src/shell PythonInvocation). */
export type PythonProgram =
  | { readonly kind: 'code'; readonly code: string; readonly args: readonly string[] }
  | { readonly kind: 'module'; readonly module: string; readonly args: readonly string[] }
  | { readonly kind: 'script'; readonly path: string; readonly args: readonly string[]; readonly argv0?: string };

/** The interactive interpreter's streams: a program's, plus the prompt the REPL reads its lines at. */
export interface InteractiveIo extends PythonIo {
  /** Shows `>>> ` / `... ` and resolves to what the person typed there (edited on the page). */
  prompt(request: LineRequest): Promise<LineAnswer>;
}

export interface InteractiveOptions {
  /** The working directory (the shell's). */
  readonly cwd: string;
  /** `sys.argv`: `['']` for `python` alone (CPython's). */
  readonly argv: readonly string[];
  /** CPython's banner first (not with `-q`, nor after a program: `python -i FILE`). */
  readonly banner: boolean;
  /** `python -i`: this program runs first, in the REPL's `__main__`. */
  readonly program?: PythonProgram;
}

export interface RunOptions {
  /** The working directory (the shell's). */
  readonly cwd: string;
  /** Text piped in (`cat data | python x.py`): becomes sys.stdin; null = the terminal. */
  readonly stdin: string | null;
}

// Runs a program as CPython's main would: sys.argv set, __main__ module, then the endings of
// python-program.ts. Compiled once per interpreter under the file name <pipette>, which is how
// its frames are recognised.
const RUNNER_SOURCE = `${PROGRAM_HELPERS_PY}${MODULE_PLACES_PY}
def __pipette_forget_program_modules():
    # A new python process has imported nothing of the person's own code: modules from outside
    # the interpreter's and the environment's lib folders (the home folder, an editable
    # project's source) are imported afresh by each run, so an edit takes effect.
    import os, sys
    keep = tuple(sorted({os.path.normpath(os.path.join(p, "lib")) + "/" for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}))
    for name, module in list(sys.modules.items()):
        if module is None or name == "__main__":
            continue
        places = __pipette_module_places(module)
        if places and not all(os.path.normpath(p).startswith(keep) for p in places):
            del sys.modules[name]

def __pipette_run(kind, target, args, cwd, stdin_text):
    import io, os, runpy, sys, traceback
    __pipette_forget_program_modules()
    saved_argv, saved_stdin = sys.argv[:], sys.stdin
    try:
        os.chdir(cwd)
    except OSError:
        pass
    if stdin_text is not None:
        sys.stdin = io.StringIO(stdin_text)
    try:
        if kind == "code":
            sys.argv = ["-c", *args]
            exec(compile(target, "<string>", "exec"), {"__name__": "__main__", "__builtins__": __builtins__})
        elif kind == "module":
            sys.argv = [target, *args]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        else:
            sys.argv = [args[0], *args[1:]]
            runpy.run_path(target, run_name="__main__")
        return 0
    except SystemExit as e:
        return _exit_status(e)
    except BaseException as e:
        return _show_exception(e, kind)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.argv, sys.stdin = saved_argv, saved_stdin
`;

/**
 * Owns the interpreter's standard streams: output goes, as it is written, to whichever
 * program is running (the terminal, a pipe, a redirect), and `input()` asks the person.
 */
export class PythonRunner {
  private io: PythonIo | null = null;
  private readonly decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private pendingInput: Uint8Array = new Uint8Array();
  private compiled = false;
  private repls: ReplFactory | null = null;
  /** The REPL session waiting at its prompt or running a statement, if any (Tab asks it). */
  private session: ReplSession | null = null;

  /** A Ctrl+C typed at input()'s prompt, for the next signal check to raise. */
  private interruptPending = false;
  /** Whether Pyodide checks for Ctrl+C at all (an interrupt source was given). */
  private interruptible = false;

  constructor(private readonly pyodide: PyodideAPI) {
    pyodide.setStdout({ write: (bytes: Uint8Array) => this.emit('stdout', bytes), isatty: false });
    pyodide.setStderr({ write: (bytes: Uint8Array) => this.emit('stderr', bytes), isatty: false });
    pyodide.setStdin({ read: (buffer: Uint8Array) => this.read(buffer) });
  }

  /**
   * Ctrl+C's buffer (Pyodide's interrupt buffer: 2 raises KeyboardInterrupt in running Python),
   * given to Pyodide through a view that reads and clears it atomically (interrupt-signal.ts).
   */
  setInterruptBuffer(buffer: Int32Array): void {
    this.setInterruptSource(atomicInterruptView(buffer));
  }

  /**
   * Where Ctrl+C is read from: an object whose `[0]` CPython's Emscripten signal check reads (and
   * which clears itself as it is read): the shared buffer's atomic view, or the terminal relay's
   * (terminal-relay.ts). A Ctrl+C typed at input()'s prompt is raised from here too (see read).
   */
  setInterruptSource(source: { readonly [index: number]: number }): void {
    const runner = this;
    this.interruptible = true;
    this.pyodide.setInterruptBuffer({
      get 0(): number {
        if (!runner.interruptPending) return source[0] ?? 0;
        runner.interruptPending = false;
        return 2; // SIGINT
      },
      set 0(_cleared: number) {
        // The check's clear after its read: each source cleared as it was read.
      },
    } as unknown as Int32Array);
  }

  /** Whether the interactive interpreter is running (at its prompt or in a statement). */
  get interactive(): boolean {
    return this.session !== null;
  }

  /**
   * CPython's interactive interpreter (python-repl.ts): prompts, statements and Ctrl+C until
   * Ctrl+D, `exit()` or `exit`; resolves to the exit status (`exit(3)`: 3). Each line is awaited
   * from the page, so the worker answers Tab (`complete`) while the person types.
   */
  async interact(io: InteractiveIo, options: InteractiveOptions): Promise<number> {
    this.repls ??= new ReplFactory(this.pyodide);
    if (this.session) {
      io.stderr('python: the interactive interpreter is already running in this terminal.\n');
      return 1;
    }
    // A new interpreter has imported none of the person's own modules (as for a program's run).
    this.forgetProgramModules();
    const repl = this.withIo(io, () => this.repls!.open(options.cwd, options.argv));
    this.session = repl;
    try {
      const program = options.program;
      if (program) {
        const args = program.kind === 'script' ? [program.argv0 ?? program.path, ...program.args] : [...program.args];
        const target = program.kind === 'code' ? program.code : program.kind === 'module' ? program.module : program.path;
        this.withIo(io, () => repl.runProgram(program.kind, target, args));
      }
      if (options.banner) io.stdout(this.repls.banner());
      let more = false;
      for (;;) {
        const answer = await io.prompt({ prompt: repl.prompt(more), kind: 'python' });
        if (answer.kind === 'eof') return 0;
        if (answer.kind === 'interrupt') {
          this.withIo(io, () => repl.interrupt());
          more = false;
          continue;
        }
        // A Ctrl+C from before this statement was cleared by the page when it answered the
        // prompt (ui terminal-controller), in the tick of the Enter; clearing it here, when the
        // line arrives, would wipe a Ctrl+C pressed while it was on its way (seen under load).
        const status = this.withIo(io, () => repl.push(answer.text));
        if (status >= 0) return status;
        more = status === -1;
      }
    } finally {
      this.session = null;
      repl.close();
      invalidateImportCaches(this.pyodide);
    }
  }

  /** Tab at the REPL's prompt: rlcompleter's candidates in the REPL's namespace (none when no REPL runs). */
  complete(line: string, cursor: number): Completion {
    if (!this.session) return { replaceFrom: cursor, candidates: [] };
    return this.session.complete(line, cursor);
  }

  /** Points the streams at `io` (null: discard) and returns what they pointed at before. */
  swapIo(io: PythonIo | null): PythonIo | null {
    const outer = this.io;
    this.io = io;
    return outer;
  }

  /** Runs `f` with the streams pointed at `io`; nested calls restore the outer streams. */
  withIo<T>(io: PythonIo, f: () => T): T {
    const outer = this.io;
    this.io = io;
    try {
      return f();
    } finally {
      this.io = outer;
    }
  }

  /** Runs a program to completion and returns its exit status (0 ok, 1 uncaught exception, n from SystemExit). */
  run(program: PythonProgram, io: PythonIo, options: RunOptions): number {
    this.compile();
    const fn = this.pyodide.globals.get('__pipette_run') as ((...a: unknown[]) => number) & { destroy(): void };
    const args = program.kind === 'script' ? [program.argv0 ?? program.path, ...program.args] : [...program.args];
    const target = program.kind === 'code' ? program.code : program.kind === 'module' ? program.module : program.path;
    const pyArgs = this.pyodide.toPy(args) as { destroy(): void };
    try {
      return this.withIo(io, () => Number(fn(program.kind, target, pyArgs, options.cwd, options.stdin ?? undefined)));
    } finally {
      pyArgs.destroy();
      fn.destroy();
      invalidateImportCaches(this.pyodide);
    }
  }

  /** Before code runs as a new program would (the editor's Run): forget the person's modules. */
  forgetProgramModules(): void {
    this.compile();
    this.pyodide.runPython('__pipette_forget_program_modules()');
  }

  private compile(): void {
    if (!this.compiled) {
      this.pyodide.runPython(`exec(compile(${JSON.stringify(RUNNER_SOURCE)}, "<pipette>", "exec"), globals())`);
      this.compiled = true;
    }
  }

  private emit(stream: 'stdout' | 'stderr', bytes: Uint8Array): number {
    const text = this.decoders[stream].decode(bytes, { stream: true });
    if (text) this.io?.[stream](text);
    return bytes.length;
  }

  /** stdin for the interpreter: a typed line at a time, through the running program's io. */
  private read(buffer: Uint8Array): number {
    if (this.pendingInput.length === 0) {
      const answer = this.io?.readLine?.() ?? ({ kind: 'eof' } as const);
      if (answer.kind === 'eof') return 0;
      if (answer.kind === 'interrupt') {
        if (!this.interruptible) return 0; // nowhere for a Ctrl+C to be read from: end of input
        // As a terminal's Ctrl+C does: the read fails with EINTR, and CPython's read loop
        // (_Py_read) checks signals before it retries, finds SIGINT pending here and raises
        // KeyboardInterrupt from input().
        this.interruptPending = true;
        throw Object.assign(new Error('input() interrupted by Ctrl+C'), { code: 'EINTR' });
      }
      const line = answer.text;
      this.pendingInput = new TextEncoder().encode(line.endsWith('\n') ? line : `${line}\n`);
    }
    const n = Math.min(buffer.length, this.pendingInput.length);
    buffer.set(this.pendingInput.subarray(0, n));
    this.pendingInput = this.pendingInput.subarray(n);
    return n;
  }
}
