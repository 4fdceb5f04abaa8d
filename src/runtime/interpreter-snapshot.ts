import type { PyodideAPI } from 'pyodide';
import { createStore, delMany, get, setMany, type UseStore } from 'idb-keyval';
import { packZeroPages, unpackZeroPages } from './zero-pages';
import { execPrivately } from './py-namespace';

// A memory snapshot of the interpreter exactly as loadPyodide leaves it, kept by the browser so
// that a reload restores it instead of starting CPython again. Python's start-up (the stdlib's
// imports, Pyodide's own modules) is most of a boot: ~1.5 s in Chromium, ~150 ms from a snapshot
// (Node: 1,545 ms against 151–175 ms). Pyodide makes and checks the snapshot itself
// (`_makeSnapshot`, `makeMemorySnapshot`, `_loadSnapshot`: its header carries a magic number and
// the build id of pyodide.asm.wasm, and a snapshot of another build is refused), the way its own
// src/templates/makesnap.mjs does.
//
// Made on a boot that found none (the first visit, or the first after Pyodide changed), right
// after loadPyodide and before anything of the session runs Python, so it holds nothing of the
// person's: no environment, no file, no command. Kept once the boot is over (`keep`), off the
// path to the prompt.
//
// What a snapshot would otherwise carry over from one page load to the next:
// - the `random` module's state (tempfile imports it at start-up): reseeded from os.urandom after
//   every restore, as a fresh start seeds it; else every reload would replay the same numbers
//   (`settleRestored`, which also undoes loadPyodide's second '' on sys.path);
// - the str hash secret: fixed per browser instead of per page load. It can't be changed once
//   strings are hashed; the order of a set of strings is already fixed for a tab's life (one
//   interpreter per tab), it now lasts until the snapshot is replaced.
// A snapshot that fails to restore (refused by Pyodide, cut short, unreadable) is deleted and the
// boot starts CPython as without one: the person never sees it, but for the time.

/**
 * Where a snapshot is kept: the browser's IndexedDB (`idbSnapshotStore`), memory in tests. What
 * it was made for is read apart from its ~30 MB, so a boot knows at once whether to wait for them.
 */
export interface SnapshotStore {
  /** What the kept snapshot was made for (`snapshotFor`); undefined when none is kept. */
  madeFor(): Promise<string | undefined>;
  /** The kept snapshot; rejects when there is none. */
  bytes(): Promise<Uint8Array>;
  /** Keeps both at once (one transaction): a reader never finds the one without the other. */
  write(madeFor: string, bytes: Uint8Array<ArrayBuffer>): Promise<void>;
  discard(): Promise<void>;
}

/** Database of its own: the snapshot is neither cache nor workspace, and is replaced whole. */
export const SNAPSHOT_DATABASE_NAME = 'pipette-interpreter-v1';
const MADE_FOR_KEY = 'made-for';
const BYTES_KEY = 'snapshot';

export function idbSnapshotStore(databaseName: string = SNAPSHOT_DATABASE_NAME): SnapshotStore {
  let store: UseStore | null = null;
  const opened = (): UseStore => (store ??= createStore(databaseName, 'keyval'));
  return {
    async madeFor() {
      const value: unknown = await get(MADE_FOR_KEY, opened());
      return typeof value === 'string' ? value : undefined;
    },
    async bytes() {
      const value: unknown = await get(BYTES_KEY, opened());
      if (!(value instanceof Blob)) throw new Error('no interpreter snapshot is kept');
      return unpackZeroPages(new Uint8Array(await value.arrayBuffer()));
    },
    // Without its pages of zeros (zero-pages.ts: half the size), as a Blob: IndexedDB keeps its
    // bytes without serializing them on this thread, and reads them back off it.
    write: (madeFor, bytes) => setMany([[BYTES_KEY, new Blob([packZeroPages(bytes)])], [MADE_FOR_KEY, madeFor]], opened()),
    discard: () => delMany([MADE_FOR_KEY, BYTES_KEY], opened()),
  };
}

/**
 * What a snapshot is valid for: the Pyodide release and where its files are served. Pyodide
 * checks the build id of the WebAssembly itself; this only avoids reading a snapshot that would
 * be refused.
 */
export function snapshotFor(pyodideVersion: string, indexURL: string): string {
  return `pyodide ${pyodideVersion} ${indexURL}`;
}

/** Boot trace marks (bench/boot-trace.ts); a mark is a timestamp, nothing more. */
export type SnapshotMark = 'snapshot-looked-up' | 'snapshot-read' | 'snapshot-restored' | 'snapshot-refused' | 'snapshot-made' | 'snapshot-kept';

