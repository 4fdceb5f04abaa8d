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
 */
import { startIndexServer } from '../test/fixtures/index-server';
import { newStores, RuntimeHarness } from '../test/fixtures/runtime-harness';
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
} finally {
  await server.close();
}
process.exit(0);
