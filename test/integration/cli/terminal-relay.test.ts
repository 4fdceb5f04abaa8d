/**
 * The terminal relay's server side (src/cli/terminal-relay.ts) over a real HTTP server: lines and
 * Ctrl+C pass from the page's posts to the worker's requests, and what a stranger on the room's
 * network can send it is bounded. The whole path, page to Python, is tested in Chromium
 * (test/e2e/classroom.test.ts, a student's machine).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHANNELS, MAX_LINE_BYTES, TERMINAL_RELAY_PATH, terminalRelayMiddleware } from '../../../src/cli/terminal-relay';

const HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'X-Test': 'relay' };
let server: Server;
let mount: string;
let served = 0;

beforeAll(async () => {
  const relay = terminalRelayMiddleware('/app/', HEADERS, { holdMs: 300 });
  server = createServer((req, res) =>
    relay(req, res, () => {
      served++;
      res.writeHead(418).end('next');
    }),
  );
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  mount = `http://127.0.0.1:${(server.address() as AddressInfo).port}/app/${TERMINAL_RELAY_PATH}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

let counter = 0;
/** A fresh channel id: 32 hex digits, as the page draws them. */
const channel = (): string => `${mount}${(++counter).toString(16).padStart(32, '0')}/`;
const post = (url: string, body: unknown): Promise<Response> => fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
const read = async (url: string): Promise<{ status: number; body: unknown }> => {
  const res = await fetch(url);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
};

describe('lines', () => {
  it('a line posted while the worker waits reaches it, in UTF-8, with the server headers and no caching', async () => {
    const c = channel();
    const waiting = fetch(`${c}line`);
    await new Promise((r) => setTimeout(r, 50));
    expect((await post(`${c}line`, { line: 'Zoë 🐍 "quoted" \\ tab\t' })).status).toBe(204);
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-test')).toBe('relay');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ line: 'Zoë 🐍 "quoted" \\ tab\t' });
  });

  it('lines typed before the worker asks are kept, in order; end of input and Ctrl+C at the prompt too', async () => {
    const c = channel();
    await post(`${c}line`, { line: 'first' });
    await post(`${c}line`, { line: '' });
    await post(`${c}line`, { eof: true });
    await post(`${c}line`, { interrupt: true });
    expect(await read(`${c}line`)).toEqual({ status: 200, body: { line: 'first' } });
    expect(await read(`${c}line`)).toEqual({ status: 200, body: { line: '' } });
    expect(await read(`${c}line`)).toEqual({ status: 200, body: { eof: true } });
    expect(await read(`${c}line`)).toEqual({ status: 200, body: { interrupt: true } });
  });

  it('a request nobody answers is let go after the hold (204: ask again), and the next one still gets the line', async () => {
    const c = channel();
    const started = Date.now();
    expect((await read(`${c}line`)).status).toBe(204);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const waiting = read(`${c}line`);
    await post(`${c}line`, { line: 'late' });
    expect(await waiting).toEqual({ status: 200, body: { line: 'late' } });
  });

  it("a reader that went away does not swallow the next line; channels are each other's strangers", async () => {
    const a = channel();
    const b = channel();
    const gone = new AbortController();
    const abandoned = fetch(`${a}line`, { signal: gone.signal }).catch(() => null);
    await new Promise((r) => setTimeout(r, 50));
    gone.abort();
    await abandoned;
    await new Promise((r) => setTimeout(r, 50));
    await post(`${a}line`, { line: 'for a' });
    await post(`${b}line`, { line: 'for b' });
    expect(await read(`${b}line`)).toEqual({ status: 200, body: { line: 'for b' } });
    expect(await read(`${a}line`)).toEqual({ status: 200, body: { line: 'for a' } });
  });

  it('refuses what is not a line: bad JSON, other shapes, a line over the limit, too many typed ahead', async () => {
    const c = channel();
    expect((await post(`${c}line`, 'not json')).status).toBe(400);
    expect((await post(`${c}line`, { line: 42 })).status).toBe(400);
    expect((await post(`${c}line`, ['line'])).status).toBe(400);
    expect((await post(`${c}line`, { eof: 'yes' })).status).toBe(400);
    expect((await post(`${c}line`, { interrupt: 1 })).status).toBe(400);
    expect((await post(`${c}line`, { line: 'x'.repeat(MAX_LINE_BYTES + 100) })).status).toBe(413);
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await post(`${c}line`, { line: String(i) })).status);
    expect(statuses.filter((s) => s === 204)).toHaveLength(16);
    expect(statuses.slice(16)).toEqual([429, 429, 429, 429]);
    // Nothing refused was kept: the first line the worker reads is the first one accepted.
    expect(await read(`${c}line`)).toEqual({ status: 200, body: { line: '0' } });
  });
});

