/**
 * A tiny integer version set and an in-memory registry over it, for testing the generic
 * PubGrub core (pubgrub-rs tests use `Ranges<u32>` the same way). Versions are semver-like
 * `major.minor.patch` encoded as major*10000 + minor*100 + patch.
 */
import { SentenceFormatter } from '../../../src/resolver/report';
import type { Dependencies, DependencyProvider, Priority, VersionChoice } from '../../../src/resolver/solver';
import type { VersionSet, VersionSetFactory } from '../../../src/resolver/version-set';

export function v(s: string): number {
  const [a = '0', b = '0', c = '0'] = s.split('.');
  return Number(a) * 10000 + Number(b) * 100 + Number(c);
}

export function showVersion(n: number): string {
  return `${Math.floor(n / 10000)}.${Math.floor(n / 100) % 100}.${n % 100}`;
}

/** Sorted, disjoint, non-touching half-open intervals [lo, hi); hi may be Infinity. */
export class IntSet implements VersionSet<number, IntSet> {
  private constructor(readonly intervals: ReadonlyArray<readonly [number, number]>) {}

  static of(intervals: Array<readonly [number, number]>): IntSet {
    const sorted = intervals.filter(([a, b]) => a < b).sort((x, y) => x[0] - y[0]);
    const out: Array<[number, number]> = [];
    for (const [a, b] of sorted) {
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }
    return new IntSet(out);
  }

  static empty(): IntSet {
    return new IntSet([]);
  }
  static full(): IntSet {
    return new IntSet([[0, Infinity]]);
  }
  static singleton(n: number): IntSet {
    return new IntSet([[n, n + 1]]);
  }

  /** `any`, `1.0.0`, `^1.0.0`, `>=1.0.0`, `<2.0.0`, `>=1.0.0 <2.0.0`; `or` joins. */
  static parse(s: string): IntSet {
    return IntSet.of(
      s.split(' or ').map((part): readonly [number, number] => {
        part = part.trim();
        if (part === 'any') return [0, Infinity];
        if (part.startsWith('^')) {
          const lo = v(part.slice(1));
          return [lo, (Math.floor(lo / 10000) + 1) * 10000];
        }
        let lo = 0;
        let hi = Infinity;
        let bounded = false;
        for (const piece of part.split(/\s+/)) {
          if (piece.startsWith('>=')) [lo, bounded] = [v(piece.slice(2)), true];
          else if (piece.startsWith('<')) [hi, bounded] = [v(piece.slice(1)), true];
          else return [v(piece), v(piece) + 1];
        }
        if (!bounded) throw new Error(`bad range ${s}`);
        return [lo, hi];
      }),
    );
  }

  isEmpty(): boolean {
    return this.intervals.length === 0;
  }
  isFull(): boolean {
    const [first] = this.intervals;
    return this.intervals.length === 1 && first?.[0] === 0 && first[1] === Infinity;
  }
  contains(n: number): boolean {
    return this.intervals.some(([a, b]) => a <= n && n < b);
  }
  complement(): IntSet {
    const out: Array<[number, number]> = [];
    let start = 0;
    for (const [a, b] of this.intervals) {
      if (a > start) out.push([start, a]);
      start = b;
    }
    if (start !== Infinity) out.push([start, Infinity]);
    return new IntSet(out);
  }
  intersection(o: IntSet): IntSet {
    const out: Array<[number, number]> = [];
    for (const [a, b] of this.intervals) {
      for (const [c, d] of o.intervals) {
        const lo = Math.max(a, c);
        const hi = Math.min(b, d);
        if (lo < hi) out.push([lo, hi]);
      }
    }
    return IntSet.of(out);
  }
  union(o: IntSet): IntSet {
    return IntSet.of([...this.intervals, ...o.intervals]);
  }
  isSubsetOf(o: IntSet): boolean {
    return this.intersection(o).equals(this);
  }
  isDisjoint(o: IntSet): boolean {
    return this.intersection(o).isEmpty();
  }
  equals(o: IntSet): boolean {
    return this.intervals.length === o.intervals.length && this.intervals.every(([a, b], i) => a === o.intervals[i]?.[0] && b === o.intervals[i]?.[1]);
  }
  toString(): string {
    if (this.isEmpty()) return '∅';
    return this.intervals
      .map(([a, b]) => {
        if (a === 0 && b === Infinity) return 'any';
        if (b === a + 1) return showVersion(a);
        if (a % 10000 === 0 && a > 0 && b === a + 10000) return `^${showVersion(a)}`;
        if (a === 0) return `<${showVersion(b)}`;
        if (b === Infinity) return `>=${showVersion(a)}`;
        return `>=${showVersion(a)} <${showVersion(b)}`;
      })
      .join(' or ');
  }
}

export const intSets: VersionSetFactory<number, IntSet> = IntSet;

/** name -> version -> dependency name -> range, e.g. `{ foo: { '1.0.0': { bar: '^1.0.0' } } }`. */
export type IntRegistry = Record<string, Record<string, Record<string, string>>>;

export const ROOT = 'root';

/**
 * The registry as a dependency provider: the newest version in range, the package with the
 * fewest matching versions first (pub's heuristic), ties in discovery order.
 */
export class IntProvider implements DependencyProvider<string, number, IntSet, string> {
  private readonly versions = new Map<string, number[]>();
  private readonly discovered = new Map<string, number>();

  constructor(private readonly registry: IntRegistry) {
    for (const [name, versions] of Object.entries(registry)) {
      this.versions.set(name, Object.keys(versions).map(v).sort((a, b) => b - a));
    }
  }

  prioritize(p: string, set: IntSet): Priority {
    if (!this.discovered.has(p)) this.discovered.set(p, this.discovered.size);
    const count = (this.versions.get(p) ?? []).filter((n) => set.contains(n)).length;
    return [-count, -(this.discovered.get(p) ?? 0)];
  }

  chooseVersion(p: string, set: IntSet): VersionChoice<number, IntSet, string> {
    const version = (this.versions.get(p) ?? []).find((n) => set.contains(n));
    return version === undefined ? { kind: 'none' } : { kind: 'version', version };
  }

  /**
   * The dependencies of `version`, stated for every version from it up to the next listed one
   * (pub's package lister: "an inclusive lower bound of the first version that has the
   * dependency, and an exclusive upper bound of the first that doesn't", unbounded at the ends).
   */
  getDependencies(p: string, version: number): Dependencies<string, IntSet, string> {
    const deps = this.registry[p]?.[showVersion(version)] ?? {};
    const listed = this.versions.get(p) ?? [];
    const i = listed.indexOf(version);
    const lo = i === listed.length - 1 ? 0 : version;
    const hi = i <= 0 ? Infinity : (listed[i - 1] as number);
    return {
      kind: 'available',
      versions: IntSet.of([[lo, hi]]),
      dependencies: Object.entries(deps)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, range]) => [name, IntSet.parse(range)] as const),
    };
  }
}

/** pub's phrasing for the integer registry: `foo ^1.0.0`, `every version of foo`, root as `root`. */
export class IntFormatter extends SentenceFormatter<string, number, IntSet, string> {
  isRoot(p: string): boolean {
    return p === ROOT;
  }
  compatibleRange(p: string, set: IntSet): string {
    return set.isFull() ? `all versions of ${p}` : `${p} ${set}`;
  }
  dependencyRange(p: string, set: IntSet): string {
    return set.isFull() ? p : `${p} ${set}`;
  }
  formatReason(_p: string, _set: IntSet, reason: string): string {
    return reason;
  }
}
