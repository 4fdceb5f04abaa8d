/**
 * VersionRange: an immutable set of PEP 440 versions, as one canonical sorted list of disjoint,
 * non-touching half-open intervals (pubgrub's `Range`, packaging's private `_ranges`).
 *
 * Intervals are pairs of cuts (see boundary.ts), so every PEP 440 subtlety is exact:
 * `<1.0` stops before 1.0.dev0, `>1.0` starts after 1.0's post-releases and local versions,
 * `<=1.0` and `==1.0` take 1.0+anything. Membership is `SpecifierSet.contains(v, {prereleases:
 * true})`: which pre-releases to allow is the resolver's policy, not the range's.
 *
 * Canonical form (checked after every operation under test, see `checkInvariants`): the cut list
 * has even length, is strictly increasing, and so `equals` is structural.
 */
import {
  MIN_CUT,
  TOP,
  TOP_CUT,
  type Cut,
  after,
  afterLocalsBound,
  before,
  compareCut,
  greaterThanCut,
  isAbove,
  lessThanBound,
  nextPrefixStart,
  releaseStart,
} from './boundary';
import { formatRange, rangeSpecifierString } from './range-format';
import type { Specifier, SpecifierSet } from './specifier';
import { Version } from './version';

// Invariant checks are off unless the edge turns them on (the test setup, the CLI under
// NODE_ENV=development): pep/ reads no environment of its own, and the browser build never checks.
let CHECK_INVARIANTS = false;

/** Turns the canonical-form check after every range operation on or off (see `checkInvariants`). */
export function setRangeInvariantChecks(on: boolean): void {
  CHECK_INVARIANTS = on;
}

function checkInvariants(cuts: readonly Cut[]): void {
  if (cuts.length % 2 !== 0) throw new Error(`VersionRange invariant: odd number of cuts (${cuts.length})`);
  for (let i = 0; i < cuts.length; i++) {
    const c = cuts[i]!;
    if (c.kind === TOP && i !== cuts.length - 1) throw new Error('VersionRange invariant: TOP before the end');
    if (i > 0 && compareCut(cuts[i - 1]!, c) >= 0) {
      throw new Error(`VersionRange invariant: cuts not strictly increasing at ${i}`);
    }
  }
}

type Combine = (inA: boolean, inB: boolean) => boolean;
const AND: Combine = (a, b) => a && b;
const OR: Combine = (a, b) => a || b;
const AND_NOT: Combine = (a, b) => a && !b;

/**
 * Sweeps two canonical cut lists in order, emitting a cut wherever `op(inA, inB)` flips. Equal
 * cuts are taken together, so touching intervals merge and the output is canonical.
 */
function combine(a: readonly Cut[], b: readonly Cut[], op: Combine): Cut[] {
  const out: Cut[] = [];
  let i = 0;
  let j = 0;
  let inA = false;
  let inB = false;
  let cur = false;
  while (i < a.length || j < b.length) {
    const c = i >= a.length ? 1 : j >= b.length ? -1 : compareCut(a[i]!, b[j]!);
    let cut: Cut;
    if (c <= 0) {
      cut = a[i++]!;
      inA = !inA;
      if (c === 0) {
        j++;
        inB = !inB;
      }
    } else {
      cut = b[j++]!;
      inB = !inB;
    }
    const r = op(inA, inB);
    if (r !== cur) {
      out.push(cut);
      cur = r;
    }
  }
  return out;
}

/** `[lo, hi)`, or nothing when it holds no version. */
function interval(lo: Cut, hi: Cut): Cut[] {
  return compareCut(lo, hi) < 0 ? [lo, hi] : [];
}

export class VersionRange {
  /** @internal Sorted cuts, read pairwise as `[lo, hi)`. */
  readonly cuts: readonly Cut[];

  private constructor(cuts: readonly Cut[]) {
    if (CHECK_INVARIANTS) checkInvariants(cuts);
    this.cuts = cuts;
  }

  private static readonly EMPTY = new VersionRange([]);
  private static readonly FULL = new VersionRange([MIN_CUT, TOP_CUT]);

  static empty(): VersionRange {
    return VersionRange.EMPTY;
  }

  static full(): VersionRange {
    return VersionRange.FULL;
  }

  /** Exactly `v`: not its local variants (1.0+abc is not in singleton(1.0)), unlike `==1.0`. */
  static singleton(v: Version): VersionRange {
    return new VersionRange([before(v), after(v)]);
  }

  /** Versions `v` with `lo <= v < hi` in PEP 440 order (both inclusive ends are versions). */
  static between(lo: Version, hi: Version): VersionRange {
    return new VersionRange(interval(before(lo), before(hi)));
  }

  /** @internal From a canonical cut list. */
  static fromCuts(cuts: readonly Cut[]): VersionRange {
    return cuts.length === 0 ? VersionRange.EMPTY : new VersionRange(cuts);
  }

