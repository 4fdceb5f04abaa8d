/**
 * How long building from source takes in a real Pyodide, with the real backends and tools from
 * the PyPI wheels this machine carries (served by the fixture index on 127.0.0.1):
 *
 *   npx tsx bench/build.bench.ts [--runs N]
 *
 * `pip install -e .` of a small setuptools project and of a hatchling one (a package and a
 * dependency), each (median of N runs, 3 by default):
 * - cold: empty cache and no frontend yet: pyproject_hooks and the build requirements are
 *   downloaded and installed into a fresh build environment, the backend runs;
 * - rebuilt: the project changed since (another digest): the wheels of the build requirements
 *   come from the cache, the backend runs again;
 * - cached: the same project again: the editable wheel comes from the built-wheel cache, no
 *   build environment is made.
 * And `python -m build` (sdist, then the wheel from the sdist, by the real `build` package) of
 * the setuptools project: cold (empty cache) and warm.
 */
import { RuntimeShellHost } from '../src/runtime/shell-host';
import { Shell } from '../src/shell';
import { startIndexServer } from '../test/fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../test/fixtures/machine-wheels';
import { PipHarness } from '../test/fixtures/pip-harness';
import { newStores, RuntimeHarness } from '../test/fixtures/runtime-harness';
import { arg, median } from './synthetic';

const RUNS = arg('--runs', 3);

const PROJECTS = {
  setuptools: {
    'pyproject.toml': '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "bench-setuptools"\nversion = "1.0"\ndependencies = ["greetlib"]\n',
    'src/bench_setuptools/__init__.py': 'VALUE = 1\n',
  },
  hatchling: {
    'pyproject.toml': '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n\n[project]\nname = "bench-hatchling"\nversion = "1.0"\ndependencies = ["greetlib"]\n',
    'src/bench_hatchling/__init__.py': 'VALUE = 1\n',
  },
} as const;

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const value = await f();
  return [performance.now() - t, value];
}

function line(label: string, runs: readonly number[]): string {
  return `  ${label.padEnd(8)} ${median(runs).toFixed(0).padStart(6)} ms   (runs: ${runs.map((r) => r.toFixed(0)).join(', ')} ms)`;
}

async function editables(server: Awaited<ReturnType<typeof startIndexServer>>): Promise<void> {
  const h = await PipHarness.create(server, { python: true });
  for (const [backend, files] of Object.entries(PROJECTS)) {
    const dir = `/home/pyodide/${backend}`;
    const name = `bench-${backend}`;
    const times: Record<'cold' | 'rebuilt' | 'cached', number[]> = { cold: [], rebuilt: [], cached: [] };
    for (let run = 0; run < RUNS; run++) {
      for (const [path, content] of Object.entries(files)) h.writeFile(`${dir}/${path}`, content);
      const install = async (): Promise<void> => {
        const r = await h.pip('install', '-q', '-e', dir);
        if (r.code !== 0) throw new Error(`pip install -e failed:\n${r.stdout}${r.stderr}`);
        await h.pip('uninstall', '-y', '-q', name, 'greetlib');
      };
      // Cold: nothing cached, and the frontend (pyproject_hooks) not installed yet.
      await h.pip('cache', 'purge');
      h.python('import shutil; shutil.rmtree("/tmp/pipette-build", ignore_errors=True)');
      times.cold.push((await timed(install))[0]);
      // Rebuilt: a changed project (new digest), build requirements' wheels cached.
      h.writeFile(`${dir}/src/${name.replace('-', '_')}/__init__.py`, `VALUE = ${run + 2}\n`);
      times.rebuilt.push((await timed(install))[0]);
      // Cached: the same project: its editable wheel is reused.
      times.cached.push((await timed(install))[0]);
    }
    console.log(`pip install -e . (${backend}), median of ${RUNS} runs`);
    for (const label of ['cold', 'rebuilt', 'cached'] as const) console.log(line(label, times[label]));
  }
}

async function pythonMBuild(server: Awaited<ReturnType<typeof startIndexServer>>): Promise<void> {
  const stores = newStores();
  const h = await RuntimeHarness.start(server, stores);
  await h.session.restore();
  const shell = new Shell(new RuntimeShellHost(h.session, { clear: () => {} }), { cwd: h.session.home });
  const sh = async (command: string): Promise<void> => {
    let out = '';
    const result = await shell.run(command, { stdout: (t) => void (out += t), stderr: (t) => void (out += t) });
    if (result.status !== 0) throw new Error(`${command} failed:\n${out}`);
  };
  for (const [path, content] of Object.entries(PROJECTS.setuptools)) await h.session.writeFile(`proj/${path}`, content);
  await sh('pip install -q build');
  const times: Record<'cold' | 'warm', number[]> = { cold: [], warm: [] };
  for (let run = 0; run < RUNS; run++) {
    await sh('pip cache purge && rm -rf /home/pyodide/proj/dist');
    times.cold.push((await timed(() => sh('cd /home/pyodide/proj && python -m build')))[0]);
    await sh('rm -rf /home/pyodide/proj/dist');
    times.warm.push((await timed(() => sh('cd /home/pyodide/proj && python -m build')))[0]);
  }
  console.log(`python -m build (setuptools: sdist, then the wheel from it), median of ${RUNS} runs`);
  for (const label of ['cold', 'warm'] as const) console.log(line(label, times[label]));
}

async function main(): Promise<void> {
  // (greetlib: a dependency Pyodide's own package list does not have.)
  const server = await startIndexServer({ projects: [{ name: 'greetlib', version: '1.0' }], dists: machineDists(BUILD_TOOLS) });
  try {
    await editables(server);
    await pythonMBuild(server);
  } finally {
    await server.close();
  }
}

await main();
