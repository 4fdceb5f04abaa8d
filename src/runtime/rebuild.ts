/**
 * Rebuilds an environment from its lock after a reload: the same wheels (by URL and sha256,
 * from the cache when it holds them: no index page is read, no resolution is run) installed the
 * way pip installed them, so that `pip freeze` and every `.dist-info` are as they were.
 *
 * The lock is applied as an install plan (src/install: the one door into an environment, with
 * its containment rules), all or nothing per environment: every file is read and hash-checked
 * before the first write, and the writes go through the plan's journal, rolled back whole if
 * one fails.
 */
import type { PipettePackageSource } from '../index';
import { applyPlan, listInstalled, lockKey, planInstall, sharedLibraryInstalled, type BytecodeCompiler, type FileSystem, type InstallPlan, type InstallScheme, type LockRecord } from '../install';
import { describeOsError, sha256, toHex, type DistributionFile } from '../pep';
import { shellQuote } from '../shell';

/** Where a lock's files come from: the cache first, then the network; built wheels from the cache only. */
export type LockFileSource = Pick<PipettePackageSource, 'getWheel' | 'cache'>;

export interface RebuildOptions {
  readonly fs: FileSystem;
  /** Where the wheels go (the environment's scheme). */
  readonly scheme: InstallScheme;
  readonly lock: readonly LockRecord[];
  /** The files: cache first, then the network. */
  readonly source: LockFileSource;
  /** Called after each distribution is in place. */
  readonly onInstalled?: (record: LockRecord) => void;
  readonly signal?: AbortSignal;
  /** Writes each wheel's bytecode as pip install did (from the cache when it holds it). */
  readonly compiler?: BytecodeCompiler | null;
  /** The records (lockKey) pip installed with `--no-compile`: no bytecode for them. */
  readonly withoutBytecode?: ReadonlySet<string>;
}

export type RebuildResult = { readonly kind: 'ok'; readonly installed: number } | { readonly kind: 'failed'; readonly message: string };

/** Installs every distribution of `lock` into `scheme`, all or nothing. */
export async function rebuildEnvironment(options: RebuildOptions): Promise<RebuildResult> {
  const { fs, scheme, lock } = options;
  return applyLock(fs, { scheme }, () => planInstall({ distributions: lock }, { installed: listInstalled(fs, scheme.purelib) }), options.source, options.signal, (record) => options.onInstalled?.(record), options.compiler ?? null, options.withoutBytecode);
}

/** Unpacks the shared libraries of Pyodide's lock that are not there yet, all or nothing. */
export async function rebuildSharedLibraries(fs: FileSystem, scheme: InstallScheme, dir: string, libraries: readonly LockRecord[], source: LockFileSource, signal?: AbortSignal): Promise<RebuildResult> {
  const present = new Set(libraries.filter((lib) => sharedLibraryInstalled(fs, dir, lib)).map((lib) => lockKey(lib.name, lib.version)));
  return applyLock(fs, { scheme, dynlibDir: dir }, () => planInstall({ distributions: [], sharedLibraries: libraries }, { installed: [], sharedLibraries: present }), source, signal);
}

/** Plans, reads every file (checked against the lock's sha256), then applies. */
async function applyLock(
  fs: FileSystem,
  target: { readonly scheme: InstallScheme; readonly dynlibDir?: string },
  plan: () => InstallPlan,
  source: LockFileSource,
  signal: AbortSignal | undefined,
  onInstalled?: (record: LockRecord) => void,
  compiler: BytecodeCompiler | null = null,
  withoutBytecode: ReadonlySet<string> = new Set(),
): Promise<RebuildResult> {
  let planned: InstallPlan;
  try {
    planned = plan();
  } catch (error) {
    return { kind: 'failed', message: describe(error) };
  }
  const read = await readLockFiles(fs, source, [...planned.sharedLibraries, ...planned.install], signal);
  if (read.kind === 'failed') return read;
  try {
    await applyPlan({ fs, ...target }, planned, {
      wheels: read.bytes,
      compiler,
      compiles: (record) => !withoutBytecode.has(lockKey(record.name, record.version)),
      ...(signal ? { signal } : {}),
      reporter: (event) => {
        if (event.kind === 'installed') onInstalled?.(event.record);
      },
    });
  } catch (error) {
    return { kind: 'failed', message: describe(error) };
  }
  return { kind: 'ok', installed: planned.install.length + planned.sharedLibraries.length };
}

/**
 * Every record's file, checked against the lock's sha256, before anything is written: from the
 * source (cache first), or for a wheel of the virtual filesystem (`pip install ./dist/x.whl`)
 * from its path.
 */
export async function readLockFiles(
  fs: FileSystem,
  source: LockFileSource,
  records: readonly LockRecord[],
  signal?: AbortSignal,
): Promise<{ kind: 'ok'; bytes: Map<string, Uint8Array> } | { kind: 'failed'; message: string; record: LockRecord; error: unknown }> {
  const results = await Promise.allSettled(records.map((record) => readFile(fs, source, record, signal)));
  const bytes = new Map<string, Uint8Array>();
  for (let i = 0; i < records.length; i++) {
    const result = results[i]!;
    const record = records[i]!;
    if (result.status === 'rejected') return { kind: 'failed', message: `Could not get ${record.filename} (${record.url}): ${describe(result.reason)}`, record, error: result.reason };
    bytes.set(record.url, result.value);
  }
  return { kind: 'ok', bytes };
}

async function readFile(fs: FileSystem, source: LockFileSource, record: LockRecord, signal?: AbortSignal): Promise<Uint8Array> {
  if (record.built !== undefined) return builtWheel(source, record);
  if (!record.url.startsWith('file:')) return source.getWheel(distributionFile(record), signal);
  const path = fileUrlToPath(record.url);
  const data = fs.readFile(path);
  if (data === null) throw new Error(`${path} is gone; put the wheel back or reinstall the package from an index`);
  const actual = toHex(await sha256(data));
  if (actual !== record.sha256) throw new Error(`${path} has changed since it was installed (sha256 ${actual}, the lock says ${record.sha256})`);
  return data;
}

/**
 * A wheel built in this tab (src/build): kept in the cache under its own sha256 when it was built
 * (pip's wheel cache); its record's URL is its source's (a folder, an sdist, a repository), which
 * holds no such wheel, so nothing is fetched. Gone from the cache, it is built again by installing
 * it again, and the message says how.
 */
async function builtWheel(source: Pick<PipettePackageSource, 'cache'>, record: LockRecord): Promise<Uint8Array> {
  const bytes = await source.cache.getFile(record.sha256, record.filename);
  if (bytes) return bytes;
  const built = record.built!;
  const again =
    built.kind === 'directory'
      ? `pip install ${built.editable ? '-e ' : ''}${shellQuote(fileUrlToPath(record.url))}`
      : record.directUrl !== null
        ? `pip install ${shellQuote(`${record.name} @ ${record.directUrl}`)}`
        : `pip install ${shellQuote(`${record.name}==${record.version}`)}`;
  throw new Error(`${record.filename} was built in this tab and is no longer in the cache; build it again with ${again}`);
}

/** The index file a lock record stands for: what the cache keys wheels by is its sha256 and name. */
export function distributionFile(record: LockRecord): DistributionFile {
  return {
    filename: record.filename,
    url: record.url,
    hashes: { sha256: record.sha256 },
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: record.index ?? '',
    origin: 'index',
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

export function describe(error: unknown): string {
  return describeOsError(error);
}
