/**
 * Pages and metadata files are written to the cache behind the caller (IndexCache `behind`): a
 * slow store commit (IndexedDB on a busy device) does not hold up the resolver, and nothing
 * else changes: a read of the key, by the same cache or by another over the same store (each
 * command has its own), waits for the write; `settled()` waits for all; a failed write still
 * says so. Over the real Node store (FsStore) with its commits held until the test lets them go.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { IndexCache } from '../../../src/index/cache';
import type { CacheStore } from '../../../src/index/cache-store';
import type { IndexEvent } from '../../../src/index/events';
import { FsStore } from '../../../src/index/fs-store';

/** FsStore whose writes wait for release() (or fail, with `fail`). */
class HeldStore implements CacheStore {
  private gate: Promise<void>;
  private open!: () => void;
  fail: Error | null = null;
  constructor(readonly inner: FsStore) {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }
  release(): void {
    this.open();
  }
  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }
  async set(key: string, value: Uint8Array): Promise<void> {
    await this.gate;
    if (this.fail) throw this.fail;
    return this.inner.set(key, value);
  }
  del(key: string): Promise<void> {
    return this.inner.del(key);
  }
  keys(): Promise<string[]> {
    return this.inner.keys();
  }
}

let dir: string;
let store: HeldStore;
const events: IndexEvent[] = [];
const cacheOver = (s: CacheStore): IndexCache => new IndexCache({ store: s, now: () => 1_000, reporter: (e) => void events.push(e) });
const pageKey = IndexCache.pageKey('page', 'https://pypi.org/simple/', 'six');
const page = { value: { files: ['six-1.17.0-py2.py3-none-any.whl'] }, url: 'https://pypi.org/simple/six/', lastSerial: 7 };
const metadata = new TextEncoder().encode('Metadata-Version: 2.1\nName: six\nVersion: 1.17.0\n');
const sha = 'a'.repeat(64);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-behind-'));
  store = new HeldStore(new FsStore(dir));
  events.length = 0;
});
afterEach(async () => {
  store.release();
  await rm(dir, { recursive: true, force: true });
});

it('returns before the store commits; a read of the key, from this cache or another over the store, waits for the write', async () => {
  const cache = cacheOver(store);
  cache.putPage(pageKey, page);
  cache.putMetadata(sha, 'six-1.17.0-py2.py3-none-any.whl', metadata);
  expect(await store.inner.keys()).toEqual([]);
  const readers = [cache.getPage<typeof page.value>(pageKey), cacheOver(store).getMetadata(sha, 'six-1.17.0-py2.py3-none-any.whl', null)];
  let answered = false;
  void Promise.all(readers).then(() => (answered = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(answered).toBe(false);
  store.release();
  const [readPage, readMetadata] = await Promise.all(readers);
  expect(readPage).toMatchObject({ value: page.value, url: page.url, lastSerial: 7, fresh: true });
  expect(readMetadata).toBe(new TextDecoder().decode(metadata));
});

it('settled() waits for every write made behind; pip cache list sees them', async () => {
  const cache = cacheOver(store);
  cache.putPage(pageKey, page);
  cache.putMetadata(sha, 'six-1.17.0-py2.py3-none-any.whl', metadata);
  let settled = false;
  const waiting = cache.settled().then(() => (settled = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(settled).toBe(false);
  store.release();
  await waiting;
  expect((await store.inner.keys()).filter((k) => k !== 'lru-v1').sort()).toEqual([IndexCache.metadataKey(sha, 'six-1.17.0-py2.py3-none-any.whl'), pageKey].sort());
  expect((await cacheOver(store).list()).map((e) => e.key).sort()).toEqual([IndexCache.metadataKey(sha, 'six-1.17.0-py2.py3-none-any.whl'), pageKey].sort());
});

it('a write that fails behind the caller is still reported, and the key reads as absent', async () => {
  const cache = cacheOver(store);
  store.fail = new Error('disk unplugged');
  cache.putPage(pageKey, page);
  store.release();
  await cache.settled();
  expect(events).toContainEqual(expect.objectContaining({ kind: 'notice', message: expect.stringContaining('Could not write to the cache (Error: disk unplugged)') }));
  expect(await cache.getPage(pageKey)).toBeUndefined();
});

it("an index's last contact is kept without its credentials, and found by the URL with or without them or its trailing slash", async () => {
  const cache = cacheOver(store);
  store.release();
  cache.noteContact('https://alice:s3cret@devpi.example/root/pypi/+simple/');
  await cache.settled();
  const keys = await store.inner.keys();
  expect(keys.join('\n')).not.toContain('s3cret');
  expect(keys.join('\n')).not.toContain('alice');
  expect(await cacheOver(store).lastContact('https://devpi.example/root/pypi/+simple')).toBe(1_000);
  expect(await cacheOver(store).lastContact('https://alice:s3cret@devpi.example/root/pypi/+simple/')).toBe(1_000);
  expect(await cacheOver(store).lastContact('https://pypi.org/simple/')).toBeNull();
});
