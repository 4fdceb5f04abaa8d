/**
 * A Term: a statement about one package that is true or false for a given selection
 * (pub `doc/solver.md` "Term"; pubgrub-rs `src/term.rs`).
 *
 * A positive term `foo S` holds when a version of foo in S is selected. A negative term
 * `not foo S` holds when foo is not selected or its version is outside S. So the
 * intersection of every assignment about foo is itself a term, and
 *   - S satisfies t   iff  ⋂S ⊆ t
 *   - S contradicts t iff  ⋂S is disjoint with t.
 * Ex) `foo >=1.0 <2.0` satisfies `foo >=1.0`; `foo >=1.5` contradicts `not foo >=1.0`.
 */
import type { VersionSet } from './version-set';

/** How the intersection of the partial solution's assignments relates to one term. */
export type TermRelation = 'satisfied' | 'contradicted' | 'inconclusive';

export class Term<V, S extends VersionSet<V, S>> {
  // Memos, invisible from outside (terms are immutable). Propagation re-derives the same terms
  // from the same causes after every backjump: remembering negations and intersections keeps
  // them the same objects, and then relations are looked up instead of recomputed.
  private negated: Term<V, S> | null = null;
  private intersections: WeakMap<Term<V, S>, Term<V, S>> | null = null;
  private relations: WeakMap<Term<V, S>, TermRelation> | null = null;

  private constructor(
    /** True for `foo S`, false for `not foo S`. */
    readonly positive: boolean,
    readonly set: S,
  ) {}

  static positive<V, S extends VersionSet<V, S>>(set: S): Term<V, S> {
    return new Term<V, S>(true, set);
  }

  static negative<V, S extends VersionSet<V, S>>(set: S): Term<V, S> {
    return new Term<V, S>(false, set);
  }

  /** `not foo ∅`: true whatever is selected (never kept in an incompatibility). */
  isAny(): boolean {
    return !this.positive && this.set.isEmpty();
  }

  /** `foo ∅`: true for no selection. */
  isEmpty(): boolean {
    return this.positive && this.set.isEmpty();
  }

  negate(): Term<V, S> {
    if (!this.negated) {
      this.negated = new Term<V, S>(!this.positive, this.set);
      this.negated.negated = this;
    }
    return this.negated;
  }

  /** Whether selecting `version` makes the term true. */
  contains(version: V): boolean {
    return this.positive === this.set.contains(version);
  }

  /** Both terms hold. Ex) `foo >=1.0` ∩ `not foo >=2.0` = `foo >=1.0 <2.0`. */
  intersection(other: Term<V, S>): Term<V, S> {
    this.intersections ??= new WeakMap();
    let result = this.intersections.get(other);
    if (!result) {
      result = this.computeIntersection(other);
      this.intersections.set(other, result);
    }
    return result;
  }

  private computeIntersection(other: Term<V, S>): Term<V, S> {
    if (this.positive && other.positive) return new Term<V, S>(true, this.set.intersection(other.set));
    if (this.positive) return new Term<V, S>(true, this.set.intersection(other.set.complement()));
    if (other.positive) return new Term<V, S>(true, other.set.intersection(this.set.complement()));
    return new Term<V, S>(false, this.set.union(other.set));
  }

  /** Either term holds. Ex) `foo ^1` ∪ `foo ^2` = `foo >=1 <3`. */
  union(other: Term<V, S>): Term<V, S> {
    if (this.positive && other.positive) return new Term<V, S>(true, this.set.union(other.set));
    if (this.positive) return new Term<V, S>(false, other.set.intersection(this.set.complement()));
    if (other.positive) return new Term<V, S>(false, this.set.intersection(other.set.complement()));
    return new Term<V, S>(false, this.set.intersection(other.set));
  }

  /** Every selection making this term true makes `other` true ("this satisfies other"). */
  isSubsetOf(other: Term<V, S>): boolean {
    // Same set object (a derivation is the negation of an incompatibility's term, so this is
    // common in propagation): answer without set algebra.
    if (this.set === other.set) return this.positive === other.positive || (this.positive && this.set.isEmpty());
    if (this.positive && other.positive) return this.set.isSubsetOf(other.set);
    if (this.positive) return this.set.isDisjoint(other.set);
    // A negative term also holds when the package is not selected, which no positive term allows.
    if (other.positive) return false;
    return other.set.isSubsetOf(this.set);
  }

  /** No selection makes both terms true. */
  isDisjoint(other: Term<V, S>): boolean {
    if (this.set === other.set) return this.positive !== other.positive || (this.positive && this.set.isEmpty());
    if (this.positive && other.positive) return this.set.isDisjoint(other.set);
    if (this.positive) return this.set.isSubsetOf(other.set);
    if (other.positive) return other.set.isSubsetOf(this.set);
    // Both hold when the package is not selected.
    return false;
  }

  /**
   * How `intersection` (the partial solution's assignments for this package) relates to this
   * term (pubgrub-rs `Term::relation_with`).
   */
  relationWith(intersection: Term<V, S>): TermRelation {
    this.relations ??= new WeakMap();
    let relation = this.relations.get(intersection);
    if (relation === undefined) {
      relation = intersection.isSubsetOf(this) ? 'satisfied' : this.isDisjoint(intersection) ? 'contradicted' : 'inconclusive';
      this.relations.set(intersection, relation);
    }
    return relation;
  }

  equals(other: Term<V, S>): boolean {
    return this.positive === other.positive && this.set.equals(other.set);
  }

  toString(): string {
    return this.positive ? this.set.toString() : `not ${this.set.toString()}`;
  }
}
