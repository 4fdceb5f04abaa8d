// PEP 508 throughput: requirements parsed per second and markers evaluated per second, over the
// conformance vectors (every requirement and marker row, in the Pyodide environment they ship).
// Run: npx tsx bench/pep508.bench.ts
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Marker, type MarkerEnvironment } from '../src/pep/marker';
import { Requirement } from '../src/pep/requirement';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(root, process.env.CONFORMANCE_DIR ?? '../shared/conformance');
const load = <T>(file: string): T => JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as T;

const requirementTexts = load<{ requirements: { requirement: string }[] }>('requirements.json').requirements.map(
  (r) => r.requirement,
);
const markerFile = load<{ environment: MarkerEnvironment; markers: { marker: string }[] }>('markers.json');
const env = markerFile.environment;
const markers = markerFile.markers.map((m) => Marker.parse(m.marker));
const extras = ['', 'socks', 'test'];

/** Run `round` until `seconds` have passed; return operations per second. */
function measure(seconds: number, opsPerRound: number, round: () => void): number {
  for (let i = 0; i < 3; i++) round(); // warm up the JIT
  const start = performance.now();
  let rounds = 0;
  while (performance.now() - start < seconds * 1000) {
    round();
    rounds++;
  }
  const elapsed = (performance.now() - start) / 1000;
  return (rounds * opsPerRound) / elapsed;
}

let sink = 0;

const parsed = measure(3, requirementTexts.length, () => {
  for (const text of requirementTexts) sink += Requirement.parse(text).name.length;
});

const markersParsed = measure(2, markerFile.markers.length, () => {
  for (const row of markerFile.markers) sink += Marker.parse(row.marker).toString().length;
});

const evaluated = measure(3, markers.length * extras.length, () => {
  for (const marker of markers) {
    for (const extra of extras) {
      try {
        sink += marker.evaluate(env, extra) ? 1 : 0;
      } catch {
        sink += 2; // UndefinedComparison / UndefinedEnvironmentName rows are part of the load
      }
    }
  }
});

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`requirements parsed:  ${fmt(parsed)}/s  (${requirementTexts.length} conformance strings)`);
console.log(`markers parsed+printed: ${fmt(markersParsed)}/s  (${markerFile.markers.length} markers)`);
console.log(`markers evaluated:    ${fmt(evaluated)}/s  (${markers.length} markers x ${extras.length} extras)`);
if (sink === 0) console.log('(no work done?)');
