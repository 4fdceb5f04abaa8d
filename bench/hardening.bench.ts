/**
 * Hardening under load: the figures behind test/integration/hardening/load.test.ts and
 * faults.test.ts, in a real Pyodide and a RuntimeSession as the worker builds it (Node), against
 * the fixture index on 127.0.0.1 with real retry back-off (no injected sleep).
 *
 *   npx tsx bench/hardening.bench.ts [--cycles N] [--packages N]
 *
 * Printed:
 * (a) N install/uninstall cycles (default 100) of a 4-package app in one session: worker memory
 *     (Pyodide's WebAssembly memory + JS heap after GC) at the start and the end, the growth,
 *     Python's tracked objects, files left behind, the median cycle;
 * (b) an N-package environment (default 200): install, list, freeze, share-link time and the
 *     link's length;
 * (c) the network dropping in the middle of a 20-package install: a burst of 503s (retried),
 *     one wheel cut off on every try, one wheel never answered (--timeout 2): how long until
 *     installed or refused, and whether the environment is unchanged.
 * (d) hard graphs for the resolver (test/fixtures/hard-graphs.ts), in memory: 30 projects x 50
 *     versions with the conflict at the bottom (632 s in the page before conflict facts were
 *     kept), and the pigeonhole with 6 and 7 holes (100 s for 7 before); wall and CPU time
 *     (the CPU time says more on a shared machine), conflicts;
 * (e) the same 30 x 50 chain served by the fixture index, through the real HTTP source;
 * (f) a long resolution (11 pigeons in 10 holes, the real pip command path over the fixture
 *     index) in Node: the longest the resolver holds the event loop (what a Ctrl+C waits for at
 *     most), and the time from the abort to pip's exit with "Operation cancelled by user";
 * (g) the same in Chromium, the production build: Ctrl+C keydown to the prompt back, timed in
 *     the page (goal: under 200 ms).
 *
 * `--resolver` runs (d) to (g) only.
 */
import { createPackageSource } from '../src/index';
import { resolve, type NoSolution, type Resolution } from '../src/resolver';
import { bottomConflictChain, pigeonhole, type HardGraph } from '../test/fixtures/hard-graphs';
import { startIndexServer } from '../test/fixtures/index-server';
import { createMemorySource } from '../test/fixtures/memory-source';
import { PipHarness } from '../test/fixtures/pip-harness';
import { PYODIDE_ENV, PYODIDE_INFO } from '../test/fixtures/pyodide-target';
import { newStores, RuntimeHarness } from '../test/fixtures/runtime-harness';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { launchChromium } from '../test/e2e/browser';
import { interruptOnceQuiet, untilQuiet } from '../test/e2e/ctrl-c';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { WheelSpec } from '../test/fixtures/wheel-builder';
import { bigEnvironment, cycleProjects, environmentProjects, growthPercent, installUnderFault, installUninstallCycles, type MemorySample } from '../test/integration/hardening/load';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CYCLES = arg('--cycles', 100);
const PACKAGES = arg('--packages', 200);
const DEPS = 19;

const MB = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;
const ms = (n: number): string => `${Math.round(n)} ms`;
const mem = (m: MemorySample): string => `wasm ${MB(m.wasm)} + JS heap ${MB(m.js)} = ${MB(m.wasm + m.js)}; Python objects ${m.pythonObjects}`;

const course: WheelSpec[] = [
  { name: 'course', version: '1.0', requires: Array.from({ length: DEPS }, (_, i) => `lib${String(i).padStart(2, '0')}`) },
  ...Array.from({ length: DEPS }, (_, i) => ({ name: `lib${String(i).padStart(2, '0')}`, version: '1.0' })),
];
const RESOLVER_ONLY = process.argv.includes('--resolver');

