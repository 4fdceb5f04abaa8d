/**
 * The rest of pip's surface: `download`, `index versions`, `hash`, `cache`, `help`,
 * `--version`, unknown commands, usage errors and `PIP_*` environment variables; and
 * packages from Pyodide's lock, shared libraries included.
 */
import { PYODIDE_INFO } from '../../fixtures/pyodide-target';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { buildWheel, sha256Hex } from '../../fixtures/wheel-builder';
import { makeZip } from '../../fixtures/zip';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let other: IndexServer;
let h: PipHarness;

const libzip = makeZip([['libtiny.so', 'not really a shared object\n']]);
// As in Pyodide's real lock, the dependency on the shared library is in the lock's `depends`,
// not in the wheel's METADATA.
const lockPkg = buildWheel({ name: 'lockpkg', version: '3.1', files: { 'lockpkg/__init__.py': '__version__ = "3.1"\n' } });

beforeAll(async () => {
  const lock = {
    info: PYODIDE_INFO,
    packages: {
      lockpkg: { name: 'lockpkg', version: '3.1', file_name: lockPkg.filename, install_dir: 'site', sha256: lockPkg.sha256, package_type: 'package', imports: ['lockpkg'], depends: ['libtiny'] },
      libtiny: { name: 'libtiny', version: '1.0', file_name: 'libtiny-1.0.zip', install_dir: 'dynlib', sha256: sha256Hex(libzip), package_type: 'shared_library', imports: [], depends: [] },
    },
  };
  server = await startIndexServer({
    projects: [
      { name: 'dl-app', version: '1.0', requires: ['dl-lib'] },
      { name: 'dl-lib', version: '0.5' },
      { name: 'verpkg', version: '1.0' },
      { name: 'verpkg', version: '1.1' },
      { name: 'verpkg', version: '2.0rc1' },
      { name: 'verpkg', version: '1.2', yanked: true },
      { name: 'verpkg', version: '0.9', tags: 'cp310-cp310-manylinux_2_17_x86_64' },
    ],
    pyodideLock: lock,
    pyodideFiles: { [lockPkg.filename]: lockPkg.bytes, 'libtiny-1.0.zip': libzip },
  });
  other = await startIndexServer({ projects: [{ name: 'elsewhere', version: '4.0' }] });
  h = await PipHarness.create(server, { pyodideLock: true });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await other?.close();
});

beforeEach(async () => {
  h.env = {};
  await h.reset();
});

describe('pip download', () => {
  test('-d DIR saves every wheel of the resolution into the virtual filesystem', async () => {
    const r = await h.pip('download', '-d', 'dist', 'dl-app');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Collecting dl-lib (from dl-app)\n');
    expect(r.stdout).toContain('Saved ./dist/dl_app-1.0-py3-none-any.whl\nSaved ./dist/dl_lib-0.5-py3-none-any.whl\nSuccessfully downloaded dl-app dl-lib\n');
    const saved = h.fs.readFile(`${h.cwd}/dist/dl_app-1.0-py3-none-any.whl`)!;
    expect(sha256Hex(saved)).toBe(server.dists.find((d) => d.filename === 'dl_app-1.0-py3-none-any.whl')!.sha256);
    expect(h.metadataVersion('dl-app')).toBeNull(); // downloaded, not installed
    const again = await h.pip('download', '-d', 'dist', 'dl-app');
    expect(again.stdout).toContain('File was already downloaded ./dist/dl_app-1.0-py3-none-any.whl\n');
    // And the saved wheels install offline.
    const offline = await h.pip('install', '--no-index', '--find-links', 'dist', 'dl-app');
    expect(offline.code).toBe(0);
    expect(h.importVersion('dl_app')).toBe('1.0');
  });
});

