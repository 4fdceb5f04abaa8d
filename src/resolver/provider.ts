/**
 * The Python dependency provider: what PubGrub needs to know about Python packages, from a
 * PackageSource, for one target environment (a Pyodide). Separate from the core, as in
 * pubgrub-rs (`DependencyProvider`) and uv (`crates/uv-resolver/src/resolver/provider.rs`).
 *
 * - Packages: projects by normalized name, extras as virtual packages `a[x]`, `Python`, the
 *   root (see python-package.ts).
 * - Versions: the project's candidates (candidates.ts); a run of adjacent unusable versions is
 *   reported as one `unavailable` fact with its reason, stated for the stretch of versions it
 *   covers so explanations read `foo>=2.0` (pub's package lister).
 * - Pre-releases: pip 25.3's rule (prerelease.ts).
 * - Yanked versions (PEP 592): only when a root requirement or constraint pins them with
 *   `==`/`===`.
 * - Preferences (installed or locked versions) are chosen first while they fit, unless
 *   upgrading (pip's only-if-needed strategy), pre-releases included (pip keeps an installed
 *   version that `contains(v, prereleases=True)`); an extra prefers its base's chosen version.
 * - Decision order: priority.ts, with uv's conflict-driven priority.
 * - Prefetching: after each propagation the project pages of every pending package and the
 *   metadata of the version each would get are fetched in parallel; a package being
 *   backtracked through one version at a time gets the metadata of its next versions fetched in
 *   a batch. Round trips then grow with the depth of the graph, not its size.
 * - Synchronous answers whenever the data is already here, so the solver does not await.
 */
import type { DistributionFile } from '../pep';
import type { MarkerEnvironment } from '../pep/marker';
import { normalizeName, type NormalizedName } from '../pep/name';
import { VersionRange } from '../pep/range';
import type { Requirement } from '../pep/requirement';
import type { SpecifierSet } from '../pep/specifier';
import { Version } from '../pep/version';
import { type CandidateContext, type CandidateStatus, ProjectCandidates, requiresPythonRange } from './candidates';
import { extraPackage, packageKind, PYTHON_PACKAGE, type PythonPackage } from './python-package';
import type { ConflictStanding } from './conflict-tracker';
import { PrereleasePolicy } from './prerelease';
import { DecisionOrder } from './priority';
import type { Dependencies, DependencyProvider, MaybePromise, Priority, VersionChoice } from './solver';
import { DependencyList, sameDependencies } from './dependency-list';
import type { PackageSource } from './package-source';
import { ResolverError } from './resolver-error';
import { type FetchEvent, type MetadataAnswer, type ProjectEntry, SourceCache } from './source-cache';
import { mergeReasons, sameKind, type UnavailableReason } from './unavailable';

/** The root's one version (never shown). */
export const ROOT_VERSION = Version.parse('0');

/** The provider's log lines, for progress and `-v` output. */
export type ProviderEvent =
  | FetchEvent
  | { readonly kind: 'warning'; readonly code: string; readonly name: NormalizedName | null; readonly message: string };

export interface ProviderConfig {
  readonly source: PackageSource;
  readonly environment: MarkerEnvironment;
  /** The target interpreter's full version (`python_full_version`). */
  readonly python: Version;
  readonly supported: readonly string[];
  readonly requirements: readonly Requirement[];
  /** The constraints (`-c`): only their `==` pins matter here (yanked versions). */
  readonly constraints: readonly Requirement[];
  readonly pre: boolean;
  readonly noDeps: boolean;
  readonly excludeNewer: { readonly ms: number; readonly text: string } | null;
  readonly preferences: ReadonlyMap<NormalizedName, Version>;
  /** `true` for `--upgrade`, or the projects of `--upgrade-package`. */
  readonly upgrade: boolean | ReadonlySet<NormalizedName>;
  readonly prefetch: boolean;
  /** Files allowed per project (see ResolveOptions.formats); wheels only when absent. */
  readonly formats?: (name: NormalizedName) => { readonly wheels: boolean; readonly sdists: boolean };
  readonly signal?: AbortSignal;
  readonly emit: (event: ProviderEvent) => void;
  /** Whether `emit` gets fetch events (default true); `requests` counts them either way. */
  readonly reportFetches?: boolean;
}

