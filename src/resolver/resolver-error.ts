import { PepError } from '../pep/error';

/**
 * A resolution request that cannot be carried out as given: two URLs for one project, a
 * direct reference the source cannot read. ("No solution" is not an error: it is data.)
 */
export class ResolverError extends PepError {
  override readonly name = 'ResolverError';
  constructor(code: string, reason: string, input: string) {
    super(code, reason, input);
  }
}
