/**
 * How long a reload takes to rebuild an environment of 20 packages from its lock, in a real
 * Pyodide with a warm cache (the wheels in the cache store, as IndexedDB holds them in a tab):
 *
 *   npx tsx bench/runtime.bench.ts [--runs N] [--latency MS]
 *
 * First load: `pip install p00` (20 packages, the tree of bench/install.bench.ts) in a venv,
 * saved to a workspace store. Then N reloads, each a new Pyodide and RuntimeSession over the same
 * stores, timing `restore()`: files back, the venv laid out, 20 wheels read from the cache,
 * hash-checked and unpacked, the venv activated. Printed: Pyodide's start (for scale: after the
 * first, from the memory snapshot of Python's start-up, as a reload in the browser starts it:
 * test/fixtures/test-pyodide.ts) and restore, median of N, and the requests the index saw during
 * the restores (0 expected).
 */
import { performance } from 'node:perf_hooks';
import { startIndexServer } from '../test/fixtures/index-server';
import { newStores, RuntimeHarness } from '../test/fixtures/runtime-harness';
import { arg, median, syntheticTree } from './synthetic';

const PROJECTS = 20;
const RUNS = arg('--runs', 3);
const LATENCY_MS = arg('--latency', 5);

async function main(): Promise<void> {
  const server = await startIndexServer({ projects: syntheticTree({ projects: PROJECTS, extraEdge: 5, payload: [5_000, 35_000] }), faults: { latencyMs: LATENCY_MS } });
  const stores = newStores();
  try {
    const first = await RuntimeHarness.start(server, stores);
    await first.session.restore();
    await first.session.venv({ kind: 'create', argv: ['.venv'] });
    await first.session.venv({ kind: 'activate', path: '.venv' });
    const install = await first.pip(['install', 'p00']);
    if (install.code !== 0) throw new Error(`install failed: ${install.stderr}`);
    const freeze = await first.freeze();
    const count = freeze.trim().split('\n').length;

    const boots: number[] = [];
    const restores: number[] = [];
    server.resetRequests();
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now();
      const h = await RuntimeHarness.start(server, stores);
      const t1 = performance.now();
      const report = await h.session.restore();
      const t2 = performance.now();
      if (report.problems.length > 0 || report.distributions !== count) throw new Error(`restore incomplete: ${JSON.stringify(report)}`);
      if ((await h.freeze()) !== freeze) throw new Error('pip freeze differs after the restore');
      boots.push(t1 - t0);
      restores.push(t2 - t1);
    }
    const fmt = (ms: number): string => `${ms.toFixed(0)} ms`;
    process.stdout.write(`environment: ${count} packages in a venv (warm cache, ${RUNS} reloads, median)\n`);
    process.stdout.write(`  Pyodide start     ${fmt(median(boots))}  (from the snapshot of Python's start-up)\n`);
    process.stdout.write(`  restore from lock ${fmt(median(restores))}  (${(median(restores) / count).toFixed(1)} ms per package; runs: ${restores.map(fmt).join(', ')})\n`);
    process.stdout.write(`  index requests during the restores: ${server.requests.length}\n`);
  } finally {
    await server.close();
  }
}

await main();
