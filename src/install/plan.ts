/**
 * What it takes to make an environment hold a lock: a pure plan, computed from the lock (the
 * records wanted) and the environment (what is installed), before anything is fetched or
 * written. After uv's `Planner::build` (`crates/uv-installer/src/plan.rs`): every wanted record
 * is either already `installed` (kept), or to install — its wheel `cached` or `remote` — in
 * which case an installed distribution of the same project is one of the `reinstalls`; and an
 * installed distribution the lock does not name is `extraneous` (removed only when the caller
 * makes the environment exactly the lock, as `pip sync` and uv's sync do).
 *
 * Every `pip install`, `pip sync`, share-link restore and rebuild after a reload goes through
 * this and apply.ts: one door into an environment, where the containment rules live.
 */
import { normalizeName, Version, type NormalizedName } from '../pep';
import { InstallError, InstallErrorCode } from './errors';
import type { InstalledDist } from './installed';
import { lockKey, lockRecordProblem, sameSource, type LockRecord } from './lock-record';

/** The environment as the planner sees it. */
export interface PlanEnvironment {
  /** The distributions installed now (listInstalled). */
  readonly installed: readonly InstalledDist[];
  /** What is known of their files (the environment's lock), by normalized name. */
  readonly records?: ReadonlyMap<NormalizedName, LockRecord>;
  /** Shared libraries already unpacked, by lockKey (`libopenblas==0.3.26`). */
  readonly sharedLibraries?: ReadonlySet<string>;
}

export interface PlanOptions {
  /**
   * When an installed distribution counts as the wanted record: `version` (pip's resolver:
   * the same version is kept), or `file` (a restore reproduces the files: the same version
   * from the same file, by sha256, and the same direct URL).
   */
  readonly match?: 'version' | 'file';
  /** Install even what is already there (`--force-reinstall`): every record, or these names. */
  readonly reinstall?: boolean | ReadonlySet<NormalizedName>;
  /** Remove what the lock does not name (uv's extraneous), except these projects. */
  readonly removeExtraneous?: boolean | { readonly keep: ReadonlySet<NormalizedName> };
  /** Whether a record's wheel is in the cache (its sha256 and file name). */
  readonly isCached?: (record: LockRecord) => boolean;
}

export interface InstallPlan {
  /** The records to install, in the lock's order (apply writes them in this order). */
  readonly install: readonly LockRecord[];
  /** The part of `install` whose wheels the cache holds. */
  readonly cached: readonly LockRecord[];
  /** The part of `install` whose wheels must be downloaded. */
  readonly remote: readonly LockRecord[];
  /** Installed distributions that already are what the lock wants: left alone. */
  readonly installed: readonly InstalledDist[];
  /** Installed distributions replaced by a record of `install` (upgrade, downgrade, another file). */
  readonly reinstalls: readonly InstalledDist[];
  /** Installed distributions the lock does not name, to remove. */
  readonly extraneous: readonly InstalledDist[];
  /** Shared libraries to unpack (from Pyodide's lock; not pip distributions). */
  readonly sharedLibraries: readonly LockRecord[];
}

/** The lock a plan is made from: the distributions, and the shared libraries they link against. */
export interface PlanLock {
  readonly distributions: readonly LockRecord[];
  readonly sharedLibraries?: readonly LockRecord[];
}

/**
 * Whether `dist` already is `record` (see {@link PlanOptions.match}). pip install uses the
 * `version` rule before it downloads anything, to print "Requirement already satisfied".
 */
export function satisfies(dist: InstalledDist, record: Pick<LockRecord, 'version' | 'sha256' | 'directUrl' | 'built'>, known: LockRecord | null, match: 'version' | 'file'): boolean {
  if (!sameVersion(dist, record.version)) return false;
  if (match === 'version') return true;
  if ((dist.directUrl ?? null) !== (record.directUrl ?? null)) return false;
  // A wheel built from a source is the same when its source is (an sdist's sha256, a commit): a
  // build elsewhere rarely gives the same wheel bytes. A folder is built again, as pip does.
  if (record.built !== undefined) return known?.built !== undefined && sameSource(known.built, record.built);
  return known !== null && known.sha256 === record.sha256;
}

/** PEP 440 equality: `1.0` is `1.0.0`. */
function sameVersion(dist: InstalledDist, version: string): boolean {
  try {
    return dist.metadata.version.equals(Version.parse(version));
  } catch {
    return false;
  }
}

/**
 * The plan that makes `environment` hold `lock`. Refuses (InstallError `invalid-lock`) a lock
 * whose records are not data (lock-record.ts) or that names one project twice.
 */
export function planInstall(lock: PlanLock, environment: PlanEnvironment, options: PlanOptions = {}): InstallPlan {
  const match = options.match ?? 'version';
  const seen = new Map<NormalizedName, LockRecord>();
  for (const record of [...lock.distributions, ...(lock.sharedLibraries ?? [])]) {
    const problem = lockRecordProblem(record);
    if (problem) throw new InstallError(InstallErrorCode.InvalidLock, record.name, `The lock entry for ${JSON.stringify(record.name)} cannot be installed: its ${problem}. Nothing was installed.`);
  }
  for (const record of lock.distributions) {
    const key = normalizeName(record.name);
    const other = seen.get(key);
    // uv: "Detected duplicate package in requirements".
    if (other) throw new InstallError(InstallErrorCode.InvalidLock, record.name, `The lock lists ${other.name} twice (${other.version} and ${record.version}); an environment holds one version of a project. Nothing was installed.`);
    seen.set(key, record);
  }
  const byName = new Map<NormalizedName, InstalledDist>(environment.installed.map((d) => [d.name, d]));
  const reinstallAll = options.reinstall === true;
  const reinstallSome = options.reinstall instanceof Set ? options.reinstall : null;

  const install: LockRecord[] = [];
  const installed: InstalledDist[] = [];
  const reinstalls: InstalledDist[] = [];
  for (const record of lock.distributions) {
    const name = normalizeName(record.name);
    const dist = byName.get(name);
    const forced = reinstallAll || (reinstallSome?.has(name) ?? false);
    if (dist) {
      if (!forced && satisfies(dist, record, environment.records?.get(name) ?? null, match)) {
        installed.push(dist);
        continue;
      }
      reinstalls.push(dist);
    }
    install.push(record);
  }

  const extraneous: InstalledDist[] = [];
  if (options.removeExtraneous) {
    const keep = typeof options.removeExtraneous === 'object' ? options.removeExtraneous.keep : new Set<NormalizedName>();
    for (const dist of environment.installed) if (!seen.has(dist.name) && !keep.has(dist.name)) extraneous.push(dist);
  }

  const sharedLibraries = (lock.sharedLibraries ?? []).filter(
    (lib) => reinstallAll || !(environment.sharedLibraries?.has(lockKey(lib.name, lib.version)) ?? false),
  );
  const isCached = options.isCached ?? (() => false);
  return {
    install,
    cached: install.filter((r) => isCached(r)),
    remote: install.filter((r) => !isCached(r)),
    installed,
    reinstalls,
    extraneous,
    sharedLibraries,
  };
}
