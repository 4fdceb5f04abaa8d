/**
 * Why a wheel could not be installed or a distribution uninstalled. One class, a string `code`
 * per cause, and a message that names the file, the problem and what to do
 * (uv `crates/uv-install-wheel/src/lib.rs` `Error`).
 */
import { PipetteError } from '../pep';

export const InstallErrorCode = {
  HashMismatch: 'hash-mismatch',
  NotAZip: 'not-a-zip',
  /** A zip whose parts disagree (local and central names, CRC-32, overlapping data, a name twice): zipfile refuses it. */
  CorruptZip: 'corrupt-zip',
  /** A zip feature Pipette cannot read: encryption, bzip2 or lzma compression, several disks. */
  UnsupportedZip: 'unsupported-zip',
  NoDistInfo: 'no-dist-info',
  /** More than one `.dist-info`, or one not named for the wheel's project and version. */
  DistInfoMismatch: 'dist-info-mismatch',
  MetadataMismatch: 'metadata-mismatch',
  UnsafePath: 'unsafe-path',
  /** A target outside the environment's scheme, in pip's configuration, or over its own files. */
  OutsideEnvironment: 'outside-environment',
  /** Into another project's `.dist-info` (or a `.data` folder) at the top of site-packages. */
  ForeignDistInfo: 'foreign-dist-info',
  /** A console or GUI script whose name is not a plain file name. */
  UnsafeScriptName: 'unsafe-script-name',
  /** A write or removal through a symbolic link that leads out of the environment. */
  SymlinkEscape: 'symlink-escape',
  RecordMismatch: 'record-mismatch',
  UnsupportedWheel: 'unsupported-wheel',
  TooLarge: 'too-large',
  NotInstalled: 'not-installed',
  NoRecord: 'no-record',
  WriteFailed: 'write-failed',
  /** A lock record that is not data Pipette can act on (a control character, a wrong file name). */
  InvalidLock: 'invalid-lock',
  /** A wheel a plan needs whose bytes were not given to apply it. */
  MissingWheel: 'missing-wheel',
  /** The bytecode compiler could not run at all (a module that does not compile is no error). */
  CompileFailed: 'compile-failed',
} as const;
export type InstallErrorCode = (typeof InstallErrorCode)[keyof typeof InstallErrorCode];

export class InstallError extends PipetteError<InstallErrorCode> {
  override readonly name = 'InstallError';
  /** The wheel file name or distribution the error is about. */
  readonly subject: string;

  constructor(code: InstallErrorCode, subject: string, message: string) {
    super(code, message);
    this.subject = subject;
  }

  override toJSON(): { name: string; code: InstallErrorCode; subject: string; message: string } {
    return { name: this.name, code: this.code, subject: this.subject, message: this.message };
  }
}