type Dependencies_ = Dependencies<PythonPackage, VersionRange, UnavailableReason>;

/** One version's dependencies as its metadata gives them (before widening). */
type Computed =
  | {
      readonly kind: 'available';
      readonly dependencies: Array<readonly [PythonPackage, VersionRange]>;
      /** The requirements that applied (for the pre-release and yank policies). */
      readonly applied: readonly Requirement[];
      readonly missingExtra: boolean;
    }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };
type Choice = VersionChoice<Version, VersionRange, UnavailableReason>;

/**
 * How many versions' metadata to fetch ahead when stepping down through a package's versions
 * (uv fetches up to 50 in its batch prefetcher): enough for one conflict to rule out a whole
 * stretch of releases with identical dependencies (see `dependenciesAt`).
 */
const PREFETCH_BATCH = 64;

const NO_REQUIREMENTS: readonly Requirement[] = [];

export class PythonProvider implements DependencyProvider<PythonPackage, Version, VersionRange, UnavailableReason> {
  private readonly context: CandidateContext;
  private readonly cache: SourceCache;
  private readonly order = new DecisionOrder();
  /** Dependencies handed out, by `package@version`, for the final graph. */
  private readonly given = new Map<string, ReadonlyArray<readonly [PythonPackage, VersionRange]>>();
  /** `compute`'s answers by package, then candidate index. */
  private readonly computed = new Map<PythonPackage, Array<Computed | undefined>>();
  private readonly rootDependencies: ReadonlyArray<readonly [PythonPackage, VersionRange]>;
  private readonly direct = new Map<NormalizedName, string>();
  private readonly requested = new Set<NormalizedName>();
  private readonly prereleases: PrereleasePolicy;
  /** The set each pending package's metadata was last prefetched for. */
  private readonly prefetchedFor = new Map<NormalizedName, VersionRange>();
  /**
   * Ranges of `==`/`===` specifiers in the root requirements and constraints: yanked versions
   * inside them may be used (PEP 592). Fixed before solving, as uv's `AllowedYanks`: a pin
   * deep in the graph would make the policy depend on which branch is being explored.
   */
  private readonly yankPins = new Map<NormalizedName, VersionRange[]>();
  /** Projects some requirement pins with `==`/`===` (decided early). */
  private readonly pinned = new Set<NormalizedName>();
  /** The candidate index last chosen per project (to see it being stepped through). */
  private readonly lastChosen = new Map<NormalizedName, number>();
  /** The last version decided per project (a hint for its extras, even after backtracking). */
  private readonly lastDecided = new Map<NormalizedName, Version>();
  readonly warnings: Array<{ readonly code: string; readonly name: NormalizedName | null; readonly message: string }> = [];

  constructor(private readonly config: ProviderConfig) {
    this.context = { supported: config.supported, python: config.python, excludeNewer: config.excludeNewer, versions: new Map(), ...(config.formats ? { formats: config.formats } : {}) };
    this.cache = new SourceCache(config.source, this.context, this.direct, config.reportFetches === false ? null : config.emit, config.signal);
    this.prereleases = new PrereleasePolicy(config.pre);
    const deps = new DependencyList();
    for (const req of config.requirements) {
      if (!this.markerHolds(req, '')) continue;
      const name = req.normalizedName;
      this.requested.add(name);
      if (req.url !== null) {
        const known = this.direct.get(name);
        if (known !== undefined && known !== req.url) {
          throw new ResolverError(
            'conflicting-urls',
            `Cannot install ${name} from two different URLs: ${known} and ${req.url}. Keep one of them.`,
            req.toString(),
          );
        }
        this.direct.set(name, req.url);
      }
      this.noteRequirement(name, req.specifier);
      this.addRequirement(deps, name, req, req.specifier.range);
    }
    this.rootDependencies = deps.sorted();
    this.order.discover(this.rootDependencies);
    for (const req of config.constraints) {
      // pip merges constraint specifiers into the requirement's: `-c` `foo>=2.0b1` names one.
      if (safeEvaluate(req, config.environment, '')) this.prereleases.noteConstraint(req.normalizedName, req.specifier);
    }
    for (const req of [...config.requirements, ...config.constraints]) {
      if (!safeEvaluate(req, config.environment, '')) continue;
      const ranges = pinRanges(req.specifier);
      if (ranges.length > 0) this.yankPins.set(req.normalizedName, [...(this.yankPins.get(req.normalizedName) ?? []), ...ranges]);
    }
  }

