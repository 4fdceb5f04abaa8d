/**
 * The partial solution: the ordered assignments (decisions and derivations) the solver
 * currently believes, grouped by package (pub `doc/solver.md` "Partial Solution";
 * pubgrub-rs `src/internal/partial_solution.rs`).
 *
 * Each assignment has a global index (its position in the one ordered list pub describes)
 * and a decision level (how many decisions precede it). Per package we keep the
 * derivations in order with the running intersection after each, so the satisfier search
 * ("the earliest assignment after which the incompatibility is satisfied") is a scan per
 * package instead of a walk over the whole history.
 */
import type { Incompatibility } from './incompatibility';
import { Term } from './term';
import type { VersionSet, VersionSetFactory } from './version-set';

/**
 * A derivation with where it sits in history and the intersection of its package's terms so
 * far. Recycled: backjumping undoes tens of thousands of derivations in a deep resolution,
 * and propagation makes them again.
 */
interface DatedDerivation<P, V, S extends VersionSet<V, S>, M> {
  globalIndex: number;
  decisionLevel: number;
  cause: Incompatibility<P, V, S, M>;
  /** Intersection of this derivation's term and every earlier one for the same package. */
  accumulated: Term<V, S>;
}

interface PackageAssignments<P, V, S extends VersionSet<V, S>, M> {
  readonly package: P;
  /** False once backjumping dropped every assignment (the record waits to be reused). */
  live: boolean;
  smallestDecisionLevel: number;
  highestDecisionLevel: number;
  /** The first `count` entries are the package's derivations, oldest first (the rest is room). */
  readonly derivations: DatedDerivation<P, V, S, M>[];
  count: number;
  decision: { readonly globalIndex: number; readonly version: V; readonly term: Term<V, S> } | null;
  /** The intersection of every assignment (the decision's exact term once decided). */
  intersection: Term<V, S>;
}

/** Where a conflict's satisfier sits relative to the previous satisfier. */
export type SatisfierSearch<P, V, S extends VersionSet<V, S>, M> =
  /** Backjump to `previousSatisfierLevel`; the incompatibility is then almost satisfied. */
  | { readonly kind: 'different-levels'; readonly package: P; readonly previousSatisfierLevel: number }
  /** The satisfier is a derivation at the same level: resolve with its cause (a prior cause). */
  | { readonly kind: 'same-level'; readonly package: P; readonly satisfierCause: Incompatibility<P, V, S, M> };

export class PartialSolution<P, V, S extends VersionSet<V, S>, M> {
  private nextGlobalIndex = 0;
  private level = 0;
  /**
   * Every package ever assigned, live or not: backjumping marks records dead instead of
   * deleting them (a Map whose keys come and go by the hundred rehashes all the time).
   */
  private readonly records = new Map<P, PackageAssignments<P, V, S, M>>();
  /**
   * The live records in the order their packages (re)appeared, which is what a Map from which
   * dropped packages are deleted would iterate: decision making breaks ties by it.
   */
  private readonly live: PackageAssignments<P, V, S, M>[] = [];
  /** Decided packages in decision order (index i was decided at level i + 1). */
  private readonly decided: P[] = [];
  /** Per-term scratch space of `satisfierSearch` (global index and level of each satisfier). */
  private readonly scratchGlobal: number[] = [];
  private readonly scratchLevel: number[] = [];
  /** Undone derivations, for reuse (the first `spareCount`). */
  private readonly spare: DatedDerivation<P, V, S, M>[] = [];
  private spareCount = 0;

  constructor(private readonly sets: VersionSetFactory<V, S>) {}

  get currentDecisionLevel(): number {
    return this.level;
  }

  /** The intersection of every assignment about `package`, or undefined when there is none. */
  termIntersection(package_: P): Term<V, S> | undefined {
    const pa = this.records.get(package_);
    return pa !== undefined && pa.live ? pa.intersection : undefined;
  }

  /** A decision selects one version; it opens a new decision level. */
  addDecision(package_: P, version: V): void {
    const pa = this.records.get(package_);
    if (!pa || !pa.live || pa.decision) throw new Error(`PubGrub invariant: cannot decide ${String(package_)} now`);
    if (!pa.intersection.contains(version)) {
      throw new Error(`PubGrub invariant: ${String(package_)} ${String(version)} is outside ${pa.intersection}`);
    }
    this.level += 1;
    pa.highestDecisionLevel = this.level;
    const term = Term.positive<V, S>(this.sets.singleton(version));
    pa.decision = { globalIndex: this.nextGlobalIndex++, version, term };
    pa.intersection = term;
    this.decided.push(package_);
  }

