// Over 400 lines: the one fetch choke point; limits, retries, sharing and hash checks share in-flight state.
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
import { decimalSize } from '../pep';
import { IndexError, IndexErrorCode, hostOf } from './index-error';
import { safeReporter, type IndexReporter } from './events';
import { checkHash, type ExpectedHash } from '../pep';
import { Semaphore, defaultSleep, raceAbort, type SlotTicket } from './concurrency';
import { browserProbe, isBrowserLike, isOffline, type ReachabilityProbe } from './reachability';

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
  /**
   * Requests in flight at once to one host (default: requestsPerHost, by the host's scheme): in
   * Node as in a tab, the resolver's prefetches and the wheel downloads share a host's
   * connections the same way, so what is measured in one holds in the other.
   */
  readonly perHost?: number;
  /** First backoff delay; doubles per attempt (urllib3's backoff_factor, pip uses 0.25 s). */
  readonly backoffBaseMs?: number;
  readonly maxBackoffMs?: number;
  /** A Retry-After longer than this is not waited for: the error is reported instead. */
  readonly maxRetryAfterMs?: number;
  readonly reporter?: IndexReporter;
  /**
   * Whether a network error may be a CORS refusal. Browsers hide the cause of a failed request
   * ("Failed to fetch" for a dead host and for a host that answered without
   * Access-Control-Allow-Origin alike); `probe` tells them apart where it can, and when it
   * cannot the message names both causes. Defaults to true in a browser or worker, false in
   * Node (whose fetch enforces no CORS and says why a connection failed).
   */
  readonly corsHint?: boolean;
  /**
   * Asked once per failed URL when `corsHint` holds: did the host answer at all? Default: the
   * page's probe worker (reachability.ts) in a browser, none elsewhere.
   */
  readonly probe?: ReachabilityProbe | null;
  /** Largest body accepted when the request gives no limit of its own (DEFAULT_MAX_BYTES). */
  readonly maxBytes?: number;
}

export type { ExpectedHash } from '../pep';

/**
 * How much of a body to read: the size the index declared for the file (PEP 700 `size`), or a
 * cap when it declared none. Past it the download stops with a `too-large` error: an index that
 * says 1,000 bytes does not get to send 700 MB into the tab.
 */
export interface ByteLimit {
  readonly bytes: number;
  /** True when `bytes` is the index's declared size, false for a cap. */
  readonly declared: boolean;
}

export interface FetchRequest {
  readonly url: string;
  /** GET by default; HEAD to learn a file's size (Content-Length) without its body. */
  readonly method?: 'GET' | 'HEAD';
  /**
   * `Range: bytes=start-end` (inclusive; RFC 9110 §14.1.2). A server that honours it answers
   * 206 with those bytes; one that ignores it answers 200 with the whole file, which the caller
   * must be ready to take. A range with a first position is a CORS-safelisted header, so it
   * costs no preflight.
   */
  readonly range?: { readonly start: number; readonly end: number };
  /** See ByteLimit; the Fetcher's cap when absent. */
  readonly limit?: ByteLimit;
  /** A look at part of a file (HEAD, a range) rather than its download, in request events. */
  readonly partial?: boolean;
  readonly accept?: string;
  readonly signal?: AbortSignal;
  /** Checked after download; a mismatch throws `hash-mismatch` (never retried, as pip). */
  readonly hash?: ExpectedHash | null;
  /** The distribution file being fetched, named in messages. */
  readonly filename?: string;
  /**
   * A download nobody waits on yet (a wheel read ahead while the resolver works): it gets a
   * host's free connection only when no other request waits for one, so a project page or a
   * metadata file the resolver waits on is never queued behind it. Joined by a caller that is
   * not in the background, it loses that (the resolver reading a whole wheel for its metadata).
   */
  readonly background?: boolean;
}

export interface FetchResponse {
  /** The URL finally answered, after redirects: relative links resolve against it. */
  readonly url: string;
  /** 2xx (206 for an honoured range), or 404 / 410 (returned, not thrown: "not found" is an answer). */
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Uint8Array;
}

interface Shared {
  readonly promise: Promise<FetchResponse>;
  readonly controller: AbortController;
  readonly ticket: SlotTicket;
  waiters: number;
  settled: boolean;
}

