/**
 * Pyodide's real lock file (node_modules/pyodide/pyodide-lock.json) as a candidate source, with
 * the base URL pointed at the local index, which serves one small fixture wheel for `affine`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import {
  BUNDLED_PYODIDE_VERSION,
  PyodideLockSource,
  pyodideCdnUrl,
  type PyodideLock,
} from '../../../src/index/pyodide-lock-source';
import type { DistributionFile } from '../../../src/index/package-source';
import type { PipettePackageSource } from '../../../src/index/create-package-source';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { buildWheel } from '../../fixtures/wheel-builder';
import { harness, kinds } from './helpers';

const require = createRequire(import.meta.url);
const lockPath = require.resolve('pyodide/pyodide-lock.json');
const realLock = JSON.parse(readFileSync(lockPath, 'utf8')) as PyodideLock;
const pyodidePackageJson = JSON.parse(readFileSync(require.resolve('pyodide/package.json'), 'utf8')) as { version: string };

// A stand-in for the real affine wheel, under the real file name.
const affine = buildWheel({ name: 'affine', version: '2.4.0' });

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({
    projects: [{ name: 'packaging', version: '99.0' }],
    pyodideFiles: { [affine.filename]: affine.bytes },
  });
});
afterAll(() => server.close());
beforeEach(() => server.resetRequests());

function lockOnly(lock: PyodideLock = realLock): ReturnType<typeof harness> {
  return harness(server, { noIndex: true, pyodideLock: { lock, baseUrl: server.pyodideUrl } });
}

async function lockFile(source: PipettePackageSource, name: string): Promise<DistributionFile> {
  const answer = await source.getProject(normalizeName(name));
  if (answer.kind !== 'found') throw new Error(`${name} not found`);
  const file = answer.project.files.find((f) => f.origin === 'pyodide-lock');
  if (!file) throw new Error(`${name}: no lock file`);
  return file;
}

describe('Pyodide lock entries as candidates', () => {
  it('offers a package with the URL, sha256 and facts of its lock entry', async () => {
    const { source } = lockOnly();
    const answer = await source.getProject(normalizeName('numpy'));
    if (answer.kind !== 'found') throw new Error('numpy not found');
    const entry = realLock.packages['numpy']!;
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
        pyodideLock: {
          name: 'numpy',
          version: entry.version,
          packageType: 'package',
          installDir: 'site',
          imports: entry.imports,
        },
      },
    ]);
    expect(answer.project.versions).toEqual([entry.version]);
    expect(server.requests).toEqual([]);
  });

  it('serves dependencies from `depends` without any request, by normalized name', async () => {
    const { source } = lockOnly();
    const file = await lockFile(source, 'jinja2');
    const metadata = await source.getMetadata(file);
    expect(metadata.name).toBe('jinja2');
    expect(metadata.version.toString()).toBe(realLock.packages['jinja2']!.version);
    expect(metadata.requiresDist.map((r) => r.normalizedName)).toEqual(['markupsafe']);
    expect(metadata.requiresPython).toBeNull();
    expect(server.requests).toEqual([]);
  });

  it('offers shared libraries (reached as dependencies) but not unvendored test suites', async () => {
    const { source } = lockOnly();
    const inspice = await source.getMetadata(await lockFile(source, 'inspice'));
    expect(inspice.requiresDist.map((r) => r.name)).toContain('libngspice');
    const lib = await lockFile(source, 'libngspice');
    expect(lib.filename).toBe(realLock.packages['libngspice']!.file_name);
    expect(lib.pyodideLock).toMatchObject({ packageType: 'shared_library', installDir: 'dynlib' });
    expect((await source.getMetadata(lib)).version.toString()).toBe(realLock.packages['libngspice']!.version);
    expect(await source.getProject(normalizeName('affine-tests'))).toMatchObject({ kind: 'not-found' });
  });

  it('reads every entry of the real lock: versions, dependencies, and which entries are offered', () => {
    const lock = new PyodideLockSource(realLock, { baseUrl: server.pyodideUrl });
    const entries = Object.values(realLock.packages);
    const offered = entries.filter(
      (e) => e.package_type === 'shared_library' || (e.package_type === 'package' && e.file_name.endsWith('.whl')),
    );
    expect(lock.names().sort()).toEqual(offered.map((e) => normalizeName(e.name)).sort());
    expect(entries.filter((e) => !offered.includes(e)).every((e) => e.name.endsWith('-tests'))).toBe(true);
    for (const entry of offered) {
      const [file] = lock.getFiles(entry.name);
      const metadata = lock.getMetadata(file!);
      expect(metadata.version.toString()).toBeTruthy();
      // Every dependency names an entry the lock offers.
      for (const requirement of metadata.requiresDist) {
        expect(lock.getFiles(requirement.name), `${entry.name} -> ${requirement.name}`).toHaveLength(1);
      }
    }
  });

  it('downloads a lock file and checks it against the lock sha256', async () => {
    // The real lock's digest is that of the real wheel: the fixture bytes must be refused.
    const real = lockOnly();
    const file = await lockFile(real.source, 'affine');
    await expect(real.source.getWheel(file)).rejects.toMatchObject({ code: 'hash-mismatch', filename: affine.filename });

    const patched: PyodideLock = {
      ...realLock,
      packages: { ...realLock.packages, affine: { ...realLock.packages['affine']!, sha256: affine.sha256 } },
    };
    const { source } = lockOnly(patched);
    const good = await lockFile(source, 'affine');
    expect(await source.getWheel(good)).toEqual(affine.bytes);
    expect(server.requests.map((r) => r.path)).toEqual([`/pyodide/${affine.filename}`, `/pyodide/${affine.filename}`]);
  });

  it('joins the candidates of the indexes without a dependency-confusion warning', async () => {
    const { source, events } = harness(server, { pyodideLock: { lock: realLock, baseUrl: server.pyodideUrl } });
    const answer = await source.getProject(normalizeName('packaging'));
    if (answer.kind !== 'found') throw new Error('packaging not found');
    expect(answer.project.files.map((f) => [f.origin, f.filename])).toEqual([
      ['index', 'packaging-99.0-py3-none-any.whl'],
      ['pyodide-lock', realLock.packages['packaging']!.file_name],
    ]);
    expect(answer.project.versions).toEqual(['99.0', realLock.packages['packaging']!.version]);
    expect(answer.project.warnings).toEqual([]);
    expect(kinds(events, 'warning')).toEqual([]);
  });

  it('defaults the base URL to the CDN folder of the bundled Pyodide', () => {
    expect(BUNDLED_PYODIDE_VERSION).toBe(pyodidePackageJson.version);
    const lock = new PyodideLockSource(realLock);
    expect(lock.baseUrl).toBe(`https://cdn.jsdelivr.net/pyodide/v${pyodidePackageJson.version}/full/`);
    expect(lock.baseUrl).toBe(pyodideCdnUrl());
    expect(lock.getFiles('numpy')[0]?.url).toBe(`${lock.baseUrl}${realLock.packages['numpy']!.file_name}`);
  });
});
