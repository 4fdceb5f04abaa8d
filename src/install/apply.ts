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

export interface ApplyOptions {
  /** The bytes of every file the plan installs (wheels and shared libraries), by record URL. */
  readonly wheels: ReadonlyMap<string, Uint8Array>;
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

/** Makes the environment what `plan` says; throws (after putting everything back) on the first failure. */
export async function applyPlan(target: ApplyTarget, plan: InstallPlan, options: ApplyOptions): Promise<ApplyResult> {
  const own = options.journal === undefined;
  const journal = options.journal ?? new JournalFs(target.fs, (path) => path.startsWith(`${target.scheme.scripts}/`));
  const report = options.reporter ?? (() => {});
  const bytesOf = (record: LockRecord): Uint8Array => {
    const bytes = options.wheels.get(record.url);
    if (!bytes) throw new InstallError(InstallErrorCode.MissingWheel, record.filename, `${record.filename} was not fetched before installing ${record.name} ${record.version}; nothing was installed.`);
    return bytes;
  };
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
      options.signal?.throwIfAborted();
      report({ kind: 'installing', record, sharedLibrary: true });
      const files = installSharedLibrary(journal, target.dynlibDir ?? '/usr/lib', record, bytesOf(record));
      report({ kind: 'shared-library', record, files });
    }
    const replaced = new Map(plan.reinstalls.map((d) => [d.name, d]));
    for (const record of plan.install) {
      options.signal?.throwIfAborted();
      report({ kind: 'installing', record, sharedLibrary: false });
      const old = replaced.get(normalizeName(record.name));
      if (old) uninstalled.push(uninstall(old, record));
      const result = await installWheel(journal, target.scheme, record.filename, bytesOf(record), {
        expectedSha256: record.sha256,
        requested: record.requested,
        directUrl: directUrlOf(record),
        expectedMetadata: options.expectedMetadata?.(record) ?? null,
        compiler: options.compiles === undefined || options.compiles(record) ? (options.compiler ?? null) : null,
        ...(options.signal ? { signal: options.signal } : {}),
        prepared: options.staged?.get(record.url) ?? null,
      });
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

/** What the installer writes as direct_url.json (PEP 610) for `record`, or null. */
export function directUrlOf(record: LockRecord): { readonly url: string; readonly record: object } | null {
  const json = directUrlRecord(record);
  return json === null || record.directUrl === null ? null : { url: record.directUrl, record: json };
}
