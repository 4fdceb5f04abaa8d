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
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { decodeShareLink, encodeShareLink, type EnvironmentLock, type LockedWheel } from '../../../src/share';
import { Shell } from '../../../src/shell';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';
import { PackedWriter, v2Link } from '../../fixtures/packed-link';
import { TAG_TOKENS } from '../../../src/share/link-dictionary';
import { expectClearAndUnchanged, runtimeSubject, type CatalogueItem, type Outcome, type Subject } from './catalogue';

const PAGE = 'http://127.0.0.1:5173/';
let index: IndexServer;
/** Another index, where the files of `index` are not. */
let other: IndexServer;
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
  other = await startIndexServer({ projects: [{ name: 'greeter', version: '1.0.0' }] });
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
  await other?.close();
});

/** A link around `json` as Pipette lays one out (format v1), whatever the JSON says. */
function handMade(json: string, format = 'v1'): string {
  const payload = deflateRawSync(Buffer.from(json, 'utf8'));
  const sum = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  return `${PAGE}#env=${format}.${payload.toString('base64url')}.${sum}`;
}

/** A lock as plain data to edit (the type's fields are read-only). */
type Draft<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? Draft<U>[] : T[K] extends object | null ? T[K] : T[K] };

/** A distribution as a v1 link carries it: no file name (the URL's last segment says it). */
type V1Wheel = { -readonly [K in Exclude<keyof LockedWheel, 'filename' | 'url'>]: LockedWheel[K] } & { url: string };
type V1Draft = Omit<Draft<EnvironmentLock>, 'distributions'> & { distributions: V1Wheel[] };

