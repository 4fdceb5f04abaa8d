/**
 * Rebuilds an environment from its lock after a reload: the same wheels (by URL and sha256,
 * from the cache when it holds them: no index page is read, no resolution is run) installed the
 * way pip installed them, so that `pip freeze` and every `.dist-info` are as they were.
 *
 * All or nothing per environment: every file is read and hash-checked before the first write,
 * and the writes go through pip's journal, rolled back whole if one fails.
 */
import type { DistributionFile, PipettePackageSource } from '../index';
import { installWheel, sha256, toHex, type InstallFs, type InstallScheme } from '../install';
import { installSharedLibrary, JournalFs, sharedLibraryInstalled } from '../pip';
import { describeOsError, normalizeName, Version } from '../pep';
import type { PinnedDistribution } from '../resolver';
import type { LockedDistribution } from './lock';

export interface RebuildOptions {
  readonly fs: InstallFs;
  /** Where the wheels go (the environment's scheme). */
  readonly scheme: InstallScheme;
  readonly lock: readonly LockedDistribution[];
  /** The files: cache first, then the network (only `getWheel` is used). */
  readonly source: Pick<PipettePackageSource, 'getWheel'>;
  /** Called after each distribution is in place. */
  readonly onInstalled?: (dist: LockedDistribution) => void;
  readonly signal?: AbortSignal;
}

export type RebuildResult = { readonly kind: 'ok'; readonly installed: number } | { readonly kind: 'failed'; readonly message: string };

/** Installs every distribution of `lock` into `scheme`, all or nothing. */
export async function rebuildEnvironment(options: RebuildOptions): Promise<RebuildResult> {
  const { fs, scheme, lock } = options;
  const read = await readAll(fs, options.source, lock, options.signal);
  if (read.kind === 'failed') return read;
  const journal = new JournalFs(fs, (path) => path.startsWith(`${scheme.scripts}/`));
  try {
    for (const dist of lock) {
      // As pip's installOne: the expected hash, REQUESTED, direct_url.json for direct references.
      await installWheel(journal, scheme, dist.filename, read.bytes.get(dist.url)!, {
        expectedSha256: dist.sha256,
        requested: dist.requested,
        directUrl: dist.directUrl !== null ? { url: dist.directUrl } : null,
      });
      options.onInstalled?.(dist);
    }
  } catch (error) {
    journal.rollback();
    return { kind: 'failed', message: describe(error) };
  }
  journal.commit();
  return { kind: 'ok', installed: lock.length };
}

/** Unpacks the shared libraries of Pyodide's lock that are not there yet, all or nothing. */
export async function rebuildSharedLibraries(fs: InstallFs, dir: string, libraries: readonly LockedDistribution[], source: Pick<PipettePackageSource, 'getWheel'>, signal?: AbortSignal): Promise<RebuildResult> {
  const missing = libraries.filter((lib) => !sharedLibraryInstalled(fs, dir, sharedLibraryPin(lib)));
  const read = await readAll(fs, source, missing, signal);
  if (read.kind === 'failed') return read;
  const journal = new JournalFs(fs);
  try {
    for (const lib of missing) installSharedLibrary(journal, dir, sharedLibraryPin(lib), read.bytes.get(lib.url)!);
  } catch (error) {
    journal.rollback();
    return { kind: 'failed', message: describe(error) };
  }
  journal.commit();
  return { kind: 'ok', installed: missing.length };
}

/** Every file's bytes, checked against the lock's sha256, before anything is written. */
async function readAll(fs: InstallFs, source: Pick<PipettePackageSource, 'getWheel'>, lock: readonly LockedDistribution[], signal?: AbortSignal): Promise<{ kind: 'ok'; bytes: Map<string, Uint8Array> } | { kind: 'failed'; message: string }> {
  const results = await Promise.allSettled(lock.map((dist) => readFile(fs, source, dist, signal)));
  const bytes = new Map<string, Uint8Array>();
  for (let i = 0; i < lock.length; i++) {
    const result = results[i]!;
    const dist = lock[i]!;
    if (result.status === 'rejected') return { kind: 'failed', message: `Could not get ${dist.filename} (${dist.url}): ${describe(result.reason)}` };
    bytes.set(dist.url, result.value);
  }
  return { kind: 'ok', bytes };
}

async function readFile(fs: InstallFs, source: Pick<PipettePackageSource, 'getWheel'>, dist: LockedDistribution, signal?: AbortSignal): Promise<Uint8Array> {
  if (!dist.url.startsWith('file:')) return source.getWheel(distributionFile(dist), signal);
  // A wheel installed from the virtual filesystem (`pip install ./dist/x.whl`): read it again.
  const path = fileUrlToPath(dist.url);
  const data = fs.readFile(path);
  if (data === null) throw new Error(`${path} is gone; put the wheel back or reinstall the package from an index`);
  const actual = toHex(await sha256(data));
  if (actual !== dist.sha256) throw new Error(`${path} has changed since it was installed (sha256 ${actual}, the lock says ${dist.sha256})`);
  return data;
}

/** The index file a lock entry stands for: what the cache keys wheels by is its sha256 and name. */
export function distributionFile(dist: LockedDistribution): DistributionFile {
  return {
    filename: dist.filename,
    url: dist.url,
    hashes: { sha256: dist.sha256 },
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: dist.index ?? '',
    origin: 'index',
  };
}

/** The pin pip's shared-library helpers take (they read its name, version and file name). */
export function sharedLibraryPin(lib: LockedDistribution): PinnedDistribution {
  return {
    name: normalizeName(lib.name),
    version: Version.parse(lib.version),
    file: distributionFile(lib),
    requested: false,
    extras: [],
    dependencies: [],
    directUrl: null,
    yanked: false,
  };
}

/** `/a/b c.whl` for `file:///a/b%20c.whl`. */
function fileUrlToPath(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .split(/[?#]/, 1)[0]!
    .split('/')
    .map((s) => decodeURIComponent(s))
    .join('/');
}

function describe(error: unknown): string {
  return describeOsError(error);
}
