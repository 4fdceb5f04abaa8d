/**
 * How pip shows builds (pip `utils/subprocess.py`, `cli/spinners.py`, `exceptions.py`):
 * - each step is one line, `  Installing build dependencies ... done`, written in two parts so
 *   the line is on screen while the backend runs;
 * - what the backend prints is kept, and shown only when the step fails (pip's
 *   `error: subprocess-exited-with-error` block with `[N lines of output]`), or as it comes
 *   with `-v` (after `Running command <step>`);
 * - a step whose lines belong under a `Collecting` line printed later (an sdist prepared while
 *   resolving) is held and written there (`hold` / `release`).
 */
import { BuildError, BuildErrorCode, type BuildIo, type BuildReporter } from '../build';
import type { CommandRun } from './command';
import { LogLevel } from './logger';

const PAD = '  ';

export class PipBuildReporter implements BuildReporter {
  private held: string[] | null = null;
  /** The label of the last step that failed (for pip's closing diagnostic). */
  lastFailedStep: string | null = null;

  constructor(private readonly run: CommandRun) {}

  /** Steps from now on are kept (for `release`) instead of printed. */
  hold(): void {
    this.held = [];
  }

  /** The steps kept since `hold()`, as text; printing goes back to the terminal. */
  release(): string {
    const text = this.held?.join('') ?? '';
    this.held = null;
    return text;
  }

  async step<T>(label: string, run: (io: BuildIo) => T | Promise<T>): Promise<T> {
    // Ctrl+C: a hook runs to its end (Python cannot be stopped midway in a tab), the next does not start.
    this.run.ctx.signal?.throwIfAborted();
    const log = this.run.log;
    const shown = log.enabled(LogLevel.Info);
    const verbose = log.verbosity >= 1 && this.held === null;
    let output = '';
    const io: BuildIo = verbose
      ? {
          stdout: (text) => this.run.ctx.out.stdout(text),
          stderr: (text) => this.run.ctx.out.stdout(text),
        }
      : {
          stdout: (text) => {
            output += text;
          },
          stderr: (text) => {
            output += text;
          },
        };
    if (verbose) this.write(`${PAD}Running command ${label}\n`);
    else if (shown) this.write(`${PAD}${label} ... `);
    try {
      const value = await run(io);
      if (verbose) this.write(`${PAD}${label} ... done\n`);
      else if (shown) this.write('done\n');
      return value;
    } catch (error) {
      this.lastFailedStep = label;
      if (!verbose && shown) this.write('error\n');
      // A failure is shown at once, with whatever was held before it.
      if (this.held !== null) {
        this.run.ctx.out.stdout(this.release());
        this.hold();
      }
      if (error instanceof BuildError && isSubprocessFailure(error)) {
        const what = error.code === BuildErrorCode.BuildDependencies ? `pip subprocess to ${label.charAt(0).toLowerCase()}${label.slice(1)}` : label;
        this.run.ctx.out.stderr(subprocessBlock(what, verbose ? '' : output + error.output, verbose));
      }
      throw error;
    }
  }

  private write(text: string): void {
    if (this.held !== null) this.held.push(text);
    else this.run.ctx.out.stdout(text);
  }
}

/** Failures pip shows as a subprocess that exited with an error (the backend's own output). */
export function isSubprocessFailure(error: BuildError): boolean {
  return error.code === BuildErrorCode.BackendFailed || error.code === BuildErrorCode.BackendUnavailable || error.code === BuildErrorCode.BuildDependencies;
}

/** pip's `error: subprocess-exited-with-error` block, indented under the step. */
export function subprocessBlock(what: string, output: string, verbose: boolean): string {
  const lines = [`${PAD}error: subprocess-exited-with-error`, PAD, `${PAD}× ${what} did not run successfully.`, `${PAD}│ exit code: 1`];
  if (verbose) {
    lines.push(`${PAD}╰─> See above for output.`);
  } else {
    const out = output.replace(/\s+$/, '').split('\n').filter((l, i, all) => !(all.length === 1 && l === ''));
    lines.push(`${PAD}╰─> [${out.length} lines of output]`);
    for (const line of out) lines.push(`${PAD}    ${line}`);
    lines.push(`${PAD}    [end of output]`);
  }
  lines.push(PAD, `${PAD}note: This error originates from a subprocess, and is likely not a problem with pip.`);
  return `${lines.join('\n')}\n`;
}
