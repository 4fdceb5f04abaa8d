/**
 * The restore's read-ahead (src/runtime/restore-read-ahead.ts): what the worker reads from
 * IndexedDB while Pyodide loads is handed to the restore once, never older than the store:
 * a key written or deleted meanwhile is read again, a wheel whose early read failed is asked for
 * again, and what the restore never asked for is dropped. Over a real MemoryStore.
 */
import { describe, expect, test } from 'vitest';
import { IndexCache, MemoryStore } from '../../../src/index';
import type { LockRecord } from '../../../src/install';
import type { DistributionFile } from '../../../src/pep';
import { distributionFile, type LockFileSource } from '../../../src/runtime/rebuild';
import { readRestoreAhead } from '../../../src/runtime/restore-read-ahead';
import { encodeState, STATE_KEY, WORKSPACE_SCHEMA_VERSION, type WorkspaceStore } from '../../../src/runtime/workspace-store';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const text = (data: Uint8Array | undefined): string | undefined => (data === undefined ? undefined : new TextDecoder().decode(data));

/** A store that counts its reads per key. */
function countingStore(): { store: WorkspaceStore; reads: Map<string, number>; keysCalls: () => number } {
  const inner = new MemoryStore();
  const reads = new Map<string, number>();
  let keys = 0;
  return {
    store: {
      get: (key) => {
        reads.set(key, (reads.get(key) ?? 0) + 1);
        return inner.get(key);
      },
      set: (key, value) => inner.set(key, value),
      del: (key) => inner.del(key),
      keys: () => {
        keys++;
        return inner.keys();
      },
    },
    reads,
    keysCalls: () => keys,
  };
}

function record(name: string, extra: Partial<LockRecord> = {}): LockRecord {
  return {
    name,
    version: '1.0',
    filename: `${name}-1.0-py3-none-any.whl`,
    url: `http://127.0.0.1:9/files/${name}-1.0-py3-none-any.whl`,
    sha256: name.charCodeAt(0).toString(16).repeat(32).slice(0, 64),
    index: 'http://127.0.0.1:9/simple/',
    requested: true,
    directUrl: null,
    ...extra,
  };
}

/** A source that answers from `wheels` by URL, failing the first `failures` requests of each. */
function wheelSource(wheels: Record<string, string>, failures = 0): { source: LockFileSource; asked: string[] } {
  const asked: string[] = [];
  const failed = new Map<string, number>();
  return {
    asked,
    source: {
      cache: new IndexCache({ store: new MemoryStore(), now: Date.now }),
      getWheel: async (file: DistributionFile) => {
        asked.push(file.url);
        const n = failed.get(file.url) ?? 0;
        if (n < failures) {
          failed.set(file.url, n + 1);
          throw new Error(`offline: ${file.url}`);
        }
        const data = wheels[file.url];
        if (data === undefined) throw new Error(`no ${file.url}`);
        return bytes(data);
      },
    },
  };
}

