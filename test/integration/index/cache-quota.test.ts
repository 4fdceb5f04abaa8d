/**
 * A full cache whose store does not give back the space of deleted entries at once.
 *
 * Chromium's IndexedDB keeps its data in LevelDB: deleting a record writes a tombstone, and the
 * deleted bytes go on counting against the origin's quota until the database is compacted (in
 * the background, some time later). So after a QuotaExceededError, deleting entries does not
 * always make room at once, and a write can go on being refused however much is deleted. The
 * cache's "evict the least recently used, retry" must stop once it has freed well over what the
 * write needs (IndexCache.safeSet): before, it emptied the whole cache for one write that could
 * not fit, and did it again for the next one.
 *
 * LaggingStore is that behaviour over the real Node store (FsStore, a folder): every byte written
 * counts until compact(), the deleted and the overwritten ones too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexCache } from '../../../src/index/cache';
import { quotaExceededError, type CacheStore } from '../../../src/index/cache-store';
import type { IndexEvent, NoticeEvent } from '../../../src/index/events';
import { FsStore } from '../../../src/index/fs-store';
import { sha256Hex } from '../../../src/pep';
import { BudgetStore } from './helpers';

class LaggingStore implements CacheStore {
  /** Bytes counted against the quota: live entries, and deleted or overwritten ones until compact(). */
  private used = 0;
  refusals = 0;

  constructor(
    readonly inner: FsStore,
    readonly budget: number,
  ) {}

  get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    if (this.used + value.length > this.budget) {
      this.refusals++;
      throw quotaExceededError(`${this.used} of ${this.budget} bytes used`);
    }
    await this.inner.set(key, value);
    this.used += value.length;
  }

  del(key: string): Promise<void> {
    // A tombstone: the entry is gone, its bytes still count.
    return this.inner.del(key);
  }

  keys(): Promise<string[]> {
    return this.inner.keys();
  }

  /** LevelDB's compaction: only live entries count again. */
  async compact(): Promise<void> {
    this.used = 0;
    for (const key of await this.inner.keys()) this.used += (await this.inner.get(key))!.length;
  }
}

/** `size` deterministic bytes for file `n` (a stand-in for a wheel: the cache keys files by sha256, it does not read them). */
function fileBytes(n: number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = n;
  for (let i = 0; i < size; i++) bytes[i] = (x = (x * 1103515245 + 12345) % 2 ** 31) & 0xff;
  return bytes;
}

interface Put {
  readonly name: string;
  readonly sha256: string;
  readonly bytes: Uint8Array;
}

async function file(n: number, size: number): Promise<Put> {
  const bytes = fileBytes(n, size);
  return { name: `f${n}-1.0-py3-none-any.whl`, sha256: await sha256Hex(bytes), bytes };
}

/** The file names the store holds, sorted. */
async function cachedFiles(store: CacheStore): Promise<string[]> {
  return (await store.keys())
    .filter((k) => k.startsWith('file-v1/'))
    .map((k) => k.slice(k.lastIndexOf('/') + 1))
    .sort();
}

function notices(events: IndexEvent[]): NoticeEvent[] {
  return events.filter((e): e is NoticeEvent => e.kind === 'notice');
}

