/**
 * Bytecode compiled at install (issue 15, item 4), in a real Pyodide (Node), through the runtime
 * session as the worker runs it, on the real sympy and mpmath wheels this machine carries
 * (served by the fixture index on 127.0.0.1):
 *
 *   npx tsx bench/bytecode.bench.ts [--runs N] [--page-runs N]
 *
 * Each run, on fresh stores (an empty cache, as a first visit):
 * - today: `pip install --no-compile sympy` (what Pipette did before: nothing compiled), a
 *   reload (a new Pyodide over the same stores, the workspace restored), then the first
 *   `import sympy`: Python compiles every module it imports;
 * - compiled: `pip install sympy` (pip's default); the command returns before compiling, and the
 *   modules are compiled when the worker is idle (src/runtime/idle-bytecode.ts: timed apart, as
 *   background work, until the queue is drained), kept in the cache; a reload (the .pyc files
 *   come back from the cache beside the wheels), the first `import sympy`, with the modules
 *   Python compiled from source counted (0 expected);
 * - another environment of that reloaded tab: `pip install sympy` into a new venv with the
 *   wheels and their bytecode in the cache, against the same with `--no-compile` (to the
 *   prompt; the cached .pyc files are then committed in idle time, timed apart).
 * Printed: medians (min-max) and the ratios the issue sets goals for: first import after a
 * reload, compiled over today (goal <= 0.4); install, compiled over today (goal <= 1.3), cold
 * (compiling every module of sympy once) and warm (from the cache).
 *
 * Then the same in the page (--page-runs, default 3, the medians a goal row needs; 0 skips it): the production build on
 * `vite preview` in headless Chromium (as bench/playground.bench.ts serves it), a fresh browser
 * context per variant: `pip install [--no-compile] sympy` typed in the terminal, (compiled: the
 * idle compile awaited: both wheels' bytecode in IndexedDB), a reload (the workspace restored
 * from IndexedDB), then `python -c 'import sympy'`, then `pip install [--no-compile] sympy` into a
 * second venv (wheels and bytecode from IndexedDB), each Enter to prompt.
 * The machine is shared with other work: times are noisy.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/browser';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { promptAt, runLine, stats, timeLine } from './app-driver';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startIndexServer, type IndexServer } from '../test/fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../test/fixtures/runtime-harness';
import { distFromFile } from '../test/fixtures/wheel-builder';
import { pypiFolders } from './pypi-wheelhouse';
import { arg, median } from './synthetic';
import { recordGoal } from './goals';

const RUNS = arg('--runs', 3);
const PAGE_RUNS = arg('--page-runs', 3);
const WHEELS = ['sympy-1.14.0-py3-none-any.whl', 'mpmath-1.3.0-py3-none-any.whl'];
const GOAL_IMPORT = 0.4;
const GOAL_INSTALL = 1.3;

/** The first `import sympy` in this interpreter: seconds, and the modules compiled from source meanwhile. */
async function firstImport(h: RuntimeHarness): Promise<{ ms: number; fromSource: number; modules: number }> {
  const out = await h.py(
    [
      'import importlib.machinery as m, json, sys, time',
      'count = [0]',
      'original = m.SourceFileLoader.source_to_code',
      'def counting(self, *args, **kwargs):',
      '    count[0] += 1',
      '    return original(self, *args, **kwargs)',
      'm.SourceFileLoader.source_to_code = counting',
      'before = len(sys.modules)',
      't = time.perf_counter()',
      'import sympy',
      'ms = (time.perf_counter() - t) * 1000',
      'm.SourceFileLoader.source_to_code = original',
      'json.dumps([ms, count[0], len(sys.modules) - before])',
    ].join('\n'),
  );
  const [ms, fromSource, modules] = JSON.parse(out) as [number, number, number];
  return { ms, fromSource, modules };
}

async function timed<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const value = await f();
  return [value, performance.now() - t];
}

async function pip(h: RuntimeHarness, argv: string[]): Promise<number> {
  // To the prompt: the idle compile it queues is timed apart.
  const [r, ms] = await timed(() => h.pipNow(argv));
  if (r.code !== 0) throw new Error(`pip ${argv.join(' ')} failed:\n${r.stderr}`);
  return ms;
}

async function reload(server: IndexServer, stores: SessionStores): Promise<{ h: RuntimeHarness; restoreMs: number }> {
  const h = await RuntimeHarness.start(server, stores);
  const [report, restoreMs] = await timed(() => h.session.restore());
  if (report.problems.length > 0) throw new Error(report.problems.join('\n'));
  return { h, restoreMs };
}