/** The link's lock with `change` applied, hand-made as a v1 link (no checks on the way). */
function edited(change: (lock: V1Draft) => unknown): string {
  const draft = structuredClone(lock) as Draft<EnvironmentLock>;
  const v1: V1Draft = { ...draft, distributions: draft.distributions.map(({ filename: _, ...d }) => ({ ...d, url: d.url! })) };
  return handMade(JSON.stringify(change(v1)));
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

const wheel = (name: string) => (l: V1Draft) => l.distributions.find((d) => d.name === name)!;

const catalogue: CatalogueItem<RuntimeHarness & Subject>[] = [
  { input: 'link cut before its checksum', run: open(() => link.slice(0, link.lastIndexOf('.'))), expectedMessage: 'This share link is incomplete: it ends before its checksum.' },
  { input: 'link cut inside its checksum', run: open(() => link.slice(0, -8)), expectedMessage: 'This share link is incomplete: its checksum has 8 of its 16 characters.' },
  { input: 'link cut right after #env=', run: open(() => `${PAGE}#env=`), expectedMessage: 'there is nothing after #env=' },
  { input: 'one payload character changed', run: open(() => flipped(link)), expectedMessage: 'This share link was changed on the way: its checksum does not match its content.' },
  { input: 'its checksum changed', run: open(() => link.slice(0, -1) + (link.endsWith('0') ? '1' : '0')), expectedMessage: 'its checksum does not match its content' },
  { input: 'characters outside base64url in the payload', run: open(() => link.replace('#env=v2.', '#env=v2.<script>')), expectedMessage: 'This share link was changed on the way' },
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

// --- v2 links: packed bytes from anyone, files found by name on their own index only ------

const sha = (name: string): Uint8Array => Buffer.from(lock.distributions.find((d) => d.name === name)!.sha256, 'hex');
/** A v2 link of greeter 2.0.0 on the fixture index, bytes written by hand; `wheel` writes its entry. */
const v2 = (wheel: (p: PackedWriter) => PackedWriter, indexes?: () => string[]) => () =>
  v2Link(PAGE, wheel(new PackedWriter().header(indexes?.() ?? [index.simpleUrl]).varint(1)).varint(0).done());

const v2Rows: CatalogueItem<RuntimeHarness & Subject>[] = [
  {
    input: 'a v2 link whose sha256 is cut short (17 of its 32 bytes)',
    run: open(() => v2Link(PAGE, new PackedWriter().header([index.simpleUrl]).varint(1).byte(0b1001).varint(1).str('greeter').str('2.0.0').varint(1).bytes(sha('greeter').subarray(0, 17)).done())),
    expectedMessage: 'This share link does not hold a valid environment: distributions[0] ends after 17 of the 32 bytes of its sha256.',
  },
  {
    input: 'a v2 link naming a tag set past the end of the link dictionary',
    run: open(v2((p) => p.byte(0b1001).varint(1).str('greeter').str('2.0.0').varint(99).bytes(sha('greeter')))),
    expectedMessage: `distributions[0]'s file name uses tag set 99 of the link dictionary, which has ${TAG_TOKENS.length}`,
  },
  {
    input: 'a v2 link naming an index past the end of the link dictionary',
    run: open(() => v2Link(PAGE, new PackedWriter().str('3.14.2').str('314.0.7').str('pyemscripten_2026_0_wasm32').varint(1).varint(9).varint(0).varint(0).varint(0).done())),
    expectedMessage: "indexes[0] is entry 9 of the link dictionary's indexes, which has 1",
  },
  {
    input: 'a v2 link naming an index the link does not list',
    run: open(v2((p) => p.byte(0b1001).varint(4).str('greeter').str('2.0.0').varint(1).bytes(sha('greeter')))),
    expectedMessage: 'distributions[0] names index 4, and the link lists 1',
  },
  {
    input: "a v2 link whose file name is another project's (tinyjson's wheel under greeter)",
    run: open(v2((p) => p.byte(0b0001).varint(1).str('greeter').str('2.0.0').varint(1).str('tinyjson-0.3.0').bytes(sha('tinyjson')))),
    expectedMessage: 'distributions[0] (greeter).filename "tinyjson-0.3.0-py3-none-any.whl" is not a wheel of greeter 2.0.0: it is a wheel of tinyjson 0.3.0, not of greeter 2.0.0',
  },
  {
    input: 'a v2 link with bytes after its last file',
    run: open(() => v2Link(PAGE, new PackedWriter().header([index.simpleUrl]).varint(1).wheel('greeter', '2.0.0', sha('greeter')).varint(0).bytes([0, 0, 0]).done())),
    expectedMessage: '3 bytes follow its last file',
  },
  {
    input: 'a v2 link with flag bits no Pipette writes',
    run: open(v2((p) => p.byte(0b1001 | 0x80).varint(1).str('greeter').str('2.0.0').varint(1).bytes(sha('greeter')))),
    expectedMessage: 'distributions[0] has flags 0x89, with bits this Pipette does not know',
  },
  {
    input: 'a v2 deflate bomb (50 MB of zeros from the v2 dictionary)',
    run: open(() => v2Link(PAGE, new Uint8Array(50 * 1024 * 1024))),
    expectedMessage: 'it unpacks to more than 2 MB (unpacking was stopped there)',
  },
  {
    input: 'a v2 link whose file its index does not list, accepted',
    run: open(v2((p) => p.wheel('gone', '1.0', sha('greeter'))), true),
    expectedMessage: /\/simple\/ does not list gone-1\.0-py3-none-any\.whl, the file this link installs for gone 1\.0; the link names no other place to get it from\. Nothing was installed or written\./,
  },
  {
    input: 'a v2 link whose sha256 is not the one its index lists for the file, accepted',
    run: open(v2((p) => p.wheel('greeter', '2.0.0', new Uint8Array(32).fill(0xaa))), true),
    expectedMessage: new RegExp(`lists greeter-2\\.0\\.0-py3-none-any\\.whl with sha256 [0-9a-f]{64}, but the link says ${'a'.repeat(64)}: the file there is not the one that was shared`),
  },
  {
    input: "a v2 link naming another index, which lacks the file (the page's own index has it and is not asked), accepted",
    run: async (s) => {
      index.resetRequests();
      const outcome = await open(v2((p) => p.wheel('greeter', '2.0.0', sha('greeter')), () => [other.simpleUrl]), true)(s);
      return { ...outcome, output: `${outcome.output}\nrequests to the page's own index: ${index.requests.length}` };
    },
    expectedMessage: /\/simple\/ does not list greeter-2\.0\.0-py3-none-any\.whl[\s\S]*requests to the page's own index: 0$/,
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(target, item);
  expect(target.text('/home/pyodide/main.py')).toBe('print("my own work")\n');
});

test.each(v2Rows.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(target, item);
});

test('the untouched link (v2: no URL, files found by name on the index), accepted, restores exactly and then writes its files', async () => {
  expect(link).toContain('#env=v2.');
  expect(decodeURIComponent(link)).not.toContain('/files/');
  const before = await target.snapshot();
  const r = await open(() => link, true)(target);
  expect(r.output).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(r.code).toBe(0);
  expect(await target.freeze()).toBe('greeter==2.0.0\ntinyjson==0.3.0\n');
  expect(target.text('/home/pyodide/main.py')).toBe('import greeter\n');
  expect((await target.snapshot()).tree).not.toEqual(before.tree);
});

// --- Links are data: every character checked, files land only on ordinary home files -------

/** The first distribution (greeter) with `change` applied. */
const greeter = (change: (d: V1Wheel) => void) =>
  edited((l) => {
    change(wheel('greeter')(l));
    return l;
  });
/** The link's lock carrying one file at `path`. */
const fileAt = (path: string) => edited((l) => ({ ...l, files: [{ path, content: 'x = 1\n' }] }));
const EVIL = 'https://evil.example/simple/';
const HOME = '/home/pyodide';

const landing: CatalogueItem<RuntimeHarness & Subject>[] = [
  {
    input: 'a newline in a wheel URL, then --index-url (requirements-file smuggling)',
    run: open(() => greeter((d) => (d.url = `${d.url}\n--index-url ${EVIL}`))),
    expectedMessage: /distributions\[0\] \(greeter\)\.url ".*" is not a URL: it holds U\+000A \(a newline\) at character \d+, which no URL has/,
  },
  { input: 'a tab in a wheel URL (new URL() drops it silently)', run: open(() => greeter((d) => (d.url = d.url.replace('/files/', '/fi\tles/')))), expectedMessage: /\.url ".*" is not a URL: it holds U\+0009 \(a tab\) at character \d+/ },
  { input: 'a space in a wheel URL', run: open(() => greeter((d) => (d.url = d.url.replace('/files/', '/my files/')))), expectedMessage: /\.url ".*" is not a URL: it holds U\+0020 \(a space\)/ },
  { input: 'a carriage return and --extra-index-url in an index URL', run: open(() => edited((l) => ({ ...l, indexes: [`${l.indexes[0]}\r--extra-index-url ${EVIL}`] }))), expectedMessage: /indexes\[0\] ".*" is not a URL: it holds U\+000D \(a carriage return\)/ },
  { input: "a newline and --extra-index-url in a distribution's index", run: open(() => greeter((d) => (d.index = `${d.index}\n--extra-index-url ${EVIL}`))), expectedMessage: /\.index ".*" is not a URL: it holds U\+000A \(a newline\)/ },
  {
    input: '--index-url smuggled into a version (2.0.0 --index-url https://evil.example/simple/)',
    run: open(() => greeter((d) => (d.version = `2.0.0 --index-url ${EVIL}`))),
    expectedMessage: 'distributions[0] (greeter).version "2.0.0 --index-url https://evil.example/simple/" is not a PEP 440 version: it holds U+0020 (a space) at character 6',
  },
  { input: 'a newline and --index-url in a project name', run: open(() => greeter((d) => (d.name = `greeter\n--index-url ${EVIL}`))), expectedMessage: 'is not a valid project name (PEP 508: letters, digits, and . _ - inside)' },
  { input: "an escaped newline (%0A) in the wheel's file name", run: open(() => greeter((d) => (d.url = d.url.replace('greeter-2.0.0-', 'greeter-2.0.0%0A-')))), expectedMessage: 'names the file "greeter-2.0.0\\n-py3-none-any.whl", which holds U+000A (a newline) at character 14' },
  { input: 'an escape sequence (ESC [2J) in the Python version', run: open(() => edited((l) => ({ ...l, python: '3.14.2\u001b[2J' }))), expectedMessage: /python ".*" is not a PEP 440 version: it holds U\+001B \(an escape\) at character 7(?![\s\S]*\u001b)/ },

  // Where a link's files may land, whatever is on disk.
  { input: "a file into a venv's site-packages (env/lib/python3.14/site-packages/evil.pth)", run: open(() => fileAt('env/lib/python3.14/site-packages/evil.pth')), expectedMessage: `files[0] "env/lib/python3.14/site-packages/evil.pth" would be written into a Python environment's own files; a link writes only ordinary files of the home folder` },
  { input: "a usercustomize.py into the user site-packages (.local/lib/python3.14/site-packages)", run: open(() => fileAt('.local/lib/python3.14/site-packages/usercustomize.py')), expectedMessage: "would be written into a Python environment's own files" },
  { input: 'a fake .dist-info (mylib-1.0.dist-info/METADATA)', run: open(() => fileAt('mylib-1.0.dist-info/METADATA')), expectedMessage: `files[0] "mylib-1.0.dist-info/METADATA" would be written into a Python environment's own files` },
  { input: 'a pyvenv.cfg', run: open(() => fileAt('pyvenv.cfg')), expectedMessage: `files[0] "pyvenv.cfg" would be written into a Python environment's own files` },
  { input: 'a file over pip.conf (.config/pip/pip.conf)', run: open(() => fileAt('.config/pip/pip.conf')), expectedMessage: `files[0] ".config/pip/pip.conf" is pip's configuration, which decides where every later install comes from` },
  { input: 'a pip.conf at the top of the home folder', run: open(() => fileAt('pip.conf')), expectedMessage: `files[0] "pip.conf" is pip's configuration` },
  { input: 'a pip.ini in a folder', run: open(() => fileAt('project/pip.ini')), expectedMessage: `files[0] "project/pip.ini" is pip's configuration` },
  { input: 'a hidden file (.bashrc)', run: open(() => fileAt('.bashrc')), expectedMessage: 'files[0] ".bashrc" is a hidden file or folder; a link writes only ordinary files of the home folder' },
  { input: 'a file in a hidden folder (.ssh/authorized_keys)', run: open(() => fileAt('.ssh/authorized_keys')), expectedMessage: 'files[0] ".ssh/authorized_keys" is a hidden file or folder' },

  // ...and as the disk is now: no venv, no folder in the way, no link on the way.
  {
    input: 'a file into an existing venv (env/bin/evil), accepted',
    prepare: async (s) => void (await s.session.venv({ kind: 'create', argv: ['env'] })),
    teardown: async (s) => void (await s.session.removePath('env')),
    run: open(() => fileAt('env/bin/evil'), true),
    expectedMessage: `This shared environment cannot be restored here: files[0] ("env/bin/evil") would be written inside the virtual environment ${HOME}/env. Nothing was installed or written.`,
  },
  {
    input: 'a file into a folder holding a pyvenv.cfg (a venv made by hand), accepted',
    prepare: (s) => {
      s.session.fs.mkdirp(`${HOME}/handmade`);
      s.session.fs.writeFile(`${HOME}/handmade/pyvenv.cfg`, new TextEncoder().encode('home = /bin\n'));
    },
    teardown: async (s) => void (await s.session.removePath('handmade')),
    run: open(() => fileAt('handmade/lib/x.py'), true),
    expectedMessage: `files[0] ("handmade/lib/x.py") would be written inside the virtual environment ${HOME}/handmade`,
  },
  {
    input: 'a file over a folder (data is a folder here), accepted',
    prepare: (s) => s.session.fs.mkdirp(`${HOME}/data/kept`),
    teardown: async (s) => void (await s.session.removePath('data')),
    run: open(() => fileAt('data'), true),
    expectedMessage: `files[0] ("data") would replace the folder ${HOME}/data. Nothing was installed or written.`,
  },
  {
    input: 'a file through a link (out -> /tmp here), accepted',
    prepare: (s) => s.session.fs.symlink('/tmp', `${HOME}/out`),
    teardown: (s) => s.session.fs.remove(`${HOME}/out`),
    run: open(() => fileAt('out/evil.py'), true),
    expectedMessage: `files[0] ("out/evil.py") would be written through the symbolic link ${HOME}/out`,
  },
  {
    input: 'a file that is a link here (notes.txt -> /tmp/notes.txt), accepted',
    prepare: (s) => {
      s.session.fs.writeFile('/tmp/notes.txt', new TextEncoder().encode('not in home\n'));
      s.session.fs.symlink('/tmp/notes.txt', `${HOME}/notes.txt`);
    },
    teardown: (s) => {
      s.session.fs.remove(`${HOME}/notes.txt`);
      s.session.fs.remove('/tmp/notes.txt');
    },
    run: open(() => fileAt('notes.txt'), true),
    expectedMessage: `files[0] ("notes.txt") would be written through the symbolic link ${HOME}/notes.txt`,
  },
  {
    input: 'a file under a name that is a file here (lib is a file), accepted',
    prepare: (s) => s.session.fs.writeFile(`${HOME}/lib`, new TextEncoder().encode('a file\n')),
    teardown: (s) => s.session.fs.remove(`${HOME}/lib`),
    run: open(() => fileAt('lib/x.py'), true),
    expectedMessage: `files[0] ("lib/x.py") needs the folder ${HOME}/lib, which is a file`,
  },
];

test.each(landing.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(target, item);
});

