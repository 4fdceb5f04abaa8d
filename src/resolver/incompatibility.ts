/**
 * Incompatibilities: sets of terms that must not all be true
 * (pub `doc/solver.md` "Incompatibility"; pubgrub-rs `src/internal/incompatibility.rs`).
 *
 * Ex) "foo 1.0 depends on bar >=2" is the incompatibility `{foo 1.0, not bar >=2}`: a
 * solution with foo 1.0 and without a bar >=2 is invalid. External incompatibilities record
 * the fact that made them (their `cause`); derived ones record the two incompatibilities
 * they were resolved from, which is what the failure explanation walks.
 */
import { Term } from './term';
import type { VersionSet } from './version-set';

/**
 * Why an incompatibility holds. `M` is the provider's own reason type for unusable versions
 * (pubgrub-rs `Kind`; pub `IncompatibilityCause`).
 */
export type IncompatibilityCause<P, V, S extends VersionSet<V, S>, M> =
  /** The root package must be selected: `{not root 1.0}`. */
  | { readonly kind: 'root'; readonly package: P; readonly version: V }
  /** No version of `package` exists in `set`. */
  | { readonly kind: 'no-versions'; readonly package: P; readonly set: S }
  /** The versions of `package` in `set` exist but cannot be used, for `reason`. */
  | { readonly kind: 'unavailable'; readonly package: P; readonly set: S; readonly reason: M }
  /** `package` in `set` depends on `dependency` in `dependencySet`. */
  | {
      readonly kind: 'dependency';
      readonly package: P;
      readonly set: S;
      readonly dependency: P;
      readonly dependencySet: S;
    }
  /** Resolved from two earlier incompatibilities during conflict resolution. */
  | {
      readonly kind: 'derived';
      readonly cause1: Incompatibility<P, V, S, M>;
      readonly cause2: Incompatibility<P, V, S, M>;
    };

/** The cause of an external incompatibility (anything but `derived`). */
export type ExternalCause<P, V, S extends VersionSet<V, S>, M> = Exclude<IncompatibilityCause<P, V, S, M>, { kind: 'derived' }>;

/** How the partial solution relates to an incompatibility (pub: satisfies, almost satisfies...). */
export type IncompatibilityRelation<P> =
  /** Every term is satisfied: a conflict. */
  | { readonly kind: 'satisfied' }
  /** One term is contradicted, so the incompatibility cannot be satisfied any more. */
  | { readonly kind: 'contradicted'; readonly package: P }
  /** All terms but `package`'s are satisfied and that one is inconclusive: derive its negation. */
  | { readonly kind: 'almost-satisfied'; readonly package: P }
  | { readonly kind: 'inconclusive' };

/** `relationCode` answers: an index >= 0 is the almost-satisfied term's. */
export const RELATION_SATISFIED = -1;
export const RELATION_INCONCLUSIVE = -2;
export const RELATION_CONTRADICTED = -3;

const SATISFIED = { kind: 'satisfied' } as const;
const INCONCLUSIVE = { kind: 'inconclusive' } as const;

let nextId = 0;

/** priorCause's working space (it calls nothing that could come back to it). */
const scratchPackages: unknown[] = [];
const scratchTerms: unknown[] = [];

export class Incompatibility<P, V, S extends VersionSet<V, S>, M> {
  /** Unique, increasing with creation: later incompatibilities are tried first in propagation. */
  readonly id: number = nextId++;

  /**
   * The packages and their terms, at most one term per package, none of them `any`.
   * Parallel arrays: incompatibilities have one to a few terms, so a scan beats a Map.
   */
  private constructor(
    readonly packages: readonly P[],
    readonly terms: readonly Term<V, S>[],
    readonly cause: IncompatibilityCause<P, V, S, M>,
  ) {}

  /** `{not root version}`: the root package must be selected. */
  static notRoot<P, V, S extends VersionSet<V, S>, M>(
    root: P,
    version: V,
    singleton: S,
  ): Incompatibility<P, V, S, M> {
    return new Incompatibility<P, V, S, M>([root], [Term.negative(singleton)], { kind: 'root', package: root, version });
  }

