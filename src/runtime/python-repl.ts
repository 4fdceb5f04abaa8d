import type { PyodideAPI } from 'pyodide';
import type { PyCallable, PyProxy } from 'pyodide/ffi';
import { PROGRAM_HELPERS_PY } from './python-program';
import { newNamespace } from './py-namespace';

/**
 * CPython's interactive interpreter, as `python` starts it in a terminal: the standard
 * library's own `code.InteractiveConsole` (compiles each statement in "single" mode, so an
 * expression's value is printed by `sys.displayhook` and kept in `_`; a traceback shows
 * `File "<stdin>", line 1`), in a fresh `__main__` module, with `sys.ps1`/`sys.ps2` as the
 * prompts and `rlcompleter` for Tab. The loop that reads lines is the caller's: a line is typed
 * on the page, so waiting for it must not block the worker (and Tab must be answered meanwhile).
 *
 * As `code.interact(local_exit=True)` does (bpo-43528), `exit()` and `quit()` end this REPL
 * without closing `sys.stdin`, which the next program still reads; as CPython 3.13's REPL does,
 * `exit` or `quit` alone on a line end it too.
 */
const REPL_PY = `${PROGRAM_HELPERS_PY}
import builtins, code, json, os, rlcompleter, sys, types

class Quitter:
    def __init__(self, name):
        self.name = name
    def __repr__(self):
        return f"Use {self.name} or Ctrl-D (i.e. EOF) to exit"
    def __call__(self, code=None):
        raise SystemExit(code)

# readline's completer delimiters for Python (all non-alphanumerics but '.'), as pyodide.console uses them.
BREAKS = " \\t\\n\`~!@#$%^&*()-=+[{]}\\\\|;:'\\",<>/?"
MISSING = object()

class Repl:
    def __init__(self, cwd, argv):
        self.module = types.ModuleType("__main__")
        self.module.__dict__["__builtins__"] = builtins
        self.console = code.InteractiveConsole(self.module.__dict__, filename="<stdin>")
        self.completer = rlcompleter.Completer(self.module.__dict__)
        self.saved = (sys.modules.get("__main__", MISSING), sys.argv[:], builtins.exit, builtins.quit, getattr(sys, "ps1", MISSING), getattr(sys, "ps2", MISSING))
        sys.modules["__main__"] = self.module
        sys.argv = list(argv)
        builtins.exit = Quitter("exit()")
        builtins.quit = Quitter("quit()")
        sys.ps1, sys.ps2 = ">>> ", "... "
        try:
            os.chdir(cwd)
        except OSError:
            pass

    def run_program(self, kind, target, args):
        # python -i: the program runs in the REPL's __main__, and whatever it raised (SystemExit
        # too) is shown before the prompt, as CPython does.
        ns = self.module.__dict__
        try:
            if kind == "code":
                sys.argv = ["-c", *args]
                exec(compile(target, "<string>", "exec"), ns)
            elif kind == "script":
                sys.argv = list(args)
                with open(target, "rb") as f:
                    source = f.read()
                ns["__file__"] = target
                exec(compile(source, target, "exec"), ns)
            else:
                import runpy
                sys.argv = [target, *args]
                ns.update(runpy.run_module(target, run_name="__main__", alter_sys=True))
        except BaseException as e:
            _show_exception(e, kind)
        finally:
            self.flush()

    def prompt(self, more):
        return str(sys.ps2 if more else sys.ps1)

    def push(self, line):
        # -1: the statement goes on (sys.ps2); -2: it ran; n >= 0: the REPL ends with status n.
        if not self.console.buffer and line.strip() in ("exit", "quit"):
            return 0
        try:
            return -1 if self.console.push(line) else -2
        except SystemExit as e:
            self.console.resetbuffer()
            return _exit_status(e)
        except KeyboardInterrupt:
            # Ctrl+C landed outside the statement's own code (compiling it): as at the prompt.
            self.console.resetbuffer()
            sys.stderr.write("\\nKeyboardInterrupt\\n")
            return -2
        finally:
            self.flush()

    def interrupt(self):
        # Ctrl+C at the prompt: the statement typed so far is dropped.
        self.console.resetbuffer()
        sys.stderr.write("KeyboardInterrupt\\n")
        self.flush()

    def complete(self, line, cursor):
        text = line[:cursor]
        start = max(text.rfind(c) for c in BREAKS) + 1
        word = text[start:]
        found = []
        if word.strip():
            try:
                state = 0
                while len(found) < 1000:
                    match = self.completer.complete(word, state)
                    if match is None:
                        break
                    if match not in found:
                        found.append(match)
                    state += 1
            except Exception:
                pass
        return json.dumps([start, sorted(found)])

    def flush(self):
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass

    def close(self):
        main, argv, exit_, quit_, ps1, ps2 = self.saved
        if main is MISSING:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = main
        sys.argv = argv
        builtins.exit, builtins.quit = exit_, quit_
        for name, value in (("ps1", ps1), ("ps2", ps2)):
            if value is MISSING:
                if hasattr(sys, name):
                    delattr(sys, name)
            else:
                setattr(sys, name, value)

def banner():
    return f'Python {sys.version} on {sys.platform}\\nType "help", "copyright", "credits" or "license" for more information.\\n'

(Repl, banner)
`;

