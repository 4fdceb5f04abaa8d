import type { FileSystem } from '../install';
import type { VenvCreateRequest } from './venv-args';

/**
 * What the shell needs from the world around it: a filesystem, the user's identity, and the
 * programs it cannot run itself (pip, python, console scripts, venvs). The worker implements it
 * over Pyodide; tests implement it over MemoryShellFs with scripted programs. The shell never
 * imports Pyodide: everything Python goes through these hooks.
 */
export interface ShellHost {
  readonly fs: ShellFs;
  /** `user` in `user@pipette:~$`, and the owner column of `ls -l`. */
  readonly user: string;
  /** `pipette` in `user@pipette:~$`. */
  readonly hostname: string;
  /** `~`, `$HOME`, and where `cd` with no argument goes. */
  readonly home: string;
  /** Environment variables the session starts with; HOME, USER, PWD and PATH are filled in when absent. */
  readonly env?: Readonly<Record<string, string>>;
  /** The terminal's width, for `ls` columns; 80 when absent. */
  columns?(): number;

  /**
   * `pip ARGV...`, `pip3 ...`, `python -m pip ...` and `venv/bin/pip ...`. `ctx.program` says
   * which pip was named (null: the plain `pip` the host provides, found through no file), so a
   * venv's pip can act on that venv without activating it.
   */
  pip(argv: readonly string[], ctx: CommandContext): Promise<number>;
  /** `python ...` other than `-m pip` and `-m venv`, already parsed (see routePython). */
  python(invocation: PythonInvocation, ctx: CommandContext): Promise<number>;
  /** `python -m venv [--clear] [--without-pip] [--prompt P] DIR...`: creates each environment. */
  createVenv(request: VenvRequest, ctx: CommandContext): Promise<number>;
  /**
   * A program found on PATH (or named by a path) that is not pip or python: a console script in
   * an environment's `bin/`. `argv[0]` is the name as typed (execve's convention). The host
   * reads the file and decides how to run it; a file it cannot run answers 126 with
   * `bash: PATH: cannot execute binary file`.
   */
  runProgram(path: string, argv: readonly string[], ctx: CommandContext): Promise<number>;

  /** The environment pip and python act on when no path names another: null = the base one. */
  activeVenv(): VenvInfo | null;
  /**
   * `source PREFIX/bin/activate` (the shell checks `PREFIX/pyvenv.cfg` first, PEP 405): the host
   * makes PREFIX the environment pip and python use. Non-zero = refused (message on ctx.stderr).
   */
  activate(prefix: string, ctx: CommandContext): Promise<number>;
  /** `deactivate`: back to the base environment. */
  deactivate(ctx: CommandContext): Promise<number>;
  /** `clear` and Ctrl+L: the terminal clears its screen. */
  clear(): void;
  /** Installed distribution names, for completing `pip uninstall` and `pip show`. */
  installedNames?(): Promise<readonly string[]>;
  /** The pip subcommands `pip <Tab>` offers (Pipette's extras too); pip's own list when absent. */
  readonly pipCommands?: readonly string[];
  /**
   * Programs the host runs itself when no file of that name is on PATH (`twine`, whose upload
   * cannot work in a tab but whose checks can): found after PATH, like a command on it.
   */
  readonly tools?: readonly string[];
  runTool?(name: string, argv: readonly string[], ctx: CommandContext): Promise<number>;
}

/**
 * The shell's filesystem: the installer's (so PyodideFs serves both) plus `stat` for `ls -l`.
 * Without `stat`, sizes come from reading the file and times are unknown.
 */
export interface ShellFs extends FileSystem {
  stat?(path: string): ShellStat | null;
  /**
   * True for a symbolic link itself (not followed; a dangling one too). Commands that walk or
   * delete trees check it so that nothing is reached through a link. Absent: no links.
   */
  isSymlink?(path: string): boolean;
}

export interface ShellStat {
  readonly kind: 'file' | 'directory';
  readonly size: number;
  /** Modification time (ms since the epoch), null when the filesystem does not keep one. */
  readonly mtimeMs: number | null;
  readonly executable: boolean;
}

/** Where a command's output goes: the terminal, a pipe, or a redirected file. */
export type Writer = (text: string) => void;

/** One running command's view: its streams, directory, environment, and cancellation. */
export interface CommandContext {
  readonly cwd: string;
  /** Exported variables, plus `NAME=value` prefixes of this command. */
  readonly env: Readonly<Record<string, string>>;
  /** What was piped or redirected in; null = the terminal (nothing to read). */
  readonly stdin: string | null;
  readonly stdout: Writer;
  readonly stderr: Writer;
  /** True when stdout is the terminal (not a pipe or a file): `ls` prints columns then. */
  readonly stdoutIsTerminal: boolean;
  /** Aborted by Ctrl+C; the shell stops waiting at once, prints `^C`, and the status is 130. */
  readonly signal: AbortSignal;
  /** The file the command was found as (`/home/u/venv/bin/pip`), or null for the host's own. */
  readonly program: string | null;
}

/** `python ARGV...` as CPython reads its command line (`python --help`, "usage"). */
export type PythonInvocation =
  /** `python -c CODE [ARG...]`: sys.argv = ['-c', ...args]. */
  | { readonly kind: 'code'; readonly code: string; readonly args: readonly string[]; readonly options: readonly string[] }
  /** `python -m MODULE [ARG...]` (not pip, not venv): sys.argv[0] is the module's file. */
  | { readonly kind: 'module'; readonly module: string; readonly args: readonly string[]; readonly options: readonly string[] }
  /** `python FILE [ARG...]`, FILE absolute; `python -` or piped stdin runs ctx.stdin. */
  | { readonly kind: 'script'; readonly path: string; readonly args: readonly string[]; readonly options: readonly string[] }
  | { readonly kind: 'stdin'; readonly args: readonly string[]; readonly options: readonly string[] }
  /** `python` alone at the terminal: the interactive interpreter. */
  | { readonly kind: 'repl'; readonly options: readonly string[] }
  /** `python -V` / `--version`, `python -h` / `--help`. */
  | { readonly kind: 'version' | 'help' };

/** `python -m venv ...`, with directories made absolute. */
export type VenvRequest = VenvCreateRequest;

export interface VenvInfo {
  /** What the prompt shows in parentheses: `(venv)`. */
  readonly name: string;
  /** The environment's directory, absolute. */
  readonly prefix: string;
}
