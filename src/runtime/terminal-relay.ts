/**
 * Both ends of the terminal relay (server: src/cli/terminal-relay.ts), for a page that is not
 * cross-origin isolated and so shares no memory with its worker: a classroom's server reached at
 * http://ADDRESS. The page posts what the person typed and Ctrl+C to the server that served
 * it; the worker, which cannot await while Python runs, fetches them with synchronous requests.
 */

import type { LineAnswer } from './api';

/** A channel's address: `<mount><32 hex digits>/`, known to the page and its worker only. */
export type RelayChannel = string;

/** Page side: a new channel under the relay the server names (`<meta name="pipette-terminal-relay">`). */
export function openRelayChannel(mount: string): PageRelay {
  const id = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  return new PageRelay(`${mount.endsWith('/') ? mount : `${mount}/`}${id}/`);
}

export class PageRelay {
  private seq = 0;
  constructor(readonly channel: RelayChannel) {}

  /** What `input()` waits for: the typed line, end of input (Ctrl+D) or Ctrl+C at its prompt. */
  answer(answer: LineAnswer): Promise<void> {
    return this.post('line', answer.kind === 'line' ? { line: answer.text } : answer.kind === 'eof' ? { eof: true } : { interrupt: true });
  }

  /**
   * 2: Ctrl+C (KeyboardInterrupt in running Python). 0: nothing pending, at the start of each line,
   * so a Ctrl+C that came after the last line ended is not the next one's. Numbered, since two
   * posts may reach the server over two connections in either order.
   */
  signal(value: 0 | 2): Promise<void> {
    return this.post('interrupt', { seq: ++this.seq, signal: value });
  }

  private async post(what: 'line' | 'interrupt', body: unknown): Promise<void> {
    // Bounded: a server that stopped must not hold the terminal.
    await fetch(`${this.channel}${what}`, { method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(2_000) }).then(
      () => undefined,
      () => undefined,
    );
  }
}

/** Worker side: why a relay request failed, in words for the terminal. */
export class RelayUnavailable extends Error {
  override readonly name = 'RelayUnavailable';
}

function get(url: string): { status: number; body: Record<string, unknown> | null } {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', url, false);
  try {
    xhr.send();
  } catch (e) {
    throw new RelayUnavailable(`the server that served this page did not answer (${e instanceof Error ? e.message : String(e)})`);
  }
  if (xhr.status !== 200 && xhr.status !== 204) throw new RelayUnavailable(`the server that served this page answered ${xhr.status}`);
  let body: Record<string, unknown> | null = null;
  try {
    body = xhr.status === 200 ? (JSON.parse(xhr.responseText) as Record<string, unknown>) : null;
  } catch {
    throw new RelayUnavailable('the server that served this page answered something that is not the relay');
  }
  return { status: xhr.status, body };
}

/**
 * Worker side, for `input()`: tells the page a line is wanted (`ask`, which must not wait), then
 * blocks until the answer comes through the relay.
 */
export function relayReadLine(channel: RelayChannel, ask: () => void): LineAnswer {
  ask();
  for (;;) {
    const { status, body } = get(`${channel}line`);
    if (status === 204) continue; // held as long as the server holds a request: ask again
    if (body?.['eof'] === true) return { kind: 'eof' };
    if (body?.['interrupt'] === true) return { kind: 'interrupt' };
    if (typeof body?.['line'] === 'string') return { kind: 'line', text: body['line'] };
    throw new RelayUnavailable('the server that served this page answered something that is not the relay');
  }
}

/**
 * At least this long between two asks for Ctrl+C while Python runs. Measured in Chromium
 * (bench/relay.bench.ts, a CPU-bound loop): asking every 250 ms cost ~15 % more than asking
 * every 10 s, more than the requests' own time accounts for; every 500 ms is the compromise
 * between that and how soon Ctrl+C lands.
 */
const MIN_POLL_MS = 500;
const CLOCK_EVERY = 64;
/** An ask may cost a round trip to the server: at most 1/20 of the time between asks. */
const ROUND_TRIPS_PER_POLL = 20;

/**
 * Worker side, for Ctrl+C: what Pyodide is given as its interrupt buffer. CPython's Emscripten
 * signal check reads `[0]` every few dozen bytecodes of running Python and then writes 0
 * (Python/emscripten_signal.c); this object answers that read from the relay, asking the server
 * at most every 500 ms (or 20 round trips, on a slow network), and 0 in between. A relay that fails is asked again later.
 */
export function relayInterruptView(channel: RelayChannel, now: () => number = () => performance.now()): { 0: number } {
  let next = 0;
  let interval = MIN_POLL_MS;
  // The check runs hundreds of thousands of times a second in a busy loop: the clock is read on
  // one read in 64 only (it is the costliest step left of a read that asks nothing).
  let countdown = 0;
  return new Proxy({ 0: 0 }, {
    get(target, property) {
      if (property !== '0') return Reflect.get(target, property);
      if (--countdown > 0) return 0;
      countdown = CLOCK_EVERY;
      const t = now();
      if (t < next) return 0;
      let signal = 0;
      try {
        signal = Number(get(`${channel}interrupt`).body?.['signal'] ?? 0);
      } catch {
        signal = 0;
      }
      const after = now();
      interval = Math.max(MIN_POLL_MS, (after - t) * ROUND_TRIPS_PER_POLL);
      next = after + interval;
      return signal === 2 ? 2 : 0;
    },
    set() {
      return true; // the check's clear: the server cleared as it answered
    },
  });
}
