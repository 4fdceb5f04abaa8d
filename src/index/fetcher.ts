/**
 * The fetch layer under every index client: one place for the concurrency limit, retries,
 * timeouts, cancellation, progress in bytes, in-flight request sharing and hash checks, with
 * errors that say which host failed and why.
 *
 * Behaviour matched: pip's session (urllib3 Retry: `--retries 5`, backoff, retry on 5xx and 429
 * honouring Retry-After; `--timeout 15`, a per-read timeout, not a total one). The `fetch`,
 * `sleep`, `random` and `now` functions are injected so tests run against a real local server
 * without real waits, and the same code runs in a browser, a worker and Node.
 */
import { IndexError, IndexErrorCode, hostOf } from './index-error';
import { safeReporter, type IndexReporter } from './events';
import { checkHash } from './hash';
import { Semaphore, defaultSleep, raceAbort } from './concurrency';

export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;
export type SleepFunction = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface FetcherOptions {
  readonly fetch: FetchFunction;
  /** Milliseconds since the epoch; used to read a Retry-After given as an HTTP date. */
  readonly now?: () => number;
  /** Waits between retries; the default uses setTimeout. Tests pass one that records and returns. */
  readonly sleep?: SleepFunction;
  /** In [0, 1); jitter for the backoff. */
  readonly random?: () => number;
  /** pip's `--timeout`: longest wait for the response or for the next chunk of the body. */
  readonly timeoutMs?: number;
  /** pip's `--retries`: extra attempts after the first for network errors, 429 and 5xx. */
  readonly retries?: number;
  /** Requests in flight at once; the rest queue. */
  readonly concurrency?: number;
  /** First backoff delay; doubles per attempt (urllib3's backoff_factor, pip uses 0.25 s). */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited for: the error is reported instead. */
  readonly maxRetryAfterMs?: number;
  readonly reporter?: IndexReporter;
  /**
   * Whether a network error should mention CORS. Browsers hide the cause of a failed request, and
   * the usual one for an index that works elsewhere is a missing Access-Control-Allow-Origin.
   * Defaults to true in a browser or worker, false in Node.
   */
  readonly corsHint?: boolean;
}

/** The digest a body must have, and the file it belongs to (for the message). */
export interface ExpectedHash {
  readonly algorithm: 'sha256' | 'sha384' | 'sha512';
  readonly hex: string;
}

export interface FetchRequest {
  readonly url: string;
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Checked after download; a mismatch throws `hash-mismatch` (never retried, as pip). */
  readonly hash?: ExpectedHash | null;
  /** The distribution file being fetched, named in messages. */
  readonly filename?: string;
}

export interface FetchResponse {
  /** The URL finally answered, after redirects: relative links resolve against it. */
  readonly url: string;
  /** 2xx, or 404 / 410 (returned, not thrown: "not found" is an answer). */
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
}

interface Shared {
  readonly promise: Promise<FetchResponse>;
  readonly controller: AbortController;
  waiters: number;
  settled: boolean;
}

/** What one attempt ended with, when it did not end with a usable response. */
interface AttemptFailure {
  readonly error: IndexError;
  readonly retryable: boolean;
  /** Server-requested delay (Retry-After), in ms. */
  readonly retryAfterMs: number | null;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRIES = 5;

export class Fetcher {
  private readonly fetchFn: FetchFunction;
  private readonly now: () => number;
  private readonly sleep: SleepFunction;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly report: IndexReporter;
  private readonly corsHint: boolean;
  private readonly slots: Semaphore;
  private readonly inflight = new Map<string, Shared>();

  constructor(options: FetcherOptions) {
    // Called unbound: a browser's fetch throws "Illegal invocation" when called as a method
    // of another object.
    const fetchFn = options.fetch;
    this.fetchFn = (input, init) => fetchFn(input, init);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.retries = options.retries ?? DEFAULT_RETRIES;
    this.backoffBaseMs = options.backoffBaseMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
    this.report = safeReporter(options.reporter);
    this.corsHint = options.corsHint ?? isBrowserLike();
    this.slots = new Semaphore(options.concurrency ?? 16);
  }

