import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { IndexCache } from '../../../src/index/cache';
import { FsStore } from '../../../src/index/fs-store';
import { MemoryStore } from '../../../src/index/memory-store';
import type { DistributionFile } from '../../../src/pep';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { BudgetStore, harness, kinds, requestsTo, firstFile } from './helpers';

const MINUTE = 60_000;

/** Deterministic incompressible text, so a wheel's size is about its payload's. */
function noise(seed: number, length: number): string {
  let x = seed;
  let out = '';
  while (out.length < length) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    out += x.toString(36);
  }
  return out.slice(0, length);
}

// Wheels of about 20 kB each, far larger than the pages and the bookkeeping.
const projects: WheelSpec[] = ['aa', 'bb', 'cc', 'dd'].map((name, i) => ({
  name,
  version: '1.0',
  files: { [`${name}/__init__.py`]: `DATA = "${noise(i + 1, 20_000)}"\n` },
}));

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({ projects });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.resetRequests();
});


describe('index page freshness (injected clock)', () => {
  it('answers from the cache for 10 minutes, then refetches', async () => {
    const store = new MemoryStore();
    const clock = { now: Date.UTC(2026, 0, 1) };
    await harness(server, { store, clock }).source.getProject(normalizeName('aa'));
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(1);

    clock.now += 9 * MINUTE + 59_000;
    const fresh = await harness(server, { store, clock }).source.getProject(normalizeName('aa'));
    expect(fresh.kind).toBe('found');
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(1);

    clock.now += 2_000;
    const refetched = await harness(server, { store, clock }).source.getProject(normalizeName('aa'));
    expect(refetched.kind).toBe('found');
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(2);
  });

  it('expires the in-memory answers of a long-lived source too', async () => {
    const clock = { now: Date.UTC(2026, 0, 1) };
    const { source } = harness(server, { clock });
    await source.getProject(normalizeName('bb'));
    await source.getProject(normalizeName('bb'));
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(1);
    clock.now += 11 * MINUTE;
    await source.getProject(normalizeName('bb'));
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(2);
  });

  it('caches "not found" with the same freshness', async () => {
    const store = new MemoryStore();
    const clock = { now: Date.UTC(2026, 0, 1) };
    expect((await harness(server, { store, clock }).source.getProject(normalizeName('nope'))).kind).toBe('not-found');
    expect((await harness(server, { store, clock }).source.getProject(normalizeName('nope'))).kind).toBe('not-found');
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(1);
  });

  it('uses the stale page with a notice when the network is down after expiry', async () => {
    const own = await startIndexServer({ projects: [{ name: 'offline-pkg', version: '1.0' }] });
    const store = new MemoryStore();
    const clock = { now: Date.UTC(2026, 0, 1) };
    await harness(own, { store, clock }).source.getProject(normalizeName('offline-pkg'));
    await own.close();

    clock.now += 45 * MINUTE;
    const { source, events } = harness(own, { store, clock, retries: 1 });
    const answer = await source.getProject(normalizeName('offline-pkg'));
    expect(answer.kind).toBe('found');
    const notices = kinds(events, 'notice');
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ code: 'stale-page' });
    expect((notices[0] as { message: string }).message).toContain(`Using the cached copy of ${own.simpleUrl}offline-pkg/ from 45 minutes ago`);
    expect((notices[0] as { message: string }).message).toContain('Could not connect');
  });

  it('fails without a cached page when the network is down', async () => {
    const { source } = harness(server, { indexUrls: ['http://127.0.0.1:9/simple/'], retries: 0 });
    await expect(source.getProject(normalizeName('aa'))).rejects.toMatchObject({ code: 'network' });
  });

  it('offline policy: any cached page, whatever its age; a clear error otherwise', async () => {
    const store = new MemoryStore();
    const clock = { now: Date.UTC(2026, 0, 1) };
    await harness(server, { store, clock }).source.getProject(normalizeName('aa'));
    server.resetRequests();
    clock.now += 24 * 60 * MINUTE;
    const offline = harness(server, { store, clock, policy: 'offline' }).source;
    expect((await offline.getProject(normalizeName('aa'))).kind).toBe('found');
    await expect(offline.getProject(normalizeName('bb'))).rejects.toMatchObject({ code: 'offline' });
    expect(server.requests).toEqual([]);
  });

  it('refresh policy: always refetches pages', async () => {
    const store = new MemoryStore();
    await harness(server, { store }).source.getProject(normalizeName('aa'));
    await harness(server, { store, policy: 'refresh' }).source.getProject(normalizeName('aa'));
    expect(requestsTo(server, /^\/simple\//)).toHaveLength(2);
  });
});

