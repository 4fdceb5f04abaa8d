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

/** A derivation with where it sits in history and the intersection of its package's terms so far. */
interface DatedDerivation<P, V, S extends VersionSet<V, S>, M> {
  readonly globalIndex: number;
  readonly decisionLevel: number;
  readonly cause: Incompatibility<P, V, S, M>;
  /** Intersection of this derivation's term and every earlier one for the same package. */
  readonly accumulated: Term<V, S>;
}

interface PackageAssignments<P, V, S extends VersionSet<V, S>, M> {
  smallestDecisionLevel: number;
  highestDecisionLevel: number;
  derivations: DatedDerivation<P, V, S, M>[];
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

interface Satisfied<P, V, S extends VersionSet<V, S>, M> {
  cause: Incompatibility<P, V, S, M> | null;
  globalIndex: number;
  decisionLevel: number;
}

export class PartialSolution<P, V, S extends VersionSet<V, S>, M> {
  private nextGlobalIndex = 0;
  private level = 0;
  private readonly assignments = new Map<P, PackageAssignments<P, V, S, M>>();
  /** Decided packages in decision order (index i was decided at level i + 1). */
  private readonly decided: P[] = [];

  constructor(private readonly sets: VersionSetFactory<V, S>) {}

  get currentDecisionLevel(): number {
    return this.level;
  }

  /** The intersection of every assignment about `package`, or undefined when there is none. */
  termIntersection(package_: P): Term<V, S> | undefined {
    return this.assignments.get(package_)?.intersection;
  }

  /** A decision selects one version; it opens a new decision level. */
  addDecision(package_: P, version: V): void {
    const pa = this.assignments.get(package_);
    if (!pa || pa.decision) throw new Error(`PubGrub invariant: cannot decide ${String(package_)} now`);
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
    const pa = this.assignments.get(package_);
    const globalIndex = this.nextGlobalIndex++;
    if (!pa) {
      this.assignments.set(package_, {
        smallestDecisionLevel: this.level,
        highestDecisionLevel: this.level,
        derivations: [{ globalIndex, decisionLevel: this.level, cause, accumulated: term }],
        decision: null,
        intersection: term,
      });
      return;
    }
    if (pa.decision) throw new Error(`PubGrub invariant: derivation for decided ${String(package_)}`);
    pa.highestDecisionLevel = this.level;
    const accumulated = pa.intersection.intersection(term);
    pa.intersection = accumulated;
    pa.derivations.push({ globalIndex, decisionLevel: this.level, cause, accumulated });
  }

  /**
   * Packages that can be decided next: a positive intersection and no decision yet
   * (pub: "a package with a positive derivation but no decision"), in insertion order, into
   * the two arrays given (reused across calls: this runs before every decision).
   */
  undecided(packages: P[], sets: S[]): void {
    packages.length = 0;
    sets.length = 0;
    for (const [p, pa] of this.assignments) {
      if (!pa.decision && pa.intersection.positive) {
        packages.push(p);
        sets.push(pa.intersection.set);
      }
    }
  }

  /** The decided versions (a total solution once nothing is undecided). */
  extractSolution(): Map<P, V> {
    const solution = new Map<P, V>();
    for (const p of this.decided) {
      const d = this.assignments.get(p)?.decision;
      if (d) solution.set(p, d.version);
    }
    return solution;
  }

  /** Drop every assignment above `level` (backjumping). */
  backtrack(level: number): void {
    this.level = level;
    this.decided.length = Math.min(this.decided.length, level);
    for (const [p, pa] of this.assignments) {
      if (pa.smallestDecisionLevel > level) {
        this.assignments.delete(p);
      } else if (pa.highestDecisionLevel > level) {
        // The decision, if any, was the last assignment of the package, so it goes too.
        pa.decision = null;
        while (pa.derivations.length > 0 && (pa.derivations[pa.derivations.length - 1] as DatedDerivation<P, V, S, M>).decisionLevel > level) {
          pa.derivations.pop();
        }
        const last = pa.derivations[pa.derivations.length - 1];
        if (!last) throw new Error(`PubGrub invariant: ${String(p)} lost every derivation`);
        pa.highestDecisionLevel = last.decisionLevel;
        pa.intersection = last.accumulated;
      }
    }
  }

