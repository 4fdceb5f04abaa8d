/**
 * Hardening catalogue, part 5: share links from strangers. A link is opened as the page opens
 * it (decodeShareLink, then the person's yes, then the session's restoreShared); each bad one
 * is refused with the reason, or fails its restore, and leaves pip freeze, site-packages, bin/
 * and the person's home folder exactly as they were. Links that Pipette would never write
 * (credentials, a bomb, a newer format) are made by hand here: deflate, base64url, checksum.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeShareLink, encodeShareLink, type EnvironmentLock } from '../../../src/share';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';
import { expectClearAndUnchanged, runtimeSubject, type CatalogueItem, type Outcome, type Subject } from './catalogue';

const PAGE = 'http://127.0.0.1:5173/';
let index: IndexServer;
let lock: EnvironmentLock;
let link: string;
let target: RuntimeHarness & Subject;

beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'greeter', version: '2.0.0', requires: ['tinyjson'] },
      { name: 'tinyjson', version: '0.3.0' },
      { name: 'tinyjson', version: '0.4.0' },
    ],
  });
  const [origin, fresh] = await Promise.all([RuntimeHarness.start(index, newStores()), RuntimeHarness.start(index, newStores())]);
  expect((await origin.pip(['install', 'greeter', 'tinyjson==0.3.0'])).code).toBe(0);
  await origin.session.writeFile('main.py', 'import greeter\n');
  lock = origin.session.shareLock().lock;
  link = await encodeShareLink(lock, PAGE);
  // The person opening links already has an environment and a file of the same name.
  target = runtimeSubject(fresh, { home: true });
  expect((await target.pip(['install', 'tinyjson==0.4.0'])).code).toBe(0);
  await target.session.writeFile('main.py', 'print("my own work")\n');
}, 90_000);
afterAll(async () => {
  await index?.close();
});

/** A link around `json` as Pipette lays one out (format v1), whatever the JSON says. */
function handMade(json: string, format = 'v1'): string {
  const payload = deflateRawSync(Buffer.from(json, 'utf8'));
  const sum = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  return `${PAGE}#env=${format}.${payload.toString('base64url')}.${sum}`;
}

/** A lock as plain data to edit (the type's fields are read-only). */
type Draft<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Draft<U>[] : T[K] extends object | null ? T[K] : T[K] };

/** The link's lock with `change` applied, hand-made (no checks on the way). */
function edited(change: (lock: Draft<EnvironmentLock>) => unknown): string {
  return handMade(JSON.stringify(change(structuredClone(lock) as Draft<EnvironmentLock>)));
}

/** Swap one base64url character in the middle of the payload. */
function flipped(url: string): string {
  const at = url.indexOf('.') + 20;
  return url.slice(0, at) + (url[at] === 'A' ? 'B' : 'A') + url.slice(at + 1);
}

/**
 * Open `url` as the page does: refusals and warnings shown; the restore only when there is
 * nothing to warn about or the person accepts the warnings.
 */
function open(url: () => string, accept = false) {
  return async (s: RuntimeHarness): Promise<Outcome> => {
    const decoded = await decodeShareLink(url(), { trustedIndexes: [index.simpleUrl] });
    if (decoded.kind === 'refused') return { code: 1, output: `refused (${decoded.code}): ${decoded.reason}` };
    const warnings = decoded.warnings.map((w) => `warning: ${w.message}\n`).join('');
    if (warnings && !accept) return { code: 1, output: `${warnings}(the person did not accept)` };
    const out: string[] = [];
    const code = await s.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    return { code, output: warnings + out.join('') };
  };
}

const wheel = (name: string) => (l: Draft<EnvironmentLock>) => l.distributions.find((d) => d.name === name)!;