  // ---- DependencyProvider ----------------------------------------------------------------

  prioritize(p: PythonPackage, _set: VersionRange, standing: ConflictStanding): Priority {
    const k = packageKind(p);
    const kind =
      k.kind === 'root' ? 'root' : k.kind === 'python' ? 'python' : this.direct.has(k.name) ? 'direct' : this.pinned.has(k.name) ? 'pinned' : 'other';
    return this.order.priority(p, kind, standing);
  }

  /** The listed versions of `p`'s project in `set` (a rejection's weight in conflict tracking). */
  countVersions(p: PythonPackage, set: VersionRange): number {
    const k = packageKind(p);
    if (k.kind !== 'project' && k.kind !== 'extra') return 1;
    const entry = this.cache.resolved(k.name);
    if (!entry || entry.kind === 'not-found') return 1;
    let n = 0;
    for (const c of entry.candidates.candidates) if (set.contains(c.version)) n++;
    return n;
  }

  /** `foo` and `foo[bar]` are one project: their conflicts only copy obligations across. */
  sameProject(a: PythonPackage, b: PythonPackage): boolean {
    const ka = packageKind(a);
    const kb = packageKind(b);
    return (ka.kind === 'project' || ka.kind === 'extra') && (kb.kind === 'project' || kb.kind === 'extra') && ka.name === kb.name;
  }

  chooseVersion(p: PythonPackage, set: VersionRange): MaybePromise<Choice> {
    const k = packageKind(p);
    if (k.kind === 'root') return { kind: 'version', version: ROOT_VERSION };
    if (k.kind === 'python') return set.contains(this.config.python) ? { kind: 'version', version: this.config.python } : { kind: 'none' };
    const entry = this.cache.resolved(k.name);
    if (entry) return this.chooseFrom(k.name, k.kind === 'extra', entry, set);
    return this.cache.project(k.name, false).then((e) => this.withWarnings(k.name, e)).then((e) => this.chooseFrom(k.name, k.kind === 'extra', e, set));
  }

  getDependencies(p: PythonPackage, version: Version): MaybePromise<Dependencies_> {
    const k = packageKind(p);
    if (k.kind === 'root') return this.remember(p, version, { kind: 'available', dependencies: this.rootDependencies });
    if (k.kind === 'python') return { kind: 'available', dependencies: [] };
    const entry = this.cache.resolved(k.name);
    if (!entry || entry.kind === 'not-found') throw new Error(`Resolver invariant: dependencies of ${p} before its versions`);
    const i = entry.candidates.indexOf(version);
    const status = this.effectiveStatus(k.name, entry, i);
    if (status.kind === 'unavailable') return { kind: 'unavailable', reason: status.reason };
    if (status.kind === 'requires-python') {
      // No need for the metadata: the file itself says this Python is not supported. Stated for
      // the adjacent versions that say the same, as pub does for an incompatible SDK.
      let lo = i;
      let hi = i;
      const same = (j: number): boolean => {
        const s = this.effectiveStatus(k.name, entry, j);
        return s.kind === 'requires-python' && s.requiresPython === status.requiresPython;
      };
      while (lo > 0 && same(lo - 1)) lo--;
      while (hi < entry.candidates.candidates.length - 1 && same(hi + 1)) hi++;
      const range = requiresPythonRange(status.requiresPython) ?? VersionRange.empty();
      return this.remember(p, version, {
        kind: 'available',
        dependencies: [[PYTHON_PACKAGE, range]],
        versions: entry.candidates.widen(lo, hi),
      });
    }
    const file = status.file;
    const extra = k.kind === 'extra' ? k.extra : null;
    const found = entry;
    const build = (): Dependencies_ => this.remember(p, version, this.dependenciesAt(p, k.name, extra, found, i, file));
    if (this.cache.metadataOf(file) !== undefined) return build();
    return this.cache.fetchMetadata(k.name, version, file, false).then(build);
  }

