/**
 * The playground in Chromium, end to end, against the fixture index on 127.0.0.1:
 *
 *   npx tsx bench/playground.bench.ts [--runs N] [--latency MS] [--many-runs N] [--boot-only] [--boot-runs N]
 *
 * Served as a deployment serves it: a production build (`vite build`, with bench/pages/ as an
 * extra entry) behind `vite preview` with the project's vite.config.ts (COOP/COEP headers, the
 * service worker), not the dev server: its on-demand transforms would dominate the load times,
 * and other people's edits would hot-reload the page mid-run. Headless Chromium
 * (/usr/bin/chromium, the flags of test/e2e/browser.ts) through playwright-core; every run in
 * fresh browser contexts (empty HTTP cache, IndexedDB and service worker).
 *
 * Measured, per run:
 * - bare loadPyodide: bench/pages/bare-pyodide.html, nothing but `loadPyodide()` on the main
 *   thread, from navigation start to Pyodide ready; then the same after a reload;
 * - the app: navigation start to the terminal's prompt (Pyodide booted in the runtime worker,
 *   workspace restored, editor and panels up); then after a reload, with the service worker
 *   answering from its precache and the interpreter restored from the memory snapshot the first
 *   load kept (src/runtime/interpreter-snapshot.ts; the bench waits until it is kept, a moment
 *   after the first prompt); then once more after WARM_MS (--warm-ms, 3 s) idle: the first
 *   reload compiled pyodide.asm.wasm from the service worker's new copy, and Chromium keeps the
 *   compiled code beside that copy only once it has tiered up, a moment later (what every later
 *   visit gets; the bare page gets it from the HTTP cache on its first reload);
 * - `pip install p00`: a cold install of a 20-package tree (the tree of bench/install.bench.ts and
 *   bench/runtime.bench.ts) typed in the terminal, Enter to the prompt back;
 * - a reload with those 20 installed: navigation start to the prompt, the workspace rebuilt from
 *   its lock with the wheels from IndexedDB, and the requests the index saw (0 expected); then
 *   navigation start to the end of the first command typed at that prompt (`python -c 'import
 *   p00'`), so a prompt drawn before the packages are back could not pass for a restored one;
 * - a share link (the Share button) opened in a fresh browser: navigation start to the restore
 *   dialog, and Restore clicked to the 20 installed (the wheels come from the index: that
 *   browser's cache is empty);
 * - a trivial command (`echo hi`, `ls`, `pip --version`, three times each) in an environment of
 *   3,500 installed files (10 projects of 350 modules): Enter to the prompt back, the median;
 * - the Python REPL: Enter on `python` to its `>>> ` prompt, the first time in the tab;
 * - in the last --many-runs runs (default 1): a 200-package tree installed, then a reload that
 *   restores all 200.
 * With --boot-only, a run stops after the boot and reload rows (bare, app with and without the
 * service worker), for quick loops on the boot; the goals of the rows left out are not printed.
 * --boot-runs N (default 6): after the full runs, boot-only runs until the boot rows have N.
 * Printed: median, min and max over the runs, and the index requests of the last run (the
 * Packages panel's PyPI JSON API lookups counted apart from what installing needs); the ratios
 * the issue sets goals for (app over bare loadPyodide, cold and reloaded, and with 20 and 200
 * packages restored); and a trace of the boot (bench/boot-trace.ts: the `pipette:*`
 * performance marks of the page and the runtime worker and the worker's fetches of Pyodide's
 * files), so the time can be placed before anything moves off the critical path. Rows run in
 * the order listed within a run, so later loads may profit from Chromium's code caches.
 */
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/browser';
import { snapshotKept } from '../test/e2e/snapshot';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { startIndexServer, type IndexServer } from '../test/fixtures/index-server';
import { classify, commands, commandsReach, promptAt, stats, timeLine, transcript, TIMEOUT_MS, type AppProbe, type Requests } from './app-driver';
import { collectTrace, printTrace, type BootTrace } from './boot-trace';
import { arg, median, syntheticTree } from './synthetic';
import type { WheelSpec } from '../test/fixtures/wheel-builder';
import { recordGoal } from './goals';

