import { escapeTerminalText } from '../../pep';
import { readTextChecked } from '../fs-text';
import type { History } from '../history';
import type { CommandContext, ShellFs, ShellHost } from '../host';
import { OptionError, parseOptions, type OptionSpec, type ParsedOptions } from '../options';
import { resolvePath } from '../path';

/** How a command name resolves (bash's order: builtins, then PATH, then the host's own). */
export type CommandLookup =
  | { readonly kind: 'builtin'; readonly name: string }
  /** pip or python: `program` is the file found (a venv's `bin/pip`), null for the host's own. */
  | { readonly kind: 'pip' | 'python'; readonly program: string | null }
  /** Any other file found on PATH or named by a path: a console script. */
  | { readonly kind: 'program'; readonly path: string }
  /** A program the host provides itself when none is on PATH (`twine`: Pipette's twine check). */
  | { readonly kind: 'tool'; readonly name: string }
  /** Not runnable: bash's message and status (127 not found, 126 a directory). */
  | { readonly kind: 'missing'; readonly message: string; readonly status: number };

/** The shell as the builtins see it: its state and the means to run more commands. */
export interface ShellState {
  readonly host: ShellHost;
  readonly fs: ShellFs;
  readonly history: History;
  readonly cwd: string;
  chdir(path: string): void;
  getVar(name: string): string | undefined;
  setVar(name: string, value: string, options?: { export?: boolean }): void;
  unsetVar(name: string): void;
  exportVar(name: string): void;
  /** Exported variables, sorted by name. */
  exported(): Record<string, string>;
  lookup(name: string): CommandLookup;
  builtinNames(): readonly string[];
  /** Runs one command by its argv, as xargs does (no expansion, no redirects). */
  runArgv(argv: readonly string[], ctx: CommandContext): Promise<number>;
  /** Runs shell text in this shell; `sourced` counts one level of `source FILE` nesting. */
  runText(text: string, ctx: CommandContext, options?: { sourced?: boolean }): Promise<number>;
  /** How many `source` commands are running inside each other now. */
  readonly sourceDepth: number;
  /** `exit N`: the rest of the line is not run, and run() reports exit. */
  requestExit(status: number): void;
  /** `$?` before this command. */
  readonly lastStatus: number;
}

export interface BuiltinContext extends CommandContext {
  readonly shell: ShellState;
}

export type Builtin = (args: readonly string[], ctx: BuiltinContext) => number | Promise<number>;

/**
 * Parses a builtin's options; on a mistake, writes GNU's two lines
 * (`ls: invalid option -- 'z'` / `Try 'ls --help' for more information.`) and returns null.
 */
export function options(name: string, args: readonly string[], spec: OptionSpec, ctx: CommandContext): ParsedOptions | null {
  try {
    return parseOptions(args, spec);
  } catch (e) {
    if (!(e instanceof OptionError)) throw e;
    ctx.stderr(`${name}: ${e.message}\nTry '${name} --help' for more information.\n`);
    return null;
  }
}

/** Splits text into lines without the final empty one. Ex) 'a\nb\n' -> ['a', 'b'] */
export function lines(text: string): string[] {
  if (text === '') return [];
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
}

/**
 * Each operand's text (`-` or none = stdin); unreadable ones are reported and skipped
 * (`failed`). `why` is strerror's text (`Is a directory`, `Operation not supported`); the
 * message is written escaped, whatever `cannotOpen` makes of the name (quote it with
 * shellQuote, as coreutils does).
 */
export function readInputs(ctx: BuiltinContext, names: readonly string[], cannotOpen: (name: string, why: string) => string): { files: { name: string; text: string }[]; failed: boolean } {
  const files: { name: string; text: string }[] = [];
  let failed = false;
  for (const name of names.length > 0 ? names : ['-']) {
    if (name === '-') {
      files.push({ name: 'standard input', text: ctx.stdin ?? '' });
      continue;
    }
    const read = readTextChecked(ctx.shell.fs, resolvePath(ctx.cwd, name));
    if (!read.ok) {
      ctx.stderr(escapeTerminalText(cannotOpen(name, read.reason)));
      failed = true;
    } else {
      files.push({ name, text: read.text });
    }
  }
  return { files, failed };
}
