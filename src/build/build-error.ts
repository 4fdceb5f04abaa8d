/**
 * Why a source tree could not be turned into a wheel: one class, a string `code` per cause, and
 * a message that names the project, the problem and what to do (as install/errors.ts).
 *
 * `output` carries what the backend printed before it failed (pip shows it under
 * `× Building wheel for x (pyproject.toml) did not run successfully.`).
 */
import { PipetteError } from '../pep';

export const BuildErrorCode = {
  /** Neither pyproject.toml nor setup.py (pip's "does not appear to be a Python project"). */
  NotAProject: 'not-a-project',
  /** pyproject.toml does not parse, or `[build-system]` is malformed (PEP 518). */
  InvalidPyproject: 'invalid-pyproject',
  /** The project needs a C/C++/Rust compiler, which a browser tab does not have. */
  NeedsCompiler: 'needs-compiler',
  /** The build requirements could not be installed into the build environment. */
  BuildDependencies: 'build-dependencies',
  /** The backend could not be imported (pyproject_hooks' BackendUnavailable). */
  BackendUnavailable: 'backend-unavailable',
  /** The backend lacks a hook the build needs (build_editable, PEP 660). */
  HookMissing: 'hook-missing',
  /** The backend raised: its traceback is in `output`. */
  BackendFailed: 'backend-failed',
  /** The backend's answer breaks the standard (no wheel written, a METADATA for another project). */
  BadBackendResult: 'bad-backend-result',
  /** A hostile or broken archive (`..`, absolute paths, links out, too large). */
  UnsafeArchive: 'unsafe-archive',
  /** An archive or tree bigger than Pipette unpacks. */
  TooLarge: 'too-large',
  /** A source Pipette cannot fetch in a browser (git hosts other than GitHub, ssh, hg, svn). */
  UnsupportedSource: 'unsupported-source',
  /** GitHub answered with an error (ref not found, rate limit, ...). */
  SourceFetch: 'source-fetch',
  /** The Python that runs backends is not available (the CLI in Node). */
  NoPython: 'no-python',
} as const;
export type BuildErrorCode = (typeof BuildErrorCode)[keyof typeof BuildErrorCode];

export class BuildError extends PipetteError<BuildErrorCode> {
  override readonly name = 'BuildError';
  /** The project or source the error is about (`hello`, `./proj`, a URL). */
  readonly subject: string;
  /** What the backend printed (stdout and stderr as they came), when it ran. */
  readonly output: string;

  constructor(code: BuildErrorCode, subject: string, message: string, output = '') {
    super(code, message);
    this.subject = subject;
    this.output = output;
  }

  override toJSON(): { name: string; code: BuildErrorCode; subject: string; message: string; output: string } {
    return { name: this.name, code: this.code, subject: this.subject, message: this.message, output: this.output };
  }
}
