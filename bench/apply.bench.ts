/**
 * What the one install path costs (src/install: plan, then apply under the containment rules),
 * in a real Pyodide, for 20 and 200 packages:
 *
 *   npx tsx bench/apply.bench.ts [--runs N]
 *
 * - plan: planInstall of the lock against an environment holding every package (pure);
 * - apply: plan + applyPlan of the lock into an empty site-packages, the wheels already in
 *   memory (what a cached install pays after reading the cache): every write checked against
 *   the scheme and followed with lstat, through the journal; then the extraneous plan that
 *   removes them again (uninstall by RECORD, the same checks);
 * - rebuild after reload: a new Pyodide and session over the same stores, `restore()` rebuilds
 *   the base environment from its lock with every wheel in the cache (no index request);
 * - share restore: the environment's link restored into a fresh session whose cache holds the
 *   wheels (restoreShared: preview, plan, apply, files).
 * Each figure is the median of N runs (3 by default); the wheels are the synthetic projects of
 * bench/synthetic.ts (p000 ... p199, 1-4 kB of payload each, a console script every 10th).
 */
import { applyPlan, listInstalled, planInstall, type LockRecord } from '../src/install';
import { startIndexServer, type IndexServer } from '../test/fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../test/fixtures/runtime-harness';
import { buildWheel, type WheelSpec } from '../test/fixtures/wheel-builder';
import { arg, median, noise } from './synthetic';

const RUNS = arg('--runs', 3);
const SIZES = [20, 200];

const name = (i: number): string => `p${String(i).padStart(3, '0')}`;

/** n flat projects and `root` requiring them all. */
function specs(n: number): WheelSpec[] {
  const out: WheelSpec[] = [];
  for (let i = 0; i < n; i++) {
    out.push({
      name: name(i),
      version: '1.0',
      files: { [`${name(i)}/__init__.py`]: `DATA = "${noise(i + 1, 1000 + ((i * 7919) % 3000))}"\n`, [`${name(i)}/util.py`]: 'def f():\n    return 1\n' },
      ...(i % 10 === 0 ? { entryPoints: { console_scripts: { [`${name(i)}-cli`]: `${name(i)}:main` } } } : {}),
    });
  }
  out.push({ name: `root${n}`, version: '1.0', requires: out.map((s) => s.name) });
  return out;
}

function time<T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  return f().then((value) => ({ ms: performance.now() - t, value }));
}

async function planAndApply(n: number, index: IndexServer): Promise<{ plan: number; apply: number; uninstall: number; files: number }> {
  const h = await RuntimeHarness.start(index, newStores());
  const fs = h.session.fs;
  const scheme = h.session.environment.scheme;
  const built = specs(n).slice(0, n).map((s) => buildWheel(s));
  const records: LockRecord[] = built.map((w) => ({ name: w.spec.name, version: w.spec.version, filename: w.filename, url: index.fileUrl(w.filename), sha256: w.sha256, index: index.simpleUrl, requested: true, directUrl: null }));
  const wheels = new Map(built.map((w, i) => [records[i]!.url, w.bytes] as const));
  // What the session's environment holds before (Pipette's own pip distribution): kept, and not counted.
  const baseline = new Set(listInstalled(fs, scheme.purelib).map((d) => d.name));
  const applyMs: number[] = [];
  const uninstallMs: number[] = [];
  const planMs: number[] = [];
  let files = 0;
  for (let r = 0; r < RUNS; r++) {
    const applied = await time(async () => applyPlan({ fs, scheme }, planInstall({ distributions: records }, { installed: listInstalled(fs, scheme.purelib) }), { wheels }));
    applyMs.push(applied.ms);
    files = applied.value.installed.reduce((k, d) => k + d.files.length, 0);
    const installed = listInstalled(fs, scheme.purelib);
    if (installed.length !== baseline.size + n) throw new Error(`expected ${n} installed beside ${baseline.size}, got ${installed.length - baseline.size}`);
    const t = performance.now();
    for (let k = 0; k < 20; k++) planInstall({ distributions: records }, { installed });
    planMs.push((performance.now() - t) / 20);
    const removed = await time(async () => applyPlan({ fs, scheme }, planInstall({ distributions: [] }, { installed }, { removeExtraneous: { keep: baseline } }), { wheels: new Map() }));
    uninstallMs.push(removed.ms);
    if (listInstalled(fs, scheme.purelib).length !== baseline.size) throw new Error('the extraneous plan left packages behind');
  }
  return { plan: median(planMs), apply: median(applyMs), uninstall: median(uninstallMs), files };
}

async function rebuildAndRestore(n: number, index: IndexServer): Promise<{ rebuild: number; restore: number }> {
  const stores: SessionStores = newStores();
  const first = await RuntimeHarness.start(index, stores);
  const r = await first.pip(['install', '-q', `root${n}`]);
  if (r.code !== 0) throw new Error(r.stderr);
  const expected = await first.freeze();
  const { lock } = first.session.shareLock();
  const rebuildMs: number[] = [];
  const restoreMs: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const again = await RuntimeHarness.start(index, stores);
    index.resetRequests();
    const rebuilt = await time(() => again.session.restore());
    if (rebuilt.value.distributions !== n + 1 || rebuilt.value.problems.length > 0) throw new Error(`rebuild: ${JSON.stringify(rebuilt.value)}`);
    if ((await again.freeze()) !== expected) throw new Error('the rebuild is not the environment that was saved');
    if (index.requests.length !== 0) throw new Error(`the rebuild asked the index ${index.requests.length} times`);
    rebuildMs.push(rebuilt.ms);

    // A share link into a fresh session whose cache holds the wheels (the same cache store).
    const fresh = await RuntimeHarness.start(index, { cache: stores.cache, workspace: newStores().workspace });
    const restored = await time(() => fresh.session.restoreShared(lock, { stdout: () => {}, stderr: (t) => process.stderr.write(t) }));
    if (restored.value !== 0 || (await fresh.freeze()) !== expected) throw new Error('the share restore failed');
    restoreMs.push(restored.ms);
  }
  return { rebuild: median(rebuildMs), restore: median(restoreMs) };
}

async function main(): Promise<void> {
  const index = await startIndexServer({ projects: [...specs(20), ...specs(200).slice(20)] });
  console.log(`The install path (plan + apply in src/install), real Pyodide, median of ${RUNS} runs`);
  for (const n of SIZES) {
    const a = await planAndApply(n, index);
    const b = await rebuildAndRestore(n, index);
    console.log(`  ${String(n).padStart(3)} packages (${a.files} files)`);
    console.log(`    plan (pure, against ${n} installed)      ${a.plan.toFixed(2).padStart(8)} ms`);
    console.log(`    apply from memory (plan + apply)        ${a.apply.toFixed(0).padStart(8)} ms   ${((a.apply * 1000) / a.files).toFixed(0)} µs per file written`);
    console.log(`    uninstall them (extraneous plan)        ${a.uninstall.toFixed(0).padStart(8)} ms`);
    console.log(`    rebuild after reload (cache, 0 requests) ${b.rebuild.toFixed(0).padStart(7)} ms`);
    console.log(`    share-link restore (warm cache)         ${b.restore.toFixed(0).padStart(8)} ms`);
  }
  await index.close();
}

await main();