  afterPropagation(pending: ReadonlyArray<readonly [PythonPackage, VersionRange]>): void {
    if (!this.config.prefetch) return;
    for (const [p, set] of pending) {
      const k = packageKind(p);
      if (k.kind !== 'project' && k.kind !== 'extra') continue;
      const entry = this.cache.resolved(k.name);
      if (entry) {
        this.prefetchBest(k.name, entry, set);
      } else {
        this.cache.project(k.name, true).then((e) => this.withWarnings(k.name, e)).then(
          (e) => this.prefetchBest(k.name, e, set),
          () => {},
        );
      }
    }
  }

  // ---- What the resolution and the explanation need afterwards ----------------------------

  /** Project pages and metadata files asked of the source so far (prefetches included). */
  get requests(): { readonly projects: number; readonly metadata: number } {
    return { projects: this.cache.projectRequests, metadata: this.cache.metadataRequests };
  }

  /** Note a decision (from the solver's log), used as a hint for extras. */
  noteDecision(p: PythonPackage, version: Version): void {
    const k = packageKind(p);
    if (k.kind === 'project') this.lastDecided.set(k.name, version);
  }

  /**
   * Fetches a project's candidates for the explanation of a failure, when the solver never
   * needed them (two root requirements that exclude each other fail before any lookup, yet pip's
   * message lists the versions the index has).
   */
  async loadCandidates(name: NormalizedName): Promise<void> {
    await this.cache.project(name, true);
  }

  /** The project's candidates, when fetched. */
  candidatesOf(name: NormalizedName): ProjectCandidates | null {
    const entry = this.cache.resolved(name);
    return entry && entry.kind !== 'not-found' ? entry.candidates : null;
  }

  /** The warnings the index gave for the project (e.g. found on several indexes). */
  projectWarnings(name: NormalizedName): readonly string[] {
    const entry = this.cache.resolved(name);
    return entry?.kind === 'found' ? entry.warnings : [];
  }

  /** The file chosen for a version and whether it is yanked. */
  fileFor(name: NormalizedName, version: Version): { file: DistributionFile; yanked: false | string } | null {
    const entry = this.cache.resolved(name);
    if (!entry || entry.kind === 'not-found') return null;
    const status = entry.candidates.get(version)?.status();
    return status?.kind === 'usable' ? { file: status.file, yanked: status.yanked } : null;
  }

  /** The dependencies handed to the solver for `p` at `version`. */
  dependenciesOf(p: PythonPackage, version: Version): ReadonlyArray<readonly [PythonPackage, VersionRange]> {
    return this.given.get(`${p}@${version}`) ?? [];
  }

  isRequested(name: NormalizedName): boolean {
    return this.requested.has(name);
  }

  directUrl(name: NormalizedName): string | null {
    return this.direct.get(name) ?? null;
  }

  /** Whether pre-releases of the project were considered. */
  prereleasesAllowed(name: NormalizedName): boolean {
    return this.prereleases.isOn(name);
  }

  get target(): { python: Version; supported: readonly string[]; pre: boolean; excludeNewer: string | null } {
    return {
      python: this.config.python,
      supported: this.config.supported,
      pre: this.config.pre,
      excludeNewer: this.config.excludeNewer?.text ?? null,
    };
  }

  /** Pass the index's notices for a project on, once. */
  private withWarnings(name: NormalizedName, entry: ProjectEntry): ProjectEntry {
    if (entry.kind === 'found') for (const w of entry.warnings) this.warn('index', name, w);
    return entry;
  }

  // ---- Versions ----------------------------------------------------------------------------

