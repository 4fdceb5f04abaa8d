/**
 * Pipette against real pip on the PyPI wheels of this machine (`npx tsx bench/differential.bench.ts`,
 * part of `npm run bench`; long: about half an hour). Every project with a pure-Python wheel,
 * then every `name[extra]` those projects declare, resolved by pip 24.2 (Python 3.13) and by
 * Pipette through our wheelhouse server; see test/fixtures/differential.ts for the classes.
 *
 * Prints the counts per class for projects and for extras, the false "does not provide the
 * extra" warnings, the time each tool took, and every difference; exits 1 when there is any
 * difference not explained by platform markers or by a dependency without a wasm-compatible
 * file. `DIFFERENTIAL_SAMPLE=N` runs an even sample of N projects instead;
 * `DIFFERENTIAL_PIP_CACHE=FILE` keeps pip's answers in FILE for the next run (timings then
 * count only the requests pip was asked).
 */
import {
  compareAll,
  countByClass,
  describeDifference,
  Differential,
  DIFF_CLASSES,
  extraRequests,
  pipMarkerEnvironment,
  pureProjects,
  sample,
  startPypiIndexes,
  type Compared,
} from '../test/fixtures/differential';

const PARALLEL = 2;

async function phase(diff: Differential, label: string, requests: readonly string[]): Promise<Compared[]> {
  const started = performance.now();
  const results = await compareAll(diff, requests, PARALLEL, (_c, done) => {
    if (done % 50 === 0) {
      process.stderr.write(`  ${label}: ${done}/${requests.length}\n`);
      diff.save();
    }
  });
  const counts = countByClass(results);
  const pipMs = results.reduce((n, r) => n + r.pipMs, 0);
  const pipetteMs = results.reduce((n, r) => n + r.pipetteMs, 0);
  const falseExtras = results.filter((r) => r.extraWarnings.length > 0);
  console.log(`${label}: ${requests.length} requests in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  for (const cls of DIFF_CLASSES) console.log(`  ${cls.padEnd(17)} ${counts[cls]}`);
  console.log(`  false "does not provide the extra" warnings: ${falseExtras.length}${falseExtras.length ? ` (${falseExtras.map((r) => r.request).join(', ')})` : ''}`);
  console.log(`  time: pip ${(pipMs / 1000).toFixed(0)} s (process included), Pipette ${(pipetteMs / 1000).toFixed(1)} s in process (${(pipetteMs / pipMs).toFixed(2)}x)`);
  for (const cls of ['platform-markers', 'no-wasm-file'] as const) {
    const names = results.filter((r) => r.cls === cls).map((r) => r.request);
    if (names.length > 0) console.log(`  ${cls}: ${names.slice(0, 60).join(', ')}${names.length > 60 ? `, and ${names.length - 60} more` : ''}`);
  }
  for (const r of results.filter((x) => x.cls === 'differ')) console.log(`  DIFFERS ${describeDifference(r)}`);
  return results;
}

async function main(): Promise<void> {
  const indexes = await startPypiIndexes();
  const diff = new Differential(indexes, await pipMarkerEnvironment(), process.env.DIFFERENTIAL_PIP_CACHE ?? null);
  try {
    const all = pureProjects();
    const n = Number(process.env.DIFFERENTIAL_SAMPLE ?? '0');
    const projects = n > 0 ? sample(all, n) : all;
    console.log(`differential: ${projects.length} of ${all.length} projects with a pure wheel, indexes ${indexes.indexUrls.join(' ')}`);
    const plain = await phase(diff, 'projects', projects);
    // The extras of a project that fails for both tools fail the same way: not asked again.
    const resolvable = plain.filter((r) => r.pip.ok || r.pipette.ok).map((r) => r.request);
    const skipped = extraRequests(projects.filter((p) => !resolvable.includes(p))).length;
    console.log(`extras: ${skipped} requests of projects both tools fail on are not asked again`);
    const extras = await phase(diff, 'extras', extraRequests(resolvable));
    const differ = [...plain, ...extras].filter((r) => r.cls === 'differ' || r.extraWarnings.length > 0).length;
    if (differ > 0) {
      console.log(`${differ} unexplained difference(s)`);
      process.exitCode = 1;
    }
  } finally {
    diff.save();
    diff.close();
    await indexes.close();
  }
}

await main();
