/**
 * What a pip command refuses, in pip's words where pip has words (`CommandError`,
 * `InstallationError`, `DistributionNotFound`): printed as `ERROR: <message>`, exit status 1.
 */
import { PipetteError } from '../pep';

export const PipErrorCode = {
  /** Bad arguments for the command (pip's CommandError). */
  Command: 'command-error',
  /** The request cannot be installed as asked (pip's InstallationError). */
  Installation: 'installation-error',
  /** Something Pipette cannot do in a browser (build from source, user site, ...). */
  Unsupported: 'unsupported',
  /** A file the command needs is missing or unreadable. */
  File: 'file-error',
  /** Hash-checking mode found problems (the message is pip's HashErrors text). */
  Hashes: 'hash-errors',
  /** Nothing on the index matches (pip's DistributionNotFound). */
  NotFound: 'distribution-not-found',
} as const;
export type PipErrorCode = (typeof PipErrorCode)[keyof typeof PipErrorCode];

export class PipError extends PipetteError<PipErrorCode> {
  override readonly name: string = 'PipError';
  /** The text the error is about (a requirement, an argument), when there is one. */
  readonly input: string;

  constructor(code: PipErrorCode, message: string, input = '') {
    super(code, message);
    this.input = input;
  }
}

/**
 * pip's rich errors (`DiagnosticPipError`, pip `exceptions.py`): printed as they are, without
 * `ERROR: `, in pip's layout:
 *
 *     error: metadata-generation-failed
 *
 *     × Encountered error while generating package metadata.
 *     ╰─> See above for output.
 *
 *     note: This is an issue with the package mentioned above, not pip.
 *     hint: See above for details.
 */
export class DiagnosticPipError extends PipError {
  constructor(
    /** Ex) `metadata-generation-failed` */
    readonly reference: string,
    /** The `×` line. */
    readonly summary: string,
    /** The `╰─>` lines (more lines go under `│`). */
    readonly context: readonly string[],
    readonly note: string | null,
    readonly hint: string | null,
  ) {
    super(PipErrorCode.Installation, summary);
  }

  render(): string {
    const lines = [`error: ${this.reference}`, '', `× ${this.summary}`];
    this.context.forEach((line, i) => lines.push(`${i === this.context.length - 1 ? '╰─> ' : '│ '}${line}`));
    lines.push('');
    if (this.note) lines.push(`note: ${this.note}`);
    if (this.hint) lines.push(`hint: ${this.hint}`);
    return `${lines.join('\n')}\n`;
  }
}
