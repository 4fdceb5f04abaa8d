/**
 * Which pre-releases a resolution may use: pip 25.3's rule (the pip Pipette speaks, see
 * src/pip/version.ts), which is packaging 25.0's `SpecifierSet.filter` as pip's
 * `CandidateEvaluator.get_applicable_candidates` calls it on a project's merged specifier
 * (every requirement and constraint on the project), with `prereleases=True` under `--pre`
 * and `None` otherwise:
 *
 * - `--pre`: every pre-release.
 * - A specifier that names a pre-release turns them on for the project: packaging 25's
 *   `Specifier.prereleases` is true for `==`, `>=`, `<=`, `~=`, `===`, `>` and `<` of a
 *   pre-release (`>=2.0b1`, `<0.2.0a2`), never for `!=`. (Packaging before 24.2, hence pip 24.2,
 *   left `<` and `>` out; pip 25.3 and 26 agree.)
 * - Otherwise a non-empty specifier keeps final releases only: packaging 25 filters each
 *   specifier with `prereleases=False`, so `pkg>=1.5` with only `2.0b1` above 1.5 finds nothing.
 *   (Packaging 26, vendored from pip 26.0 on, takes the pre-release then: pip 26.0's news,
 *   "Fix selecting pre-release versions when only pre-releases match". Not pip 25.3.)
 * - An empty specifier (`pkg`, as a dependency or on the command line) keeps final releases,
 *   or every pre-release when the project has no final release at all: pip installs a
 *   dependency that only ever had pre-releases.
 *
 * pip decides this per round from the requirements in play; PubGrub needs a fixed answer per
 * project, so the answer is taken from every requirement seen so far, and once pre-releases
 * are on for a project they stay on. The last rule applies only while every requirement seen
 * on the project is bare (with a specifier on it pip's merged set is no longer empty).
 *
 * An installed or locked pre-release is kept while it fits (preferences.ts): pip asks the
 * installed version `specifier.contains(v, prereleases=True)`, not the filter.
 */
import type { NormalizedName, SpecifierSet } from '../pep';

/** Why a project's pre-releases are candidates: `--pre`, a specifier naming one, or no final release. */
export type PrereleaseReason = 'flag' | 'named' | 'no-final';

/** What the last rule asks of a project: whether it has a final release pip's finder would list. */
export interface FinalReleases {
  /**
   * Some final release has a file pip's finder would list: installable here, yanked or not
   * (pip filters versions before it drops yanked files), Requires-Python met.
   * (ProjectCandidates.hasFinal; the specifier lab passes what it knows.)
   */
  readonly hasFinal: boolean;
}

export class PrereleasePolicy {
  /** Some requirement or constraint on the project names a pre-release. */
  private readonly named = new Set<NormalizedName>();
  /** Some requirement on the project has no specifier. */
  private readonly bare = new Set<NormalizedName>();
  /** Some requirement or constraint on the project has a specifier. */
  private readonly specified = new Set<NormalizedName>();
  /** Settled: pre-releases are on for the project, and why. */
  private readonly on = new Map<NormalizedName, PrereleaseReason>();

  /** `all`: `--pre`. */
  constructor(private readonly all: boolean) {}

  /** A requirement on `name` (root or dependency) came into the resolution. */
  noteRequirement(name: NormalizedName, specifier: SpecifierSet): void {
    if (specifier.namesPrerelease) this.named.add(name);
    if (specifier.specifiers.length === 0) this.bare.add(name);
    else this.specified.add(name);
  }

  /** A constraint (`-c`) on `name`: pip merges its specifier into every requirement's. */
  noteConstraint(name: NormalizedName, specifier: SpecifierSet): void {
    if (specifier.namesPrerelease) this.named.add(name);
    if (specifier.specifiers.length > 0) this.specified.add(name);
  }

  /** Whether `name`'s pre-releases may be chosen (the module comment's rules). */
  allows(name: NormalizedName, project: FinalReleases): boolean {
    return this.all || this.on.has(name) || this.reason(name, project) !== null;
  }

  /** Why `name`'s pre-releases may be chosen, or null when they may not (settles the answer). */
  reason(name: NormalizedName, project: FinalReleases): PrereleaseReason | null {
    if (this.all) return 'flag';
    let why = this.on.get(name) ?? null;
    if (why === null) {
      if (this.named.has(name)) why = 'named';
      else if (this.bare.has(name) && !this.specified.has(name) && !project.hasFinal) why = 'no-final';
      if (why !== null) this.on.set(name, why);
    }
    return why;
  }
}
