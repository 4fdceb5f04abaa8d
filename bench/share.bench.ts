/**
 * Share links: how long the link is, and how long encoding and decoding take.
 *
 *   npx tsx bench/share.bench.ts [--runs N]
 *
 * Locks shaped like real ones (test/unit/share/sample-locks.ts: PyPI file URLs, whose path is a
 * blake2b digest, and a sha256 per wheel, both incompressible; one code file) of 20, 200 and
 * 1000 (the limit) packages. Printed per size: the v2 link's length next to the goal (issue 15:
 * 20 packages with their sha256 under 2,000 characters, what chat tools, LMSes and QR codes
 * keep), the same lock as a v1 link (JSON with the URLs), the compressed payload and how much of
 * it is the hashes alone (32 bytes each: no link can be shorter than that), and the median time
 * of N encodes and N decodes (20 by default) after a warm-up. Decode includes validation and
 * the trust warnings; a v2 restore then reads one index page per project to find the files.
 */
import { deflateRawSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { decodeShareLink, encodeShareLink, type EnvironmentLock } from '../src/share';
import { sampleLock } from '../test/unit/share/sample-locks';
import { reportGoal } from './goals';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const BASE = 'https://pipette.example/';
const GOAL_20 = 2000;

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

/** The lock as a v1 link (what Pipette wrote before v2): DEFLATE of its JSON, six fields per wheel. */
function v1Link(lock: EnvironmentLock): string {
  const json = JSON.stringify({ ...lock, distributions: lock.distributions.map(({ filename: _, ...d }) => d) });
  const payload = deflateRawSync(Buffer.from(json, 'utf8'));
  return `${BASE}#env=v1.${payload.toString('base64url')}.${createHash('sha256').update(payload).digest('hex').slice(0, 16)}`;
}

const n = (x: number): string => x.toLocaleString('en-US');
for (const size of [20, 200, 1000]) {
  const lock = sampleLock(size);
  const link = await encodeShareLink(lock, BASE);
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok') throw new Error(`the ${size}-package link was refused: ${decoded.reason}`);
  const v1 = v1Link(lock);
  if ((await decodeShareLink(v1)).kind !== 'ok') throw new Error(`the ${size}-package v1 link was refused`);
  const value = link.slice(link.indexOf('#env=v2.') + '#env=v2.'.length);
  const payload = Math.round((value.slice(0, value.lastIndexOf('.')).length * 3) / 4);
  const encodeMs = await time(() => encodeShareLink(lock, BASE));
  const decodeMs = await time(() => decodeShareLink(link));
  const goal = size === 20 ? ` (goal: under ${n(GOAL_20)}: ${link.length < GOAL_20 ? 'met' : 'NOT met'})` : '';
  console.log(
    `share link, ${String(size).padStart(4)} packages: ${n(link.length)} characters${goal}; v1 link ${n(v1.length)}; ` +
      `${n(payload)} B compressed, of which ${n(size * 32)} B are the sha256s (${Math.round(link.length / size)} chars/package); ` +
      `encode ${encodeMs.toFixed(2)} ms, decode ${decodeMs.toFixed(2)} ms (median of ${RUNS})`,
  );
  if (size === 20) reportGoal({ issue: '15.5', figure: 'share link, 20 pins with sha256', measured: link.length, comparison: '<', goal: GOAL_20, unit: 'characters' });
}

// The same 20 wheels plus three packages built from source (issue 12): a folder of the home
// folder (`pip install -e .`), an sdist-only release (its sha256), a GitHub repository (its
// commit and folder): what each adds to the link.
{
  const lock = sampleLock(20);
  const hex = (seed: string, digits: number): string => createHash('sha256').update(seed).digest('hex').slice(0, digits);
  const built: EnvironmentLock = {
    ...lock,
    builds: [
      { kind: 'directory', name: 'hello', version: '0.1', requested: true, path: 'hello', editable: true },
      { kind: 'sdist', name: 'sdonly', version: '1.0', requested: true, filename: 'sdonly-1.0.tar.gz', url: null, sha256: hex('sdonly', 64), index: lock.indexes[0]! },
      { kind: 'git', name: 'sub-pkg', version: '0.7', requested: true, repository: 'https://github.com/pipette-demo/mono', commit: hex('commit', 40), revision: 'main', subdirectory: 'pkgs/sub' },
    ],
  };
  const plain = await encodeShareLink(lock, BASE);
  const link = await encodeShareLink(built, BASE);
  const decoded = await decodeShareLink(link);
  if (decoded.kind !== 'ok' || decoded.lock.builds?.length !== 3) throw new Error('the link with builds was refused');
  console.log(`share link,   20 packages + 3 built from source (folder, sdist, git commit): ${n(link.length)} characters (${n(link.length - plain.length)} more than without them)`);
}
