import type { Page } from 'playwright-core';

// What the page's origin keeps of the interpreter snapshot (src/runtime/interpreter-snapshot.ts):
// the database and keys idbSnapshotStore uses, read from the page as any script of the origin could.

export const SNAPSHOT_DATABASE = 'pipette-interpreter-v1';

/** What the kept snapshot was made for, or null when none is kept (the database not even created). */
export function snapshotMadeFor(page: Page): Promise<string | null> {
  return page.evaluate(
    (name) =>
      new Promise<string | null>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onupgradeneeded = () => open.transaction?.abort(); // absent: leave it absent
        open.onerror = () => resolve(null);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('keyval')) return void (db.close(), resolve(null));
          const get = db.transaction('keyval').objectStore('keyval').get('made-for');
          get.onsuccess = () => (db.close(), resolve(typeof get.result === 'string' ? get.result : null));
          get.onerror = () => (db.close(), reject(get.error));
        };
      }),
    SNAPSHOT_DATABASE,
  );
}

/** Waits until the runtime worker has kept its snapshot (a moment after the first prompt). */
export async function snapshotKept(page: Page, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await snapshotMadeFor(page)) === null) {
    if (Date.now() > deadline) throw new Error('no interpreter snapshot was kept');
    await page.waitForTimeout(50);
  }
}
