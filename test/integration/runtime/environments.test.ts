/**
 * Virtual environments in a real Pyodide: `python -m venv` lays the directory out as CPython
 * does, activation switches what pip installs into and what Python imports, and no environment
 * sees another's packages (imports, importlib.metadata, pip).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PIP_VERSION } from '../../../src/pip';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

let server: IndexServer;
let h: RuntimeHarness;
const HOME = '/home/pyodide';

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': '__version__ = "1.0"\n' }, entryPoints: { console_scripts: { 'alpha-cli': 'alpha:main' } } },
      { name: 'alpha', version: '2.0', files: { 'alpha/__init__.py': '__version__ = "2.0"\n' } },
      { name: 'bravo', version: '1.0', requires: ['charlie'], files: { 'bravo/__init__.py': 'import charlie\n__version__ = "1.0"\n' } },
      { name: 'charlie', version: '0.5' },
    ],
  });
  h = await RuntimeHarness.start(server, newStores());
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.session.venv({ kind: 'deactivate' });
});

const create = (...argv: string[]) => h.session.venv({ kind: 'create', argv });
const activate = (path: string) => h.session.venv({ kind: 'activate', path });

describe('python -m venv', () => {
  test('lays the environment out as CPython 3.14 does, relative to the current directory', async () => {
    const r = await create('env1');
    expect(r).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    const prefix = `${HOME}/env1`;
    const fs = h.session.fs;
    expect(fs.readdir(prefix)).toEqual(['.gitignore', 'bin', 'include', 'lib', 'pyvenv.cfg']);
    expect(fs.readdir(`${prefix}/bin`)).toEqual(['activate', 'pip', 'pip3', 'pip3.14', 'python', 'python3', 'python3.14']);
    expect(fs.isDirectory(`${prefix}/lib/python3.14/site-packages`)).toBe(true);
    // pip as a package, as ensurepip puts it in a new venv.
    expect(fs.readdir(`${prefix}/lib/python3.14/site-packages`)).toEqual(['pip', `pip-${PIP_VERSION}.dist-info`]);
    expect(h.text(`${prefix}/pyvenv.cfg`)).toBe(
      [
        'home = /bin',
        'include-system-site-packages = false',
        'version = 3.14.2',
        'executable = /bin/python3.14',
        `command = /bin/python3.14 -m venv ${prefix}`,
        '',
      ].join('\n'),
    );
    const activateScript = h.text(`${prefix}/bin/activate`)!;
    expect(activateScript).toContain('# This file must be used with "source bin/activate" *from bash*');
    expect(activateScript).toContain(`export VIRTUAL_ENV=${prefix}\n`);
    expect(activateScript).toContain('VIRTUAL_ENV_PROMPT=env1\n');
    expect(activateScript).toContain('PS1="("env1") ${PS1:-}"');
    expect(h.text(`${prefix}/bin/pip`)).toMatch(new RegExp(`^#!${prefix}/bin/python\n`));
    expect(fs.stat(`${prefix}/bin/python`)?.executable).toBe(true);
    expect(h.text(`${prefix}/.gitignore`)).toBe('# Created by venv; see https://docs.python.org/3/library/venv.html\n*\n');
    expect(r.environments.map((e) => e.prefix)).toEqual(['/', prefix]);
  });

  test('options: --prompt, --without-pip, --system-site-packages, --without-scm-ignore-files', async () => {
    const r = await create('--without-pip', '--prompt', 'my env', '--system-site-packages', '--without-scm-ignore-files', 'opts');
    expect(r.exitCode).toBe(0);
    const prefix = `${HOME}/opts`;
    expect(h.session.fs.readdir(`${prefix}/bin`)).toEqual(['activate', 'python', 'python3', 'python3.14']);
    expect(h.session.fs.exists(`${prefix}/.gitignore`)).toBe(false);
    expect(h.text(`${prefix}/pyvenv.cfg`)).toContain("include-system-site-packages = true\nversion = 3.14.2\nprompt = 'my env'\n");
    expect(h.text(`${prefix}/pyvenv.cfg`)).toContain(`command = /bin/python3.14 -m venv --without-pip --system-site-packages --prompt="my env" --without-scm-ignore-files ${prefix}\n`);
    expect(h.text(`${prefix}/bin/activate`)).toContain("VIRTUAL_ENV_PROMPT='my env'\n");
  });

  test("usage errors and failures in venv's own words and exit statuses", async () => {
    const none = await create();
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/^usage: venv \[-h\] \[--system-site-packages\]/);
    expect(none.stderr).toMatch(/\nvenv: error: the following arguments are required: ENV_DIR\n$/);
    expect((await create('--bogus', 'x')).stderr).toMatch(/venv: error: unrecognized arguments: --bogus\n$/);
    expect((await create('--prompt')).stderr).toMatch(/venv: error: argument --prompt: expected one argument\n$/);
    expect((await create('--symlinks', '--copies', 'x')).stderr).toMatch(/venv: error: argument --copies: not allowed with argument --symlinks\n$/);
    expect((await create('--up', 'x')).stderr).toMatch(/venv: error: ambiguous option: --up could match --upgrade, --upgrade-deps\n$/);
    expect(await create('--clear', '--upgrade', 'x')).toMatchObject({ exitCode: 1, stderr: 'Error: you cannot supply --upgrade and --clear together.\n' });
    expect(await create('a:b')).toMatchObject({ exitCode: 1, stderr: `Error: Refusing to create a venv in ${HOME}/a:b because it contains the PATH separator :.\n` });
    await h.session.writeFile('afile', 'not a directory\n');
    expect(await create('afile')).toMatchObject({ exitCode: 1, stderr: `Error: Unable to create directory '${HOME}/afile'\n` });
    expect(await create('/lib')).toMatchObject({ exitCode: 1 });
    expect(h.session.fs.exists('/lib/pyvenv.cfg')).toBe(false);
    const help = await create('--help');
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain('Creates virtual Python environments in one or more target directories.');
  });

  test('an existing directory becomes an environment and keeps its files, as CPython does; --clear empties it', async () => {
    await h.session.writeFile('project/main.py', 'print("hi")\n');
    expect((await create('project')).exitCode).toBe(0);
    expect(h.text(`${HOME}/project/main.py`)).toBe('print("hi")\n');
    expect(h.session.fs.exists(`${HOME}/project/pyvenv.cfg`)).toBe(true);
    expect((await create('--clear', 'project')).exitCode).toBe(0);
    expect(h.session.fs.exists(`${HOME}/project/main.py`)).toBe(false);
    expect(h.session.fs.exists(`${HOME}/project/bin/activate`)).toBe(true);
  });
});

describe('activate and deactivate', () => {
  test('activation sets sys.prefix, site-packages, VIRTUAL_ENV and sys.executable; deactivation puts them back', async () => {
    await create('act');
    const prefix = `${HOME}/act`;
    const r = await activate('act/bin/activate');
    expect(r.exitCode).toBe(0);
    expect(r.active).toMatchObject({ kind: 'venv', name: 'act', prefix, prompt: 'act', active: true, sitePackages: `${prefix}/lib/python3.14/site-packages` });
    const state = async () =>
      JSON.parse(
        await h.py(
          'import json, os, site, sys\njson.dumps([sys.prefix, sys.exec_prefix, sys.base_prefix, site.getsitepackages(), [p for p in sys.path if "site-packages" in p], os.environ.get("VIRTUAL_ENV"), os.environ.get("VIRTUAL_ENV_PROMPT"), os.environ["PATH"].split(":")[0], sys.executable])',
        ),
      ) as unknown[];
    const sp = `${prefix}/lib/python3.14/site-packages`;
    expect(await state()).toEqual([prefix, prefix, '/', [sp], [sp], prefix, 'act', `${prefix}/bin`, `${prefix}/bin/python`]);
    expect((await h.session.venv({ kind: 'deactivate' })).active.kind).toBe('base');
    const base = await state();
    expect(base.slice(0, 7)).toEqual(['/', '/', '/', ['/lib/python3.14/site-packages'], ['/lib/python3.14/site-packages'], null, null]);
  });

  test('a path that is not a venv, and deactivate with none active, fail as bash does', async () => {
    expect(await activate('nowhere/bin/activate')).toMatchObject({ exitCode: 1, stderr: 'bash: nowhere/bin/activate: No such file or directory\n' });
    expect(await activate('nowhere')).toMatchObject({ exitCode: 1, stderr: 'bash: nowhere/bin/activate: No such file or directory\n' });
    expect(await h.session.venv({ kind: 'deactivate' })).toMatchObject({ exitCode: 127, stderr: 'bash: deactivate: command not found\n' });
  });
});

describe('isolation', () => {
  test('a package installed in a venv is there only: imports, importlib.metadata and pip in base do not see it', async () => {
    await create('iso');
    await activate('iso');
    const install = await h.pip(['install', 'alpha==1.0']);
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('Successfully installed alpha-1.0');
    const sp = `${HOME}/iso/lib/python3.14/site-packages`;
    expect(h.session.fs.readdir(sp)).toEqual(['alpha', 'alpha-1.0.dist-info', 'pip', `pip-${PIP_VERSION}.dist-info`]);
    expect(h.session.fs.exists('/lib/python3.14/site-packages/alpha')).toBe(false);
    // The console script went to the venv's bin/, pointing at the venv's python.
    expect(h.text(`${HOME}/iso/bin/alpha-cli`)).toMatch(new RegExp(`^#!${HOME}/iso/bin/python\n`));
    expect(await h.py('import alpha; alpha.__version__')).toBe('1.0');
    expect(await h.py('import importlib.metadata as m; m.version("alpha")')).toBe('1.0');
    expect(await h.freeze()).toBe('alpha==1.0\n');

    await h.session.venv({ kind: 'deactivate' });
    expect(await h.pyError('import alpha')).toBe("ModuleNotFoundError: No module named 'alpha'");
    expect(await h.pyError('import importlib.metadata as m; m.version("alpha")')).toBe('importlib.metadata.PackageNotFoundError: No package metadata was found for alpha');
    expect(await h.py('import importlib.metadata as m; str(sorted(d.metadata["Name"] for d in m.distributions()))')).not.toContain('alpha');
    expect(await h.freeze()).not.toContain('alpha');

    await activate('iso');
    expect(await h.py('import alpha; alpha.__version__')).toBe('1.0');
    await h.pip(['uninstall', '-y', 'alpha']);
  });

  test('base packages are invisible in a venv, and modules imported from base are dropped on activation', async () => {
    expect((await h.pip(['install', 'bravo'])).code).toBe(0);
    expect(await h.py('import bravo; bravo.__version__')).toBe('1.0');
    await create('clean');
    await activate('clean');
    expect(await h.py('import sys; str(sorted(k for k in sys.modules if k in ("bravo", "charlie")))')).toBe('[]');
    expect(await h.pyError('import bravo')).toBe("ModuleNotFoundError: No module named 'bravo'");
    expect(await h.freeze()).toBe('');
    // --system-site-packages: the base environment's packages are visible after the venv's own.
    await create('--system-site-packages', 'shared');
    await activate('shared');
    expect(await h.py('import bravo; bravo.__version__')).toBe('1.0');
    await h.session.venv({ kind: 'deactivate' });
    await h.pip(['uninstall', '-y', 'bravo', 'charlie']);
  });

  test('two venvs with two versions of one package: each import finds its own', async () => {
    await create('one', 'two');
    await activate('one');
    await h.pip(['install', 'alpha==1.0']);
    await activate('two');
    await h.pip(['install', 'alpha==2.0']);
    expect(await h.py('import alpha; alpha.__version__')).toBe('2.0');
    await activate('one');
    expect(await h.py('import alpha; alpha.__version__')).toBe('1.0');
    expect(await h.py('import importlib.metadata as m; m.version("alpha")')).toBe('1.0');
    await activate('two');
    expect(await h.py('import alpha; alpha.__version__')).toBe('2.0');
  });

  test("pip with an environment named acts on it without activating it (a venv's bin/pip)", async () => {
    await create('side');
    const r = await h.pip(['install', 'charlie'], 'side');
    expect(r.code).toBe(0);
    expect(h.session.environments.active.kind).toBe('base');
    expect(await h.freeze(`${HOME}/side`)).toBe('charlie==0.5\n');
    expect(await h.freeze()).not.toContain('charlie');
  });

  test("the lock of an environment names each distribution's file, sha256, index and whether it was requested", async () => {
    await create('locked');
    await activate('locked');
    await h.pip(['install', 'bravo']);
    const lock = h.session.lock();
    const file = (name: string) => server.dists.find((d) => d.filename === name)!;
    expect(lock).toEqual({
      prefix: `${HOME}/locked`,
      name: 'locked',
      unlocked: [],
      distributions: [
        { name: 'bravo', version: '1.0', filename: 'bravo-1.0-py3-none-any.whl', url: server.fileUrl('bravo-1.0-py3-none-any.whl'), sha256: file('bravo-1.0-py3-none-any.whl').sha256, index: server.simpleUrl, requested: true, directUrl: null },
        { name: 'charlie', version: '0.5', filename: 'charlie-0.5-py3-none-any.whl', url: server.fileUrl('charlie-0.5-py3-none-any.whl'), sha256: file('charlie-0.5-py3-none-any.whl').sha256, index: server.simpleUrl, requested: false, directUrl: null },
      ],
    });
    await h.pip(['uninstall', '-y', 'charlie']);
    expect(h.session.lock()?.distributions.map((d) => d.name)).toEqual(['bravo']);
  });
});