  /** Add `not t` where t is `cause`'s term for `package` (unit propagation's derivation). */
  addDerivation(package_: P, cause: Incompatibility<P, V, S, M>): void {
    const t = cause.get(package_);
    if (!t) throw new Error(`PubGrub invariant: ${cause} has no term for ${String(package_)}`);
    const term = t.negate();
    let pa = this.records.get(package_);
    const d = this.dated(this.nextGlobalIndex++, cause, term);
    if (pa && pa.live) {
      if (pa.decision) throw new Error(`PubGrub invariant: derivation for decided ${String(package_)}`);
      pa.highestDecisionLevel = this.level;
      d.accumulated = pa.intersection = pa.intersection.intersection(term);
      pa.derivations[pa.count++] = d;
      return;
    }
    if (!pa) {
      pa = { package: package_, live: true, smallestDecisionLevel: 0, highestDecisionLevel: 0, derivations: [d], count: 1, decision: null, intersection: term };
      this.records.set(package_, pa);
    } else {
      pa.live = true;
      pa.derivations[0] = d;
      pa.count = 1;
      pa.decision = null;
      pa.intersection = term;
    }
    pa.smallestDecisionLevel = this.level;
    pa.highestDecisionLevel = this.level;
    this.live.push(pa);
  }

  /** A derivation record at the current level (a recycled one when there is one). */
  private dated(globalIndex: number, cause: Incompatibility<P, V, S, M>, accumulated: Term<V, S>): DatedDerivation<P, V, S, M> {
    if (this.spareCount === 0) return { globalIndex, decisionLevel: this.level, cause, accumulated };
    const d = this.spare[--this.spareCount] as DatedDerivation<P, V, S, M>;
    d.globalIndex = globalIndex;
    d.decisionLevel = this.level;
    d.cause = cause;
    d.accumulated = accumulated;
    return d;
  }

  /** Undo the package's derivations from index `keep` on. */
  private undoDerivations(pa: PackageAssignments<P, V, S, M>, keep: number): void {
    for (let i = keep; i < pa.count; i++) this.spare[this.spareCount++] = pa.derivations[i] as DatedDerivation<P, V, S, M>;
    pa.count = keep;
  }

  /**
   * Packages that can be decided next: a positive intersection and no decision yet
   * (pub: "a package with a positive derivation but no decision"), in insertion order, into
   * the two arrays given (reused across calls: this runs before every decision).
   */
  undecided(packages: P[], sets: S[]): void {
    // Written by index, then cut to length: emptying an array first would free its storage.
    let n = 0;
    for (let i = 0; i < this.live.length; i++) {
      const pa = this.live[i] as PackageAssignments<P, V, S, M>;
      if (!pa.decision && pa.intersection.positive) {
        packages[n] = pa.package;
        sets[n] = pa.intersection.set;
        n++;
      }
    }
    packages.length = n;
    sets.length = n;
  }

  /** The decided versions (a total solution once nothing is undecided). */
  extractSolution(): Map<P, V> {
    const solution = new Map<P, V>();
    for (const p of this.decided) {
      const d = this.records.get(p)?.decision;
      if (d) solution.set(p, d.version);
    }
    return solution;
  }

  /** Drop every assignment above `level` (backjumping). */
  backtrack(level: number): void {
    this.level = level;
    this.decided.length = Math.min(this.decided.length, level);
    // Keep the live records in order, dropping those whose every assignment goes.
    let kept = 0;
    for (let i = 0; i < this.live.length; i++) {
      const pa = this.live[i] as PackageAssignments<P, V, S, M>;
      if (pa.smallestDecisionLevel > level) {
        pa.live = false;
        pa.decision = null;
        this.undoDerivations(pa, 0);
        continue;
      }
      if (pa.highestDecisionLevel > level) {
        // The decision, if any, was the last assignment of the package, so it goes too.
        pa.decision = null;
        let keep = pa.count;
        while (keep > 0 && (pa.derivations[keep - 1] as DatedDerivation<P, V, S, M>).decisionLevel > level) keep--;
        if (keep === 0) throw new Error(`PubGrub invariant: ${String(pa.package)} lost every derivation`);
        this.undoDerivations(pa, keep);
        const last = pa.derivations[keep - 1] as DatedDerivation<P, V, S, M>;
        pa.highestDecisionLevel = last.decisionLevel;
        pa.intersection = last.accumulated;
      }
      this.live[kept++] = pa;
    }
    this.live.length = kept;
  }

  /**
   * Add `version` as a decision unless one of the incompatibilities just created from its
   * dependencies would then be satisfied (pub "Decision Making": "unless this would produce a
   * conflict"); unit propagation then derives why it cannot be. Returns null when added, else
   * the incompatibility the decision would have satisfied.
   */
  addVersion(package_: P, version: V, newIncompatibilities: readonly Incompatibility<P, V, S, M>[]): Incompatibility<P, V, S, M> | null {
    const exact = Term.positive<V, S>(this.sets.singleton(version));
    const lookup = (p: P): Term<V, S> | undefined => (p === package_ ? exact : this.termIntersection(p));
    for (const incompatibility of newIncompatibilities) {
      if (incompatibility.relation(lookup).kind === 'satisfied') return incompatibility;
    }
    this.addDecision(package_, version);
    return null;
  }

  /** The decision level of `package`'s decision, or null when it is not decided. */
  decisionLevelOf(package_: P): number | null {
    const pa = this.records.get(package_);
    return pa !== undefined && pa.live && pa.decision ? pa.highestDecisionLevel : null;
  }

