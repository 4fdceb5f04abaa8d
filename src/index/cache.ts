// Over 400 lines: one IndexCache over one store: eviction must see pages, files and metadata together.
/**
 * The cache above a CacheStore: index pages with a freshness limit, distribution files and
 * metadata by content hash, statistics, listing, purging, and eviction when the store is full.
 *
 * Two kinds of entries, two rules (uv's cache buckets, pip's http + wheels caches):
 * - Index pages and JSON API answers change: stored with their fetch time and
 *   `X-PyPI-Last-Serial`; fresh for 10 minutes (PyPI's own Cache-Control max-age), then
 *   refetched. A stale page is still handed out when the network is down (with a notice).
 * - Files never change: a wheel is stored under its sha256, verified before it is stored and
 *   again before it is used, so it is never stale and never wrong. A corrupted entry is dropped.
 *   What is derived from a wheel (its metadata, its modules compiled for one interpreter) is
 *   stored under the wheel's sha256 too, sealed with the sha256 of its own bytes.
 *
 * Key names carry a schema version (`simple-v1/...`), so a new layout never reads an old one.
 *
 * A full cache never fails an install: when the store rejects a write as over quota, the least
 * recently used files are evicted and the write retried, until twice what it needs is freed; if
 * it still does not fit, the work goes on uncached with a notice (see safeSet). The LRU bookkeeping is one key (`lru-v1`) that may be lost or
 * overwritten by another tab: it is only a hint, rebuilt from `keys()` when missing, and
 * entries it does not know are treated as the oldest.
 */
import { formatSize } from '../pep';
import type { CacheStore } from './cache-store';
import { NoticeCode, safeReporter, type IndexReporter } from './events';
import { isQuotaExceeded } from './index-error';
import { sha256Hex } from '../pep';

/** PyPI serves simple pages with `Cache-Control: max-age=600`. */
export const DEFAULT_MAX_AGE_MS = 10 * 60 * 1000;

export const CacheKind = {
  /** A simple-index project page (parsed). */
  Page: 'page',
  /** A PyPI JSON API answer (project info for the UI). */
  ProjectInfo: 'project-info',
  /** A distribution file (wheel, or a Pyodide lock zip), by sha256. */
  File: 'file',
  /** A distribution's core metadata (PEP 658 file or METADATA read from the wheel). */
  Metadata: 'metadata',
  /** A wheel's modules compiled to bytecode for one interpreter, beside the wheel (by its sha256). */
  Bytecode: 'bytecode',
  /**
   * Which wheel was built from a source (an sdist's sha256, a git commit, a folder's digest):
   * a small pointer to the wheel, itself stored as a File under its own sha256 (pip's wheel cache).
   */
  Built: 'built',
} as const;
export type CacheKind = (typeof CacheKind)[keyof typeof CacheKind];

const PREFIX: Record<CacheKind, string> = {
  page: 'simple-v1/',
  'project-info': 'pypi-json-v1/',
  file: 'file-v1/',
  metadata: 'metadata-v1/',
  bytecode: 'bytecode-v1/',
  built: 'built-v1/',
};
const LRU_KEY = 'lru-v1';
/** When an index was last asked over the network (not a cache entry: never listed, evicted or purged). */
const CONTACT_PREFIX = 'contact-v1/';
/** How often the last contact is written down at most (it only has to tell recent from not). */
const CONTACT_RESOLUTION_MS = 60_000;
/** Per store and index: the time last written (see noteContact). */
const contactsNoted = new WeakMap<CacheStore, Map<string, number>>();

/**
 * Per store, the bytes evicted to make room that no write has used since: freed, but (in
 * Chromium's IndexedDB, until compaction) perhaps still counted against the quota. See safeSet.
 * Kept by store, not by cache: a runtime has several caches over one store (one per pip command,
 * one for bytecode), and each must see what the others evicted. While a store gives nothing
 * back, the cache stops evicting and stops growing; `pip cache purge` still empties it.
 */
const unreturnedBytes = new WeakMap<CacheStore, number>();

/**
 * Writes made behind (IndexCache `behind`) and still under way, per store and key: every cache
 * over a store (a new one per command) waits for them before reading the key.
 */
