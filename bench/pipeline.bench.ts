/**
 * Where the time of a cold `pip install` goes on a slow network, request by request, in Node
 * with a real Pyodide (the same src/pip the page runs), against the real PyPI wheels this
 * machine carries, served by the classroom wheelhouse through a link with a round-trip time and
 * a shared bandwidth (test/fixtures/network-link.ts):
 *
 *   npx tsx bench/pipeline.bench.ts [--runs N] [--latency 50] [--mbit 20] [--only flask] [--trace] [--no-compile]
 *
 * Printed per case: min/median/max wall time of `pip install` from an empty cache, the time the
 * resolution ended (pip's `Collecting` lines are printed right after it), when the first and
 * last wheel downloads started and ended, the requests and bytes, and the physical limit
 * (dependency depth x 2 round trips + wheel bytes over the bandwidth, as bench/micropip.bench.ts
 * computes it). With --trace, every request of the last run with its start and end (ms from the
 * command's start): project pages, PEP 658 `.metadata`, range reads of wheels, wheels.
 *
 * This is the quick loop for the pipelining work (issue 15 item 3); the figures next to
 * micropip come from bench/micropip.bench.ts in Chromium.
 */
import { performance } from 'node:perf_hooks';
import { createPackageSource, MemoryStore } from '../src/index';
import { resolve, type PinnedDistribution } from '../src/resolver';
import { runPip } from '../src/pip';
import { startIndexServer } from '../test/fixtures/index-server';
import { describeShape, type NetworkShape } from '../test/fixtures/network-link';
import { PipHarness } from '../test/fixtures/pip-harness';
import { linkReachableWheels, pypiFolders } from './pypi-wheelhouse';
import { arg, median } from './synthetic';
import { startWheelhouseServer } from './wheelhouse-server';

const RUNS = arg('--runs', 3);
const SHAPE: NetworkShape = { latencyMs: arg('--latency', 50), bandwidthBitsPerSecond: arg('--mbit', 20) * 1e6 || null };
const onlyArg = process.argv.indexOf('--only');
const ONLY = onlyArg > 0 ? (process.argv[onlyArg + 1] ?? '') : '';
const TRACE = process.argv.includes('--trace');
/**
 * `--no-compile`: as the page installs (its bytecode is compiled when the worker is idle, after
 * the prompt: src/runtime/idle-bytecode.ts); without it every module is compiled before
 * `Successfully installed`, as the harness's compiler does.
 */
const NO_COMPILE = process.argv.includes('--no-compile');

const CASES = [['flask'], ['requests', 'flask', 'pytest'], ['boto3', 'awscli']].filter((c) => c.join(' ').includes(ONLY));

/** Longest chain of dependencies from a requested distribution (bench/micropip.bench.ts's measure; importing it would run that bench). */
function dependencyDepth(distributions: readonly PinnedDistribution[]): number {
  const byName = new Map(distributions.map((d) => [d.name as string, d]));
  const memo = new Map<string, number>();
  const depth = (name: string, path: Set<string>): number => {
    if (memo.has(name)) return memo.get(name)!;
    if (path.has(name)) return 0;
    path.add(name);
    const below = Math.max(0, ...(byName.get(name)?.dependencies ?? []).map((n) => depth(n, path)));
    path.delete(name);
    memo.set(name, below + 1);
    return below + 1;
  };
  return Math.max(0, ...distributions.filter((d) => d.requested).map((d) => depth(d.name, new Set())));
}

interface Traced {
  readonly kind: 'page' | 'metadata' | 'range' | 'wheel' | 'other';
  readonly name: string;
  readonly start: number;
  end: number;
  bytes: number;
}