export interface SnapshotBootOptions {
  /** loadPyodide with the boot's options; `snapshot` adds Pyodide's snapshot options to them. */
  readonly load: (snapshot: { readonly _loadSnapshot: Promise<Uint8Array> } | { readonly _makeSnapshot: true } | null) => Promise<PyodideAPI>;
  /** Null where nothing can be kept (no IndexedDB): a plain boot. */
  readonly store: SnapshotStore | null;
  readonly for: string;
  readonly mark?: (name: SnapshotMark) => void;
  /** Told once whether to restore is known, right before loadPyodide is called. */
  readonly lookedUp?: () => void;
  /** How long the lookup and the read may take before the boot goes on without them (tests shorten them). */
  readonly patience?: { readonly lookUpMs: number; readonly readMs: number };
}

/**
 * IndexedDB answers a lookup in tens of milliseconds and the read in ~100; a database that does
 * not answer (blocked by another tab, a browser's bug) must not hold the boot: past these, the
 * boot goes on as without a snapshot.
 */
const PATIENCE = { lookUpMs: 2_000, readMs: 10_000 };

export interface SnapshotBoot {
  readonly pyodide: PyodideAPI;
  /** How the interpreter started: from a kept snapshot, or from scratch. */
  readonly restored: boolean;
  /**
   * Keeps the snapshot made on this boot, if one was (writes it to the store once). Called when
   * the boot is over: writing ~30 MB is not done on the way to the prompt.
   */
  keep(): Promise<void>;
}

export async function bootWithSnapshot(options: SnapshotBootOptions): Promise<SnapshotBoot> {
  const { store, mark = () => {}, lookedUp = () => {} } = options;
  const nothingToKeep = async (): Promise<void> => {};
  if (!store) {
    lookedUp();
    return { pyodide: await options.load(null), restored: false, keep: nothingToKeep };
  }

  const patience = options.patience ?? PATIENCE;
  const madeFor = await withinMs(store.madeFor(), patience.lookUpMs).catch(() => undefined);
  mark('snapshot-looked-up');
  lookedUp();
  if (madeFor === options.for) {
    try {
      // The bytes as a promise: loadPyodide fetches its other files while they are read.
      const bytes = withinMs(store.bytes(), patience.readMs).then((b) => {
        mark('snapshot-read');
        return b;
      });
      const pyodide = await options.load({ _loadSnapshot: bytes });
      settleRestored(pyodide);
      mark('snapshot-restored');
      return { pyodide, restored: true, keep: nothingToKeep };
    } catch {
      // Refused (another build), cut short, gone, or an interpreter that does not run: start afresh.
      mark('snapshot-refused');
      await store.discard().catch(() => {});
    }
  }

  const pyodide = await options.load({ _makeSnapshot: true });
  // Before anything else runs Python in it: the snapshot holds Pyodide's start-up and nothing more.
  let made: Uint8Array<ArrayBuffer> | null = null;
  try {
    made = ownBuffer(pyodide.makeMemorySnapshot());
  } catch {
    // Pyodide could not make one (something of start-up it can't serialize): a boot without a
    // snapshot to keep, never a failed boot.
  }
  // `_makeSnapshot` gives Python a `js` module that records the path of everything reached
  // through it, a new JavaScript Proxy at every step (so `js.Object == js.Object` is False). The
  // snapshot is made: this session's `js` is the global object itself, as on any other boot
  // (start-up imports no `js`; the import hook serves the new one). Pyodide's defaults: jsglobals
  // is globalThis, as bootPyodide leaves it.
  pyodide.registerJsModule('js', globalThis);
  if (made) mark('snapshot-made');
  return {
    pyodide,
    restored: false,
    async keep() {
      const bytes = made;
      made = null;
      if (!bytes) return;
      // A full store, a closed database: the next boot starts from scratch, as this one did.
      await store.write(options.for, bytes).then(
        () => mark('snapshot-kept'),
        () => {},
      );
    },
  };
}

/**
 * What a restored interpreter needs to be as a fresh start leaves it (test/integration/runtime/
 * interpreter-snapshot.test.ts compares the two):
 * - `random` continues from the snapshot's state: seeded as a fresh start seeds it (random.seed()
 *   with no argument reads os.urandom: crypto.getRandomValues here);
 * - loadPyodide puts '' first on sys.path after every start, restored ones included, and the
 *   snapshot already holds the one it put there: one is taken out.
 * Also the first Python run after a restore: a snapshot that restores but can't run is refused here.
 */
const SETTLE_RESTORED_PY = `
import random, sys
random.seed()
if sys.path[:2] == ["", ""]:
    del sys.path[0]
`;

function settleRestored(pyodide: PyodideAPI): void {
  // In a namespace of its own: nothing is left in __main__.
  execPrivately(pyodide, SETTLE_RESTORED_PY);
}

/** `promise`, or a rejection once `ms` have passed without its answer. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms)));
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** The snapshot in a buffer of its own (as Pyodide makes it), as a Blob wants it; a copy otherwise. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
}
