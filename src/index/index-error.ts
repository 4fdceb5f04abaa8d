/**
 * The one error class of src/index: everything that can go wrong between Pipette and an index
 * (HTTP, network, timeouts, hashes, unparseable pages and metadata), with the URL and host it
 * concerns so a person can tell which index or file is at fault.
 *
 * "Not found" is not an error here: PackageSource answers it as data (`kind: 'not-found'`).
 */
import { PipetteError } from '../pep';

/** Stable codes; code that reacts to an error switches on these, never on the message. */
export const IndexErrorCode = {
  /** The server answered with a status we cannot use (after retries for 429 and 5xx). */
  HttpStatus: 'http-status',
  /**
   * No answer at all: no network, DNS, refused connection, reset; in a browser also a request
   * whose cause the browser hid and the probe could not tell (see fetcher.ts `classify`).
   */
  Network: 'network',
  /** In a browser: the host answered, without Access-Control-Allow-Origin (CORS). */
  Cors: 'cors',
  /** A body went past the size its index declared, or the cap for undeclared sizes. */
  TooLarge: 'too-large',
  /** No bytes for longer than the configured timeout (pip's `--timeout`, 15 s by default). */
  Timeout: 'timeout',
  /** The bytes do not have the digest the index or the lock promised. */
  HashMismatch: 'hash-mismatch',
  /** The answer is not what the standard says it must be (bad JSON, bad page, bad zip). */
  InvalidResponse: 'invalid-response',
  /**
   * A wheel whose zip archive Python's zipfile refuses (pip's InvalidWheel): like pip, this ends
   * the resolution rather than passing over the version.
   */
  InvalidWheel: 'invalid-wheel',
  /** The server kept redirecting. */
  TooManyRedirects: 'too-many-redirects',
  /** The METADATA inside a file names another project or version than the file name. */
  MetadataMismatch: 'metadata-mismatch',
  /** A file Pipette cannot read metadata from (an sdist: it cannot build one in a browser). */
  UnsupportedFile: 'unsupported-file',
  /** The cache was asked for something in offline mode that it does not hold. */
  Offline: 'offline',
} as const;
export type IndexErrorCode = (typeof IndexErrorCode)[keyof typeof IndexErrorCode];

export interface IndexErrorDetails {
  /** The URL requested (the file, the project page, the `.metadata` file). */
  readonly url: string;
  /** HTTP status when the server answered; null otherwise. */
  readonly status?: number | null;
  /** The distribution file concerned, when there is one. */
  readonly filename?: string | null;
  /** The underlying error, kept for debugging (not rendered). */
  readonly cause?: unknown;
}

export class IndexError extends PipetteError<IndexErrorCode> {
  override readonly name = 'IndexError';
  readonly url: string;
  /** `host[:port]` of {@link url}, or the URL itself when it does not parse. */
  readonly host: string;
  readonly status: number | null;
  readonly filename: string | null;

  constructor(code: IndexErrorCode, reason: string, details: IndexErrorDetails) {
    super(code, reason);
    this.url = details.url;
    this.host = hostOf(details.url);
    this.status = details.status ?? null;
    this.filename = details.filename ?? null;
    if (details.cause !== undefined) (this as { cause?: unknown }).cause = details.cause;
  }

  /** The problem, as callers that also handle PepError read it (an index error has no caret lines). */
  get reason(): string {
    return this.message;
  }

  /** Plain data for crossing Comlink, with the index-specific fields. */
  override toJSON(): ReturnType<PipetteError<IndexErrorCode>['toJSON']> & {
    reason: string;
    input: string;
    url: string;
    host: string;
    status: number | null;
    filename: string | null;
  } {
    return { ...super.toJSON(), reason: this.message, input: this.url, url: this.url, host: this.host, status: this.status, filename: this.filename };
  }
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** True for errors a storage backend throws when it is full (IndexedDB, localStorage, fs). */
export function isQuotaExceeded(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  // DOMException QuotaExceededError (code 22); Firefox's older NS_ERROR_DOM_QUOTA_REACHED;
  // Node's ENOSPC / EDQUOT for a full disk or quota.
  return (
    name === 'QuotaExceededError' ||
    name === 'NS_ERROR_DOM_QUOTA_REACHED' ||
    code === 22 ||
    code === 'ENOSPC' ||
    code === 'EDQUOT'
  );
}

/** True for the error a fetch or our own code rejects with when its AbortSignal fires. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