  /** `{package set}` because no version exists there. */
  static noVersions<P, V, S extends VersionSet<V, S>, M>(package_: P, set: S): Incompatibility<P, V, S, M> {
    return new Incompatibility<P, V, S, M>([package_], [Term.positive(set)], { kind: 'no-versions', package: package_, set });
  }

  /** `{package set}` because those versions cannot be used, for a provider-specific reason. */
  static unavailable<P, V, S extends VersionSet<V, S>, M>(package_: P, set: S, reason: M): Incompatibility<P, V, S, M> {
    return new Incompatibility<P, V, S, M>([package_], [Term.positive(set)], {
      kind: 'unavailable',
      package: package_,
      set,
      reason,
    });
  }

  /**
   * `{package set, not dependency dependencySet}` for "package in set depends on dependency in
   * dependencySet". A dependency on nothing (`dependencySet` empty) forbids `set` outright; a
   * dependency of a package on itself folds into one term. Returns null when the result can
   * never be satisfied (a self-dependency every version in `set` meets), which says nothing.
   */
  static fromDependency<P, V, S extends VersionSet<V, S>, M>(
    package_: P,
    set: S,
    dependency: P,
    dependencySet: S,
  ): Incompatibility<P, V, S, M> | null {
    const cause = { kind: 'dependency', package: package_, set, dependency, dependencySet } as const;
    if (package_ === dependency) {
      const term = Term.positive<V, S>(set).intersection(Term.negative(dependencySet));
      if (term.isEmpty()) return null;
      return new Incompatibility<P, V, S, M>([package_], [term], cause);
    }
    if (dependencySet.isEmpty()) return new Incompatibility<P, V, S, M>([package_], [Term.positive(set)], cause);
    return new Incompatibility<P, V, S, M>(
      [package_, dependency],
      [Term.positive(set), Term.negative(dependencySet)],
      cause,
    );
  }

  /**
   * Two "p depends on q" incompatibilities with the same q range, as one with the union of the
   * p ranges (pubgrub-rs `merge_dependents`): `foo 1.0 -> bar ^1` and `foo 1.1 -> bar ^1` become
   * `foo 1.0 ∪ 1.1 -> bar ^1`. Null when they do not have that shape.
   */
  mergeDependents(other: Incompatibility<P, V, S, M>): Incompatibility<P, V, S, M> | null {
    const a = this.cause;
    const b = other.cause;
    if (a.kind !== 'dependency' || b.kind !== 'dependency') return null;
    if (a.package !== b.package || a.dependency !== b.dependency || a.package === a.dependency) return null;
    if (!a.dependencySet.equals(b.dependencySet)) return null;
    return Incompatibility.fromDependency<P, V, S, M>(a.package, a.set.union(b.set), a.dependency, a.dependencySet);
  }

  /**
   * The prior cause of `incompatibility` through `satisfierCause` on `package`, by the
   * generalized rule of resolution: from `{t1, q}` and `{t2, r}` derive `{q, r, t1 ∪ t2}`
   * (pub `doc/solver.md` "Conflict Resolution"). Terms on the same package intersect; a
   * resulting `any` term is dropped.
   */
  static priorCause<P, V, S extends VersionSet<V, S>, M>(
    incompatibility: Incompatibility<P, V, S, M>,
    satisfierCause: Incompatibility<P, V, S, M>,
    package_: P,
  ): Incompatibility<P, V, S, M> {
    // No closures here: this runs for every step of every conflict resolution. Built in
    // scratch arrays (written by index: emptying an array frees its storage), then copied to
    // exact size: derived incompatibilities live as long as the resolution (their causes are
    // the explanation), and a pushed-to array keeps room for 17 entries.
    const packages = scratchPackages as P[];
    const terms = scratchTerms as Term<V, S>[];
    let n = collectTerms(incompatibility, package_, packages, terms, 0);
    n = collectTerms(satisfierCause, package_, packages, terms, n);
    const t1 = incompatibility.get(package_);
    const t2 = satisfierCause.get(package_);
    // `foo S` ∪ `not foo S` holds whatever is selected, so it is dropped like any other `any`
    // term. That is the usual case (an assignment resolved with the cause that derived it):
    // answered without set algebra.
    if (t1 && t2 && !(t1.positive !== t2.positive && t1.set.equals(t2.set))) {
      const union = t1.union(t2);
      if (!union.isAny()) {
        packages[n] = package_;
        terms[n] = union;
        n++;
      }
    }
    const result = new Incompatibility<P, V, S, M>(packages.slice(0, n), terms.slice(0, n), {
      kind: 'derived',
      cause1: incompatibility,
      cause2: satisfierCause,
    });
    // Hold on to nothing once done (assigning keeps the storage, unlike emptying).
    for (let k = 0; k < n; k++) {
      (scratchPackages as unknown[])[k] = undefined;
      (scratchTerms as unknown[])[k] = undefined;
    }
    return result;
  }

