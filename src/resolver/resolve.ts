// Over 400 lines: the public result types beside the one resolve() that builds them from the solver's run.
/**
 * `resolve()`: root requirements + a PackageSource + a target Pyodide -> pinned distributions,
 * or the explanation of why there are none. The PubGrub core (solver.ts) runs on
 * `VersionRange`s with the Python provider (provider.ts); this module turns the request into
 * their inputs and their outputs into the public result types.
 */
import {
  type DistributionFile,
  type MarkerEnvironment,
  normalizeName,
  type NormalizedName,
  VersionRange,
  Requirement,
  bestPlatform,
  supportedTags,
  type PyodideLockInfo,
  Version,
} from '../pep';
import type { Incompatibility } from './incompatibility';
import { packageKind, PYTHON_PACKAGE, type PythonPackage, ROOT_PACKAGE } from './python-package';
import { explainNoSolution, PythonFormatter, type Explanation, type PythonDerivationTree } from './python-report';
import { constraintFacts } from './constraints';
import { DecisionLog, type DecisionListener } from './decision-log';
import { type ProviderEvent, PythonProvider, ROOT_VERSION } from './provider';
import type { PackageSource } from './package-source';
import { ResolverError } from './resolver-error';
import { SolverLimitError } from './run-budget';
import { hostScheduler, type Scheduler } from './scheduler';
import { solve, type SolveResult, type SolverEvent } from './solver';
import type { UnavailableReason } from './unavailable';

/** What to resolve. */
export interface ResolveRequest {
  /** The root requirements (command line, `-r` files), parsed or as PEP 508 strings. */
  readonly requirements: readonly (Requirement | string)[];
  /**
   * Constraints (`-c` files): they limit the versions of projects that end up installed and
   * never add a project. Markers are honoured; extras and URLs are ignored.
   */
  readonly constraints?: readonly (Requirement | string)[];
  /**
   * Versions to keep while they still satisfy everything (installed or locked distributions):
   * pip's default `only-if-needed` upgrade strategy. See `upgrade` and `upgradePackages`.
   */
  readonly preferences?: readonly { readonly name: string; readonly version: Version | string }[];
}

export interface ResolveOptions {
  /** The PEP 508 marker environment of the target (the Pyodide runtime, or `--python-version`). */
  readonly environment: MarkerEnvironment;
  /**
   * The target Pyodide's lock `info` (`abi_version`, `platform`, `python`): which wheel tags
   * install, through `supportedTags`. Requires-Python is checked against the environment's
   * `python_full_version`.
   */
  readonly pyodide: PyodideLockInfo;
  /** `--pre`: consider pre-releases of every project. */
  readonly pre?: boolean;
  /** `--no-deps`: the root requirements only (Requires-Python still applies). */
  readonly noDeps?: boolean;
  /** `--upgrade`: ignore every preference. */
  readonly upgrade?: boolean;
  /** `--upgrade-package`: ignore the preferences of these projects. */
  readonly upgradePackages?: readonly string[];
  /** `--exclude-newer`: ignore files uploaded after this ISO 8601 time (or Date). */
  readonly excludeNewer?: string | Date;
  /** Fetch pending projects' pages and metadata ahead of need (default true). */
  readonly prefetch?: boolean;
  /**
   * Which files may be used per project (pip's `--no-binary` / `--only-binary`): with `sdists`,
   * a version with no installable wheel is a candidate through its sdist (built by the caller).
   * Absent: wheels only.
   */
  readonly formats?: (name: NormalizedName) => { readonly wheels: boolean; readonly sdists: boolean };
  /**
   * Checked at least every `sliceMs` of work (the resolver awaits the host then), and while
   * waiting for the source: an abort rejects with the signal's reason.
   */
  readonly signal?: AbortSignal;
  /** Progress and the decision log, in order (`pip install --dry-run -v`). Never throws into us. */
  readonly reporter?: (event: ResolverEvent) => void;
  /**
   * Told of each project's version (and the file that would be installed) as soon as it is
   * decided, and of each decision backtracking undoes: what lets a caller start downloading
   * wheels while the resolution goes on (decision-log.ts).
   */
  readonly decisions?: DecisionListener;
  /** The clock and the yield to the host (default: the host's, see scheduler.ts). */
  readonly scheduler?: Scheduler;
  /** Work between two yields to the host, in milliseconds (default 5). */
  readonly sliceMs?: number;
  /**
   * Rounds (one decision or rejection each) before giving up with `resolution-too-deep`
   * (default 200,000: pip's resolver's limit).
   */
  readonly maxRounds?: number;
  /** Milliseconds before giving up with `resolution-time-limit` (default 600,000: ten minutes). */
  readonly timeLimitMs?: number;
}

