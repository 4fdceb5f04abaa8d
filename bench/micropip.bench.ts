/**
 * Pipette and micropip side by side, in the same Chromium, installing the same real packages
 * from the same local index, on localhost and on a slow network:
 *
 *   npx tsx bench/micropip.bench.ts [--runs N] [--only flask] [--network 0|50] [--layout NAME] [--trace]
 *
 * - micropip: built from its source (bench/micropip-wheel.ts: pyodide/micropip plus the
 *   pypa/packaging commit its submodule pins; MICROPIP_SRC / PACKAGING_SRC say where), unpacked
 *   into the bundled Pyodide on a page of its own (bench/pages/micropip.html), timed around
 *   `await micropip.install([...], index_urls=[...])`.
 * - Pipette: the production build on `vite preview` (as bench/playground.bench.ts serves it),
 *   `pip install ...` typed in the terminal, timed from Enter to the prompt. Once `pip install `
 *   is typed, Pipette opens the index's connections (src/index/preconnect.ts: HEAD requests,
 *   listed apart as `+N HEAD`), so part of their handshakes falls before Enter, as it does for a
 *   person typing; Playwright types the rest of the line in some tens of milliseconds, a person
 *   in seconds. Of the `pypi` layout's two hosts only the index's is warmed (the file host is
 *   known ahead for pypi.org only). micropip is called directly and opens them after the clock
 *   starts.
 * - The index: the real PyPI wheels this machine carries (bench/pypi-wheelhouse.ts links them,
 *   never copies), served by the classroom wheelhouse (src/cli/wheelhouse.ts) through
 *   bench/wheelhouse-server.ts, directly (localhost) and through a link with 50 ms round trips
 *   and 20 Mbit/s shared (test/fixtures/network-link.ts), there in three layouts (LAYOUTS): as
 *   PyPI serves it (HTTP/2 over TLS, files on a host of their own), the same two hosts over
 *   HTTP/1.1, and one HTTP/1.1 host for everything.
 *
 * Every run starts in fresh browser contexts (empty HTTP cache, IndexedDB; service worker
 * blocked so its precaching does not compete), with the interpreter booted before the clock
 * starts. Runs alternate which tool goes first. Printed per case: min/median/max wall time,
 * the requests and body bytes the index served (exact), whether both tools installed the same
 * distributions as Pipette's resolver says they should, and the physical limit of the network:
 * dependency depth x 2 round trips (project page, then metadata, per level) + wheel bytes over
 * the bandwidth.
 *
 * micropip reads PEP 691 JSON pages without resolving relative file URLs (package_index.py
 * passes index_base_url=""), and the wheelhouse, as PEP 691 allows, gives relative ones; it is
 * pointed at the PEP 503 HTML pages instead (`{package_name}/?format=text/html`), which it
 * resolves correctly, PEP 658 metadata included.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchChromium } from '../test/e2e/browser';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { describeShape, UNSHAPED, type NetworkShape } from '../test/fixtures/network-link';
import { createPackageSource, type PyodideLock } from '../src/index';
import { resolve, type PinnedDistribution } from '../src/resolver';
import { targetFor } from '../src/cli/environment';
import { classify, promptAt, runLine, stats, TIMEOUT_MS, type Requests } from './app-driver';
import { buildMicropipWheel, bundledMicropip, MissingSources, type MicropipBuild } from './micropip-wheel';
import { linkReachableWheels, pypiFolders } from './pypi-wheelhouse';
import { FILES_HOST, H2_BROWSER_FLAGS, startWheelhouseServer, type WheelhouseServer } from './wheelhouse-server';
import { arg } from './synthetic';
import { recordGoal } from './goals';

const RUNS = arg('--runs', 5);
/** Projects the index serves (normalized), left out of the Pyodide lock the browser sees: see freshContext. */
let indexProjects: ReadonlySet<string> = new Set();
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? process.argv[onlyArg + 1] ?? '' : '';
const SLOW: NetworkShape = { latencyMs: 50, bandwidthBitsPerSecond: 20e6 };
const NETWORKS = [UNSHAPED, SLOW].filter((n) => process.argv.indexOf('--network') < 0 || arg('--network', -1) === n.latencyMs);
/**
 * How the index is served on the slow network (`--layout NAME` for one; all three by default):
 * - `pypi`: as PyPI serves it, over HTTPS with HTTP/2, pages on one host and the files (wheels,
 *   PEP 658 metadata) on another (pypi.org, files.pythonhosted.org). HTTP/2 carries every
 *   request to a host on one connection, with no limit of 6 at a time;
 * - `http1-2hosts`: the same two hosts over plain HTTP/1.1, 6 connections each (a browser's
 *   limit per host);
 * - `http1-1host`: pages and files on one HTTP/1.1 host, 6 connections for all of it (a
 *   classroom wheelhouse, devpi).
 * Without a latency the index is served the last way only.
 */