interface Run {
  installToday: number;
  installCompiled: number;
  restoreToday: number;
  restoreCompiled: number;
  importToday: number;
  importCompiled: number;
  fromSourceToday: number;
  fromSourceCompiled: number;
  importedModules: number;
  compiledAtInstall: number;
  compiledIdle: number;
  idleCompile: number;
  compiledAtReload: number;
  tooDeep: number;
  warmToday: number;
  warmCompiled: number;
  warmIdle: number;
}

async function oneRun(server: IndexServer, index: number): Promise<Run> {
  // Today: nothing compiled at install.
  const today = newStores();
  const t0 = await RuntimeHarness.start(server, today);
  await t0.session.restore();
  const installToday = await pip(t0, ['install', '--no-compile', 'sympy']);
  const t1 = await reload(server, today);
  const importToday = await firstImport(t1.h);

  // Compiled at install, and kept beside the wheels.
  const stores = newStores();
  const c0 = await RuntimeHarness.start(server, stores);
  await c0.session.restore();
  const installCompiled = await pip(c0, ['install', 'sympy']);
  const compiledAtInstall = c0.session.bytecode.counts.compiled;
  // Background work after the prompt came back: until every queued wheel is committed.
  const [, idleCompile] = await timed(() => c0.session.idleBytecode.drained());
  const compiledIdle = c0.session.bytecode.counts.compiled - compiledAtInstall;
  if (c0.session.idleBytecode.counts.committed !== 2) throw new Error(`idle compile committed ${c0.session.idleBytecode.counts.committed} wheels, not 2: ${String(c0.session.idleBytecode.lastProblem)}`);
  const tooDeep = c0.session.bytecode.counts.tooDeep;
  const c1 = await reload(server, stores);
  const compiledAtReload = c1.h.session.bytecode.counts.compiled;
  const importCompiled = await firstImport(c1.h);

  // Another environment of the reloaded tab: wheels (and bytecode) from the cache.
  for (const env of ['env-plain', 'env-compiled']) {
    const created = await c1.h.session.venv({ kind: 'create', argv: [env] });
    if (created.exitCode !== 0) throw new Error(created.stderr);
  }
  // Alternating which goes first from run to run: the second install of a tab pays for the first's garbage.
  const intoPlain = async (): Promise<number> => {
    await c1.h.session.venv({ kind: 'activate', path: 'env-plain' });
    return pip(c1.h, ['install', '--no-compile', 'sympy']);
  };
  const intoCompiled = async (): Promise<number> => {
    await c1.h.session.venv({ kind: 'activate', path: 'env-compiled' });
    return pip(c1.h, ['install', 'sympy']);
  };
  let warmToday = 0;
  let warmCompiled = 0;
  if (index % 2 === 0) {
    warmToday = await intoPlain();
    warmCompiled = await intoCompiled();
  } else {
    warmCompiled = await intoCompiled();
  }
  // The cached .pyc files follow in idle time: prompt -> both wheels committed.
  const committed = c1.h.session.idleBytecode.counts.committed;
  const [, warmIdle] = await timed(() => c1.h.session.idleBytecode.drained());
  if (c1.h.session.idleBytecode.counts.committed - committed !== 2) throw new Error(`the cached bytecode of ${2 - (c1.h.session.idleBytecode.counts.committed - committed)} wheels was not committed: ${String(c1.h.session.idleBytecode.lastProblem)}`);
  if (index % 2 === 1) warmToday = await intoPlain();

  return {
    installToday,
    installCompiled,
    restoreToday: t1.restoreMs,
    restoreCompiled: c1.restoreMs,
    importToday: importToday.ms,
    importCompiled: importCompiled.ms,
    fromSourceToday: importToday.fromSource,
    fromSourceCompiled: importCompiled.fromSource,
    importedModules: importCompiled.modules,
    compiledAtInstall,
    compiledIdle,
    idleCompile,
    compiledAtReload,
    tooDeep,
    warmToday,
    warmCompiled,
    warmIdle,
  };
}

interface PageRun {
  install: number;
  /** From the prompt after the install to both wheels' bytecode in IndexedDB (compiled variant). */
  idleCompile: number;
  reload: number;
  firstImport: number;
  /** pip install sympy into a second venv after the reload, wheels (and bytecode) cached. */
  warmInstall: number;
}

