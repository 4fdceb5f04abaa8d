/**
 * The playground in Chromium, end to end, against the fixture index on 127.0.0.1:
 *
 *   npx tsx bench/playground.bench.ts [--runs N] [--latency MS]
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
 *   answering from its precache;
 * - `pip install p00`: a cold install of a 20-package tree (the tree of bench/install.bench.ts and
 *   bench/runtime.bench.ts) typed in the terminal, Enter to the prompt back;
 * - a reload with those 20 installed: navigation start to the prompt, the workspace rebuilt from
 *   its lock with the wheels from IndexedDB, and the requests the index saw (0 expected);
 * - a share link (the Share button) opened in a fresh browser: navigation start to the restore
 *   dialog, and Restore clicked to the 20 installed (the wheels come from the index: that
 *   browser's cache is empty);
 * - a trivial command (`echo hi`, `ls`, `pip --version`, three times each) in an environment of
 *   3,500 installed files (10 projects of 350 modules): Enter to the prompt back, the median;
 * - the Python REPL: Enter on `python` to its `>>> ` prompt, the first time in the tab.
 * Printed: median, min and max over the runs, and the index requests of the last run (the
 * Packages panel's PyPI JSON API lookups counted apart from what installing needs). Rows run in
 * the order listed within a run, so later loads may profit from Chromium's code caches.
 */
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../test/e2e/browser';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { startIndexServer, type RequestLogEntry } from '../test/fixtures/index-server';
import { arg, median, syntheticTree } from './synthetic';
import type { WheelSpec } from '../test/fixtures/wheel-builder';

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

const PROJECTS = 20;
/** The big environment: BULK_PROJECTS projects of BULK_FILES modules each (3,500 files). */
const BULK_PROJECTS = 10;
const BULK_FILES = 350;
const RUNS = arg('--runs', 3);
const LATENCY_MS = arg('--latency', 5);
const TIMEOUT_MS = 180_000;

// --- driving the page (the same probes as test/e2e/playground.ts, without Vitest) ---------------

interface AppProbe {
  info: unknown;
  busy: boolean;
  progress: { phase: string; restore?: { distributions: number; problems: string[] } } | null;
  shadowRoot: ShadowRoot;
}

