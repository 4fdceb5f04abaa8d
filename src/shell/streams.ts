import type { CommandContext, Writer } from './host';

/** An output stream and whether it is the terminal itself (not a pipe or a file). */
export interface OutStream {
  readonly write: Writer;
  readonly terminal: boolean;
}

/** A command's three standard streams and its cancellation. */
export interface Io {
  readonly stdin: string | null;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly signal: AbortSignal;
}

/** What a command sees, built from the streams it was given. */
export function commandContext(io: Io, extra: { cwd: string; env: Readonly<Record<string, string>>; program: string | null }): CommandContext {
  return {
    ...extra,
    stdin: io.stdin,
    stdout: io.stdout.write,
    stderr: io.stderr.write,
    stdoutIsTerminal: io.stdout.terminal,
    signal: io.signal,
  };
}

/** The streams of a context again (xargs and source run commands with their own streams). */
export function ioOf(ctx: CommandContext): Io {
  return {
    stdin: ctx.stdin,
    stdout: { write: ctx.stdout, terminal: ctx.stdoutIsTerminal },
    stderr: { write: ctx.stderr, terminal: false },
    signal: ctx.signal,
  };
}

/** Collects what a pipeline stage writes, for the next stage's stdin. */
export class Collector {
  private readonly chunks: string[] = [];
  readonly stream: OutStream = { write: (text) => void this.chunks.push(text), terminal: false };
  text(): string {
    return this.chunks.join('');
  }
}
