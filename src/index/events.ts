/**
 * What src/index tells the person while it works: progress in bytes, requests made, warnings and
 * notices. Library code never prints; it hands these to an injected reporter (vite's logger).
 */

/** Bytes received for one download so far; `total` from Content-Length when the server sends it. */
export interface ProgressEvent {
  readonly kind: 'progress';
  readonly url: string;
  readonly loaded: number;
  readonly total: number | null;
  readonly done: boolean;
  /**
   * The download stopped before its end (cancelled: backtracking discarded the version, or the
   * install no longer wants it; or broken, and a retry starts it again): its bytes no longer
   * count towards what is being downloaded.
   */
  readonly dropped?: boolean;
}

/** One HTTP exchange finished (made visible for the curious; the UI may list them). */
export interface RequestEvent {
  readonly kind: 'request';
  readonly url: string;
  readonly status: number;
  readonly bytes: number;
  /** Which attempt this was, 1 for the first. */
  readonly attempt: number;
  /** A HEAD or a range: part of a file was looked at, not downloaded. */
  readonly partial?: boolean;
}

/** A retry is about to happen after `delayMs`. */
export interface RetryEvent {
  readonly kind: 'retry';
  readonly url: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly reason: string;
}

export const WarningCode = {
  /** A project is on more than one configured index (dependency confusion risk). */
  MultipleIndexes: 'multiple-indexes',
  /** The index said `.metadata` exists but it could not be used; the wheel was read instead. */
  MetadataFallback: 'metadata-fallback',
  /** PEP 629: the index speaks a newer minor version of the API than we know. */
  ApiVersion: 'api-version',
  /** A distribution's METADATA has a problem pip tolerates (e.g. an invalid Requires-Python). */
  Metadata: 'metadata',
} as const;
export type WarningCode = (typeof WarningCode)[keyof typeof WarningCode];

export interface WarningEvent {
  readonly kind: 'warning';
  readonly code: WarningCode;
  readonly message: string;
}

export const NoticeCode = {
  /** The network failed and a cached index page older than the freshness limit was used. */
  StalePage: 'stale-page',
  /** The cache store was full; least recently used wheels were evicted. */
  CacheEvicted: 'cache-evicted',
  /** The cache store could not be written (even after eviction); work goes on without it. */
  CacheWriteFailed: 'cache-write-failed',
  /** A cache entry failed its hash check and was dropped. */
  CacheCorrupt: 'cache-corrupt',
} as const;
export type NoticeCode = (typeof NoticeCode)[keyof typeof NoticeCode];

export interface NoticeEvent {
  readonly kind: 'notice';
  readonly code: NoticeCode;
  readonly message: string;
}

export type IndexEvent = ProgressEvent | RequestEvent | RetryEvent | WarningEvent | NoticeEvent;

/** Receives events; must not throw (a throwing reporter is ignored). */
export type IndexReporter = (event: IndexEvent) => void;

export const silentReporter: IndexReporter = () => {};

/** Wrap a reporter so that an exception inside it never breaks a download. */
export function safeReporter(reporter: IndexReporter | undefined): IndexReporter {
  if (!reporter) return silentReporter;
  return (event) => {
    try {
      reporter(event);
    } catch {
      // A broken progress bar must not fail an install.
    }
  };
}