  private chooseFrom(name: NormalizedName, isExtra: boolean, entry: ProjectEntry, set: VersionRange): Choice {
    if (entry.kind === 'not-found') return { kind: 'unavailable', set: VersionRange.full(), reason: { kind: 'not-found', indexes: entry.indexes } };
    const candidates = entry.candidates.candidates;
    const allowPre = this.prereleases.allows(name, entry.candidates);
    const preferred = isExtra ? this.lastDecided.get(name) : this.upgrading(name) ? undefined : this.config.preferences.get(name);
    if (preferred && set.contains(preferred)) {
      const i = entry.candidates.indexOf(preferred);
      // Kept even if a pre-release: an extra follows its base; pip keeps an installed version
      // that `contains(v, prereleases=True)`.
      if (i >= 0 && this.effectiveStatus(name, entry, i).kind !== 'unavailable') {
        this.lastChosen.set(name, i);
        return { kind: 'version', version: (candidates[i] as { version: Version }).version };
      }
    }
    const skipped: number[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      const candidate = candidates[i] as { version: Version };
      if (!set.contains(candidate.version)) continue;
      if (candidate.version.isPrerelease && !allowPre) {
        skipped.push(i);
        continue;
      }
      const status = this.effectiveStatus(name, entry, i);
      // Wheels first (pip's --prefer-binary, Pipette's default: a build is slow here, and often
      // impossible): an sdist-only version waits until no version with a wheel is left.
      if (status.kind === 'usable' && status.source === true && this.hasWheelIn(name, entry, set, allowPre)) continue;
      if (status.kind !== 'unavailable') {
        // Backtracking through this package version by version: fetch the next versions'
        // metadata together. Not after a jump over a stretch a conflict ruled out at once (the
        // next version may well be the one), nor when the same version is chosen again.
        const last = this.lastChosen.get(name);
        this.lastChosen.set(name, i);
        if (last !== undefined && last > i && this.config.prefetch && this.steppedDown(name, entry, i, last, allowPre)) {
          this.prefetchBatch(name, entry, set, i, PREFETCH_BATCH, allowPre);
        }
        return { kind: 'version', version: candidate.version };
      }
      // The run of adjacent versions unusable for the same kind of reason, as one fact.
      let lo = i;
      let hi = i;
      let reason = status.reason;
      const sameAt = (j: number): UnavailableReason | null => {
        const s = this.effectiveStatus(name, entry, j);
        return s.kind === 'unavailable' && sameKind(s.reason, reason) ? s.reason : null;
      };
      for (let r = lo > 0 ? sameAt(lo - 1) : null; r; r = lo > 0 ? sameAt(lo - 1) : null) {
        reason = mergeReasons(reason, r);
        lo--;
      }
      for (let r = hi < candidates.length - 1 ? sameAt(hi + 1) : null; r; r = hi < candidates.length - 1 ? sameAt(hi + 1) : null) {
        reason = mergeReasons(reason, r);
        hi++;
      }
      return { kind: 'unavailable', set: entry.candidates.widen(lo, hi), reason };
    }
    if (skipped.length > 0) {
      const pre = skipped.reduce((acc, j) => acc.union(entry.candidates.widen(j)), VersionRange.empty());
      return { kind: 'unavailable', set: pre, reason: { kind: 'prerelease' } };
    }
    return { kind: 'none' };
  }

  /** Whether some version in `set` installs from a wheel (not from an sdist). */
  private hasWheelIn(name: NormalizedName, entry: ProjectEntry & { candidates: ProjectCandidates }, set: VersionRange, allowPre: boolean): boolean {
    const candidates = entry.candidates.candidates;
    for (let j = candidates.length - 1; j >= 0; j--) {
      const c = candidates[j] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const s = this.effectiveStatus(name, entry, j);
      if (s.kind !== 'unavailable' && !(s.kind === 'usable' && s.source === true)) return true;
    }
    return false;
  }

  /** Whether no candidate lies between `from` and the newer `last` (unusable ones aside). */
  private steppedDown(name: NormalizedName, entry: ProjectEntry & { candidates: ProjectCandidates }, from: number, last: number, allowPre: boolean): boolean {
    const candidates = entry.candidates.candidates;
    for (let j = from + 1; j < last; j++) {
      if ((candidates[j] as { version: Version }).version.isPrerelease && !allowPre) continue;
      if (this.effectiveStatus(name, entry, j).kind !== 'unavailable') return false;
    }
    return true;
  }

  private upgrading(name: NormalizedName): boolean {
    const u = this.config.upgrade;
    return u === true || (u !== false && u.has(name));
  }

  /** The candidate's status with the yank policy applied (yanked and not pinned = unavailable). */
  private effectiveStatus(name: NormalizedName, entry: ProjectEntry, i: number): CandidateStatus {
    if (entry.kind === 'not-found') return { kind: 'unavailable', reason: { kind: 'not-found', indexes: entry.indexes } };
    const candidate = entry.candidates.candidates[i];
    if (!candidate) return { kind: 'unavailable', reason: { kind: 'no-files' } };
    const status = candidate.status();
    if (status.kind === 'usable' && status.yanked !== false && entry.kind !== 'direct') {
      const pinned = (this.yankPins.get(name) ?? []).some((r) => r.contains(candidate.version));
      if (!pinned) return { kind: 'unavailable', reason: { kind: 'yanked', reason: status.yanked } };
    }
    return status;
  }

