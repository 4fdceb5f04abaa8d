/**
 * A share link carries packages built from source by their source (issue 12 item 6): a project
 * installed with `pip install -e .` from the home folder (its files travel in the link), an
 * sdist-only release from the index (by its sha256), and a GitHub repository (by its commit,
 * with a folder in it). Opened in a fresh session (a new Pyodide, empty cache), the dialog's
 * preview says what will be built from where; the restore fetches each source, checks it, builds
 * it with the real backend (setuptools from the machine's PyPI wheels) and installs the wheel:
 * the packages import, `pip freeze` says what pip says.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parsePylock } from '../../../src/pep';
import { exportLock, importLock } from '../../../src/runtime/lock-exchange';
import { decodeShareLink, encodeShareLink, type EnvironmentLock } from '../../../src/share';
import { startGitHubServer, type GitHubServer } from '../../fixtures/github-server';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../../fixtures/machine-wheels';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

const PAGE = 'http://127.0.0.1:5173/';
let server: IndexServer;
let github: GitHubServer;
let origin: RuntimeHarness;
let lock: EnvironmentLock;
let link: string;

const SETUPTOOLS = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n';
const REPO = {
  'pyproject.toml': `${SETUPTOOLS}[project]\nname = "hello-git"\nversion = "1.0"\n`,
  'src/hello_git/__init__.py': '__version__ = "from main"\n',
  'pkgs/sub/pyproject.toml': `${SETUPTOOLS}[project]\nname = "sub-pkg"\nversion = "0.7"\n`,
  'pkgs/sub/sub_pkg/__init__.py': 'WHERE = "pkgs/sub at main"\n',
};

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'greetlib', version: '1.0' },
      // Only an sdist: pip builds it.
      { name: 'sdonly', version: '1.0', sdistOnly: true, files: { 'sdonly/__init__.py': '__version__ = "built"\n' } },
    ],
    dists: machineDists(BUILD_TOOLS),
  });
  github = await startGitHubServer([{ owner: 'pipette-demo', repo: 'mono', head: 'main', refs: { main: REPO } }]);
  origin = await RuntimeHarness.start(server, newStores(), { githubHosts: github.hosts });
  await origin.session.writeFile('hello/pyproject.toml', `${SETUPTOOLS}[project]\nname = "hello"\nversion = "0.1"\ndependencies = ["greetlib"]\n`);
  await origin.session.writeFile('hello/src/hello/__init__.py', 'def greet():\n    return "hello from home"\n');
  for (const argv of [['install', '-e', '/home/pyodide/hello'], ['install', 'sdonly'], ['install', 'git+https://github.com/pipette-demo/mono@main#subdirectory=pkgs/sub']]) {
    const r = await origin.pip(argv);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }
  const shared = origin.session.shareLock();
  expect(shared.built).toEqual([]);
  lock = shared.lock;
  link = await encodeShareLink(lock, PAGE);
}, 600_000);

afterAll(async () => {
  await server?.close();
  await github?.close();
});

test('the link names each built package by its source: the folder in home, the sdist by sha256, the repository by commit', async () => {
  const sdist = server.dists.find((d) => d.filename === 'sdonly-1.0.tar.gz')!;
  const commit = github.commit('pipette-demo', 'mono', 'main');
  const decoded = await decodeShareLink(link, { trustedIndexes: [server.simpleUrl] });
  expect(decoded.kind).toBe('ok');
  if (decoded.kind !== 'ok') return;
  expect(decoded.lock.distributions.map((d) => d.name)).toEqual(['greetlib']);
  expect(decoded.lock.builds).toEqual([
    { kind: 'directory', name: 'hello', version: '0.1', requested: true, path: 'hello', editable: true },
    { kind: 'sdist', name: 'sdonly', version: '1.0', requested: true, filename: 'sdonly-1.0.tar.gz', url: null, sha256: sdist.sha256, index: server.simpleUrl },
    { kind: 'git', name: 'sub-pkg', version: '0.7', requested: true, repository: 'https://github.com/pipette-demo/mono', commit, revision: 'main', subdirectory: 'pkgs/sub' },
  ]);
  expect(decoded.lock.files.map((f) => f.path)).toEqual(['hello/pyproject.toml', 'hello/src/hello/__init__.py']);
  // The repository is fetched from GitHub, which is not PyPI: the person is told before the yes.
  expect(decoded.warnings.map((w) => w.message)).toEqual([
    'This environment downloads sub-pkg from https://github.com, which is neither PyPI nor the index they are listed under. Install only if you trust that site.',
  ]);
});

test('a fresh session: the preview says what is built from where; the restore fetches, checks, builds and installs; the packages import', async () => {
  const fresh = await RuntimeHarness.start(server, newStores(), { githubHosts: github.hosts });
  const decoded = await decodeShareLink(link, { trustedIndexes: [server.simpleUrl] });
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  const preview = await fresh.session.previewShared(decoded.lock);
  expect(preview.refusal).toBe(null);
  const sdist = server.dists.find((d) => d.filename === 'sdonly-1.0.tar.gz')!;
  const commit = github.commit('pipette-demo', 'mono', 'main');
  expect(preview.builds).toEqual([
    { name: 'hello', version: '0.1', action: 'install', replaces: null, from: 'your project folder (editable) /home/pyodide/hello, with the files this link writes' },
    { name: 'sdonly', version: '1.0', action: 'install', replaces: null, from: `the sdist sdonly-1.0.tar.gz listed on ${server.simpleUrl}, checked against sha256 ${sdist.sha256}` },
    { name: 'sub-pkg', version: '0.7', action: 'install', replaces: null, from: `https://github.com/pipette-demo/mono at commit ${commit} (main), folder pkgs/sub` },
  ]);
  expect(preview.packages.map((p) => `${p.name} ${p.action}`)).toEqual(['greetlib install']);

  const out: string[] = [];
  const code = await fresh.session.restoreShared(decoded.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  const output = out.join('');
  expect(code, output).toBe(0);
  expect(output).toContain(`Downloading ${server.fileUrl('sdonly-1.0.tar.gz')} (`);
  expect(output).toContain('Obtaining file:///home/pyodide/hello\n');
  expect(output).toContain(`Resolved https://github.com/pipette-demo/mono to commit ${commit} (through GitHub's API)`);
  expect(output).toMatch(/Building wheel for sdonly \(pyproject\.toml\)/);
  expect(output).not.toMatch(/ERROR|Traceback/);

  expect(await fresh.freeze()).toBe(
    `greetlib==1.0\n# Editable install with no version control (hello==0.1)\n-e /home/pyodide/hello\nsdonly==1.0\nsub-pkg @ git+https://github.com/pipette-demo/mono@${commit}#subdirectory=pkgs/sub\n`,
  );
  expect(await fresh.py('import hello, sdonly, sub_pkg\n(hello.greet(), sdonly.__version__, sub_pkg.WHERE)')).toBe("('hello from home', 'built', 'pkgs/sub at main')");
  // Editable: an edit in the restored project takes effect on the next import.
  await fresh.session.writeFile('hello/src/hello/__init__.py', 'def greet():\n    return "edited after restore"\n');
  expect(await fresh.py('import importlib, hello\nimportlib.reload(hello)\nhello.greet()')).toBe('edited after restore');
  // What was built is in this environment's lock: a share from here carries it on.
  const again = fresh.session.shareLock();
  expect(again.built).toEqual([]);
  expect(again.lock.builds?.map((b) => `${b.kind} ${b.name}`)).toEqual(['directory hello', 'sdist sdonly', 'git sub-pkg']);
  // A second restore of the same link keeps the sdist and the commit (same source), rebuilds the folder as pip does.
  const preview2 = await fresh.session.previewShared(decoded.lock);
  expect(preview2.builds.map((b) => `${b.name} ${b.action}`)).toEqual(['hello replace', 'sdonly keep', 'sub-pkg keep']);
}, 600_000);

test('exports carry what was built by its source: pylock.toml (sdist url + sha256, git commit, folder) and requirements.txt; the pylock restores in a fresh session', async () => {
  const sdist = server.dists.find((d) => d.filename === 'sdonly-1.0.tar.gz')!;
  const commit = github.commit('pipette-demo', 'mono', 'main');
  const pylock = exportLock(origin.session, 'pylock');
  if (pylock.kind !== 'ok') throw new Error(pylock.message);
  // The sdist was found on the index by name; the file names the URL it came from (PEP 751).
  const packages = parsePylock(pylock.text).packages;
  const by = (name: string) => packages.find((p) => p.name === name);
  expect(by('sdonly')).toMatchObject({ version: '1.0', index: server.simpleUrl, sdist: { name: 'sdonly-1.0.tar.gz', url: server.fileUrl('sdonly-1.0.tar.gz'), hashes: { sha256: sdist.sha256 } } });
  expect(by('sub-pkg')).toMatchObject({ version: '0.7', vcs: { type: 'git', url: 'https://github.com/pipette-demo/mono', requestedRevision: 'main', commitId: commit, subdirectory: 'pkgs/sub' } });
  expect(by('hello')).toMatchObject({ version: null, directory: { path: 'hello', editable: true } });
  const requirements = exportLock(origin.session, 'requirements');
  if (requirements.kind !== 'ok') throw new Error(requirements.message);
  expect(requirements.text).toContain(`sdonly==1.0 \\\n    --hash=sha256:${sdist.sha256}\n`);
  expect(requirements.text).toContain(`# install it on its own: pip install "sub-pkg @ git+https://github.com/pipette-demo/mono@${commit}#subdirectory=pkgs/sub"`);
  expect(requirements.text).toContain('# install it on its own: pip install -e ./hello');

  // A folder's files don't travel in a pylock.toml: importing it says so and changes nothing.
  const fresh = await RuntimeHarness.start(server, newStores(), { githubHosts: github.hosts });
  const refused = await importLock(fresh.session, 'pylock.toml', pylock.text);
  expect(refused).toMatchObject({ kind: 'error', code: 'refused' });
  expect(refused.kind === 'error' && refused.message).toContain('hello: it comes from the local directory hello, whose files a pylock.toml does not carry');
  // Without the folder (another tool's lock would hold the same), the sdist and the checkout are built and installed.
  const withoutFolder = pylock.text.replace(/\[\[packages\]\]\nname = "hello"\n[\s\S]*?(?=\[\[packages\]\]|\[tool)/, '');
  const offer = await importLock(fresh.session, 'pylock.toml', withoutFolder);
  if (offer.kind !== 'offer') throw new Error(JSON.stringify(offer));
  expect(offer.lock.builds?.map((b) => `${b.kind} ${b.name}`)).toEqual(['sdist sdonly', 'git sub-pkg']);
  const out: string[] = [];
  const code = await fresh.session.restoreShared(offer.lock, { stdout: (t) => out.push(t), stderr: (t) => out.push(t) });
  expect(code, out.join('')).toBe(0);
  expect(await fresh.py('import sdonly, sub_pkg\n(sdonly.__version__, sub_pkg.WHERE)')).toBe("('built', 'pkgs/sub at main')");
}, 600_000);
