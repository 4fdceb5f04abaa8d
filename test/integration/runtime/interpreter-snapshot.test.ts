import { describe, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { bootWithSnapshot, snapshotFor, type SnapshotMark, type SnapshotStore } from '../../../src/runtime/interpreter-snapshot';

// A reload starts the interpreter from the memory snapshot the first boot kept, instead of
// starting CPython again (src/runtime/interpreter-snapshot.ts). Here with the real Pyodide of
// node_modules and a store in memory; test/e2e/interpreter-snapshot.test.ts shows it in
// Chromium with IndexedDB.

const FOR = snapshotFor('314.0.7', 'https://example.test/pyodide/');

/** A store in memory that counts what was asked of it. */
class MemorySnapshotStore implements SnapshotStore {
  kept: { madeFor: string; bytes: Uint8Array } | null = null;
  reads = 0;
  discards = 0;
  failing = false;
  async madeFor(): Promise<string | undefined> {
    if (this.failing) throw new Error('the database is closed');
    return this.kept?.madeFor;
  }
  async bytes(): Promise<Uint8Array> {
    this.reads++;
    if (!this.kept) throw new Error('none kept');
    return this.kept.bytes;
  }
  async write(madeFor: string, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
    if (this.failing) throw new Error('QuotaExceededError');
    this.kept = { madeFor, bytes };
  }
  async discard(): Promise<void> {
    this.discards++;
    this.kept = null;
  }
}

type LoadArg = Parameters<Parameters<typeof bootWithSnapshot>[0]['load']>[0];

/** bootWithSnapshot over the real Pyodide, recording what loadPyodide was asked and the marks. */
async function boot(store: SnapshotStore | null, madeFor = FOR) {
  const asked: string[] = [];
  const marks: SnapshotMark[] = [];
  const started = await bootWithSnapshot({
    load: (snapshot: LoadArg) => {
      asked.push(snapshot === null ? 'plain' : '_loadSnapshot' in snapshot ? 'from snapshot' : 'making a snapshot');
      return bootPyodide(snapshot ? { snapshot } : {});
    },
    store,
    for: madeFor,
    mark: (m) => marks.push(m),
  });
  return { ...started, asked, marks };
}

/** Python's view of a JavaScript global is the object itself, the same at every access. */
const JS_IDENTITY = 'import js; from js import Object; f"{js.Object == js.Object} {Object == js.Object}"';

/** What a Python program can see of the interpreter it starts in (beside `random`'s state). */
const FINGERPRINT_PY = `
import sys, os, gc, warnings, signal, json
def _fingerprint():
    return {
        "path": sys.path, "modules": sorted(sys.modules), "env": dict(os.environ), "cwd": os.getcwd(),
        "flags": str(sys.flags), "meta_path": [type(m).__name__ for m in sys.meta_path],
        "path_hooks": [getattr(h, "__name__", type(h).__name__) for h in sys.path_hooks],
        "importer_cache": sorted(sys.path_importer_cache),
        "streams": [type(s).__name__ + ":" + str(getattr(s, "encoding", "")) for s in (sys.stdin, sys.stdout, sys.stderr)],
        "hooks": [getattr(sys.excepthook, "__qualname__", "?"), getattr(sys.displayhook, "__qualname__", "?")],
        "recursion": sys.getrecursionlimit(), "gc": [gc.isenabled(), gc.get_threshold()],
        "warnings": [str(f) for f in warnings.filters],
        "signals": {n: str(signal.getsignal(getattr(signal, n))) for n in ("SIGINT", "SIGTERM")},
        "main": sorted(vars(sys.modules["__main__"])),
        "argv": sys.argv, "executable": sys.executable, "prefix": [sys.prefix, sys.base_prefix, sys.exec_prefix],
        "root": sorted(os.listdir("/")), "tmp": sorted(os.listdir("/tmp")),
    }
json.dumps(_fingerprint())
`;
const fingerprint = (py: PyodideAPI): unknown => {
  const namespace = (py.globals.get('dict') as () => { destroy(): void })();
  try {
    return JSON.parse(py.runPython(FINGERPRINT_PY, { globals: namespace as never }) as string);
  } finally {
    namespace.destroy();
  }
};

const draws = (py: PyodideAPI): string => py.runPython('import random; repr([random.random() for _ in range(3)])') as string;

describe('an interpreter snapshot', () => {
  test('the first boot makes one, keeps it once the boot is over, and the next boots start from it with Python whole', async () => {
    const store = new MemorySnapshotStore();
    const first = await boot(store);
    expect(first.restored).toBe(false);
    expect(first.asked).toEqual(['making a snapshot']);
    expect(store.kept).toBeNull(); // nothing written on the way to the prompt
    await first.keep();
    expect(store.kept?.madeFor).toBe(FOR);
    expect(store.kept!.bytes.byteLength).toBeGreaterThan(1_000_000);
    await first.keep(); // once
    expect(first.marks).toEqual(['snapshot-looked-up', 'snapshot-made', 'snapshot-kept']);
    // The interpreter that made it reaches JavaScript as any other: `js` is the global object.
    expect(first.pyodide.runPython(JS_IDENTITY)).toBe('True True');

    const second = await boot(store);
    const third = await boot(store);
    for (const restored of [second, third]) {
      expect(restored.restored).toBe(true);
      expect(restored.asked).toEqual(['from snapshot']);
      expect(restored.marks).toEqual(['snapshot-looked-up', 'snapshot-read', 'snapshot-restored']);
      const py = restored.pyodide;
      // A stdlib module the start-up did not import: read from the stdlib zip of this boot's filesystem.
      expect(py.runPython('import decimal; str(decimal.Decimal(1) / 8)')).toBe('0.125');
      expect(py.runPython('import sys; ".".join(map(str, sys.version_info[:2]))')).toBe('3.14');
      py.FS.writeFile('/tmp/x.txt', 'written after the restore');
      expect(py.runPython('open("/tmp/x.txt").read()')).toBe('written after the restore');
      // JavaScript is reached from Python as on a fresh start.
      expect(py.runPython('from js import JSON; JSON.stringify([1, 2])')).toBe('[1,2]');
      expect(py.runPython(JS_IDENTITY)).toBe('True True');
    }
    // A program sees the interpreter a fresh start gives it (sys.path, modules, environment, ...).
    const [fresh, untouched] = [await bootPyodide(), await boot(store)];
    expect(untouched.restored).toBe(true);
    expect(fingerprint(untouched.pyodide)).toEqual(fingerprint(fresh));
    // Each restore seeds `random` afresh: the snapshot's state would give both the same numbers.
    expect(draws(second.pyodide)).not.toBe(draws(third.pyodide));
    // Nothing the first session did is in the snapshot (it was made before anything ran).
    first.pyodide.runPython('import builtins; builtins.left_by_the_first_session = 1');
    expect(third.pyodide.runPython('import builtins; hasattr(builtins, "left_by_the_first_session")')).toBe(false);
    expect(store.reads).toBe(3);
    await second.keep();
    expect(second.marks).not.toContain('snapshot-kept');
  }, 120_000);

  test('a snapshot made for another Pyodide or place is not read; one that does not restore is deleted and Python starts afresh', async () => {
    const store = new MemorySnapshotStore();
    const first = await boot(store);
    await first.keep();
    const good = store.kept!.bytes;

    const elsewhere = await boot(store, snapshotFor('314.0.8', 'https://example.test/pyodide/'));
    expect(elsewhere.restored).toBe(false);
    expect(elsewhere.asked).toEqual(['making a snapshot']);
    expect(store.reads).toBe(0);
    expect(elsewhere.pyodide.runPython('1 + 1')).toBe(2);

    // Another build's header (its build id), bytes cut short, and bytes that are no snapshot.
    const otherBuild = good.slice();
    otherBuild[20] = otherBuild[20]! ^ 0xff;
    for (const bytes of [otherBuild, good.slice(0, good.byteLength >> 1), new Uint8Array(4096).fill(7)]) {
      store.kept = { madeFor: FOR, bytes };
      const discards = store.discards;
      const refused = await boot(store);
      expect(refused.restored).toBe(false);
      expect(refused.asked).toEqual(['from snapshot', 'making a snapshot']);
      expect(refused.marks).toEqual(['snapshot-looked-up', 'snapshot-read', 'snapshot-refused', 'snapshot-made']);
      expect(store.discards).toBe(discards + 1);
      expect(store.kept).toBeNull();
      expect(refused.pyodide.runPython('import decimal; str(decimal.Decimal(1) / 8)')).toBe('0.125');
      // Its own snapshot replaces the refused one.
      await refused.keep();
      expect(store.kept?.madeFor).toBe(FOR);
    }
  }, 180_000);

  test('without a store nothing is made; a store that fails, or never answers, leaves a plain start', async () => {
    const none = await boot(null);
    expect(none.asked).toEqual(['plain']);
    expect(none.marks).toEqual([]);
    // Only an interpreter started with _makeSnapshot can make one: this one was not.
    expect(() => none.pyodide.makeMemorySnapshot()).toThrow(/_makeSnapshot/);

    const broken = new MemorySnapshotStore();
    broken.failing = true;
    const started = await boot(broken);
    expect(started.asked).toEqual(['making a snapshot']);
    await expect(started.keep()).resolves.toBeUndefined();
    expect(broken.kept).toBeNull();
    expect(started.marks).toEqual(['snapshot-looked-up', 'snapshot-made']);
    expect(started.pyodide.runPython('1 + 1')).toBe(2);

    // A database that never answers holds the boot no longer than its patience: a lookup that
    // hangs is none kept; a read that hangs is a snapshot refused.
    const hanging = new MemorySnapshotStore();
    const never = new Promise<never>(() => {});
    hanging.madeFor = () => never;
    const noLookUp = await bootWithSnapshot({ load: (snapshot) => bootPyodide(snapshot ? { snapshot } : {}), store: hanging, for: FOR, patience: { lookUpMs: 50, readMs: 50 } });
    expect(noLookUp.restored).toBe(false);
    expect(noLookUp.pyodide.runPython('1 + 1')).toBe(2);
    const slowRead = new MemorySnapshotStore();
    slowRead.kept = { madeFor: FOR, bytes: new Uint8Array(8) };
    slowRead.bytes = () => never;
    const noRead = await bootWithSnapshot({ load: (snapshot) => bootPyodide(snapshot ? { snapshot } : {}), store: slowRead, for: FOR, patience: { lookUpMs: 50, readMs: 50 } });
    expect(noRead.restored).toBe(false);
    expect(slowRead.discards).toBe(1);
    expect(noRead.pyodide.runPython('1 + 1')).toBe(2);

    // An interpreter Pyodide can't make a snapshot of (here: started without _makeSnapshot) boots all the same.
    const store = new MemorySnapshotStore();
    const unsnapshotable = await bootWithSnapshot({ load: () => bootPyodide(), store, for: FOR });
    await unsnapshotable.keep();
    expect(store.kept).toBeNull();
    expect(unsnapshotable.pyodide.runPython('import decimal; str(decimal.Decimal(1) / 8)')).toBe('0.125');
  }, 120_000);
});