const writesBehind = new WeakMap<CacheStore, Map<string, Promise<void>>>();

/** A cached page and when it was fetched. */
export interface CachedPage<T> {
  readonly value: T;
  readonly url: string;
  readonly fetchedAt: number;
  /** PyPI's `X-PyPI-Last-Serial` for the project when the index sent it. */
  readonly lastSerial: number | null;
  /** fetchedAt is within the freshness limit. */
  readonly fresh: boolean;
}

export interface CacheEntryInfo {
  readonly key: string;
  readonly kind: CacheKind;
  /** The distribution file name for files and metadata; the project or URL for pages. */
  readonly name: string;
  /** Null when unknown (an entry another tab wrote since the bookkeeping was read). */
  readonly size: number | null;
  /** Last use by this cache (ms since the epoch); 0 when unknown. */
  readonly usedAt: number;
}

export interface CacheStats {
  readonly entries: number;
  readonly bytes: number;
  readonly byKind: Readonly<Record<CacheKind, { readonly entries: number; readonly bytes: number }>>;
}

export interface IndexCacheOptions {
  readonly store: CacheStore;
  readonly now: () => number;
  readonly reporter?: IndexReporter;
  /** Freshness limit for pages; 10 minutes by default. */
  readonly maxAgeMs?: number;
}

interface LruRecord {
  size: number | null;
  usedAt: number;
}

export class IndexCache {
  readonly store: CacheStore;
  readonly maxAgeMs: number;
  private readonly now: () => number;
  private readonly report: IndexReporter;
  private lru: Map<string, LruRecord> | null = null;
  private lruLoading: Promise<Map<string, LruRecord>> | null = null;
  private lruDirty = false;
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(options: IndexCacheOptions) {
    this.store = options.store;
    this.now = options.now;
    this.report = safeReporter(options.reporter);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  }

  // ---- pages -------------------------------------------------------------------------------

  /** The key of a project's page on one index. Ex) `simple-v1/https%3A%2F%2Fpypi.org%2Fsimple%2F/requests`. */
  static pageKey(kind: 'page' | 'project-info', indexUrl: string, name: string): string {
    return `${PREFIX[kind]}${encodeURIComponent(indexUrl)}/${name}`;
  }

  async getPage<T>(key: string): Promise<CachedPage<T> | undefined> {
    const bytes = await this.safeGet(key);
    if (!bytes) return undefined;
    try {
      const record = JSON.parse(this.decoder.decode(bytes)) as {
        url: string;
        fetchedAt: number;
        lastSerial: number | null;
        value: T;
      };
      if (typeof record.fetchedAt !== 'number' || typeof record.url !== 'string') throw new Error('bad record');
      const age = this.now() - record.fetchedAt;
      return { ...record, fresh: age >= 0 && age < this.maxAgeMs };
    } catch {
      await this.drop(key, 'an unreadable cached page');
      return undefined;
    }
  }

  /** Stores a page, written behind (the caller goes on at once: see `behind`). */
  putPage<T>(key: string, page: { value: T; url: string; lastSerial: number | null }): void {
    const record = { url: page.url, fetchedAt: this.now(), lastSerial: page.lastSerial, value: page.value };
    const bytes = this.encoder.encode(JSON.stringify(record));
    this.behind(key, () => this.safeSet(key, bytes, false));
  }

  /**
   * The index was just asked over the network: written down (behind, at most once a minute), so
   * that a later tab can tell whether its pages may still be fresh here (src/index/preconnect.ts).
   */
  noteContact(indexUrl: string): void {
    let noted = contactsNoted.get(this.store);
    if (!noted) contactsNoted.set(this.store, (noted = new Map()));
    const now = this.now();
    const last = noted.get(indexUrl);
    if (last !== undefined && now - last < CONTACT_RESOLUTION_MS) return;
    noted.set(indexUrl, now);
    const key = contactKey(indexUrl);
    const bytes = this.encoder.encode(String(now));
    this.behind(key, async () => {
      try {
        await this.store.set(key, bytes);
      } catch {
        // Only a hint: a full store does not evict anything for it.
      }
    });
  }

