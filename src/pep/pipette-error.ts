/**
 * The one base of Pipette's errors. Each class names its causes as a union of string codes
 * (`PipetteError<InstallErrorCode>`), so code that reacts to an error switches on a typed `code`,
 * never on the message, and an error crosses Comlink as plain data `{ name, code, message }`
 * (Comlink keeps only name, message and stack of a thrown Error). The message says what was
 * wrong and what to do.
 *
 * Lives in pep/ because pep/ imports nothing of ours and every folder imports pep/; PepError
 * (error.ts) is the subclass for the standards' parse errors, with input and caret.
 */
export class PipetteError<Code extends string = string> extends Error {
  override readonly name: string = 'PipetteError';
  readonly code: Code;

  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }

  /** Plain data for crossing a worker boundary. */
  toJSON(): { name: string; code: Code; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }
}