interface Layout {
  readonly name: string;
  readonly text: string;
  readonly hosts: 1 | 2;
  readonly h2: boolean;
}
const LAYOUTS: readonly Layout[] = [
  { name: 'pypi', text: 'HTTP/2 over TLS, files on a host of their own (as PyPI)', hosts: 2, h2: true },
  { name: 'http1-2hosts', text: 'HTTP/1.1, files on a host of their own', hosts: 2, h2: false },
  { name: 'http1-1host', text: 'HTTP/1.1, pages and files on one host', hosts: 1, h2: false },
];
const layoutArg = process.argv.indexOf('--layout');
const SLOW_LAYOUTS = layoutArg > 0 ? LAYOUTS.filter((l) => l.name === process.argv[layoutArg + 1]) : LAYOUTS;
if (SLOW_LAYOUTS.length === 0) throw new Error(`--layout: one of ${LAYOUTS.map((l) => l.name).join(', ')}`);

interface Case {
  readonly label: string;
  readonly requirements: readonly string[];
  /** Goal of the issue's item 3 (pipelining) at 50 ms / 20 Mbit, for the cases it names. */
  readonly goal?: boolean;
}
const CASES: Case[] = [
  { label: 'flask', requirements: ['flask'] },
  { label: 'requests flask pytest', requirements: ['requests', 'flask', 'pytest'], goal: true },
  { label: 'boto3 awscli', requirements: ['boto3', 'awscli'], goal: true },
  { label: 'sympy', requirements: ['sympy'] },
].filter((c) => c.label.includes(ONLY));

type Tool = 'pipette' | 'micropip';

const TRACE = process.argv.includes('--trace');

interface ToolRun {
  /** With --trace: the index's requests, ms from the command's start (server side, behind the link). */
  trace?: string[];
  ms: number;
  requests: Requests;
  installed: string[];
  error: string | null;
}

interface Expected {
  pins: string[];
  depth: number;
  wheelBytes: number;
}

const norm = (pin: string): string => {
  const [name = '', version = ''] = pin.split('==');
  return `${name.toLowerCase().replace(/[-_.]+/g, '-')}==${version}`;
};

/** Longest chain of dependencies from a requested distribution, in distributions (a root alone is 1). */
export function dependencyDepth(distributions: readonly PinnedDistribution[]): number {
  const byName = new Map(distributions.map((d) => [d.name as string, d]));
  const memo = new Map<string, number>();
  const depth = (name: string, path: Set<string>): number => {
    if (memo.has(name)) return memo.get(name)!;
    if (path.has(name)) return 0; // a cycle adds no round trip: the page is already asked for
    path.add(name);
    const d = byName.get(name);
    const below = Math.max(0, ...(d?.dependencies ?? []).map((n) => depth(n, path)));
    path.delete(name);
    memo.set(name, below + 1);
    return below + 1;
  };
  return Math.max(0, ...distributions.filter((d) => d.requested).map((d) => depth(d.name, new Set())));
}

