/**
 * The base class for errors raised by the packaging standards' parsers (a PipetteError).
 *
 * Every error carries a stable string `code` (for code that reacts to it, and for errors that
 * cross Comlink as plain data), the `input` that was rejected, and where known the span
 * `[start, end)` inside it, so a message can show the input with a caret line under the fault
 * (packaging's ParserSyntaxError, uv's Pep508Error).
 */
import { PipetteError } from './pipette-error';

export class PepError<Code extends string = string> extends PipetteError<Code> {
  override readonly name: string = 'PepError';
  readonly input: string;
  readonly start: number | null;
  readonly end: number | null;
  /** The problem alone, without the input and caret lines. */
  readonly reason: string;

  constructor(
    code: Code,
    reason: string,
    input: string,
    span: { start: number; end?: number } | null = null,
  ) {
    super(code, PepError.render(reason, input, span));
    this.reason = reason;
    this.input = input;
    this.start = span ? span.start : null;
    this.end = span ? (span.end ?? span.start + 1) : null;
  }

  /** `reason`, then the input and a caret line under `[start, end)` when a span is known. */
  static render(reason: string, input: string, span: { start: number; end?: number } | null): string {
    if (!span || input.includes('\n')) return reason;
    const end = Math.max(span.end ?? span.start + 1, span.start + 1);
    return `${reason}\n    ${input}\n    ${' '.repeat(span.start)}${'^'.repeat(end - span.start)}`;
  }

  /** Plain data for crossing a worker boundary (Comlink keeps only name, message and stack). */
  override toJSON(): { name: string; code: Code; message: string; reason: string; input: string } {
    return { name: this.name, code: this.code, message: this.message, reason: this.reason, input: this.input };
  }
}
