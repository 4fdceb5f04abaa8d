/**
 * METADATA through HTTP range requests (src/index/lazy-wheel.ts), against real wheels: the PyPI
 * wheels on this machine, served by the fixture index without PEP 658 files, and zips written
 * by Python's own zipfile for the shapes those do not show (ZIP64, a long archive comment).
 * Every answer must equal what the whole wheel holds.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Fetcher } from '../../../src/index/fetcher';
import { metadataFromBytes, metadataFromZip, readRemoteMetadata } from '../../../src/index/lazy-wheel';
import { rawZip } from '../hardening/hostile-wheels';
import { hostileZips } from '../hardening/hostile-zips';
import type { DistributionFile } from '../../../src/pep';
import { normalizeName } from '../../../src/pep/name';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { distFromFile, type BuiltDist } from '../../fixtures/wheel-builder';
import { harness } from './helpers';

const FILES = '/opt/pypi/files';
/** Twenty-four real pure wheels, small to large, picked evenly from the sorted listing. */
const real: BuiltDist[] = (() => {
  const names = readdirSync(FILES)
    .filter((f) => f.endsWith('-none-any.whl'))
    .sort((a, b) => statSync(join(FILES, a)).size - statSync(join(FILES, b)).size);
  const step = Math.floor(names.length / 24);
  return names.filter((_, i) => i % step === 0).slice(0, 24).map((f) => distFromFile(f, readFileSync(join(FILES, f))));
})();

const tmp = mkdtempSync(join(tmpdir(), 'pipette-lazy-'));
/** A wheel written by Python's zipfile with `options` (force_zip64, comment). */
function pythonWheel(name: string, options: { zip64?: boolean; comment?: number }): BuiltDist {
  const path = join(tmp, `${name}-1.0-py3-none-any.whl`);
  const script = [
    'import sys, zipfile',
    `z = zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED)`,
    `meta = "Metadata-Version: 2.1\\nName: ${name}\\nVersion: 1.0\\nRequires-Dist: six>=1.0\\n"`,
    `z.writestr("${name}/__init__.py", "x = 1\\n" * 20000)`,
    `z.writestr("${name}-1.0.dist-info/WHEEL", "Wheel-Version: 1.0\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n")`,
    `z.writestr("${name}-1.0.dist-info/RECORD", "")`,
    `with z.open("${name}-1.0.dist-info/METADATA", "w", force_zip64=${options.zip64 ? 'True' : 'False'}) as f: f.write(meta.encode())`,
    `z.comment = b"c" * ${options.comment ?? 0}`,
    'z.close()',
  ].join('\n');
  execFileSync('python3', ['-c', script, path]);
  return distFromFile(`${name}-1.0-py3-none-any.whl`, readFileSync(path));
}
const zip64 = pythonWheel('zipsixtyfour', { zip64: true });
const commented = pythonWheel('commented', { comment: 60_000 });

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({ projects: [], dists: [...real, zip64, commented], faults: { noCoreMetadata: true } });
});
afterAll(async () => {
  await server.close();
  rmSync(tmp, { recursive: true, force: true });
});

function whole(dist: BuiltDist): string {
  const entries = unzipSync(dist.bytes, { filter: (e) => /^[^/]+\.dist-info\/METADATA$/.test(e.name) });
  return strFromU8(Object.values(entries)[0]!);
}

function fileOf(dist: BuiltDist, size: number | null = dist.bytes.length): DistributionFile {
  return {
    filename: dist.filename,
    url: server.fileUrl(dist.filename),
    hashes: { sha256: dist.sha256 },
    size,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: server.simpleUrl,
    origin: 'index',
  };
}

const fetcher = (): Fetcher => new Fetcher({ fetch: globalThis.fetch, retries: 0 });