describe('Ctrl+C', () => {
  it('is read once: the worker reading it clears it', async () => {
    const c = channel();
    expect(await read(`${c}interrupt`)).toEqual({ status: 200, body: { signal: 0 } });
    await post(`${c}interrupt`, { seq: 1, signal: 2 });
    expect(await read(`${c}interrupt`)).toEqual({ status: 200, body: { signal: 2 } });
    expect(await read(`${c}interrupt`)).toEqual({ status: 200, body: { signal: 0 } });
  });

  it("the page's later post wins even when it arrives first (a Ctrl+C after a line's start is not undone by that start's clear)", async () => {
    const c = channel();
    await post(`${c}interrupt`, { seq: 2, signal: 2 });
    await post(`${c}interrupt`, { seq: 1, signal: 0 });
    expect((await read(`${c}interrupt`)).body).toEqual({ signal: 2 });
    await post(`${c}interrupt`, { seq: 3, signal: 2 });
    await post(`${c}interrupt`, { seq: 4, signal: 0 });
    expect((await read(`${c}interrupt`)).body).toEqual({ signal: 0 });
  });

  it('refuses other signals and shapes', async () => {
    const c = channel();
    for (const body of [{ seq: 1, signal: 9 }, { seq: 1.5, signal: 2 }, { signal: 2 }, { seq: '1', signal: 2 }, 'nope']) {
      expect((await post(`${c}interrupt`, body)).status).toBe(400);
    }
    expect((await read(`${c}interrupt`)).body).toEqual({ signal: 0 });
  });
});

describe('what is not the relay', () => {
  it('leaves other paths to the next server, and answers 404 under the mount for anything but a channel', async () => {
    const before = served;
    expect((await fetch(`${mount.replace(TERMINAL_RELAY_PATH, '')}index.html`)).status).toBe(418);
    expect(served).toBe(before + 1);
    const id = 'a'.repeat(32);
    for (const path of [`${id}/`, `${id}/other`, `${'A'.repeat(32)}/line`, `${'a'.repeat(31)}/line`, `${'g'.repeat(32)}/line`, `${id}%2Fline`, `${id}/line/x`, '']) {
      expect((await fetch(`${mount}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${mount}${id}/line`, { method: 'PUT', body: '{}' })).status).toBe(404);
    expect((await fetch(`${mount}${id}/line`, { method: 'DELETE' })).status).toBe(404);
  });

  it(`holds at most ${MAX_CHANNELS} channels: a new one pushes out the least recently used idle one, never one a worker waits on`, async () => {
    expect(MAX_CHANNELS).toBe(256);
    const small = terminalRelayMiddleware('/', HEADERS, { holdMs: 1_000, maxChannels: 3 });
    const tiny = createServer((req, res) => small(req, res, () => res.writeHead(418).end()));
    await new Promise<void>((done) => tiny.listen(0, '127.0.0.1', done));
    const at = (n: number): string => `http://127.0.0.1:${(tiny.address() as AddressInfo).port}/${TERMINAL_RELAY_PATH}${n.toString(16).padStart(32, '0')}/`;
    try {
      // A live terminal whose worker waits, then two idle channels (a stranger's), one with a line.
      const live = read(`${at(1)}line`);
      await new Promise((r) => setTimeout(r, 50));
      await post(`${at(2)}line`, { line: 'typed ahead' });
      await post(`${at(3)}interrupt`, { seq: 1, signal: 0 });
      // A fourth: channel 2 (least recently used, idle) is forgotten, with its line; 1 is kept.
      expect((await post(`${at(4)}interrupt`, { seq: 1, signal: 0 })).status).toBe(204);
      await post(`${at(1)}line`, { line: 'for the live one' });
      expect(await live).toEqual({ status: 200, body: { line: 'for the live one' } });
      expect((await read(`${at(2)}line`)).status).toBe(204);
      // When every channel has a worker waiting, a new one is refused, saying why.
      const waiting = [5, 6, 7].map((n) => fetch(`${at(n)}line`));
      await new Promise((r) => setTimeout(r, 100));
      const full = await post(`${at(8)}line`, { line: 'x' });
      expect(full.status).toBe(503);
      expect(await full.json()).toEqual({ error: 'the relay holds as many terminals as it will; close a tab and try again' });
      for (const n of [5, 6, 7]) await post(`${at(n)}line`, { eof: true });
      expect(await Promise.all(waiting.map(async (w) => (await w).json()))).toEqual([{ eof: true }, { eof: true }, { eof: true }]);
    } finally {
      await new Promise<void>((done) => tiny.close(() => done()));
    }
  });
});