  /**
   * The versions a specifier matches, pre-releases included (one case per operator, as uv's
   * `version_ranges.rs`).
   */
  static fromSpecifier(s: Specifier): VersionRange {
    const v = s.parsedVersion;
    const op = s.operator;
    if (op === '===') {
      // Ex) ===1.0 -> [1.0, 1.0] (not 1.0+abc). `===` compares strings, which a range over
      // versions cannot: we approximate it by version equality, so this also holds 1.0.0,
      // which `===1.0` rejects. A non-version string (===foobar) matches no version: empty.
      return v === null ? VersionRange.EMPTY : VersionRange.singleton(v);
    }
    if (v === null) throw new Error(`specifier ${s.toString()} has no version`);
    if (s.isWildcard) {
      // Ex) ==1.2.* -> [1.2.dev0, 1.3.dev0)   Ex) !=1.2.* -> its complement
      const eq = interval(before(releaseStart(v.epoch, v.release)), before(nextPrefixStart(v.epoch, v.release)));
      return op === '==' ? VersionRange.fromCuts(eq) : VersionRange.fromCuts(eq).complement();
    }
    switch (op) {
      case '==':
      case '!=': {
        // Ex) ==1.0 -> [1.0, 1.0.post0.dev0): 1.0 and every 1.0+local (PEP 440 "Version matching")
        // Ex) ==1.0+abc -> [1.0+abc, 1.0+abc] exactly
        const eq = s.hasLocal ? [before(v), after(v)] : interval(before(v), before(afterLocalsBound(v)));
        // Ex) !=1.0 -> everything but [1.0, 1.0.post0.dev0)
        return op === '==' ? VersionRange.fromCuts(eq) : VersionRange.fromCuts(eq).complement();
      }
      case '~=':
        // Ex) ~=1.4.2 -> [1.4.2, 1.5.dev0)  (>=1.4.2, ==1.4.*)
        return VersionRange.fromCuts(interval(before(v), before(nextPrefixStart(v.epoch, v.release.slice(0, -1)))));
      case '>=':
        // Ex) >=1.0 -> [1.0, +inf)
        return VersionRange.fromCuts(interval(before(v), TOP_CUT));
      case '<=':
        // Ex) <=1.0 -> (-inf, 1.0.post0.dev0): takes 1.0+local
        return VersionRange.fromCuts(interval(MIN_CUT, before(afterLocalsBound(v))));
      case '>':
        // Ex) >1.0 -> (after every 1.0 release, +inf): not 1.0.post1, not 1.0+abc
        // Ex) >1.0.post1 -> [1.0.post2.dev0, +inf)   Ex) >1.0a1 -> [1.0a2.dev0, +inf)
        return VersionRange.fromCuts(interval(greaterThanCut(v), TOP_CUT));
      case '<':
        // Ex) <1.0 -> (-inf, 1.0.dev0): no pre-release of 1.0   Ex) <1.0rc1 -> (-inf, 1.0rc1)
        return VersionRange.fromCuts(interval(MIN_CUT, before(lessThanBound(v))));
      default:
        throw new Error(`unknown operator ${String(op)}`);
    }
  }

  /** The intersection of the set's specifiers (an empty set is every version). */
  static fromSpecifierSet(s: SpecifierSet): VersionRange {
    let r = VersionRange.FULL;
    for (const spec of s.specifiers) {
      r = r.intersection(spec.range);
      if (r.cuts.length === 0) break;
    }
    return r;
  }

  isEmpty(): boolean {
    return this.cuts.length === 0;
  }

  isFull(): boolean {
    const c = this.cuts;
    return c.length === 2 && c[1]!.kind === TOP && compareCut(c[0]!, MIN_CUT) === 0;
  }

  /** Binary search for the number of cuts at or below `v`: inside when odd. */
  contains(v: Version): boolean {
    const cuts = this.cuts;
    let lo = 0;
    let hi = cuts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (isAbove(v, cuts[mid]!)) lo = mid + 1;
      else hi = mid;
    }
    return (lo & 1) === 1;
  }

  complement(): VersionRange {
    const cuts = this.cuts;
    const out: Cut[] = [];
    let start = 0;
    let end = cuts.length;
    if (end > 0 && compareCut(cuts[0]!, MIN_CUT) === 0) start = 1;
    else out.push(MIN_CUT);
    const endsAtTop = end > 0 && cuts[end - 1]!.kind === TOP;
    if (endsAtTop) end--;
    for (let i = start; i < end; i++) out.push(cuts[i]!);
    if (!endsAtTop) out.push(TOP_CUT);
    return VersionRange.fromCuts(out);
  }

  intersection(o: VersionRange): VersionRange {
    if (this.cuts.length === 0 || o === VersionRange.FULL) return this;
    if (o.cuts.length === 0 || this === VersionRange.FULL) return o;
    return VersionRange.fromCuts(combine(this.cuts, o.cuts, AND));
  }

  union(o: VersionRange): VersionRange {
    if (this.cuts.length === 0) return o;
    if (o.cuts.length === 0) return this;
    return VersionRange.fromCuts(combine(this.cuts, o.cuts, OR));
  }

  difference(o: VersionRange): VersionRange {
    if (this.cuts.length === 0 || o.cuts.length === 0) return this;
    return VersionRange.fromCuts(combine(this.cuts, o.cuts, AND_NOT));
  }

  isSubsetOf(o: VersionRange): boolean {
    return this.difference(o).isEmpty();
  }

  isDisjoint(o: VersionRange): boolean {
    return this.intersection(o).isEmpty();
  }

  /** Set equality, which the canonical form makes structural. */
  equals(o: VersionRange): boolean {
    const a = this.cuts;
    const b = o.cuts;
    if (a === b) return true;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (compareCut(a[i]!, b[i]!) !== 0) return false;
    return true;
  }

  /**
   * A PEP 440 specifier string for exactly this set (`>=1.0, <2.0`, `==1.5`, `!=1.3`; `''` for
   * every version, `<0` for none), or null when no conjunction of specifiers says it, e.g. a
   * union of two intervals or singleton(1.0), which excludes 1.0+local.
   */
  toSpecifierString(): string | null {
    return rangeSpecifierString(this.cuts, ', ');
  }

  /** Readable: `>=1.0,<2.0`, `*` for every version, `∅` for none, interval notation otherwise. */
  toString(): string {
    return formatRange(this.cuts);
  }
}