describe('files by hash', () => {
  it('drops a corrupted cached wheel, re-downloads it and says so', async () => {
    const store = new MemoryStore();
    const { source } = harness(server, { store });
    const file = await firstFile(source, 'cc');
    await source.getWheel(file);
    const key = IndexCache.fileKey(file.hashes['sha256']!, file.filename);
    const bytes = (await store.get(key))!;
    const tampered = bytes.slice();
    tampered[10] = tampered[10]! ^ 0xff;
    await store.set(key, tampered);

    server.resetRequests();
    const again = harness(server, { store });
    const fresh = await again.source.getWheel(file);
    expect(fresh).toEqual(bytes);
    expect(requestsTo(server, /^\/files\//)).toHaveLength(1);
    expect(kinds(again.events, 'notice')).toEqual([expect.objectContaining({ code: 'cache-corrupt' })]);
    expect(await store.get(key)).toEqual(bytes);
  });

  it('--no-cache-dir: the given store is neither read nor written', async () => {
    const store = new MemoryStore();
    const { source } = harness(server, { store, noCache: true });
    const file = await firstFile(source, 'aa');
    await source.getWheel(file);
    await source.getMetadata(file);
    expect(await store.keys()).toEqual([]);
  });
});

describe('a full store', () => {
  it('evicts least recently used wheels and goes on; never fails the download', async () => {
    const wheels = server.dists.map((d) => d.bytes.length);
    const budget = wheels[0]! + wheels[1]! + wheels[2]! + 8000; // three wheels, the pages and the bookkeeping fit
    const store = new BudgetStore(budget);
    const clock = { now: Date.UTC(2026, 0, 1) };
    const { source, events } = harness(server, { store, clock });
    const files: DistributionFile[] = [];
    for (const name of ['aa', 'bb', 'cc', 'dd']) files.push(await firstFile(source, name));
    for (const file of files.slice(0, 3)) {
      clock.now += 1000;
      await source.getWheel(file);
    }
    // Use `aa` again, so `bb` is now the least recently used.
    clock.now += 1000;
    await source.getWheel(files[0]!);
    clock.now += 1000;
    const dd = await source.getWheel(files[3]!);
    expect(dd).toEqual(server.dists[3]!.bytes);

    expect(store.quotaErrors).toBeGreaterThan(0);
    expect(store.inner.bytes).toBeLessThanOrEqual(budget);
    const cachedFiles = (await store.keys()).filter((k) => k.startsWith('file-v1/')).map((k) => k.split('/').pop());
    expect(cachedFiles.sort()).toEqual(['aa-1.0-py3-none-any.whl', 'cc-1.0-py3-none-any.whl', 'dd-1.0-py3-none-any.whl']);
    const evicted = kinds(events, 'notice').filter((e) => e.kind === 'notice' && e.code === 'cache-evicted');
    expect(evicted).toHaveLength(1);
    expect((evicted[0] as { message: string }).message).toContain('removed 1 least recently used file');
  });

  it('goes on uncached when a file is larger than the whole store', async () => {
    const store = new BudgetStore(500);
    const { source, events } = harness(server, { store });
    const file = await firstFile(source, 'aa');
    expect(await source.getWheel(file)).toEqual(server.dists[0]!.bytes);
    expect(kinds(events, 'notice')).toContainEqual(expect.objectContaining({ code: 'cache-write-failed' }));
  });

  it('rebuilds lost LRU bookkeeping: entries it does not know are evicted first', async () => {
    const wheels = server.dists.map((d) => d.bytes.length);
    const store = new BudgetStore(wheels[0]! + wheels[1]! + 8000); // two wheels fit, not three
    const first = harness(server, { store });
    const a = await firstFile(first.source, 'aa');
    await first.source.getWheel(a);
    // Another tab overwrote the bookkeeping without `aa`.
    await store.del('lru-v1');

    const clock = { now: Date.UTC(2026, 0, 2) };
    const second = harness(server, { store, clock });
    const listed = await second.source.cache.list();
    expect(listed.filter((e) => e.kind === 'file').map((e) => [e.name, e.size, e.usedAt])).toEqual([
      [a.filename, wheels[0], 0],
    ]);
    const b = await firstFile(second.source, 'bb');
    const c = await firstFile(second.source, 'cc');
    clock.now += 1000;
    await second.source.getWheel(b);
    clock.now += 1000;
    await second.source.getWheel(c);
    const cachedFiles = (await store.keys()).filter((k) => k.startsWith('file-v1/')).map((k) => k.split('/').pop());
    expect(cachedFiles.sort()).toEqual([b.filename, c.filename]);
  });
});

describe('stats, list, purge', () => {
  it('counts entries and bytes by kind, lists names, purges selectively and fully', async () => {
    const store = new MemoryStore();
    const { source } = harness(server, { store });
    const file = await firstFile(source, 'aa');
    await source.getMetadata(file);
    await source.getWheel(file);
    const stats = await source.cache.stats();
    expect(stats.byKind.page.entries).toBe(1);
    expect(stats.byKind.metadata.entries).toBe(1);
    expect(stats.byKind.file).toEqual({ entries: 1, bytes: server.dists[0]!.bytes.length });
    expect(stats.entries).toBe(3);
    expect(stats.bytes).toBeGreaterThan(server.dists[0]!.bytes.length);
    const names = (await source.cache.list()).map((e) => [e.kind, e.name]);
    expect(names).toContainEqual(['file', file.filename]);
    expect(names).toContainEqual(['metadata', `${file.filename}.metadata`]);
    expect(names).toContainEqual(['page', `aa (${server.simpleUrl})`]);

    expect(await source.cache.purge((e) => e.kind === 'file')).toBe(1);
    expect((await source.cache.stats()).byKind.file.entries).toBe(0);
    expect(await source.cache.purge()).toBe(2);
    expect(await store.keys()).toEqual([]);
  });
});

describe('FsStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pipette-fs-store-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('round-trips any key, lists them, deletes them, and leaves no temporary files', async () => {
    const store = new FsStore(join(dir, 'a'));
    const keys = ['simple-v1/https%3A%2F%2Fpypi.org%2Fsimple%2F/requests', 'x', 'x/y', '..', 'a/./b', 'ünï cøde/%', ''];
    for (const [i, key] of keys.entries()) await store.set(key, new Uint8Array([i, 1, 2]));
    expect((await store.keys()).sort()).toEqual([...keys].sort());
    for (const [i, key] of keys.entries()) expect(await store.get(key)).toEqual(new Uint8Array([i, 1, 2]));
    await store.set('x', new Uint8Array([9]));
    expect(await store.get('x')).toEqual(new Uint8Array([9]));
    await store.del('x');
    expect(await store.get('x')).toBeUndefined();
    expect(await store.get('never')).toBeUndefined();
    const all = await readdir(join(dir, 'a'), { recursive: true });
    expect(all.filter((f) => String(f).endsWith('.tmp'))).toEqual([]);
  });

  it('is a warm cache for a second process: zero requests', async () => {
    const root = join(dir, 'warm');
    const first = harness(server, { store: new FsStore(root) });
    const file = await firstFile(first.source, 'dd');
    await first.source.getMetadata(file);
    await first.source.getWheel(file);
    server.resetRequests();
    const second = harness(server, { store: new FsStore(root) });
    const again = await firstFile(second.source, 'dd');
    await second.source.getMetadata(again);
    expect(await second.source.getWheel(again)).toEqual(server.dists[3]!.bytes);
    expect(server.requests).toEqual([]);
  });

  it('survives two writers of the same content-addressed key at once', async () => {
    const root = join(dir, 'race');
    const a = harness(server, { store: new FsStore(root) });
    const b = harness(server, { store: new FsStore(root) });
    const fa = await firstFile(a.source, 'bb');
    const fb = await firstFile(b.source, 'bb');
    await Promise.all([a.source.getWheel(fa), b.source.getWheel(fb), a.source.getMetadata(fa), b.source.getMetadata(fb)]);
    server.resetRequests();
    const c = harness(server, { store: new FsStore(root) });
    expect(await c.source.getWheel(fa)).toEqual(server.dists[1]!.bytes);
    expect(server.requests).toEqual([]);
  });
});