  /**
   * GET `url`. Concurrent requests for the same URL and Accept share one download; each caller
   * may cancel with its own signal, and the download stops only when every caller has.
   */
  async request(req: FetchRequest): Promise<FetchResponse> {
    req.signal?.throwIfAborted();
    const key = `${req.accept ?? ''}\n${req.url}`;
    let shared = this.inflight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const entry: Shared = {
        controller,
        waiters: 0,
        settled: false,
        promise: this.run(req.url, req.accept, controller.signal),
      };
      entry.promise.then(
        () => this.settle(key, entry),
        () => this.settle(key, entry),
      );
      this.inflight.set(key, entry);
      shared = entry;
    }
    shared.waiters++;
    let response: FetchResponse;
    try {
      response = await raceAbort(shared.promise, req.signal);
    } finally {
      shared.waiters--;
      if (shared.waiters === 0 && !shared.settled) {
        // Every caller gave up: stop the download and let a later caller start afresh.
        this.inflight.delete(key);
        shared.controller.abort(req.signal?.reason);
      }
    }
    if (req.hash && response.status < 300) {
      const got = await checkHash(response.bytes, req.hash);
      if (got !== null) throw hashMismatch(response.url, req.filename ?? fileNameOf(response.url), req.hash, got);
    }
    return response;
  }

  private settle(key: string, entry: Shared): void {
    entry.settled = true;
    if (this.inflight.get(key) === entry) this.inflight.delete(key);
  }

  /** Attempts with retries; each attempt holds one of the concurrency slots. */
  private async run(url: string, accept: string | undefined, signal: AbortSignal): Promise<FetchResponse> {
    for (let attempt = 1; ; attempt++) {
      await this.slots.acquire(signal);
      let outcome: FetchResponse | AttemptFailure;
      try {
        outcome = await this.attempt(url, accept, signal, attempt);
      } finally {
        this.slots.release();
      }
      if (!('error' in outcome)) return outcome;
      if (!outcome.retryable || attempt > this.retries) throw outcome.error;
      let delayMs: number;
      if (outcome.retryAfterMs !== null) {
        if (outcome.retryAfterMs > this.maxRetryAfterMs) throw outcome.error;
        delayMs = outcome.retryAfterMs;
      } else {
        // Exponential backoff with jitter, so that many clients do not retry in step.
        const base = Math.min(this.maxBackoffMs, this.backoffBaseMs * 2 ** (attempt - 1));
        delayMs = Math.round(base * (0.5 + this.random()));
      }
      this.report({ kind: 'retry', url, attempt, delayMs, reason: outcome.error.reason });
      await this.sleep(delayMs, signal);
      signal.throwIfAborted();
    }
  }