// --- pip share leaves out dotfiles and secrets, and says so -----------------------------------

/** `pip share` typed in the shell of `s`; the link's files are listed after the output. */
function share() {
  return async (s: RuntimeHarness): Promise<Outcome> => {
    const shell = new Shell(new RuntimeShellHost(s.session, { clear: () => undefined }), { cwd: s.session.home });
    const out: string[] = [];
    const { status } = await shell.run('pip share', { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    const link = /#env=\S+/.exec(out.join(''))?.[0] ?? '';
    const decoded = await decodeShareLink(link);
    const files = decoded.kind === 'ok' ? decoded.lock.files.map((f) => f.path).join(', ') : `(no link: ${decoded.kind === 'refused' ? decoded.reason : ''})`;
    const carried = decoded.kind === 'ok' ? decoded.lock.files.map((f) => f.content).join('\n') : '';
    return { code: status, output: `${out.join('')}link carries: ${files}\nsecret in the link: ${SECRETS.some((x) => carried.includes(x)) ? 'yes' : 'no'}\n` };
  };
}
const SECRETS = ['hunter22secret', 'ghp_', 'AKIAIOSFODNN7EXAMPLE', 'xoxb-', 'PRIVATE KEY', 'pypi-AgE', 'machine pypi.org'];
/** A file in the home folder for one item, gone again after it. */
const secretFile = (path: string, content: string) => ({
  prepare: (s: RuntimeHarness) => {
    s.session.fs.mkdirp(`${HOME}/${path}`.slice(0, `${HOME}/${path}`.lastIndexOf('/')));
    s.session.fs.writeFile(`${HOME}/${path}`, new TextEncoder().encode(content));
  },
  teardown: async (s: RuntimeHarness) => void (await s.session.removePath(path.split('/')[0]!)),
  run: share(),
  exitCode: 0,
});
const leftOut = (path: string, reason: string): string => `WARNING: ${JSON.stringify(path)} is left out of the link: ${reason}.`;

const secrets: CatalogueItem<RuntimeHarness & Subject>[] = [
  { input: 'pip share with a .env holding a token', ...secretFile('.env', 'API_TOKEN=hunter22secret\n'), expectedMessage: leftOut('.env', 'an environment file (.env)') },
  { input: 'pip share with a .netrc', ...secretFile('.netrc', 'machine pypi.org login me password hunter22secret\n'), expectedMessage: leftOut('.netrc', 'a .netrc (logins and passwords)') },
  { input: 'pip share with a .pypirc', ...secretFile('.pypirc', `[pypi]\npassword = pypi-AgEIcHlwaS5vcmc${'x'.repeat(40)}\n`), expectedMessage: leftOut('.pypirc', 'a .pypirc (PyPI credentials)') },
  { input: 'pip share with an SSH key in ~/.ssh (a hidden folder)', ...secretFile('.ssh/id_ed25519', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----\n'), expectedMessage: leftOut('.ssh/', 'a hidden file or folder (dotfiles often hold settings and secrets)') },
  { input: 'pip share with an id_rsa in the home folder itself', ...secretFile('id_rsa', '-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----\n'), expectedMessage: leftOut('id_rsa', 'an SSH private key') },
  { input: 'pip share with a server.pem', ...secretFile('server.pem', '-----BEGIN PRIVATE KEY-----\nMIIEvQ==\n-----END PRIVATE KEY-----\n'), expectedMessage: leftOut('server.pem', 'a key or certificate store') },
  { input: 'pip share with a private key pasted into deploy.txt', ...secretFile('deploy.txt', 'steps:\n-----BEGIN EC PRIVATE KEY-----\nMHcCAQ==\n'), expectedMessage: leftOut('deploy.txt', 'line 2 holds a private key') },
  { input: 'pip share with a GitHub token in notes.txt', ...secretFile('notes.txt', `todo\ntoken ghp_${'a1B2'.repeat(9)}\n`), expectedMessage: leftOut('notes.txt', 'line 2 holds a GitHub token') },
  { input: 'pip share with an AWS access key in settings.py', ...secretFile('settings.py', 'KEY_ID = "AKIAIOSFODNN7EXAMPLE"\n'), expectedMessage: leftOut('settings.py', 'line 1 holds an AWS access key') },
  { input: 'pip share with a Slack token in chat.txt', ...secretFile('chat.txt', 'bot: xoxb-1234567890-abcdefghij\n'), expectedMessage: leftOut('chat.txt', 'line 1 holds a Slack token') },
  { input: 'pip share with a PyPI token in publish.txt', ...secretFile('publish.txt', `twine upload -p pypi-AgEIcHlwaS5vcmc${'y'.repeat(40)}\n`), expectedMessage: leftOut('publish.txt', 'line 1 holds a PyPI API token (pypi-AgE...)') },
  { input: 'pip share with a password assigned in config.ini', ...secretFile('config.ini', '[db]\npassword = hunter22secret\n'), expectedMessage: leftOut('config.ini', 'line 2 holds a secret assigned to a variable') },
];

test.each(secrets.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  const { output } = await expectClearAndUnchanged(target, item);
  // The link was made, with the person's code and nothing of the secret.
  expect(output).toMatch(/Share this link \(2 packages, 1 files\):\n[\s\S]*link carries: main\.py\nsecret in the link: no\n$/);
});
