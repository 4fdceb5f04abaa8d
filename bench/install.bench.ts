/**
 * How long `pip install` takes for a 20-package tree, end to end in a real Pyodide: resolve
 * against the fixture index on 127.0.0.1, download, verify, unpack into site-packages.
 *
 *   npx tsx bench/install.bench.ts [--latency MS] [--runs N]
 *
 * The tree: p00 ... p19, each with 2 versions, p_i depending on p_{2i+1}, p_{2i+2} and p_{i+5}
 * (every project reached from p00), wheels of 5-40 kB of incompressible payload, responses
 * delayed by a simulated latency (5 ms by default). Printed per run (median of N, 3 by default):
 * - cold: empty cache (`pip cache purge` first): every page, metadata file and wheel fetched;
 * - warm: the same cache, pages still fresh: no request at all, wheels from the cache;
 * plus the requests and bytes the index served, and the time to uninstall the 20 again.
 */
import { startIndexServer } from '../test/fixtures/index-server';
import { PipHarness } from '../test/fixtures/pip-harness';
import { arg, median, projectName, syntheticTree } from './synthetic';

const PROJECTS = 20;
const LATENCY_MS = arg('--latency', 5);
const RUNS = arg('--runs', 3);

async function main(): Promise<void> {
  const server = await startIndexServer({ projects: syntheticTree({ projects: PROJECTS, versions: ['1.0', '1.1'], extraEdge: 5, payload: [5_000, 35_000] }), faults: { latencyMs: LATENCY_MS } });
  const h = await PipHarness.create(server);
  const names = Array.from({ length: PROJECTS }, (_, i) => projectName(i));
  const rows: { run: string; ms: number; requests: number; kb: number }[] = [];

  const install = async (label: string): Promise<void> => {
    server.resetRequests();
    const t = performance.now();
    const r = await h.pip('install', '-q', 'p00');
    const ms = performance.now() - t;
    if (r.code !== 0) throw new Error(`pip install failed:\n${r.stderr}`);
    const installed = (await h.pip('freeze')).stdout.split('\n').filter(Boolean).length;
    if (installed !== PROJECTS) throw new Error(`expected ${PROJECTS} installed, got ${installed}`);
    const bytes = server.requests.reduce((n, q) => n + q.bytes, 0);
    rows.push({ run: label, ms, requests: server.requests.length, kb: bytes / 1000 });
  };
  const uninstallMs: number[] = [];
  const uninstall = async (): Promise<void> => {
    const t = performance.now();
    const r = await h.pip('uninstall', '-y', '-q', ...names);
    uninstallMs.push(performance.now() - t);
    if (r.code !== 0) throw new Error(r.stderr);
  };

  for (let i = 0; i < RUNS; i++) {
    await h.pip('cache', 'purge');
    await install('cold');
    await uninstall();
  }
  for (let i = 0; i < RUNS; i++) {
    await install('warm');
    await uninstall();
  }

  console.log(`pip install p00: ${PROJECTS} packages, latency ${LATENCY_MS} ms per response, median of ${RUNS} runs`);
  for (const label of ['cold', 'warm']) {
    const runs = rows.filter((r) => r.run === label);
    const m = median(runs.map((r) => r.ms));
    const sample = runs[0]!;
    console.log(`  ${label.padEnd(5)} ${m.toFixed(0).padStart(6)} ms   ${String(sample.requests).padStart(3)} requests   ${sample.kb.toFixed(0).padStart(5)} kB from the index   (runs: ${runs.map((r) => r.ms.toFixed(0)).join(', ')} ms)`);
  }
  console.log(`  uninstall of the ${PROJECTS}: ${median(uninstallMs).toFixed(0)} ms`);
  await server.close();
}

await main();
