/**
 * Applies an install plan (plan.ts) to an environment, all or nothing: every write and removal
 * goes through one journal, rolled back whole when any step fails — a wheel that breaks a
 * containment rule, a hash that does not match, a full disk, Ctrl+C between two packages — so
 * the environment is then byte for byte what it was.
 *
 * Order, as pip and pip-sync do it: what the lock does not name goes first; then the shared
 * libraries the packages link against; then each record, the installed distribution it replaces
 * uninstalled right before it (pip's "Attempting uninstall"). REQUESTED is written at install
 * time from the record, never patched in afterwards.
 */
import { InstallError, InstallErrorCode } from './errors';
import type { FileSystem } from './fs';
import type { InstalledDist } from './installed';
import { Arrivals, unlessAborted } from './arrivals';
import { installWheel, type ExpectedMetadata, type InstalledDistribution, type StagedWheel } from './installer';
import { JournalFs } from './journal-fs';
import { directUrlRecord, type LockRecord } from './lock-record';
import type { InstallPlan } from './plan';
import type { InstallScheme } from './scheme';
import { installSharedLibrary } from './shared-library';
import { uninstallDistribution, type UninstallResult } from './uninstaller';
import { normalizeName } from '../pep';
import type { BytecodeCompiler } from './bytecode';

/** Where a plan is applied. */
export interface ApplyTarget {
  readonly fs: FileSystem;
  readonly scheme: InstallScheme;
  /** Where shared libraries are unpacked (Pyodide's DSO_DIR); default `/usr/lib`. */
  readonly dynlibDir?: string;
}

/** What apply is doing, for a reporter that prints it (pip's lines, a progress bar). */
export type ApplyEvent =
  /** A record's turn has come (its replaced distribution is uninstalled next, then it is installed). */
  | { readonly kind: 'installing'; readonly record: LockRecord; readonly sharedLibrary: boolean }
  | { readonly kind: 'uninstalling'; readonly dist: InstalledDist; readonly replacedBy: LockRecord | null }
  | { readonly kind: 'uninstalled'; readonly dist: InstalledDist; readonly result: UninstallResult; readonly replacedBy: LockRecord | null }
  | { readonly kind: 'shared-library'; readonly record: LockRecord; readonly files: readonly string[] }
  | { readonly kind: 'installed'; readonly record: LockRecord; readonly result: InstalledDistribution };

/** A wheel whose download was still running when the plan was given: its bytes, and what staging made of them. */
export interface ArrivingWheel {
  readonly bytes: Uint8Array;
  readonly staged: StagedWheel | null;
}

export interface ApplyOptions {
  /** The bytes of every file the plan installs (wheels and shared libraries), by record URL. */
  readonly wheels: ReadonlyMap<string, Uint8Array>;
  /**
   * Wheels still downloading, by record URL (those not in `wheels`): each is written once its
   * bytes are in, so the writing overlaps the downloads and only the last wheel's own work is
   * left after its last byte. A download that fails or is cancelled rejects its promise: what
   * was written is rolled back and that failure is thrown.
   */
  readonly arriving?: ReadonlyMap<string, Promise<ArrivingWheel>>;
  /** Lets the host run other work between two wheels written while downloads still run (the downloads' own reading). */
  readonly pause?: () => Promise<void>;
  readonly reporter?: (event: ApplyEvent) => void;
  /** Checked between two packages: Ctrl+C puts back what the first ones changed. */
  readonly signal?: AbortSignal;
  /**
   * The journal of a larger all-or-nothing change (`pip sync`'s): apply writes through it and
   * leaves commit or rollback to the caller. Without it apply keeps a journal of its own.
   */
  readonly journal?: JournalFs;
  /** What the resolver read elsewhere about a record's dependencies (PEP 658 `.metadata`), to be checked against the wheel. */
  readonly expectedMetadata?: (record: LockRecord) => ExpectedMetadata | null;
  /** Compiles each wheel's modules to bytecode, written with its files (pip's default); none: `--no-compile`. */
  readonly compiler?: BytecodeCompiler | null;
  /** Which records the compiler is for (default: all); the rebuild leaves out those pip installed with `--no-compile`. */
  readonly compiles?: (record: LockRecord) => boolean;
  /** Wheels staged while they were downloaded (stageWheel), by record URL: their hash and archive are not redone. */
  readonly staged?: ReadonlyMap<string, StagedWheel>;
}

