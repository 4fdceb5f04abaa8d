import { PepError } from '../pep';

/**
 * A command line the shell cannot parse, in bash's words
 * (`bash: syntax error near unexpected token '|'`), rendered with the line and a caret under
 * the fault like every other parse error here.
 */
export class ShellParseError extends PepError<'shell-syntax'> {
  override readonly name = 'ShellParseError';
  /**
   * True when more input could complete the line (an open quote, a trailing `|` or `&&`): a
   * terminal may prompt for a continuation line (`> `) instead of reporting the error.
   */
  readonly incomplete: boolean;

  constructor(reason: string, input: string, span: { start: number; end?: number } | null, incomplete = false) {
    super('shell-syntax', reason, input, span);
    this.incomplete = incomplete;
  }
}
