/**
 * A reload as the worker does it (src/runtime/worker.ts, worker-boot.ts): the saved workspace and
 * the locked wheels are read from the stores while a new Pyodide loads (restore-read-ahead.ts),
 * then the session restores from what was read. The result is the restore's own: the same
 * files, every environment rebuilt, `pip freeze` and every installed file identical, the venv
 * active again, the packages importable, no request to the index; and each key of the workspace
 * store was read once, so the restore took the early reads rather than reading again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createPackageSource, MemoryStore } from '../../../src/index';
import { bootPyodide } from '../../../src/runtime/boot';
import { readInterpreterInfo } from '../../../src/runtime/interpreter';
import { readRestoreAhead } from '../../../src/runtime/restore-read-ahead';
import { RuntimeSession } from '../../../src/runtime/session';
import type { WorkspaceStore } from '../../../src/runtime/workspace-store';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';
import { fsTree } from '../../fixtures/fs-snapshot';

const HOME = '/home/pyodide';
const VENV = `${HOME}/.venv`;
const DERIVED = ['/lib/python3.14/site-packages', '/bin', `${VENV}/lib`, `${VENV}/bin`];

let server: IndexServer;
const stores: SessionStores = { cache: new MemoryStore(), workspace: new MemoryStore() };
let before: { base: string; venv: string; tree: string[] };

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': 'NAME = "alpha"\n' } },
      { name: 'bravo', version: '2.0', requires: ['charlie'], files: { 'bravo/__init__.py': 'import charlie\nNAME = "bravo"\n' } },
      { name: 'charlie', version: '0.5', files: { 'charlie/__init__.py': 'NAME = "charlie"\n' } },
    ],
  });
  const h = await RuntimeHarness.start(server, stores);
  await h.session.restore();
  expect((await h.pip(['install', 'bravo'])).code).toBe(0);
  expect((await h.session.venv({ kind: 'create', argv: ['.venv'] })).exitCode).toBe(0);
  expect((await h.session.venv({ kind: 'activate', path: '.venv/bin/activate' })).exitCode).toBe(0);
  expect((await h.pip(['install', 'alpha'])).code).toBe(0);
  expect(await h.session.writeFile('main.py', 'import alpha\n')).toMatchObject({ kind: 'ok', saved: true });
  before = { base: await h.freeze('/'), venv: await h.freeze(), tree: h.tree(DERIVED) };
  expect(before).toMatchObject({ base: 'bravo==2.0\ncharlie==0.5\n', venv: 'alpha==1.0\n' });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

/** The workspace store, counting reads per key. */
function counting(store: WorkspaceStore): { store: WorkspaceStore; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    store: { get: (k) => (reads.set(k, (reads.get(k) ?? 0) + 1), store.get(k)), set: (k, v) => store.set(k, v), del: (k) => store.del(k), keys: () => store.keys() },
  };
}

describe('a reload with the restore read ahead while Pyodide loads', () => {
  test('restores exactly what the restore alone restores, reading each stored key once, with no request to the index', async () => {
    server.resetRequests();
    const { store, reads } = counting(stores.workspace);
    const source = createPackageSource({ noIndex: true, fetch: globalThis.fetch, cache: stores.cache, retries: 1 });
    // Started before loadPyodide, as worker.ts does.
    const ahead = readRestoreAhead(store, source);
    const py = await bootPyodide();
    const session = new RuntimeSession(py, readInterpreterInfo(py), { indexUrl: server.simpleUrl, pyodidePackagesUrl: null }, stores.cache, globalThis.fetch, {
      workspace: ahead.store,
      restoreSource: (s) => ahead.wheels(s),
    });
    const report = await session.restore();
    ahead.release();
    expect(report).toEqual({ files: 3, environments: 2, distributions: 3, problems: [] });
    expect(server.requests).toEqual([]);
    expect([...reads.values()].every((n) => n === 1)).toBe(true);
    expect([...reads.keys()].sort()).toEqual([`file:${HOME}/.venv/.gitignore`, `file:${HOME}/.venv/pyvenv.cfg`, `file:${HOME}/main.py`, 'state']);

    const out: string[] = [];
    const pip = async (argv: string[], environment?: string): Promise<string> => {
      out.length = 0;
      expect(await session.pip(argv, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) }, environment !== undefined ? { environment } : {})).toBe(0);
      return out.join('');
    };
    expect(session.activeEnvironment()).toMatchObject({ prefix: VENV, active: true, status: 'ready' });
    // Cached bytecode is committed in idle time after the restore (issue 15 item 4): compare once it is in.
    await session.idleBytecode.drained();
    expect({ base: await pip(['freeze'], '/'), venv: await pip(['freeze']), tree: fsTree(session.fs, DERIVED) }).toEqual(before);
    const imported = await session.runPython('import alpha; alpha.NAME');
    expect(imported).toMatchObject({ kind: 'ok', value: 'alpha' });
  });
});