  private async attempt(
    url: string,
    accept: string | undefined,
    signal: AbortSignal,
    attempt: number,
  ): Promise<FetchResponse | AttemptFailure> {
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort(new DOMException('The request timed out', 'TimeoutError'));
      }, this.timeoutMs);
    };
    const failure = (error: unknown, phase: 'connect' | 'read'): AttemptFailure => {
      if (signal.aborted) throw signal.reason;
      if (timedOut) {
        return {
          error: new IndexError(
            IndexErrorCode.Timeout,
            `Read timed out after ${this.timeoutMs / 1000} s waiting for ${url} (host ${hostOf(url)}). ` +
              'The index is slow or unreachable; try again, or raise the timeout (pip --timeout).',
            { url, cause: error },
          ),
          retryable: true,
          retryAfterMs: null,
        };
      }
      return this.networkFailure(url, error, phase);
    };

    arm();
    try {
      let response: Response;
      try {
        response = await this.fetchFn(url, {
          method: 'GET',
          headers: accept ? { Accept: accept } : {},
          signal: controller.signal,
          redirect: 'follow',
        });
      } catch (error) {
        return failure(error, 'connect');
      }
      const finalUrl = response.url || url;
      const { status } = response;
      if (status === 404 || status === 410) {
        await discard(response);
        this.report({ kind: 'request', url: finalUrl, status, bytes: 0, attempt });
        return { url: finalUrl, status, headers: response.headers, bytes: new Uint8Array(0) };
      }
      if (status < 200 || status >= 300) {
        await discard(response);
        this.report({ kind: 'request', url: finalUrl, status, bytes: 0, attempt });
        return this.statusFailure(finalUrl, response);
      }
      let bytes: Uint8Array;
      try {
        bytes = await this.readBody(response, finalUrl, arm);
      } catch (error) {
        return failure(error, 'read');
      }
      this.report({ kind: 'request', url: finalUrl, status, bytes: bytes.length, attempt });
      return { url: finalUrl, status, headers: response.headers, bytes };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** Read the body chunk by chunk: progress events, and the timeout re-armed per chunk. */
  private async readBody(response: Response, url: string, arm: () => void): Promise<Uint8Array> {
    const lengthHeader = response.headers.get('content-length');
    const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      this.report({ kind: 'progress', url, loaded: bytes.length, total, done: true });
      return bytes;
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let loaded = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        arm();
        chunks.push(value);
        loaded += value.length;
        this.report({ kind: 'progress', url, loaded, total, done: false });
      }
    } catch (error) {
      reader.cancel().catch(() => {});
      throw error;
    }
    this.report({ kind: 'progress', url, loaded, total, done: true });
    return concat(chunks, loaded);
  }

  private statusFailure(url: string, response: Response): AttemptFailure {
    const { status } = response;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
    const text = response.statusText ? ` ${response.statusText}` : '';
    let hint = '';
    if (status === 401 || status === 403) hint = ' The index needs credentials or refuses this client.';
    else if (status === 429) {
      hint =
        retryAfterMs !== null
          ? ` The index is rate limiting; it asked to wait ${Math.ceil(retryAfterMs / 1000)} s.`
          : ' The index is rate limiting; wait a little and try again.';
    } else if (status >= 500) hint = ' The index has a problem on its side; try again later.';
    const retryable = status === 429 || (status >= 500 && status !== 501);
    return {
      error: new IndexError(IndexErrorCode.HttpStatus, `HTTP error ${status}${text} while getting ${url}.${hint}`, {
        url,
        status,
      }),
      retryable,
      retryAfterMs,
    };
  }

  private networkFailure(url: string, error: unknown, phase: 'connect' | 'read'): AttemptFailure {
    const cause = describeCause(error);
    const host = hostOf(url);
    if (/redirect/i.test(cause)) {
      return {
        error: new IndexError(
          IndexErrorCode.TooManyRedirects,
          `Too many redirects while getting ${url}: the server at ${host} keeps redirecting (${cause}). ` +
            'Check the index URL.',
          { url, cause: error },
        ),
        retryable: false,
        retryAfterMs: null,
      };
    }
    let reason =
      phase === 'read'
        ? `Connection broken while reading ${url} from ${host} (${cause}).`
        : this.corsHint
          ? `The browser could not fetch ${url} from ${host} (${cause}).`
          : `Could not connect to ${host} to get ${url} (${cause}).`;
    if (this.corsHint && phase === 'connect') {
      // Browsers report a CORS refusal, a redirect loop and a dead host alike as "Failed to fetch".
      reason +=
        ` If ${host} answers in an ordinary browser tab, it most likely does not allow cross-origin ` +
        'requests (CORS): the index must send Access-Control-Allow-Origin. Use an index that does ' +
        '(pypi.org does), or a proxy that adds the header.';
    } else {
      reason += ' Check the network connection and the index URL.';
    }
    return {
      error: new IndexError(IndexErrorCode.Network, reason, { url, cause: error }),
      retryable: true,
      retryAfterMs: null,
    };
  }
}

export function hashMismatch(url: string, filename: string, expected: ExpectedHash, got: string): IndexError {
  // pip's HashMismatch wording: "Expected sha256 <hex> / Got <hex>".
  return new IndexError(
    IndexErrorCode.HashMismatch,
    `Hash mismatch for ${filename} (from ${url}):\n    Expected ${expected.algorithm} ${expected.hex}\n` +
      `         Got        ${got}\n` +
      'The file was changed or damaged in transit. Try again; if it persists, the index is serving a ' +
      'different file than it lists.',
    { url, filename },
  );
}

/**
 * Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. Null when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** The last path segment of a URL, percent-decoded: the file name as pip derives it. */
export function fileNameOf(url: string): string {
  try {
    const path = new URL(url).pathname;
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return url;
  }
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} [${code}]` : current.message);
    current = current.cause;
  }
  return parts.length > 0 ? parts.join(': ') : String(error);
}

async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // Nothing to do: we only wanted the connection back.
  }
}

function concat(chunks: readonly Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

function isBrowserLike(): boolean {
  return 'document' in globalThis || 'WorkerGlobalScope' in globalThis;
}