const PROJECTS = 20;
const MANY = 200;

/** `bulk` requires bulk0..bulk9, each a package of BULK_FILES small modules. */
function bulkProjects(): WheelSpec[] {
  const projects: WheelSpec[] = [];
  for (let p = 0; p < BULK_PROJECTS; p++) {
    const files: Record<string, string> = {};
    for (let i = 0; i < BULK_FILES; i++) files[`bulk${p}/m${String(i).padStart(3, '0')}.py`] = `VALUE = ${i}\n`;
    projects.push({ name: `bulk${p}`, version: '1.0', files });
  }
  projects.push({ name: 'bulk', version: '1.0', requires: Array.from({ length: BULK_PROJECTS }, (_, p) => `bulk${p}`) });
  return projects;
}

/** The big environment: BULK_PROJECTS projects of BULK_FILES modules each (3,500 files). */
const BULK_PROJECTS = 10;
const BULK_FILES = 350;
const RUNS = arg('--runs', 3);
const LATENCY_MS = arg('--latency', 5);
/** Runs (from the last) that also install MANY packages and time the reload that restores them. */
const MANY_RUNS = arg('--many-runs', 1);
/** How long the page stays idle before the second reload (Chromium then keeps the compiled WebAssembly). */
const WARM_MS = arg('--warm-ms', 3000);
/** Only the boot rows: bare, app cold / reloaded (with and without the service worker). */
const BOOT_ONLY = process.argv.includes('--boot-only');
/**
 * Runs of the boot rows in all (the full runs included): a cold start varies by some 10 % from
 * run to run on this shared machine, more than the goal leaves, so its median takes more runs
 * than the install rows need.
 */
const BOOT_RUNS = Math.max(RUNS, arg('--boot-runs', 6));

async function serviceWorkerActive(page: Page): Promise<void> {
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, { polling: 50, timeout: TIMEOUT_MS });
}

// --- one run --------------------------------------------------------------------------------------

interface Sample {
  ms: number;
  requests?: Requests;
  trace?: BootTrace;
}
type Run = Record<string, Sample>;

