/**
 * Share links: how long encoding and decoding take, and how long the link is.
 *
 *   npx tsx bench/share.bench.ts [--runs N]
 *
 * Locks shaped like real ones (test/unit/share/sample-locks.ts: PyPI file URLs, whose path is a
 * blake2b digest, and a sha256 per wheel, both incompressible; one code file) of 20, 200 and
 * 1000 (the limit) packages. Printed per size: the link's length, the compressed payload and
 * the JSON it unpacks to, and the median time of N encodes and N decodes (20 by default)
 * after a warm-up. Decode includes validation and the trust warnings.
 */
import { decodeShareLink, encodeShareLink } from '../src/share';
import { sampleLock } from '../test/unit/share/sample-locks';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const BASE = 'https://pipette.example/';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm up the JIT
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

for (const n of [20, 200, 1000]) {
  const lock = sampleLock(n);
  const link = await encodeShareLink(lock, BASE);
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok') throw new Error(`the ${n}-package link was refused: ${decoded.reason}`);
  const value = link.slice(link.indexOf('#env=v1.') + '#env=v1.'.length);
  const payload = value.slice(0, value.lastIndexOf('.'));
  const json = new TextEncoder().encode(JSON.stringify(lock)).byteLength;
  const encodeMs = await time(() => encodeShareLink(lock, BASE));
  const decodeMs = await time(() => decodeShareLink(link));
  console.log(
    `share link, ${String(n).padStart(4)} packages: ${link.length.toLocaleString('en-US')} characters ` +
      `(${Math.round((payload.length * 3) / 4).toLocaleString('en-US')} B compressed from ${json.toLocaleString('en-US')} B of JSON, ` +
      `${Math.round(link.length / n)} chars/package); encode ${encodeMs.toFixed(2)} ms, decode ${decodeMs.toFixed(2)} ms (median of ${RUNS})`,
  );
}
