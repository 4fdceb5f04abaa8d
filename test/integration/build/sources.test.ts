/**
 * Where sources come from, built for real inside Pyodide with the machine's setuptools:
 * - an sdist-only release on the index installs (pip's order: wheels first; `--only-binary`,
 *   `--no-binary`, `--prefer-binary` as pip's format control), and its wheel is cached, so the
 *   second install builds nothing and `pip cache list` shows it;
 * - `name @ https://.../x.tar.gz` (an archive URL, PEP 610 archive_info);
 * - `git+https://github.com/OWNER/REPO(.git)[@REF][#subdirectory=...]` through GitHub's REST API
 *   and raw host (a local stand-in with the same paths and JSON shapes): the commit recorded in
 *   direct_url.json's vcs_info and printed by pip freeze; other hosts refused with why;
 * - `pip wheel . -w dist/` and `pip wheel NAME`;
 * - failures (a backend that raises, a project needing a compiler, a hostile archive, a
 *   tampered file from "GitHub") end in pip's words with the environment unchanged.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startGitHubServer, type GitHubServer } from '../../fixtures/github-server';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../../fixtures/machine-wheels';
import { PipHarness } from '../../fixtures/pip-harness';
import { expectClearAndUnchanged, outcome } from '../hardening/catalogue';

let server: IndexServer;
let github: GitHubServer;
let h: PipHarness;

const HELLO_GIT = {
  'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello-git"\nversion = "1.0"\n',
  'src/hello_git/__init__.py': '__version__ = "from main"\n',
  'README.md': '# hello-git\n',
  'pkgs/sub/pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "sub-pkg"\nversion = "0.7"\n',
  'pkgs/sub/sub_pkg/__init__.py': '__version__ = "sub"\n',
};

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'six', version: '1.17.0' },
      // Only an sdist: pip builds it.
      { name: 'sdonly', version: '1.0', sdistOnly: true, requires: ['six'], files: { 'sdonly/__init__.py': '__version__ = "built"\n' } },
      // A wheel and an sdist of 1.0, and a newer sdist-only 2.0: wheels first.
      { name: 'both', version: '1.0', withSdist: true, files: { 'both/__init__.py': '__version__ = "1.0"\n' } },
      { name: 'both', version: '2.0', sdistOnly: true, files: { 'both/__init__.py': '__version__ = "2.0"\n' } },
      // Its setup.py raises while building the wheel (but not while preparing metadata).
      {
        name: 'breaks',
        version: '1.0',
        sdistOnly: true,
        // What it prints first holds a screen-clearing escape: the terminal shows it escaped.
        files: { 'breaks/__init__.py': '', 'setup.py': 'import sys\nfrom setuptools import setup\nif "bdist_wheel" in sys.argv:\n    print("\\x1b[2Jscreen cleared")\n    raise RuntimeError("this build is broken on purpose")\nsetup()\n' },
      },
      // A C extension: refused before anything runs.
      {
        name: 'cext',
        version: '1.0',
        sdistOnly: true,
        files: { 'cext.c': 'int x;\n', 'setup.py': 'from setuptools import Extension, setup\nsetup(ext_modules=[Extension("cext", ["cext.c"])])\n' },
      },
      // An archive that would write outside the folder it is unpacked into.
      { name: 'escape', version: '1.0', sdistOnly: true, files: { '../../escaped.py': 'print("out")\n', 'escape/__init__.py': '' } },
    ],
    dists: machineDists(BUILD_TOOLS),
  });
  github = await startGitHubServer([
    { owner: 'pipette-demo', repo: 'hello-git', head: 'main', refs: { main: HELLO_GIT, 'v2.0': { ...HELLO_GIT, 'src/hello_git/__init__.py': '__version__ = "from v2.0"\n', 'pyproject.toml': HELLO_GIT['pyproject.toml'].replace('1.0', '2.0') } } },
    { owner: 'pipette-demo', repo: 'tampered', head: 'main', refs: { main: HELLO_GIT }, tamper: 'src/hello_git/__init__.py' },
  ]);
  h = await PipHarness.create(server, { python: true, githubHosts: github.hosts });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await github?.close();
});

beforeEach(async () => {
  await h.reset();
});

describe('sdists on the index', () => {
  test('an sdist-only release is built and installed; the second install takes the cached wheel', async () => {
    const first = await h.pip('install', 'sdonly');
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(
      /^Collecting sdonly\n {2}Downloading sdonly-1\.0\.tar\.gz \(\d+ bytes\)\n {2}Installing build dependencies \.\.\. done\n {2}Getting requirements to build wheel \.\.\. done\n {2}Preparing metadata \(pyproject\.toml\) \.\.\. done\nCollecting six \(from sdonly\)\n/,
    );
    expect(first.stdout).toContain('Building wheels for collected packages: sdonly\n  Building wheel for sdonly (pyproject.toml) ... done\n');
    expect(first.stdout).toMatch(/Successfully built sdonly\nInstalling collected packages: six, sdonly\nSuccessfully installed sdonly-1\.0 six-1\.17\.0\n$/);
    expect(h.importVersion('sdonly')).toBe('built');
    // From an index: no direct_url.json, freeze says name==version (pip does the same).
    expect(h.fs.exists(`${h.sitePackages}/sdonly-1.0.dist-info/direct_url.json`)).toBe(false);
    expect((await h.pip('freeze')).stdout).toBe('sdonly==1.0\nsix==1.17.0\n');

    // pip cache list shows the wheel it built.
    expect((await h.pip('cache', 'list', 'sdonly')).stdout).toMatch(/^Cache contents:\n\n - sdonly-1\.0-py3-none-any\.whl \(\d+(\.\d)? (bytes|kB)\)\n$/);

    await h.pip('uninstall', '-y', 'sdonly');
    server.resetRequests();
    const second = await h.pip('install', 'sdonly');
    expect(second.stdout).toContain('Collecting sdonly\n  Using cached sdonly-1.0-py3-none-any.whl (built from sdonly-1.0.tar.gz before)\n');
    expect(second.stdout).not.toContain('Building wheel');
    expect(second.stdout).not.toContain('Installing build dependencies');
    expect(server.requests.filter((r) => r.path.endsWith('.tar.gz'))).toEqual([]);
    expect(h.importVersion('sdonly')).toBe('built');
  }, 240_000);

  test('wheels first: a version with a wheel beats a newer sdist-only one; --no-binary builds, --only-binary refuses', async () => {
    const preferred = await h.pip('install', 'both');
    expect(preferred.stdout).toContain('Successfully installed both-1.0\n');
    expect(preferred.stdout).not.toContain('Building wheel');

    // Asked for 2.0, which only an sdist gives: it is built.
    const newer = await h.pip('install', 'both==2.0');
    expect(newer.stdout).toContain('  Building wheel for both (pyproject.toml) ... done\n');
    expect(h.importVersion('both')).toBe('2.0');

    // --no-binary: 1.0 from its sdist rather than its wheel.
    const fromSource = await h.pip('install', '--no-binary', 'both', '--force-reinstall', 'both==1.0');
    expect(fromSource.stdout).toContain('Collecting both==1.0\n  Downloading both-1.0.tar.gz');
    expect(fromSource.stdout).toContain('  Building wheel for both (pyproject.toml) ... done\n');

    const refused = await h.pip('install', '--only-binary', ':all:', 'sdonly');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('sdonly');
    expect(refused.stderr).not.toContain('Building');
  }, 300_000);

  test('a backend that fails: its traceback, "Failed building wheel", nothing installed', async () => {
    // The backend's own traceback is the message here (pip shows it), so not the catalogue's
    // no-traceback assertion: the same snapshot before and after, by hand.
    const before = await h.snapshot();
    const r = await h.pip('install', 'breaks', 'six');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Building wheels for collected packages: breaks\n  Building wheel for breaks (pyproject.toml) ... error\n');
    expect(r.stderr).toContain('  error: subprocess-exited-with-error\n  \n  × Building wheel for breaks (pyproject.toml) did not run successfully.\n  │ exit code: 1\n  ╰─> [');
    expect(r.stderr).toMatch(/ {6}RuntimeError: this build is broken on purpose\n {6}\[end of output\]\n/);
    // The backend's output reaches the terminal through pip's output choke point: escaped.
    expect(r.stderr).toContain('      \\x1b[2Jscreen cleared\n');
    expect(r.stdout + r.stderr).not.toContain('\x1b');
    expect(r.stderr).toContain('  note: This error originates from a subprocess, and is likely not a problem with pip.\n  ERROR: Failed building wheel for breaks\n');
    expect(r.stdout).toContain('Failed to build breaks\n');
    expect(r.stderr).toContain('error: failed-wheel-build-for-install\n\n× Failed to build installable wheels for some pyproject.toml based projects\n╰─> breaks\n');
    expect(r.stdout).not.toContain('Installing collected packages');
    expect(await h.snapshot()).toEqual(before);
    expect(h.fs.readdir('/tmp/pipette-build').filter((d) => d.startsWith('run-'))).toEqual([]);
  }, 240_000);

  test('a C extension is refused before anything runs, with the reason', async () => {
    await expectClearAndUnchanged(h, {
      input: 'pip install cext (an sdist whose setup.py declares ext_modules)',
      run: async (s) => outcome(await s.pip('install', 'cext')),
      expectedMessage: 'ERROR: Cannot build cext-1.0.tar.gz: its setup.py declares C extension modules (ext_modules), and a browser tab has no compiler.',
    });
  }, 120_000);

  test('an sdist holding ../ paths is refused, nothing written outside', async () => {
    await expectClearAndUnchanged(h, {
      input: 'pip install escape (an sdist with a ../../escaped.py entry)',
      run: async (s) => outcome(await s.pip('install', 'escape')),
      expectedMessage: /ERROR: Cannot unpack escape-1\.0\.tar\.gz: it contains the path "escape-1\.0\/\.\.\/[^"]*", which would be written outside the folder it is unpacked into\. Refusing to use it\./,
    });
    expect(h.fs.exists('/tmp/pipette-build/escaped.py')).toBe(false);
    expect(h.fs.exists('/tmp/escaped.py')).toBe(false);
  }, 120_000);
});

describe('extras', () => {
  test('pip install -e ".[dev]": the project editable, and what its dev extra asks for', async () => {
    h.writeFile('/home/pyodide/xproj/pyproject.toml', '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "xproj"\nversion = "0.9"\n\n[project.optional-dependencies]\ndev = ["six"]\n');
    h.writeFile('/home/pyodide/xproj/src/xproj/__init__.py', '');
    h.cwd = '/home/pyodide/xproj';
    try {
      const r = await h.pip('install', '-e', '.[dev]');
      expect(r.stdout).toContain('Obtaining file:///home/pyodide/xproj\n');
      expect(r.stdout).toContain('Collecting six; extra == "dev" (from xproj[dev]==0.9)\n');
      expect(r.stdout).toContain('Successfully installed six-1.17.0 xproj-0.9\n');
      expect((await h.pip('freeze')).stdout).toBe('six==1.17.0\n# Editable install with no version control (xproj==0.9)\n-e /home/pyodide/xproj\n');
    } finally {
      h.cwd = '/home/pyodide';
    }
  }, 240_000);
});

describe('direct references', () => {
  test('name @ https://.../x.tar.gz: built, and pip freeze gives the URL with its hash', async () => {
    const sdist = server.dists.find((d) => d.filename === 'sdonly-1.0.tar.gz')!;
    const url = server.fileUrl('sdonly-1.0.tar.gz');
    const r = await h.pip('install', `sdonly @ ${url}`);
    expect(r.stdout).toContain(`Collecting sdonly@ ${url}\n  Downloading sdonly-1.0.tar.gz (`);
    expect(r.stdout).toContain('Successfully installed sdonly-1.0 six-1.17.0\n');
    expect(JSON.parse(h.readText(`${h.sitePackages}/sdonly-1.0.dist-info/direct_url.json`)!)).toEqual({ url, archive_info: { hashes: { sha256: sdist.sha256 }, hash: `sha256=${sdist.sha256}` } });
    expect((await h.pip('freeze')).stdout).toBe(`sdonly @ ${url}#sha256=${sdist.sha256}\nsix==1.17.0\n`);
  }, 240_000);

  test('git+https://github.com/...: the commit through the API, files from the raw host, vcs_info recorded', async () => {
    const main = github.commit('pipette-demo', 'hello-git', 'main');
    const r = await h.pip('install', 'git+https://github.com/pipette-demo/hello-git.git');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`Collecting git+https://github.com/pipette-demo/hello-git.git\n  Resolved https://github.com/pipette-demo/hello-git.git to commit ${main} (through GitHub's API)\n  Installing build dependencies ... done\n`);
    expect(r.stdout).toContain('Successfully installed hello-git-1.0\n');
    expect(h.importVersion('hello_git')).toBe('from main');
    expect(JSON.parse(h.readText(`${h.sitePackages}/hello_git-1.0.dist-info/direct_url.json`)!)).toEqual({ url: 'https://github.com/pipette-demo/hello-git.git', vcs_info: { vcs: 'git', commit_id: main } });
    expect((await h.pip('freeze')).stdout).toBe(`hello-git @ git+https://github.com/pipette-demo/hello-git.git@${main}\n`);
    expect(github.requests).toContain('/api/repos/pipette-demo/hello-git/commits/HEAD');
    expect(github.requests).toContain(`/api/repos/pipette-demo/hello-git/git/trees/${main}?recursive=1`);
    expect(github.requests).toContain(`/raw/pipette-demo/hello-git/${main}/src/hello_git/__init__.py`);

    // A tag, named: requested_revision recorded; the same commit again is already there.
    const v2 = github.commit('pipette-demo', 'hello-git', 'v2.0');
    const tagged = await h.pip('install', 'hello-git @ git+https://github.com/pipette-demo/hello-git@v2.0');
    expect(tagged.stdout).toContain(`Collecting hello-git@ git+https://github.com/pipette-demo/hello-git@v2.0\n  Resolved https://github.com/pipette-demo/hello-git to commit ${v2}`);
    expect(h.importVersion('hello_git')).toBe('from v2.0');
    expect(JSON.parse(h.readText(`${h.sitePackages}/hello_git-2.0.dist-info/direct_url.json`)!).vcs_info).toEqual({ vcs: 'git', commit_id: v2, requested_revision: 'v2.0' });
    expect((await h.pip('freeze')).stdout).toBe(`hello-git @ git+https://github.com/pipette-demo/hello-git@${v2}\n`);
    const again = await h.pip('install', 'hello-git @ git+https://github.com/pipette-demo/hello-git@v2.0');
    expect(again.stdout).toContain('Requirement already satisfied: hello-git==2.0 in /lib/python3.14/site-packages (2.0)\n');
    expect(again.stdout).not.toContain('Building wheel');
  }, 300_000);

  test('#subdirectory= builds the project in that folder of the repository', async () => {
    const r = await h.pip('install', 'git+https://github.com/pipette-demo/hello-git.git#egg=sub-pkg&subdirectory=pkgs/sub');
    expect(r.stdout).toContain('Successfully installed sub-pkg-0.7\n');
    expect(h.importVersion('sub_pkg')).toBe('sub');
    const main = github.commit('pipette-demo', 'hello-git', 'main');
    expect((await h.pip('freeze')).stdout).toBe(`sub-pkg @ git+https://github.com/pipette-demo/hello-git.git@${main}#subdirectory=pkgs/sub\n`);
  }, 240_000);

  test.each([
    {
      input: 'pip install git+https://gitlab.com/group/project.git (not GitHub)',
      argv: ['install', 'git+https://gitlab.com/group/project.git'],
      message: "Cannot install git+https://gitlab.com/group/project.git: Pipette fetches git sources through GitHub's API (api.github.com and raw.githubusercontent.com answer a browser with CORS headers); gitlab.com's git server does not, and a browser tab cannot run git.",
    },
    {
      input: 'pip install git+ssh://git@github.com/o/r.git',
      argv: ['install', 'git+ssh://git@github.com/o/r.git'],
      // pip's redact_auth_from_url shows a user name given alone as `****` (it may be a token).
      message: 'Cannot install git+ssh://****@github.com/o/r.git: git over ssh cannot be reached from a browser tab',
    },
    {
      input: 'pip install hg+https://example.org/repo',
      argv: ['install', 'hg+https://example.org/repo'],
      message: 'hg repositories need the hg program, which a browser tab cannot run.',
    },
    {
      input: 'a ref the repository does not have (@no-such-branch)',
      argv: ['install', 'git+https://github.com/pipette-demo/hello-git@no-such-branch'],
      message: 'Could not find "no-such-branch" in pipette-demo/hello-git on GitHub: no branch, tag or commit has that name.',
    },
    {
      input: 'a file served with other content than the commit holds',
      argv: ['install', 'git+https://github.com/pipette-demo/tampered'],
      message: 'src/hello_git/__init__.py of pipette-demo/tampered@',
    },
    {
      input: 'pip install -e git+https://github.com/... (editable from git)',
      argv: ['install', '-e', 'git+https://github.com/pipette-demo/hello-git#egg=hello-git'],
      message: 'in editable mode: pip clones the repository into ./src for that, and a browser tab cannot run git.',
    },
  ])('$input: refused, environment unchanged', async ({ input, argv, message }) => {
    await expectClearAndUnchanged(h, { input, run: async (s) => outcome(await s.pip(...argv)), expectedMessage: message });
  }, 120_000);
});

describe('pip wheel', () => {
  test('pip wheel ./proj -w dist/ builds the project and saves its dependencies', async () => {
    h.writeFile('/home/pyodide/wproj/pyproject.toml', '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "wproj"\nversion = "3.0"\ndependencies = ["six"]\n');
    h.writeFile('/home/pyodide/wproj/src/wproj/__init__.py', '');
    const before = await h.snapshot();
    const r = await h.pip('wheel', './wproj', '-w', 'dist/');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Processing ./wproj\n  Installing build dependencies ... done\n');
    expect(r.stdout).toContain('Saved ./dist/six-1.17.0-py3-none-any.whl\nBuilding wheels for collected packages: wproj\n  Building wheel for wproj (pyproject.toml) ... done\n');
    expect(h.fs.readdir('/home/pyodide/dist')).toEqual(['six-1.17.0-py3-none-any.whl', 'wproj-3.0-py3-none-any.whl']);
    // pip wheel installs nothing.
    expect(await h.snapshot()).toEqual(before);
    // And the wheel it built installs like any wheel.
    const installed = await h.pip('install', './dist/wproj-3.0-py3-none-any.whl', '--no-index', '--find-links', './dist');
    expect(installed.stdout).toContain('Successfully installed six-1.17.0 wproj-3.0\n');
  }, 240_000);

  test('pip wheel NAME builds an sdist-only release into the folder', async () => {
    const r = await h.pip('wheel', 'sdonly', '--no-deps', '-w', 'wheels');
    expect(r.code).toBe(0);
    expect(h.fs.readdir('/home/pyodide/wheels')).toEqual(['sdonly-1.0-py3-none-any.whl']);
  }, 240_000);
});

describe('--dry-run and --report', () => {
  test('a source is prepared (its metadata), not built; the report names the folder', async () => {
    h.writeFile('/home/pyodide/rproj/pyproject.toml', '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "rproj"\nversion = "2.5"\ndependencies = ["six"]\n');
    h.writeFile('/home/pyodide/rproj/src/rproj/__init__.py', '');
    const before = await h.snapshot();
    const r = await h.pip('install', '--dry-run', '--report', '-', '--quiet', './rproj');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { install: { download_info: { url: string; dir_info?: object }; metadata: { name: string; version: string } }[] };
    const item = report.install.find((i) => i.metadata.name === 'rproj')!;
    expect(item.download_info).toMatchObject({ url: 'file:///home/pyodide/rproj' });
    expect(item.metadata.version).toBe('2.5');
    expect(report.install.map((i) => i.metadata.name).sort()).toEqual(['rproj', 'six']);
    expect(await h.snapshot()).toEqual(before);
  }, 240_000);
});
