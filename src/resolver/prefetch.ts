/**
 * What to fetch before the solver asks, so round trips grow with the depth of the graph rather
 * than its size. pip does not look ahead: it reads a candidate's metadata when resolvelib asks
 * for it, one at a time. uv does, in two ways, and so does Pipette:
 *
 * - After each propagation, the project page of every pending package and the metadata of the
 *   version it would get next (the newest allowed, usable one in its set) are fetched in
 *   parallel (uv's `Resolver::pre_visit`: "to allow metadata to be fetched in parallel").
 * - A package being backtracked through one version at a time gets the metadata of its next
 *   `PREFETCH_BATCH` versions fetched together (uv's `BatchPrefetcher`, once many versions of a
 *   package were tried without success); not after a jump over a stretch a conflict ruled out
 *   at once (the next version may well be the one), nor when the same version is chosen again.
 *
 * - When a pending package's page is here, the caller is told the version it would get
 *   (preferences and policies applied: the version `choose` would answer) is likely
 *   (`ResolveOptions.decisions.likely`), so its wheel can be downloading before the solver
 *   reaches the package: the solver decides in discovery order, and each decision waits for
 *   that package's metadata, so a decision can come several round trips after its page. Told
 *   at once, not when that version's metadata arrives: the metadata adds only the version's own
 *   dependencies, which the solver has not looked at then either, and waiting for it left the
 *   link idle for a round trip (more on a host where it queues behind wheels) per level of the
 *   graph. Not told again while the package's set stays the same.
 *
 * Only wheels' (and Pyodide's files') metadata is prefetched: an sdist's metadata means a build,
 * done only when the resolver really needs it. The policies (pre-releases, yanks) decide what
 * the next version is, so a prefetch asks for what the solver would ask for next.
 */
import type { DistributionFile, NormalizedName, Version, VersionRange } from '../pep';
import type { CandidateStatus } from './candidates';
import type { PrereleasePolicy } from './prerelease';
import { packageKind, type PythonPackage } from './python-package';
import type { ProjectEntry, SourceCache } from './source-cache';

/**
 * How many versions' metadata to fetch ahead when stepping down through a package's versions
 * (uv fetches up to 50 in its batch prefetcher): enough for one conflict to rule out a whole
 * stretch of releases with identical dependencies (see dependencies.ts).
 */
export const PREFETCH_BATCH = 64;

export interface PrefetchContext {
  readonly cache: SourceCache;
  /** `ResolveOptions.prefetch`: off, only the last-chosen bookkeeping is kept. */
  readonly enabled: boolean;
  readonly prereleases: PrereleasePolicy;
  /** A candidate's status with the yank policy applied (yanks.ts). */
  readonly status: (name: NormalizedName, entry: ProjectEntry, i: number) => CandidateStatus;
  /** A project page arrived (its notices are passed on). */
  readonly onProject: (name: NormalizedName, entry: ProjectEntry) => ProjectEntry;
  /** The version the solver would choose now in `set`, if one (VersionChooser.peek). */
  readonly peek: (name: NormalizedName, entry: ProjectEntry, set: VersionRange) => Version | null;
  /** The file `version` installs from, if usable. */
  readonly fileFor: (name: NormalizedName, version: Version) => DistributionFile | null;
  /** Told of a likely version once its project page is here (absent: nobody listens). */
  readonly likely?: (name: NormalizedName, version: Version, file: DistributionFile) => void;
}

export class Prefetcher {
  /** The set each pending package's metadata was last prefetched for. */
  private readonly prefetchedFor = new Map<NormalizedName, VersionRange>();
  /** The candidate index last chosen per project (to see it being stepped through). */
  private readonly lastChosen = new Map<NormalizedName, number>();

  constructor(private readonly context: PrefetchContext) {}