/** CPU milliseconds of this process (user + system) since `from`. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
}

function outcome(result: Resolution | NoSolution): string {
  const shown = result.kind === 'resolution' ? `${result.distributions.length} pins` : 'no solution';
  return `${shown}; ${result.stats.decisions} decisions, ${result.stats.conflicts} conflicts`;
}

async function timeInMemory(label: string, graph: HardGraph, runs: number): Promise<void> {
  const walls: number[] = [];
  const cpus: number[] = [];
  let last = '';
  for (let i = 0; i < runs; i++) {
    const source = createMemorySource({ projects: graph.packages });
    const cpu = process.cpuUsage();
    const start = performance.now();
    const result = await resolve({ requirements: graph.root }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO });
    walls.push(performance.now() - start);
    cpus.push(cpuMs(cpu));
    last = outcome(result);
    if ('pins' in graph.pip && result.kind === 'resolution') {
      const same = JSON.stringify(result.distributions.map((d) => `${d.name}==${d.version}`)) === JSON.stringify(graph.pip.pins);
      last += same ? "; pip 24.2's pins" : '; NOT pip 24.2\'s pins';
    }
  }
  const best = (xs: number[]): string => ms(Math.min(...xs));
  console.log(`    ${label.padEnd(52)} best of ${runs}: ${best(walls).padStart(7)} wall, ${best(cpus).padStart(7)} CPU; ${last}`);
}

async function resolverFigures(): Promise<void> {
  console.log('(d) hard graphs, in memory');
  await timeInMemory(bottomConflictChain(30, 50).description, bottomConflictChain(30, 50), 3);
  await timeInMemory(pigeonhole(6).description, pigeonhole(6), 3);
  await timeInMemory(pigeonhole(7).description, pigeonhole(7), 3);

  console.log('(e) the 30 x 50 chain over HTTP (fixture index, real source, nothing cached)');
  {
    const graph = bottomConflictChain(30, 50);
    const index = await startIndexServer({ projects: graph.packages });
    try {
      const source = createPackageSource({ indexUrls: [index.simpleUrl], fetch: globalThis.fetch.bind(globalThis) });
      const cpu = process.cpuUsage();
      const start = performance.now();
      const result = await resolve({ requirements: graph.root }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO });
      console.log(`    ${ms(performance.now() - start)} wall, ${ms(cpuMs(cpu))} CPU; ${outcome(result)}; ${index.requests.length} requests`);
    } finally {
      await index.close();
    }
  }

  console.log('(f) a long resolution in Node: pip install --dry-run of 11 pigeons in 10 holes over the fixture index (real pip command path)');
  {
    const graph = pigeonhole(10);
    const index = await startIndexServer({ projects: graph.packages });
    const pip = await PipHarness.create(index);
    try {
      const held: number[] = [];
      const exits: number[] = [];
      for (let i = 0; i < 3; i++) {
        const controller = new AbortController();
        pip.signal = controller.signal;
        index.resetRequests();
        const running = pip.pip('install', '--dry-run', ...graph.root);
        await untilQuiet(() => index.requests.length, 500);
        // How long the resolver keeps the event loop to itself: in Node a Ctrl+C (a timer, a
        // message) waits at most that long before the resolver sees its signal.
        const delay = monitorEventLoopDelay({ resolution: 1 });
        delay.enable();
        await new Promise((done) => setTimeout(done, 3000));
        delay.disable();
        held.push(delay.max / 1e6);
        const abortedAt = performance.now();
        controller.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
        const r = await running;
        exits.push(performance.now() - abortedAt);
        if (!r.stderr.includes('Operation cancelled by user')) throw new Error(`not cancelled: ${r.code} ${r.stderr.slice(-300)}`);
      }
      console.log(`    event loop held at most ${held.map((h) => h.toFixed(0)).join(', ')} ms (3 runs of 3 s); abort to pip's exit ${exits.map((e) => e.toFixed(0)).join(', ')} ms`);
    } finally {
      pip.signal = null;
      await index.close();
    }
  }

  console.log('(g) Ctrl+C to prompt in Chromium during the same resolution (production build, in-page timing, 3 runs)');
  {
    const graph = pigeonhole(10);
    const [index, app, browser] = await Promise.all([startIndexServer({ projects: graph.packages }), buildAndPreview(), launchChromium()]);
    try {
      const latencies: string[] = [];
      for (let i = 0; i < 3; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${app.url}?index-url=${encodeURIComponent(index.simpleUrl)}`);
        await page.waitForFunction(() => {
          const a = document.querySelector('pipette-app') as unknown as { info: unknown; busy: boolean; shadowRoot: ShadowRoot } | null;
          const t = a?.shadowRoot.querySelector('pipette-terminal') as unknown as { text(): string } | null;
          return a !== null && a.info !== null && !a.busy && t !== null && /\$\s*$/.test(t.text());
        }, null, { timeout: 180_000 });
        const t = await interruptOnceQuiet(page, `pip install --dry-run ${graph.root.join(' ')}`, index);
        if (!t.busy) throw new Error('the resolution had ended before Ctrl+C');
        latencies.push(`${(t.prompt - t.pressed).toFixed(0)} (message ${(t.cancelled - t.pressed).toFixed(0)})`);
        await context.close();
      }
      console.log(`    Ctrl+C to prompt: ${latencies.join(', ')} ms; goal < 200 ms`);
    } finally {
      await browser.close();
      await app.close();
      await index.close();
    }
  }
}

if (RESOLVER_ONLY) {
  await resolverFigures();
  process.exit(0);
}

const server = await startIndexServer({ projects: [...cycleProjects(), ...environmentProjects(PACKAGES), ...course] });

try {
  // (a)
  {
    const h = await RuntimeHarness.start(server, newStores());
    const r = await installUninstallCycles(h, CYCLES);
    console.log(`(a) ${r.cycles} install/uninstall cycles (4 packages each) in one session`);
    console.log(`    start: ${mem(r.start)}`);
    console.log(`    end:   ${mem(r.end)}`);
    console.log(`    growth: ${growthPercent(r.start, r.end).toFixed(1)}%; files left behind: ${r.leftover.length}; median cycle ${ms(r.medianCycleMs)}`);
  }
  // (b)
  {
    const h = await RuntimeHarness.start(server, newStores());
    const r = await bigEnvironment(h, PACKAGES);
    console.log(`(b) a ${r.packages}-package environment`);
    console.log(`    install ${ms(r.installMs)}; pip list ${ms(r.listMs)} (${r.listLines} rows); pip freeze ${ms(r.freezeMs)} (${r.freezeLines} lines)`);
    console.log(`    share link ${ms(r.shareMs)}, ${r.linkLength} characters`);
  }
  // (c)
  {
    const h = await RuntimeHarness.start(server, newStores());
    const wheel = (name: string) => new RegExp(`/files/${name}-1\\.0-py3-none-any\\.whl$`);
    console.log(`(c) the network dropping in a 20-package install (pip install --no-cache-dir course)`);
    const runs = [
      ['no fault', {}, []],
      ['503 on the first 12 wheel requests', { status: { match: /^\/files\/[^/]+\.whl$/, code: 503, times: 12 } }, []],
      ['lib07 cut off on every try', { truncate: wheel('lib07') }, []],
      ['lib12 never answers (--timeout 2)', { hang: wheel('lib12') }, ['--timeout', '2']],
    ] as const;
    for (const [name, faults, extra] of runs) {
      const before = await h.freeze();
      const r = await installUnderFault(h, server, name, faults, [...extra, 'course']);
      const after = await h.freeze();
      const outcome = r.code === 0 ? `installed (${after.trim().split('\n').length} packages)` : `refused, environment ${after === before ? 'unchanged' : 'CHANGED'}`;
      console.log(`    ${name.padEnd(36)} ${ms(r.ms).padStart(8)}  ${outcome}; ${r.requests} requests; ${r.last.slice(0, 110)}`);
      if (r.code === 0) await h.pip(['uninstall', '-y', 'course', ...course.slice(1).map((s) => s.name)]);
    }
  }
  await resolverFigures();
} finally {
  await server.close();
}
process.exit(0);
