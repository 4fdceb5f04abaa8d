/**
 * Share links that build from source (issue 12 item 6), opened as the page opens them: the
 * decoder refuses what it cannot verify (a folder outside home, a URL with a newline or a
 * password, a commit that is no commit id, a kind of source it does not know), and a restore
 * whose source is not the one the link names (an sdist's sha256, a commit GitHub does not have)
 * is refused with the environment and the home folder exactly as they were.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeShareLink, encodeShareLink, type EnvironmentLock, type LockedBuild } from '../../../src/share';
import { startGitHubServer, type GitHubServer } from '../../fixtures/github-server';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PackedWriter, v2Link } from '../../fixtures/packed-link';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';
import { expectClearAndUnchanged, runtimeSubject, type CatalogueItem, type Outcome, type Subject } from './catalogue';

const PAGE = 'http://127.0.0.1:5173/';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
let index: IndexServer;
let github: GitHubServer;
let target: RuntimeHarness & Subject;

beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'greetlib', version: '1.0' },
      { name: 'sdonly', version: '1.0', sdistOnly: true, files: { 'sdonly/__init__.py': '' } },
    ],
  });
  github = await startGitHubServer([{ owner: 'pipette-demo', repo: 'mono', head: 'main', refs: { main: { 'pyproject.toml': '[project]\nname = "mono"\nversion = "1.0"\n' } } }]);
  target = runtimeSubject(await RuntimeHarness.start(index, newStores(), { githubHosts: github.hosts }), { home: true });
  expect((await target.pip(['install', 'greetlib'])).code).toBe(0);
  await target.session.writeFile('main.py', 'print("my own work")\n');
}, 90_000);
afterAll(async () => {
  await index?.close();
  await github?.close();
});

/** A lock of this index with one wheel (greetlib), a file, and `builds`. */
function lockWith(builds: LockedBuild[]): EnvironmentLock {
  const wheel = index.dists.find((d) => d.filename === 'greetlib-1.0-py3-none-any.whl')!;
  return {
    version: 1,
    python: '3.14.2',
    pyodide: '314.0.7',
    platform: 'pyemscripten_2026_0_wasm32',
    indexes: [index.simpleUrl],
    distributions: [{ name: 'greetlib', version: '1.0', filename: wheel.filename, url: null, sha256: wheel.sha256, index: index.simpleUrl, requested: true }],
    files: [{ path: 'proj/README.md', content: '# from the link\n' }],
    builds,
  };
}

function v1(data: unknown): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(data)));
  return `${PAGE}#env=v1.${payload.toString('base64url')}.${createHash('sha256').update(payload).digest('hex').slice(0, 16)}`;
}

/** A v2 link with no wheel and no file, and one build written by `build`. */
const v2Build = (build: (p: PackedWriter) => PackedWriter) => () => v2Link(PAGE, build(new PackedWriter().header([index.simpleUrl]).varint(0).varint(0).byte(1).varint(1)).done());

/** Open `url` as the page does; restore only when accepted (the person said yes to its warnings). */
function open(url: () => string | Promise<string>) {
  return async (s: RuntimeHarness): Promise<Outcome> => {
    const decoded = await decodeShareLink(await url(), { trustedIndexes: [index.simpleUrl] });
    if (decoded.kind === 'refused') return { code: 1, output: `refused (${decoded.code}): ${decoded.reason}` };
    const out: string[] = [decoded.warnings.map((w) => `warning: ${w.message}\n`).join('')];
    const code = await s.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
    return { code, output: out.join('') };
  };
}

const sdistOf = () => index.dists.find((d) => d.filename === 'sdonly-1.0.tar.gz')!;
const sdist = (change: Partial<Extract<LockedBuild, { kind: 'sdist' }>> = {}): LockedBuild => ({
  kind: 'sdist',
  name: 'sdonly',
  version: '1.0',
  requested: true,
  filename: 'sdonly-1.0.tar.gz',
  url: null,
  sha256: sdistOf().sha256,
  index: index.simpleUrl,
  ...change,
});
const gitBuild = (commit: string): LockedBuild => ({ kind: 'git', name: 'mono', version: '1.0', requested: true, repository: 'https://github.com/pipette-demo/mono', commit, revision: null, subdirectory: null });