/** One variant in the page: install, reload, first import; each timed from Enter (or navigation) to the prompt. */
async function pageRun(browser: Browser, appUrl: string, index: IndexServer, compile: boolean): Promise<PageRun> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
    await promptAt(page);
    const install = await timeLine(page, `pip install ${compile ? '' : '--no-compile '}sympy`, /Successfully installed mpmath-1\.3\.0 sympy-1\.14\.0/);
    const idleStarted = performance.now();
    if (compile) await bytecodeCached(page, 2);
    const idleCompile = compile ? performance.now() - idleStarted : 0;
    if (compile) {
      // What the idle compile committed before the reload (sympy's .pyc files on disk).
      const { output } = await runLine(page, `python -c "import glob; print('pyc', len(glob.glob('/lib/python3.14/site-packages/sympy/**/__pycache__/*.pyc', recursive=True)))"`);
      console.log(`  (page, before the reload: sympy .pyc files on disk: ${/pyc (\d+)/.exec(output)?.[1] ?? '?'})`);
    }
    // The commit follows the cache write at once; a reload before it would write the same from the cache.
    await page.reload();
    const reload = await promptAt(page);
    const firstImport = await timeLine(page, `python -c 'import sympy; print(sympy.__version__)'`, /1\.14\.0/);
    // Another environment of the reloaded tab: the wheels (and, compiled, their bytecode) in IndexedDB.
    await runLine(page, 'python -m venv second');
    await runLine(page, 'source second/bin/activate');
    const warmInstall = await timeLine(page, `pip install ${compile ? '' : '--no-compile '}sympy`, /Successfully installed mpmath-1\.3\.0 sympy-1\.14\.0/);
    return { install, idleCompile, reload, firstImport, warmInstall };
  } finally {
    await context.close();
  }
}

