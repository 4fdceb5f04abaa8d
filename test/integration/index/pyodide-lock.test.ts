/**
 * Pyodide's packages as a source (src/index/pyodide-distribution.ts, pyodide-lock-source.ts):
 * the real lock file (node_modules/pyodide/pyodide-lock.json) for what is offered, and a small
 * distribution folder made from it (test/fixtures/pyodide-distribution.ts: real entries, wheels
 * built under their real names) served by the fixture index under /pyodide/, for everything
 * that reads files: METADATA through range requests, the shared libraries the lock adds, the
 * fallbacks, the checks.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { BUNDLED_PYODIDE_VERSION, PyodideLockSource, pyodideCdnUrl, type PyodideLock } from '../../../src/index/pyodide-lock-source';
import type { DistributionFile } from '../../../src/pep';
import type { PipettePackageSource } from '../../../src/index/create-package-source';
import { MemoryStore } from '../../../src/index/memory-store';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { pyodideDistribution, REAL_LOCK } from '../../fixtures/pyodide-distribution';
import { harness, kinds } from './helpers';

const require = createRequire(import.meta.url);
const realLock = REAL_LOCK as unknown as PyodideLock;
const pyodidePackageJson = JSON.parse(readFileSync(require.resolve('pyodide/package.json'), 'utf8')) as { version: string };

// pyyaml and markupsafe from the real wheels on this machine; inspice (a pure wheel the lock
// offers because it needs the libngspice shared library) with a METADATA of our making.
const dist = pyodideDistribution([
  { name: 'pyyaml' },
  { name: 'markupsafe' },
  { name: 'inspice', spec: { requires: ['numpy>=1.20', 'pyyaml ; extra == "yaml"'], extras: ['yaml'] } },
]);
const distLock = dist.lock as unknown as PyodideLock;

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({
    projects: [{ name: 'packaging', version: '99.0' }],
    pyodideLock: dist.lock,
    pyodideFiles: Object.fromEntries(dist.files),
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.resetRequests();
});

/** Pyodide's packages only (no index); the folder on the fixture server unless told. */
function distributionOnly(options: { lock?: PyodideLock; store?: MemoryStore } = {}): ReturnType<typeof harness> {
  return harness(server, {
    indexUrls: [],
    pyodideLock: { lock: options.lock ?? realLock, baseUrl: server.pyodideUrl },
    ...(options.store ? { store: options.store } : {}),
  });
}

async function lockFile(source: PipettePackageSource, name: string): Promise<DistributionFile> {
  const answer = await source.getProject(normalizeName(name));
  if (answer.kind !== 'found') throw new Error(`${name} not found`);
  const file = answer.project.files.find((f) => f.origin === 'pyodide-lock');
  if (!file) throw new Error(`${name}: no lock file`);
  return file;
}

