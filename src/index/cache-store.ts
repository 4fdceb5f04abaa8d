/**
 * The storage a cache sits on: a flat map from string keys to bytes. Implementations:
 * memory-store.ts (tests, `--no-cache-dir`), idb-store.ts (browser and worker, IndexedDB),
 * fs-store.ts (Node, a folder; import it from './node' only).
 *
 * Contract, so that two tabs sharing one IndexedDB cannot corrupt it:
 * - `set` replaces one key atomically: a reader sees the old bytes or the new, never a mix;
 * - nothing spans two keys (no transactions across keys are needed or assumed);
 * - a full store rejects `set` with an error named `QuotaExceededError` (a DOMException in
 *   browsers; fs-store maps ENOSPC/EDQUOT to it), which the cache answers by evicting.
 */
export interface CacheStore {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array): Promise<void>;
  del(key: string): Promise<void>;
  keys(): Promise<string[]>;
}

/** The error a store throws when it is full: a DOMException where one exists, as browsers do. */
export function quotaExceededError(message: string): Error {
  if (typeof DOMException === 'function') return new DOMException(message, 'QuotaExceededError');
  const error = new Error(message);
  error.name = 'QuotaExceededError';
  return error;
}
