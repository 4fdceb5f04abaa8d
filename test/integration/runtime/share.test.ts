import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeShareLink, encodeShareLink } from '../../../src/share';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

// A shared environment travels as a link and is restored elsewhere with the same files, each
// checked against the link's sha256.
let index: IndexServer;
let origin: RuntimeHarness;
beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'greeter', version: '2.0.0', requires: ['tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
      { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
      { name: 'tinyjson', version: '0.4.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
    ],
  });
  origin = await RuntimeHarness.start(index, newStores());
  expect((await origin.pip(['install', 'greeter', 'tinyjson==0.3.0'])).code).toBe(0);
  await origin.session.writeFile('main.py', 'import greeter\nprint(greeter.greet("shared"))\n');
}, 60_000);
afterAll(async () => {
  await index?.close();
});

function sha256Set(h: RuntimeHarness): string[] {
  return h.session.lock()!.distributions.map((d) => `${d.name}==${d.version} ${d.sha256}`).sort();
}

test('a share link restores the same wheels (same sha256) and the files in a fresh session', async () => {
  const { lock, unlocked } = origin.session.shareLock();
  expect(unlocked).toEqual([]);
  expect(lock.distributions.map((d) => `${d.name}==${d.version}`).sort()).toEqual(['greeter==2.0.0', 'tinyjson==0.3.0']);
  expect(lock.files.map((f) => f.path)).toContain('main.py');
  const link = await encodeShareLink(lock, 'http://127.0.0.1:5173/');
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  // The fixture index is not PyPI: the person is told before anything is installed.
  expect(decoded.warnings.map((w) => w.code)).toContain('unknown-index');

  const fresh = await RuntimeHarness.start(index, newStores());
  const out: string[] = [];
  const code = await fresh.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(out.join('')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(code).toBe(0);
  expect(sha256Set(fresh)).toEqual(sha256Set(origin));
  // Requested and pulled-in stay as they were (tinyjson was named on the command line too here).
  const requested = (h: RuntimeHarness) => h.session.lock()!.distributions.map((d) => `${d.name} ${d.requested}`).sort();
  expect(requested(fresh)).toEqual(requested(origin));
  expect(await fresh.freeze()).toBe(await origin.freeze());
  expect(fresh.text('/home/pyodide/main.py')).toBe('import greeter\nprint(greeter.greet("shared"))\n');
  expect(await fresh.py('import greeter; greeter.greet("x")')).toBe('{"hello": "x"}');
}, 60_000);

test('a v1 link of an older Pipette (JSON with the wheel URLs) still restores the same wheels, from those URLs', async () => {
  const { lock } = origin.session.shareLock();
  const v1 = { ...lock, distributions: lock.distributions.map(({ filename: _, ...d }) => d) };
  const payload = deflateRawSync(Buffer.from(JSON.stringify(v1), 'utf8'));
  const link = `http://127.0.0.1:5173/#env=v1.${payload.toString('base64url')}.${createHash('sha256').update(payload).digest('hex').slice(0, 16)}`;
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  expect(decoded.lock.distributions.every((d) => d.url !== null && d.filename === d.url.slice(d.url.lastIndexOf('/') + 1))).toBe(true);

  const fresh = await RuntimeHarness.start(index, newStores());
  index.resetRequests();
  const out: string[] = [];
  const code = await fresh.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(out.join('')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(code).toBe(0);
  expect(sha256Set(fresh)).toEqual(sha256Set(origin));
  // The URLs were in the link: no index page was read.
  expect(index.requests.filter((r) => r.path.startsWith('/simple/'))).toEqual([]);
}, 60_000);

test('a v2 link carries no file URL: the restore finds each file by name on its index, and the lock keeps the URL found', async () => {
  const { lock } = origin.session.shareLock();
  const link = await encodeShareLink(lock, 'http://127.0.0.1:5173/');
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  expect(decoded.lock.distributions.map((d) => d.url)).toEqual([null, null]);
  const fresh = await RuntimeHarness.start(index, newStores());
  index.resetRequests();
  const out: string[] = [];
  expect(await fresh.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) })).toBe(0);
  expect(index.requests.filter((r) => r.path.startsWith('/simple/')).map((r) => r.path).sort()).toEqual(['/simple/greeter/', '/simple/tinyjson/']);
  expect(fresh.session.lock()!.distributions.map((d) => d.url).sort()).toEqual(origin.session.lock()!.distributions.map((d) => d.url).sort());
}, 60_000);

test('a link whose sha256 was changed installs nothing and says which file did not match', async () => {
  const { lock } = origin.session.shareLock();
  const tampered = { ...lock, files: [], distributions: lock.distributions.map((d) => (d.name === 'tinyjson' ? { ...d, sha256: 'a'.repeat(64) } : d)) };
  const fresh = await RuntimeHarness.start(index, newStores());
  const before = await fresh.freeze();
  const out: string[] = [];
  const code = await fresh.session.restoreShared(tampered, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(code).toBe(1);
  expect(out.join('')).toMatch(/DO NOT MATCH THE HASHES[\s\S]*tinyjson/);
  expect(await fresh.freeze()).toBe(before);
}, 60_000);