/** Waits for the prompt; resolves to the page's performance.now() then (ms since navigation). */
async function promptAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const app = document.querySelector('pipette-app') as unknown as AppProbe | null;
      if (!app || app.info === null || app.busy) return false;
      const terminal = app.shadowRoot.querySelector('pipette-terminal') as unknown as { text(): string } | null;
      return terminal && /\$\s*$/.test(terminal.text()) ? performance.now() : false;
    },
    null,
    { polling: 5, timeout: TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

const commands = async (page: Page): Promise<number> => Number((await page.locator('pipette-app').getAttribute('data-commands')) ?? '0');
const transcript = (page: Page): Promise<string> =>
  page.evaluate(() => (document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal') as unknown as { text(): string }).text());

/** Waits until the app has finished `count` command lines (prompt lines, or a restore). */
async function commandsReach(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('pipette-app')?.getAttribute('data-commands') ?? '0') >= n, count, { polling: 5, timeout: TIMEOUT_MS });
}

/** Types `line` as a person would, then times Enter to the end of the command. */
async function timeLine(page: Page, line: string, expected: RegExp): Promise<number> {
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(line);
  const before = await commands(page);
  const start = (await transcript(page)).length;
  const t0 = performance.now();
  await page.keyboard.press('Enter');
  await commandsReach(page, before + 1);
  const ms = performance.now() - t0;
  const output = (await transcript(page)).slice(start);
  if (!expected.test(output)) throw new Error(`\`${line}\` did not print ${expected}:\n${output}`);
  return ms;
}

async function serviceWorkerActive(page: Page): Promise<void> {
  await page.waitForFunction(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === 'activated', null, { polling: 50, timeout: TIMEOUT_MS });
}

// --- one run --------------------------------------------------------------------------------------

interface Requests {
  pages: number;
  metadata: number;
  wheels: number;
  /** PyPI JSON API (`/pypi/<name>/json`): the Packages panel's summaries and advisories. */
  jsonApi: number;
  other: number;
}

function classify(requests: readonly RequestLogEntry[]): Requests {
  const r: Requests = { pages: 0, metadata: 0, wheels: 0, jsonApi: 0, other: 0 };
  for (const q of requests) {
    if (q.path.startsWith('/simple/')) r.pages++;
    else if (q.path.startsWith('/pypi/')) r.jsonApi++;
    else if (q.path.endsWith('.metadata')) r.metadata++;
    else if (q.path.endsWith('.whl')) r.wheels++;
    else r.other++;
  }
  return r;
}

interface Sample {
  ms: number;
  requests?: Requests;
}
type Run = Record<string, Sample>;

async function oneRun(browser: Browser, appUrl: string, index: Awaited<ReturnType<typeof startIndexServer>>): Promise<Run> {
  const run: Run = {};

  // Bare loadPyodide, cold then reloaded.
  const bareContext = await browser.newContext();
  const bare = await bareContext.newPage();
  const bareReady = async (): Promise<number> => {
    const handle = await bare.waitForFunction(() => (window as unknown as { pipetteBench?: { ready: number } }).pipetteBench?.ready ?? false, null, { polling: 5, timeout: TIMEOUT_MS });
    return (await handle.jsonValue()) as number;
  };
  await bare.goto(`${appUrl}bench/pages/bare-pyodide.html`);
  run['bare-cold'] = { ms: await bareReady() };
  await bare.reload();
  run['bare-reload'] = { ms: await bareReady() };
  await bareContext.close();

  // The app without its service worker (blocked): cold, then reloaded from the HTTP cache.
  const plainContext = await browser.newContext({ serviceWorkers: 'block' });
  const plain = await plainContext.newPage();
  await plain.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  run['app-cold-nosw'] = { ms: await promptAt(plain) };
  await plain.reload();
  run['app-reload-nosw'] = { ms: await promptAt(plain) };
  await plainContext.close();

  // The app, cold; then reloaded once the service worker has precached the build.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${appUrl}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  run['app-cold'] = { ms: await promptAt(page) };
  await serviceWorkerActive(page);
  await page.reload();
  run['app-reload'] = { ms: await promptAt(page) };

  // Cold install of the tree.
  index.resetRequests();
  run['install'] = { ms: await timeLine(page, 'pip install p00', /Successfully installed p00-1\.0 /), requests: classify(index.requests) };

  // Reload: the workspace rebuilds the 20 from the wheel cache.
  index.resetRequests();
  await page.reload();
  const restoredAt = await promptAt(page);
  const progress = await page.evaluate(() => (document.querySelector('pipette-app') as unknown as AppProbe).progress);
  if (progress?.restore?.distributions !== PROJECTS || progress.restore.problems.length > 0) {
    throw new Error(`the reload restored ${JSON.stringify(progress?.restore)}, not the ${PROJECTS} packages`);
  }
  run['reload-20'] = { ms: restoredAt, requests: classify(index.requests) };

  // Share, then open the link in a fresh browser and restore.
  await page.locator('pipette-app button[part="share"]').click();
  const link = await page.locator('pipette-app [part="shared"] input').inputValue();
  if (!/#env=v1\./.test(link)) throw new Error(`the Share button gave no #env= link: ${link}`);
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

// --- report -----------------------------------------------------------------------------------------

const ROWS: [key: string, label: string][] = [
  ['bare-cold', 'bare loadPyodide: navigation -> ready, cold'],
  ['app-cold', 'app: navigation -> prompt, cold'],
  ['bare-reload', 'bare loadPyodide: reload -> ready'],
  ['app-reload', 'app: reload -> prompt (service worker, empty env)'],
  ['app-cold-nosw', 'app, service worker blocked: navigation -> prompt, cold'],
  ['app-reload-nosw', 'app, service worker blocked: reload -> prompt (HTTP cache)'],
  ['install', `pip install p00 (${PROJECTS} packages, cold): Enter -> prompt`],
  ['reload-20', `reload -> prompt, ${PROJECTS} packages restored`],
  ['share-dialog', 'share link, fresh browser: navigation -> dialog'],
  ['share-restore', `share link: Restore -> ${PROJECTS} installed`],
  ['trivial-3500', `echo hi / ls / pip --version, ${BULK_PROJECTS * BULK_FILES} files installed: Enter -> prompt (median of 9)`],
  ['repl-prompt', 'python (the REPL), first in the tab: Enter -> >>>'],
];

function stats(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

function requestsText(r: Requests | undefined): string {
  if (!r) return '';
  const install = r.pages + r.metadata + r.wheels;
  const parts = [install === 0 ? '0 for installing' : `${r.pages} pages + ${r.metadata} metadata + ${r.wheels} wheels`];
  if (r.jsonApi) parts.push(`${r.jsonApi} JSON API (panels)`);
  if (r.other) parts.push(`${r.other} other`);
  return parts.join('; ');
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const [app, index, browser] = await Promise.all([
    buildAndPreview({ pages: ['bench/pages/bare-pyodide.html'] }),
    startIndexServer({ projects: [...syntheticTree({ projects: PROJECTS, extraEdge: 5, payload: [5_000, 35_000] }), ...bulkProjects()], faults: { latencyMs: LATENCY_MS } }),
    launchChromium(),
  ]);
  const runs: Run[] = [];
  try {
    console.log(`build + preview ready in ${((performance.now() - t0) / 1000).toFixed(1)} s at ${app.url}`);
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun(browser, app.url, index));
  } finally {
    await browser.close();
    await index.close();
    await app.close();
  }

  console.log(`\nPlayground in headless Chromium (${browser.version()}), production build on vite preview, fixture index with ${LATENCY_MS} ms latency per response; ${RUNS} runs, fresh browser contexts`);
  const width = Math.max(...ROWS.map(([, l]) => l.length));
  console.log(`${'measure'.padEnd(width)}   median      min      max   index requests (last run)`);
  for (const [key, label] of ROWS) {
    const s = stats(runs.map((r) => r[key]!.ms));
    const cell = (ms: number): string => `${ms.toFixed(0).padStart(6)} ms`;
    console.log(`${label.padEnd(width)} ${cell(s.median)} ${cell(s.min)} ${cell(s.max)}   ${requestsText(runs[runs.length - 1]![key]!.requests)}`);
  }
  const app0 = stats(runs.map((r) => r['app-cold']!.ms)).median;
  const bare0 = stats(runs.map((r) => r['bare-cold']!.ms)).median;
  console.log(`\napp cold start over bare loadPyodide: +${(app0 - bare0).toFixed(0)} ms (x${(app0 / bare0).toFixed(2)})`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
