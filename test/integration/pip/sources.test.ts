/**
 * Sources as pip sees them (issue 11), with a real Pyodide, real PyPI wheels from this machine
 * on the fixture index (a classroom wheelhouse) and a small Pyodide distribution folder beside
 * it (test/fixtures/pyodide-distribution.ts): the person's indexes decide, Pyodide's builds are
 * used only for what those cannot install, hashes restrict the candidates, and the failures say
 * what is missing and how to provide it. No request ever leaves 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { pyodideDistribution } from '../../fixtures/pyodide-distribution';
import { realDists } from '../../fixtures/pypi-wheels';
import { buildWheel } from '../../fixtures/wheel-builder';

const distribution = pyodideDistribution([{ name: 'markupsafe' }, { name: 'pyyaml' }, { name: 'regex' }, { name: 'inspice' }]);
const MARKUPSAFE_BUILD = distribution.lock.packages['markupsafe']!.file_name;
const PYYAML_BUILD = distribution.lock.packages['pyyaml']!.file_name;
// charset-normalizer has only a manylinux wheel on this machine: a pure stand-in under its name.
const charsetNormalizer = { name: 'charset-normalizer', version: '3.5.2', files: { 'charset_normalizer/__init__.py': '__version__ = "3.5.2"\n' } };

let server: IndexServer;
let empty: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [charsetNormalizer],
    dists: realDists(['flask', 'werkzeug', 'jinja2', 'itsdangerous', 'click', 'blinker', 'markupsafe', 'six', 'python-dateutil', 'pyyaml', 'requests', 'urllib3', 'idna', 'certifi', 'pysocks']),
    pyodideLock: distribution.lock,
    pyodideFiles: Object.fromEntries(distribution.files),
  });
  empty = await startIndexServer({ projects: [] });
  h = await PipHarness.create(server, { pyodideLock: true });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await empty?.close();
});

beforeEach(async () => {
  await h.reset();
  h.env = {};
  server.setFaults({});
  server.resetRequests();
});

const fetched = (): string[] => server.requests.filter((r) => r.method === 'GET' && r.status === 200 && /\.whl$/.test(r.path)).map((r) => r.path);

describe("the wheelhouse decides; Pyodide's builds fill in what it cannot install", () => {
  test('pip install flask: everything from the wheelhouse, MarkupSafe (manylinux only there) as Pyodide\'s build; Flask runs', async () => {
    const result = await h.pip('install', 'flask');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Successfully installed blinker-1\.9\.0 click-8\.5\.0 flask-3\.1\.3 itsdangerous-2\.2\.0 jinja2-3\.1\.6 markupsafe-3\.0\.3 werkzeug-3\.1\.9/);
    expect(fetched()).toContain(`/pyodide/${MARKUPSAFE_BUILD}`);
    expect(fetched().filter((p) => p.startsWith('/pyodide/'))).toEqual([`/pyodide/${MARKUPSAFE_BUILD}`]);
    expect(h.python('import flask, markupsafe\napp = flask.Flask("t")\nstr(markupsafe.escape("<b>")) + " " + flask.__name__')).toBe('&lt;b&gt; flask');
  });

  test('six and python-dateutil come from the wheelhouse (Pyodide has the same versions: not used)', async () => {
    const result = await h.pip('install', 'python-dateutil');
    expect(result.stdout).toMatch(/Successfully installed python-dateutil-2\.9\.0\.post0 six-1\.17\.0/);
    expect(fetched().sort()).toEqual(['/files/python_dateutil-2.9.0.post0-py2.py3-none-any.whl', '/files/six-1.17.0-py2.py3-none-any.whl']);
    expect(h.python('import dateutil.parser\nstr(dateutil.parser.parse("2026-01-02").date())')).toBe('2026-01-02');
  });

  test("pyyaml has only manylinux wheels in the wheelhouse: Pyodide's build, whose METADATA was read in ranges, and it imports", async () => {
    const result = await h.pip('install', 'pyyaml');
    expect(result.stdout).toMatch(/Successfully installed pyyaml-6\.0\.3/);
    expect(fetched()).toEqual([`/pyodide/${PYYAML_BUILD}`]);
    // Resolution read METADATA through ranges (206), then installing downloaded the file once.
    const ranges = server.requests.filter((r) => r.path === `/pyodide/${PYYAML_BUILD}` && r.status === 206);
    expect(ranges.length).toBeGreaterThan(0);
    expect(h.python('import yaml\nyaml.safe_load("a: [1, 2]")["a"][1]')).toBe(2);
  });

  test("a build that needs one of Pyodide's shared libraries gets it, unpacked beside the others", async () => {
    const result = await h.pip('install', 'inspice');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Successfully installed inspice-1\.7\.0\.5 libngspice-46/);
    expect(h.fs.exists(`${h.environment.dynlibDir}/libngspice.so`)).toBe(true);
  });

  test('requests[socks] keeps its extra and the wheelhouse\'s requests (no "does not provide the extra")', async () => {
    const result = await h.pip('install', '--dry-run', 'requests[socks]');
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/Would install PySocks-1\.7\.1 certifi-2026\.7\.22 charset-normalizer-3\.5\.2 idna-3\.20 requests-2\.34\.2 urllib3-2\.8\.0/);
  });

  test('pip index versions lists what the wheelhouse installs, and Pyodide\'s build only where it has none', async () => {
    expect((await h.pip('index', 'versions', 'markupsafe')).stdout).toMatch(/^markupsafe \(3\.0\.3\)/);
    expect((await h.pip('index', 'versions', 'six')).stdout).toMatch(/^six \(1\.17\.0\)/);
  });
});

describe('the person\'s index options are the whole story', () => {
  test('--no-index --find-links ./pkgs: only ./pkgs is read, and a Pyodide build is off', async () => {
    for (const dist of realDists(['six', 'python-dateutil'])) h.writeFile(`/home/pyodide/pkgs/${dist.filename}`, dist.bytes);
    const result = await h.pip('install', '--no-index', '--find-links', './pkgs', 'python-dateutil');
    expect(result.stdout).toMatch(/Successfully installed python-dateutil-2\.9\.0\.post0 six-1\.17\.0/);
    expect(server.requests).toEqual([]);

    const wasm = await h.pip('install', '--no-index', '--find-links', './pkgs', 'pyyaml');
    expect(wasm.code).toBe(1);
    expect(wasm.stderr).toContain('ERROR: Could not find a version that satisfies the requirement pyyaml (from versions: none)');
    expect(wasm.stderr).toContain("hint: pyyaml 6.0.3 installs here as Pyodide's own build");
    expect(wasm.stderr).toContain('but they are off under --no-index');
    expect(wasm.stderr).toContain('--pyodide-packages URL');
    expect(server.requests).toEqual([]);
  });

  test('PIP_INDEX_URL naming an empty index: six is not found (Pyodide offers no pure wheels)', async () => {
    h.env = { PIP_INDEX_URL: empty.simpleUrl };
    const result = await h.pip('install', 'six');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ERROR: No matching distribution found for six');
    expect(server.requests.filter((r) => r.path.includes('six'))).toEqual([]);
  });

  test('--pyodide-packages none (and PIP_PYODIDE_PACKAGES, pip.conf) turns the builds off, and the failure says how to turn them on', async () => {
    const flag = await h.pip('install', '--pyodide-packages', 'none', 'pyyaml');
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('ERROR: Could not find a version that satisfies the requirement pyyaml (from versions: none)');
    expect(flag.stderr).toContain('they are switched off (--pyodide-packages none)');
    expect(flag.stderr).toContain('PYODIDE_PACKAGES=DIR npm start');
    h.env = { PIP_PYODIDE_PACKAGES: 'none' };
    expect((await h.pip('install', 'pyyaml')).stderr).toContain('switched off (--pyodide-packages none)');
    h.env = {};
    h.writeFile('/home/pyodide/.config/pip/pip.conf', '[global]\npyodide-packages = none\n');
    try {
      expect((await h.pip('install', 'pyyaml')).stderr).toContain('switched off (--pyodide-packages none)');
    } finally {
      h.fs.remove('/home/pyodide/.config/pip/pip.conf');
    }
    expect(server.requests.filter((r) => r.path.startsWith('/pyodide/'))).toEqual([]);
  });

  test('--pyodide-packages URL points at another distribution folder, read from its own lock', async () => {
    const other = await startIndexServer({ projects: [], pyodideLock: distribution.lock, pyodideFiles: Object.fromEntries(distribution.files) });
    try {
      const result = await h.pip('install', '--no-cache-dir', '--pyodide-packages', other.pyodideUrl, 'pyyaml');
      expect(result.stdout).toMatch(/Successfully installed pyyaml-6\.0\.3/);
      expect(other.requests.map((r) => r.path)).toContain(`/pyodide/${PYYAML_BUILD}`);
      expect(server.requests.filter((r) => r.path.startsWith('/pyodide/'))).toEqual([]);
      const bad = await h.pip('install', '--pyodide-packages', 'ftp://example.com/', 'pyyaml');
      expect(bad.stderr).toContain('Cannot use --pyodide-packages ftp://example.com/: give the http(s) URL of a folder holding an unpacked Pyodide distribution');
    } finally {
      await other.close();
    }
  });
});

/** Imports markupsafe afresh (an earlier test imported another build of it). */
const FRESH_MARKUPSAFE = 'import importlib, sys\nfor k in [k for k in sys.modules if k.split(".")[0] == "markupsafe"]:\n    del sys.modules[k]\nimportlib.invalidate_caches()\nimport markupsafe\n';