async function expectedFor(requirements: readonly string[], indexUrl: string): Promise<Expected | string> {
  const lock = JSON.parse(readFileSync(resolvePath(import.meta.dirname, '../node_modules/pyodide/pyodide-lock.json'), 'utf8')) as PyodideLock;
  const target = targetFor(lock.info, null);
  const source = createPackageSource({ indexUrls: [indexUrl], pyodideLock: null, fetch: (input, init) => fetch(input, init), corsHint: false });
  const result = await resolve({ requirements: [...requirements] }, source, { environment: target.environment, pyodide: target.info });
  if (result.kind !== 'resolution') return result.explanation;
  return {
    pins: result.distributions.map((d) => norm(`${d.name}==${d.version}`)).sort(),
    depth: dependencyDepth(result.distributions),
    wheelBytes: result.distributions.reduce((sum, d) => sum + (d.file.size ?? 0), 0),
  };
}

/** The physical limit (ms): depth x 2 RTT (page, then metadata) + wheel bytes / bandwidth. */
function physicalLimit(expected: Expected, shape: NetworkShape): { ms: number; text: string } {
  const rtt = expected.depth * 2 * shape.latencyMs;
  const transfer = shape.bandwidthBitsPerSecond === null ? 0 : (expected.wheelBytes * 8 * 1000) / shape.bandwidthBitsPerSecond;
  return { ms: rtt + transfer, text: `${expected.depth} levels x 2 x ${shape.latencyMs} ms + ${(expected.wheelBytes / 1e6).toFixed(2)} MB / ${(shape.bandwidthBitsPerSecond ?? 0) / 1e6} Mbit/s = ${rtt.toFixed(0)} + ${transfer.toFixed(0)} ms` };
}

/**
 * A fresh context whose Pyodide lock leaves out the projects the index serves, so both tools
 * take every file from the index. The lock's files live on Pyodide's CDN, out of reach here;
 * Pipette now prefers a lock's wasm build over an index's py3-none-any file of the same version
 * (tag order), so it would reach for markupsafe there. The design has the lock consulted only
 * where no configured index has an installable file, and micropip with `index_urls` consults it
 * only then too: leaving those entries out gives both that behaviour.
 */
async function freshContext(browser: Browser, indexProjects: ReadonlySet<string>): Promise<{ context: BrowserContext; lockServed: () => number }> {
  const context = await browser.newContext({ serviceWorkers: 'block' });
  let served = 0;
  await context.route('**/pyodide/pyodide-lock.json', async (route) => {
    const response = await route.fetch();
    const lock = (await response.json()) as { packages: Record<string, unknown> };
    for (const name of Object.keys(lock.packages)) if (indexProjects.has(name.toLowerCase().replace(/[-_.]+/g, '-'))) delete lock.packages[name];
    served++;
    await route.fulfill({ response, json: lock });
  });
  return { context, lockServed: () => served };
}

async function pipetteRun(browser: Browser, appUrl: string, indexUrl: string, requirements: readonly string[], server: WheelhouseServer): Promise<ToolRun> {
  const { context, lockServed } = await freshContext(browser, indexProjects);
  try {
    const page = await context.newPage();
    await page.goto(`${appUrl}?index-url=${encodeURIComponent(indexUrl)}`);
    await promptAt(page);
    if (lockServed() === 0) throw new Error("the runtime worker's pyodide-lock.json request was not intercepted");
    server.resetRequests();
    const install = await runLine(page, `pip install ${requirements.join(' ')}`);
    const t0 = performance.now() - install.ms;
    const trace = TRACE ? traceOf(server, t0) : undefined;
    const requests = classify([...server.requests]);
    const ok = /Successfully installed/.test(install.output) && !/ERROR/.test(install.output);
    const freeze = await runLine(page, 'pip freeze');
    const installed = freeze.output.split(/\r?\n/).map((l) => l.trim()).filter((l) => /^[A-Za-z0-9._-]+==\S+$/.test(l));
    return { ...(trace ? { trace } : {}), ms: install.ms, requests, installed: installed.map(norm).sort(), error: ok ? null : install.output.trim().split('\n').slice(-3).join(' | ') };
  } finally {
    await context.close();
  }
}

