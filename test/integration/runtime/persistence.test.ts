/**
 * The workspace across a reload: a brand-new Pyodide and RuntimeSession over the same workspace
 * store and the same cache store get the files back and every environment rebuilt from its lock,
 * `pip freeze` identical, with no request to the index when the wheels are cached; an
 * environment whose wheels cannot be had is left empty, reported, and its lock kept.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryStore } from '../../../src/index';
import type { RestoreProgress } from '../../../src/runtime/workspace';
import { decodeState, STATE_KEY } from '../../../src/runtime/workspace-store';
import { PIP_VERSION } from '../../../src/pip';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';

const HOME = '/home/pyodide';
const VENV = `${HOME}/work/.venv`;

let server: IndexServer;
let stores: SessionStores;
let before: { base: string; venv: string; tree: string[] };
// What the locks make: both site-packages (every .dist-info file: RECORD, INSTALLER, REQUESTED) and bin/.
const DERIVED = ['/lib/python3.14/site-packages', '/bin', `${VENV}/lib`, `${VENV}/bin`];

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': '__version__ = "1.0"\n' }, entryPoints: { console_scripts: { 'alpha-cli': 'alpha:main' } } },
      { name: 'bravo', version: '1.0', requires: ['charlie'], files: { 'bravo/__init__.py': 'import charlie\n__version__ = "1.0"\n' } },
      { name: 'charlie', version: '0.5' },
      { name: 'delta', version: '3.0' },
    ],
  });
  stores = newStores();
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('a reload', () => {
  test('first load: install in base and in a venv, write files (API and Python), uninstall one', async () => {
    const h = await RuntimeHarness.start(server, stores);
    expect(await h.session.restore()).toEqual({ files: 0, environments: 0, distributions: 0, problems: [] });
    expect((await h.pip(['install', 'bravo', 'delta'])).code).toBe(0);
    expect((await h.pip(['uninstall', '-y', 'delta'])).code).toBe(0);
    expect((await h.session.venv({ kind: 'create', argv: ['work/.venv'] })).exitCode).toBe(0);
    expect((await h.session.venv({ kind: 'activate', path: 'work/.venv/bin/activate' })).exitCode).toBe(0);
    expect((await h.pip(['install', 'alpha'])).code).toBe(0);
    expect(await h.session.writeFile('work/main.py', 'import alpha\nprint(alpha.__version__)\n')).toMatchObject({ kind: 'ok', saved: true });
    await h.py('import os\nos.makedirs("/home/pyodide/empty", exist_ok=True)\nopen("/home/pyodide/work/data.csv", "w").write("a,b\\n1,2\\n")');
    before = { base: await h.freeze('/'), venv: await h.freeze(), tree: h.tree(DERIVED) };
    expect(before).toMatchObject({ base: 'bravo==1.0\ncharlie==0.5\n', venv: 'alpha==1.0\n' });
    expect(before.tree).toContain(`${VENV}/lib/python3.14/site-packages/alpha-1.0.dist-info/REQUESTED e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855`);

    // What the store holds: the locks (files by URL and sha256), not site-packages' files.
    const state = decodeState((await stores.workspace.get(STATE_KEY))!).state!;
    expect(state.active).toBe(VENV);
    expect(state.environments.map((e) => [e.prefix, e.lock.map((d) => `${d.name}==${d.version}`)])).toEqual([
      ['/', ['bravo==1.0', 'charlie==0.5']],
      [VENV, ['alpha==1.0']],
    ]);
    const keys = (await stores.workspace.keys()).sort();
    expect(keys.filter((k) => k.startsWith('file:'))).toEqual([`file:${HOME}/work/.venv/.gitignore`, `file:${HOME}/work/.venv/pyvenv.cfg`, `file:${HOME}/work/data.csv`, `file:${HOME}/work/main.py`]);
    expect(keys).toContain(`dir:${HOME}/empty`);
  });

  test('second load: files back, both environments rebuilt from the cache with no index request, the venv active again', async () => {
    server.resetRequests();
    const h = await RuntimeHarness.start(server, stores);
    const progress: RestoreProgress[] = [];
    const report = await h.session.restore((p) => progress.push(p));
    expect(report).toEqual({ files: 4, environments: 2, distributions: 3, problems: [] });
    expect(server.requests).toEqual([]);
    expect(progress[0]).toEqual({ done: 0, total: 3, environment: null });
    expect(progress.at(-1)).toEqual({ done: 3, total: 3, environment: VENV });
    expect(progress.map((p) => p.done)).toEqual([0, 1, 2, 3]);

    expect(h.session.activeEnvironment()).toMatchObject({ prefix: VENV, name: '.venv', active: true, status: 'ready', distributions: 1 });
    expect({ base: await h.freeze('/'), venv: await h.freeze(), tree: h.tree(DERIVED) }).toEqual(before);
    expect(h.text(`${HOME}/work/main.py`)).toBe('import alpha\nprint(alpha.__version__)\n');
    expect(h.text(`${HOME}/work/data.csv`)).toBe('a,b\n1,2\n');
    expect(h.session.fs.isDirectory(`${HOME}/empty`)).toBe(true);
    // The venv's layout is back (laid out again), and so is the console script its lock installs.
    expect(h.text(`${VENV}/bin/activate`)).toContain(`export VIRTUAL_ENV=${VENV}\n`);
    expect(h.text(`${VENV}/bin/alpha-cli`)).toMatch(new RegExp(`^#!${VENV}/bin/python\n`));
    expect(await h.session.runPython('import runpy\n_ = runpy.run_path("/home/pyodide/work/main.py")')).toMatchObject({ kind: 'ok', stdout: '1.0' });
    expect(await h.py('import alpha; alpha.__version__')).toBe('1.0');
    expect(await h.pyError('import bravo')).toBe("ModuleNotFoundError: No module named 'bravo'");
    await h.session.venv({ kind: 'deactivate' });
    expect(await h.py('import bravo; bravo.__version__')).toBe('1.0');
    expect(await h.py('import importlib.metadata as m; m.version("charlie")')).toBe('0.5');
    // Nothing changed, so nothing is rewritten but the active environment.
    const state = decodeState((await stores.workspace.get(STATE_KEY))!).state!;
    expect(state.active).toBeNull();
    await h.session.venv({ kind: 'activate', path: VENV });
  });

  test('without the cached wheels and with a file the index no longer serves: that environment fails whole and keeps its lock, the others are rebuilt', async () => {
    server.setFaults({ status: { match: /alpha-1\.0/, code: 404 } });
    server.resetRequests();
    const emptyCache = { cache: new MemoryStore(), workspace: stores.workspace };
    const h = await RuntimeHarness.start(server, emptyCache);
    const report = await h.session.restore();
    server.setFaults({});
    expect(report.environments).toBe(1);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toContain(`The environment ${VENV} could not be rebuilt from its lock: `);
    expect(report.problems[0]).toContain('alpha-1.0-py3-none-any.whl');
    // Only wheels were fetched (by URL, from the lock): no index page, no metadata file.
    expect(server.requests.every((r) => r.path.startsWith('/files/') && r.path.endsWith('.whl'))).toBe(true);
    expect(await h.freeze('/')).toBe(before.base);
    expect(h.tree(['/lib/python3.14/site-packages'])).toEqual(before.tree.filter((p) => p.startsWith('/lib/python3.14/site-packages/')));
    expect(h.session.activeEnvironment()).toMatchObject({ prefix: VENV, status: 'restore-failed' });
    expect(h.session.fs.readdir(`${VENV}/lib/python3.14/site-packages`)).toEqual(['pip', `pip-${PIP_VERSION}.dist-info`]);

    // A save (another change elsewhere) keeps the failed environment's lock as it was.
    await h.session.writeFile('note.txt', 'x');
    const state = decodeState((await stores.workspace.get(STATE_KEY))!).state!;
    expect(state.environments.find((e) => e.prefix === VENV)?.lock.map((d) => d.name)).toEqual(['alpha']);

    // With the file served again, the next pip command in it rebuilds it first.
    const r = await h.pip(['list', '--format=freeze']);
    expect(r).toMatchObject({ code: 0, stdout: `alpha==1.0\npip==${PIP_VERSION}\n`, stderr: '' });
    expect(h.session.activeEnvironment().status).toBe('ready');
    expect(await h.py('import alpha; alpha.__version__')).toBe('1.0');
  });

  test('a venv removed from disk is no longer an environment at the next save', async () => {
    const h = await RuntimeHarness.start(server, stores);
    await h.session.restore();
    await h.py('import shutil; shutil.rmtree("/home/pyodide/work/.venv")');
    expect(h.session.environments.list().map((e) => e.prefix)).toEqual(['/']);
    expect(h.session.activeEnvironment().kind).toBe('base');
    const state = decodeState((await stores.workspace.get(STATE_KEY))!).state!;
    expect(state.environments.map((e) => e.prefix)).toEqual(['/']);
    expect((await stores.workspace.keys()).filter((k) => k.includes('.venv'))).toEqual([]);
  });
});
