/**
 * Where the worker keeps the cache and the workspace: IndexedDB, or memory when the browser
 * gives no IndexedDB (private browsing in some browsers, storage blocked by a setting or a
 * policy). Opening is lazy in idb-keyval, so one read per database finds out; a tab without
 * IndexedDB then still works, with downloads cached for the tab's life, and says once, at boot,
 * that nothing will be kept after a reload (rather than a failed save after every command).
 */
import { IDB_DATABASE_NAME, IdbStore, MemoryStore, type CacheStore } from '../index';
import { WORKSPACE_DATABASE_NAME, type WorkspaceStore } from './workspace-store';

export interface BrowserStores {
  readonly cache: CacheStore;
  readonly workspace: WorkspaceStore;
  /** For `pip cache dir`. */
  readonly cacheLocation: string;
  /** Why nothing persists, for the person; null when IndexedDB works. */
  readonly problem: string | null;
}

/** A key no entry has: reading it opens the database and touches nothing. */
const PROBE_KEY = '\u0000pipette-probe';

export async function openBrowserStores(): Promise<BrowserStores> {
  try {
    const cache = new IdbStore();
    const workspace = new IdbStore(WORKSPACE_DATABASE_NAME);
    await Promise.all([cache.get(PROBE_KEY), workspace.get(PROBE_KEY)]);
    return { cache, workspace, cacheLocation: `IndexedDB ${IDB_DATABASE_NAME}`, problem: null };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      cache: new MemoryStore(),
      workspace: new MemoryStore(),
      cacheLocation: 'memory (IndexedDB is not available in this tab)',
      problem:
        `IndexedDB is not available in this tab (${reason}), as in private browsing: downloads are cached in memory for now, ` +
        "and your files and environments won't be kept after a reload. Use a normal window to keep them.",
    };
  }
}