export interface ApplyResult {
  readonly installed: readonly InstalledDistribution[];
  readonly uninstalled: readonly UninstallResult[];
  readonly sharedLibraries: readonly LockRecord[];
}

/**
 * Makes the environment what `plan` says; throws (after putting everything back) on the first
 * failure. The result is always that of writing the plan in its order: with wheels still
 * `arriving`, a plan that removes nothing writes each wheel as it comes (applyAsArriving), and
 * falls back to the plan's order (after putting everything back) whenever the two could differ.
 */
export async function applyPlan(target: ApplyTarget, plan: InstallPlan, options: ApplyOptions): Promise<ApplyResult> {
  // Giving up puts back the whole journal: only one that holds nothing else yet.
  const fresh = options.journal === undefined || options.journal.touched().length === 0;
  if (options.arriving && options.arriving.size > 0 && fresh && plan.extraneous.length === 0 && plan.reinstalls.length === 0) {
    const applied = await applyAsArriving(target, plan, options, options.arriving);
    if (applied !== null) return applied;
  }
  return applyInOrder(target, plan, options);
}

/** A record's wheel: its bytes (awaited when still arriving) and its staging. */
async function wheelOf(options: ApplyOptions, record: LockRecord): Promise<ArrivingWheel> {
  const bytes = options.wheels.get(record.url);
  if (bytes) return { bytes, staged: options.staged?.get(record.url) ?? null };
  const arriving = options.arriving?.get(record.url);
  if (arriving) return unlessAborted(arriving, options.signal);
  throw new InstallError(InstallErrorCode.MissingWheel, record.filename, `${record.filename} was not fetched before installing ${record.name} ${record.version}; nothing was installed.`);
}

/** installWheel for one record of the plan, with the options every record shares. */
function installRecord(target: ApplyTarget, journal: JournalFs, options: ApplyOptions, record: LockRecord, wheel: ArrivingWheel): Promise<InstalledDistribution> {
  return installWheel(journal, target.scheme, record.filename, wheel.bytes, {
    expectedSha256: record.sha256,
    requested: record.requested,
    directUrl: directUrlOf(record),
    expectedMetadata: options.expectedMetadata?.(record) ?? null,
    compiler: options.compiles === undefined || options.compiles(record) ? (options.compiler ?? null) : null,
    ...(options.signal ? { signal: options.signal } : {}),
    prepared: wheel.staged,
  });
}

function journalFor(target: ApplyTarget): JournalFs {
  return new JournalFs(target.fs, (path) => path.startsWith(`${target.scheme.scripts}/`));
}

/** The plan in its order, each wheel awaited (when still arriving) before it is written. */
async function applyInOrder(target: ApplyTarget, plan: InstallPlan, options: ApplyOptions): Promise<ApplyResult> {
  const own = options.journal === undefined;
  const journal = options.journal ?? journalFor(target);
  const report = options.reporter ?? (() => {});
  const uninstall = (dist: InstalledDist, replacedBy: LockRecord | null): UninstallResult => {
    report({ kind: 'uninstalling', dist, replacedBy });
    const result = uninstallDistribution(journal, target.scheme, dist);
    report({ kind: 'uninstalled', dist, result, replacedBy });
    return result;
  };
  const installed: InstalledDistribution[] = [];
  const uninstalled: UninstallResult[] = [];
  try {
    for (const dist of plan.extraneous) {
      options.signal?.throwIfAborted();
      uninstalled.push(uninstall(dist, null));
    }
    for (const record of plan.sharedLibraries) {
      const { bytes } = await wheelOf(options, record);
      options.signal?.throwIfAborted();
      report({ kind: 'installing', record, sharedLibrary: true });
      const files = installSharedLibrary(journal, target.dynlibDir ?? '/usr/lib', record, bytes);
      report({ kind: 'shared-library', record, files });
    }
    const replaced = new Map(plan.reinstalls.map((d) => [d.name, d]));
    for (const record of plan.install) {
      const wheel = await wheelOf(options, record);
      options.signal?.throwIfAborted();
      report({ kind: 'installing', record, sharedLibrary: false });
      const old = replaced.get(normalizeName(record.name));
      if (old) uninstalled.push(uninstall(old, record));
      const result = await installRecord(target, journal, options, record, wheel);
      installed.push(result);
      report({ kind: 'installed', record, result });
    }
  } catch (error) {
    if (own) journal.rollback();
    throw error;
  }
  if (own) journal.commit();
  return { installed, uninstalled, sharedLibraries: plan.sharedLibraries };
}

