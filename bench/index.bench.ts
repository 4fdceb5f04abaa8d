/**
 * How much src/index fetches to learn a dependency graph, and how much the cache saves.
 *
 *   npx tsx bench/index.bench.ts [--latency MS]
 *
 * A synthetic graph of 50 projects (3 versions each, wheels of 10-80 kB) is served by the
 * fixture index on 127.0.0.1 (with a simulated latency per response, 10 ms by default). The
 * closure of `p00` is walked naively, breadth first, taking the latest version of each project
 * and its Requires-Dist (NOT the real resolver, which does not exist yet). Printed per run:
 * requests, bytes fetched, bytes of the wheels that would be installed, wall time.
 *
 * Runs: cold (empty cache), warm (same store, pages still fresh: must make zero requests), warm
 * after 11 minutes (pages refetched, zero file requests), and the same three with the index not
 * serving PEP 658 `.metadata` files (so every wheel is downloaded to read its METADATA).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPackageSource, type PipettePackageSource } from '../src/index/create-package-source';
import { FsStore } from '../src/index/fs-store';
import { MemoryStore } from '../src/index/memory-store';
import type { CacheStore } from '../src/index/cache-store';
import type { DistributionFile } from '../src/pep';
import { normalizeName, type NormalizedName } from '../src/pep/name';
import { Version } from '../src/pep/version';
import { startIndexServer, type IndexServer } from '../test/fixtures/index-server';
import { syntheticTree } from './synthetic';

const PROJECTS = 50;
const latencyArg = process.argv.indexOf('--latency');
const LATENCY_MS = latencyArg > 0 ? Number(process.argv[latencyArg + 1]) : 10;

interface RunResult {
  label: string;
  requests: number;
  pageRequests: number;
  fileRequests: number;
  bytesFetched: number;
  installBytes: number;
  projects: number;
  ms: number;
}

/** The naive closure: BFS, each level in parallel, latest version's wheel of each project. */
async function walk(source: PipettePackageSource, root: string): Promise<DistributionFile[]> {
  const seen = new Set<NormalizedName>([normalizeName(root)]);
  let frontier: NormalizedName[] = [normalizeName(root)];
  const chosen: DistributionFile[] = [];
  while (frontier.length > 0) {
    const next: NormalizedName[] = [];
    await Promise.all(
      frontier.map(async (project) => {
        const answer = await source.getProject(project);
        if (answer.kind !== 'found') throw new Error(`${project} not found`);
        const wheels = answer.project.files.filter((f) => f.filename.endsWith('.whl') && f.yanked === false);
        const versionOf = (f: DistributionFile): Version => Version.parse(f.filename.split('-')[1]!);
        const latest = wheels.reduce((a, b) => (versionOf(b).compare(versionOf(a)) > 0 ? b : a));
        chosen.push(latest);
        const metadata = await source.getMetadata(latest);
        for (const requirement of metadata.requiresDist) {
          if (requirement.marker) continue;
          const dep = requirement.normalizedName;
          if (!seen.has(dep)) {
            seen.add(dep);
            next.push(dep);
          }
        }
      }),
    );
    frontier = next;
  }
  return chosen;
}

async function run(label: string, server: IndexServer, store: CacheStore, now: number): Promise<RunResult> {
  server.resetRequests();
  const source = createPackageSource({
    indexUrls: [server.simpleUrl],
    fetch: globalThis.fetch,
    cache: store,
    now: () => now,
  });
  const started = performance.now();
  const chosen = await walk(source, 'p00');
  const ms = performance.now() - started;
  const sizes = new Map(server.dists.map((d) => [d.filename, d.bytes.length]));
  return {
    label,
    requests: server.requests.length,
    pageRequests: server.requests.filter((r) => r.path.startsWith('/simple/')).length,
    fileRequests: server.requests.filter((r) => r.path.startsWith('/files/')).length,
    bytesFetched: server.requests.reduce((sum, r) => sum + r.bytes, 0),
    installBytes: chosen.reduce((sum, f) => sum + (sizes.get(f.filename) ?? 0), 0),
    projects: chosen.length,
    ms,
  };
}

function kB(n: number): string {
  return `${(n / 1024).toFixed(1)} kB`;
}

function print(results: RunResult[]): void {
  const rows = results.map((r) => [
    r.label,
    String(r.projects),
    String(r.requests),
    String(r.pageRequests),
    String(r.fileRequests),
    kB(r.bytesFetched),
    kB(r.installBytes),
    r.installBytes > 0 ? `${((100 * r.bytesFetched) / r.installBytes).toFixed(1)} %` : '-',
    `${r.ms.toFixed(0)} ms`,
  ]);
  const header = ['run', 'projects', 'requests', 'pages', 'files', 'fetched', 'wheels to install', 'fetched/wheels', 'time'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const specs = syntheticTree({ projects: PROJECTS, versions: ['1.0', '1.1', '2.0'], extraEdge: 7, payload: [10_000, 70_000], summary: true });
  const server = await startIndexServer({ projects: specs, faults: { latencyMs: LATENCY_MS } });
  const dir = await mkdtemp(join(tmpdir(), 'pipette-bench-index-'));
  const t0 = Date.UTC(2026, 0, 1);
  const results: RunResult[] = [];
  try {
    console.log(
      `index.bench: ${PROJECTS} projects x 3 versions, ${server.dists.length} wheels ` +
        `(${kB(server.dists.reduce((s, d) => s + d.bytes.length, 0))} in all), latency ${LATENCY_MS} ms per response\n`,
    );
    for (const metadataFiles of [true, false]) {
      server.setFaults({ latencyMs: LATENCY_MS, noCoreMetadata: !metadataFiles });
      const suffix = metadataFiles ? 'PEP 658 .metadata' : 'no .metadata (wheels)';
      const memory = new MemoryStore();
      results.push(await run(`cold, ${suffix}`, server, memory, t0));
      results.push(await run(`warm, fresh pages, ${suffix}`, server, memory, t0 + 60_000));
      results.push(await run(`warm, pages 11 min old, ${suffix}`, server, memory, t0 + 11 * 60_000));
      const fs = new FsStore(join(dir, metadataFiles ? 'meta' : 'wheels'));
      await run('(fill fs store)', server, fs, t0);
      results.push(await run(`warm from FsStore (new process), ${suffix}`, server, new FsStore(fs.root), t0 + 60_000));
    }
    print(results);
    const warm = results.filter((r) => r.label.startsWith('warm'));
    const failures = warm.filter((r) => r.fileRequests !== 0 || (r.label.includes('fresh') && r.requests !== 0));
    if (failures.length > 0) {
      console.error(`\nFAIL: warm runs made file requests: ${failures.map((f) => f.label).join('; ')}`);
      process.exitCode = 1;
    } else {
      console.log('\nwarm runs: zero file requests; fresh-page warm runs: zero requests.');
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
