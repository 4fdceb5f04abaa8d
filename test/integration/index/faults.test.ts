/**
 * Every fault switch of the fixture index, through the real fetch layer: each ends in a retry
 * that succeeds or in the typed error a person can act on. Retries use an injected sleep, so
 * the backoff delays are recorded instead of waited for.
 *
 * The CORS path (`noCors`) cannot be exercised here: Node's fetch does not enforce CORS. The
 * message is checked with `corsHint` forced on; the real refusal belongs to the browser tests.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { IndexError } from '../../../src/index/index-error';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { harness, kinds, requestsTo, firstFile } from './helpers';

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'six', version: '1.16.0' },
      { name: 'idna', version: '3.7' },
    ],
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.resetRequests();
});


async function caught(promise: Promise<unknown>): Promise<IndexError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IndexError) return error;
    throw error;
  }
  throw new Error('expected an IndexError, got success');
}

describe('retries', () => {
  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 500, times: 2 } });
    const { source, sleeps, events } = harness(server, { random: () => 0.25 });
    const answer = await source.getProject(normalizeName('six'));
    expect(answer.kind).toBe('found');
    expect(requestsTo(server, /^\/simple\/six\//).map((r) => r.status)).toEqual([500, 500, 200]);
    // 250 ms then 500 ms, each scaled by the jitter factor (0.5 + random) = 0.75.
    expect(sleeps).toEqual([188, 375]);
    expect(kinds(events, 'retry')).toHaveLength(2);
  });

  it('honours Retry-After on a 429', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 429, times: 1, retryAfter: 7 } });
    const { source, sleeps } = harness(server);
    const answer = await source.getProject(normalizeName('six'));
    expect(answer.kind).toBe('found');
    expect(sleeps).toEqual([7000]);
  });

  it('gives up after the configured retries with the status, host and a hint', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 503 } });
    const { source, sleeps } = harness(server, { retries: 3 });
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('http-status');
    expect(error.status).toBe(503);
    expect(error.host).toBe(new URL(server.url).host);
    expect(error.message).toContain(`HTTP error 503 Service Unavailable while getting ${server.simpleUrl}six/`);
    expect(error.message).toContain('try again later');
    expect(sleeps).toHaveLength(3);
    expect(requestsTo(server, /^\/simple\/six\//)).toHaveLength(4);
  });

  it('does not wait for a Retry-After beyond the limit', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 429, retryAfter: 3600 } });
    const { source, sleeps } = harness(server);
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.status).toBe(429);
    expect(error.message).toContain('asked to wait 3600 s');
    expect(sleeps).toEqual([]);
  });

  it('does not retry a 403', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 403 } });
    const { source, sleeps } = harness(server);
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error).toMatchObject({ code: 'http-status', status: 403 });
    expect(error.message).toContain('needs credentials');
    expect(sleeps).toEqual([]);
  });
});

describe('broken bodies and hashes', () => {
  it('retries a body cut short (Content-Length not met) and reports a broken connection', async () => {
    const { source, sleeps } = harness(server, { retries: 2 });
    const file = await firstFile(source, 'six');
    server.setFaults({ truncate: /^\/files\// });
    const error = await caught(source.getWheel(file));
    expect(error.code).toBe('network');
    expect(error.message).toContain('Connection broken while reading');
    expect(sleeps).toHaveLength(2);
    expect(requestsTo(server, /^\/files\//)).toHaveLength(3);
  });

  it('names the file, the expected and the actual digest on a hash mismatch, and caches nothing', async () => {
    server.setFaults({ wrongHash: /^\/files\/six-/ });
    const { source, store, sleeps } = harness(server);
    const file = await firstFile(source, 'six');
    const error = await caught(source.getWheel(file));
    const built = server.dists.find((d) => d.filename === file.filename)!;
    expect(error.code).toBe('hash-mismatch');
    expect(error.filename).toBe(file.filename);
    expect(error.message).toContain(`Hash mismatch for ${file.filename}`);
    expect(error.message).toContain(`Expected sha256 ${file.hashes['sha256']}`);
    expect(error.message).toContain(`Got        ${built.sha256}`);
    expect(sleeps).toEqual([]);
    expect((await store.keys()).filter((k) => k.startsWith('file-v1/'))).toEqual([]);
  });

  it('checks the PEP 658 metadata file against its own hash', async () => {
    server.setFaults({ wrongHash: /\.metadata$/ });
    const { source } = harness(server);
    const file = await firstFile(source, 'six');
    const error = await caught(source.getMetadata(file));
    expect(error.code).toBe('hash-mismatch');
    expect(error.filename).toBe(`${file.filename}.metadata`);
  });

  it('reports invalid JSON as invalid-response, without retrying', async () => {
    server.setFaults({ invalidJson: /^\/simple\/six\/$/ });
    const { source, sleeps } = harness(server);
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('invalid-response');
    expect(error.message).toContain(`Invalid project page from ${server.simpleUrl}six/: not valid JSON`);
    expect(sleeps).toEqual([]);
  });
});

describe('connections', () => {
  it('stops a redirect loop with too-many-redirects', async () => {
    server.setFaults({ redirectLoop: /^\/simple\/six\/$/ });
    const { source, sleeps } = harness(server);
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('too-many-redirects');
    expect(error.message).toContain('keeps redirecting');
    expect(sleeps).toEqual([]);
  });

  it('times out a request that never answers, after the configured timeout and retries', async () => {
    server.setFaults({ hang: /^\/simple\/six\/$/ });
    const { source, sleeps } = harness(server, { timeoutMs: 150, retries: 1 });
    const started = performance.now();
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('timeout');
    expect(error.message).toContain('Read timed out after 0.15 s');
    expect(sleeps).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('reports a refused connection as a network error naming the host', async () => {
    const { source } = harness(server, { indexUrls: ['http://127.0.0.1:9/simple/'], retries: 1 });
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('network');
    expect(error.host).toBe('127.0.0.1:9');
    expect(error.message).toContain('Could not connect to 127.0.0.1:9');
    expect(error.message).not.toContain('CORS');
  });

  it('explains a likely CORS refusal when running in a browser (message path; enforcement is browser-only)', async () => {
    server.setFaults({ noCors: true });
    const { source } = harness(server, { indexUrls: ['http://127.0.0.1:9/simple/'], retries: 0, corsHint: true });
    const error = await caught(source.getProject(normalizeName('six')));
    expect(error.code).toBe('network');
    expect(error.message).toContain('does not allow cross-origin requests (CORS)');
    expect(error.message).toContain('Access-Control-Allow-Origin');
  });

  it('serializes errors as plain data for Comlink', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 418 } });
    const { source } = harness(server);
    const error = await caught(source.getProject(normalizeName('six')));
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'IndexError',
      code: 'http-status',
      status: 418,
      host: new URL(server.url).host,
      url: `${server.simpleUrl}six/`,
    });
  });
});

describe('cancellation and sharing', () => {
  it('cancels a slow request with an AbortSignal', async () => {
    server.setFaults({ latencyMs: 2000 });
    const { source } = harness(server);
    const controller = new AbortController();
    const pending = source.getProject(normalizeName('six'), controller.signal);
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('rejects at once when the signal is already aborted, without a request', async () => {
    const { source } = harness(server);
    const file = await firstFile(source, 'idna');
    server.resetRequests();
    const controller = new AbortController();
    controller.abort();
    await expect(source.getWheel(file, controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toEqual([]);
  });

  it('keeps a shared download going for the callers that did not cancel', async () => {
    const { source } = harness(server);
    const file = await firstFile(source, 'idna');
    server.resetRequests();
    server.setFaults({ latencyMs: 100 });
    const controller = new AbortController();
    const cancelled = source.getWheel(file, controller.signal);
    const kept = source.getWheel(file);
    controller.abort();
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
    const bytes = await kept;
    expect(bytes.length).toBe(server.dists.find((d) => d.filename === file.filename)!.bytes.length);
    expect(requestsTo(server, /^\/files\//)).toHaveLength(1);
  });

  it('cancels waiting out a retry backoff', async () => {
    server.setFaults({ status: { match: /^\/simple\/six\/$/, code: 500 } });
    const controller = new AbortController();
    const { source } = harness(server, {
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          controller.abort();
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
    });
    await expect(source.getProject(normalizeName('six'), controller.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(requestsTo(server, /^\/simple\/six\//)).toHaveLength(1);
  });

  it('holds at most `concurrency` requests in flight', async () => {
    server.setFaults({ latencyMs: 50 });
    const { source } = harness(server, { concurrency: 1 });
    const started = performance.now();
    await Promise.all([source.getProject(normalizeName('six')), source.getProject(normalizeName('idna'))]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(95);
  });
});