  // ---- Dependencies ------------------------------------------------------------------------

  /**
   * The dependencies of one version from its metadata, without side effects (cached): the
   * requirements that apply, as packages and ranges, plus what they say (for the policies).
   */
  private compute(
    p: PythonPackage,
    name: NormalizedName,
    extra: NormalizedName | null,
    candidates: ProjectCandidates,
    i: number,
    file: DistributionFile,
  ): Computed | null {
    const meta = this.cache.metadataOf(file);
    if (!meta) return null;
    let known = this.computed.get(p);
    if (!known) this.computed.set(p, (known = []));
    let result = known[i];
    if (!result) {
      result = this.computeFrom(name, extra, (candidates.candidates[i] as { version: Version }).version, file, meta);
      known[i] = result;
    }
    return result;
  }

  private computeFrom(
    name: NormalizedName,
    extra: NormalizedName | null,
    version: Version,
    file: DistributionFile,
    meta: MetadataAnswer,
  ): Computed {
    if ('error' in meta) {
      const error = meta.error as { code?: unknown; reason?: unknown; message?: unknown };
      const message = String(error.reason ?? error.message ?? error);
      if (error.code === 'metadata-mismatch') return { kind: 'unavailable', reason: { kind: 'inconsistent-metadata', message } };
      return { kind: 'unavailable', reason: { kind: 'invalid-metadata', message } };
    }
    if ((meta.name !== name && normalizeName(meta.name) !== name) || meta.version.compare(version) !== 0) {
      return {
        kind: 'unavailable',
        reason: {
          kind: 'inconsistent-metadata',
          message: `${file.filename} has metadata for ${meta.name} ${meta.version}, expected ${name} ${version}`,
        },
      };
    }
    const deps = new DependencyList();
    // Kept as long as the resolution: made from a one-entry literal (an empty array makes room
    // for 17 entries on its first push), shared and empty when nothing applies.
    let applied: Requirement[] | null = null;
    let missingExtra = false;
    if (extra !== null) {
      deps.add(name, VersionRange.singleton(version));
      missingExtra = !meta.providesExtra.includes(extra);
    } else {
      // Requires-Python, from the file (the index) and from the metadata: both must hold.
      let python = requiresPythonRange(file.requiresPython);
      if (meta.requiresPython !== null) python = python ? python.intersection(meta.requiresPython.range) : meta.requiresPython.range;
      if (python !== null) deps.add(PYTHON_PACKAGE, python);
    }
    if (!this.config.noDeps) {
      for (const req of meta.requiresDist) {
        // The base takes the requirements whose marker holds without an extra; `a[x]` those that
        // hold only with extra x (pip `iter_dependencies`; the base's are the base package's).
        const applies = extra === null ? this.markerHolds(req, '') : this.markerHolds(req, extra) && !this.markerHolds(req, '');
        if (!applies) continue;
        const dep = req.normalizedName;
        if (req.url !== null && this.direct.get(dep) !== req.url) {
          return { kind: 'unavailable', reason: { kind: 'url-dependency', requirement: req.toString() } };
        }
        if (applied) applied.push(req);
        else applied = [req];
        this.addRequirement(deps, dep, req, req.specifier.range);
      }
    }
    return { kind: 'available', dependencies: deps.sorted(), applied: applied ?? NO_REQUIREMENTS, missingExtra };
  }

