import { describe, expect, it } from 'vitest';
import { normalizeName, parsePylock, parseRequirementsFile } from '../../../src/pep';
import {
  LockExportError,
  lockToPylock,
  lockToRequirements,
  PYPI_INDEX,
  pylockToLock,
  type EnvironmentLock,
  type ImportResult,
  type ImportTarget,
} from '../../../src/share';
import { loadConformance } from '../../fixtures/conformance';
import { sampleLock } from './sample-locks';

// The real Pyodide's marker environment and tags, as the conformance vectors recorded them.
const pyodide = loadConformance<{ env: Record<string, string>; tags: string[] }>('pyodide-environment.json');
const TARGET: ImportTarget = {
  python: '3.14.2',
  pyodide: '314.0.7',
  platform: 'pyemscripten_2026_0_wasm32',
  supportedTags: pyodide.tags,
  markerEnvironment: pyodide.env,
};

const SHA = (c: string): string => c.repeat(64);

/** A small lock written out by hand, for exact-text expectations. */
const SMALL: EnvironmentLock = {
  version: 1,
  python: '3.14.2',
  pyodide: '314.0.7',
  platform: 'pyemscripten_2026_0_wasm32',
  indexes: [PYPI_INDEX],
  distributions: [
    { name: 'six', version: '1.17.0', filename: 'six-1.17.0-py2.py3-none-any.whl', url: 'https://files.pythonhosted.org/packages/b7/ce/six-1.17.0-py2.py3-none-any.whl', sha256: SHA('a'), index: PYPI_INDEX, requested: false },
    { name: 'Jinja2', version: '3.1.6', filename: 'jinja2-3.1.6-py3-none-any.whl', url: 'https://files.pythonhosted.org/packages/62/a1/jinja2-3.1.6-py3-none-any.whl', sha256: SHA('b'), index: PYPI_INDEX, requested: true },
    { name: 'MarkupSafe', version: '3.0.2', filename: 'markupsafe-3.0.2-cp314-cp314-pyemscripten_2026_0_wasm32.whl', url: 'https://files.pythonhosted.org/packages/b2/97/markupsafe-3.0.2-cp314-cp314-pyemscripten_2026_0_wasm32.whl', sha256: SHA('c'), index: PYPI_INDEX, requested: false },
    { name: 'mylib', version: '0.1', filename: 'mylib-0.1-py3-none-any.whl', url: 'https://example.com/dl/mylib-0.1-py3-none-any.whl', sha256: SHA('d'), index: null, requested: true },
  ],
  files: [{ path: 'main.py', content: 'import jinja2\n' }],
};

function ok(result: ImportResult): Extract<ImportResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result;
}

function refused(result: ImportResult): { code: string; reason: string } {
  if (result.kind !== 'refused') throw new Error('expected a refusal');
  return result;
}

