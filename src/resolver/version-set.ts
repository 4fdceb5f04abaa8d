/**
 * The small set interface the PubGrub core needs from a version range (pubgrub-rs
 * `src/version_set.rs`): a set of versions closed under complement and intersection, with
 * union, subset and disjointness for convenience. The core is generic over it, so it is tested
 * with a tiny integer-range set and runs on `VersionRange` from src/pep in production.
 *
 * Sets are immutable values; every operation returns a new set.
 */
export interface VersionSet<V, S> {
  isEmpty(): boolean;
  isFull(): boolean;
  contains(version: V): boolean;
  complement(): S;
  intersection(other: S): S;
  union(other: S): S;
  isSubsetOf(other: S): boolean;
  isDisjoint(other: S): boolean;
  equals(other: S): boolean;
  toString(): string;
}

/** Constructors for a set type (`VersionRange` itself satisfies this through its statics). */
export interface VersionSetFactory<V, S extends VersionSet<V, S>> {
  empty(): S;
  full(): S;
  singleton(version: V): S;
}