/** pip's limit on resolver rounds (pip `resolver.py`: `limit_how_complex_resolution_can_be`). */
export const MAX_ROUNDS = 200_000;
export const TIME_LIMIT_MS = 600_000;
/** uv's `CONFLICT_THRESHOLD`: conflicts before a package's place in the decision order moves. */
const CONFLICT_THRESHOLD = 5;

/** One line of the resolver's log. Packages read `foo`, `foo[extra]` or `Python`. */
export type ResolverEvent =
  | { readonly kind: 'decision'; readonly package: string; readonly version: string; readonly level: number }
  /** A version not selected because its dependencies conflict with what is already decided. */
  | { readonly kind: 'rejected'; readonly package: string; readonly version: string }
  /** Conflict resolution backjumped to `toLevel`, having learned `cause` (a sentence). */
  | { readonly kind: 'backtrack'; readonly fromLevel: number; readonly toLevel: number; readonly cause: string }
  | { readonly kind: 'unavailable'; readonly package: string; readonly versions: string; readonly reason: string }
  | ProviderEvent;

/** One pinned distribution of a resolution. */
export interface PinnedDistribution {
  readonly name: NormalizedName;
  readonly version: Version;
  /** The file to install: the best wheel for the target (or the direct reference). */
  readonly file: DistributionFile;
  /** Named in the root requirements (pip writes REQUESTED for these). */
  readonly requested: boolean;
  /** The extras selected for it, sorted. */
  readonly extras: readonly NormalizedName[];
  /** The projects it depends on in this resolution (its extras' included), sorted. */
  readonly dependencies: readonly NormalizedName[];
  /** The URL of a direct reference (`name @ url`), for direct_url.json; null from an index. */
  readonly directUrl: string | null;
  /** PEP 592: false, or the yank reason ('' when none was given); only ever set for pins. */
  readonly yanked: false | string;
}

/** A notice for the person, as data (pip prints these as WARNING lines). */
export interface ResolverWarning {
  readonly code: 'yanked' | 'missing-extra' | 'index' | 'marker' | string;
  readonly name: NormalizedName | null;
  readonly message: string;
}

export interface ResolveStats {
  readonly decisions: number;
  readonly conflicts: number;
  readonly backtracks: number;
  /** Project pages and metadata files asked of the source (prefetches included). */
  readonly projectRequests: number;
  readonly metadataRequests: number;
}

export interface Resolution {
  readonly kind: 'resolution';
  /** Sorted by name. */
  readonly distributions: readonly PinnedDistribution[];
  readonly warnings: readonly ResolverWarning[];
  readonly stats: ResolveStats;
}

export interface NoSolution {
  readonly kind: 'no-solution';
  /** The proof, as data (leaves are external facts; see derivation-tree.ts). */
  readonly tree: PythonDerivationTree;
  /** The formatted explanation, as pip would print it (header, derivation, hints). */
  readonly explanation: string;
  readonly parts: Explanation;
  readonly warnings: readonly ResolverWarning[];
  readonly stats: ResolveStats;
}

/**
 * Resolve `request` against `source` for the target described by `options`. Resolves to a
 * Resolution or a NoSolution; rejects on abort (with the signal's reason), on invalid input
 * (InvalidRequirement, ResolverError) and on source failures (network, hash mismatch).
 */