  get size(): number {
    return this.packages.length;
  }

  get(package_: P): Term<V, S> | undefined {
    const i = this.packages.indexOf(package_);
    return i < 0 ? undefined : this.terms[i];
  }

  /**
   * True when this incompatibility proves there is no solution: no terms, or only the root
   * package at its one version (pubgrub-rs `is_terminal`).
   */
  isTerminal(root: P, rootVersion: V): boolean {
    if (this.packages.length === 0) return true;
    if (this.packages.length > 1) return false;
    return this.packages[0] === root && (this.terms[0] as Term<V, S>).contains(rootVersion);
  }

  /** Relation to the assignments given by `lookup` (the partial solution's per-package intersection). */
  relation(lookup: (package_: P) => Term<V, S> | undefined): IncompatibilityRelation<P> {
    let result: IncompatibilityRelation<P> = SATISFIED;
    for (let i = 0; i < this.packages.length; i++) {
      const p = this.packages[i] as P;
      const intersection = lookup(p);
      // A package without assignments is inconclusive for any term but `any`, which is never kept.
      const relation = intersection ? (this.terms[i] as Term<V, S>).relationWith(intersection) : 'inconclusive';
      if (relation === 'contradicted') return { kind: 'contradicted', package: p };
      if (relation === 'inconclusive') {
        if (result !== SATISFIED) return INCONCLUSIVE;
        result = { kind: 'almost-satisfied', package: p };
      }
    }
    return result;
  }

  /**
   * `relation` without allocating, for unit propagation: RELATION_SATISFIED,
   * RELATION_CONTRADICTED, RELATION_INCONCLUSIVE, or the index of the one inconclusive term
   * when almost satisfied.
   */
  relationCode(lookup: (package_: P) => Term<V, S> | undefined): number {
    let result = RELATION_SATISFIED;
    for (let i = 0; i < this.packages.length; i++) {
      const intersection = lookup(this.packages[i] as P);
      const relation = intersection ? (this.terms[i] as Term<V, S>).relationWith(intersection) : 'inconclusive';
      if (relation === 'contradicted') return RELATION_CONTRADICTED;
      if (relation === 'inconclusive') {
        if (result !== RELATION_SATISFIED) return RELATION_INCONCLUSIVE;
        result = i;
      }
    }
    return result;
  }

  toString(): string {
    const parts = this.packages.map((p, i) => `${this.terms[i]?.positive ? '' : 'not '}${String(p)} ${this.terms[i]?.set.toString()}`);
    return `{${parts.join(', ')}}`;
  }
}

/**
 * Write `source`'s terms but `except`'s after the first `n` entries, intersecting those of a
 * package already there; returns the new count.
 */
function collectTerms<P, V, S extends VersionSet<V, S>, M>(
  source: Incompatibility<P, V, S, M>,
  except: P,
  packages: P[],
  terms: Term<V, S>[],
  n: number,
): number {
  for (let i = 0; i < source.packages.length; i++) {
    const p = source.packages[i] as P;
    if (p === except) continue;
    const t = source.terms[i] as Term<V, S>;
    let at = 0;
    while (at < n && packages[at] !== p) at++;
    if (at === n) {
      packages[n] = p;
      terms[n] = t;
      n++;
    } else {
      terms[at] = (terms[at] as Term<V, S>).intersection(t);
    }
  }
  return n;
}
