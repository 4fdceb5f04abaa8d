/**
 * A wheel built in the tab (src/build) after a reload: its lock record's URL is its source's (the
 * project folder, an sdist, a repository), which holds no such wheel, so the rebuild takes it
 * from the built-wheel cache by its own sha256 and fetches nothing; evicted, the message says
 * which pip install builds it again. The cache is the real IndexCache over a MemoryStore.
 */
import { sha256, toHex } from '../../../src/pep';
import { describe, expect, test } from 'vitest';
import { IndexCache, MemoryStore } from '../../../src/index';
import { MemoryFs, type LockRecord } from '../../../src/install';
import { readLockFiles } from '../../../src/runtime/rebuild';

const WHEEL = new TextEncoder().encode('the bytes of a built wheel');

async function setup(): Promise<{ cache: IndexCache; record: (extra: Partial<LockRecord>) => LockRecord; fetched: string[]; source: { cache: IndexCache; getWheel: (file: { url: string }) => Promise<Uint8Array> } }> {
  const cache = new IndexCache({ store: new MemoryStore(), now: Date.now });
  const sha = toHex(await sha256(WHEEL));
  const fetched: string[] = [];
  const record = (extra: Partial<LockRecord>): LockRecord => ({
    name: 'hello',
    version: '0.1',
    filename: 'hello-0.1-0.editable-py3-none-any.whl',
    url: 'file:///home/pyodide/hello',
    sha256: sha,
    index: null,
    requested: true,
    directUrl: 'file:///home/pyodide/hello',
    built: { kind: 'directory', editable: true },
    ...extra,
  });
  // Records the request and fails as the network would: a built wheel must never be fetched.
  const getWheel = async (file: { url: string }): Promise<Uint8Array> => {
    fetched.push(file.url);
    throw new Error(`fetched ${file.url}`);
  };
  return { cache, record, fetched, source: { cache, getWheel } };
}

describe('rebuilding a wheel built in the tab', () => {
  test('comes from the built-wheel cache by its sha256, with nothing fetched and the folder not read', async () => {
    const { cache, record, fetched, source } = await setup();
    const r = record({});
    await cache.putBuilt('a'.repeat(64), r.filename, r.sha256, WHEEL);
    const read = await readLockFiles(new MemoryFs(), source, [r]);
    expect(read.kind).toBe('ok');
    if (read.kind !== 'ok') throw new Error(read.message);
    expect(read.bytes.get(r.url)).toEqual(WHEEL);
    expect(fetched).toEqual([]);
  });

  test.each([
    ['an editable folder', {}, 'pip install -e /home/pyodide/hello'],
    ['a folder', { built: { kind: 'directory', editable: false } }, 'pip install /home/pyodide/hello'],
    ['a folder whose path needs quoting', { url: 'file:///home/pyodide/my%20project', directUrl: 'file:///home/pyodide/my%20project', built: { kind: 'directory', editable: false } }, "pip install '/home/pyodide/my project'"],
    ['an sdist from an index', { url: 'http://127.0.0.1:9/files/hello-0.1.tar.gz', directUrl: null, index: 'http://127.0.0.1:9/simple/', built: { kind: 'sdist', sha256: 'b'.repeat(64) } }, "pip install 'hello==0.1'"],
  ] as const)('evicted, built from %s: says which pip install builds it again, fetches nothing', async (_, extra, again) => {
    const { record, fetched, source } = await setup();
    const r = record(extra as Partial<LockRecord>);
    const read = await readLockFiles(new MemoryFs(), source, [r]);
    expect(read.kind).toBe('failed');
    if (read.kind !== 'failed') return;
    expect(read.message).toBe(`Could not get ${r.filename} (${r.url}): ${r.filename} was built in this tab and is no longer in the cache; build it again with ${again}`);
    expect(fetched).toEqual([]);
  });
});