interface MicropipWindow {
  micropipBench?: { ready: number; version: string; install(requirements: string[], indexUrl: string): Promise<{ ms: number; error: string | null; installed: string[] }> };
}

async function micropipRun(browser: Browser, appUrl: string, wheelUrl: string, indexUrl: string, requirements: readonly string[], server: WheelhouseServer): Promise<ToolRun> {
  const { context, lockServed } = await freshContext(browser, indexProjects);
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${appUrl}bench/pages/micropip.html?wheel=${encodeURIComponent(wheelUrl)}`);
    await page.waitForFunction(() => (window as unknown as MicropipWindow).micropipBench?.ready ?? false, null, { polling: 5, timeout: TIMEOUT_MS }).catch((e: unknown) => {
      throw new Error(`micropip page did not get ready: ${errors.join('; ') || String(e)}`);
    });
    if (lockServed() === 0) throw new Error("the micropip page's pyodide-lock.json request was not intercepted");
    server.resetRequests();
    // HTML pages: micropip resolves relative file URLs only there (see the header).
    const url = `${indexUrl}{package_name}/?format=text/html`;
    const t0 = performance.now();
    const outcome = await page.evaluate(({ reqs, u }) => (window as unknown as MicropipWindow).micropipBench!.install(reqs, u), { reqs: [...requirements], u: url });
    const ms = performance.now() - t0;
    return { ...(TRACE ? { trace: traceOf(server, t0) } : {}), ms, requests: classify([...server.requests]), installed: outcome.installed.map(norm).sort(), error: outcome.error?.split('\n').filter(Boolean).slice(-1)[0] ?? null };
  } finally {
    await context.close();
  }
}

/** The index's requests (server side, behind the link), ms from `t0`: where a run's time went. */
function traceOf(server: WheelhouseServer, t0: number): string[] {
  return server.requests.map((q) => `${(q.at - t0).toFixed(0).padStart(6)} - ${(q.end - t0).toFixed(0).padStart(6)}  ${q.path.replace(/^.*\/(simple\/)?/, '').replace(/[?].*$/, '') || q.path} (${q.bytes} B)`);
}

// --- report -------------------------------------------------------------------------------------

const ms = (x: number): string => `${x.toFixed(0).padStart(6)} ms`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;
const requestText = (r: Requests): string =>
  `${r.pages} pages + ${r.metadata} metadata + ${r.wheels} wheels${r.jsonApi ? ` (+${r.jsonApi} JSON API)` : ''}${r.preconnects ? ` (+${r.preconnects} HEAD)` : ''}${r.other ? ` (+${r.other} other)` : ''}`;

function sameText(expected: Expected, runs: Record<Tool, ToolRun[]>): string {
  const want = expected.pins.join(' ');
  const problems: string[] = [];
  for (const tool of ['pipette', 'micropip'] as const) {
    for (const [i, run] of runs[tool].entries()) {
      if (run.installed.join(' ') === want) continue;
      const got = new Set(run.installed);
      const missing = expected.pins.filter((p) => !got.has(p));
      const extra = run.installed.filter((p) => !expected.pins.includes(p));
      problems.push(`${tool} run ${i + 1}: missing ${missing.join(' ') || '-'}; extra ${extra.join(' ') || '-'}`);
    }
  }
  return problems.length === 0 ? `both installed exactly the ${expected.pins.length} distributions Pipette's resolver picks, every run` : `DIFFERENT: ${problems.join('; ')}`;
}

