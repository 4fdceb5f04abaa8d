/**
 * What a version depends on, from its core metadata, as the solver takes it (pip's
 * `Candidate.iter_dependencies`, uv's `get_dependencies`):
 *
 * - The base package `a` takes the `Requires-Dist` entries whose marker holds without an extra;
 *   `a[x]` depends on `a` at the same version plus the entries that hold only with extra `x`.
 * - Requires-Python, from the file (the index's `requires-python`) and from the metadata: both
 *   must hold, stated as a dependency on the `Python` package. A file whose own Requires-Python
 *   excludes the target needs no metadata at all: that fact alone is its dependency.
 * - A dependency given by URL must be the URL a root requirement gives for the project: pip
 *   refuses URL dependencies of index packages ("Packages installed from PyPI cannot depend on
 *   packages which are not also hosted on PyPI", `install_req_from_req_string`).
 * - Metadata that names another project or version than the file is unusable for that version.
 * - Adjacent versions whose metadata says the same are stated as one stretch (pub's package
 *   lister: "collapses identical dependencies from adjacent package versions"), so one conflict
 *   rules out a whole stretch of releases instead of one release per backtrack.
 *
 * Answers are synchronous when the metadata is already here, so the solver does not await.
 */
import { normalizeName, type DistributionFile, type MarkerEnvironment, type NormalizedName, type Requirement, type SpecifierSet, VersionRange, type Version } from '../pep';
import { type CandidateStatus, type ProjectCandidates, requiresPythonRange } from './candidates';
import { DependencyList, sameDependencies } from './dependency-list';
import { extraPackage, PYTHON_PACKAGE, type PythonPackage } from './python-package';
import type { Dependencies, MaybePromise } from './solver';
import type { MetadataAnswer, ProjectEntry, SourceCache } from './source-cache';
import type { UnavailableReason } from './unavailable';

export type PythonDependencies = Dependencies<PythonPackage, VersionRange, UnavailableReason>;
type Found = ProjectEntry & { readonly candidates: ProjectCandidates };

/** One version's dependencies as its metadata gives them (before widening). */
type Computed =
  | {
      readonly kind: 'available';
      readonly dependencies: Array<readonly [PythonPackage, VersionRange]>;
      /** The requirements that applied (for the pre-release policy and the decision order). */
      readonly applied: readonly Requirement[];
      readonly missingExtra: boolean;
    }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };

export interface DependencyContext {
  readonly cache: SourceCache;
  readonly environment: MarkerEnvironment;
  /** `--no-deps`: Requires-Python (and an extra's base) only. */
  readonly noDeps: boolean;
  /** The root's direct references by project: the only URLs a dependency may name. */
  readonly direct: ReadonlyMap<NormalizedName, string>;
  /** A candidate's status with the yank policy applied (yanks.ts). */
  readonly status: (name: NormalizedName, entry: ProjectEntry, i: number) => CandidateStatus;
  /** A requirement came into the resolution (the policies take note). */
  readonly noteRequirement: (name: NormalizedName, specifier: SpecifierSet) => void;
  /** Packages handed to the solver, in order (for the decision order). */
  readonly discover: (dependencies: ReadonlyArray<readonly [PythonPackage, VersionRange]>) => void;
  readonly warn: (code: string, name: NormalizedName | null, message: string) => void;
}

const NO_REQUIREMENTS: readonly Requirement[] = [];

export class MetadataDependencies {
  /** Dependencies handed out, by `package@version`, for the final graph. */
  private readonly given = new Map<string, ReadonlyArray<readonly [PythonPackage, VersionRange]>>();
  /** `compute`'s answers by package, then candidate index. */
  private readonly computed = new Map<PythonPackage, Array<Computed | undefined>>();

  constructor(private readonly context: DependencyContext) {}

  /** The dependencies of `p` (project `name`, `extra` or the base) at `version`. */
  of(p: PythonPackage, name: NormalizedName, extra: NormalizedName | null, entry: Found, version: Version): MaybePromise<PythonDependencies> {
    const i = entry.candidates.indexOf(version);
    const status = this.context.status(name, entry, i);
    if (status.kind === 'unavailable') return { kind: 'unavailable', reason: status.reason };
    if (status.kind === 'requires-python') {
      // No need for the metadata: the file itself says this Python is not supported. Stated for
      // the adjacent versions that say the same, as pub does for an incompatible SDK.
      let lo = i;
      let hi = i;
      const same = (j: number): boolean => {
        const s = this.context.status(name, entry, j);
        return s.kind === 'requires-python' && s.requiresPython === status.requiresPython;
      };
      while (lo > 0 && same(lo - 1)) lo--;
      while (hi < entry.candidates.candidates.length - 1 && same(hi + 1)) hi++;
      const range = requiresPythonRange(status.requiresPython) ?? VersionRange.empty();
      return this.remember(p, version, { kind: 'available', dependencies: [[PYTHON_PACKAGE, range]], versions: entry.candidates.widen(lo, hi) });
    }
    const file = status.file;
    const build = (): PythonDependencies => this.remember(p, version, this.dependenciesAt(p, name, extra, entry, i, file));
    if (this.context.cache.metadataOf(file) !== undefined) return build();
    return this.context.cache.fetchMetadata(name, version, file, false).then(build);
  }