describe("what Pyodide's packages offer", () => {
  it('offers wasm builds, the pure wheels that need a shared library and the shared libraries; never the other pure wheels or test suites', () => {
    const lock = new PyodideLockSource(realLock);
    const entries = Object.values(realLock.packages);
    const libraries = new Set(entries.filter((e) => e.package_type === 'shared_library').map((e) => normalizeName(e.name)));
    const offered = entries.filter(
      (e) =>
        e.package_type === 'shared_library' ||
        (e.package_type === 'package' && e.file_name.endsWith('.whl') && (!e.file_name.endsWith('-none-any.whl') || (e.depends ?? []).some((d) => libraries.has(normalizeName(d))))),
    );
    expect(lock.names().sort()).toEqual(offered.map((e) => normalizeName(e.name)).sort());
    // The real 314.0.7 lock: 148 wasm builds, inspice, 11 shared libraries.
    expect(offered.length).toBe(160);
    expect(lock.getFiles('numpy')).toHaveLength(1);
    expect(lock.getFiles('six')).toEqual([]);
    expect(lock.getFiles('requests')).toEqual([]);
    expect(lock.getFiles('setuptools')).toEqual([]);
    expect(lock.getFiles('affine-tests')).toEqual([]);
    expect(lock.getFiles('inspice')[0]?.filename).toBe('inspice-1.7.0.5-py3-none-any.whl');
  });

  it('lists a wasm build with the URL, sha256 and facts of its lock entry, reading the lock of the folder in use', async () => {
    const { source } = distributionOnly();
    const answer = await source.getProject(normalizeName('PyYAML'));
    if (answer.kind !== 'found') throw new Error('pyyaml not found');
    const entry = distLock.packages['pyyaml']!;
    expect(answer.project.files).toEqual([
      {
        filename: entry.file_name,
        url: `${server.pyodideUrl}${entry.file_name}`,
        hashes: { sha256: entry.sha256 },
        size: null,
        requiresPython: null,
        yanked: false,
        uploadTime: null,
        coreMetadata: false,
        index: server.pyodideUrl,
        origin: 'pyodide-lock',
        pyodideLock: { name: entry.name, version: entry.version, packageType: 'package', installDir: 'site', imports: entry.imports },
      },
    ]);
    // The folder's own lock was read (it has no numpy), once.
    expect(await source.getProject(normalizeName('numpy'))).toMatchObject({ kind: 'not-found' });
    expect(server.requests.map((r) => r.path)).toEqual(['/pyodide/pyodide-lock.json']);
  });

  it('joins the candidates of the indexes, after them, without a dependency-confusion warning', async () => {
    const { source, events } = harness(server, { pyodideLock: { lock: distLock, baseUrl: server.pyodideUrl } });
    server.publish({ name: 'markupsafe', version: '3.0.3' });
    const answer = await source.getProject(normalizeName('markupsafe'));
    if (answer.kind !== 'found') throw new Error('markupsafe not found');
    expect(answer.project.files.map((f) => [f.origin, f.filename])).toEqual([
      ['index', 'markupsafe-3.0.3-py3-none-any.whl'],
      ['pyodide-lock', distLock.packages['markupsafe']!.file_name],
    ]);
    expect(answer.project.versions).toEqual(['3.0.3']);
    expect(answer.project.warnings).toEqual([]);
    expect(kinds(events, 'warning')).toEqual([]);
  });

  it('defaults to the CDN folder of the bundled Pyodide, described by the bundled lock (no request)', async () => {
    expect(BUNDLED_PYODIDE_VERSION).toBe(pyodidePackageJson.version);
    const lock = new PyodideLockSource(realLock);
    expect(lock.baseUrl).toBe(`https://cdn.jsdelivr.net/pyodide/v${pyodidePackageJson.version}/full/`);
    expect(lock.baseUrl).toBe(pyodideCdnUrl());
    const { source } = harness(server, { indexUrls: [], pyodideLock: { lock: realLock } });
    expect(source.pyodide?.url).toBe(pyodideCdnUrl());
    expect((await lockFile(source, 'numpy')).url).toBe(`${lock.baseUrl}${realLock.packages['numpy']!.file_name}`);
    expect(server.requests).toEqual([]);
  });

  it('is off with --pyodide-packages none and under --no-index, and then says what there would have been', async () => {
    for (const options of [{ pyodidePackages: 'none' }, { noIndex: true }, { pyodideLock: { lock: realLock, baseUrl: 'none' } }] as const) {
      const { source } = harness(server, { pyodideLock: { lock: realLock }, ...options });
      expect(source.pyodide?.enabled).toBe(false);
      const answer = await source.getProject(normalizeName('numpy'));
      expect(answer).toMatchObject({
        kind: 'found',
        project: { files: [], pyodideBuild: { version: realLock.packages['numpy']!.version, why: 'noIndex' in options ? 'no-index' : 'none' } },
      });
    }
    expect(server.requests.filter((r) => r.path.startsWith('/pyodide/'))).toEqual([]);
  });

  it('refuses a folder built for another Pyodide, saying which and what to point at', async () => {
    const other = { ...distLock, info: { ...distLock.info, abi_version: '2025_0', python: '3.13.2' } };
    const elsewhere = await startIndexServer({ projects: [], pyodideLock: other, pyodideFiles: Object.fromEntries(dist.files) });
    try {
      const { source } = harness(elsewhere, { indexUrls: [], pyodideLock: { lock: realLock, baseUrl: elsewhere.pyodideUrl } });
      await expect(source.getProject(normalizeName('pyyaml'))).rejects.toMatchObject({
        code: 'invalid-response',
        message: expect.stringContaining(`Pyodide's packages at ${elsewhere.pyodideUrl} are built for another Pyodide (ABI 2025_0, emscripten_5_0_3, Python 3.13.2)`),
      });
    } finally {
      await elsewhere.close();
    }
  });

  it('says plainly when the folder holds no pyodide-lock.json', async () => {
    const { source } = harness(server, { indexUrls: [], pyodideLock: { lock: realLock }, pyodidePackages: `${server.url}/nothing-here/` });
    await expect(source.getProject(normalizeName('pyyaml'))).rejects.toMatchObject({
      code: 'http-status',
      message: expect.stringContaining(`the host answered 404 for ${server.url}/nothing-here/pyodide-lock.json`),
    });
  });
});