const catalogue: CatalogueItem<RuntimeHarness & Subject>[] = [
  { input: 'link cut before its checksum', run: open(() => link.slice(0, link.lastIndexOf('.'))), expectedMessage: 'This share link is incomplete: it ends before its checksum.' },
  { input: 'link cut inside its checksum', run: open(() => link.slice(0, -8)), expectedMessage: 'This share link is incomplete: its checksum has 8 of its 16 characters.' },
  { input: 'link cut right after #env=', run: open(() => `${PAGE}#env=`), expectedMessage: 'there is nothing after #env=' },
  { input: 'one payload character changed', run: open(() => flipped(link)), expectedMessage: 'This share link was changed on the way: its checksum does not match its content.' },
  { input: 'its checksum changed', run: open(() => link.slice(0, -1) + (link.endsWith('0') ? '1' : '0')), expectedMessage: 'its checksum does not match its content' },
  { input: 'characters outside base64url in the payload', run: open(() => link.replace('#env=v1.', '#env=v1.<script>')), expectedMessage: 'This share link was changed on the way' },
  {
    input: 'a 400 kB payload (oversized)',
    run: open(() => `${PAGE}#env=v1.${'A'.repeat(400_000)}.0123456789abcdef`),
    expectedMessage: /This share link holds more than Pipette opens: it is \d+ kB compressed, and a link holds at most 256 kB/,
  },
  {
    input: 'a deflate bomb (3 MB of JSON in a few kB)',
    run: open(() => handMade(`{"version":1,"files":[],"x":"${' '.repeat(3 * 1024 * 1024)}"}`)),
    expectedMessage: 'it unpacks to more than 2 MB (unpacking was stopped there)',
  },
  { input: 'format v9 (a newer Pipette)', run: open(() => handMade(JSON.stringify(lock), 'v9')), expectedMessage: 'This share link was made by a newer Pipette: its format is v9' },
  { input: 'payload that is not JSON', run: open(() => handMade('not json at all')), expectedMessage: 'its content is not JSON text' },
  { input: 'a lock field of the wrong type', run: open(() => edited((l) => ({ ...l, distributions: 'six' }))), expectedMessage: 'distributions must be a list' },
  {
    input: 'from an unknown index (declined)',
    run: open(() => edited((l) => ({ ...l, indexes: ['https://evil.example/simple/'], distributions: l.distributions.map((d) => ({ ...d, index: 'https://evil.example/simple/', url: d.url.replace(/^http:\/\/127\.0\.0\.1:\d+/, 'https://evil.example') })) }))),
    expectedMessage: 'This environment uses the package index https://evil.example/simple/, which is not PyPI: greeter, tinyjson would be installed from it.',
  },
  {
    input: 'credentials in an index URL',
    run: open(() => edited((l) => ({ ...l, indexes: [...l.indexes, 'https://alice:hunter2@private.example/simple/'] }))),
    expectedMessage: /This share link contains a password or token: indexes\[1\] \(https:\/\/alice:\*\*\*\*@private\.example\/simple\/\) contains a user name and password(?![\s\S]*hunter2)/,
  },
  {
    input: 'a token before the host of a wheel URL',
    run: open(() => edited((l) => { wheel('greeter')(l).url = wheel('greeter')(l).url.replace('http://', 'http://ghp_token@'); return l; })),
    expectedMessage: /contains a user name or token before the host(?![\s\S]*ghp_token)/,
  },
  {
    input: 'a PyPI API token in a shared file',
    run: open(() => edited((l) => ({ ...l, files: [{ path: '.pypirc', content: `[pypi]\npassword = pypi-AgEIcHlwaS5vcmc${'x'.repeat(40)}\n` }] }))),
    expectedMessage: 'files[0] (.pypirc) line 2 holds a PyPI API token',
  },
  {
    input: 'a wheel over plain http from another host',
    run: open(() => edited((l) => { wheel('greeter')(l).url = 'http://files.example/greeter-2.0.0-py3-none-any.whl'; return l; })),
    expectedMessage: 'uses plain http: anyone on the network in between could change what is downloaded',
  },
  {
    input: 'a javascript: URL',
    run: open(() => edited((l) => { wheel('greeter')(l).url = 'javascript:alert(1)//greeter-2.0.0-py3-none-any.whl'; return l; })),
    expectedMessage: 'is a javascript: URL',
  },
  {
    input: 'a URL naming another wheel than the entry',
    run: open(() => edited((l) => { wheel('greeter')(l).url = wheel('tinyjson')(l).url; return l; })),
    expectedMessage: 'does not name a wheel of greeter 2.0.0',
  },
  { input: "a file path climbing out of home (../../etc/profile)", run: open(() => edited((l) => ({ ...l, files: [{ path: '../../etc/profile', content: 'x' }] }))), expectedMessage: "climbs out of the home folder with '..'" },
  { input: 'an absolute file path (/etc/profile)', run: open(() => edited((l) => ({ ...l, files: [{ path: '/etc/profile', content: 'x' }] }))), expectedMessage: 'is absolute' },
  {
    input: 'two entries for one project (Greeter and greeter)',
    run: open(() => edited((l) => ({ ...l, distributions: [...l.distributions, { ...wheel('greeter')(l), name: 'Greeter' }] }))),
    expectedMessage: 'which are one project (PEP 503 names)',
  },
  {
    input: '1 001 distributions',
    run: open(() => edited((l) => ({ ...l, distributions: Array.from({ length: 1001 }, (_, i) => ({ ...wheel('greeter')(l), name: `p${i}`, url: wheel('greeter')(l).url.replace('greeter-', `p${i}-`) })) }))),
    expectedMessage: 'distributions has 1001 entries (at most 1000)',
  },
  {
    input: 'a sha256 changed (link re-made with a matching checksum), accepted',
    run: open(() => edited((l) => { wheel('tinyjson')(l).sha256 = 'a'.repeat(64); return l; }), true),
    expectedMessage: /THESE PACKAGES DO NOT MATCH THE HASHES[\s\S]*tinyjson[\s\S]*The link's file was not written either: your files are as they were\./,
  },
  {
    input: 'a distribution its index does not have, accepted',
    run: open(() => edited((l) => ({ ...l, distributions: [...l.distributions, { ...wheel('greeter')(l), name: 'gone', version: '1.0', sha256: 'b'.repeat(64), url: wheel('greeter')(l).url.replace('greeter-2.0.0', 'gone-1.0') }] })), true),
    expectedMessage: "ERROR: No matching distribution found for gone==1.0\nThe link's file was not written either: your files are as they were.",
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(target, item);
  expect(target.text('/home/pyodide/main.py')).toBe('print("my own work")\n');
});

test('the untouched link, accepted, restores exactly and then writes its files', async () => {
  const before = await target.snapshot();
  const r = await open(() => link, true)(target);
  expect(r.output).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(r.code).toBe(0);
  expect(await target.freeze()).toBe('greeter==2.0.0\ntinyjson==0.3.0\n');
  expect(target.text('/home/pyodide/main.py')).toBe('import greeter\n');
  expect((await target.snapshot()).tree).not.toEqual(before.tree);
});
