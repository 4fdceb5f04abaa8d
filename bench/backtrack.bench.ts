/**
 * What read-ahead costs when the resolver backtracks: wheel bytes the index sent for versions
 * the install did not take (decided, then discarded; or likely, then never decided), beside the
 * bytes of the wheels installed, on the fixture index with no latency and with 50 ms per
 * response (a decision is discarded a round trip or more after it was made; by then the
 * download has or has not begun):
 *
 *   npx tsx bench/backtrack.bench.ts
 *
 * pip, with PEP 658 metadata on the index (as here and on PyPI), downloads only the wheels it
 * installs; so does Pipette without conflicts (bench/micropip.bench.ts: bytes equal to
 * micropip's). micropip does not backtrack: this install fails there.
 */
import { startIndexServer } from '../test/fixtures/index-server';
import { PipHarness } from '../test/fixtures/pip-harness';
import { noise } from '../bench/synthetic';
import type { WheelSpec } from '../test/fixtures/wheel-builder';

const KB = 1024;
const big = (name: string, version: string, kb: number, requires: string[] = []): WheelSpec => ({ name, version, requires, files: { [`${name}/__init__.py`]: `X = "${noise(name.length * 31 + version.length, kb * KB)}"\n` } });
// app 3.0 needs lib>=2 (lib 2.0 is big); tool 1.0 needs lib<2: PubGrub decides app 3.0, reaches
// tool, finds the conflict, backtracks app to 2.0 (lib<2 allowed).
const projects: WheelSpec[] = [
  big('app', '3.0', 300, ['lib>=2']),
  big('app', '2.0', 300, ['lib>=1']),
  big('lib', '2.0', 800),
  big('lib', '1.0', 800),
  big('tool', '1.0', 100, ['lib<2', 'helper']),
  big('helper', '1.0', 100),
];
for (const latency of [0, 50]) {
  const server = await startIndexServer({ projects, faults: { latencyMs: latency } });
  const h = await PipHarness.create(server);
  server.requests.length = 0;
  const r = await h.pip('install', 'app', 'tool');
  const files = server.requests.filter((q) => q.path.includes('/files/') && !q.path.endsWith('.metadata'));
  const installed = new Set(/Successfully installed (.*)/.exec(r.stdout)?.[1]?.split(' ') ?? []);
  if (r.code !== 0 || installed.size !== 4) throw new Error(`install failed: ${r.stderr}`);
  const taken = (path: string): boolean => [...installed].some((d) => path.endsWith(`/${d}-py3-none-any.whl`));
  const sum = (qs: typeof files): number => qs.reduce((s, q) => s + q.bytes, 0) / KB;
  const spent = files.filter((q) => !taken(q.path));
  console.log(`latency ${latency} ms: installed ${[...installed].join(' ')}: ${sum(files.filter((q) => taken(q.path))).toFixed(0)} kB; ` +
    `spent on versions left: ${sum(spent).toFixed(0)} kB (${spent.map((q) => `${q.path.replace(/^.*\//, '')} ${(q.bytes / KB).toFixed(0)} kB`).join(', ')})`);
  await server.close();
}
process.exit(0);
