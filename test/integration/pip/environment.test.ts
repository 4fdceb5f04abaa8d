/**
 * The commands that read and remove what is installed: `pip uninstall`, `freeze`, `list`,
 * `show`, `check`, against a real Pyodide whose importlib.metadata must agree.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      {
        name: 'Fancy_App',
        version: '1.0',
        requires: ['libby>=1', 'helper ; python_version < "3"'],
        summary: 'A fancy app',
        homePage: 'https://example.org/fancy',
        license: 'MIT',
        files: { 'fancy_app/__init__.py': '__version__ = "1.0"\n', 'fancy_app/core.py': 'X = 1\n', 'fancy_app/data/words.txt': 'a\nb\n' },
        entryPoints: { console_scripts: { fancy: 'fancy_app:main' } },
      },
      { name: 'Fancy_App', version: '1.1', requires: ['libby>=1'] },
      { name: 'libby', version: '1.0', projectUrls: { Homepage: 'https://example.org/libby' } },
      { name: 'libby', version: '1.5' },
      { name: 'loner', version: '0.1' },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  h.confirmAnswer = null;
  await h.reset();
});

describe('pip uninstall', () => {
  test('-y removes every file of the distribution, and Python no longer finds it', async () => {
    const empty = h.tree();
    await h.pip('install', 'fancy-app==1.0');
    expect(h.importVersion('fancy_app')).toBe('1.0'); // leaves __pycache__ behind, which goes too
    const r = await h.pip('uninstall', '-y', 'Fancy-App');
    expect(r).toEqual({
      code: 0,
      stdout: 'Found existing installation: Fancy_App 1.0\nUninstalling Fancy_App-1.0:\n  Successfully uninstalled Fancy_App-1.0\n',
      stderr: '',
    });
    expect(h.canImport('fancy_app')).toBe(false);
    expect(h.metadataVersion('fancy-app')).toBeNull();
    const left = h.tree().filter((p) => !empty.includes(p));
    expect(left.filter((p) => !p.includes('libby'))).toEqual([]);
    expect(h.fs.exists(`${h.environment.scheme.scripts}/fancy`)).toBe(false);
  });

  test('several names and -r FILE; what is not installed is skipped with a warning', async () => {
    await h.pip('install', 'fancy-app==1.0', 'loner');
    h.writeFile(`${h.cwd}/gone.txt`, 'loner\n');
    const r = await h.pip('uninstall', '-y', 'fancy-app', 'nothere', '-r', 'gone.txt');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('WARNING: Skipping nothere as it is not installed.\n');
    expect(r.stdout).toContain('Successfully uninstalled loner-0.1');
    expect((await h.pip('freeze')).stdout).toBe('libby==1.5\n');
  });

  test('-v names every path removed', async () => {
    await h.pip('install', 'loner');
    const r = await h.pip('uninstall', '-y', '-v', 'loner');
    expect(r.stdout).toContain(`  Removing file or directory ${h.sitePackages}/loner/__init__.py\n`);
  });

  test('without -y: the files pip would remove, then the question; no one to ask means nothing is removed', async () => {
    await h.pip('install', 'fancy-app==1.0');
    const before = await h.snapshot();
    const r = await h.pip('uninstall', 'fancy-app');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'Found existing installation: Fancy_App 1.0',
        'Uninstalling Fancy_App-1.0:',
        '  Would remove:',
        `    ${h.environment.scheme.scripts}/fancy`,
        `    ${h.sitePackages}/fancy_app-1.0.dist-info/*`,
        `    ${h.sitePackages}/fancy_app/*`,
        '  Proceed (Y/n)? ',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toContain('pip uninstall -y fancy-app');
    expect(await h.snapshot()).toEqual(before);

    h.confirmAnswer = false;
    expect((await h.pip('uninstall', 'fancy-app')).code).toBe(0);
    expect(await h.snapshot()).toEqual(before);
    h.confirmAnswer = true;
    const yes = await h.pip('uninstall', 'fancy-app');
    expect(yes.stdout).toContain('Successfully uninstalled Fancy_App-1.0');
    expect(h.metadataVersion('fancy-app')).toBeNull();
  });

  test('no names at all is an error', async () => {
    expect(await h.pip('uninstall')).toEqual({ code: 1, stdout: '', stderr: 'ERROR: You must give at least one requirement to uninstall (see "pip help uninstall")\n' });
  });
});

describe('pip freeze', () => {
  test('name==version, sorted case-insensitively; --exclude', async () => {
    await h.pip('install', 'fancy-app==1.0', 'loner');
    expect(await h.pip('freeze')).toEqual({ code: 0, stdout: 'Fancy_App==1.0\nlibby==1.5\nloner==0.1\n', stderr: '' });
    expect((await h.pip('freeze', '--exclude', 'LIBBY')).stdout).toBe('Fancy_App==1.0\nloner==0.1\n');
  });

  test('-r FILE keeps its order and comments, then what pip freeze added', async () => {
    await h.pip('install', 'fancy-app==1.0', 'loner');
    h.writeFile(`${h.cwd}/req.txt`, '# pinned\nloner>=0.1  # mine\n\n--pre\nmissing-one\nfancy-app\n');
    const r = await h.pip('freeze', '-r', 'req.txt');
    expect(r.stdout).toBe(['# pinned', 'loner==0.1', '', '--pre', 'Fancy_App==1.0', '## The following requirements were added by pip freeze:', 'libby==1.5', ''].join('\n'));
    expect(r.stderr).toBe("WARNING: Requirement file [req.txt] contains missing-one, but package 'missing-one' is not installed\n");
  });
});

describe('pip list', () => {
  test('columns, freeze and json formats agree with importlib.metadata', async () => {
    await h.pip('install', 'fancy-app==1.0');
    expect((await h.pip('list')).stdout).toBe('Package   Version\n--------- -------\nFancy_App 1.0\nlibby     1.5\n');
    expect((await h.pip('list', '--format=freeze')).stdout).toBe('Fancy_App==1.0\nlibby==1.5\n');
    const json = (await h.pip('list', '--format', 'json')).stdout;
    expect(json).toBe('[{"name": "Fancy_App", "version": "1.0"}, {"name": "libby", "version": "1.5"}]\n');
    for (const row of JSON.parse(json) as { name: string; version: string }[]) expect(h.metadataVersion(row.name)).toBe(row.version);
    expect((await h.pip('list', '--not-required', '--format=freeze')).stdout).toBe('Fancy_App==1.0\n');
    expect((await h.pip('list', '--exclude', 'fancy-app', '--format=freeze')).stdout).toBe('libby==1.5\n');
    const verbose = (await h.pip('list', '-v')).stdout.split('\n');
    expect(verbose[0]).toMatch(/^Package +Version +Location +Installer$/);
    expect(verbose[2]).toBe(`Fancy_App 1.0     ${h.sitePackages} pipette`);
  });

  test('--outdated and --uptodate ask the index', async () => {
    await h.pip('install', 'fancy-app==1.0', 'libby==1.0');
    expect((await h.pip('list', '--outdated')).stdout).toBe(
      'Package   Version Latest Type\n--------- ------- ------ -----\nFancy_App 1.0     1.1    wheel\nlibby     1.0     1.5    wheel\n',
    );
    await h.pip('install', '-U', 'libby');
    expect((await h.pip('list', '--uptodate', '--format=freeze')).stdout).toBe('libby==1.5\n');
    expect((await h.pip('list', '--outdated', '--format=json')).stdout).toBe('[{"name": "Fancy_App", "version": "1.0", "latest_version": "1.1", "latest_filetype": "wheel"}]\n');
    const both = await h.pip('list', '-o', '-u');
    expect(both).toEqual({ code: 1, stdout: '', stderr: 'ERROR: Options --outdated and --uptodate cannot be combined.\n' });
  });
});

describe('pip show', () => {
  test('pip\'s fields, Required-by, --- between packages, -f lists RECORD', async () => {
    await h.pip('install', 'fancy-app==1.0');
    const r = await h.pip('show', 'fancy_app', 'libby');
    expect(r.stdout).toBe(
      [
        'Name: Fancy_App',
        'Version: 1.0',
        'Summary: A fancy app',
        'Home-page: https://example.org/fancy',
        'Author: ',
        'Author-email: ',
        'License: MIT',
        `Location: ${h.sitePackages}`,
        'Requires: libby',
        'Required-by: ',
        '---',
        'Name: libby',
        'Version: 1.5',
        'Summary: ',
        'Home-page: ',
        'Author: ',
        'Author-email: ',
        'License: ',
        `Location: ${h.sitePackages}`,
        'Requires: ',
        'Required-by: Fancy_App',
        '',
      ].join('\n'),
    );
    const files = (await h.pip('show', '-f', 'fancy-app')).stdout;
    expect(files).toContain('Files:\n  ../../../bin/fancy\n  fancy_app-1.0.dist-info/INSTALLER\n');
    expect(files).toContain('  fancy_app/data/words.txt\n');
    const missing = await h.pip('show', 'nope', 'libby');
    expect(missing.code).toBe(0);
    expect(missing.stderr).toBe('WARNING: Package(s) not found: nope\n');
    expect(await h.pip('show', 'nope')).toEqual({ code: 1, stdout: '', stderr: 'WARNING: Package(s) not found: nope\n' });
  });

  test('Home-page falls back to the "Homepage" Project-URL', async () => {
    await h.pip('install', 'libby==1.0');
    expect((await h.pip('show', 'libby')).stdout).toContain('Home-page: https://example.org/libby\n');
  });
});

describe('pip check', () => {
  test('no broken requirements, then a conflict', async () => {
    await h.pip('install', 'fancy-app==1.0');
    expect(await h.pip('check')).toEqual({ code: 0, stdout: 'No broken requirements found.\n', stderr: '' });
    await h.pip('uninstall', '-y', 'libby');
    expect(await h.pip('check')).toEqual({ code: 1, stdout: 'fancy-app 1.0 requires libby, which is not installed.\n', stderr: '' });
  });
});