function kindOf(url: string, init: RequestInit | undefined): Traced['kind'] {
  const headers = new Headers(init?.headers);
  if (headers.has('Range') || init?.method === 'HEAD') return 'range';
  if (url.endsWith('.metadata')) return 'metadata';
  if (/\.whl(#|$)/.test(url)) return 'wheel';
  if (url.includes('/simple/')) return 'page';
  return 'other';
}

async function main(): Promise<void> {
  const folders = pypiFolders();
  if (folders.length === 0) {
    console.log('SKIPPED: no folder of PyPI wheels on this machine (/opt/pypi/files, /opt/pypi-more/files; or PIPETTE_PYPI_FILES).');
    return;
  }
  const house = linkReachableWheels(CASES.flat(), folders);
  const server = await startWheelhouseServer(house.dir);
  // The harness wants a fixture index; pip is pointed at the wheelhouse with --index-url.
  const fixture = await startIndexServer({ projects: [] });
  let trace: Traced[] = [];
  let t0 = 0;
  const tracingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input);
    const entry: Traced = { kind: kindOf(url, init), name: decodeURIComponent(url.replace(/^.*\/(simple\/)?/, '').replace(/\/$/, '')) || url, start: performance.now() - t0, end: 0, bytes: 0 };
    trace.push(entry);
    const response = await fetch(input, init);
    // The body is read by the caller: count it as it streams.
    const body = response.body;
    if (!body) {
      entry.end = performance.now() - t0;
      return response;
    }
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          entry.bytes += chunk.length;
          controller.enqueue(chunk);
        },
        flush() {
          entry.end = performance.now() - t0;
        },
      }),
    );
    return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
  const h = await PipHarness.create(fixture, { sourceOptions: { fetch: tracingFetch as typeof fetch } });
  try {
    const indexUrl = await server.through(SHAPE);
    console.log(`pip install${NO_COMPILE ? ' --no-compile' : ''} in Node Pyodide, ${describeShape(SHAPE)}, index: ${house.files} real wheels (src/cli/wheelhouse.ts), empty cache each run, ${RUNS} runs. Shared machine: times are noisy.`);
    for (const asked of CASES) {
      // As bench/micropip.bench.ts does: a project with no wheel on this machine (awscli) is left
      // out of its case, and the case says so.
      const requirements = asked.filter((r) => !house.missing.includes(r));
      const missing = asked.filter((r) => house.missing.includes(r));
      if (missing.length) console.log(`  ${missing.join(', ')}: no wheel on this machine, so case "${asked.join(' ')}" installs ${requirements.join(' ')} alone`);
      const source = createPackageSource({ indexUrls: [server.simpleUrl], pyodideLock: null, fetch: (i, n) => fetch(i, n), corsHint: false, cache: new MemoryStore() });
      const expected = await resolve({ requirements }, source, { environment: h.environment.markerEnvironment, pyodide: h.environment.lockInfo });
      if (expected.kind !== 'resolution') throw new Error(expected.explanation);
      const depth = dependencyDepth(expected.distributions);
      const wheelBytes = expected.distributions.reduce((s, d) => s + (d.file.size ?? 0), 0);
      const limit = depth * 2 * SHAPE.latencyMs + (SHAPE.bandwidthBitsPerSecond ? (wheelBytes * 8 * 1000) / SHAPE.bandwidthBitsPerSecond : 0);
      let lastOutput: { at: number; text: string }[] = [];
      const rows: { ms: number; resolved: number; firstWheel: number; lastWheelEnd: number; requests: number; bytes: number }[] = [];
      for (let run = 0; run < RUNS; run++) {
        await h.reset();
        await h.pip('cache', 'purge');
        trace = [];
        const stdout: { at: number; text: string }[] = [];
        t0 = performance.now();
        const ctx = h.context({ stdout: [], stderr: [] });
        const code = await runPip(['install', ...(TRACE ? ['-v'] : []), ...(NO_COMPILE ? ['--no-compile'] : []), '--index-url', indexUrl, ...requirements], {
          ...ctx,
          out: { ...ctx.out, stdout: (text) => stdout.push({ at: performance.now() - t0, text }), stderr: (text) => stdout.push({ at: performance.now() - t0, text }) },
        });
        const ms = performance.now() - t0;
        lastOutput = stdout;
        const all = stdout.map((l) => l.text).join('');
        if (code !== 0 || !/Successfully installed/.test(all)) throw new Error(`pip install ${requirements.join(' ')} failed:\n${all}`);
        const collecting = stdout.find((l) => l.text.startsWith('Collecting'))?.at ?? NaN;
        const wheels = trace.filter((t) => t.kind === 'wheel');
        rows.push({
          ms,
          resolved: collecting,
          firstWheel: Math.min(...wheels.map((w) => w.start)),
          lastWheelEnd: Math.max(...wheels.map((w) => w.end)),
          requests: trace.length,
          bytes: trace.reduce((s, t) => s + t.bytes, 0),
        });
        process.stderr.write(`  ${requirements.join(' ')} run ${run + 1}/${RUNS}: ${ms.toFixed(0)} ms\n`);
      }
      const m = (f: (r: (typeof rows)[number]) => number): string => median(rows.map(f)).toFixed(0);
      const walls = rows.map((r) => r.ms);
      console.log(`\n${requirements.join(' ')}: ${expected.distributions.length} distributions, ${(wheelBytes / 1e6).toFixed(2)} MB of wheels, depth ${depth}`);
      console.log(`  wall median ${m((r) => r.ms)} ms (min ${Math.min(...walls).toFixed(0)}, max ${Math.max(...walls).toFixed(0)}); physical limit ${limit.toFixed(0)} ms; median / limit = ${(median(walls) / limit).toFixed(2)}`);
      console.log(`  resolution printed at ${m((r) => r.resolved)} ms; wheels: first started ${m((r) => r.firstWheel)} ms, last ended ${m((r) => r.lastWheelEnd)} ms; ${rows.at(-1)!.requests} requests, ${(rows.at(-1)!.bytes / 1e6).toFixed(2)} MB`);
      if (TRACE) {
        console.log('  trace of the last run (ms from the command start):');
        for (const l of lastOutput) if (/^(Resolver: pinned|Collecting|Installing collected|Successfully installed)/.test(l.text)) console.log(`    ${l.at.toFixed(0).padStart(6)}           output   ${l.text.trim().slice(0, 60)}`);
        for (const t of [...trace].sort((a, b) => a.start - b.start)) {
          console.log(`    ${t.start.toFixed(0).padStart(6)} - ${t.end.toFixed(0).padStart(6)}  ${t.kind.padEnd(8)} ${t.name} (${t.bytes} B)`);
        }
      }
    }
  } finally {
    await server.close();
    await fixture.close();
    house.remove();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