describe('METADATA through range requests', () => {
  it(`equals the whole wheel's METADATA for ${real.length} real wheels, sending a fraction of their bytes`, async () => {
    let sent = 0;
    let total = 0;
    for (const dist of real) {
      server.resetRequests();
      const result = await readRemoteMetadata(fetcher(), fileOf(dist));
      const bytes = server.requests.reduce((n, r) => n + r.bytes, 0);
      if (dist.bytes.length > 64 * 1024) {
        expect(result.kind, dist.filename).toBe('metadata');
        expect(server.requests.every((r) => r.status === 206), dist.filename).toBe(true);
      }
      const text = result.kind === 'unsupported' ? '' : result.kind === 'metadata' ? strFromU8(result.bytes) : whole({ ...dist, bytes: result.bytes });
      expect(text, dist.filename).toBe(whole(dist));
      sent += bytes;
      total += dist.bytes.length;
    }
    expect(sent).toBeLessThan(total / 4);
  });

  it('asks the size with a HEAD when the index declares none', async () => {
    const dist = real.at(-1)!;
    server.resetRequests();
    const result = await readRemoteMetadata(fetcher(), fileOf(dist, null));
    expect(result.kind).toBe('metadata');
    expect(server.requests[0]).toMatchObject({ method: 'HEAD', status: 200 });
  });

  it('reads a ZIP64 archive (written by Python with force_zip64)', async () => {
    const result = await readRemoteMetadata(fetcher(), fileOf(zip64));
    expect(result.kind).toBe('metadata');
    expect(result.kind === 'metadata' && strFromU8(result.bytes)).toBe(whole(zip64));
  });

  it('falls back to the download when the end of the archive is not in the last 32 KiB (a long zip comment)', async () => {
    const { source } = harness(server);
    const answer = await source.getProject(normalizeName('commented'));
    if (answer.kind !== 'found') throw new Error('commented not found');
    server.resetRequests();
    const metadata = await source.getMetadata(answer.project.files[0]!);
    expect(metadata.requiresDist.map(String)).toEqual(['six>=1.0']);
    expect(server.requests.some((r) => r.method === 'GET' && r.status === 200 && r.bytes === commented.bytes.length)).toBe(true);
  });

  it('takes the whole file when the server ignores Range, in one request', async () => {
    server.setFaults({ noCoreMetadata: true, noRange: true });
    try {
      const dist = real.at(-1)!;
      server.resetRequests();
      const result = await readRemoteMetadata(fetcher(), fileOf(dist));
      expect(result.kind).toBe('whole');
      expect(result.kind === 'whole' && result.bytes.length).toBe(dist.bytes.length);
      expect(server.requests.map((r) => r.status)).toEqual([200]);
    } finally {
      server.setFaults({ noCoreMetadata: true });
    }
  });

  for (const status of [405, 416, 403]) {
    it(`downloads the wheel when the server refuses HEAD and ranges with ${status}`, async () => {
      server.setFaults({ noCoreMetadata: true, refuseRanges: status });
      try {
        const dist = real.at(-1)!;
        expect(await readRemoteMetadata(fetcher(), fileOf(dist, null))).toMatchObject({ kind: 'unsupported' });
        expect(await readRemoteMetadata(fetcher(), fileOf(dist))).toMatchObject({ kind: 'unsupported' });
        const { source } = harness(server, { retries: 0 });
        const answer = await source.getProject(normalizeName(dist.spec.name));
        if (answer.kind !== 'found') throw new Error('not found');
        const metadata = await source.getMetadata(answer.project.files.find((f) => f.filename === dist.filename)!);
        expect(metadata.name).toBe(normalizeName(dist.spec.name));
      } finally {
        server.setFaults({ noCoreMetadata: true });
      }
    });
  }

  it('is what the package source does for an index without PEP 658 files: no wheel downloaded to resolve', async () => {
    const dist = real.at(-1)!;
    const { source } = harness(server);
    const name = normalizeName(dist.spec.name);
    const answer = await source.getProject(name);
    if (answer.kind !== 'found') throw new Error(`${name} not found`);
    server.resetRequests();
    const metadata = await source.getMetadata(answer.project.files.find((f) => f.filename === dist.filename)!);
    expect(metadata.name).toBe(name);
    expect(server.requests.filter((r) => r.status === 200)).toEqual([]);
  });

  it('reads every hostile zip (hardening/hostile-zips.ts) through ranges as from the whole file, whatever tail comes first', async () => {
    const outcome = async (f: () => Promise<Uint8Array> | Uint8Array): Promise<string> => {
      try {
        return `metadata: ${strFromU8(await f())}`;
      } catch (error) {
        return `refused: ${(error as Error).message}`;
      }
    };
    for (const c of hostileZips()) {
      const bytes = c.dist.bytes;
      const file = { filename: c.dist.filename, url: `https://example.invalid/${c.dist.filename}` };
      const whole = await outcome(() => metadataFromBytes(bytes, file));
      for (const tail of [22, 40, 100, 300, bytes.length]) {
        const asked: Array<[number, number]> = [];
        const read = async (start: number, end: number): Promise<Uint8Array> => {
          asked.push([start, end]);
          return bytes.subarray(start, end);
        };
        expect(await outcome(() => metadataFromZip(file, bytes.length, read, tail)), `${c.project}, a first tail of ${tail} bytes`).toBe(whole);
        expect(asked.length, c.project).toBeLessThanOrEqual(6);
      }
    }
  });

  it("reads a METADATA whose local header names more bytes than first fetched, and refuses it as zipfile does, in a bounded number of reads", { timeout: 10_000 }, async () => {
    const enc = new TextEncoder();
    const bytes = rawZip([
      { path: 'longlocal/__init__.py', data: enc.encode('x = 1\n'), method: 0 },
      { path: 'longlocal-1.0.dist-info/METADATA', localPath: `longlocal-1.0.dist-info/${'M'.repeat(5000)}`, data: enc.encode('Metadata-Version: 2.1\nName: longlocal\nVersion: 1.0\n') },
      { path: 'longlocal-1.0.dist-info/WHEEL', data: enc.encode('Wheel-Version: 1.0\n') },
      { path: 'longlocal-1.0.dist-info/RECORD', data: new Uint8Array(0) },
    ]);
    const file = { filename: 'longlocal-1.0-py3-none-any.whl', url: 'https://example.invalid/longlocal-1.0-py3-none-any.whl' };
    let reads = 0;
    const read = async (start: number, end: number): Promise<Uint8Array> => {
      if (++reads > 10) throw new Error('the reader keeps asking');
      return bytes.subarray(start, end);
    };
    await expect(metadataFromZip(file, bytes.length, read, 200)).rejects.toMatchObject({
      code: 'invalid-wheel',
      message: expect.stringContaining('the file name in its central directory, "longlocal-1.0.dist-info/METADATA", and in its local header'),
    });
  });
});
