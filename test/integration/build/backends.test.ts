/**
 * `pip install ./proj` and `pip install -e ./proj` with each common build backend, run for real
 * inside Pyodide: setuptools (a pyproject.toml project, and a legacy setup.py-only one, which
 * pip builds with `setuptools.build_meta:__legacy__`), hatchling, flit-core and poetry-core,
 * all from the PyPI wheels this machine carries, served by the fixture index. Each build's
 * requirements are resolved by Pipette from that index into a throwaway environment under /tmp;
 * the wheel goes through pip's normal install path. The editable installs are imported, edited
 * and imported again: the edit is what Python runs, with no reinstall.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parseRecord } from '../../../src/install';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../../fixtures/machine-wheels';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({ projects: [{ name: 'six', version: '1.17.0' }], dists: machineDists(BUILD_TOOLS) });
  h = await PipHarness.create(server, { python: true });
}, 120_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
});

interface Project {
  readonly name: string;
  readonly backend: string;
  /** Files of the project, relative to its folder. */
  readonly files: Readonly<Record<string, string>>;
  /** The module the project provides, and the file holding it (relative). */
  readonly module: string;
  readonly source: string;
  /** The wheel's tags as that backend writes them. */
  readonly tags: string;
}

const PROJECTS: readonly Project[] = [
  {
    name: 'hello-setuptools',
    backend: 'setuptools',
    module: 'hello_setuptools',
    source: 'src/hello_setuptools/__init__.py',
    tags: 'py3-none-any',
    files: {
      'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello-setuptools"\nversion = "0.1"\ndependencies = ["six"]\n',
      'src/hello_setuptools/__init__.py': '__version__ = "one"\n',
    },
  },
  {
    name: 'hello-legacy',
    backend: 'setuptools (legacy setup.py)',
    module: 'hello_legacy',
    source: 'hello_legacy.py',
    tags: 'py3-none-any',
    files: {
      'setup.py': 'from setuptools import setup\n\nsetup(name="hello-legacy", version="0.2", py_modules=["hello_legacy"], install_requires=["six"])\n',
      'hello_legacy.py': '__version__ = "one"\n',
    },
  },
  {
    name: 'hello-hatch',
    backend: 'hatchling',
    module: 'hello_hatch',
    source: 'src/hello_hatch/__init__.py',
    tags: 'py3-none-any',
    files: {
      'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "hello-hatch"\nversion = "0.3"\ndependencies = ["six"]\n',
      'src/hello_hatch/__init__.py': '__version__ = "one"\n',
    },
  },
  {
    name: 'hello-flit',
    backend: 'flit-core',
    module: 'hello_flit',
    source: 'hello_flit/__init__.py',
    tags: 'py3-none-any',
    files: {
      'pyproject.toml': '[build-system]\nrequires = ["flit_core>=3.4"]\nbuild-backend = "flit_core.buildapi"\n\n[project]\nname = "hello-flit"\nversion = "0.4"\ndescription = "A flit project"\ndependencies = ["six"]\n\n[tool.flit.module]\nname = "hello_flit"\n',
      'hello_flit/__init__.py': '__version__ = "one"\n',
    },
  },
  {
    name: 'hello-poetry',
    backend: 'poetry-core',
    module: 'hello_poetry',
    source: 'src/hello_poetry/__init__.py',
    tags: 'py3-none-any',
    files: {
      'pyproject.toml':
        '[build-system]\nrequires = ["poetry-core>=2.0"]\nbuild-backend = "poetry.core.masonry.api"\n\n[project]\nname = "hello-poetry"\nversion = "0.5"\ndescription = "A poetry project"\ndependencies = ["six"]\n\n[tool.poetry]\npackages = [{ include = "hello_poetry", from = "src" }]\n',
      'src/hello_poetry/__init__.py': '__version__ = "one"\n',
    },
  },
];

function writeProject(p: Project): string {
  const dir = `/home/pyodide/${p.name}`;
  for (const [path, content] of Object.entries(p.files)) h.writeFile(`${dir}/${path}`, content);
  return dir;
}

/**
 * pip's default `--compile` for a built wheel as for any other: each module the wheel put in
 * site-packages has its `.pyc` in `__pycache__` beside it, listed in RECORD. Returns how many.
 */
function expectCompiledAsPip(distInfo: string): number {
  const record = parseRecord(h.readText(`${h.sitePackages}/${distInfo}/RECORD`)!);
  const paths = new Set(record.map((e) => e.path));
  const modules = record.filter((e) => e.path.endsWith('.py') && !e.path.startsWith('../'));
  for (const m of modules) {
    const slash = m.path.lastIndexOf('/');
    const pyc = `${m.path.slice(0, slash + 1)}__pycache__/${m.path.slice(slash + 1, -'.py'.length)}.cpython-314.pyc`;
    expect(paths).toContain(pyc);
    expect(h.fs.lstat(`${h.sitePackages}/${pyc}`)?.kind).toBe('file');
  }
  return modules.length;
}