/**
 * A plan that only adds (nothing uninstalled, a journal of its own or one still empty), its wheels written as their
 * bytes come in: the earliest of the plan's order whose bytes are in goes next, so a large wheel
 * still downloading does not hold back those already here. The environment must end as the
 * plan's order leaves it, so this gives up (everything put back: null, the caller applies the
 * plan in order) whenever the two could differ:
 * - two wheels write the same path and the later one of the plan was written first (the plan's
 *   order decides which file stays, as pip's installation order does);
 * - a wheel fails once a later one was written before it (it may fail because of that one; in
 *   the plan's order another wheel's error may come first).
 * A wheel failing with only earlier ones written fails as in the plan's order: rolled back,
 * thrown. A failed download (its promise rejects) or Ctrl+C: rolled back, thrown.
 * The reporter hears of each wheel in the plan's order, once the last one is written (or up
 * to the failing one), never of an attempt given up.
 */
async function applyAsArriving(target: ApplyTarget, plan: InstallPlan, options: ApplyOptions, arriving: ReadonlyMap<string, Promise<ArrivingWheel>>): Promise<ApplyResult | null> {
  const own = options.journal === undefined;
  const journal = options.journal ?? journalFor(target);
  const events: { readonly at: number; readonly event: ApplyEvent }[] = [];
  const report = (upTo: number): void => {
    const reporter = options.reporter;
    if (!reporter) return;
    for (const { event } of events.filter((e) => e.at <= upTo).sort((a, b) => a.at - b.at)) reporter(event);
  };
  const records = plan.install;
  const installed: InstalledDistribution[] = new Array<InstalledDistribution>(records.length);
  const written = records.map(() => false);
  /** Which record (its index in the plan) wrote each path. */
  const writers = new Map<string, number>();
  // Shared libraries come first, in order, as the plan says (none is downloaded ahead).
  const first = -1;
  try {
    for (const record of plan.sharedLibraries) {
      const { bytes } = await wheelOf(options, record);
      options.signal?.throwIfAborted();
      events.push({ at: first, event: { kind: 'installing', record, sharedLibrary: true } });
      const files = installSharedLibrary(journal, target.dynlibDir ?? '/usr/lib', record, bytes);
      events.push({ at: first, event: { kind: 'shared-library', record, files } });
    }
  } catch (error) {
    journal.rollback();
    report(first);
    throw error;
  }
  // Each record's wheel, as it arrives; one given in `wheels` is there at once. A wheel that is
  // missing altogether is an error in its turn, as in the plan's order.
  const arrivals = new Arrivals(
    records.map((record) => (options.wheels.has(record.url) || arriving.has(record.url) ? wheelOf(options, record) : Promise.resolve(null))),
    options.signal,
  );
  let latest = -1;
  for (let k = 0; k < records.length; k++) {
    let index: number;
    let wheel: ArrivingWheel | null;
    try {
      ({ index, value: wheel } = await arrivals.next());
      options.signal?.throwIfAborted();
    } catch (error) {
      journal.rollback();
      throw error;
    }
    const record = records[index]!;
    // In the plan's order so far: every earlier record written, no later one.
    const inOrder = written.slice(0, index).every(Boolean) && latest < index;
    try {
      events.push({ at: index, event: { kind: 'installing', record, sharedLibrary: false } });
      const result = await installRecord(target, journal, options, record, wheel ?? (await wheelOf(options, record)));
      installed[index] = result;
      written[index] = true;
      latest = Math.max(latest, index);
      events.push({ at: index, event: { kind: 'installed', record, result } });
      for (const path of result.files) {
        const by = writers.get(path);
        if (by !== undefined && by > index) {
          journal.rollback();
          return null;
        }
        writers.set(path, index);
      }
    } catch (error) {
      journal.rollback();
      if (!inOrder || options.signal?.aborted) {
        if (options.signal?.aborted) throw error;
        return null;
      }
      report(index);
      throw error;
    }
    if (k < records.length - 1 && options.pause) await options.pause();
  }
  if (own) journal.commit();
  report(records.length);
  return { installed, uninstalled: [], sharedLibraries: plan.sharedLibraries };
}

/** What the installer writes as direct_url.json (PEP 610) for `record`, or null. */
export function directUrlOf(record: LockRecord): { readonly url: string; readonly record: object } | null {
  const json = directUrlRecord(record);
  return json === null || record.directUrl === null ? null : { url: record.directUrl, record: json };
}
