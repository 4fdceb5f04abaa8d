/**
 * What a reload's restore reads from IndexedDB, read while Pyodide is still loading: the saved
 * state, the home folder's files and the wheels of every saved lock. None of it needs the
 * interpreter, and on a reload with packages those reads are a good part of the restore
 * (bench/playground.bench.ts traces it), so the worker starts them with loadPyodide and the
 * restore (workspace.ts, rebuild.ts) finds them done.
 *
 * Nothing is trusted more for being early: the restore reads through the same store and the same
 * package source it always uses (wheels checked against the lock's sha256 by the source), in the
 * same order; a read-ahead value is handed out once, and dropped when its key is written or
 * deleted first, so a read never returns older bytes than the store holds. A wheel read that
 * failed early is read again when the restore asks (the network may be back by then).
 */
import type { DistributionFile } from '../pep';
import { distributionFile, type LockFileSource } from './rebuild';
import { decodeState, FILE_PREFIX, STATE_KEY, type WorkspaceStore } from './workspace-store';

export interface RestoreReadAhead {
  /** The workspace store, answering the first read of each key from what was read ahead. */
  readonly store: WorkspaceStore;
  /** `source` answering the first request for each saved lock's wheel from what was read ahead. */
  wheels(source: LockFileSource): LockFileSource;
  /** Drops what the restore did not ask for (a venv whose folder is gone, say). */
  release(): void;
}

/**
 * Starts reading the saved workspace from `store`, and the wheels its locks name through
 * `source` (cache first, as the restore reads them). Returns at once.
 */
export function readRestoreAhead(store: WorkspaceStore, source: LockFileSource): RestoreReadAhead {
  const values = new Map<string, Promise<Uint8Array | undefined>>();
  const wheels = new Map<string, Promise<Uint8Array>>();
  let keys: Promise<string[]> | null = quiet(store.keys());
  const state = quiet(store.get(STATE_KEY));
  values.set(STATE_KEY, state);
  void keys.then((all) => {
    for (const key of all) if (key.startsWith(FILE_PREFIX) && !values.has(key)) values.set(key, quiet(store.get(key)));
  }, () => {});
  void state.then((bytes) => {
    const saved = bytes ? decodeState(bytes).state : null;
    if (!saved) return;
    const records = [...saved.sharedLibraries, ...saved.environments.flatMap((e) => e.lock)];
    // Built wheels and wheels of the virtual filesystem are read by the restore itself (rebuild.ts).
    for (const record of records) {
      if (record.built !== undefined || record.url.startsWith('file:')) continue;
      const file = distributionFile(record);
      const key = wheelKey(file);
      if (!wheels.has(key)) wheels.set(key, quiet(source.getWheel(file)));
    }
  }, () => {});

  const take = <T>(map: Map<string, T>, key: string): T | undefined => {
    const value = map.get(key);
    map.delete(key);
    return value;
  };
  const readAheadStore: WorkspaceStore = {
    get: (key) => take(values, key) ?? store.get(key),
    keys: () => {
      const early = keys;
      keys = null;
      return early ?? store.keys();
    },
    set: (key, value) => {
      values.delete(key);
      keys = null;
      return store.set(key, value);
    },
    del: (key) => {
      values.delete(key);
      keys = null;
      return store.del(key);
    },
  };
  return {
    store: readAheadStore,
    wheels: (given) => ({
      cache: given.cache,
      getWheel: (file, signal) => {
        const early = take(wheels, wheelKey(file));
        return early ? early.catch(() => given.getWheel(file, signal)) : given.getWheel(file, signal);
      },
    }),
    release: () => {
      values.clear();
      wheels.clear();
      keys = null;
    },
  };
}

/** A wheel is the same request only with the same URL and the same expected sha256. */
function wheelKey(file: DistributionFile): string {
  return `${file.hashes['sha256'] ?? ''} ${file.url}`;
}

/** The promise, with its rejection kept for whoever awaits it but not reported as unhandled meanwhile. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {});
  return promise;
}