async function main(): Promise<void> {
  const folders = pypiFolders();
  if (folders.length === 0) {
    console.log('SKIPPED: no folder of PyPI wheels on this machine (/opt/pypi/files, /opt/pypi-more/files; or PIPETTE_PYPI_FILES=DIR:DIR).');
    return;
  }
  let micropip: MicropipBuild | null = null;
  try {
    micropip = buildMicropipWheel();
  } catch (e) {
    if (!(e instanceof MissingSources)) throw e;
    console.log(`micropip NOT MEASURED: ${e.message}\nPipette's figures and the physical limits follow alone.`);
  }
  const bundled = bundledMicropip();
  if (micropip) console.log(`micropip: ${micropip.provenance}`);
  if (bundled) {
    console.log(
      `  (the bundled Pyodide's lock lists micropip ${bundled.version} (${bundled.fileName}), ${bundled.shipped ? 'and node_modules/pyodide ships it' : 'but node_modules/pyodide does not ship the file (Pyodide fetches packages from its CDN, out of reach here)'}; the issue asks for micropip built from source, which is what runs)`,
    );
  }

  const house = linkReachableWheels(CASES.flatMap((c) => c.requirements), folders);
  indexProjects = new Set(house.projects);
  const cases = CASES.map((c) => {
    const missing = c.requirements.filter((r) => house.missing.includes(r));
    return { ...c, run: c.requirements.filter((r) => !missing.includes(r)), missing };
  });
  console.log(`index: ${house.files} wheels of ${house.projects.length} projects linked from ${folders.join(', ')} (served by src/cli/wheelhouse.ts)`);
  if (house.repacked.length) console.log(`  repacked py3-none-any (only CPython x86-64 builds here; pure-Python fallbacks inside, see bench/pypi-wheelhouse.ts): ${house.repacked.join(', ')}`);
  console.log(`  the Pyodide lock both pages load leaves out those ${house.projects.length} projects: every file comes from the index (see freshContext)`);
  for (const c of cases) if (c.missing.length) console.log(`  ${c.missing.join(', ')}: no wheel on this machine, so case "${c.label}" installs ${c.run.join(' ')} alone`);

  const files = new Map<string, Uint8Array>();
  if (micropip) files.set(`/bench/${micropip.wheel.filename}`, micropip.wheel.bytes);
  const [server, app, browser] = await Promise.all([
    startWheelhouseServer(house.dir, { files, filesHost: true }),
    buildAndPreview({ pages: ['bench/pages/micropip.html'] }),
    launchChromium(H2_BROWSER_FLAGS),
  ]);
  const wheelUrl = micropip ? new URL(`/bench/${micropip.wheel.filename}`, server.simpleUrl).href : '';
  try {
    console.log(`Chromium ${browser.version()}; ${RUNS} runs per tool and case, alternating which goes first. The machine is shared with other work: times are noisy, request and byte counts exact.`);
    for (const [shape, layout] of NETWORKS.flatMap((n) => (n.latencyMs > 0 ? SLOW_LAYOUTS : LAYOUTS.slice(-1)).map((l) => [n, l] as const))) {
      // The server links a page's files at FILES_HOST when the page was asked for at 127.0.0.1.
      const pagesUrl = await server.through(shape, { h2: layout.h2 });
      const indexUrl = layout.hosts === 2 ? pagesUrl : pagesUrl.replace('//127.0.0.1:', `//${FILES_HOST}:`);
      console.log(`\n=== ${describeShape(shape)}; ${layout.text} ===`);
      for (const c of cases) {
        const expected = await expectedFor(c.run, server.simpleUrl);
        if (typeof expected === 'string') {
          console.log(`\n${c.label}: Pipette's resolver finds no solution here:\n${expected}`);
          continue;
        }
        const runs: Record<Tool, ToolRun[]> = { pipette: [], micropip: [] };
        for (let i = 0; i < RUNS; i++) {
          const order: Tool[] = micropip ? (i % 2 === 0 ? ['pipette', 'micropip'] : ['micropip', 'pipette']) : ['pipette'];
          for (const tool of order) {
            const run = tool === 'pipette'
              ? await pipetteRun(browser, app.url, indexUrl, c.run, server)
              : await micropipRun(browser, app.url, wheelUrl, indexUrl, c.run, server);
            runs[tool].push(run);
          }
          process.stderr.write(`  ${c.label} run ${i + 1}/${RUNS}: ${order.map((t) => `${t} ${runs[t][i]!.ms.toFixed(0)} ms${runs[t][i]!.error ? ' (failed)' : ''}`).join(', ')}\n`);
        }
        const limit = physicalLimit(expected, shape);
        console.log(`\n${c.label}${c.missing.length ? ` (as ${c.run.join(' ')})` : ''}: ${expected.pins.length} distributions, ${mb(expected.wheelBytes)} of wheels, dependency depth ${expected.depth}`);
        console.log(`  ${'tool'.padEnd(9)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}   requests (last run)                          body bytes`);
        const medians: Partial<Record<Tool, number>> = {};
        for (const tool of ['pipette', 'micropip'] as const) {
          const rs = runs[tool];
          if (rs.length === 0) continue;
          const s = stats(rs.map((r) => r.ms));
          medians[tool] = s.median;
          const last = rs[rs.length - 1]!;
          const failed = rs.filter((r) => r.error);
          console.log(`  ${tool.padEnd(9)} ${ms(s.median)} ${ms(s.min)} ${ms(s.max)}   ${requestText(last.requests).padEnd(44)} ${mb(last.requests.bytes)}${failed.length ? `   FAILED ${failed.length}/${rs.length}: ${failed[0]!.error}` : ''}`);
        }
        console.log(`  same files: ${sameText(expected, runs)}`);
        if (TRACE) {
          for (const tool of ['pipette', 'micropip'] as const) {
            const last = runs[tool].at(-1);
            if (last?.trace) console.log(`  ${tool}, last run: requests at the index (ms from the command's start, server side)\n${last.trace.map((l) => `    ${l}`).join('\n')}`);
          }
        }
        if (shape.latencyMs > 0 || shape.bandwidthBitsPerSecond !== null) {
          const p = medians.pipette!;
          console.log(`  physical limit: ${limit.text} = ${limit.ms.toFixed(0)} ms; Pipette median / limit = ${(p / limit.ms).toFixed(2)}${c.goal ? ' (goal <= 1.2, item 3)' : ''}`);
          if (c.goal) recordGoal({ issue: '15.3', figure: `${c.label}, ${shape.latencyMs} ms / ${(shape.bandwidthBitsPerSecond ?? 0) / 1e6} Mbit, ${layout.name}: Pipette median wall time`, measured: p, goal: 1.2 * limit.ms, unit: 'ms', limit: limit.ms });
        }
        if (medians.micropip !== undefined) {
          const ratio = medians.pipette! / medians.micropip;
          const bytes = `bytes Pipette / micropip = ${(runs.pipette.at(-1)!.requests.bytes / runs.micropip.at(-1)!.requests.bytes).toFixed(2)}`;
          const goal = c.goal && shape.latencyMs > 0 ? ' (goal <= 0.5, item 3)' : '';
          console.log(`  Pipette / micropip median wall time = ${ratio.toFixed(2)}${goal}; ${bytes}${goal ? ' (goal <= 1.00)' : ''}`);
          if (goal) recordGoal({ issue: '15.3', figure: `${c.label}, ${shape.latencyMs} ms / ${(shape.bandwidthBitsPerSecond ?? 0) / 1e6} Mbit, ${layout.name}: Pipette / micropip median wall time`, measured: ratio, goal: 0.5, unit: 'x' });
        }
      }
    }
  } finally {
    await browser.close();
    await app.close();
    await server.close();
    house.remove();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