  /** Records what the solver was given (the root's, every version's). */
  remember(p: PythonPackage, version: Version, deps: PythonDependencies): PythonDependencies {
    if (deps.kind === 'available') this.given.set(`${p}@${version}`, deps.dependencies);
    return deps;
  }

  /** The dependencies handed to the solver for `p` at `version`. */
  givenFor(p: PythonPackage, version: Version): ReadonlyArray<readonly [PythonPackage, VersionRange]> {
    return this.given.get(`${p}@${version}`) ?? [];
  }

  /** Whether `req` applies: to the base (`extra` = ''), or with extra `extra`. An invalid marker warns. */
  markerHolds(req: Requirement, extra: string): boolean {
    if (req.marker === null) return extra === '';
    try {
      return req.marker.evaluate(this.context.environment, extra);
    } catch (error) {
      this.context.warn('marker', req.normalizedName, `Ignoring ${req.toString()}: ${(error as Error).message}`);
      return false;
    }
  }

  /**
   * The dependencies of candidate `i`, stated for the adjacent versions whose metadata is
   * already here and says the same (see the module comment).
   */
  private dependenciesAt(p: PythonPackage, name: NormalizedName, extra: NormalizedName | null, entry: Found, i: number, file: DistributionFile): PythonDependencies {
    const version = (entry.candidates.candidates[i] as { version: Version }).version;
    const own = this.compute(p, name, extra, entry.candidates, i, file) as Computed;
    if (own.kind === 'unavailable') return { kind: 'unavailable', reason: own.reason };
    const same = (j: number): boolean => {
      const status = this.context.status(name, entry, j);
      if (status.kind !== 'usable') return false;
      const other = this.compute(p, name, extra, entry.candidates, j, status.file);
      return other !== null && other.kind === 'available' && sameDependencies(own.dependencies, other.dependencies);
    };
    let lo = i;
    let hi = i;
    while (lo > 0 && same(lo - 1)) lo--;
    while (hi < entry.candidates.candidates.length - 1 && same(hi + 1)) hi++;
    for (const req of own.applied) this.context.noteRequirement(req.normalizedName, req.specifier);
    if (own.missingExtra && extra !== null) this.context.warn('missing-extra', name, `${name} ${version} does not provide the extra '${extra}'`);
    this.context.discover(own.dependencies);
    return { kind: 'available', dependencies: own.dependencies, versions: entry.candidates.widen(lo, hi) };
  }

  /** One version's dependencies from its metadata, without side effects (cached); null before the metadata is here. */
  private compute(p: PythonPackage, name: NormalizedName, extra: NormalizedName | null, candidates: ProjectCandidates, i: number, file: DistributionFile): Computed | null {
    const meta = this.context.cache.metadataOf(file);
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

  private computeFrom(name: NormalizedName, extra: NormalizedName | null, version: Version, file: DistributionFile, meta: MetadataAnswer): Computed {
    if ('error' in meta) {
      const error = meta.error as { code?: unknown; reason?: unknown; message?: unknown };
      const message = String(error.reason ?? error.message ?? error);
      if (error.code === 'metadata-mismatch') return { kind: 'unavailable', reason: { kind: 'inconsistent-metadata', message } };
      return { kind: 'unavailable', reason: { kind: 'invalid-metadata', message } };
    }
    if ((meta.name !== name && normalizeName(meta.name) !== name) || meta.version.compare(version) !== 0) {
      return {
        kind: 'unavailable',
        reason: { kind: 'inconsistent-metadata', message: `${file.filename} has metadata for ${meta.name} ${meta.version}, expected ${name} ${version}` },
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
      let python = requiresPythonRange(file.requiresPython);
      if (meta.requiresPython !== null) python = python ? python.intersection(meta.requiresPython.range) : meta.requiresPython.range;
      if (python !== null) deps.add(PYTHON_PACKAGE, python);
    }
    if (!this.context.noDeps) {
      for (const req of meta.requiresDist) {
        // The base takes the requirements whose marker holds without an extra; `a[x]` those that
        // hold only with extra x (pip `iter_dependencies`; the base's are the base package's).
        const applies = extra === null ? this.markerHolds(req, '') : this.markerHolds(req, extra) && !this.markerHolds(req, '');
        if (!applies) continue;
        const dep = req.normalizedName;
        if (req.url !== null && this.context.direct.get(dep) !== req.url) {
          return { kind: 'unavailable', reason: { kind: 'url-dependency', requirement: req.toString() } };
        }
        if (applied) applied.push(req);
        else applied = [req];
        addRequirement(deps, dep, req, req.specifier.range);
      }
    }
    return { kind: 'available', dependencies: deps.sorted(), applied: applied ?? NO_REQUIREMENTS, missingExtra };
  }
}

/** A requirement as dependencies: its project and each of its extras, over `range`. */
export function addRequirement(deps: DependencyList, name: NormalizedName, req: Requirement, range: VersionRange): void {
  deps.add(name, range);
  for (const extra of req.normalizedExtras) deps.add(extraPackage(name, extra), range);
}