  /**
   * The dependencies of candidate `i`, stated for the adjacent versions whose metadata is
   * already here and says the same (pub's package lister: "collapses identical dependencies
   * from adjacent package versions"), so that one conflict rules out a whole stretch of
   * releases instead of one release per backtrack.
   */
  private dependenciesAt(
    p: PythonPackage,
    name: NormalizedName,
    extra: NormalizedName | null,
    entry: ProjectEntry & { candidates: ProjectCandidates },
    i: number,
    file: DistributionFile,
  ): Dependencies_ {
    const version = (entry.candidates.candidates[i] as { version: Version }).version;
    const own = this.compute(p, name, extra, entry.candidates, i, file) as Computed;
    if (own.kind === 'unavailable') return { kind: 'unavailable', reason: own.reason };
    const same = (j: number): boolean => {
      const status = this.effectiveStatus(name, entry, j);
      if (status.kind !== 'usable') return false;
      const other = this.compute(p, name, extra, entry.candidates, j, status.file);
      return other !== null && other.kind === 'available' && sameDependencies(own.dependencies, other.dependencies);
    };
    let lo = i;
    let hi = i;
    while (lo > 0 && same(lo - 1)) lo--;
    while (hi < entry.candidates.candidates.length - 1 && same(hi + 1)) hi++;
    for (const req of own.applied) this.noteRequirement(req.normalizedName, req.specifier);
    if (own.missingExtra && extra !== null) this.warn('missing-extra', name, `${name} ${version} does not provide the extra '${extra}'`);
    this.order.discover(own.dependencies);
    return { kind: 'available', dependencies: own.dependencies, versions: entry.candidates.widen(lo, hi) };
  }

  private addRequirement(deps: DependencyList, name: NormalizedName, req: Requirement, range: VersionRange): void {
    deps.add(name, range);
    for (const extra of req.normalizedExtras) deps.add(extraPackage(name, extra), range);
  }

  private noteRequirement(name: NormalizedName, specifier: SpecifierSet): void {
    this.prereleases.noteRequirement(name, specifier);
    if (pinRanges(specifier).length > 0) this.pinned.add(name);
  }

  private markerHolds(req: Requirement, extra: string): boolean {
    if (req.marker === null) return extra === '';
    try {
      return req.marker.evaluate(this.config.environment, extra);
    } catch (error) {
      this.warn('marker', req.normalizedName, `Ignoring ${req.toString()}: ${(error as Error).message}`);
      return false;
    }
  }

  private remember(p: PythonPackage, version: Version, deps: Dependencies_): Dependencies_ {
    if (deps.kind === 'available') this.given.set(`${p}@${version}`, deps.dependencies);
    return deps;
  }

  private warn(code: string, name: NormalizedName | null, message: string): void {
    if (this.warnings.some((w) => w.message === message)) return;
    const warning = { code, name, message };
    this.warnings.push(warning);
    this.config.emit({ kind: 'warning', ...warning });
  }

  // ---- Fetching ----------------------------------------------------------------------------

  private prefetchBest(name: NormalizedName, entry: ProjectEntry, set: VersionRange): void {
    if (entry.kind === 'not-found' || this.prefetchedFor.get(name) === set) return;
    this.prefetchedFor.set(name, set);
    const allowPre = this.prereleases.allows(name, entry.candidates);
    const candidates = entry.candidates.candidates;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const c = candidates[i] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const status = this.effectiveStatus(name, entry, i);
      if (status.kind === 'usable') this.prefetchMetadata(name, c.version, status.file);
      if (status.kind !== 'unavailable') return;
    }
  }

  private prefetchBatch(name: NormalizedName, entry: ProjectEntry, set: VersionRange, from: number, size: number, allowPre: boolean): void {
    if (entry.kind === 'not-found') return;
    const candidates = entry.candidates.candidates;
    let n = 0;
    for (let i = from - 1; i >= 0 && n < size; i--) {
      const c = candidates[i] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const status = this.effectiveStatus(name, entry, i);
      if (status.kind !== 'usable') continue;
      this.prefetchMetadata(name, c.version, status.file);
      n++;
    }
  }

  private prefetchMetadata(name: NormalizedName, version: Version, file: DistributionFile): void {
    // An sdist's metadata means a build: only when the resolver really needs it.
    if (!file.filename.endsWith('.whl') && file.pyodideLock === undefined) return;
    this.cache.prefetchMetadata(name, version, file);
  }
}

/** The ranges of a specifier set's `==` (not wildcard) and `===` specifiers. */
function pinRanges(specifier: SpecifierSet): VersionRange[] {
  return specifier.specifiers.filter((s) => (s.operator === '==' && !s.isWildcard) || s.operator === '===').map((s) => s.range);
}

function safeEvaluate(req: Requirement, env: MarkerEnvironment, extra: string): boolean {
  try {
    return req.marker === null || req.marker.evaluate(env, extra);
  } catch {
    return false;
  }
}
