/**
 * A CacheStore on IndexedDB through idb-keyval, for the browser page and the worker.
 *
 * The schema version lives in the database name (`pipette-cache-v1`), as idb-keyval's
 * custom-stores guide advises: a new layout gets a new database instead of a migration, and an
 * old one can be deleted whole. Every operation is one request in its own transaction, so a
 * `set` from one tab and a `get` from another never see half a value.
 *
 * No Node APIs here: this module is loaded in browsers and workers only.
 */
import { createStore, del, get, keys, set, type UseStore } from 'idb-keyval';
import type { CacheStore } from './cache-store';

export const IDB_SCHEMA_VERSION = 1;
export const IDB_DATABASE_NAME = `pipette-cache-v${IDB_SCHEMA_VERSION}`;
const OBJECT_STORE = 'entries';

export class IdbStore implements CacheStore {
  private readonly store: UseStore;

  /** `databaseName` is for tests that want an isolated database. */
  constructor(databaseName: string = IDB_DATABASE_NAME) {
    this.store = createStore(databaseName, OBJECT_STORE);
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const value: unknown = await get(key, this.store);
    if (value instanceof Uint8Array) return value;
    // Structured clone across realms can hand back an ArrayBuffer view of another type.
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return undefined;
  }

  set(key: string, value: Uint8Array): Promise<void> {
    // A QuotaExceededError DOMException rejects this promise (the transaction aborts); the
    // cache above evicts and retries.
    return set(key, value, this.store);
  }

  del(key: string): Promise<void> {
    return del(key, this.store);
  }

  async keys(): Promise<string[]> {
    const all = await keys(this.store);
    return all.filter((k): k is string => typeof k === 'string');
  }
}