/** One REPL session's handle (a `Repl` object in the interpreter). */
export interface ReplSession {
  /** `python -i`: runs a program in the REPL's `__main__` first (its traceback, if any, printed). */
  runProgram(kind: 'code' | 'script' | 'module', target: string, args: readonly string[]): void;
  /** `sys.ps1`, or `sys.ps2` inside a statement. */
  prompt(more: boolean): string;
  /** One typed line: -1 more lines wanted, -2 it ran, n >= 0 the REPL ends with exit status n. */
  push(line: string): number;
  /** Ctrl+C at the prompt. */
  interrupt(): void;
  /** rlcompleter's candidates for the word before `cursor`, and where that word starts. */
  complete(line: string, cursor: number): { replaceFrom: number; candidates: string[] };
  /** Puts `__main__`, `sys.argv`, `exit`/`quit` and the prompts back as they were. */
  close(): void;
}

/** Makes REPL sessions in one interpreter (the Python class is compiled once, in its own namespace). */
export class ReplFactory {
  private readonly repl: PyCallable;
  private readonly bannerFn: PyCallable;

  constructor(private readonly pyodide: PyodideAPI) {
    const namespace = newNamespace(pyodide);
    // Compiled as `<pipette>`: its frames are left out of the tracebacks a person sees (python-program.ts).
    const pair = pyodide.runPython(REPL_PY, { globals: namespace, filename: '<pipette>' }) as PyProxy & { get(i: number): PyCallable };
    this.repl = pair.get(0);
    this.bannerFn = pair.get(1);
    pair.destroy();
    namespace.destroy();
  }

  /** CPython's banner: `Python 3.14.2 (main, ...) [Clang ...] on emscripten` and the `Type "help"` line. */
  banner(): string {
    return String(this.bannerFn());
  }

  /** A new session in a fresh `__main__`, with `sys.argv` = `argv`, in `cwd`. */
  open(cwd: string, argv: readonly string[]): ReplSession {
    const pyArgv = this.pyodide.toPy([...argv]) as PyProxy;
    type Method = (...args: unknown[]) => unknown;
    const repl = this.repl(cwd, pyArgv) as PyProxy & Record<'run_program' | 'prompt' | 'push' | 'interrupt' | 'complete' | 'close', Method>;
    pyArgv.destroy();
    return {
      runProgram: (kind, target, args) => {
        const pyArgs = this.pyodide.toPy([...args]) as PyProxy;
        try {
          repl.run_program(kind, target, pyArgs);
        } finally {
          pyArgs.destroy();
        }
      },
      prompt: (more) => String(repl.prompt(more)),
      push: (line) => Number(repl.push(line)),
      interrupt: () => void repl.interrupt(),
      complete: (line, cursor) => {
        const [replaceFrom, candidates] = JSON.parse(String(repl.complete(line, cursor))) as [number, string[]];
        return { replaceFrom, candidates };
      },
      close: () => {
        try {
          repl.close();
        } finally {
          repl.destroy();
        }
      },
    };
  }
}
