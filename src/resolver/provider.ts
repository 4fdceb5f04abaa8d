/**
 * The Python dependency provider: what PubGrub needs to know about Python packages, from a
 * PackageSource, for one target environment (a Pyodide). Separate from the core, as in
 * pubgrub-rs (`DependencyProvider`) and uv (`crates/uv-resolver/src/resolver/provider.rs`).
 *
 * A coordinator: each pip policy is a module of its own, as uv keeps one file each.
 * - Packages: projects, extras as virtual packages `a[x]`, `Python`, the root (python-package.ts).
 * - Versions: the project's candidates (candidates.ts); a run of adjacent unusable versions is
 *   reported as one `unavailable` fact with its reason, stated for the stretch of versions it
 *   covers so explanations read `foo>=2.0` (pub's package lister).
 * - Pre-releases: prerelease.ts. Yanked versions: yanks.ts. Preferences (installed or locked
 *   versions first): preferences.ts. Decision order: priority.ts. Look-ahead: prefetch.ts.
 * - Dependencies from metadata: dependencies.ts.
 * - Synchronous answers whenever the data is already here, so the solver does not await.
 */
import type { DistributionFile, MarkerEnvironment, NormalizedName, Requirement, SpecifierSet } from '../pep';
import { Version, VersionRange } from '../pep';
import type { CandidateContext, ProjectCandidates } from './candidates';
import type { ConflictStanding } from './conflict-tracker';
import { addRequirement, MetadataDependencies, type PythonDependencies } from './dependencies';
import { DependencyList } from './dependency-list';
import type { PackageSource } from './package-source';
import { Preferences } from './preferences';
import { Prefetcher } from './prefetch';
import { PrereleasePolicy } from './prerelease';
import { DecisionOrder } from './priority';
import { packageKind, type PythonPackage } from './python-package';
import { ResolverError } from './resolver-error';
import type { DependencyProvider, MaybePromise, Priority } from './solver';
import { type FetchEvent, type ProjectEntry, SourceCache } from './source-cache';
import type { UnavailableReason } from './unavailable';
import { type Choice, VersionChooser } from './version-choice';
import { YankPolicy } from './yanks';

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
  /** Told of the version a pending project will likely get (prefetch.ts); never throws. */
  readonly likely?: (name: NormalizedName, version: Version, file: DistributionFile) => void;
  /** Files allowed per project (see ResolveOptions.formats); wheels only when absent. */
  readonly formats?: (name: NormalizedName) => { readonly wheels: boolean; readonly sdists: boolean };
  readonly signal?: AbortSignal;
  readonly emit: (event: ProviderEvent) => void;
  /** Whether `emit` gets fetch events (default true); `requests` counts them either way. */
  readonly reportFetches?: boolean;
}

export class PythonProvider implements DependencyProvider<PythonPackage, Version, VersionRange, UnavailableReason> {
  private readonly cache: SourceCache;
  private readonly direct = new Map<NormalizedName, string>();
  private readonly requested = new Set<NormalizedName>();
  private readonly order = new DecisionOrder(this.direct);
  private readonly prereleases: PrereleasePolicy;
  private readonly yanks = new YankPolicy();
  private readonly preferences: Preferences;
  private readonly prefetcher: Prefetcher;
  private readonly chooser: VersionChooser;
  private readonly dependencies: MetadataDependencies;
  private readonly rootDependencies: ReadonlyArray<readonly [PythonPackage, VersionRange]>;
  readonly warnings: Array<{ readonly code: string; readonly name: NormalizedName | null; readonly message: string }> = [];

