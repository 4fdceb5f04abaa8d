/**
 * `pip install` against a real Pyodide and the fixture index: pip's lines, what lands in
 * site-packages, and that Python itself (import, importlib.metadata) agrees with `pip list`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildWheel, sha256Hex } from '../../fixtures/wheel-builder';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'webreq', version: '2.0', requires: ['idnax<4,>=2.5', 'certx>=1'], summary: 'HTTP for fixtures' },
      { name: 'idnax', version: '2.5' },
      { name: 'idnax', version: '3.7' },
      { name: 'certx', version: '1.0' },
      { name: 'top', version: '1.0', requires: ['dep>=1'] },
      { name: 'top', version: '2.0', requires: ['dep>=1'] },
      { name: 'dep', version: '1.0' },
      { name: 'dep', version: '2.0' },
      { name: 'prepkg', version: '1.0' },
      { name: 'prepkg', version: '2.0b1' },
      { name: 'yank', version: '1.0' },
      { name: 'yank', version: '1.1', yanked: 'broken build' },
      { name: 'dated', version: '1.0', uploadTime: '2021-01-01T00:00:00.000000Z' },
      { name: 'dated', version: '2.0', uploadTime: '2024-01-01T00:00:00.000000Z' },
      { name: 'Extra-Host', version: '1.0', extras: ['fast'], requires: ['speedy ; extra == "fast"'] },
      { name: 'speedy', version: '1.0' },
      {
        name: 'clitool',
        version: '1.0',
        files: { 'clitool/__init__.py': 'def main():\n    print("hi")\n' },
        entryPoints: { console_scripts: { clitool: 'clitool:main' } },
      },
      { name: 'conflict-a', version: '1.0', requires: ['shared==1.0'] },
      { name: 'conflict-b', version: '1.0', requires: ['shared==2.0'] },
      { name: 'shared', version: '1.0' },
      { name: 'shared', version: '2.0' },
      { name: 'nometa', version: '1.0' },
      { name: 'bt-app', version: '1.0', requires: ['bt-lib<2'] },
      { name: 'bt-app', version: '2.0', requires: ['bt-lib>=2'] },
      { name: 'bt-tool', version: '1.0', requires: ['bt-lib<2'] },
      { name: 'bt-lib', version: '1.0' },
      { name: 'bt-lib', version: '2.0' },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
  server.setFaults({});
  server.resetRequests();
});

const url = (file: string): string => `${server.url}/files/${file}`;

async function listed(name: string): Promise<string | null> {
  const r = await h.pip('list', '--format=json');
  const rows = JSON.parse(r.stdout) as { name: string; version: string }[];
  return rows.find((row) => row.name.toLowerCase() === name.toLowerCase())?.version ?? null;
}

describe('pip install', () => {
  test('--dry-run -v shows the resolver deciding and backtracking, in order, and installs nothing', async () => {
    const before = await h.snapshot();
    const r = await h.pip('install', '--dry-run', '-v', 'bt-app', 'bt-tool');
    expect(r.code).toBe(0);
    const out = r.stdout;
    const firstPin = out.indexOf('Resolver: pinned');
    const backtrack = out.indexOf('Resolver: backtracking');
    const would = out.indexOf('Would install bt-app-1.0 bt-lib-1.0 bt-tool-1.0');
    expect(firstPin).toBeGreaterThanOrEqual(0);
    expect(backtrack).toBeGreaterThan(firstPin);
    expect(would).toBeGreaterThan(backtrack);
    expect(await h.snapshot()).toEqual(before);
  });

  test('installs a tree with pip\'s lines; Python imports it and agrees with pip list', async () => {
    const r = await h.pip('install', 'webreq');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const size = (f: string): number => server.dists.find((d) => d.filename === f)!.bytes.length;
    const meta = (f: string): number => new TextEncoder().encode(server.dists.find((d) => d.filename === f)!.metadata).length;
    expect(r.stdout).toBe(
      [
        'Collecting webreq',
        `  Downloading ${url('webreq-2.0-py3-none-any.whl')}.metadata (${meta('webreq-2.0-py3-none-any.whl')} bytes)`,
        'Collecting idnax<4,>=2.5 (from webreq)',
        `  Downloading ${url('idnax-3.7-py3-none-any.whl')}.metadata (${meta('idnax-3.7-py3-none-any.whl')} bytes)`,
        'Collecting certx>=1 (from webreq)',
        `  Downloading ${url('certx-1.0-py3-none-any.whl')}.metadata (${meta('certx-1.0-py3-none-any.whl')} bytes)`,
        `Downloading ${url('webreq-2.0-py3-none-any.whl')} (${size('webreq-2.0-py3-none-any.whl')} bytes)`,
        `Downloading ${url('idnax-3.7-py3-none-any.whl')} (${size('idnax-3.7-py3-none-any.whl')} bytes)`,
        `Downloading ${url('certx-1.0-py3-none-any.whl')} (${size('certx-1.0-py3-none-any.whl')} bytes)`,
        'Installing collected packages: idnax, certx, webreq',
        'Successfully installed certx-1.0 idnax-3.7 webreq-2.0',
        '',
      ].join('\n'),
    );
    // Download progress reaches the terminal's progress bar.
    expect(h.progress.some((p) => p.filename === 'webreq-2.0-py3-none-any.whl' && p.done)).toBe(true);
    for (const [name, version] of [['webreq', '2.0'], ['idnax', '3.7'], ['certx', '1.0']] as const) {
      expect(h.importVersion(name)).toBe(version);
      expect(h.metadataVersion(name)).toBe(version);
      expect(await listed(name)).toBe(version);
    }
    // REQUESTED only on what was asked for (PEP 376).
    expect(h.fs.exists(`${h.sitePackages}/webreq-2.0.dist-info/REQUESTED`)).toBe(true);
    expect(h.fs.exists(`${h.sitePackages}/idnax-3.7.dist-info/REQUESTED`)).toBe(false);
  });

  test('without PEP 658 metadata files the wheel is read while collecting, as pip does', async () => {
    server.setFaults({ noCoreMetadata: true });
    const r = await h.pip('install', '--no-cache-dir', 'nometa');
    const size = server.dists.find((d) => d.filename === 'nometa-1.0-py3-none-any.whl')!.bytes.length;
    expect(r.stdout).toBe(
      `Collecting nometa\n  Downloading ${url('nometa-1.0-py3-none-any.whl')} (${size} bytes)\nInstalling collected packages: nometa\nSuccessfully installed nometa-1.0\n`,
    );
    expect(h.importVersion('nometa')).toBe('1.0');
  });

  test('a second install is already satisfied and downloads nothing', async () => {
    await h.pip('install', 'webreq');
    server.resetRequests();
    const r = await h.pip('install', 'webreq');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `Requirement already satisfied: webreq in ${h.sitePackages} (2.0)`,
        `Requirement already satisfied: idnax<4,>=2.5 in ${h.sitePackages} (from webreq) (3.7)`,
        `Requirement already satisfied: certx>=1 in ${h.sitePackages} (from webreq) (1.0)`,
        '',
      ].join('\n'),
    );
    expect(server.requests.filter((q) => q.path.startsWith('/files/'))).toEqual([]);
  });

  test('wheels come from the cache the second time: "Using cached"', async () => {
    await h.pip('install', 'certx');
    await h.pip('uninstall', '-y', 'certx');
    const r = await h.pip('install', 'certx');
    expect(r.stdout).toContain(`Using cached ${url('certx-1.0-py3-none-any.whl')} (`);
    expect(h.importVersion('certx')).toBe('1.0');
  });

  test('an installed older version is kept when it satisfies (only-if-needed)', async () => {
    await h.pip('install', 'idnax==2.5');
    const r = await h.pip('install', 'webreq');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Requirement already satisfied: idnax<4,>=2.5 in ${h.sitePackages} (from webreq) (2.5)`);
    expect(h.metadataVersion('idnax')).toBe('2.5');
  });

  test('-U upgrades the named project only; --upgrade-strategy eager upgrades dependencies too', async () => {
    expect((await h.pip('install', 'top==1.0', 'dep==1.0')).code).toBe(0);
    const r = await h.pip('install', '-U', 'top');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      ['Installing collected packages: top', '  Attempting uninstall: top', '    Found existing installation: top 1.0', '    Uninstalling top-1.0:', '      Successfully uninstalled top-1.0', 'Successfully installed top-2.0'].join('\n'),
    );
    expect(r.stdout).toContain(`Requirement already satisfied: dep>=1 in ${h.sitePackages} (from top) (1.0)`);
    expect(h.metadataVersion('top')).toBe('2.0');
    expect(h.metadataVersion('dep')).toBe('1.0');

    const eager = await h.pip('install', '--upgrade', '--upgrade-strategy', 'eager', 'top');
    expect(eager.code).toBe(0);
    expect(h.metadataVersion('dep')).toBe('2.0');
    expect(h.importVersion('dep')).toBe('2.0');
    expect(await listed('dep')).toBe('2.0');
  });

  test('--force-reinstall reinstalls what is already there', async () => {
    await h.pip('install', 'certx');
    const r = await h.pip('install', '--force-reinstall', 'certx');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Found existing installation: certx 1.0');
    expect(r.stdout).toContain('Successfully installed certx-1.0');
    expect(h.importVersion('certx')).toBe('1.0');
  });

  test('--no-deps installs the named project alone; pip check then reports the gap', async () => {
    const r = await h.pip('install', '--no-deps', 'webreq');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Successfully installed webreq-2.0');
    expect(h.metadataVersion('idnax')).toBeNull();
    const check = await h.pip('check');
    expect(check.code).toBe(1);
    expect(check.stdout).toBe('webreq 2.0 requires certx, which is not installed.\nwebreq 2.0 requires idnax, which is not installed.\n');
  });

  test('--pre takes pre-releases', async () => {
    expect((await h.pip('install', 'prepkg')).stdout).toContain('Successfully installed prepkg-1.0');
    const r = await h.pip('install', '--pre', '-U', 'prepkg');
    expect(r.stdout).toContain('Successfully installed prepkg-2.0b1');
    expect(h.metadataVersion('prepkg')).toBe('2.0b1');
  });

  test('--dry-run resolves and changes nothing; --report - prints pip\'s report', async () => {
    const before = await h.snapshot();
    const r = await h.pip('install', '--dry-run', '--quiet', '--report', '-', 'webreq');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      version: string;
      pip_version: string;
      install: { download_info: { url: string; archive_info: { hash: string; hashes: { sha256: string } } }; is_direct: boolean; is_yanked: boolean; requested: boolean; metadata: Record<string, unknown> }[];
      environment: Record<string, string>;
    };
    expect(report.version).toBe('1');
    expect(report.pip_version).toMatch(/^\d+\.\d+/);
    expect(report.environment['sys_platform']).toBe('emscripten');
    const byName = new Map(report.install.map((i) => [i.metadata['name'], i]));
    expect([...byName.keys()].sort()).toEqual(['certx', 'idnax', 'webreq']);
    const webreq = byName.get('webreq')!;
    const dist = server.dists.find((d) => d.filename === 'webreq-2.0-py3-none-any.whl')!;
    expect(webreq.download_info).toEqual({ url: url(dist.filename), archive_info: { hash: `sha256=${dist.sha256}`, hashes: { sha256: dist.sha256 } } });
    expect(webreq.requested).toBe(true);
    expect(byName.get('idnax')!.requested).toBe(false);
    expect(webreq.is_direct).toBe(false);
    expect(webreq.metadata).toEqual({ metadata_version: '2.1', name: 'webreq', version: '2.0', summary: 'HTTP for fixtures', requires_dist: ['idnax<4,>=2.5', 'certx>=1'] });
    expect(await h.snapshot()).toEqual(before);

    const plain = await h.pip('install', '--dry-run', 'webreq');
    expect(plain.stdout.endsWith('Would install certx-1.0 idnax-3.7 webreq-2.0\n')).toBe(true);
    expect(await h.snapshot()).toEqual(before);
  });

  test('--report FILE writes the report into the virtual filesystem', async () => {
    const r = await h.pip('install', '--report', 'out/report.json', 'certx');
    expect(r.code).toBe(0);
    const report = JSON.parse(h.readText(`${h.cwd}/out/report.json`)!) as { install: { metadata: { name: string } }[] };
    expect(report.install.map((i) => i.metadata.name)).toEqual(['certx']);
  });

  test('-r and -c: requirements files with constraints, and pip\'s "(from -r ...)"', async () => {
    h.writeFile(`${h.cwd}/req/requirements.txt`, '# the app\nwebreq  # HTTP\n-c constraints.txt\n');
    h.writeFile(`${h.cwd}/req/constraints.txt`, 'idnax==2.5\n');
    const r = await h.pip('install', '-r', 'req/requirements.txt');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Collecting webreq (from -r req/requirements.txt (line 2))');
    expect(r.stdout).toContain('Collecting idnax<4,>=2.5 (from webreq->-r req/requirements.txt (line 2))');
    expect(h.metadataVersion('idnax')).toBe('2.5');
    const missing = await h.pip('install', '-r', 'nope.txt');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'nope.txt'\n");
  });

  test('--exclude-newer ignores files uploaded later', async () => {
    const r = await h.pip('install', '--exclude-newer', '2022-01-01', 'dated');
    expect(r.code).toBe(0);
    expect(h.metadataVersion('dated')).toBe('1.0');
  });

  test('-q prints nothing on success; -qq still prints errors; -v adds detail', async () => {
    const q = await h.pip('install', '-q', 'certx');
    expect(q).toEqual({ code: 0, stdout: '', stderr: '' });
    const err = await h.pip('install', '-qq', 'missing-pkg');
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('ERROR: No matching distribution found for missing-pkg');
    const quiet3 = await h.pip('install', '-qqq', 'missing-pkg');
    expect(quiet3.stderr).toContain('No matching distribution'); // the explanation is the result itself
  });

  test('a yanked version pinned with == installs with pip\'s warning', async () => {
    const r = await h.pip('install', 'yank==1.1');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(
      `WARNING: The candidate selected for download or install is a yanked version: 'yank' candidate (version 1.1 at ${url('yank-1.1-py3-none-any.whl')})\nReason for being yanked: broken build\n`,
    );
    expect((await h.pip('install', '-U', 'yank')).stdout).toContain('Requirement already satisfied: yank in');
  });

  test('extras pull in their dependencies', async () => {
    const r = await h.pip('install', 'extra-host[fast]');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Collecting speedy; extra == "fast" (from extra-host[fast])');
    expect(h.metadataVersion('speedy')).toBe('1.0');
    expect(r.stdout).toContain('Successfully installed extra-host-1.0 speedy-1.0');
  });

  test('console scripts are written to bin/', async () => {
    expect((await h.pip('install', 'clitool')).code).toBe(0);
    const launcher = h.readText(`${h.environment.scheme.scripts}/clitool`);
    expect(launcher).toContain('clitool');
    expect((await h.pip('uninstall', '-y', 'clitool')).code).toBe(0);
    expect(h.fs.exists(`${h.environment.scheme.scripts}/clitool`)).toBe(false);
  });

  test('a local wheel path: "Processing", direct_url.json, freeze shows the URL', async () => {
    const wheel = buildWheel({ name: 'localpkg', version: '0.3', files: { 'localpkg/__init__.py': '__version__ = "0.3"\n' } });
    h.writeFile(`${h.cwd}/dist/${wheel.filename}`, wheel.bytes);
    const r = await h.pip('install', `./dist/${wheel.filename}`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Processing ./dist/${wheel.filename}\nInstalling collected packages: localpkg\nSuccessfully installed localpkg-0.3\n`);
    expect(h.importVersion('localpkg')).toBe('0.3');
    const direct = JSON.parse(h.readText(`${h.sitePackages}/localpkg-0.3.dist-info/direct_url.json`)!) as { url: string };
    expect(direct.url).toBe(`file://${h.cwd}/dist/${wheel.filename}`);
    expect((await h.pip('freeze')).stdout).toBe(`localpkg @ file://${h.cwd}/dist/${wheel.filename}#sha256=${wheel.sha256}\n`);
    const again = await h.pip('install', `./dist/${wheel.filename}`);
    expect(again.stdout).toContain('localpkg is already installed with the same version as the provided wheel. Use --force-reinstall to force an installation of the wheel.');
  });

  test('--find-links DIR --no-index installs from a directory of wheels', async () => {
    const a = buildWheel({ name: 'fl-app', version: '1.0', requires: ['fl-lib>=1'] });
    const b = buildWheel({ name: 'fl-lib', version: '1.2' });
    h.writeFile(`${h.cwd}/wheels/${a.filename}`, a.bytes);
    h.writeFile(`${h.cwd}/wheels/${b.filename}`, b.bytes);
    server.resetRequests();
    const r = await h.pip('install', '--no-index', '-f', 'wheels', 'fl-app');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('Collecting fl-app\nCollecting fl-lib>=1 (from fl-app)\nInstalling collected packages: fl-lib, fl-app\nSuccessfully installed fl-app-1.0 fl-lib-1.2\n');
    expect(server.requests).toEqual([]);
    expect(h.metadataVersion('fl-lib')).toBe('1.2');
  });

  test('a wheel URL installs as a direct reference', async () => {
    const file = 'certx-1.0-py3-none-any.whl';
    const r = await h.pip('install', `${url(file)}`);
    expect(r.code).toBe(0);
    // pip names a wheel URL by the file name's project and version.
    expect(r.stdout).toContain('Collecting certx==1.0\n');
    const direct = JSON.parse(h.readText(`${h.sitePackages}/certx-1.0.dist-info/direct_url.json`)!) as { url: string; archive_info: { hashes: { sha256: string } } };
    expect(direct.url).toBe(url(file));
    expect(direct.archive_info.hashes.sha256).toBe(sha256Hex(server.dists.find((d) => d.filename === file)!.bytes));
  });

  test('what cannot be found or resolved: pip\'s ERROR lines, exit 1, nothing changed', async () => {
    await h.pip('install', 'certx');
    const before = await h.snapshot();
    const missing = await h.pip('install', 'missing-pkg');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('ERROR: Could not find a version that satisfies the requirement missing-pkg (from versions: none)\nERROR: No matching distribution found for missing-pkg');
    const conflict = await h.pip('install', 'conflict-a', 'conflict-b');
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain('ERROR: Cannot install');
    expect(conflict.stderr).toContain('conflicting dependencies');
    const invalid = await h.pip('install', 'foo>>1');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr.startsWith("ERROR: Invalid requirement: 'foo>>1': ")).toBe(true);
    expect((await h.pip('install')).stderr).toBe('ERROR: You must give at least one requirement to install (see "pip help install")\n');
    expect(await h.snapshot()).toEqual(before);
  });

  test('--user and -e say plainly what to do instead', async () => {
    const user = await h.pip('install', '--user', 'certx');
    expect(user.code).toBe(1);
    expect(user.stderr).toContain("ERROR: Can not perform a '--user' install. User site-packages are disabled for this Python.");
    expect(user.stderr).toContain('Install without --user');
    const editable = await h.pip('install', '-e', '.');
    expect(editable.code).toBe(1);
    expect(editable.stderr).toContain('editable installs need a source tree and a build backend');
    expect(editable.stderr).toContain('Install a wheel instead');
    const both = await h.pip('install', '--user', '--target', 'x', 'certx');
    expect(both.stderr).toBe("ERROR: Can not combine '--user' and '--target'\n");
  });

  test('--target DIR installs there; existing items stay unless --upgrade', async () => {
    const r = await h.pip('install', '--target', 'vendor', 'top==1.0');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Successfully installed dep-2.0 top-1.0');
    expect(h.fs.exists(`${h.cwd}/vendor/top/__init__.py`)).toBe(true);
    expect(h.fs.exists(`${h.cwd}/vendor/top-1.0.dist-info/METADATA`)).toBe(true);
    expect(h.metadataVersion('top')).toBeNull(); // not in site-packages
    expect(h.python(`import sys; sys.path.insert(0, "${h.cwd}/vendor"); import importlib; importlib.invalidate_caches(); import top; sys.path.pop(0); top.__version__`)).toBe('1.0');
    const again = await h.pip('install', '--target', 'vendor', 'top==2.0');
    expect(again.stderr).toContain(`WARNING: Target directory ${h.cwd}/vendor/top already exists. Specify --upgrade to force replacement.`);
    const up = await h.pip('install', '--target', 'vendor', '--upgrade', 'top==2.0');
    expect(up.code).toBe(0);
    expect(h.readText(`${h.cwd}/vendor/top/__init__.py`)).toBe('__version__ = "2.0"\n');
    expect(h.fs.exists(`${h.cwd}/vendor/top-1.0.dist-info`)).toBe(true); // pip leaves the old dist-info too
    expect((await h.pip('list', '--path', 'vendor', '--format=freeze')).stdout).toContain('top==');
  });

  test('--prefix DIR installs into DIR/lib/pythonX.Y/site-packages', async () => {
    const r = await h.pip('install', '--prefix', '/tmp/pfx', 'certx');
    expect(r.code).toBe(0);
    const [major, minor] = (h.environment.markerEnvironment['python_version'] ?? '').split('.');
    expect(h.fs.exists(`/tmp/pfx/lib/python${major}.${minor}/site-packages/certx/__init__.py`)).toBe(true);
    expect(h.metadataVersion('certx')).toBeNull();
  });
});