  /** The solver's pending packages after a propagation: fetch what each would need next. */
  afterPropagation(pending: ReadonlyArray<readonly [PythonPackage, VersionRange]>): void {
    if (!this.context.enabled) return;
    const { cache, onProject } = this.context;
    for (const [p, set] of pending) {
      const k = packageKind(p);
      if (k.kind !== 'project' && k.kind !== 'extra') continue;
      const entry = cache.resolved(k.name);
      if (entry) {
        this.prefetchBest(k.name, entry, set);
      } else {
        cache.project(k.name, true).then((e) => onProject(k.name, e)).then(
          (e) => this.prefetchBest(k.name, e, set),
          () => {},
        );
      }
    }
  }

  /** Candidate `i` was chosen as the installed or preferred version (no look-ahead). */
  notePreferred(name: NormalizedName, i: number): void {
    this.lastChosen.set(name, i);
  }

  /**
   * Candidate `i` was chosen, the newest allowed one in `set`: when that steps down from the
   * last choice past nothing usable, fetch the next versions' metadata together.
   */
  chosen(name: NormalizedName, entry: ProjectEntry, set: VersionRange, i: number, allowPre: boolean): void {
    const last = this.lastChosen.get(name);
    this.lastChosen.set(name, i);
    if (last !== undefined && last > i && this.context.enabled && this.steppedDown(name, entry, i, last, allowPre)) {
      this.prefetchBatch(name, entry, set, i, PREFETCH_BATCH, allowPre);
    }
  }

  /** Whether no candidate lies between `from` and the newer `last` (unusable ones aside). */
  private steppedDown(name: NormalizedName, entry: ProjectEntry, from: number, last: number, allowPre: boolean): boolean {
    if (entry.kind === 'not-found') return false;
    const candidates = entry.candidates.candidates;
    for (let j = from + 1; j < last; j++) {
      if ((candidates[j] as { version: Version }).version.isPrerelease && !allowPre) continue;
      if (this.context.status(name, entry, j).kind !== 'unavailable') return false;
    }
    return true;
  }

  private prefetchBest(name: NormalizedName, entry: ProjectEntry, set: VersionRange): void {
    if (entry.kind === 'not-found' || this.prefetchedFor.get(name) === set) return;
    this.prefetchedFor.set(name, set);
    this.expect(name, entry, set);
    const allowPre = this.context.prereleases.allows(name, entry.candidates);
    const candidates = entry.candidates.candidates;
    for (let i = candidates.length - 1; i >= 0; i--) {
      const c = candidates[i] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const status = this.context.status(name, entry, i);
      if (status.kind === 'usable') this.prefetchMetadata(name, c.version, status.file);
      if (status.kind !== 'unavailable') return;
    }
  }

  /** Tells `likely` of the version `set` would get (a wheel or a Pyodide file: never a build). */
  private expect(name: NormalizedName, entry: ProjectEntry, set: VersionRange): void {
    const { likely, peek, fileFor } = this.context;
    if (!likely) return;
    const version = peek(name, entry, set);
    const file = version ? fileFor(name, version) : null;
    if (!version || !file || (!file.filename.endsWith('.whl') && file.pyodideLock === undefined)) return;
    likely(name, version, file);
  }

  private prefetchBatch(name: NormalizedName, entry: ProjectEntry, set: VersionRange, from: number, size: number, allowPre: boolean): void {
    if (entry.kind === 'not-found') return;
    const candidates = entry.candidates.candidates;
    let n = 0;
    for (let i = from - 1; i >= 0 && n < size; i--) {
      const c = candidates[i] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const status = this.context.status(name, entry, i);
      if (status.kind !== 'usable') continue;
      this.prefetchMetadata(name, c.version, status.file);
      n++;
    }
  }

  private prefetchMetadata(name: NormalizedName, version: Version, file: DistributionFile): void {
    // An sdist's metadata means a build: only when the resolver really needs it.
    if (!file.filename.endsWith('.whl') && file.pyodideLock === undefined) return;
    this.context.cache.prefetchMetadata(name, version, file);
  }
}
