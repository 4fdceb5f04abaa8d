/**
 * A shared environment goes in as data through the one install path (src/install's plan and
 * apply), in a real Pyodide: no requirements file is written (a person's file of that name in
 * /tmp is theirs), REQUESTED is written at install time (every RECORD hash matches its file),
 * the dialog's preview says what lands where, and a direct-URL install travels as a direct URL,
 * never as an index.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listInstalled, parseRecord } from '../../../src/install';
import { decodeShareLink, encodeShareLink, lockToRequirements } from '../../../src/share';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

const HOME = '/home/pyodide';
const PERSONS_TMP_FILE = '/tmp/pipette-shared-requirements.txt';
let index: IndexServer;
let origin: RuntimeHarness;

beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'greeter', version: '2.0.0', requires: ['tinyjson'] },
      { name: 'tinyjson', version: '0.3.0' },
      { name: 'tinyjson', version: '0.4.0' },
      { name: 'direct-lib', version: '1.0' },
    ],
  });
  origin = await RuntimeHarness.start(index, newStores());
  expect((await origin.pip(['install', 'greeter', 'tinyjson==0.3.0'])).code).toBe(0);
  expect((await origin.pip(['install', index.fileUrl('direct_lib-1.0-py3-none-any.whl')])).code).toBe(0);
  await origin.session.writeFile('main.py', 'import greeter\n');
}, 60_000);
afterAll(async () => {
  await index?.close();
});

/** Every RECORD row with a hash matches the file on disk: nothing was rewritten after the fact. */
function recordsHold(h: RuntimeHarness): void {
  const fs = h.session.fs;
  for (const dist of listInstalled(fs, h.session.environment.scheme.purelib)) {
    const base = dist.distInfoPath.slice(0, dist.distInfoPath.lastIndexOf('/'));
    for (const row of parseRecord(new TextDecoder().decode(fs.readFile(`${dist.distInfoPath}/RECORD`)!))) {
      if (!row.hash) continue;
      const data = fs.readFile(`${base}/${row.path}`.replace(/\/[^/]+\/\.\.\//g, '/'))!;
      const digest = `sha256=${createHash('sha256').update(data).digest('base64url')}`;
      expect(digest, `${dist.name}: ${row.path}`).toBe(row.hash);
    }
  }
}

describe('restoring a link through the install plan', () => {
  test("writes no requirements file and leaves a person's file of that name alone", async () => {
    const fresh = await RuntimeHarness.start(index, newStores());
    fresh.session.fs.mkdirp('/tmp');
    fresh.session.fs.writeFile(PERSONS_TMP_FILE, new TextEncoder().encode('my own notes\n'));
    const tmpBefore = fresh.tree(['/tmp']);
    const decoded = await decodeShareLink(await encodeShareLink(origin.session.shareLock().lock, 'http://127.0.0.1:5173/'));
    if (decoded.kind !== 'ok') throw new Error(decoded.reason);
    const out: string[] = [];
    expect(await fresh.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) })).toBe(0);
    expect(out.join('')).toContain('Successfully installed direct-lib-1.0 greeter-2.0.0 tinyjson-0.3.0');
    expect(fresh.tree(['/tmp'])).toEqual(tmpBefore);
    expect(fresh.text(PERSONS_TMP_FILE)).toBe('my own notes\n');
  }, 60_000);

  test('REQUESTED is written from the link at install time: dependencies have none, every RECORD holds', async () => {
    const fresh = await RuntimeHarness.start(index, newStores());
    const shared = origin.session.shareLock().lock;
    // The link says tinyjson was only pulled in (as a link made after `pip install greeter` says).
    const lock = { ...shared, distributions: shared.distributions.map((d) => (d.name === 'tinyjson' ? { ...d, requested: false } : d)) };
    expect(await fresh.session.restoreShared(lock, { stdout: () => {}, stderr: () => {} })).toBe(0);
    // Pipette's own pip is part of every environment (issue 13) and never travels in a link.
    const requested = (h: RuntimeHarness) => listInstalled(h.session.fs, h.session.environment.scheme.purelib).filter((d) => d.name !== 'pip').map((d) => `${d.name} ${d.requested}`);
    expect(requested(fresh)).toEqual(['direct-lib true', 'greeter true', 'tinyjson false']);
    expect(fresh.session.fs.lstat(`${fresh.session.environment.scheme.purelib}/tinyjson-0.3.0.dist-info/REQUESTED`)).toBeNull();
    recordsHold(fresh);
    recordsHold(origin);
  }, 60_000);

  test('the preview says what lands where: new, replacing, already there; and which file is replaced', async () => {
    const fresh = await RuntimeHarness.start(index, newStores());
    expect((await fresh.pip(['install', 'tinyjson==0.4.0'])).code).toBe(0);
    await fresh.session.writeFile('main.py', 'print("mine")\n');
    const preview = await fresh.session.previewShared(origin.session.shareLock().lock);
    const site = fresh.session.environment.scheme.purelib;
    expect(preview).toMatchObject({ kind: 'ok', refusal: null, environment: { name: 'base', prefix: '/', sitePackages: site } });
    expect(preview.packages.map((p) => `${p.name} ${p.version} ${p.action} ${p.replaces ?? '-'} ${p.where}`).sort()).toEqual([
      `direct-lib 1.0 install - ${site}`,
      `greeter 2.0.0 install - ${site}`,
      `tinyjson 0.3.0 replace 0.4.0 ${site}`,
    ]);
    expect(preview.files).toEqual([{ path: 'main.py', target: `${HOME}/main.py`, action: 'replace' }]);
    // Nothing happened yet.
    expect(await fresh.freeze()).toBe('tinyjson==0.4.0\n');
    expect(fresh.text(`${HOME}/main.py`)).toBe('print("mine")\n');
  }, 60_000);
});

describe('a direct-URL install travels as a direct URL', () => {
  test('its record has no index; the link lists no index for it; the export writes name @ URL, no --extra-index-url', () => {
    const url = index.fileUrl('direct_lib-1.0-py3-none-any.whl');
    const record = origin.session.lock()!.distributions.find((d) => d.name === 'direct-lib')!;
    expect(record).toMatchObject({ url, index: null, directUrl: url, filename: 'direct_lib-1.0-py3-none-any.whl' });
    const { lock } = origin.session.shareLock();
    expect(lock.indexes).toEqual([index.simpleUrl]);
    expect(lock.distributions.find((d) => d.name === 'direct-lib')).toMatchObject({ url, index: null });
    const requirements = lockToRequirements(lock, { hashes: true });
    expect(requirements).toContain(`direct-lib @ ${url}`);
    expect(requirements).not.toContain('--extra-index-url');
  });

  test('restored elsewhere, it is a direct reference again (direct_url.json, pip freeze name @ URL)', async () => {
    const fresh = await RuntimeHarness.start(index, newStores());
    expect(await fresh.session.restoreShared(origin.session.shareLock().lock, { stdout: () => {}, stderr: () => {} })).toBe(0);
    const url = index.fileUrl('direct_lib-1.0-py3-none-any.whl');
    expect(listInstalled(fresh.session.fs, fresh.session.environment.scheme.purelib).find((d) => d.name === 'direct-lib')?.directUrl).toBe(url);
    expect(await fresh.freeze()).toContain(`direct-lib @ ${url}`);
    expect(fresh.session.shareLock().lock.indexes).toEqual([index.simpleUrl]);
  }, 60_000);
});