export async function resolve(
  request: ResolveRequest,
  source: PackageSource,
  options: ResolveOptions,
): Promise<Resolution | NoSolution> {
  const requirements = request.requirements.map((r) => (typeof r === 'string' ? Requirement.parse(r) : r));
  const constraints = (request.constraints ?? []).map((r) => (typeof r === 'string' ? Requirement.parse(r) : r));
  const python = targetPython(options.environment);
  const report = options.reporter ?? (() => {});
  const emit = (event: ResolverEvent): void => {
    try {
      report(event);
    } catch {
      // A reporter's failure must not change the resolution.
    }
  };
  const provider = new PythonProvider({
    source,
    environment: options.environment,
    python,
    supported: supportedTags(options.pyodide),
    requirements,
    constraints,
    pre: options.pre ?? false,
    noDeps: options.noDeps ?? false,
    excludeNewer: excludeNewerOf(options.excludeNewer),
    preferences: new Map((request.preferences ?? []).map((p) => [normalizeName(p.name), typeof p.version === 'string' ? Version.parse(p.version) : p.version])),
    upgrade: options.upgrade ? true : new Set((options.upgradePackages ?? []).map(normalizeName)),
    prefetch: options.prefetch ?? true,
    ...(options.decisions?.likely ? { likely: likelyOf(options.decisions) } : {}),
    ...(options.formats ? { formats: options.formats } : {}),
    signal: options.signal,
    emit,
    // Fetch events are one per request: only built when someone reads them.
    reportFetches: options.reporter !== undefined,
  });
  const context = {
    candidates: (name: NormalizedName) => provider.candidatesOf(name),
    python,
    platform: bestPlatform(options.pyodide),
    requirements,
  };
  const formatter = new PythonFormatter(context);
  const describe = (i: Incompatibility<PythonPackage, Version, VersionRange, UnavailableReason>): string =>
    formatter.formatTerms(i.packages.map((p, k) => [p, i.terms[k]!] as const));

  // Without a reporter nobody reads the log: skip formatting it (a backtrack's cause is a sentence).
  const reporting = options.reporter !== undefined;
  const log = options.decisions ? new DecisionLog(options.decisions) : null;
  const onEvent = (event: SolverEvent<PythonPackage, Version, VersionRange, UnavailableReason>): void => {
    if (log) tellDecisions(log, provider, event);
    if (!reporting) {
      if (event.kind === 'decision') provider.noteDecision(event.package, event.version);
      return;
    }
    switch (event.kind) {
      case 'decision':
        provider.noteDecision(event.package, event.version);
        if (event.package !== ROOT_PACKAGE) emit({ kind: 'decision', package: event.package, version: event.version.toString(), level: event.level });
        break;
      case 'rejected':
        emit({ kind: 'rejected', package: event.package, version: event.version.toString() });
        break;
      case 'backtrack':
        emit({ kind: 'backtrack', fromLevel: event.fromLevel, toLevel: event.toLevel, cause: describe(event.cause) });
        break;
      case 'reprioritize':
        emit({
          kind: 'backtrack',
          fromLevel: event.fromLevel,
          toLevel: event.toLevel,
          cause: `${event.package} kept making the versions of packages decided after it fail, so it is now decided after them`,
        });
        break;
      case 'incompatibility': {
        const cause = event.incompatibility.cause;
        if (cause.kind === 'unavailable' || cause.kind === 'no-versions') {
          emit({
            kind: 'unavailable',
            package: cause.package,
            versions: formatter.compatibleRange(cause.package, cause.set),
            reason: cause.kind === 'unavailable' ? formatter.formatExternal(cause) : formatter.formatNoVersions(cause.package, cause.set),
          });
        }
        break;
      }
      default:
        break;
    }
  };

  const scheduler = options.scheduler ?? hostScheduler;
  const maxRounds = options.maxRounds ?? MAX_ROUNDS;
  const timeLimitMs = options.timeLimitMs ?? TIME_LIMIT_MS;
  let result: SolveResult<PythonPackage, Version, VersionRange, UnavailableReason>;
  try {
    result = await solve(provider, ROOT_PACKAGE, ROOT_VERSION, {
      sets: VersionRange,
      signal: options.signal,
      onEvent,
      unavailable: constraintFacts(constraints, options.environment),
      conflictThreshold: CONFLICT_THRESHOLD,
      clock: () => scheduler.now(),
      yieldToHost: () => scheduler.yield(),
      sliceMs: options.sliceMs ?? 5,
      maxRounds,
      timeLimitMs,
    });
  } catch (error) {
    if (error instanceof SolverLimitError) throw limitError(error as SolverLimitError<PythonPackage>, maxRounds, timeLimitMs);
    throw error;
  }
  const stats: ResolveStats = {
    decisions: result.stats.decisions,
    conflicts: result.stats.conflicts,
    backtracks: result.stats.backtracks,
    projectRequests: provider.requests.projects,
    metadataRequests: provider.requests.metadata,
  };
  const warnings: ResolverWarning[] = [...provider.warnings];

  if (result.kind === 'no-solution') {
    for (const name of new Set(requirements.map((r) => r.normalizedName))) {
      if (!provider.candidatesOf(name)) await provider.loadCandidates(name).catch(() => undefined);
    }
    const parts = explainNoSolution(result.tree, context);
    return { kind: 'no-solution', tree: result.tree, explanation: parts.text, parts, warnings, stats };
  }

  const extras = new Map<NormalizedName, NormalizedName[]>();
  for (const [p] of result.solution) {
    const k = packageKind(p);
    if (k.kind === 'extra') extras.set(k.name, [...(extras.get(k.name) ?? []), k.extra]);
  }
  const distributions: PinnedDistribution[] = [];
  for (const [p, version] of result.solution) {
    const k = packageKind(p);
    if (k.kind !== 'project') continue;
    const chosen = provider.fileFor(k.name, version);
    if (!chosen) throw new ResolverError('internal', `Resolver invariant: no file for ${k.name} ${version}`, k.name);
    const selectedExtras = (extras.get(k.name) ?? []).sort();
    const dependencies = new Set<NormalizedName>();
    for (const q of [p, ...selectedExtras.map((x) => `${k.name}[${x}]`)]) {
      for (const [dep] of provider.dependenciesOf(q, version)) {
        const d = packageKind(dep);
        if ((d.kind === 'project' || d.kind === 'extra') && d.name !== k.name && dep !== PYTHON_PACKAGE) dependencies.add(d.name);
      }
    }
    if (chosen.yanked !== false) {
      warnings.push({
        code: 'yanked',
        name: k.name,
        // pip's words (`PackageFinder.find_best_candidate`).
        message:
          `The candidate selected for download or install is a yanked version: '${k.name}' candidate (version ${version} at ${chosen.file.url})\n` +
          `Reason for being yanked: ${chosen.yanked || '<none given>'}`,
      });
    }
    distributions.push({
      name: k.name,
      version,
      file: chosen.file,
      requested: provider.isRequested(k.name),
      extras: selectedExtras,
      dependencies: [...dependencies].sort(),
      directUrl: provider.directUrl(k.name),
      yanked: chosen.yanked,
    });
  }
  distributions.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { kind: 'resolution', distributions, warnings, stats };
}

