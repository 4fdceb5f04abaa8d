/**
 * pip's logging, reproduced: one verbosity number (`-v` count minus `-q` count) chooses what is
 * shown; INFO and VERBOSE go to stdout, WARNING and above to stderr with pip's `WARNING: ` /
 * `ERROR: ` prefix on the first line; `indent()` adds two spaces to every line, as pip's
 * `indent_log` (pip `utils/logging.py` `IndentingFormatter`, `setup_logging`).
 */
import type { PipOutput } from './context';

/** Python logging levels as pip maps verbosity to them (VERBOSE is pip's own, 15). */
export const LogLevel = {
  Debug: 10,
  Verbose: 15,
  Info: 20,
  Warning: 30,
  Error: 40,
  Critical: 50,
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** pip's `setup_logging`: verbosity 2+ DEBUG, 1 VERBOSE, 0 INFO, -1 WARNING, -2 ERROR, else CRITICAL. */
export function levelForVerbosity(verbosity: number): LogLevel {
  if (verbosity >= 2) return LogLevel.Debug;
  if (verbosity === 1) return LogLevel.Verbose;
  if (verbosity === 0) return LogLevel.Info;
  if (verbosity === -1) return LogLevel.Warning;
  if (verbosity === -2) return LogLevel.Error;
  return LogLevel.Critical;
}

export class PipLogger {
  private indentation = 0;
  readonly level: LogLevel;

  constructor(
    private readonly out: PipOutput,
    readonly verbosity: number,
  ) {
    this.level = levelForVerbosity(verbosity);
  }

  debug(message: string): void {
    this.log(LogLevel.Debug, message);
  }
  verbose(message: string): void {
    this.log(LogLevel.Verbose, message);
  }
  info(message: string): void {
    this.log(LogLevel.Info, message);
  }
  warning(message: string): void {
    this.log(LogLevel.Warning, message);
  }
  error(message: string): void {
    this.log(LogLevel.Error, message);
  }
  critical(message: string): void {
    this.log(LogLevel.Critical, message);
  }

  /** Runs `f` with two more spaces of indentation (pip's `indent_log`). */
  async indent<T>(f: () => Promise<T> | T, by = 2): Promise<T> {
    this.indentation += by;
    try {
      return await f();
    } finally {
      this.indentation -= by;
    }
  }

  indentSync<T>(f: () => T, by = 2): T {
    this.indentation += by;
    try {
      return f();
    } finally {
      this.indentation -= by;
    }
  }

  /** Text written as is (what pip writes with `sys.stdout.write`, e.g. `pip freeze`). */
  raw(text: string): void {
    this.out.stdout(text);
  }

  enabled(level: LogLevel): boolean {
    return level >= this.level;
  }

  private log(level: LogLevel, message: string): void {
    if (level < this.level) return;
    const start = level >= LogLevel.Error ? 'ERROR: ' : level >= LogLevel.Warning ? 'WARNING: ' : '';
    const pad = ' '.repeat(this.indentation);
    const lines = `${start}${message}`.split('\n');
    const text = `${lines.map((l) => pad + l).join('\n')}\n`;
    if (level >= LogLevel.Warning) this.out.stderr(text);
    else this.out.stdout(text);
  }
}