describe('pip index versions', () => {
  test('the versions that install here, newest first; the installed one', async () => {
    expect(await h.pip('index', 'versions', 'verpkg')).toEqual({ code: 0, stdout: 'verpkg (1.1)\nAvailable versions: 1.1, 1.0\n', stderr: '' });
    expect((await h.pip('index', 'versions', '--pre', 'verpkg')).stdout).toBe('verpkg (2.0rc1)\nAvailable versions: 2.0rc1, 1.1, 1.0\n');
    await h.pip('install', 'verpkg==1.0');
    expect((await h.pip('index', 'versions', 'verpkg')).stdout).toBe('verpkg (1.1)\nAvailable versions: 1.1, 1.0\n  INSTALLED: 1.0\n  LATEST:    1.1\n');
    expect(await h.pip('index', 'versions', 'nothing-here')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: No matching distribution found for nothing-here\n' });
    expect((await h.pip('index')).stderr).toBe('ERROR: Need an action (versions) to perform.\n');
  });
});

describe('pip hash', () => {
  test('prints the --hash line for a file', async () => {
    const wheel = buildWheel({ name: 'hashme', version: '1.0' });
    h.writeFile(`${h.cwd}/${wheel.filename}`, wheel.bytes);
    expect(await h.pip('hash', wheel.filename)).toEqual({ code: 0, stdout: `${wheel.filename}:\n--hash=sha256:${wheel.sha256}\n`, stderr: '' });
    const sha512 = (await h.pip('hash', '-a', 'sha512', wheel.filename)).stdout;
    expect(sha512).toMatch(new RegExp(`^${wheel.filename.replace(/\./g, '\\.')}:\\n--hash=sha512:[0-9a-f]{128}\\n$`));
    expect((await h.pip('hash', '-a', 'md5', wheel.filename)).code).toBe(2);
  });
});

describe('pip cache', () => {
  test('info, list, remove, purge over the cache', async () => {
    expect((await h.pip('cache', 'purge')).code).toBe(0);
    await h.pip('install', 'dl-app');
    expect((await h.pip('cache', 'dir')).stdout).toBe('memory (test harness)\n');
    const info = (await h.pip('cache', 'info')).stdout;
    expect(info).toMatch(/Number of wheels: 2\n$/);
    const list = (await h.pip('cache', 'list')).stdout;
    expect(list).toMatch(/^Cache contents:\n\n - dl_app-1\.0-py3-none-any\.whl \(\d+ bytes\)\n - dl_lib-0\.5-py3-none-any\.whl \(\d+ bytes\)\n$/);
    expect((await h.pip('cache', 'list', 'dl_lib')).stdout).toMatch(/^Cache contents:\n\n - dl_lib-/);
    const removed = await h.pip('cache', 'remove', 'dl_lib');
    expect(removed.stdout).toMatch(/^Files removed: 3 \([\d.]+ (bytes|kB)\)\n$/); // the wheel, its metadata and its compiled modules
    expect((await h.pip('cache', 'remove', 'nomatch')).stderr).toBe('WARNING: No matching packages for pattern "nomatch"\n');
    expect((await h.pip('cache', 'purge')).stdout).toMatch(/^Files removed: \d+ /);
    expect((await h.pip('cache', 'list')).stdout).toBe('No wheels cached.\n');
    expect((await h.pip('cache')).stderr).toBe('ERROR: Need an action (dir, info, list, purge, remove) to perform.\n');
    expect((await h.pip('--no-cache-dir', 'cache', 'list')).stderr).toBe('ERROR: pip cache commands can not function since cache is disabled.\n');
  });
});

describe('the command line', () => {
  test('--version, help, unknown commands, usage errors', async () => {
    const version = await h.pip('--version');
    expect(version.stdout).toBe(`pip 25.3 (pipette 0.1.0) from ${h.sitePackages}/pip (python ${h.environment.markerEnvironment['python_version']})\n`);
    const help = await h.pip('help');
    expect(help.stdout).toContain('\nUsage:   \n  pip <command> [options]\n\nCommands:\n  install                     Install packages.\n');
    expect((await h.pip()).stdout).toBe(help.stdout);
    const installHelp = await h.pip('help', 'install');
    expect(installHelp.stdout).toContain('  -U, --upgrade');
    expect((await h.pip('install', '-h')).stdout).toBe(installHelp.stdout);
    expect(await h.pip('instal', 'x')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: unknown command "instal" - maybe you meant "install"\n' });
    expect(await h.pip('help', 'frezee')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: unknown command "frezee" - maybe you meant "freeze"\n' });
    // Without the tab's Python (this harness, the CLI) there is nothing to run a build backend with.
    expect((await h.pip('wheel', '.')).stderr).toContain('which needs a build backend (and often a compiler) that this environment cannot run');
    expect(await h.pip('list', '--frob')).toEqual({ code: 2, stdout: '', stderr: '\nUsage:   \n  pip list [options]\n\nno such option: --frob\n' });
    expect((await h.pip('list', '--format', 'xml')).stderr).toContain("option --format: invalid choice: 'xml' (choose from 'columns', 'freeze', 'json')\n");
    expect((await h.pip('install', '-i')).stderr).toContain('\n-i option requires 1 argument\n');
    expect((await h.pip('list', '--no-deps')).stderr).toContain('no such option: --no-deps');
    // optparse accepts an unambiguous prefix of a long option.
    expect((await h.pip('list', '--form=freeze')).code).toBe(0);
  });

  test('PIP_* environment variables set option defaults; --isolated ignores them', async () => {
    h.env = { PIP_INDEX_URL: other.simpleUrl, PIP_QUIET: '1' };
    const r = await h.pip('install', 'elsewhere');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(h.metadataVersion('elsewhere')).toBe('4.0');
    const isolated = await h.pip('--isolated', 'download', '-d', 'x', 'elsewhere');
    expect(isolated.code).toBe(1); // the default index does not have it
    expect(isolated.stderr).toContain('No matching distribution found for elsewhere');
    h.env = { PIP_NO_DEPS: 'yes' };
    expect((await h.pip('install', 'dl-app')).stdout).toContain('Successfully installed dl-app-1.0\n');
    h.env = { PIP_NO_DEPS: 'maybe' };
    expect((await h.pip('install', 'dl-app')).stderr).toContain('maybe is not a valid value for no-deps option');
  });
});

describe('Pyodide lock packages', () => {
  test('install like wheels; their shared libraries are unpacked into the DSO folder', async () => {
    const r = await h.pip('install', 'lockpkg');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Collecting libtiny (from lockpkg)\n');
    expect(r.stdout).toContain(`Downloading ${server.pyodideUrl}libtiny-1.0.zip (`);
    expect(h.importVersion('lockpkg')).toBe('3.1');
    expect(h.readText(`${h.environment.dynlibDir}/libtiny.so`)).toBe('not really a shared object\n');
    const again = await h.pip('install', '--force-reinstall', '--no-deps', 'lockpkg');
    expect(again.code).toBe(0);
    const satisfied = await h.pip('install', 'lockpkg');
    expect(satisfied.stdout).toContain(`Requirement already satisfied: libtiny in ${h.environment.dynlibDir} (from lockpkg) (1.0)`);
    expect((await h.pip('list', '--format=freeze')).stdout).toBe('lockpkg==3.1\n');
  });
});