async function saved(store: WorkspaceStore, lock: LockRecord[]): Promise<void> {
  await store.set(STATE_KEY, encodeState({ schema: WORKSPACE_SCHEMA_VERSION, active: null, environments: [{ kind: 'base', prefix: '/', options: null, lock }], sharedLibraries: [] }));
  await store.set('file:/home/pyodide/main.py', bytes('print(1)\n'));
  await store.set('dir:/home/pyodide/empty', new Uint8Array());
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('the restore read-ahead', () => {
  test('reads the state, the home files and the locked wheels once; the restore gets them without reading again', async () => {
    const { store, reads, keysCalls } = countingStore();
    const alpha = record('alpha');
    await saved(store, [alpha]);
    const { source, asked } = wheelSource({ [alpha.url]: 'alpha wheel' });
    const ahead = readRestoreAhead(store, source);
    await settle();
    // Read before anyone asked: the state, the file, and the wheel its lock names.
    expect([...reads.keys()].sort()).toEqual(['file:/home/pyodide/main.py', STATE_KEY]);
    expect(asked).toEqual([alpha.url]);

    expect(text(await ahead.store.get(STATE_KEY))).toContain('"alpha"');
    expect((await ahead.store.keys()).sort()).toEqual(['dir:/home/pyodide/empty', 'file:/home/pyodide/main.py', STATE_KEY]);
    expect(text(await ahead.store.get('file:/home/pyodide/main.py'))).toBe('print(1)\n');
    const wheels = ahead.wheels(source);
    expect(text(await wheels.getWheel(distributionFile(alpha)))).toBe('alpha wheel');
    expect(Object.fromEntries(reads)).toEqual({ [STATE_KEY]: 1, 'file:/home/pyodide/main.py': 1 });
    expect(keysCalls()).toBe(1);
    expect(asked).toEqual([alpha.url]);

    // Handed out once: a second read is the store's.
    await ahead.store.get(STATE_KEY);
    await ahead.store.keys();
    expect(reads.get(STATE_KEY)).toBe(2);
    expect(keysCalls()).toBe(2);
  });

  test('a key written or deleted after the read-ahead is read from the store, never the older bytes', async () => {
    const { store } = countingStore();
    await saved(store, []);
    const ahead = readRestoreAhead(store, wheelSource({}).source);
    await settle();
    await ahead.store.set('file:/home/pyodide/main.py', bytes('print(2)\n'));
    await ahead.store.del(STATE_KEY);
    expect(text(await ahead.store.get('file:/home/pyodide/main.py'))).toBe('print(2)\n');
    expect(await ahead.store.get(STATE_KEY)).toBeUndefined();
    // The key list read ahead is stale after a write: the store's own is given.
    await ahead.store.set('file:/home/pyodide/new.py', bytes(''));
    expect(await ahead.store.keys()).toContain('file:/home/pyodide/new.py');
  });

  test('a wheel whose early read failed is asked for again; a wheel of another sha256 is not the one read ahead', async () => {
    const { store } = countingStore();
    const alpha = record('alpha');
    await saved(store, [alpha]);
    const { source, asked } = wheelSource({ [alpha.url]: 'alpha wheel' }, 1);
    const ahead = readRestoreAhead(store, source);
    await settle();
    expect(asked).toEqual([alpha.url]);
    const wheels = ahead.wheels(source);
    expect(text(await wheels.getWheel(distributionFile(alpha)))).toBe('alpha wheel');
    expect(asked).toEqual([alpha.url, alpha.url]);

    const ahead2 = readRestoreAhead(store, source);
    await settle();
    const other = distributionFile({ ...alpha, sha256: 'f'.repeat(64) });
    await ahead2.wheels(source).getWheel(other);
    expect(asked).toEqual([alpha.url, alpha.url, alpha.url, alpha.url]);
  });

  test('built wheels and wheels of the virtual filesystem are left to the restore; release drops what was not asked for', async () => {
    const { store } = countingStore();
    const local = record('local', { url: 'file:///home/pyodide/dist/local-1.0-py3-none-any.whl' });
    const built = record('built', { url: 'file:///home/pyodide/built', built: { kind: 'directory', editable: false } });
    const alpha = record('alpha');
    await saved(store, [local, built, alpha]);
    const { source, asked } = wheelSource({ [alpha.url]: 'alpha wheel' });
    const ahead = readRestoreAhead(store, source);
    await settle();
    expect(asked).toEqual([alpha.url]);
    ahead.release();
    await ahead.wheels(source).getWheel(distributionFile(alpha));
    expect(asked).toEqual([alpha.url, alpha.url]);
  });

  test('a damaged or missing state reads nothing more and breaks nothing', async () => {
    const { store } = countingStore();
    await store.set(STATE_KEY, bytes('not json'));
    const { source, asked } = wheelSource({});
    const ahead = readRestoreAhead(store, source);
    await settle();
    expect(asked).toEqual([]);
    expect(text(await ahead.store.get(STATE_KEY))).toBe('not json');
    const empty = readRestoreAhead(new MemoryStore(), source);
    await settle();
    expect(await empty.store.get(STATE_KEY)).toBeUndefined();
    expect(asked).toEqual([]);
  });
});