async function oneRun(browser: Browser, appUrl: string, index: IndexServer, many: IndexServer | null, bootOnly = BOOT_ONLY): Promise<Run> {
  const run: Run = {};

  // Bare loadPyodide, cold then reloaded.
  const bareContext = await browser.newContext();
  const bare = await bareContext.newPage();
  const bareReady = async (): Promise<number> => {
    const handle = await bare.waitForFunction(() => (window as unknown as { pipetteBench?: { ready: number } }).pipetteBench?.ready ?? false, null, { polling: 5, timeout: TIMEOUT_MS });
    return (await handle.jsonValue()) as number;
  };
  await bare.goto(`${appUrl}bench/pages/bare-pyodide.html`);
  run['bare-cold'] = { ms: await bareReady(), trace: await collectTrace(bare) };
  await bare.reload();
  run['bare-reload'] = { ms: await bareReady(), trace: await collectTrace(bare) };
  await bareContext.close();

  // The app without its service worker (blocked): cold, then reloaded from the HTTP cache.
  const plainContext = await browser.newContext({ serviceWorkers: 'block' });
  const plain = await plainContext.newPage();
  await plain.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  run['app-cold-nosw'] = { ms: await promptAt(plain) };
  await snapshotKept(plain);
  await plain.reload();
  run['app-reload-nosw'] = { ms: await promptAt(plain) };
  await plainContext.close();

  // The app, cold; then reloaded once the service worker has precached the build.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  run['app-cold'] = { ms: await promptAt(page), trace: await collectTrace(page) };
  await serviceWorkerActive(page);
  // A moment after the first prompt the worker keeps its interpreter snapshot, which later loads
  // start from (src/runtime/interpreter-snapshot.ts); a person reloads later than a bench does.
  await snapshotKept(page);
  await page.reload();
  run['app-reload'] = { ms: await promptAt(page), trace: await collectTrace(page) };
  // Chromium keeps the worker's compiled WebAssembly beside the service worker's copy of
  // pyodide.asm.wasm only once the code has tiered up and the worker was idle a moment (the
  // reload above compiled it from scratch: that copy was new). What every later visit sees:
  await page.waitForTimeout(WARM_MS);
  await page.reload();
  run['app-reload-warm'] = { ms: await promptAt(page), trace: await collectTrace(page) };
  if (bootOnly) {
    await context.close();
    return run;
  }

  // Cold install of the tree.
  index.resetRequests();
  run['install'] = { ms: await timeLine(page, 'pip install p00', /Successfully installed p00-1\.0 /), requests: classify(index.requests) };

  // Reload: the workspace rebuilds the 20 from the wheel cache.
  index.resetRequests();
  await page.reload();
  const restoredAt = await promptAt(page);
  await expectRestored(page, PROJECTS);
  run['reload-20'] = { ms: restoredAt, requests: classify(index.requests), trace: await collectTrace(page) };
  run['reload-20-command'] = { ms: await firstCommandDone(page, 'p00') };

  // Share, then open the link in a fresh browser and restore.
  await page.locator('pipette-app button[part="share"]').click();
  const link = await page.locator('pipette-app [part="shared"] input').inputValue();
  if (!/#env=v2\./.test(link)) throw new Error(`the Share button gave no #env= link: ${link}`);
  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  index.resetRequests();
  await other.goto(link);
  const dialogAt = await other.waitForFunction(
    () => {
      const dialog = document.querySelector('pipette-app')?.shadowRoot?.querySelector('pipette-restore-dialog');
      return dialog?.shadowRoot?.querySelector('[part="restore"]') ? performance.now() : false;
    },
    null,
    { polling: 5, timeout: TIMEOUT_MS },
  );
  run['share-dialog'] = { ms: (await dialogAt.jsonValue()) as number };
  const before = await commands(other);
  const t0 = performance.now();
  await other.locator('pipette-restore-dialog [part="restore"]').click();
  await commandsReach(other, before + 1);
  run['share-restore'] = { ms: performance.now() - t0, requests: classify(index.requests) };
  const shown = await transcript(other);
  if (!/Successfully installed p00-1\.0 /.test(shown)) throw new Error(`the share link did not restore the environment:\n${shown.slice(-2000)}`);
  await elsewhere.close();
  await context.close();

  // MANY packages installed, then a reload restores them all.
  if (many) {
    const manyContext = await browser.newContext();
    const manyPage = await manyContext.newPage();
    await manyPage.goto(`${appUrl}?index-url=${encodeURIComponent(many.simpleUrl)}`);
    await promptAt(manyPage);
    run['install-many'] = { ms: await timeLine(manyPage, 'pip install p00', /Successfully installed /) };
    many.resetRequests();
    await manyPage.reload();
    const at = await promptAt(manyPage);
    await expectRestored(manyPage, MANY);
    run['reload-many'] = { ms: at, requests: classify(many.requests), trace: await collectTrace(manyPage) };
    run['reload-many-command'] = { ms: await firstCommandDone(manyPage, 'p00') };
    await manyContext.close();
  }
  // A trivial command and the REPL in an environment of 3,500 installed files.
  const bulkContext = await browser.newContext();
  const bulk = await bulkContext.newPage();
  await bulk.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  await promptAt(bulk);
  await timeLine(bulk, 'pip install bulk', /Successfully installed bulk-1\.0 /);
  const installed = await bulk.evaluate(async () => (await (document.querySelector('pipette-app') as unknown as { runtime: { diskEntries(): Promise<{ entries: { kind: string }[] } | null> } }).runtime.diskEntries())?.entries.filter((e) => e.kind === 'file').length ?? 0);
  if (installed < BULK_PROJECTS * BULK_FILES) throw new Error(`the big environment has ${installed} files, not ${BULK_PROJECTS * BULK_FILES}`);
  const trivial: number[] = [];
  for (let i = 0; i < 3; i++) {
    trivial.push(await timeLine(bulk, 'echo hi', /hi/));
    trivial.push(await timeLine(bulk, 'ls', /main\.py/));
    trivial.push(await timeLine(bulk, 'pip --version', /pip \d/));
  }
  run['trivial-3500'] = { ms: median(trivial) };
  await bulk.locator('pipette-app').locator('pipette-terminal').click();
  await bulk.keyboard.type('python');
  const replStart = performance.now();
  await bulk.keyboard.press('Enter');
  await bulk.waitForFunction(() => /^>>>\s*$/.test((document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal') as unknown as { text(): string }).text().split('\n').pop() ?? ''), null, { polling: 5, timeout: TIMEOUT_MS });
  run['repl-prompt'] = { ms: performance.now() - replStart };
  await bulkContext.close();
  return run;
}

/**
 * The first command after a reload, typed at once: `python -c 'import NAME'` of a restored
 * package, Enter to its end. Resolves to the page's clock then (ms since navigation), so the
 * figure is never only the prompt: a prompt drawn before the packages were back would show here.
 */
async function firstCommandDone(page: Page, name: string): Promise<number> {
  await timeLine(page, `python -c 'import ${name}; print(${name}.__name__)'`, new RegExp(`^${name}$`, 'm'));
  return page.evaluate(() => performance.now());
}

async function expectRestored(page: Page, count: number): Promise<void> {
  const progress = await page.evaluate(() => (document.querySelector('pipette-app') as unknown as AppProbe).progress);
  if (progress?.restore?.distributions !== count || progress.restore.problems.length > 0) {
    throw new Error(`the reload restored ${JSON.stringify(progress?.restore)}, not the ${count} packages`);
  }
}

// --- report -----------------------------------------------------------------------------------------

const ROWS: [key: string, label: string][] = [
  ['bare-cold', 'bare loadPyodide: navigation -> ready, cold'],
  ['app-cold', 'app: navigation -> prompt, cold'],
  ['bare-reload', 'bare loadPyodide: reload -> ready'],
  ['app-reload', 'app: reload -> prompt (service worker, empty env)'],
  ['app-reload-warm', `app: reload -> prompt, again ${WARM_MS / 1000} s later (compiled code kept)`],
  ['app-cold-nosw', 'app, service worker blocked: navigation -> prompt, cold'],
  ['app-reload-nosw', 'app, service worker blocked: reload -> prompt (HTTP cache)'],
  ['install', `pip install p00 (${PROJECTS} packages, cold): Enter -> prompt`],
  ['reload-20', `reload -> prompt, ${PROJECTS} packages restored`],
  ['reload-20-command', `reload -> first command done (import p00), ${PROJECTS} restored`],
  ['share-dialog', 'share link, fresh browser: navigation -> dialog'],
  ['share-restore', `share link: Restore -> ${PROJECTS} installed`],
  ['install-many', `pip install p00 (${MANY} packages, cold): Enter -> prompt`],
  ['reload-many', `reload -> prompt, ${MANY} packages restored`],
  ['reload-many-command', `reload -> first command done (import p00), ${MANY} restored`],
  ['trivial-3500', `echo hi / ls / pip --version, ${BULK_PROJECTS * BULK_FILES} files installed: Enter -> prompt (median of 9)`],
  ['repl-prompt', 'python (the REPL), first in the tab: Enter -> >>>'],
];

/** The issue's goals for boot and reload (item 7): measure over base, at most `max`. */
const GOALS: [measure: string, base: string, max: number, label: string][] = [
  ['app-cold', 'bare-cold', 1.15, 'app cold start / bare loadPyodide cold'],
  ['app-reload', 'bare-reload', 1.2, 'app reload / bare loadPyodide reload'],
  ['app-reload-warm', 'bare-reload', 1.2, 'app reload, compiled code kept / bare reload'],
  ['reload-20', 'bare-reload', 1.3, `reload with ${PROJECTS} packages restored / bare reload`],
  ['reload-many', 'bare-reload', 2, `reload with ${MANY} packages restored / bare reload`],
];

function requestsText(r: Requests | undefined): string {
  if (!r) return '';
  const install = r.pages + r.metadata + r.wheels;
  const parts = [install === 0 ? '0 for installing' : `${r.pages} pages + ${r.metadata} metadata + ${r.wheels} wheels`];
  if (r.jsonApi) parts.push(`${r.jsonApi} JSON API (panels)`);
  if (r.preconnects) parts.push(`${r.preconnects} HEAD (connection opened while typing)`);
  if (r.other) parts.push(`${r.other} other`);
  return parts.join('; ');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const [app, index, many, browser] = await Promise.all([
    buildAndPreview({ pages: ['bench/pages/bare-pyodide.html'] }),
    startIndexServer({ projects: [...syntheticTree({ projects: PROJECTS, extraEdge: 5, payload: [5_000, 35_000] }), ...bulkProjects()], faults: { latencyMs: LATENCY_MS } }),
    MANY_RUNS > 0 && !BOOT_ONLY ? startIndexServer({ projects: syntheticTree({ projects: MANY, extraEdge: 5, payload: [2_000, 8_000] }), faults: { latencyMs: LATENCY_MS } }) : Promise.resolve(null),
    launchChromium(),
  ]);
  const runs: Run[] = [];
  try {
    console.log(`build + preview ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${app.url}`);
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(browser, app.url, index, i >= RUNS - MANY_RUNS ? many : null));
    for (let i = RUNS; i < BOOT_RUNS; i++) runs.push(await oneRun(browser, app.url, index, null, true));
  } finally {
    await browser.close();
    await index.close();
    await many?.close();
    await app.close();
  }

  console.log(`\nPlayground in headless Chromium (${browser.version()}), production build on vite preview, fixture index with ${LATENCY_MS} ms latency per response; ${RUNS} runs (the boot rows: ${BOOT_RUNS}), fresh browser contexts (${MANY} packages: ${MANY_RUNS} run${MANY_RUNS === 1 ? '' : 's'}). The machine is shared with other work: times are noisy.`);
  const width = Math.max(...ROWS.map(([, l]) => l.length));
  console.log(`${'measure'.padEnd(width)}   median      min      max   index requests (last run)`);
  const median = (key: string): number | null => {
    const xs = runs.flatMap((r) => (r[key] ? [r[key].ms] : []));
    return xs.length ? stats(xs).median : null;
  };
  for (const [key, label] of ROWS) {
    const samples = runs.flatMap((r) => (r[key] ? [r[key]] : []));
    if (samples.length === 0) continue;
    const s = stats(samples.map((x) => x.ms));
    const cell = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;
    console.log(`${label.padEnd(width)} ${cell(s.median)} ${cell(s.min)} ${cell(s.max)}   ${requestsText(samples[samples.length - 1]!.requests)}`);
  }

  console.log('\nGoals (issue 15, item 7), medians:');
  for (const [measure, base, max, label] of GOALS) {
    const m = median(measure);
    const b = median(base);
    if (m === null || b === null) continue;
    const ratio = m / b;
    console.log(`  ${label.padEnd(56)} ${m.toFixed(0).padStart(6)} / ${b.toFixed(0).padStart(5)} ms = x${ratio.toFixed(2)}   goal <= x${max.toFixed(2)}: ${ratio <= max ? 'met' : 'NOT met'}`);
    recordGoal({ issue: '15.7', figure: `${label} (${m.toFixed(0)} / ${b.toFixed(0)} ms)`, measured: ratio, goal: max, unit: 'x' });
  }

  const traces = (key: string): BootTrace[] => runs.flatMap((r) => (r[key]?.trace ? [r[key].trace] : []));
  printTrace([
    { label: 'bare cold', traces: traces('bare-cold') },
    { label: 'app cold', traces: traces('app-cold') },
    { label: 'bare reload', traces: traces('bare-reload') },
    { label: 'app reload', traces: traces('app-reload') },
    { label: 'reload kept', traces: traces('app-reload-warm') },
    { label: `reload+${PROJECTS}`, traces: traces('reload-20') },
    { label: `reload+${MANY}`, traces: traces('reload-many') },
  ]);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