  /**
   * Add `version` as a decision unless one of the incompatibilities just created from its
   * dependencies would then be satisfied (pub "Decision Making": "unless this would produce a
   * conflict"); unit propagation then derives why it cannot be. Returns whether it was added.
   */
  addVersion(package_: P, version: V, newIncompatibilities: readonly Incompatibility<P, V, S, M>[]): boolean {
    const exact = Term.positive<V, S>(this.sets.singleton(version));
    const lookup = (p: P): Term<V, S> | undefined => (p === package_ ? exact : this.termIntersection(p));
    for (const incompatibility of newIncompatibilities) {
      if (incompatibility.relation(lookup).kind === 'satisfied') return false;
    }
    this.addDecision(package_, version);
    return true;
  }

  /**
   * Find the satisfier of a satisfied incompatibility and decide between backjumping and
   * resolving further (pub "Conflict Resolution"; pubgrub-rs `satisfier_search`).
   */
  satisfierSearch(incompatibility: Incompatibility<P, V, S, M>): SatisfierSearch<P, V, S, M> {
    const satisfied = new Map<P, Satisfied<P, V, S, M>>();
    incompatibility.packages.forEach((p, i) => {
      const pa = this.mustGet(p);
      satisfied.set(p, this.satisfier(p, pa, (incompatibility.terms[i] as Term<V, S>).negate()));
    });
    const [satisfierPackage, satisfier] = latest(satisfied);
    // The previous satisfier: the earliest assignment before the satisfier such that it and the
    // satisfier together satisfy the incompatibility. For the satisfier's own package, search
    // again with the satisfier's term folded into the start term.
    const pa = this.mustGet(satisfierPackage);
    const satisfierTerm = satisfier.cause
      ? (satisfier.cause.get(satisfierPackage) as Term<V, S>).negate()
      : (pa.decision as { term: Term<V, S> }).term;
    const incompatTerm = incompatibility.get(satisfierPackage) as Term<V, S>;
    satisfied.set(satisfierPackage, this.satisfier(satisfierPackage, pa, satisfierTerm.intersection(incompatTerm.negate())));
    const previousSatisfierLevel = Math.max(latest(satisfied)[1].decisionLevel, 1);
    if (previousSatisfierLevel >= satisfier.decisionLevel) {
      if (!satisfier.cause) throw new Error('PubGrub invariant: a decision cannot share its level with an earlier assignment');
      return { kind: 'same-level', package: satisfierPackage, satisfierCause: satisfier.cause };
    }
    return { kind: 'different-levels', package: satisfierPackage, previousSatisfierLevel };
  }

  /**
   * The earliest assignment of `package` after which the accumulated intersection is disjoint
   * with `startTerm` (the negated incompatibility term): a derivation, or else the decision.
   */
  private satisfier(package_: P, pa: PackageAssignments<P, V, S, M>, startTerm: Term<V, S>): Satisfied<P, V, S, M> {
    // accumulated intersections only shrink, so disjointness is monotone: binary search.
    let lo = 0;
    let hi = pa.derivations.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((pa.derivations[mid] as DatedDerivation<P, V, S, M>).accumulated.isDisjoint(startTerm)) hi = mid;
      else lo = mid + 1;
    }
    const d = pa.derivations[lo];
    if (d) return { cause: d.cause, globalIndex: d.globalIndex, decisionLevel: d.decisionLevel };
    if (!pa.decision) {
      throw new Error(`PubGrub invariant: no satisfier for ${String(package_)} ${startTerm.negate()} (is the version order broken?)`);
    }
    return { cause: null, globalIndex: pa.decision.globalIndex, decisionLevel: pa.highestDecisionLevel };
  }

  private mustGet(package_: P): PackageAssignments<P, V, S, M> {
    const pa = this.assignments.get(package_);
    if (!pa) throw new Error(`PubGrub invariant: no assignment for ${String(package_)}`);
    return pa;
  }
}

/** The entry with the largest global index. */
function latest<P, T extends { globalIndex: number }>(map: Map<P, T>): [P, T] {
  let best: [P, T] | null = null;
  for (const entry of map) if (!best || entry[1].globalIndex > best[1].globalIndex) best = entry;
  if (!best) throw new Error('PubGrub invariant: empty incompatibility has no satisfier');
  return best;
}
