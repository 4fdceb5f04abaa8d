import type { CacheStore } from './cache-store';

/**
 * A CacheStore in memory: for tests, for Node runs that should leave nothing behind, and for
 * `--no-cache-dir` (the session still shares downloads, nothing persists).
 */
export class MemoryStore implements CacheStore {
  private readonly map = new Map<string, Uint8Array>();

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.map.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    // Copy, so a caller mutating its buffer later cannot change what is stored.
    this.map.set(key, value.slice());
  }

  async del(key: string): Promise<void> {
    this.map.delete(key);
  }

  async keys(): Promise<string[]> {
    return [...this.map.keys()];
  }

  /** Total bytes held (for tests and benchmarks). */
  get bytes(): number {
    let total = 0;
    for (const value of this.map.values()) total += value.length;
    return total;
  }
}