describe.each(PROJECTS)('$backend', (p) => {
  test(`pip install ./${p.name} builds a wheel with ${p.backend} and installs it`, async () => {
    const dir = writeProject(p);
    const r = await h.pip('install', `./${p.name}`);
    const version = /version\s*=\s*"([^"]+)"/.exec(Object.values(p.files).join('\n'))![1]!;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Processing ./${p.name}\n  Installing build dependencies ... done\n  Getting requirements to build wheel ... done\n  Preparing metadata (pyproject.toml) ... done\n`);
    expect(r.stdout).toContain(`Building wheels for collected packages: ${p.name}\n  Building wheel for ${p.name} (pyproject.toml) ... done\n`);
    const wheel = new RegExp(`Created wheel for ${p.name}: filename=(${p.module}-${version.replace(/\./g, '\\.')}-[\\w.]+-none-any\\.whl) size=\\d+ sha256=[0-9a-f]{64}`);
    expect(r.stdout).toMatch(wheel);
    expect(r.stdout).toContain(`Successfully built ${p.name}\n`);
    expect(r.stdout).toMatch(new RegExp(`Successfully installed ${p.name}-${version.replace(/\./g, '\\.')} six-1\\.17\\.0\\n$`));
    // The built wheel's modules are compiled at install, as pip compiles a wheel it built.
    expect(expectCompiledAsPip(`${p.module}-${version}.dist-info`)).toBeGreaterThan(0);
    expect(h.importVersion(p.module)).toBe('one');
    expect(h.metadataVersion(p.name)).toBe(version);
    // PEP 610: a folder, not editable; pip freeze names it by its URL.
    expect(JSON.parse(h.readText(`${h.sitePackages}/${p.module}-${version}.dist-info/direct_url.json`)!)).toEqual({ url: `file://${dir}`, dir_info: {} });
    expect((await h.pip('freeze')).stdout).toBe(`${p.name} @ file://${dir}\nsix==1.17.0\n`);
    // Nothing of the build is left in /tmp, and nothing of it in site-packages.
    expect(h.fs.readdir('/tmp/pipette-build').filter((d) => d.startsWith('run-'))).toEqual([]);
    expect(h.tree().filter((l) => /site-packages\/(setuptools|hatchling|flit_core|poetry|pyproject_hooks|packaging|pluggy)[-/]/.test(l))).toEqual([]);
  }, 240_000);

  test(`pip install -e ./${p.name} (PEP 660): edits take effect without reinstalling`, async () => {
    const dir = writeProject(p);
    const r = await h.pip('install', '-e', `./${p.name}`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // hatchling asks for `editables` for an editable build: pip's "Installing backend dependencies".
    expect(r.stdout).toMatch(
      new RegExp(
        `^Obtaining file://${dir}\n  Installing build dependencies \\.\\.\\. done\n  Checking if build backend supports build_editable \\.\\.\\. done\n  Getting requirements to build editable \\.\\.\\. done\n(  Installing backend dependencies \\.\\.\\. done\n)?  Preparing editable metadata \\(pyproject\\.toml\\) \\.\\.\\. done\n`,
      ),
    );
    expect(r.stdout).toContain(`  Building editable for ${p.name} (pyproject.toml) ... done\n`);
    // What pip compiles of an editable wheel: the modules it installs (a finder, if the backend
    // writes one), never the project's own folder, which Python compiles at import as it goes.
    const version = /version\s*=\s*"([^"]+)"/.exec(Object.values(p.files).join('\n'))![1]!;
    expectCompiledAsPip(`${p.module}-${version}.dist-info`);
    expect(h.tree([dir]).filter((l) => l.includes('__pycache__'))).toEqual([]);
    expect(h.importVersion(p.module)).toBe('one');
    h.writeFile(`${dir}/${p.source}`, '__version__ = "two"\n');
    expect(h.importVersion(p.module)).toBe('two');
    expect(h.python(`import ${p.module}; ${p.module}.__file__`)).toBe(`${dir}/${p.source}`);
    expect((await h.pip('freeze')).stdout).toBe(`# Editable install with no version control (${p.name}==${version})\n-e ${dir}\nsix==1.17.0\n`);
    expect((await h.pip('freeze', '--exclude-editable')).stdout).toBe('six==1.17.0\n');
    const width = Math.max(7, p.name.length);
    expect((await h.pip('list', '--editable')).stdout).toBe(
      `${'Package'.padEnd(width)} Version Editable project location\n${'-'.repeat(width)} ------- ${'-'.repeat(Math.max(25, dir.length))}\n${p.name.padEnd(width)} ${version.padEnd(7)} ${dir}\n`,
    );
    // Uninstalling takes the project off the path again.
    expect((await h.pip('uninstall', '-y', p.name)).code).toBe(0);
    expect(h.canImport(p.module)).toBe(false);
  }, 240_000);
});
