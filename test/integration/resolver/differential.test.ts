/**
 * Pipette against real pip (24.2, Python 3.13) on the PyPI wheels of this machine, through our
 * wheelhouse server: an even sample of 40 of the projects that have a pure-Python wheel, and 20
 * of the `name[extra]` requests those projects declare. Every request must land in a class that
 * is not a difference (see test/fixtures/differential.ts); `npm run bench` runs all of them
 * (bench/differential.bench.ts) and prints the counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareAll,
  countByClass,
  describeDifference,
  Differential,
  extraRequests,
  pipMarkerEnvironment,
  pureProjects,
  sample,
  startPypiIndexes,
  type PypiIndexes,
} from '../../fixtures/differential';

let indexes: PypiIndexes;
let diff: Differential;
const projects = sample(pureProjects(), 40);

beforeAll(async () => {
  indexes = await startPypiIndexes();
  diff = new Differential(indexes, await pipMarkerEnvironment());
});
afterAll(async () => {
  diff?.close();
  await indexes?.close();
});

describe('Pipette and pip on the same index', () => {
  it('has about 620 projects with a pure wheel to compare', () => {
    expect(pureProjects().length).toBeGreaterThan(600);
  });

  it('resolves 40 of them as pip does, but for what platform markers and wasm-less dependencies explain', { timeout: 900_000 }, async () => {
    const results = await compareAll(diff, projects, 2);
    const counts = countByClass(results);
    console.log(`differential sample, projects: ${JSON.stringify(counts)}`);
    expect(results.filter((r) => r.cls === 'differ').map(describeDifference)).toEqual([]);
    expect(results.filter((r) => r.extraWarnings.length > 0).map((r) => r.request)).toEqual([]);
    // The sample is not all failures: most resolve, exactly as pip resolves them.
    expect(counts.same).toBeGreaterThanOrEqual(20);
  });

  it('resolves 20 of their name[extra] requests as pip does, with no false "does not provide the extra"', { timeout: 900_000 }, async () => {
    const requests = sample(extraRequests(projects), 20);
    const results = await compareAll(diff, requests, 2);
    console.log(`differential sample, extras: ${JSON.stringify(countByClass(results))}`);
    expect(results.filter((r) => r.cls === 'differ').map(describeDifference)).toEqual([]);
    expect(results.filter((r) => r.extraWarnings.length > 0).map((r) => r.request)).toEqual([]);
  });
});