  constructor(private readonly config: ProviderConfig) {
    const context: CandidateContext = { supported: config.supported, python: config.python, excludeNewer: config.excludeNewer, versions: new Map(), ...(config.formats ? { formats: config.formats } : {}) };
    this.cache = new SourceCache(config.source, context, this.direct, config.reportFetches === false ? null : config.emit, config.signal);
    this.prereleases = new PrereleasePolicy(config.pre);
    this.preferences = new Preferences(config.preferences, config.upgrade);
    const status = this.yanks.status.bind(this.yanks);
    this.prefetcher = new Prefetcher({
      cache: this.cache,
      enabled: config.prefetch,
      prereleases: this.prereleases,
      status,
      onProject: (name, e) => this.withWarnings(name, e),
      peek: (name, entry, set) => this.chooser.peek(name, false, entry, set),
      fileFor: (name, version) => this.fileFor(name, version)?.file ?? null,
      ...(config.likely ? { likely: config.likely } : {}),
    });
    this.chooser = new VersionChooser({ prereleases: this.prereleases, yanks: this.yanks, preferences: this.preferences, prefetcher: this.prefetcher });
    this.dependencies = new MetadataDependencies({
      cache: this.cache,
      environment: config.environment,
      noDeps: config.noDeps,
      direct: this.direct,
      status,
      noteRequirement: (name, specifier) => this.noteRequirement(name, specifier),
      discover: (deps) => this.order.discover(deps),
      warn: (code, name, message) => this.warn(code, name, message),
    });
    const deps = new DependencyList();
    for (const req of config.requirements) {
      if (!this.dependencies.markerHolds(req, '')) continue;
      const name = req.normalizedName;
      this.requested.add(name);
      if (req.url !== null) {
        const known = this.direct.get(name);
        if (known !== undefined && known !== req.url) {
          throw new ResolverError('conflicting-urls', `Cannot install ${name} from two different URLs: ${known} and ${req.url}. Keep one of them.`, req.toString());
        }
        this.direct.set(name, req.url);
      }
      this.noteRequirement(name, req.specifier);
      addRequirement(deps, name, req, req.specifier.range);
    }
    this.rootDependencies = deps.sorted();
    this.order.discover(this.rootDependencies);
    for (const req of config.constraints) {
      // pip merges constraint specifiers into the requirement's: `-c` `foo>=2.0b1` names one.
      if (safeEvaluate(req, config.environment)) this.prereleases.noteConstraint(req.normalizedName, req.specifier);
    }
    for (const req of [...config.requirements, ...config.constraints]) {
      if (safeEvaluate(req, config.environment)) this.yanks.notePin(req.normalizedName, req.specifier);
    }
  }

  // ---- DependencyProvider ----------------------------------------------------------------

  prioritize(p: PythonPackage, _set: VersionRange, standing: ConflictStanding): Priority {
    return this.order.priority(p, standing);
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
    if (entry) return this.chooser.choose(k.name, k.kind === 'extra', entry, set);
    return this.cache.project(k.name, false).then((e) => this.withWarnings(k.name, e)).then((e) => this.chooser.choose(k.name, k.kind === 'extra', e, set));
  }

  getDependencies(p: PythonPackage, version: Version): MaybePromise<PythonDependencies> {
    const k = packageKind(p);
    if (k.kind === 'root') return this.dependencies.remember(p, version, { kind: 'available', dependencies: this.rootDependencies });
    if (k.kind === 'python') return { kind: 'available', dependencies: [] };
    const entry = this.cache.resolved(k.name);
    if (!entry || entry.kind === 'not-found') throw new Error(`Resolver invariant: dependencies of ${p} before its versions`);
    return this.dependencies.of(p, k.name, k.kind === 'extra' ? k.extra : null, entry, version);
  }

  afterPropagation(pending: ReadonlyArray<readonly [PythonPackage, VersionRange]>): void {
    this.prefetcher.afterPropagation(pending);
  }

  // ---- What the resolution and the explanation need afterwards ----------------------------

  /** Project pages and metadata files asked of the source so far (prefetches included). */
  get requests(): { readonly projects: number; readonly metadata: number } {
    return { projects: this.cache.projectRequests, metadata: this.cache.metadataRequests };
  }

  /** Note a decision (from the solver's log), used as a hint for extras. */
  noteDecision(p: PythonPackage, version: Version): void {
    this.preferences.noteDecision(p, version);
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

  /** The file chosen for a version and whether it is yanked. */
  fileFor(name: NormalizedName, version: Version): { file: DistributionFile; yanked: false | string } | null {
    const status = this.candidatesOf(name)?.get(version)?.status();
    return status?.kind === 'usable' ? { file: status.file, yanked: status.yanked } : null;
  }

  /** The dependencies handed to the solver for `p` at `version`. */
  dependenciesOf(p: PythonPackage, version: Version): ReadonlyArray<readonly [PythonPackage, VersionRange]> {
    return this.dependencies.givenFor(p, version);
  }

  isRequested(name: NormalizedName): boolean {
    return this.requested.has(name);
  }

  directUrl(name: NormalizedName): string | null {
    return this.direct.get(name) ?? null;
  }

  private noteRequirement(name: NormalizedName, specifier: SpecifierSet): void {
    this.prereleases.noteRequirement(name, specifier);
    this.order.noteRequirement(name, specifier);
  }

  /** Pass the index's notices for a project on, once. */
  private withWarnings(name: NormalizedName, entry: ProjectEntry): ProjectEntry {
    if (entry.kind === 'found') for (const w of entry.warnings) this.warn('index', name, w);
    return entry;
  }

  private warn(code: string, name: NormalizedName | null, message: string): void {
    if (this.warnings.some((w) => w.message === message)) return;
    const warning = { code, name, message };
    this.warnings.push(warning);
    this.config.emit({ kind: 'warning', ...warning });
  }
}

function safeEvaluate(req: Requirement, env: MarkerEnvironment): boolean {
  try {
    return req.marker === null || req.marker.evaluate(env, '');
  } catch {
    return false;
  }
}
