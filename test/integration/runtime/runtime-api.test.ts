import { afterAll, beforeAll, expect, test } from 'vitest';
import { Shell } from '../../../src/shell';
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { createRuntimeApi } from '../../../src/runtime/runtime-api';
import type { RuntimeApi } from '../../../src/runtime';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

// The booted API the page talks to (what the worker's boot resolves to), over a real session:
// links, pylock.toml and requirements go in and out through it, and every failure comes back as
// the one plain shape { kind: 'error', code, message }, never as a thrown Error.
let index: IndexServer;
let origin: RuntimeHarness;
let api: RuntimeApi;
const PAGE = 'http://127.0.0.1:5173/';

function booted(h: RuntimeHarness): RuntimeApi {
  const shell = new Shell(new RuntimeShellHost(h.session, { clear: () => undefined }), { cwd: h.session.home });
  return createRuntimeApi(h.session, shell, { indexUrl: index.url, pyodidePackagesUrl: 'none' }, { current: null });
}

beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'greeter', version: '2.0.0', requires: ['tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\n' } },
      { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\n' } },
    ],
  });
  origin = await RuntimeHarness.start(index, newStores());
  expect((await origin.pip(['install', 'greeter'])).code).toBe(0);
  await origin.session.writeFile('main.py', 'import greeter\n');
  api = booted(origin);
}, 60_000);
afterAll(async () => {
  await index?.close();
});

test('shareLink makes a link that openShareLink elsewhere offers back, with the preview; nothing is installed before yes', async () => {
  const made = await api.shareLink(PAGE);
  if (made.kind !== 'ok') throw new Error(made.message);
  expect(made.link.startsWith(`${PAGE}#env=`)).toBe(true);
  expect(made.notes).toEqual([]);

  const fresh = await RuntimeHarness.start(index, newStores());
  const other = booted(fresh);
  const offer = await other.openShareLink(made.link);
  if (offer.kind !== 'offer') throw new Error(`expected an offer, got ${JSON.stringify(offer)}`);
  expect(offer.lock.distributions.map((d) => `${d.name}==${d.version}`).sort()).toEqual(['greeter==2.0.0', 'tinyjson==0.3.0']);
  // The fixture index is not PyPI: said before anything is installed (plain sentences only).
  expect(offer.warnings.length).toBeGreaterThan(0);
  for (const w of offer.warnings) expect(Object.keys(w)).toEqual(['message']);
  expect(offer.preview.kind).not.toBe('refused');
  expect((await other.lock()).distributions).toEqual([]);
}, 60_000);

test('a page address without #env= carries nothing; a damaged link is refused with the reason, as data', async () => {
  expect(await api.openShareLink(PAGE)).toEqual({ kind: 'none' });
  const made = await api.shareLink(PAGE);
  if (made.kind !== 'ok') throw new Error(made.message);
  const damaged = await api.openShareLink(made.link.slice(0, -3));
  expect(damaged).toMatchObject({ kind: 'error', code: 'refused' });
  if (damaged.kind === 'error') expect(damaged.message).toMatch(/share link/);
});

test('exportLock writes pylock.toml and requirements.txt; importLock offers the pylock back and saves a requirements file for pip', async () => {
  const pylock = await api.exportLock('pylock');
  if (pylock.kind !== 'ok') throw new Error(pylock.message);
  expect(pylock).toMatchObject({ name: 'pylock.toml', type: 'application/toml' });
  const requirements = await api.exportLock('requirements');
  if (requirements.kind !== 'ok') throw new Error(requirements.message);
  expect(requirements.name).toBe('requirements.txt');
  expect(requirements.text).toMatch(/^greeter==2\.0\.0 \\\n\s+--hash=sha256:[0-9a-f]{64}/m);

  const offer = await api.importLock('pylock.toml', pylock.text);
  if (offer.kind !== 'offer') throw new Error(`expected an offer, got ${JSON.stringify(offer)}`);
  expect(offer.lock.distributions.map((d) => d.name).sort()).toEqual(['greeter', 'tinyjson']);

  expect(await api.importLock('broken.toml', 'this is = not [toml')).toMatchObject({ kind: 'error', code: 'refused' });
  expect(await api.importLock('reqs; rm -rf ~.txt', requirements.text)).toEqual({ kind: 'saved', path: '/home/pyodide/reqs; rm -rf ~.txt' });
  expect(origin.text('/home/pyodide/reqs; rm -rf ~.txt')).toBe(requirements.text);
});

test('failures are one coded shape: files, the index, a project that is not there', async () => {
  expect(await api.readFile('nope.py')).toEqual({ kind: 'error', code: 'not-found', path: '/home/pyodide/nope.py', message: '/home/pyodide/nope.py: No such file or directory' });
  expect(await api.removePath('/etc/passwd')).toMatchObject({ kind: 'error', code: 'write-failed' });
  expect(await api.renamePath('main.py', 'main.py')).toMatchObject({ kind: 'error', code: 'write-failed' });
  expect(await api.projectVersions('no-such-thing')).toEqual({ kind: 'error', code: 'no-such-project', message: 'No project named no-such-thing on the index.' });
  const found = await api.projectVersions('tinyjson');
  expect(found.kind === 'ok' && found.versions.map((v) => v.version)).toEqual(['0.3.0']);
});

test('an exported file names, in comments at its top, what it cannot carry (a wheel installed from a local file), never dropping it silently', async () => {
  const download = await origin.pip(['download', 'tinyjson', '--no-deps', '-d', '/home/pyodide/dl']);
  expect(download.code, download.stderr).toBe(0);
  const local = await origin.pip(['install', '--force-reinstall', '--no-deps', '/home/pyodide/dl/tinyjson-0.3.0-py3-none-any.whl']);
  expect(local.code, local.stderr).toBe(0);
  for (const format of ['pylock', 'requirements'] as const) {
    const exported = await api.exportLock(format);
    if (exported.kind !== 'ok') throw new Error(exported.message);
    expect(exported.text.split('\n')[0]).toBe('# tinyjson==0.3.0 is not in this file: it was installed from a local file.');
    expect(exported.text).not.toMatch(/^tinyjson==/m);
  }
  // The comment is TOML too: the pylock still reads back (without tinyjson).
  const pylock = await api.exportLock('pylock');
  const offer = await api.importLock('pylock.toml', pylock.kind === 'ok' ? pylock.text : '');
  expect(offer.kind === 'offer' && offer.lock.distributions.map((d) => d.name)).toEqual(['greeter']);
});
