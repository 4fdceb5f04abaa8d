/**
 * The terminal relay: how a typed line and Ctrl+C reach Python on a page that is not
 * cross-origin isolated.
 *
 * On an isolated page the worker waits for `input()` on memory it shares with the page
 * (src/runtime/stdin-channel.ts) and Pyodide reads Ctrl+C from a shared buffer. A browser gives a
 * page that memory only in a secure context, and a classroom's server reached at
 * http://ADDRESS is not one: there `input()` could only read end of input and a `while True:`
 * could only be stopped by reloading. The worker can still block on a synchronous
 * XMLHttpRequest (allowed in workers), so the server that serves the page passes the line
 * along: the worker asks for it and the request is held until the page posts what the person
 * typed. Ctrl+C goes the same way; the worker asks for it a few times a second while Python
 * runs (src/runtime/terminal-relay.ts).
 *
 * Mounted by vite.config.ts on the dev and preview servers at `<base>__pipette/relay/` and
 * named to the page in `<meta name="pipette-terminal-relay">`. A channel is named by 32 hex
 * digits the page draws at random and shares only with its worker; the server keeps no more
 * than {@link MAX_CHANNELS} (forgetting the least recently used idle one for a new one), a line is
 * at most {@link MAX_LINE_BYTES}, and lines typed ahead are bounded per channel and in all.
 *
 *   GET  <mount><id>/line       the worker: what input() gets ({"line": "..."}, {"eof": true}:
 *                               Ctrl+D, {"interrupt": true}: Ctrl+C at its prompt), held up to
 *                               {@link HOLD_MS}; 204 when nothing came (ask again)
 *   POST <mount><id>/line       the page: one of those
 *   POST <mount><id>/interrupt  the page: {"seq": N, "signal": 2 | 0} (Ctrl+C, or "nothing
 *                               pending" at the start of a line); an older seq than the last is dropped
 *   GET  <mount><id>/interrupt  the worker: {"signal": N}, and the channel's signal is cleared
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const TERMINAL_RELAY_PATH = '__pipette/relay/';
export const MAX_CHANNELS = 256;
export const MAX_LINE_BYTES = 64 * 1024;
/** How long a worker's request for a line is held before it is told to ask again. */
export const HOLD_MS = 20_000;
/** A channel nobody has used for this long is forgotten (its tab was closed). */
const IDLE_MS = 30 * 60_000;
/** Lines posted before the worker asked (the person typed ahead): a few, not a flood. */
const MAX_QUEUED = 16;
/** Bytes of lines waiting over all channels: what a stranger posting to many channels can make it hold. */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

type Answer = { readonly line: string } | { readonly eof: true } | { readonly interrupt: true };

interface Channel {
  readonly lines: Answer[];
  waiting: { res: ServerResponse; timer: ReturnType<typeof setTimeout> } | null;
  signal: number;
  seq: number;
  touched: number;
}

export interface TerminalRelayOptions {
  readonly holdMs?: number;
  readonly maxChannels?: number;
  readonly now?: () => number;
}

