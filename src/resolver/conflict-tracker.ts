/**
 * Conflict-driven priority, as uv does it (`crates/uv-resolver/src/resolver/mod.rs`
 * `ConflictTracker`, `record_conflict`, `reprioritize_conflicts`; astral-sh/uv#9843,
 * astral-sh/uv#8157).
 *
 * PubGrub decides packages in priority order and, once it has chosen A==a, tries every B with
 * A==a before it gives A==a up. When every new B conflicts with the newest A, that walks B
 * down to an ancient release (which may no longer depend on A at all) or through thousands of
 * releases before A moves. pip's resolver does not: when B's requirement contradicts the pin
 * of A it re-pins A. So, as uv: whenever a version just chosen is discarded because of a
 * decision made earlier, the package being decided is *affected* and each other package of
 * the conflict is a *culprit*. Past a threshold the affected package is decided earlier
 * ('early') and the culprit later ('late'), and the culprit's decision is undone so the new
 * order takes effect at once.
 *
 * One deliberate difference: uv tries and rejects B's versions one at a time, counting one
 * conflict each; this resolver states a version's dependencies for the whole stretch of
 * neighbouring releases that declare the same ones (see provider.ts), so one conflict can rule
 * out ten releases at once. A conflict is therefore weighed by the number of versions it
 * discarded, which counts what uv would have counted one by one.
 */

/** Where conflicts put a package in the decision order (uv `PubGrubPriority::Conflict*`). */
export type ConflictStanding = 'none' | 'late' | 'early';

export interface ConflictCount<P> {
  readonly package: P;
  /** Versions of it discarded, plus conflicts it caused. */
  readonly conflicts: number;
}

export class ConflictTracker<P> {
  /** How often a version of the package was discarded because of an earlier decision. */
  private readonly affected = new Map<P, number>();
  /** How often a decision on the package made a later package's version be discarded. */
  private readonly culprit = new Map<P, number>();
  private readonly standings = new Map<P, ConflictStanding>();
  /** Crossed the threshold since the last `reprioritize` (uv drains these after propagation). */
  private readonly toPrioritize: P[] = [];
  private readonly toDeprioritize: P[] = [];

  constructor(
    /** uv's `CONFLICT_THRESHOLD` is 5; Infinity counts without ever reordering. */
    private readonly threshold: number,
    /** Two packages of one project (an extra and its base): their conflicts do not count. */
    private readonly sameProject: (a: P, b: P) => boolean,
    /** The root: in every conflict that involves the requirements, never moved (uv `name_no_root`). */
    private readonly root: P,
  ) {}

  /**
   * A conflict while deciding `next`: `satisfier` is the package whose assignment was
   * discarded (or the package whose version was rejected) and `packages` the packages of the
   * incompatibility that discarded it. As uv, the affected count goes to `next`, the package
   * whose decision led here, and every other package of the incompatibility is a culprit.
   */
  record(next: P, satisfier: P, packages: readonly P[], weight = 1): void {
    let real = false;
    for (const q of packages) {
      if (q === satisfier || q === this.root || this.sameProject(q, satisfier)) continue;
      real = true;
      if (this.bump(this.culprit, q, weight)) this.toDeprioritize.push(q);
    }
    // A conflict between a project and its own extra only copies obligations across: not one.
    if (real && next !== this.root && this.bump(this.affected, next, weight)) this.toPrioritize.push(next);
  }

  standing(p: P): ConflictStanding {
    return this.standings.get(p) ?? 'none';
  }

  /**
   * Apply what crossed the threshold: affected packages become 'early'; culprits become 'late'
   * unless they already have a standing (uv: "the ConflictEarly match avoids infinite loops").
   * Returns the packages that just became 'late', whose decisions the solver undoes.
   */
  reprioritize(): P[] {
    for (const p of this.toPrioritize) this.standings.set(p, 'early');
    this.toPrioritize.length = 0;
    const late: P[] = [];
    for (const p of this.toDeprioritize) {
      if (this.standing(p) !== 'none') continue;
      this.standings.set(p, 'late');
      late.push(p);
    }
    this.toDeprioritize.length = 0;
    return late;
  }

  /** The packages in the most conflicts, most first (for "stuck on ..." messages). */
  mostConflicted(limit: number): ConflictCount<P>[] {
    const total = new Map<P, number>();
    for (const map of [this.affected, this.culprit]) for (const [p, n] of map) total.set(p, (total.get(p) ?? 0) + n);
    return [...total]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([p, conflicts]) => ({ package: p, conflicts }));
  }

  /** Add `by` to `p`'s count; true when that crossed the threshold. */
  private bump(counts: Map<P, number>, p: P, by: number): boolean {
    const before = counts.get(p) ?? 0;
    counts.set(p, before + by);
    return before < this.threshold && before + by >= this.threshold;
  }
}