describe("dependencies of Pyodide's builds: the wheel's own METADATA", () => {
  it('reads METADATA through range requests on the central directory, without downloading the wheel', async () => {
    const { source } = distributionOnly();
    const file = await lockFile(source, 'pyyaml');
    server.resetRequests();
    const metadata = await source.getMetadata(file);
    const real = dist.builds.get('pyyaml')!;
    expect(metadata.name).toBe('pyyaml');
    expect(metadata.version.toString()).toBe('6.0.3');
    expect(metadata.requiresPython?.toString()).toBe('>=3.8');
    expect(metadata.summary).toBe('YAML parser and emitter for Python');
    // A HEAD for the size (the lock gives none), the tail holding the central directory, the METADATA member.
    const requests = server.requests.map((r) => [r.method, r.status]);
    expect(requests[0]).toEqual(['HEAD', 200]);
    expect(requests.slice(1).every(([method, status]) => method === 'GET' && status === 206)).toBe(true);
    const sent = server.requests.reduce((n, r) => n + r.bytes, 0);
    expect(sent).toBeLessThan(real.bytes.length);
  });

  it("uses the METADATA's requirements and extras, not the lock's depends, adding only the shared libraries the lock names", async () => {
    const { source } = distributionOnly({ lock: distLock });
    const metadata = await source.getMetadata(await lockFile(source, 'inspice'));
    // The lock says numpy, matplotlib, pyyaml, cffi, diskcache, h5py, ply and libngspice.
    expect(metadata.requiresDist.map((r) => r.toString())).toEqual(['numpy>=1.20', 'pyyaml; extra == "yaml"', 'libngspice']);
    expect(metadata.providesExtra).toEqual(['yaml']);
    const lib = await lockFile(source, 'libngspice');
    expect(lib.pyodideLock).toMatchObject({ packageType: 'shared_library', installDir: 'dynlib' });
    expect((await source.getMetadata(lib)).version.toString()).toBe(distLock.packages['libngspice']!.version);
  });

  it('keeps what it read like PEP 658 metadata: a second source on the same cache asks nothing', async () => {
    const store = new MemoryStore();
    const first = distributionOnly({ lock: distLock, store });
    await first.source.getMetadata(await lockFile(first.source, 'markupsafe'));
    server.resetRequests();
    const second = distributionOnly({ lock: distLock, store });
    const metadata = await second.source.getMetadata(await lockFile(second.source, 'markupsafe'));
    expect(metadata.name).toBe('markupsafe');
    expect(server.requests.map((r) => r.path)).toEqual([]);
  });

  it('downloads the wheel when the server ignores Range, checks it against the lock and keeps it', async () => {
    server.setFaults({ noRange: true });
    const { source } = distributionOnly({ lock: distLock });
    const file = await lockFile(source, 'markupsafe');
    server.resetRequests();
    const metadata = await source.getMetadata(file);
    expect(metadata.version.toString()).toBe('3.0.3');
    const built = dist.builds.get('markupsafe')!;
    expect(server.requests.filter((r) => r.method === 'GET').map((r) => [r.status, r.bytes])).toEqual([[200, built.bytes.length]]);
    // Kept: installing it needs no second download.
    server.resetRequests();
    expect(await source.getWheel(file)).toEqual(built.bytes);
    expect(server.requests).toEqual([]);
  });

  it("checks a downloaded build against the lock's sha256", async () => {
    const tampered: PyodideLock = {
      ...distLock,
      packages: { ...distLock.packages, pyyaml: { ...distLock.packages['pyyaml']!, sha256: '0'.repeat(64) } },
    };
    const elsewhere = await startIndexServer({ projects: [], pyodideLock: tampered, pyodideFiles: Object.fromEntries(dist.files) });
    try {
      const { source } = harness(elsewhere, { indexUrls: [], pyodideLock: { lock: realLock, baseUrl: elsewhere.pyodideUrl } });
      const file = await lockFile(source, 'pyyaml');
      await expect(source.getWheel(file)).rejects.toMatchObject({ code: 'hash-mismatch', filename: file.filename });
    } finally {
      await elsewhere.close();
    }
  });

  it("says a build is needed from Pyodide's packages, and how to provide them, when they cannot be reached", async () => {
    // A lock whose file lives on a host that does not answer (an absolute file_name).
    const entry = distLock.packages['pyyaml']!;
    const away: PyodideLock = { ...distLock, packages: { pyyaml: { ...entry, file_name: `http://127.0.0.1:9/pyodide/${entry.file_name}` } } };
    const elsewhere = await startIndexServer({ projects: [], pyodideLock: away });
    try {
      const { source } = harness(elsewhere, { indexUrls: [], retries: 0, pyodideLock: { lock: realLock, baseUrl: elsewhere.pyodideUrl } });
      const file = await lockFile(source, 'pyyaml');
      const error = await source.getMetadata(file).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error?.code).toBe('network');
      expect(error?.message).toContain("pyyaml 6.0.3 installs here only as Pyodide's own build");
      expect(error?.message).toContain(`Pyodide's packages at ${elsewhere.pyodideUrl} could not be used: Could not connect to 127.0.0.1:9`);
      expect(error?.message).toContain('there is no network, or 127.0.0.1:9 did not answer');
      expect(error?.message).toContain('PYODIDE_PACKAGES=DIR npm start');
      expect(error?.message).toContain('--pyodide-packages URL');
    } finally {
      await elsewhere.close();
    }
  });
});
