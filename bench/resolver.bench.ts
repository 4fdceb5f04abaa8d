/**
 * Resolver benchmark (`npx tsx bench/resolver.bench.ts`). Prints figures; asserts nothing.
 *
 * 1. deep: 200 projects x 100 versions built to force deep backtracking. p000 -> p001 ->
 *    ... -> p199; every release from 51.0 up needs the next project at >=51, every older one
 *    the next at <51; p199's releases from 51.0 up need a project that does not exist. The
 *    newest of everything fails only at the bottom of the chain, 200 levels below the first
 *    decision, so the solver must learn its way back up (the answer: everything at 50.0).
 *    Metadata in memory (the in-memory source), goal <= 100 ms.
 * 2. realistic: ~100 projects x 10 versions with lower-bound dependencies (syntheticGraph),
 *    in memory.
 * 3. the realistic graph served by the fixture index over HTTP: `python3 -m pip install
 *    --dry-run --ignore-installed --report -` timed against our resolver through the real HTTP
 *    source; printed as a ratio, goal <= 0.1x.
 */
import { PYODIDE_ENV, PYODIDE_INFO } from '../test/fixtures/pyodide-target';
import { spawn } from 'node:child_process';
import { createPackageSource } from '../src/index';
import { resolve } from '../src/resolver';
import { startIndexServer } from '../test/fixtures/index-server';
import { createMemorySource } from '../test/fixtures/memory-source';
import { syntheticGraph } from '../test/fixtures/scenarios';
import type { WheelSpec } from '../test/fixtures/wheel-builder';

const INFO = PYODIDE_INFO;
const ENV = PYODIDE_ENV;

function deepGraph(projects = 200, versions = 100): WheelSpec[] {
  const name = (i: number): string => `p${String(i).padStart(3, '0')}`;
  const specs: WheelSpec[] = [];
  for (let i = 0; i < projects; i++) {
    for (let v = 1; v <= versions; v++) {
      const high = v > versions / 2;
      const requires =
        i + 1 < projects ? [`${name(i + 1)}${high ? `>=${versions / 2 + 1}` : `<${versions / 2 + 1}`}`] : high ? ['missing-project'] : [];
      specs.push({ name: name(i), version: `${v}.0`, requires });
    }
  }
  return specs;
}

/** Garbage collection pauses (PerformanceObserver 'gc' entries), to attribute them to runs. */
const gcPauses: Array<{ start: number; duration: number }> = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcPauses.push({ start: e.startTime, duration: e.duration });
}).observe({ entryTypes: ['gc'] });

async function timeMemory(label: string, projects: WheelSpec[], root: string, runs = 5): Promise<void> {
  let best = Infinity;
  let summary = '';
  const times: number[] = [];
  const windows: Array<[number, number]> = [];
  for (let i = 0; i < runs; i++) {
    const source = createMemorySource({ projects });
    const start = performance.now();
    const result = await resolve({ requirements: [root] }, source, { environment: ENV, pyodide: INFO });
    const ms = performance.now() - start;
    times.push(ms);
    windows.push([start, start + ms]);
    best = Math.min(best, ms);
    const pins = result.kind === 'resolution' ? `${result.distributions.length} pins` : 'no solution';
    summary = `${pins}, ${result.stats.decisions} decisions, ${result.stats.conflicts} conflicts, ${result.stats.backtracks} backtracks, ${result.stats.metadataRequests} metadata requests`;
    if (i === 0 && result.kind === 'resolution') {
      const sample = result.distributions.slice(0, 3).map((d) => `${d.name}==${d.version}`);
      summary += ` (${sample.join(', ')}, ...)`;
    }
  }
  // Additional figures: the median and every run (in order, the first one runs cold), and the
  // garbage collection pauses that fell inside the timed runs.
  await new Promise((done) => setTimeout(done, 0)); // let the observer deliver
  const gc = windows.map(([from, to]) => gcPauses.filter((g) => g.start >= from && g.start < to).reduce((sum, g) => sum + g.duration, 0));
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)] as number;
  console.log(`${label}: ${summary}; best of ${runs}: ${best.toFixed(1)} ms`);
  console.log(
    `  median ${median.toFixed(1)} ms; runs ${times.map((t) => t.toFixed(1)).join(' ')} ms; gc in runs ${gc.map((t) => t.toFixed(1)).join(' ')} ms`,
  );
}

function runPip(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn('python3', ['-m', 'pip', ...args], { env: { ...process.env, PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

async function versusPip(projects: WheelSpec[], root: string): Promise<void> {
  const server = await startIndexServer({ projects });
  try {
    const pipStart = performance.now();
    const pip = await runPip(['install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '--index-url', server.simpleUrl, root]);
    const pipMs = performance.now() - pipStart;
    if (pip.code !== 0) throw new Error(`pip failed: ${pip.stderr}`);
    const pipPins = (JSON.parse(pip.stdout) as { install: { metadata: { name: string; version: string } }[] }).install
      .map((i) => `${i.metadata.name.toLowerCase()}==${i.metadata.version}`)
      .sort();

    let oursMs = Infinity;
    let ourPins: string[] = [];
    let requests = 0;
    for (let i = 0; i < 3; i++) {
      // A fresh source each time: nothing cached, every page and metadata file over HTTP.
      const source = createPackageSource({ indexUrls: [server.simpleUrl], fetch: globalThis.fetch.bind(globalThis) });
      server.resetRequests();
      const start = performance.now();
      const result = await resolve({ requirements: [root] }, source, { environment: ENV, pyodide: INFO });
      oursMs = Math.min(oursMs, performance.now() - start);
      requests = server.requests.length;
      if (result.kind !== 'resolution') throw new Error(result.explanation);
      ourPins = result.distributions.map((d) => `${d.name}==${d.version}`);
    }
    const same = JSON.stringify(ourPins) === JSON.stringify(pipPins);
    console.log(
      `realistic over HTTP: pip ${pipMs.toFixed(0)} ms (${pipPins.length} pins), ours ${oursMs.toFixed(0)} ms (${ourPins.length} pins, ${requests} requests); ratio ${(oursMs / pipMs).toFixed(3)}x; same pins: ${same}`,
    );
  } finally {
    await server.close();
  }
}

const realistic = syntheticGraph({ packages: 100, versions: 10, depsPerVersion: 3, seed: 7 });
await timeMemory('deep (200 x 100, in memory)', deepGraph(), 'p000');
await timeMemory('realistic (100 x 10, in memory)', realistic, 'pkg-000');
if (!process.argv.includes("--memory-only")) await versusPip(realistic, 'pkg-000');