const catalogue: CatalogueItem<RuntimeHarness & Subject>[] = [
  {
    input: 'a v2 link building a folder outside the home folder (../../tmp/evil)',
    run: open(v2Build((p) => p.byte(0b110).str('evil').str('1.0').str('../../tmp/evil'))),
    expectedMessage: `builds[0] (evil).path "../../tmp/evil" climbs out of the home folder with '..'`,
  },
  {
    input: 'a v2 link building an absolute folder (/lib/python3.14)',
    run: open(v2Build((p) => p.byte(0b110).str('evil').str('1.0').str('/lib/python3.14'))),
    expectedMessage: 'builds[0] (evil).path "/lib/python3.14" is absolute',
  },
  {
    input: "a v2 link whose sdist URL hides a newline and --index-url",
    run: open(v2Build((p) => p.byte(0b1100).str('sdonly').str('1.0').varint(0).bytes(Buffer.from(sdistOf().sha256, 'hex')).str('https://example.org/sdonly-1.0.tar.gz\n--index-url https://evil.example/simple/'))),
    expectedMessage: 'builds[0] (sdonly).url "https://example.org/sdonly-1.0.tar.gz\\n--index-url https://evil.example/simple/" is not a URL: it holds U+000A (a newline) at character 38, which no URL has',
  },
  {
    input: 'a v2 link whose sdist URL holds a user name and password',
    run: open(v2Build((p) => p.byte(0b1100).str('sdonly').str('1.0').varint(0).bytes(Buffer.from(sdistOf().sha256, 'hex')).str('https://me:hunter2@example.org/sdonly-1.0.tar.gz'))),
    expectedMessage: /This share link contains a password or token: builds\[0\] \(sdonly\)\.url \(https:\/\/me:\*\*\*\*@example\.org\/sdonly-1\.0\.tar\.gz\) contains(?![\s\S]*hunter2)/,
  },
  {
    input: 'a v1 link whose git commit is a branch name (main), not a commit id',
    run: open(() => v1({ ...lockWith([gitBuild('main')]) })),
    expectedMessage: 'builds[0] (mono).commit "main" is not a full git commit id (40 lower-case hex digits)',
  },
  {
    input: 'a v2 link whose repository is not on GitHub (a newline and another host after github.com/)',
    run: open(v2Build((p) => p.byte(0b101).str('mono').str('1.0').str('x/y\nhttps://evil.example/r').bytes(Buffer.from(COMMIT, 'hex')))),
    expectedMessage: 'is not a GitHub repository (https://github.com/OWNER/REPO)',
  },
  {
    input: 'a v2 link with a kind of source no Pipette writes (kind 3)',
    run: open(v2Build((p) => p.byte(0b111).str('evil').str('1.0'))),
    expectedMessage: 'builds[0] is a source of kind 3, which this Pipette does not know',
  },
  {
    input: 'a link building a folder neither it nor this tab has, accepted',
    run: open(() => encodeShareLink({ ...lockWith([{ kind: 'directory', name: 'ghost', version: '1.0', requested: true, path: 'ghost', editable: true }]) }, PAGE)),
    expectedMessage: 'builds[0] (ghost) is built from the folder /home/pyodide/ghost, and neither the link nor this tab has it. Nothing was installed or written.',
  },
  {
    input: 'a link whose sdist sha256 is not the one its index lists, accepted',
    run: open(() => encodeShareLink(lockWith([sdist({ sha256: 'a'.repeat(64) })]), PAGE)),
    expectedMessage: /lists sdonly-1\.0\.tar\.gz with sha256 [0-9a-f]{64}, but the link says a{64}: the sdist there is not the one that was shared\. Ask for a new link\. Nothing was installed or written\./,
  },
  {
    input: 'a link whose sdist at its URL is not the file its sha256 names (tampered), accepted',
    run: open(() => encodeShareLink(lockWith([sdist({ index: null, url: index.fileUrl('sdonly-1.0.tar.gz'), sha256: 'b'.repeat(64) })]), PAGE)),
    expectedMessage: /THESE PACKAGES DO NOT MATCH THE HASHES FROM THE SHARE LINK[\s\S]*sdonly==1\.0 from http:\/\/127\.0\.0\.1:\d+\/\S+sdonly-1\.0\.tar\.gz:\n {8}Expected sha256 b{64}\n {13}Got {8}[0-9a-f]{64}\n[\s\S]*Nothing was installed: the environment is as it was before\./,
  },
  {
    input: "a link whose git commit GitHub does not have (the link's file was written first: rolled back), accepted",
    run: open(() => encodeShareLink(lockWith([gitBuild(COMMIT)]), PAGE)),
    expectedMessage: /GitHub did not list the files of pipette-demo\/mono@0123456789ab \(HTTP 404\)\.\nERROR: Building mono 1\.0 from https:\/\/github\.com\/pipette-demo\/mono at commit 0123456789abcdef0123456789abcdef01234567 failed \(see above\)\.\nNothing was installed: the environment is as it was before\./,
  },
];

for (const item of catalogue) {
  test(item.input, async () => {
    await expectClearAndUnchanged(target, item);
  }, 120_000);
}