/** What one attempt ended with, when it did not end with a usable response. */
interface AttemptFailure {
  readonly error: IndexError;
  readonly retryable: boolean;
  /** Server-requested delay (Retry-After), in ms. */
  readonly retryAfterMs: number | null;
  /** A browser's bare "Failed to fetch": no status, no cause (see `classify`). */
  readonly unanswered: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_RETRIES = 5;
/** Requests at once to an HTTP/1.1 host: the connections a browser opens per host. */
export const HTTP1_PER_HOST = 6;
/** Requests at once to a host that multiplexes them (HTTP/2). */
export const MULTIPLEXED_PER_HOST = 16;

/**
 * Requests at once to the host of `url`, by its scheme. Browsers speak HTTP/2 only over TLS, so
 * an `http:` host is HTTP/1.1: 6 connections, and a request beyond them waits for one to free
 * up. Over HTTP/2 (PyPI's hosts, and most `https:` ones) every request is a stream of its own
 * on one connection (RFC 9113 §5; servers allow 100 or more at once), so a wheel being
 * downloaded does not hold up the resolver's next page. An `https:` host that speaks only
 * HTTP/1.1 gets the browser's own limit of 6, the rest queued by priority (`priority: 'low'`
 * for downloads in the background).
 */
export function requestsPerHost(url: string): number {
  return url.startsWith('https:') ? MULTIPLEXED_PER_HOST : HTTP1_PER_HOST;
}
/**
 * The cap on a body whose size nobody declared: 512 MiB. pip has none, but a browser tab that
 * holds the bytes in memory needs one; Pyodide's largest packages are tens of MB, and a wheel
 * over this size would not fit a tab's memory alongside Pyodide anyway.
 */
export const DEFAULT_MAX_BYTES = 512 * 1024 * 1024;

/** One request as the attempts see it. */
interface Attempted {
  readonly url: string;
  readonly method: 'GET' | 'HEAD';
  readonly range: FetchRequest['range'];
  readonly limit: ByteLimit;
  readonly accept: string | undefined;
  readonly filename: string | undefined;
  readonly partial: boolean;
}

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
  private readonly probe: ReachabilityProbe | null;
  private readonly maxBytes: number;
  private readonly slots: Semaphore;
  private readonly perHost: number | null;
  private readonly hostSlots = new Map<string, Semaphore>();
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
    this.probe = options.probe !== undefined ? options.probe : isBrowserLike() ? browserProbe() : null;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.slots = new Semaphore(options.concurrency ?? 16);
    this.perHost = options.perHost ?? null;
  }

  /**
   * GET `url`. Concurrent requests for the same URL and Accept share one download; each caller
   * may cancel with its own signal, and the download stops only when every caller has.
   */
  async request(req: FetchRequest): Promise<FetchResponse> {
    req.signal?.throwIfAborted();
    const attempted: Attempted = {
      url: req.url,
      method: req.method ?? 'GET',
      range: req.range,
      limit: req.limit ?? { bytes: this.maxBytes, declared: false },
      accept: req.accept,
      filename: req.filename,
      partial: req.partial ?? false,
    };
    const range = req.range ? `${req.range.start}-${req.range.end}` : '';
    const key = `${attempted.method} ${range} ${attempted.limit.bytes}\n${req.accept ?? ''}\n${req.url}`;
    let shared = this.inflight.get(key);
    if (!shared) {
      const controller = new AbortController();
      const ticket: SlotTicket = { background: req.background ?? false };
      const entry: Shared = {
        controller,
        ticket,
        waiters: 0,
        settled: false,
        promise: this.run(attempted, controller.signal, ticket),
      };
      entry.promise.then(
        () => this.settle(key, entry),
        () => this.settle(key, entry),
      );
      this.inflight.set(key, entry);
      shared = entry;
    } else if (!req.background) shared.ticket.background = false;
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

  private hostSlotsOf(url: string): Semaphore {
    let host: string;
    try {
      host = new URL(url).origin;
    } catch {
      host = '';
    }
    let slots = this.hostSlots.get(host);
    if (!slots) this.hostSlots.set(host, (slots = new Semaphore(this.perHost ?? requestsPerHost(url))));
    return slots;
  }

  private settle(key: string, entry: Shared): void {
    entry.settled = true;
    if (this.inflight.get(key) === entry) this.inflight.delete(key);
  }

  /** Attempts with retries; each attempt holds one of the concurrency slots. */
  private async run(req: Attempted, signal: AbortSignal, ticket: SlotTicket): Promise<FetchResponse> {
    const url = req.url;
    let classified = false;
    for (let attempt = 1; ; attempt++) {
      const host = this.hostSlotsOf(url);
      await host.acquire(signal, ticket);
      let outcome: FetchResponse | AttemptFailure;
      try {
        await this.slots.acquire(signal);
        try {
          outcome = await this.attempt(req, signal, attempt, ticket.background);
        } finally {
          this.slots.release();
        }
      } finally {
        host.release(ticket);
      }
      if (!('error' in outcome)) return outcome;
      if (outcome.error.code === IndexErrorCode.Network && outcome.unanswered && !classified) {
        // Once per URL: ask whether the host answers at all (the browser hides why it failed).
        classified = true;
        outcome = await this.classify(url, outcome, signal);
      }
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

  private async attempt(req: Attempted, signal: AbortSignal, attempt: number, background: boolean): Promise<FetchResponse | AttemptFailure> {
    const { url, accept } = req;
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
          unanswered: false,
        };
      }
      return this.networkFailure(url, error, phase);
    };

    arm();
    try {
      let response: Response;
      const headers: Record<string, string> = {};
      if (accept) headers['Accept'] = accept;
      if (req.range) headers['Range'] = `bytes=${req.range.start}-${req.range.end}`;
      try {
        // A download in the background yields to the resolver's requests where the browser
        // queues them (HTTP/1.1 beyond 6 connections) or weighs them (HTTP/2 priorities).
        const priority: RequestInit = background ? { priority: 'low' } : {};
        response = await this.fetchFn(url, { method: req.method, headers, signal: controller.signal, redirect: 'follow', ...priority });
      } catch (error) {
        return failure(error, 'connect');
      }
      const finalUrl = response.url || url;
      const { status } = response;
      if (status === 404 || status === 410) {
        await discard(response);
        this.report({ kind: 'request', url: finalUrl, status, bytes: 0, attempt, partial: req.partial });
        return { url: finalUrl, status, headers: response.headers, bytes: new Uint8Array(0) };
      }
      if (status < 200 || status >= 300) {
        await discard(response);
        this.report({ kind: 'request', url: finalUrl, status, bytes: 0, attempt, partial: req.partial });
        return this.statusFailure(finalUrl, response);
      }
      let bytes: Uint8Array;
      if (req.method === 'HEAD') {
        await discard(response);
        bytes = new Uint8Array(0);
      } else {
        try {
          bytes = await this.readBody(response, finalUrl, req, arm);
        } catch (error) {
          if (error instanceof IndexError) return { error, retryable: false, retryAfterMs: null, unanswered: false };
          return failure(error, 'read');
        }
      }
      this.report({ kind: 'request', url: finalUrl, status, bytes: bytes.length, attempt, partial: req.method === 'HEAD' || status === 206 });
      return { url: finalUrl, status, headers: response.headers, bytes };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Read the body chunk by chunk: progress events, the timeout re-armed per chunk, and never
   * more than the request's limit (a Content-Length over it is refused before reading).
   */
  private async readBody(response: Response, url: string, req: Attempted, arm: () => void): Promise<Uint8Array> {
    const lengthHeader = response.headers.get('content-length');
    const total = lengthHeader !== null && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
    // A 206 answers only the range asked for; anything else is the whole file.
    const limit = response.status === 206 && req.range ? { bytes: req.range.end - req.range.start + 1, declared: true } : req.limit;
    // A range answered as asked is a look, not a download: no progress bar for it.
    const quiet = response.status === 206;
    if (total !== null && total > limit.bytes) {
      await discard(response);
      throw tooLarge(url, req.filename, limit, total, true);
    }
    if (!response.body) {
      const bytes = new Uint8Array(await response.arrayBuffer());
      if (bytes.length > limit.bytes) throw tooLarge(url, req.filename, limit, bytes.length, false);
      if (!quiet) this.report({ kind: 'progress', url, loaded: bytes.length, total, done: true });
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
        loaded += value.length;
        if (loaded > limit.bytes) throw tooLarge(url, req.filename, limit, loaded, false);
        chunks.push(value);
        if (!quiet) this.report({ kind: 'progress', url, loaded, total, done: false });
      }
    } catch (error) {
      reader.cancel().catch(() => {});
      // What arrived of a download that stopped is not on its way any more (ProgressEvent.dropped).
      if (!quiet && loaded > 0) this.report({ kind: 'progress', url, loaded: 0, total, done: false, dropped: true });
      throw error;
    }
    if (!quiet) this.report({ kind: 'progress', url, loaded, total, done: true });
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
      unanswered: false,
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
        unanswered: false,
      };
    }
    if (phase === 'read') {
      return {
        error: new IndexError(
          IndexErrorCode.Network,
          `Connection broken while reading ${url} from ${host} (${cause}). Check the network connection and try again.`,
          { url, cause: error },
        ),
        retryable: true,
        retryAfterMs: null,
        unanswered: false,
      };
    }
    // Node says why (ECONNREFUSED, ENOTFOUND, ...): the host did not answer. A browser says
    // "Failed to fetch" for that and for a CORS refusal alike; `classify` tells them apart.
    return {
      error: new IndexError(IndexErrorCode.Network, unreachableReason(url, cause), { url, cause: error }),
      retryable: true,
      retryAfterMs: null,
      unanswered: this.corsHint,
    };
  }

  /**
   * A browser's "Failed to fetch", told apart: no network at all (the browser knows it is
   * offline), a host that answered without Access-Control-Allow-Origin (the probe got an
   * opaque answer: CORS), a host that did not answer (the probe failed too). When the probe
   * cannot tell, the message names both likely causes.
   */
  private async classify(url: string, failure: AttemptFailure, signal: AbortSignal): Promise<AttemptFailure> {
    const host = hostOf(url);
    const cause = describeCause(failure.error.cause);
    if (isOffline()) {
      return {
        ...failure,
        retryable: false,
        error: new IndexError(
          IndexErrorCode.Network,
          `Could not connect to ${host} to get ${url}: this browser is offline (no network). Connect to a network and try again.`,
          { url, cause: failure.error.cause },
        ),
      };
    }
    const verdict = this.probe ? await this.probe(url, signal).catch(() => 'unknown' as const) : 'unknown';
    signal.throwIfAborted();
    if (verdict === 'no-answer') return failure;
    if (verdict === 'answered') {
      return {
        ...failure,
        retryable: false,
        error: new IndexError(
          IndexErrorCode.Cors,
          `${host} answered, but it does not allow cross-origin requests (CORS): its answer to ${url} has no ` +
            'Access-Control-Allow-Origin header, so the browser keeps it from the page. Use an index that sends ' +
            'the header (pypi.org does), or a proxy that adds it.',
          { url, cause: failure.error.cause },
        ),
      };
    }
    return {
      ...failure,
      error: new IndexError(
        IndexErrorCode.Network,
        `The browser could not fetch ${url} from ${host} (${cause}): there is no network, ${host} did not answer, ` +
          `or it does not allow cross-origin requests (CORS). If ${host} answers in an ordinary browser tab, it ` +
          'most likely lacks Access-Control-Allow-Origin: use an index that sends it (pypi.org does), or a proxy ' +
          'that adds the header.',
        { url, cause: failure.error.cause },
      ),
    };
  }
}

/** What a request that got no answer at all says (Node's fetch, or the browser's probe). */
function unreachableReason(url: string, cause: string): string {
  const host = hostOf(url);
  return `Could not connect to ${host} to get ${url} (${cause}): there is no network, or ${host} did not answer. Check the network connection and the URL.`;
}

/** The body went past its limit (see ByteLimit). Never retried: the next attempt would too. */
function tooLarge(url: string, filename: string | undefined, limit: ByteLimit, got: number, announced: boolean): IndexError {
  const what = filename ?? fileNameOf(url);
  const sent = announced ? `announces ${decimalSize(got)}` : `sent more than ${decimalSize(limit.bytes)}`;
  const reason = limit.declared
    ? `${what} is larger than its index said: ${decimalSize(limit.bytes)} declared, and the server ${sent}. ` +
      'The download was stopped; the index is serving another file than it lists. Tell whoever runs the index.'
    : `${what} is larger than the ${decimalSize(limit.bytes)} Pipette reads for a file whose size the index does not ` +
      `declare (the server ${sent}). The download was stopped.`;
  return new IndexError(IndexErrorCode.TooLarge, reason, { url, filename: filename ?? null });
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