  /**
   * Find the satisfier of a satisfied incompatibility and decide between backjumping and
   * resolving further (pub "Conflict Resolution"; pubgrub-rs `satisfier_search`). Runs for
   * every step of every conflict resolution, so it allocates nothing but its answer.
   */
  satisfierSearch(incompatibility: Incompatibility<P, V, S, M>): SatisfierSearch<P, V, S, M> {
    const packages = incompatibility.packages;
    const terms = incompatibility.terms;
    // The satisfier: of each package's satisfier (the earliest assignment after which the
    // package's term is satisfied), the latest one.
    const globals = this.scratchGlobal;
    const levels = this.scratchLevel;
    let satisfierAt = -1;
    let satisfierPa: PackageAssignments<P, V, S, M> | null = null;
    let satisfierIndex = 0;
    let satisfierGlobal = -1;
    for (let k = 0; k < packages.length; k++) {
      const pa = this.mustGet(packages[k] as P);
      const at = this.satisfier(packages[k] as P, pa, (terms[k] as Term<V, S>).negate());
      const global = globalIndexAt(pa, at);
      globals[k] = global;
      levels[k] = decisionLevelAt(pa, at);
      if (global > satisfierGlobal) {
        satisfierAt = k;
        satisfierPa = pa;
        satisfierIndex = at;
        satisfierGlobal = global;
      }
    }
    if (satisfierPa === null) throw new Error('PubGrub invariant: empty incompatibility has no satisfier');
    const satisfierPackage = packages[satisfierAt] as P;
    const pa = satisfierPa;
    const satisfierCause = satisfierIndex < pa.count ? (pa.derivations[satisfierIndex] as DatedDerivation<P, V, S, M>).cause : null;
    const satisfierLevel = decisionLevelAt(pa, satisfierIndex);
    // The previous satisfier: the earliest assignment before the satisfier such that it and the
    // satisfier together satisfy the incompatibility. For the satisfier's own package, search
    // again with the satisfier's term folded into the start term; the other packages keep theirs.
    const satisfierTerm = satisfierCause
      ? (satisfierCause.get(satisfierPackage) as Term<V, S>).negate()
      : (pa.decision as { term: Term<V, S> }).term;
    const incompatTerm = terms[satisfierAt] as Term<V, S>;
    const previousAt = this.satisfier(satisfierPackage, pa, satisfierTerm.intersection(incompatTerm.negate()));
    // The latest of the previous satisfier and the other packages' satisfiers.
    let latestGlobal = globalIndexAt(pa, previousAt);
    let latestLevel = decisionLevelAt(pa, previousAt);
    for (let k = 0; k < packages.length; k++) {
      if (k !== satisfierAt && (globals[k] as number) > latestGlobal) {
        latestGlobal = globals[k] as number;
        latestLevel = levels[k] as number;
      }
    }
    const previousSatisfierLevel = Math.max(latestLevel, 1);
    if (previousSatisfierLevel >= satisfierLevel) {
      if (!satisfierCause) throw new Error('PubGrub invariant: a decision cannot share its level with an earlier assignment');
      return { kind: 'same-level', package: satisfierPackage, satisfierCause };
    }
    return { kind: 'different-levels', package: satisfierPackage, previousSatisfierLevel };
  }

  /**
   * The earliest assignment of `package` after which the accumulated intersection is disjoint
   * with `startTerm` (the negated incompatibility term): the index of a derivation, or
   * `count` for the decision.
   */
  private satisfier(package_: P, pa: PackageAssignments<P, V, S, M>, startTerm: Term<V, S>): number {
    // accumulated intersections only shrink, so disjointness is monotone: binary search.
    const derivations = pa.derivations;
    let lo = 0;
    let hi = pa.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((derivations[mid] as DatedDerivation<P, V, S, M>).accumulated.isDisjoint(startTerm)) hi = mid;
      else lo = mid + 1;
    }
    if (lo === pa.count && !pa.decision) {
      throw new Error(`PubGrub invariant: no satisfier for ${String(package_)} ${startTerm.negate()} (is the version order broken?)`);
    }
    return lo;
  }

  private mustGet(package_: P): PackageAssignments<P, V, S, M> {
    const pa = this.records.get(package_);
    if (!pa || !pa.live) throw new Error(`PubGrub invariant: no assignment for ${String(package_)}`);
    return pa;
  }
}

/** The global index of assignment `at` of a package (a derivation, or past the last one the decision). */
function globalIndexAt<P, V, S extends VersionSet<V, S>, M>(pa: PackageAssignments<P, V, S, M>, at: number): number {
  return at < pa.count ? (pa.derivations[at] as { globalIndex: number }).globalIndex : (pa.decision as { globalIndex: number }).globalIndex;
}

/** The decision level of assignment `at` of a package (the decision's is the package's highest). */
function decisionLevelAt<P, V, S extends VersionSet<V, S>, M>(pa: PackageAssignments<P, V, S, M>, at: number): number {
  return at < pa.count ? (pa.derivations[at] as { decisionLevel: number }).decisionLevel : pa.highestDecisionLevel;
}