/** Waits until the tab's cache (IndexedDB `pipette-cache-v1`) holds the bytecode of `n` wheels. */
async function bytecodeCached(page: Page, n: number): Promise<void> {
  const count = (): Promise<number> =>
    page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open('pipette-cache-v1');
          open.onerror = () => resolve(0);
          open.onsuccess = () => {
            const db = open.result;
            const request = db.transaction('entries', 'readonly').objectStore('entries').getAllKeys();
            request.onsuccess = () => {
              db.close();
              resolve(request.result.filter((k) => String(k).startsWith('bytecode-v1/')).length);
            };
            request.onerror = () => resolve(0);
          };
        }),
    );
  const deadline = performance.now() + 600_000;
  while ((await count()) < n) {
    if (performance.now() > deadline) throw new Error(`the idle compile did not store ${n} wheels' bytecode in 10 minutes`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function inThePage(server: IndexServer): Promise<void> {
  const [app, browser] = await Promise.all([buildAndPreview(), launchChromium()]);
  try {
    const today: PageRun[] = [];
    const compiled: PageRun[] = [];
    for (let i = 0; i < PAGE_RUNS; i++) {
      today.push(await pageRun(browser, app.url, server, false));
      compiled.push(await pageRun(browser, app.url, server, true));
    }
    const med = (runs: PageRun[], k: keyof PageRun): number => stats(runs.map((r) => r[k])).median;
    const row = (k: keyof PageRun): string => `today ${med(today, k).toFixed(0)} ms; compiled ${med(compiled, k).toFixed(0)} ms`;
    const verdict = (k: keyof PageRun, goal: number): string => {
      const r = med(compiled, k) / med(today, k);
      return `${r.toFixed(2)}x (goal <= ${goal}x: ${r <= goal ? 'met' : 'NOT met'})`;
    };
    console.log(`\nIn the page: headless Chromium ${browser.version()}, production build, ${PAGE_RUNS} run${PAGE_RUNS === 1 ? '' : 's'} per variant (medians), fresh contexts (empty IndexedDB)`);
    console.log(`  pip install sympy, Enter -> prompt: ${row('install')}`);
    console.log(`  then compiled when idle (prompt -> both wheels' bytecode in IndexedDB): ${med(compiled, 'idleCompile').toFixed(0)} ms`);
    console.log(`  reload -> prompt (workspace restored from IndexedDB): ${row('reload')}`);
    console.log(`  first python -c 'import sympy' after the reload, Enter -> prompt: ${row('firstImport')}`);
    console.log(`  ratio first import after a reload, compiled / today: ${verdict('firstImport', GOAL_IMPORT)}`);
    console.log(`  ratio install, compiled / today, empty cache: ${verdict('install', GOAL_INSTALL)}`);
    console.log(`  pip install sympy into a second venv after the reload, wheels and bytecode cached, Enter -> prompt: ${row('warmInstall')}`);
    console.log(`  ratio install, compiled / today, bytecode cached: ${verdict('warmInstall', GOAL_INSTALL)}`);
    console.log(`  ratio reload -> prompt, compiled / today: ${(med(compiled, 'reload') / med(today, 'reload')).toFixed(2)}x (the .pyc files follow from IndexedDB in idle time)`);
    recordGoal({ issue: '15.4', figure: 'Chromium: first import sympy after a reload, compiled / today', measured: med(compiled, 'firstImport') / med(today, 'firstImport'), goal: GOAL_IMPORT, unit: 'x' });
    recordGoal({ issue: '15.4', figure: 'Chromium: pip install sympy, compiled / --no-compile, empty cache', measured: med(compiled, 'install') / med(today, 'install'), goal: GOAL_INSTALL, unit: 'x' });
    recordGoal({ issue: '15.4', figure: 'Chromium: pip install sympy, compiled / --no-compile, bytecode cached', measured: med(compiled, 'warmInstall') / med(today, 'warmInstall'), goal: GOAL_INSTALL, unit: 'x' });
  } finally {
    await browser.close();
    await app.close();
  }
}

async function main(): Promise<void> {
  const paths = WHEELS.map((w) => pypiFolders().map((f) => join(f, w)).find((p) => { try { readFileSync(p, { flag: 'r' }); return true; } catch { return false; } }));
  if (paths.some((p) => p === undefined)) {
    console.log(`bytecode NOT MEASURED: ${WHEELS.filter((_, i) => !paths[i]).join(', ')} not found in ${pypiFolders().join(', ')} (PIPETTE_PYPI_FILES names other folders)`);
    return;
  }
  const dists = paths.map((p, i) => distFromFile(WHEELS[i]!, new Uint8Array(readFileSync(p!))));
  const server = await startIndexServer({ projects: [], dists });
  try {
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(server, i));
    if (RUNS === 0) {
      if (PAGE_RUNS > 0) await inThePage(server);
      return;
    }
    const col = (k: keyof Run): number[] => runs.map((r) => r[k]);
    const ms = (k: keyof Run): string => {
      const xs = col(k);
      return `${median(xs).toFixed(0)} ms (${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)})`;
    };
    const ratio = (a: keyof Run, b: keyof Run): number => median(runs.map((r) => r[a] / r[b]));
    const verdict = (value: number, goal: number): string => `${value.toFixed(2)}x (goal <= ${goal}x: ${value <= goal ? 'met' : 'NOT met'})`;
    const last = runs[runs.length - 1]!;
    console.log(`sympy 1.14.0 + mpmath 1.3.0 from the fixture index, Pyodide in Node, ${RUNS} runs (medians, min-max); the machine is shared with other work`);
    console.log(`  pip install sympy, empty cache, Enter -> prompt: today (--no-compile) ${ms('installToday')}; compiled ${ms('installCompiled')} (${last.compiledAtInstall} modules compiled before the prompt)`);
    console.log(`  then compiled when idle, prompt -> committed: ${ms('idleCompile')} (${last.compiledIdle} modules, ${last.tooDeep} left to their first import as too deep)`);
    console.log(`  reload (workspace restored): today ${ms('restoreToday')}; compiled ${ms('restoreCompiled')} (.pyc from the cache: ${last.compiledAtReload} modules compiled)`);
    console.log(`  first import sympy after the reload: today ${ms('importToday')} (${last.fromSourceToday} modules compiled from source); compiled ${ms('importCompiled')} (${last.fromSourceCompiled} compiled from source; ${last.importedModules} modules imported)`);
    console.log(`  pip install sympy into a second venv, wheels and bytecode cached, Enter -> prompt: today ${ms('warmToday')}; compiled ${ms('warmCompiled')}`);
    console.log(`  then the cached .pyc files committed when idle, prompt -> committed: ${ms('warmIdle')} (a python command typed sooner commits them first)`);
    console.log(`  ratio reload (restore) with bytecode / without: ${ratio('restoreCompiled', 'restoreToday').toFixed(2)}x (the first import after it commits what idle time had not)`);
    console.log(`  ratio first import after a reload, compiled / today: ${verdict(ratio('importCompiled', 'importToday'), GOAL_IMPORT)}`);
    console.log(`  ratio install, compiled / today, empty cache (every module compiled once): ${verdict(ratio('installCompiled', 'installToday'), GOAL_INSTALL)}`);
    console.log(`  ratio install, compiled / today, bytecode cached (a reload, another environment): ${verdict(ratio('warmCompiled', 'warmToday'), GOAL_INSTALL)}`);
    recordGoal({ issue: '15.4', figure: 'Node: first import sympy after a reload, compiled / today', measured: ratio('importCompiled', 'importToday'), goal: GOAL_IMPORT, unit: 'x' });
    recordGoal({ issue: '15.4', figure: 'Node: pip install sympy, compiled / --no-compile, empty cache', measured: ratio('installCompiled', 'installToday'), goal: GOAL_INSTALL, unit: 'x' });
    recordGoal({ issue: '15.4', figure: 'Node: pip install sympy, compiled / --no-compile, bytecode cached', measured: ratio('warmCompiled', 'warmToday'), goal: GOAL_INSTALL, unit: 'x' });
    if (PAGE_RUNS > 0) await inThePage(server);
  } finally {
    await server.close();
  }
}

await main();