  /** When `indexUrl` was last asked over the network (noteContact), if known. */
  async lastContact(indexUrl: string): Promise<number | null> {
    const bytes = await this.safeGet(contactKey(indexUrl));
    const at = bytes ? Number(this.decoder.decode(bytes)) : NaN;
    return Number.isFinite(at) ? at : null;
  }

  // ---- files by content hash -----------------------------------------------------------------

  static fileKey(sha256: string, filename: string): string {
    return `${PREFIX.file}${sha256.toLowerCase()}/${filename}`;
  }

  static metadataKey(fileSha256: string, filename: string): string {
    return `${PREFIX.metadata}${fileSha256.toLowerCase()}/${filename}.metadata`;
  }

  /** The bytes of a file whose sha256 is known, verified; undefined when absent or corrupt. */
  async getFile(sha256: string, filename: string): Promise<Uint8Array | undefined> {
    const key = IndexCache.fileKey(sha256, filename);
    const bytes = await this.safeGet(key);
    if (!bytes) return undefined;
    if ((await sha256Hex(bytes)) !== sha256.toLowerCase()) {
      await this.drop(key, `a cached copy of ${filename} that no longer matches its sha256`);
      return undefined;
    }
    await this.touch(key, bytes.length);
    return bytes;
  }

  /**
   * Store a file under its sha256; refuses (silently) bytes that do not match it. `verified`
   * says the caller has just checked the digest, to spare hashing a large wheel twice.
   */
  async putFile(sha256: string, filename: string, bytes: Uint8Array, verified = false): Promise<void> {
    if (!verified && (await sha256Hex(bytes)) !== sha256.toLowerCase()) return;
    await this.safeSet(IndexCache.fileKey(sha256, filename), bytes, true);
  }

  /**
   * The core metadata text of the file with sha256 `fileSha256`. Stored self-verifying
   * (`<sha256 of text>\n<text>`), and when `expectedSha256` is given (the PEP 658 hash) it must
   * match too.
   */
  async getMetadata(fileSha256: string, filename: string, expectedSha256: string | null): Promise<string | undefined> {
    const key = IndexCache.metadataKey(fileSha256, filename);
    const bytes = await this.safeGet(key);
    if (!bytes) return undefined;
    const newline = bytes.indexOf(0x0a);
    const declared = newline === 64 ? this.decoder.decode(bytes.subarray(0, 64)) : '';
    const body = bytes.subarray(newline + 1);
    const actual = await sha256Hex(body);
    if (newline !== 64 || actual !== declared || (expectedSha256 !== null && actual !== expectedSha256.toLowerCase())) {
      await this.drop(key, `a cached metadata file of ${filename} that no longer matches its sha256`);
      return undefined;
    }
    await this.touch(key, bytes.length);
    return this.decoder.decode(body);
  }

  /** Stores a metadata file, written behind (the caller goes on at once: see `behind`). */
  putMetadata(fileSha256: string, filename: string, metadata: Uint8Array): void {
    const key = IndexCache.metadataKey(fileSha256, filename);
    this.behind(key, async () => {
      const header = this.encoder.encode(`${await sha256Hex(metadata)}\n`);
      const bytes = new Uint8Array(header.length + metadata.length);
      bytes.set(header, 0);
      bytes.set(metadata, header.length);
      await this.safeSet(key, bytes, true);
    });
  }

  /**
   * Runs `write` for `key` without the caller waiting for it, after any write of the same key
   * still under way. Pages and metadata files are on the resolver's critical path, one level of
   * the dependency graph after another, and the resolver has them in memory already: waiting for
   * each IndexedDB commit (10–40 ms on a busy device) put that delay on every level. A read of
   * the key waits for its write (`safeGet`), so the cache answers as if it had been written at
   * once; `settled()` waits for them all. `safeSet` reports its own failures (as notices).
   */
  private behind(key: string, write: () => Promise<void>): void {
    const writing = this.writing;
    const before = writing.get(key);
    const done: Promise<void> = (before ?? Promise.resolve())
      .then(write)
      .catch(() => undefined)
      .finally(() => {
        if (writing.get(key) === done) writing.delete(key);
      });
    writing.set(key, done);
  }

