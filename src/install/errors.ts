/**
 * Why a wheel could not be installed or a distribution uninstalled. One class, a string `code`
 * per cause, and a message that names the file, the problem and what to do
 * (uv `crates/uv-install-wheel/src/lib.rs` `Error`).
 */
export const InstallErrorCode = {
  HashMismatch: 'hash-mismatch',
  NotAZip: 'not-a-zip',
  NoDistInfo: 'no-dist-info',
  MetadataMismatch: 'metadata-mismatch',
  UnsafePath: 'unsafe-path',
  RecordMismatch: 'record-mismatch',
  UnsupportedWheel: 'unsupported-wheel',
  TooLarge: 'too-large',
  NotInstalled: 'not-installed',
  NoRecord: 'no-record',
  WriteFailed: 'write-failed',
} as const;
export type InstallErrorCode = (typeof InstallErrorCode)[keyof typeof InstallErrorCode];

export class InstallError extends Error {
  override readonly name = 'InstallError';
  readonly code: InstallErrorCode;
  /** The wheel file name or distribution the error is about. */
  readonly subject: string;

  constructor(code: InstallErrorCode, subject: string, message: string) {
    super(message);
    this.code = code;
    this.subject = subject;
  }

  toJSON(): { name: string; code: InstallErrorCode; subject: string; message: string } {
    return { name: this.name, code: this.code, subject: this.subject, message: this.message };
  }
}