const FREE_SPACE = 'Continuing without caching it; the install is not affected. To free space: pip cache remove <pattern>, or pip cache purge.';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pipette-cache-quota-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a store that does not give back deleted space at once (Chromium IndexedDB before compaction)', () => {
  // Lost bookkeeping (another tab overwrote `lru-v1`): the sizes of the entries are read from the
  // store, so the bound still counts what each eviction freed.
  for (const lostBookkeeping of [false, true]) {
    it(`one write that cannot fit costs the cache two files of its size, not all of them${lostBookkeeping ? ' (LRU bookkeeping lost)' : ''}`, async () => {
      // Room for three 20 kB files and the bookkeeping, not four.
      const store = new LaggingStore(new FsStore(join(dir, `lagging-${lostBookkeeping}`)), 3 * 20_000 + 4_000);
      const clock = { now: Date.UTC(2026, 0, 1) };
      const events: IndexEvent[] = [];
      let cache = new IndexCache({ store, now: () => clock.now, reporter: (e) => events.push(e) });
      const [f1, f2, f3, f4, f5] = await Promise.all([file(1, 20_000), file(2, 20_000), file(3, 20_000), file(4, 20_000), file(5, 10_000)]);
      for (const f of [f1!, f2!, f3!]) {
        clock.now += 1000;
        await cache.putFile(f.sha256, f.name, f.bytes);
      }
      expect(await cachedFiles(store)).toEqual([f1!.name, f2!.name, f3!.name]);
      expect(store.refusals).toBe(0);
      if (lostBookkeeping) {
        await store.inner.del('lru-v1');
        cache = new IndexCache({ store, now: () => clock.now, reporter: (e) => events.push(e) });
      }

      // f4 is refused however much is deleted: f1 and f2 (40 kB, twice f4) go, f3 stays.
      clock.now += 1000;
      await cache.putFile(f4!.sha256, f4!.name, f4!.bytes);
      expect(await cachedFiles(store)).toEqual([f3!.name]);
      expect(store.refusals).toBe(3);
      expect(await cache.getFile(f3!.sha256, f3!.name)).toEqual(f3!.bytes);
      expect(notices(events)).toEqual([
        {
          kind: 'notice',
          code: 'cache-write-failed',
          message: `The cache is full: removed 2 least recently used files (40 kB) and there is still no room for ${f4!.name} (20 kB) (the space of removed files is not always given back at once). ${FREE_SPACE}`,
        },
      ]);

      // A small write still fits (an index page): it says nothing of the 40 kB freed.
      const pageKey = IndexCache.pageKey('page', 'https://pypi.org/simple/', 'f5');
      cache.putPage(pageKey, { value: { files: [] }, url: 'https://pypi.org/simple/f5/', lastSerial: null });
      await cache.settled();
      expect(await store.keys()).toContain(pageKey);

      // The next file while the space is still not given back evicts nothing: f3 stays. It goes
      // through another cache over the same store (the runtime has one per pip command, one for
      // bytecode): what one evicted, the others count.
      events.length = 0;
      cache = new IndexCache({ store, now: () => clock.now, reporter: (e) => events.push(e) });
      await cache.putFile(f5!.sha256, f5!.name, f5!.bytes);
      expect(await cachedFiles(store)).toEqual([f3!.name]);
      expect(store.refusals).toBe(4);
      expect(notices(events)).toEqual([
        {
          kind: 'notice',
          code: 'cache-write-failed',
          message: `The cache is full: there is no room for ${f5!.name} (10.0 kB) (the space of files removed earlier has not been given back yet). ${FREE_SPACE}`,
        },
      ]);

      // Compaction gives the space back: the write goes in, nothing more is evicted.
      events.length = 0;
      await store.compact();
      await cache.putFile(f5!.sha256, f5!.name, f5!.bytes);
      expect(await cachedFiles(store)).toEqual([f3!.name, f5!.name]);
      expect(notices(events)).toEqual([]);
    });
  }
});

describe('a store that gives back deleted space at once', () => {
  it('still evicts as many small files as one large write needs', async () => {
    // Five 10 kB files fill it; a 40 kB file needs four of them gone.
    const store = new BudgetStore(5 * 10_000 + 4_000);
    const clock = { now: Date.UTC(2026, 0, 1) };
    const events: IndexEvent[] = [];
    const cache = new IndexCache({ store, now: () => clock.now, reporter: (e) => events.push(e) });
    const small = await Promise.all([1, 2, 3, 4, 5].map((n) => file(n, 10_000)));
    for (const f of small) {
      clock.now += 1000;
      await cache.putFile(f.sha256, f.name, f.bytes);
    }
    const large = await file(6, 40_000);
    clock.now += 1000;
    await cache.putFile(large.sha256, large.name, large.bytes);
    expect(await cachedFiles(store)).toEqual([small[4]!.name, large.name].sort());
    expect(notices(events)).toEqual([{ kind: 'notice', code: 'cache-evicted', message: 'The cache was full: removed 4 least recently used files (40 kB) to make room.' }]);
  });
});