/** The listener's `likely`, whose failures never reach the resolution. */
function likelyOf(listener: DecisionListener): (name: NormalizedName, version: Version, file: DistributionFile) => void {
  return (name, version, file) => {
    try {
      listener.likely?.(name, version, file);
    } catch {
      // A hint's listener must not change the resolution.
    }
  };
}

/** Passes the solver's decisions and backjumps on to a DecisionLog (projects only). */
function tellDecisions(log: DecisionLog, provider: PythonProvider, event: SolverEvent<PythonPackage, Version, VersionRange, UnavailableReason>): void {
  if (event.kind === 'decision') {
    const k = packageKind(event.package);
    if (k.kind !== 'project') return;
    const chosen = provider.fileFor(k.name, event.version);
    if (chosen) log.decided(event.level, k.name, event.version, chosen.file);
  } else if (event.kind === 'backtrack' || event.kind === 'reprioritize') {
    log.backtracked(event.toLevel);
  }
}

/**
 * The resolution ran out of rounds (pip's `ResolutionTooDeepError`, in pip's words) or of time,
 * naming the packages it was stuck on: those in the most conflicts.
 */
function limitError(error: SolverLimitError<PythonPackage>, maxRounds: number, timeLimitMs: number): ResolverError {
  const stuck = error.packages.filter((c) => c.package !== PYTHON_PACKAGE);
  const names = stuck.map((c) => `${c.package} (${c.conflicts} conflict${c.conflicts === 1 ? '' : 's'})`).join(', ');
  const on = stuck.length > 0 ? ` It was stuck on: ${names}.` : '';
  const hint =
    "hint: Try adding lower bounds to constrain your dependencies, for example: 'package>=2.0.0' instead of just 'package'.\n" +
    'Link: https://pip.pypa.io/en/stable/topics/dependency-resolution/#handling-resolution-too-deep-errors';
  if (error.limit === 'rounds') {
    return new ResolverError(
      'resolution-too-deep',
      `Dependency resolution exceeded maximum depth: no result after ${maxRounds} rounds.${on}\n` +
        'Pip cannot resolve the current dependencies as the dependency graph is too complex for pip to solve efficiently.\n' +
        hint,
      stuck.map((c) => c.package).join(' '),
    );
  }
  return new ResolverError(
    'resolution-time-limit',
    `Dependency resolution took longer than ${timeLimitMs >= 1000 ? `${Math.round(timeLimitMs / 1000)} s` : `${timeLimitMs} ms`} and was stopped after ${error.rounds} rounds.${on}\n` + hint,
    stuck.map((c) => c.package).join(' '),
  );
}

function targetPython(env: MarkerEnvironment): Version {
  const full = env['python_full_version'] ?? env['python_version'];
  if (!full) {
    throw new ResolverError(
      'no-python-version',
      'The marker environment has no python_full_version: give the target interpreter\'s version (e.g. "3.14.2").',
      JSON.stringify(env),
    );
  }
  return Version.parse(full);
}

function excludeNewerOf(value: string | Date | undefined): { ms: number; text: string } | null {
  if (value === undefined) return null;
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (Number.isNaN(ms)) {
    throw new ResolverError(
      'invalid-exclude-newer',
      `Invalid --exclude-newer value: ${String(value)}. Give an ISO 8601 date or time, e.g. 2024-06-01 or 2024-06-01T12:00:00Z.`,
      String(value),
    );
  }
  return { ms, text: value instanceof Date ? value.toISOString() : value };
}
