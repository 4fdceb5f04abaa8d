/**
 * The one shape of every failure the runtime worker reports to the page. Comlink keeps only
 * name, message and stack of a thrown Error (GoogleChromeLabs/comlink `src/comlink.ts`), so
 * nothing is thrown across it: a method that can fail resolves to its answer with `kind: 'ok'`,
 * or to this plain value, with a code the page can act on and a message for the person.
 */
export type RuntimeErrorCode =
  /** Files (paths absolute, or relative to the home directory). */
  | 'not-found'
  | 'is-a-directory'
  | 'not-a-directory'
  | 'write-failed'
  /** The index has no project of that name (pip's "No matching distribution"). */
  | 'no-such-project'
  /** The index could not be read (offline, an HTTP error, a page that is not an index). */
  | 'index-failed'
  /** A share link or lock file that is not opened or written here; the message says why. */
  | 'refused'
  /** An exception the worker did not expect: a bug, named so it is not mistaken for bad input. */
  | 'internal';

export interface RuntimeFailure {
  readonly kind: 'error';
  readonly code: RuntimeErrorCode;
  readonly message: string;
  /** The file it is about, for file failures. */
  readonly path?: string;
}

/** An answer that may fail: the answer's fields with `kind: 'ok'`, or the failure. */
export type RuntimeResult<T extends object = object> = ({ readonly kind: 'ok' } & T) | RuntimeFailure;

export function runtimeFailure(code: RuntimeErrorCode, message: string, path?: string): RuntimeFailure {
  return path === undefined ? { kind: 'error', code, message } : { kind: 'error', code, message, path };
}

/** Runs `work`, turning an exception it did not expect into an `internal` failure (never a thrown Error over Comlink). */
export async function guarded<R>(work: () => Promise<R> | R): Promise<R | RuntimeFailure> {
  try {
    return await work();
  } catch (e) {
    return runtimeFailure('internal', e instanceof Error ? e.message : String(e));
  }
}