  /** The writes under way to this cache's store, from any cache over it (a command's source is one of many). */
  private get writing(): Map<string, Promise<void>> {
    let writing = writesBehind.get(this.store);
    if (!writing) writesBehind.set(this.store, (writing = new Map()));
    return writing;
  }

  /** Once every write made behind so far is in the store (or has failed, with its notice). */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing.values()]);
  }

  /**
   * The key of a wheel's compiled modules for one interpreter (its cache tag, magic number and
   * versions). Ex) `bytecode-v1/<sha256>/cpython-314-2b0e0d0a-3.14.2-pyodide-314.0.7/six-1.17.0-py2.py3-none-any.whl`.
   */
  static bytecodeKey(fileSha256: string, interpreter: string, filename: string): string {
    return `${PREFIX.bytecode}${fileSha256.toLowerCase()}/${encodeURIComponent(interpreter)}/${filename}`;
  }

  /** The compiled modules of a wheel stored by {@link putBytecode}; undefined when absent or damaged. */
  async getBytecode(fileSha256: string, interpreter: string, filename: string): Promise<Uint8Array | undefined> {
    const key = IndexCache.bytecodeKey(fileSha256, interpreter, filename);
    const bytes = await this.safeGet(key);
    if (!bytes) return undefined;
    const body = await this.unseal(bytes);
    if (!body) {
      await this.drop(key, `compiled bytecode of ${filename} that no longer matches its sha256`);
      return undefined;
    }
    await this.touch(key, bytes.length);
    return body;
  }

  /** Stores what the compiler made of a wheel's modules (any format it reads back), sealed. */
  async putBytecode(fileSha256: string, interpreter: string, filename: string, bundle: Uint8Array): Promise<void> {
    await this.safeSet(IndexCache.bytecodeKey(fileSha256, interpreter, filename), await this.seal(bundle), true);
  }

  // ---- wheels built from source ----------------------------------------------------------------

  static builtKey(sourceKeyDigest: string): string {
    return `${PREFIX.built}${sourceKeyDigest.toLowerCase()}`;
  }

  /**
   * The wheel built from the source whose key digests to `sourceKeyDigest` (a sha256 hex of the
   * source's cache key), verified; undefined when never built here or evicted since.
   */
  async getBuilt(sourceKeyDigest: string): Promise<{ filename: string; sha256: string; bytes: Uint8Array } | undefined> {
    const pointer = await this.safeGet(IndexCache.builtKey(sourceKeyDigest));
    if (!pointer) return undefined;
    let record: { filename?: unknown; sha256?: unknown };
    try {
      record = JSON.parse(this.decoder.decode(pointer)) as { filename?: unknown; sha256?: unknown };
    } catch {
      await this.drop(IndexCache.builtKey(sourceKeyDigest), 'an unreadable built-wheel record');
      return undefined;
    }
    if (typeof record.filename !== 'string' || typeof record.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(record.sha256) || !record.filename.endsWith('.whl')) return undefined;
    const bytes = await this.getFile(record.sha256, record.filename);
    return bytes ? { filename: record.filename, sha256: record.sha256, bytes } : undefined;
  }

  /** Stores a built wheel (as a File under its sha256) and the pointer from its source. */
  async putBuilt(sourceKeyDigest: string, filename: string, sha256: string, bytes: Uint8Array): Promise<void> {
    await this.putFile(sha256, filename, bytes, true);
    await this.safeSet(IndexCache.builtKey(sourceKeyDigest), this.encoder.encode(JSON.stringify({ filename, sha256 })), false);
  }

  // ---- inspection and maintenance (pip cache info / list / purge) ----------------------------

  async list(): Promise<CacheEntryInfo[]> {
    // What was written behind is listed (and purged) too.
    await this.settled();
    const lru = await this.loadLru();
    let keys: string[];
    try {
      keys = await this.store.keys();
    } catch {
      return [];
    }
    const out: CacheEntryInfo[] = [];
    for (const key of keys) {
      const kind = kindOf(key);
      if (!kind) continue;
      let record = lru.get(key);
      if (!record || record.size === null) {
        const bytes = await this.safeGet(key);
        if (!bytes) continue;
        record = { size: bytes.length, usedAt: record?.usedAt ?? 0 };
        lru.set(key, record);
        this.lruDirty = true;
      }
      out.push({ key, kind, name: nameOf(key, kind), size: record.size, usedAt: record.usedAt });
    }
    // Forget bookkeeping for keys that are gone (deleted by another tab).
    const present = new Set(keys);
    for (const key of lru.keys()) {
      if (!present.has(key)) {
        lru.delete(key);
        this.lruDirty = true;
      }
    }
    await this.flush();
    return out.sort((a, b) => a.key.localeCompare(b.key));
  }

  async stats(): Promise<CacheStats> {
    const byKind = {
      page: { entries: 0, bytes: 0 },
      'project-info': { entries: 0, bytes: 0 },
      file: { entries: 0, bytes: 0 },
      metadata: { entries: 0, bytes: 0 },
      bytecode: { entries: 0, bytes: 0 },
      built: { entries: 0, bytes: 0 },
    };
    let entries = 0;
    let bytes = 0;
    for (const entry of await this.list()) {
      const size = entry.size ?? 0;
      byKind[entry.kind].entries++;
      byKind[entry.kind].bytes += size;
      entries++;
      bytes += size;
    }
    return { entries, bytes, byKind };
  }

  /** Delete every entry (or those `filter` selects); returns how many were deleted. */
  async purge(filter?: (entry: CacheEntryInfo) => boolean): Promise<number> {
    const entries = await this.list();
    let removed = 0;
    for (const entry of entries) {
      if (filter && !filter(entry)) continue;
      try {
        await this.store.del(entry.key);
        removed++;
      } catch {
        // A store that cannot delete is a store we cannot help; count what went.
      }
      this.lru?.delete(entry.key);
    }
    if (!filter) {
      await this.store.del(LRU_KEY).catch(() => {});
      this.lru = new Map();
      this.lruDirty = false;
      // And when the indexes were last asked: with their pages gone, the next install asks again.
      const contacts = (await this.store.keys().catch(() => [] as string[])).filter((k) => k.startsWith(CONTACT_PREFIX));
      for (const key of contacts) await this.store.del(key).catch(() => {});
      contactsNoted.delete(this.store);
    } else {
      this.lruDirty = true;
      await this.flush();
    }
    return removed;
  }

  /** Write the LRU bookkeeping if it changed. */
  async flush(): Promise<void> {
    if (!this.lru || !this.lruDirty) return;
    this.lruDirty = false;
    const data: Record<string, [number | null, number]> = {};
    for (const [key, record] of this.lru) data[key] = [record.size, record.usedAt];
    try {
      await this.store.set(LRU_KEY, this.encoder.encode(JSON.stringify(data)));
    } catch {
      // Losing the bookkeeping only makes eviction less precise; it is rebuilt from keys().
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  /** `<sha256 of body>\n<body>`: an entry that tells when it was damaged. */
  private async seal(body: Uint8Array): Promise<Uint8Array> {
    const header = this.encoder.encode(`${await sha256Hex(body)}\n`);
    const bytes = new Uint8Array(header.length + body.length);
    bytes.set(header, 0);
    bytes.set(body, header.length);
    return bytes;
  }

  /** The body of a sealed entry, or null when it does not match its seal. */
  private async unseal(bytes: Uint8Array): Promise<Uint8Array | null> {
    if (bytes.length < 65 || bytes[64] !== 0x0a) return null;
    const body = bytes.subarray(65);
    return (await sha256Hex(body)) === this.decoder.decode(bytes.subarray(0, 64)) ? body : null;
  }

  private async safeGet(key: string): Promise<Uint8Array | undefined> {
    const writing = this.writing.get(key);
    if (writing) await writing;
    try {
      return await this.store.get(key);
    } catch {
      // An unreadable store (private browsing, a broken database) is an empty cache.
      return undefined;
    }
  }

  /**
   * Store `bytes`; on a full store evict least recently used files and retry, up to a bound.
   * Never throws: the cache is an optimisation, an install must not fail because of it.
   *
   * The bound: evicting stops once it has freed twice what the write needs (the slack covers a
   * store's own overhead per entry and the bookkeeping key), counting what earlier evictions
   * freed that the store has not yet given back. Chromium's IndexedDB can go on counting deleted
   * records against the origin's quota until it compacts the database, so "evict, retry" may
   * never see the room it made; unbounded, it emptied the whole cache for one write that was
   * never going to fit, and did it again for the next write. Here the cache loses at most about
   * twice the largest write it could not take, until writes have used up what was freed.
   */
  private async safeSet(key: string, bytes: Uint8Array, track: boolean): Promise<void> {
    const name = nameOf(key, kindOf(key));
    const needed = 2 * bytes.length;
    const unreturned = (): number => unreturnedBytes.get(this.store) ?? 0;
    let evicted = 0;
    let freed = 0;
    for (;;) {
      try {
        await this.store.set(key, bytes);
        // The store took the write: count it as using space that was freed (a small write going
        // in says nothing of the rest; a store that gave the space back soon takes enough writes).
        const left = unreturned() - bytes.length;
        if (left > 0) unreturnedBytes.set(this.store, left);
        else unreturnedBytes.delete(this.store);
        break;
      } catch (error) {
        if (!isQuotaExceeded(error)) {
          this.report({
            kind: 'notice',
            code: NoticeCode.CacheWriteFailed,
            message: `Could not write to the cache (${describe(error)}); continuing without caching ${name}.`,
          });
          return;
        }
        const victim = freed + unreturned() >= needed ? null : await this.leastRecentlyUsedFile(key);
        const size = victim ? (victim.size ?? (await this.safeGet(victim.key))?.length ?? null) : null;
        let deleted = false;
        if (victim) {
          try {
            await this.store.del(victim.key);
            deleted = true;
          } catch {
            // Could not delete it either: stop trying.
          }
        }
        if (!victim || !deleted) {
          const reason: FullCacheReason = victim ? 'undeletable' : freed + unreturned() >= needed ? 'enough-freed' : 'nothing-left';
          this.report({ kind: 'notice', code: NoticeCode.CacheWriteFailed, message: fullCacheMessage(name, bytes.length, evicted, freed, reason) });
          unreturnedBytes.set(this.store, unreturned() + freed);
          await this.flush();
          return;
        }
        this.lru?.delete(victim.key);
        this.lruDirty = true;
        evicted++;
        // An entry whose size cannot be read counts as enough: better to keep the rest than guess.
        freed += size ?? needed;
      }
    }
    if (evicted > 0) {
      this.report({
        kind: 'notice',
        code: NoticeCode.CacheEvicted,
        message: `The cache was full: removed ${evicted} least recently used file${evicted === 1 ? '' : 's'} (${formatSize(freed)}) to make room.`,
      });
    }
    if (track) await this.touch(key, bytes.length);
    await this.flush();
  }

  /** The entry to evict next, other than `except`; entries the bookkeeping lacks count as oldest. */
  private async leastRecentlyUsedFile(except: string): Promise<{ key: string; size: number | null } | null> {
    const lru = await this.loadLru();
    let keys: string[];
    try {
      keys = await this.store.keys();
    } catch {
      keys = [...lru.keys()];
    }
    let best: { key: string; size: number | null; usedAt: number; rank: number } | null = null;
    for (const key of keys) {
      if (key === except) continue;
      const kind = kindOf(key);
      // Wheels first (they are what fills a cache); metadata once no file is left; index pages
      // and project info last (they are small, and they are what works offline).
      const rank = kind === 'file' || kind === 'bytecode' ? 0 : kind === 'metadata' ? 1 : kind === 'page' || kind === 'project-info' || kind === 'built' ? 2 : -1;
      if (rank < 0) continue;
      const record = lru.get(key);
      const usedAt = record?.usedAt ?? 0;
      if (!best || rank < best.rank || (rank === best.rank && usedAt < best.usedAt)) {
        best = { key, size: record?.size ?? null, usedAt, rank };
      }
    }
    return best;
  }

  private async touch(key: string, size: number): Promise<void> {
    const lru = await this.loadLru();
    lru.set(key, { size, usedAt: this.now() });
    this.lruDirty = true;
  }

  private async drop(key: string, what: string): Promise<void> {
    this.report({ kind: 'notice', code: NoticeCode.CacheCorrupt, message: `Removed ${what} from the cache.` });
    try {
      await this.store.del(key);
    } catch {
      // Verification on every read keeps a bad entry from being used even if it stays.
    }
    this.lru?.delete(key);
  }

  private loadLru(): Promise<Map<string, LruRecord>> {
    if (this.lru) return Promise.resolve(this.lru);
    this.lruLoading ??= (async () => {
      const map = new Map<string, LruRecord>();
      const bytes = await this.safeGet(LRU_KEY);
      if (bytes) {
        try {
          const data = JSON.parse(this.decoder.decode(bytes)) as Record<string, [number | null, number]>;
          for (const [key, value] of Object.entries(data)) {
            if (Array.isArray(value) && typeof value[1] === 'number') {
              map.set(key, { size: typeof value[0] === 'number' ? value[0] : null, usedAt: value[1] });
            }
          }
        } catch {
          // Corrupt bookkeeping: start over; list() and eviction rebuild it from keys().
        }
      }
      this.lru = map;
      return map;
    })();
    return this.lruLoading;
  }
}

/**
 * The key of an index's last contact: its URL without credentials (a password is not kept for
 * this) nor fragment, with the trailing slash the index clients give it, so that the URL a page
 * configured and the one the client asked name the same index.
 */
function contactKey(indexUrl: string): string {
  let index = indexUrl;
  try {
    const url = new URL(indexUrl);
    url.username = '';
    url.password = '';
    url.hash = '';
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    index = url.href;
  } catch {
    // Not a URL: kept as given (it names no index a client could ask anyway).
  }
  return `${CONTACT_PREFIX}${encodeURIComponent(index)}`;
}

function kindOf(key: string): CacheKind | null {
  for (const [kind, prefix] of Object.entries(PREFIX) as [CacheKind, string][]) {
    if (key.startsWith(prefix)) return kind;
  }
  return null;
}

function nameOf(key: string, kind: CacheKind | null): string {
  const rest = kind ? key.slice(PREFIX[kind].length) : key;
  if (kind === 'file' || kind === 'metadata') return rest.slice(rest.indexOf('/') + 1);
  // The wheel's file name: `pip cache remove` takes its compiled modules with it.
  if (kind === 'bytecode') return rest.slice(rest.lastIndexOf('/') + 1);
  if (kind === 'page' || kind === 'project-info') {
    const slash = rest.indexOf('/');
    return `${rest.slice(slash + 1)} (${safeDecode(rest.slice(0, slash))})`;
  }
  return rest;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Why a write over quota stopped evicting (see safeSet). */
type FullCacheReason = 'enough-freed' | 'nothing-left' | 'undeletable';

/**
 * Why `name` is not cached, in pip's manner: what happened, what was removed, that the work goes
 * on, and how to make room. Ex) `The cache is full: removed 2 least recently used files (40 kB)
 * and there is still no room for dd-1.0-py3-none-any.whl (20 kB) (the space of removed files is
 * not always given back at once). Continuing without caching it; the install is not affected.
 * To free space: pip cache remove <pattern>, or pip cache purge.`
 */
function fullCacheMessage(name: string, size: number, evicted: number, freed: number, reason: FullCacheReason): string {
  const what = `${name} (${formatSize(size)})`;
  const removed = `removed ${evicted} least recently used file${evicted === 1 ? '' : 's'} (${formatSize(freed)})`;
  const problem =
    reason === 'undeletable'
      ? `${evicted > 0 ? `${removed}, then ` : ''}an entry could not be removed, and there is no room for ${what}`
      : reason === 'nothing-left'
        ? `${evicted > 0 ? `${removed}, nothing more can be removed,` : 'nothing in it can be removed,'} and there is no room for ${what}`
        : evicted > 0
          ? `${removed} and there is still no room for ${what} (the space of removed files is not always given back at once)`
          : `there is no room for ${what} (the space of files removed earlier has not been given back yet)`;
  return `The cache is full: ${problem}. Continuing without caching it; the install is not affected. To free space: pip cache remove <pattern>, or pip cache purge.`;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