describe('hashes restrict the candidates', () => {
  // A pure MarkupSafe 3.0.3 beside Pyodide's build of the same version.
  const pure = buildWheel({ name: 'MarkupSafe', version: '3.0.3', files: { 'markupsafe/__init__.py': '__version__ = "3.0.3"\nkind = "pure"\n' } });
  let house: IndexServer;
  beforeAll(async () => {
    house = await startIndexServer({ projects: [], dists: [pure], pyodideLock: distribution.lock, pyodideFiles: Object.fromEntries(distribution.files) });
    await h.useServer(house);
  });
  afterAll(async () => {
    await h.useServer(server);
    await house.close();
  });

  /** `pip install -r req.txt` of one pinned line. */
  const installPinned = (line: string, ...options: string[]): ReturnType<PipHarness['pip']> => {
    h.writeFile('/home/pyodide/req.txt', `${line}\n`);
    return h.pip('install', ...options, '-r', 'req.txt');
  };

  test("a requirements file pinning the wheelhouse file's hash installs that file, not the wasm build", async () => {
    const result = await installPinned(`MarkupSafe==3.0.3 --hash=sha256:${pure.sha256}`);
    expect(result.stdout).toMatch(/Successfully installed MarkupSafe-3\.0\.3/);
    expect(h.python(FRESH_MARKUPSAFE + 'getattr(markupsafe, "kind", "build")')).toBe('pure');
  });

  test("pinning the hash of Pyodide's build installs the build, though the index has a wheel", async () => {
    const build = distribution.lock.packages['markupsafe']!;
    const result = await installPinned(`markupsafe==3.0.3 --hash=sha256:${build.sha256}`, '--no-cache-dir');
    expect(result.stdout).toMatch(/Successfully installed markupsafe-3\.0\.3/);
    expect(house.requests.map((r) => r.path)).toContain(`/pyodide/${build.file_name}`);
    expect(h.python(FRESH_MARKUPSAFE + 'getattr(markupsafe, "kind", "build")')).toBe('build');
  });

  test("a hash nothing has: pip's hash mismatch, nothing installed", async () => {
    const before = await h.snapshot();
    const result = await installPinned(`MarkupSafe==3.0.3 --hash=sha256:${'0'.repeat(64)}`);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE');
    expect(await h.snapshot()).toEqual(before);
  });
});