/** The relay at `${base}__pipette/relay/`, answering with `headers` (the server's security headers). */
export function terminalRelayMiddleware(base: string, headers: Readonly<Record<string, string>>, options: TerminalRelayOptions = {}): Middleware {
  const mount = `${base.endsWith('/') ? base : `${base}/`}${TERMINAL_RELAY_PATH}`;
  const holdMs = options.holdMs ?? HOLD_MS;
  const maxChannels = options.maxChannels ?? MAX_CHANNELS;
  const now = options.now ?? Date.now;
  /** Least recently used first (a use moves a channel to the end). */
  const channels = new Map<string, Channel>();
  let queuedBytes = 0;
  const forget = (key: string, c: Channel): void => {
    for (const answer of c.lines) queuedBytes -= 'line' in answer ? answer.line.length : 0;
    channels.delete(key);
  };

  const send = (res: ServerResponse, status: number, body?: unknown): void => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text)), 'Cache-Control': 'no-store' });
    res.end(text);
  };

  /**
   * The channel `id`, made on first use. When the server holds as many as it will, the least
   * recently used one without a waiting worker is forgotten, so channels made up by a stranger
   * crowd out nobody's live terminal; null only when every one has a worker waiting.
   */
  const channel = (id: string): Channel | null => {
    const t = now();
    for (const [key, c] of channels) if (c.waiting === null && t - c.touched > IDLE_MS) forget(key, c);
    let c = channels.get(id);
    if (c) channels.delete(id);
    else {
      if (channels.size >= maxChannels) {
        const idle = [...channels].find(([, other]) => other.waiting === null);
        if (!idle) return null;
        forget(idle[0], idle[1]);
      }
      c = { lines: [], waiting: null, signal: 0, seq: -1, touched: t };
    }
    channels.set(id, c);
    c.touched = t;
    return c;
  };

  return (req, res, next) => {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!pathname.startsWith(mount)) return next();
    const match = /^([0-9a-f]{32})\/(line|interrupt)$/.exec(pathname.slice(mount.length));
    if (!match || (req.method !== 'GET' && req.method !== 'POST')) return send(res, 404, { error: 'no such relay request' });
    const [, id, what] = match as unknown as [string, string, 'line' | 'interrupt'];
    const c = channel(id);
    if (!c) return send(res, 503, { error: 'the relay holds as many terminals as it will; close a tab and try again' });

    if (req.method === 'GET' && what === 'interrupt') {
      const signal = c.signal;
      c.signal = 0;
      return send(res, 200, { signal });
    }
    if (req.method === 'GET') {
      const queued = c.lines.shift();
      if (queued) {
        queuedBytes -= 'line' in queued ? queued.line.length : 0;
        return send(res, 200, queued);
      }
      // One reader per channel: a second request replaces the first, which is told to ask again.
      if (c.waiting) (clearTimeout(c.waiting.timer), send(c.waiting.res, 204));
      const waiting = { res, timer: setTimeout(() => c.waiting === waiting && ((c.waiting = null), send(res, 204)), holdMs) };
      c.waiting = waiting;
      res.on('close', () => c.waiting === waiting && (clearTimeout(waiting.timer), (c.waiting = null)));
      return;
    }
    readBody(req, MAX_LINE_BYTES + 64).then(
      (text) => {
        const body = parseJson(text);
        if (what === 'interrupt') {
          const seq = body?.['seq'];
          const signal = body?.['signal'];
          if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || (signal !== 0 && signal !== 2)) return send(res, 400, { error: 'expected {"seq": N, "signal": 0 | 2}' });
          if (seq > c.seq) ((c.seq = seq), (c.signal = signal));
          return send(res, 204);
        }
        const answer: Answer | null =
          body?.['eof'] === true ? { eof: true } : body?.['interrupt'] === true ? { interrupt: true } : typeof body?.['line'] === 'string' ? { line: body['line'] } : null;
        if (!answer) return send(res, 400, { error: 'expected {"line": "..."}, {"eof": true} or {"interrupt": true}' });
        if (c.waiting) {
          const { res: reader, timer } = c.waiting;
          clearTimeout(timer);
          c.waiting = null;
          send(reader, 200, answer);
        } else {
          const size = 'line' in answer ? answer.line.length : 0;
          if (c.lines.length >= MAX_QUEUED || queuedBytes + size > MAX_QUEUED_BYTES) return send(res, 429, { error: 'too many lines typed ahead' });
          c.lines.push(answer);
          queuedBytes += size;
        }
        return send(res, 204);
      },
      () => send(res, 413, { error: `a line is at most ${MAX_LINE_BYTES} bytes` }),
    );
  };
}

/** The request's body as text; rejects past `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Error('too large'));
      } else chunks.push(chunk);
    });
    req.on('end', () => size <= limit && resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
