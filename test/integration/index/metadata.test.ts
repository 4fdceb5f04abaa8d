import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import type { DistributionFile } from '../../../src/pep';
import type { PipettePackageSource } from '../../../src/index/create-package-source';
import { IndexCache } from '../../../src/index/cache';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { harness, kinds, requestsTo } from './helpers';

const projects: WheelSpec[] = [
  {
    name: 'requests',
    version: '2.32.3',
    summary: 'Python HTTP for Humans.',
    requiresPython: '>=3.8',
    extras: ['socks', 'use-chardet-on-py3'],
    requires: [
      'charset-normalizer<4,>=2',
      'idna<4,>=2.5',
      'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
    ],
  },
  { name: 'broken-meta', version: '1.0', corrupt: 'metadata-mismatch' },
  { name: 'not-a-zip', version: '1.0', corrupt: 'not-zip' },
  { name: 'source-only', version: '1.0', sdistOnly: true },
];

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({ projects });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.resetRequests();
});

async function fileOf(source: PipettePackageSource, name: string, suffix = '.whl'): Promise<DistributionFile> {
  const answer = await source.getProject(normalizeName(name));
  if (answer.kind !== 'found') throw new Error(`${name} not found`);
  const file = answer.project.files.find((f) => f.filename.endsWith(suffix));
  if (!file) throw new Error(`${name}: no ${suffix}`);
  return file;
}

describe('metadata', () => {
  it('reads PEP 658 .metadata files without downloading the wheel', async () => {
    const { source } = harness(server);
    const file = await fileOf(source, 'requests');
    const metadata = await source.getMetadata(file);
    expect(metadata.name).toBe('requests');
    expect(metadata.version.toString()).toBe('2.32.3');
    expect(metadata.summary).toBe('Python HTTP for Humans.');
    expect(metadata.requiresPython?.toString()).toBe('>=3.8');
    expect(metadata.providesExtra).toEqual(['socks', 'use-chardet-on-py3']);
    expect(metadata.requiresDist.map((r) => r.toString())).toEqual([
      'charset-normalizer<4,>=2',
      'idna<4,>=2.5',
      'PySocks!=1.5.7,>=1.5.6; extra == "socks"',
    ]);
    const files = requestsTo(server, /^\/files\//);
    expect(files.map((r) => r.path)).toEqual([`/files/${encodeURIComponent(file.filename)}.metadata`]);
  });

  it('falls back to the wheel when the index serves no metadata file, and keeps the wheel', async () => {
    server.setFaults({ noCoreMetadata: true });
    const { source, store } = harness(server);
    const file = await fileOf(source, 'requests');
    expect(file.coreMetadata).toBe(false);
    const metadata = await source.getMetadata(file);
    expect(metadata.requiresDist).toHaveLength(3);
    expect(requestsTo(server, /^\/files\//).map((r) => r.path)).toEqual([`/files/${file.filename}`]);

    // The wheel is in the cache under its sha256: the installer gets it without a request.
    const sha = file.hashes['sha256']!;
    expect(await store.keys()).toContain(IndexCache.fileKey(sha, file.filename));
    server.resetRequests();
    const bytes = await source.getWheel(file);
    const built = server.dists.find((d) => d.filename === file.filename)!;
    expect(bytes).toEqual(built.bytes);
    expect(server.requests).toEqual([]);
  });

  it('falls back to the wheel when an advertised metadata file answers 404, with a warning', async () => {
    server.setFaults({ status: { match: /\.metadata$/, code: 404 } });
    const { source, events } = harness(server);
    const file = await fileOf(source, 'requests');
    const metadata = await source.getMetadata(file);
    expect(metadata.version.toString()).toBe('2.32.3');
    expect(requestsTo(server, /^\/files\//).map((r) => r.status)).toEqual([404, 200]);
    expect(kinds(events, 'warning')).toEqual([expect.objectContaining({ code: 'metadata-fallback' })]);
  });

  it('answers metadata from the cache in a new session with zero requests', async () => {
    const { source, store } = harness(server);
    const file = await fileOf(source, 'requests');
    await source.getMetadata(file);
    server.resetRequests();
    const { source: again } = harness(server, { store });
    const metadata = await again.getMetadata(file);
    expect(metadata.name).toBe('requests');
    expect(server.requests).toEqual([]);
  });

  it("refuses metadata whose version differs from the file name's, in pip's words", async () => {
    server.setFaults({ noCoreMetadata: true });
    const { source } = harness(server);
    const file = await fileOf(source, 'broken-meta');
    await expect(source.getMetadata(file)).rejects.toMatchObject({
      code: 'metadata-mismatch',
      message: expect.stringContaining(
        "Requested broken-meta from " + file.url + " has inconsistent version: expected '1.0', but metadata has '1.0.post999'",
      ),
    });
  });

  it("reports a wheel that is not a zip archive as pip's InvalidWheel, which ends the resolution as pip's does", async () => {
    server.setFaults({ noCoreMetadata: true });
    const { source } = harness(server);
    const file = await fileOf(source, 'not-a-zip');
    await expect(source.getMetadata(file)).rejects.toMatchObject({
      code: 'invalid-wheel',
      filename: file.filename,
      message: expect.stringContaining(`Wheel 'not-a-zip' located at ${file.url} is invalid. not_a_zip-1.0-py3-none-any.whl: it is not a readable zip archive`),
    });
  });

  it('refuses to read dependencies of an sdist', async () => {
    const { source } = harness(server);
    const file = await fileOf(source, 'source-only', '.tar.gz');
    await expect(source.getMetadata(file)).rejects.toMatchObject({ code: 'unsupported-file' });
    expect(requestsTo(server, /^\/files\//)).toEqual([]);
  });
});

describe('getWheel', () => {
  it('downloads once, verifies, and serves later calls from the cache', async () => {
    const { source, events } = harness(server);
    const file = await fileOf(source, 'requests');
    const built = server.dists.find((d) => d.filename === file.filename)!;
    const [a, b] = await Promise.all([source.getWheel(file), source.getWheel(file)]);
    expect(a).toEqual(built.bytes);
    expect(b).toEqual(built.bytes);
    // Two concurrent calls share one download.
    expect(requestsTo(server, /^\/files\//)).toHaveLength(1);
    const progress = kinds(events, 'progress').filter((e) => e.kind === 'progress' && e.url === file.url);
    expect(progress.at(-1)).toMatchObject({ loaded: built.bytes.length, total: built.bytes.length, done: true });
    await source.getWheel(file);
    expect(requestsTo(server, /^\/files\//)).toHaveLength(1);
  });
});
