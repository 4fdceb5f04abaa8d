import { PipetteError } from '../pep';

/** Why a resolution request cannot be carried out as given. */
export type ResolverErrorCode =
  | 'conflicting-urls'
  | 'internal'
  | 'invalid-exclude-newer'
  | 'invalid-url'
  | 'no-python-version'
  | 'resolution-time-limit'
  | 'resolution-too-deep'
  | 'unsupported-url';

/**
 * A resolution request that cannot be carried out as given: two URLs for one project, a
 * direct reference the source cannot read. ("No solution" is not an error: it is data.)
 */
export class ResolverError extends PipetteError<ResolverErrorCode> {
  override readonly name = 'ResolverError';
  /** The requirement, URL or project the error is about. */
  readonly input: string;
  constructor(code: ResolverErrorCode, reason: string, input: string) {
    super(code, reason);
    this.input = input;
  }
}
