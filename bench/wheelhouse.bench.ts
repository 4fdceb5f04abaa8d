/**
 * The classroom server (src/cli/wheelhouse.ts) with a big folder: how long a project page takes
 * with 1,051 and with 10,000 wheels, now that the listing is kept, against what a page cost when
 * every request re-listed and re-stat'ed the folder (forced here by touching the folder before
 * each request, so each one rescans: a stat per file, nothing re-read).
 *
 *   npx tsx bench/wheelhouse.bench.ts [--requests N]
 *
 * The wheels are small ones built by test/fixtures/wheel-builder.ts into a temporary folder
 * (4 versions of each project), deleted afterwards. Timed on the server: request in -> response
 * finished; the round trip through Node's fetch on 127.0.0.1 is printed beside it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Wheelhouse, wheelhouseMiddleware } from '../src/cli/wheelhouse';
import { SIMPLE_ACCEPT } from '../src/index';
import { buildWheel } from '../test/fixtures/wheel-builder';
import { arg, median } from './synthetic';
import { reportGoal } from './goals';

const REQUESTS = arg('--requests', 300);
const GOAL_MS = 2;
const VERSIONS = ['1.0', '1.1', '2.0', '2.1'];

const projectOf = (i: number): string => `classroom-${String(i).padStart(5, '0')}`;

function fill(dir: string, wheels: number): void {
  for (let i = 0; i < wheels; i++) {
    const wheel = buildWheel({ name: projectOf(Math.floor(i / VERSIONS.length)), version: VERSIONS[i % VERSIONS.length]!, requires: ['classroom-00000'] });
    writeFileSync(join(dir, wheel.filename), wheel.bytes);
  }
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}

interface Timing {
  server: number[];
  roundTrip: number[];
}

async function measure(wheels: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pipette-wheelhouse-bench-'));
  let server: Server | null = null;
  let house: Wheelhouse | null = null;
  try {
    let t0 = performance.now();
    fill(dir, wheels);
    const built = performance.now() - t0;
    // Last changed a minute ago: past the racy window, as a classroom folder is once copied.
    const aMinuteAgo = Date.now() / 1000 - 60;
    utimesSync(dir, aMinuteAgo, aMinuteAgo);
    t0 = performance.now();
    house = await Wheelhouse.open(dir);
    const opened = performance.now() - t0;

    const timing: Timing = { server: [], roundTrip: [] };
    const middleware = wheelhouseMiddleware(house);
    server = createServer((req, res) => {
      const start = performance.now();
      res.on('finish', () => timing.server.push(performance.now() - start));
      middleware(req, res, () => res.writeHead(404).end());
    });
    await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wheelhouse/simple/`;
    const projects = Math.floor(wheels / VERSIONS.length);
    const pages = async (n: number, before?: () => void): Promise<Timing> => {
      timing.server.length = 0;
      timing.roundTrip.length = 0;
      for (let i = 0; i < n; i++) {
        before?.();
        const s = performance.now();
        const res = await fetch(`${base}${projectOf((i * 7919) % projects)}/`, { headers: { Accept: SIMPLE_ACCEPT } });
        if (res.status !== 200) throw new Error(`page ${i}: HTTP ${res.status}`);
        await res.arrayBuffer();
        timing.roundTrip.push(performance.now() - s);
      }
      return { server: [...timing.server], roundTrip: [...timing.roundTrip] };
    };
    await pages(20); // warm-up: JIT, sockets
    const kept = await pages(REQUESTS);
    // Every request rescans: the folder's time moves before each one (what every request cost before).
    let tick = aMinuteAgo;
    const rescans = await pages(Math.min(REQUESTS, 40), () => {
      tick += 1;
      utimesSync(dir, tick, tick);
    });
    const root = await (async () => {
      utimesSync(dir, aMinuteAgo, aMinuteAgo);
      await house!.listing();
      const xs: number[] = [];
      for (let i = 0; i < 20; i++) {
        const s = performance.now();
        await (await fetch(base, { headers: { Accept: SIMPLE_ACCEPT } })).arrayBuffer();
        xs.push(performance.now() - s);
      }
      return xs;
    })();

    const ms = (x: number): string => `${x.toFixed(2).padStart(7)} ms`;
    const met = median(kept.server) <= GOAL_MS ? 'met' : 'NOT met';
    console.log(`\n${wheels.toLocaleString('en')} wheels (${Math.ceil(wheels / VERSIONS.length).toLocaleString('en')} projects, up to ${VERSIONS.length} versions each): built in ${(built / 1000).toFixed(1)} s, first read (every file opened, hashed, METADATA parsed) ${(opened / 1000).toFixed(1)} s`);
    console.log(`  project page, listing kept      server ${ms(median(kept.server))} median, ${ms(percentile(kept.server, 0.95))} p95; round trip ${ms(median(kept.roundTrip))} median   (${REQUESTS} pages)   goal <= ${GOAL_MS} ms${wheels >= 10_000 ? `: ${met}` : ''}`);
    if (wheels >= 10_000) reportGoal({ issue: '15.6', figure: `wheelhouse project page, ${wheels.toLocaleString('en')} wheels, server median`, measured: median(kept.server), goal: GOAL_MS, unit: 'ms' });
    console.log(`  project page, folder rescanned  server ${ms(median(rescans.server))} median, ${ms(percentile(rescans.server, 0.95))} p95; round trip ${ms(median(rescans.roundTrip))} median   (${rescans.server.length} pages; every page rescans the folder, as every page did before the listing was kept)`);
    console.log(`  root page (/simple/, all projects, JSON), listing kept: round trip ${ms(median(root))} median`);
  } finally {
    house?.close();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log('Wheelhouse server (src/cli/wheelhouse.ts) on 127.0.0.1, pages asked one after another. Machine shared with other work: times are noisy.');
  for (const wheels of [1_051, 10_000]) await measure(wheels);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