/** The lock as an import gives it back: normalized names, sorted, no files. */
function asImported(lock: EnvironmentLock): EnvironmentLock {
  const distributions = lock.distributions
    .map((d) => ({ ...d, name: normalizeName(d.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...lock, distributions, files: [] };
}

describe('lockToPylock', () => {
  it('writes PEP 751 that src/pep reads: one wheel per package with url and sha256, its index, created-by pipette', () => {
    const pylock = parsePylock(lockToPylock(SMALL));
    expect(pylock.lockVersion).toBe('1.0');
    expect(pylock.createdBy).toBe('pipette');
    expect(pylock.environments).toEqual(['sys_platform == "emscripten" and platform_machine == "wasm32"']);
    expect(pylock.requiresPython).toBe('==3.14.*');
    expect(pylock.packages.map((p) => p.name)).toEqual(['jinja2', 'markupsafe', 'mylib', 'six']);
    const jinja = pylock.packages[0]!;
    expect(jinja.version).toBe('3.1.6');
    expect(jinja.index).toBe(PYPI_INDEX);
    expect(jinja.sdist).toBeNull();
    expect(jinja.wheels).toEqual([
      { name: 'jinja2-3.1.6-py3-none-any.whl', uploadTime: null, url: 'https://files.pythonhosted.org/packages/62/a1/jinja2-3.1.6-py3-none-any.whl', path: null, size: null, hashes: { sha256: SHA('b') } },
    ]);
    expect(jinja.tool).toEqual({ pipette: { requested: true } });
    expect(pylock.packages[2]!.index).toBeNull();
    expect(pylock.tool).toEqual({ pipette: { python: '3.14.2', pyodide: '314.0.7', platform: 'pyemscripten_2026_0_wasm32', indexes: [PYPI_INDEX] } });
  });

  it('round-trips through parsePylock and pylockToLock (names normalized, sorted, no files)', () => {
    for (const lock of [SMALL, sampleLock(20), sampleLock(60, 7)]) {
      const text = lockToPylock(lock);
      parsePylock(text); // valid PEP 751
      const back = ok(pylockToLock(text, TARGET));
      expect(back.lock).toEqual(asImported(lock));
      expect(back.warnings.filter((w) => w.code !== 'unknown-file-host')).toEqual([]);
    }
  });

  it('refuses to export credentials', () => {
    const lock = { ...SMALL, indexes: ['https://user:secret@example.com/simple/'] };
    expect(() => lockToPylock(lock)).toThrow(LockExportError);
    expect(() => lockToPylock(lock)).toThrow(
      'Cannot export this environment: indexes[0] (https://user:****@example.com/simple/) contains a user name and password. An exported file must not carry secrets: remove them, then export again.',
    );
    expect(() => lockToRequirements(lock, { hashes: true })).toThrow(LockExportError);
  });
});

const pylock = (packages: string, head = ''): string => `lock-version = "1.0"\ncreated-by = "uv"\n${head}\n${packages}`;
const WHEEL = (name: string, file: string, c = 'e'): string => `[[packages]]\nname = "${name}"\nversion = "${file.split('-')[1]}"\nindex = "https://pypi.org/simple"\n[[packages.wheels]]\nurl = "https://files.pythonhosted.org/packages/aa/bb/${file}"\nhashes = { sha256 = "${SHA(c)}" }\n`;

describe('pylockToLock', () => {
  it('reads a lock from another tool: every package requested, indexes from the packages, the best wheel for these tags', () => {
    const text = pylock(
      `${WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl')}
[[packages]]
name = "numpy"
version = "2.2.5"
index = "https://pypi.org/simple"
[[packages.wheels]]
url = "https://files.pythonhosted.org/packages/aa/bb/numpy-2.2.5-cp314-cp314-win_amd64.whl"
hashes = { sha256 = "${SHA('1')}" }
[[packages.wheels]]
url = "https://files.pythonhosted.org/packages/aa/bb/numpy-2.2.5-cp314-cp314-emscripten_5_0_3_wasm32.whl"
hashes = { sha256 = "${SHA('2')}" }
[[packages.wheels]]
url = "https://files.pythonhosted.org/packages/aa/bb/numpy-2.2.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl"
hashes = { sha256 = "${SHA('3')}" }
[packages.sdist]
url = "https://files.pythonhosted.org/packages/aa/bb/numpy-2.2.5.tar.gz"
hashes = { sha256 = "${SHA('4')}" }
`,
    );
    const { lock, warnings } = ok(pylockToLock(text, TARGET));
    expect(warnings).toEqual([]);
    expect(lock).toEqual({
      version: 1,
      python: '3.14.2',
      pyodide: '314.0.7',
      platform: 'pyemscripten_2026_0_wasm32',
      indexes: ['https://pypi.org/simple'],
      distributions: [
        { name: 'attrs', version: '25.1.0', filename: 'attrs-25.1.0-py3-none-any.whl', url: 'https://files.pythonhosted.org/packages/aa/bb/attrs-25.1.0-py3-none-any.whl', sha256: SHA('e'), index: 'https://pypi.org/simple', requested: true },
        { name: 'numpy', version: '2.2.5', filename: 'numpy-2.2.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl', url: 'https://files.pythonhosted.org/packages/aa/bb/numpy-2.2.5-cp314-cp314-pyemscripten_2026_0_wasm32.whl', sha256: SHA('3'), index: 'https://pypi.org/simple', requested: true },
      ],
      files: [],
    });
  });

  it('skips a package whose marker is false here, with a warning', () => {
    const text = pylock(`${WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl')}\n${WHEEL('pywin32', 'pywin32-310-cp314-cp314-win_amd64.whl').replace('index =', 'marker = "sys_platform == \'win32\'"\nindex =')}`);
    const { lock, warnings } = ok(pylockToLock(text, TARGET));
    expect(lock.distributions.map((d) => d.name)).toEqual(['attrs']);
    expect(warnings).toEqual([{ code: 'skipped', package: 'pywin32', message: `Skipped pywin32: its marker sys_platform == 'win32' is false here.` }]);
  });

  it('warns about indexes other than PyPI and another runtime', () => {
    const text = lockToPylock({ ...SMALL, python: '3.14.0', pyodide: '314.0.2', indexes: ['https://example.com/simple/'] });
    const { warnings } = ok(pylockToLock(text, TARGET));
    expect(warnings.map((w) => w.code)).toEqual(['unknown-index', 'unknown-file-host', 'different-runtime']);
    expect(warnings[2]!.message).toBe(
      'This lock was made with Python 3.14.0 on Pyodide 314.0.2; this page runs Python 3.14.2 on Pyodide 314.0.7. The wheels were checked to install here.',
    );
  });

  it.each([
    [
      'an sdist on a local path',
      `[[packages]]\nname = "legacy"\nversion = "1.0"\n[packages.sdist]\npath = "dist/legacy-1.0.tar.gz"\nhashes = { sha256 = "${SHA('a')}" }\n`,
      'unsupported-package',
      'This pylock.toml cannot be installed here: legacy: its source distribution is the local file dist/legacy-1.0.tar.gz, which the browser cannot read.',
    ],
    [
      'an sdist without sha256',
      `[[packages]]\nname = "legacy"\nversion = "1.0"\n[packages.sdist]\nurl = "https://files.pythonhosted.org/packages/aa/bb/legacy-1.0.tar.gz"\nhashes = { md5 = "${'f'.repeat(32)}" }\n`,
      'unsupported-package',
      "This pylock.toml cannot be installed here: legacy's sdist has no sha256 hash (only md5), and Pipette checks every download against one.",
    ],
    [
      'a git source with no version',
      `[[packages]]\nname = "tool"\n[packages.vcs]\ntype = "git"\nurl = "https://github.com/me/tool"\ncommit-id = "${'0'.repeat(40)}"\n`,
      'unsupported-package',
      'This pylock.toml cannot be installed here: tool: its git source has no version in the lock; lock it again with a tool that records one.',
    ],
    [
      'a git commit that is not a full commit id',
      `[[packages]]\nname = "tool"\nversion = "1.0"\n[packages.vcs]\ntype = "git"\nurl = "https://github.com/me/tool"\ncommit-id = "0123456789abcdef"\n`,
      'invalid',
      'This pylock.toml cannot be installed here: builds[0] (tool).commit "0123456789abcdef" is not a full git commit id (40 lower-case hex digits).',
    ],
    [
      'a git repository not on GitHub',
      `[[packages]]\nname = "tool"\nversion = "1.0"\n[packages.vcs]\ntype = "git"\nurl = "https://evil.example/me/tool"\ncommit-id = "${'0'.repeat(40)}"\n`,
      'invalid',
      'This pylock.toml cannot be installed here: builds[0] (tool).repository "https://evil.example/me/tool" is not a GitHub repository (https://github.com/OWNER/REPO).',
    ],
    [
      'another VCS',
      `[[packages]]\nname = "tool"\nversion = "1.0"\n[packages.vcs]\ntype = "hg"\nurl = "https://hg.example/tool"\ncommit-id = "abc"\n`,
      'unsupported-package',
      'This pylock.toml cannot be installed here: tool: it comes from a hg repository, and Pipette checks out git repositories only (from GitHub).',
    ],
    [
      'directory',
      `[[packages]]\nname = "local"\n[packages.directory]\npath = "./src/local"\n`,
      'unsupported-package',
      "This pylock.toml cannot be installed here: local: it comes from the local directory ./src/local, whose files a pylock.toml does not carry: put the project in the home folder and run pip install -e ./src/local, or share a Pipette link (it carries the home folder's files).",
    ],
    [
      'archive that is not a wheel',
      `[[packages]]\nname = "arch"\n[packages.archive]\nurl = "https://example.com/arch-1.0.tar.gz"\nhashes = { sha256 = "${SHA('a')}" }\n`,
      'unsupported-package',
      'This pylock.toml cannot be installed here: arch: it comes from the archive https://example.com/arch-1.0.tar.gz, which is not a wheel.',
    ],
    [
      'no wheel for this platform',
      WHEEL('numpy', 'numpy-2.2.5-cp314-cp314-win_amd64.whl'),
      'no-compatible-wheel',
      'This pylock.toml cannot be installed here: numpy 2.2.5 has no wheel that installs in this Pyodide (pyemscripten_2026_0_wasm32, Python 3.14.2); its wheels are numpy-2.2.5-cp314-cp314-win_amd64.whl. The lock was made for another platform: lock the same requirements again in Pipette.',
    ],
    [
      'a wheel without sha256',
      WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl').replace(/sha256 = "e+"/, `md5 = "${'f'.repeat(32)}"`),
      'unsupported-package',
      "This pylock.toml cannot be installed here: attrs 25.1.0's wheel has no sha256 hash (only md5), and Pipette checks every download against one.",
    ],
  ])('refuses %s', (_, packages, code, reason) => {
    const r = refused(pylockToLock(pylock(packages), TARGET));
    expect(r).toEqual({ kind: 'refused', code, reason });
  });

  it('refuses a lock for other environments or another Python', () => {
    const win = refused(pylockToLock(pylock(WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl'), `environments = ["sys_platform == 'win32'"]`), TARGET));
    expect(win.code).toBe('unsupported-environment');
    expect(win.reason).toBe("This pylock.toml cannot be installed here: the lock is for sys_platform == 'win32', and this is Pyodide (sys_platform emscripten). Make the lock again for this platform.");
    const py = refused(pylockToLock(pylock(WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl'), `requires-python = ">=3.15"`), TARGET));
    expect(py).toEqual({ kind: 'refused', code: 'unsupported-environment', reason: 'This pylock.toml cannot be installed here: the lock requires Python >=3.15, and this Pyodide runs Python 3.14.2.' });
  });

  it('refuses what is not PEP 751, and a lock with credentials', () => {
    const bad = refused(pylockToLock('lock-version = "1.0"\n', TARGET));
    expect(bad).toEqual({ kind: 'refused', code: 'invalid-pylock', reason: "This is not a valid pylock.toml: Missing required value in 'packages'" });
    const notUrl = refused(pylockToLock(pylock(WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl').replace('https://files.pythonhosted.org/packages/aa/bb/', 'wheels/')), TARGET));
    expect(notUrl).toEqual({ kind: 'refused', code: 'invalid', reason: 'This pylock.toml cannot be installed here: distributions[0] (attrs).url "wheels/attrs-25.1.0-py3-none-any.whl" is not an absolute URL.' });
    const secret = refused(pylockToLock(pylock(WHEEL('attrs', 'attrs-25.1.0-py3-none-any.whl').replace('https://pypi.org/simple', 'https://me:pw@private.example/simple')), TARGET));
    expect(secret.code).toBe('credentials');
    expect(secret.reason).toBe(
      "This pylock.toml cannot be installed here: indexes[0] (https://me:****@private.example/simple) contains a user name and password. Pipette's environment lock is saved and shared, so it never holds credentials: remove them from the file.",
    );
  });
});

describe('lockToRequirements', () => {
  it('writes pinned lines with --hash, sorted by name, a URL install as name @ url', () => {
    expect(lockToRequirements(SMALL, { hashes: true })).toMatchInlineSnapshot(`
      "Jinja2==3.1.6 \\
          --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
      MarkupSafe==3.0.2 \\
          --hash=sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
      mylib @ https://example.com/dl/mylib-0.1-py3-none-any.whl \\
          --hash=sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
      six==1.17.0 \\
          --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      "
    `);
  });

  it('without hashes, and with --index-url / --extra-index-url when the first index is not PyPI', () => {
    const lock = { ...SMALL, indexes: ['https://example.com/simple/', PYPI_INDEX, 'https://other.example/simple/'] };
    expect(lockToRequirements(lock, { hashes: false })).toMatchInlineSnapshot(`
      "--index-url https://example.com/simple/
      --extra-index-url https://pypi.org/simple/
      --extra-index-url https://other.example/simple/
      Jinja2==3.1.6
      MarkupSafe==3.0.2
      mylib @ https://example.com/dl/mylib-0.1-py3-none-any.whl
      six==1.17.0
      "
    `);
    expect(lockToRequirements({ ...SMALL, indexes: [PYPI_INDEX, 'https://other.example/simple/'] }, { hashes: false }).split('\n')[0]).toBe(
      '--extra-index-url https://other.example/simple/',
    );
    expect(lockToRequirements({ ...SMALL, distributions: [], indexes: [] }, { hashes: true })).toBe('');
  });

  it("reads back with src/pep's requirements-file parser as pip would", async () => {
    const lock = { ...SMALL, indexes: ['https://example.com/simple/', 'https://other.example/simple/'] };
    const text = lockToRequirements(lock, { hashes: true });
    const file = await parseRequirementsFile('requirements.txt', async () => text);
    expect(file.options.indexUrl).toBe('https://example.com/simple/');
    expect(file.options.extraIndexUrls).toEqual(['https://other.example/simple/']);
    expect(file.entries.map((e) => [e.requirement?.name, e.requirement?.specifier.toString(), e.requirement?.url ?? null, e.hashes])).toEqual([
      ['Jinja2', '==3.1.6', null, [`sha256:${SHA('b')}`]],
      ['MarkupSafe', '==3.0.2', null, [`sha256:${SHA('c')}`]],
      ['mylib', '', 'https://example.com/dl/mylib-0.1-py3-none-any.whl', [`sha256:${SHA('d')}`]],
      ['six', '==1.17.0', null, [`sha256:${SHA('a')}`]],
    ]);
  });
});

// Packages built from source (the lock's builds) are exported with their source, never dropped.
const COMMIT = 'c0ffee'.repeat(6) + 'c0ff';
const BUILT: EnvironmentLock = {
  ...SMALL,
  indexes: [PYPI_INDEX, 'https://wheelhouse.example/simple/'],
  builds: [
    { kind: 'sdist', name: 'hello-sdist', version: '0.1', requested: true, filename: 'hello_sdist-0.1.tar.gz', url: null, sha256: SHA('1'), index: 'https://wheelhouse.example/simple/' },
    { kind: 'sdist', name: 'arch', version: '2.0', requested: false, filename: 'Arch-2.0.zip', url: 'https://example.org/dl/Arch-2.0.zip', sha256: SHA('2'), index: null },
    { kind: 'git', name: 'gitpkg', version: '1.0', requested: true, repository: 'https://github.com/octo/mono', commit: COMMIT, revision: 'main', subdirectory: 'pkgs/gitpkg' },
    { kind: 'directory', name: 'hello', version: '0.1', requested: true, path: '', editable: true },
    { kind: 'directory', name: 'proj', version: '1.0', requested: true, path: 'work/proj', editable: false },
  ],
};
const SDIST_URLS = new Map([['hello_sdist-0.1.tar.gz', 'https://wheelhouse.example/files/hello_sdist-0.1.tar.gz']]);

describe('packages built from source in exports', () => {
  it('pylock.toml: an sdist by url and sha256 with its index, a git checkout by commit, a folder by path (no version)', () => {
    const text = lockToPylock(BUILT, { sdistUrls: SDIST_URLS });
    const packages = parsePylock(text).packages;
    const by = (name: string) => packages.find((p) => p.name === name)!;
    expect(by('hello-sdist')).toMatchObject({ version: '0.1', index: 'https://wheelhouse.example/simple/', sdist: { name: 'hello_sdist-0.1.tar.gz', url: 'https://wheelhouse.example/files/hello_sdist-0.1.tar.gz', hashes: { sha256: SHA('1') } }, wheels: null });
    expect(by('arch')).toMatchObject({ version: '2.0', index: null, sdist: { url: 'https://example.org/dl/Arch-2.0.zip' }, tool: { pipette: { requested: false } } });
    expect(by('gitpkg')).toMatchObject({ version: '1.0', vcs: { type: 'git', url: 'https://github.com/octo/mono', requestedRevision: 'main', commitId: COMMIT, subdirectory: 'pkgs/gitpkg' } });
    expect(by('hello')).toMatchObject({ version: null, directory: { path: '.', editable: true } });
    expect(by('proj')).toMatchObject({ version: null, directory: { path: 'work/proj', editable: false } });
    expect(packages.map((p) => p.name)).toEqual([...packages.map((p) => p.name)].sort());
  });

  it('pylock.toml: an sdist found on an index by name only is refused until its url is known, not dropped', () => {
    expect(() => lockToPylock(BUILT)).toThrow('Cannot export this environment: hello_sdist-0.1.tar.gz is named by its file name only; restore the environment first, then export it.');
  });

  it('pylock.toml round trip: sdists and git checkouts come back as builds (an sdist by its url), checked like a link', () => {
    const noFolders = { ...BUILT, builds: BUILT.builds!.filter((b) => b.kind !== 'directory') };
    const back = ok(pylockToLock(lockToPylock(noFolders, { sdistUrls: SDIST_URLS }), TARGET));
    expect(back.lock.distributions).toEqual(asImported(SMALL).distributions);
    expect(back.lock.builds).toEqual([
      { kind: 'sdist', name: 'arch', version: '2.0', requested: false, filename: 'Arch-2.0.zip', url: 'https://example.org/dl/Arch-2.0.zip', sha256: SHA('2'), index: null },
      { kind: 'git', name: 'gitpkg', version: '1.0', requested: true, repository: 'https://github.com/octo/mono', commit: COMMIT, revision: 'main', subdirectory: 'pkgs/gitpkg' },
      { kind: 'sdist', name: 'hello-sdist', version: '0.1', requested: true, filename: 'hello_sdist-0.1.tar.gz', url: 'https://wheelhouse.example/files/hello_sdist-0.1.tar.gz', sha256: SHA('1'), index: null },
    ]);
    // A folder travels in a link (with its files), not in a pylock.toml.
    expect(refused(pylockToLock(lockToPylock(BUILT, { sdistUrls: SDIST_URLS }), TARGET)).code).toBe('unsupported-package');
  });

  it('requirements.txt with hashes: sdists pinned by their sha256; a checkout and a folder named in comments that say how to install them', () => {
    expect(lockToRequirements(BUILT, { hashes: true })).toMatchInlineSnapshot(`
      "--extra-index-url https://wheelhouse.example/simple/
      arch @ https://example.org/dl/Arch-2.0.zip \\
          --hash=sha256:2222222222222222222222222222222222222222222222222222222222222222
      # gitpkg 1.0 is built from a git checkout, which pip's hash-checking mode cannot check;
      # install it on its own: pip install "gitpkg @ git+https://github.com/octo/mono@c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff#subdirectory=pkgs/gitpkg"
      # hello 0.1 is built from a folder, which pip's hash-checking mode cannot check;
      # install it on its own: pip install -e .
      hello-sdist==0.1 \\
          --hash=sha256:1111111111111111111111111111111111111111111111111111111111111111
      Jinja2==3.1.6 \\
          --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
      MarkupSafe==3.0.2 \\
          --hash=sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc
      mylib @ https://example.com/dl/mylib-0.1-py3-none-any.whl \\
          --hash=sha256:dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
      # proj 1.0 is built from a folder, which pip's hash-checking mode cannot check;
      # install it on its own: pip install ./work/proj
      six==1.17.0 \\
          --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
      "
    `);
  });

  it('requirements.txt without hashes: pip\'s name @ git+URL@commit, -e . and ./path lines, read back as pip would', async () => {
    const text = lockToRequirements(BUILT, { hashes: false });
    expect(text).toMatchInlineSnapshot(`
      "--extra-index-url https://wheelhouse.example/simple/
      arch @ https://example.org/dl/Arch-2.0.zip
      gitpkg @ git+https://github.com/octo/mono@c0ffeec0ffeec0ffeec0ffeec0ffeec0ffeec0ff#subdirectory=pkgs/gitpkg
      -e .
      hello-sdist==0.1
      Jinja2==3.1.6
      MarkupSafe==3.0.2
      mylib @ https://example.com/dl/mylib-0.1-py3-none-any.whl
      ./work/proj
      six==1.17.0
      "
    `);
    const file = await parseRequirementsFile('requirements.txt', async () => text);
    const built = file.entries.filter((e) => e.link !== null || e.requirement?.url);
    expect(built.map((e) => [e.requirement?.url ?? e.link, e.editable])).toEqual([
      ['https://example.org/dl/Arch-2.0.zip', false],
      [`git+https://github.com/octo/mono@${COMMIT}#subdirectory=pkgs/gitpkg`, false],
      ['.', true],
      ['https://example.com/dl/mylib-0.1-py3-none-any.whl', false],
      ['./work/proj', false],
    ]);
  });
});
