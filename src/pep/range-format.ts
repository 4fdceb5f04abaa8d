/**
 * Spelling a VersionRange's cut list (private to src/pep): as a PEP 440 specifier string when one
 * says exactly the same set, else in a readable interval notation.
 *
 * A specifier set is a conjunction, so it can say "one interval minus holes": the first
 * interval's lower cut and the last one's upper cut become `>=`/`>` and `<`/`<=`, and each gap
 * between intervals must be exactly one `!=V`, `!=V+local` or `!=V.*`. Everything produced
 * here parses back to the same range (the property tests check that round trip).
 */
import {
  AFTER,
  AFTER_RELEASE,
  BEFORE,
  MIN_CUT,
  TOP,
  type Cut,
  after,
  afterLocalsBound,
  before,
  compareCut,
  nextPrefixStart,
} from './boundary';
import { Version } from './version';

/** All numbers exact (the boundary helpers below only build versions within 2^53). */
function exact(v: Version): boolean {
  return (
    Number.isSafeInteger(v.epoch) &&
    v.release.every(Number.isSafeInteger) &&
    (v.pre === null || Number.isSafeInteger(v.pre[1])) &&
    (v.post === null || Number.isSafeInteger(v.post + 1)) &&
    (v.dev === null || Number.isSafeInteger(v.dev + 1))
  );
}

function isMin(c: Cut): boolean {
  return c.kind === BEFORE && compareCut(c, MIN_CUT) === 0;
}

/** `E!r.dev0`, the first version of a release. */
function isReleaseStart(v: Version): boolean {
  return v.pre === null && v.post === null && v.dev === 0 && v.local === null;
}

function trimmed(release: readonly number[]): readonly number[] {
  let n = release.length;
  while (n > 0 && release[n - 1] === 0) n--;
  return release.slice(0, n);
}

/** `1.2` when `[lo, hi)` is `==1.2.*`, i.e. [1.2.dev0, 1.3.dev0); null otherwise. */
function wildcardOf(lo: Cut, hi: Cut): string | null {
  if (lo.kind !== BEFORE || hi.kind !== BEFORE) return null;
  const x = lo.v;
  const y = hi.v;
  if (!isReleaseStart(x) || !isReleaseStart(y) || x.epoch !== y.epoch || !exact(x) || !exact(y)) return null;
  const t = trimmed(y.release);
  if (t.length === 0) return null;
  // The spelled release r has next(r) = t: r = t with its last part decremented.
  const r = [...t.slice(0, -1), t[t.length - 1]! - 1];
  const tr = trimmed(r);
  const tx = trimmed(x.release);
  if (tr.length !== tx.length || tr.some((n, i) => n !== tx[i])) return null;
  return (x.epoch ? `${x.epoch}!` : '') + r.join('.');
}

/** `==V` (V without local) covers exactly [V, afterLocalsBound(V)). */
function isEqualsInterval(lo: Cut, hi: Cut): boolean {
  return (
    lo.kind === BEFORE &&
    hi.kind === BEFORE &&
    lo.v.local === null &&
    exact(lo.v) &&
    Version.compare(afterLocalsBound(lo.v), hi.v) === 0
  );
}

/** `==V+local` covers exactly [V+local, V+local]. */
function isLocalPoint(lo: Cut, hi: Cut): boolean {
  return lo.kind === BEFORE && hi.kind === AFTER && lo.v.local !== null && Version.compare(lo.v, hi.v) === 0;
}

function lowerSpec(lo: Cut): string[] | null {
  if (isMin(lo)) return [];
  // Ex) [1.0, ...) -> >=1.0
  if (lo.kind === BEFORE) return lo.v.local === null ? [`>=${lo.v.toString()}`] : null;
  // Ex) (after every 1.0 release, ...) -> >1.0
  if (lo.kind === AFTER_RELEASE) return [`>${lo.v.baseVersion}`];
  return null;
}

function upperSpec(hi: Cut): string[] | null {
  if (hi.kind === TOP) return [];
  if (hi.kind !== BEFORE) return null;
  const w = hi.v;
  if (w.local !== null) return null;
  if (w.dev === 0 && w.pre === null) {
    // Ex) (..., 1.0.post0.dev0) -> <=1.0
    if (w.post === 0) return [`<=${w.baseVersion}`];
    // Ex) (..., 1.0.dev0) -> <1.0   Ex) (..., 1.0.post2.dev0) -> <1.0.post2
    return [`<${w.baseVersion}${w.post === null ? '' : `.post${w.post}`}`];
  }
  // Ex) (..., 1.0rc1) -> <1.0rc1
  if (w.isPrerelease) return [`<${w.toString()}`];
  // Ex) (..., 1.0) -> <=1.0, !=1.0  (1.0's pre-releases in, 1.0 and 1.0+local out)
  return [`<=${w.toString()}`, `!=${w.toString()}`];
}

/** More `!=` than any real specifier set has in one gap; past it the gap gets no spelling. */
const MAX_HOLES = 64;

interface Hole {
  spec: string;
  end: Cut;
}

/** The `!=` holes that start exactly at cut `a`: `!=V`, `!=V+local`, `!=r.*` for each r. */
function holesAt(a: Cut, limit: Cut): Hole[] {
  if (a.kind !== BEFORE || !exact(a.v)) return [];
  const v = a.v;
  // Ex) [1.3+abc, 1.3+abc] -> !=1.3+abc
  if (v.local !== null) return [{ spec: `!=${v.toString()}`, end: after(v) }];
  // Ex) [1.3, 1.3.post0.dev0) -> !=1.3
  const holes: Hole[] = [{ spec: `!=${v.toString()}`, end: before(afterLocalsBound(v)) }];
  if (isReleaseStart(v)) {
    // Ex) [1.3.dev0, 1.4.dev0) -> !=1.3.*; also !=1.3.0.* = [1.3.dev0, 1.3.1.dev0) and so on.
    const t = trimmed(v.release);
    const depth = t.length + (limit.kind === TOP ? 0 : limit.v.release.length) + 2;
    for (let k = t.length === 0 ? 1 : 0; k <= depth; k++) {
      const r = [...t, ...Array<number>(k).fill(0)];
      const epoch = v.epoch ? `${v.epoch}!` : '';
      holes.push({ spec: `!=${epoch}${r.join('.')}.*`, end: before(nextPrefixStart(v.epoch, r)) });
    }
  }
  return holes;
}

/**
 * The gap `[a, b)` between two intervals as touching `!=` holes (`!=1.0.*,!=1.1.*` leaves the
 * single gap [1.0.dev0, 1.2.dev0)), taking the longest hole that fits at each step; null when
 * the gap is no such chain.
 */
function gapSpecs(a: Cut, b: Cut): string[] | null {
  const out: string[] = [];
  let cur = a;
  while (compareCut(cur, b) < 0) {
    // Some gaps are endless chains (!=1.0.dev0, !=1.0.dev1, ... never reach 1.0+abc).
    if (out.length >= MAX_HOLES) return null;
    let best: Hole | null = null;
    for (const h of holesAt(cur, b)) {
      if (compareCut(h.end, b) <= 0 && (best === null || compareCut(h.end, best.end) > 0)) best = h;
    }
    if (best === null) return null;
    out.push(best.spec);
    cur = best.end;
  }
  return out;
}

/** The specifier string for a canonical cut list, or null when none says exactly that set. */
export function rangeSpecifierString(cuts: readonly Cut[], sep: string): string | null {
  const n = cuts.length;
  // `<0` is PEP 440's own empty set: nothing sorts below 0.dev0.
  if (n === 0) return '<0';
  const lo = cuts[0]!;
  const hi = cuts[n - 1]!;
  if (n === 2) {
    if (isEqualsInterval(lo, hi) || isLocalPoint(lo, hi)) return `==${lo.v.toString()}`;
    // (Not from the bottom: `<1.0` reads better than the equal `==0.*`.)
    const w = isMin(lo) ? null : wildcardOf(lo, hi);
    if (w !== null) return `==${w}.*`;
  }
  const lower = lowerSpec(lo);
  const upper = upperSpec(hi);
  if (lower === null || upper === null) return null;
  const parts = [...lower, ...upper];
  for (let i = 1; i + 1 < n; i += 2) {
    const holes = gapSpecs(cuts[i]!, cuts[i + 1]!);
    if (holes === null) return null;
    for (const h of holes) parts.push(h);
  }
  return parts.join(sep);
}

function lowerText(c: Cut): string {
  if (c.kind === BEFORE) return isMin(c) ? '(-∞' : `[${c.v.toString()}`;
  if (c.kind === AFTER) return `(${c.v.toString()}`;
  return `(${c.v.baseVersion}.post∞`;
}

function upperText(c: Cut): string {
  if (c.kind === TOP) return '∞)';
  if (c.kind === BEFORE) return `${c.v.toString()})`;
  if (c.kind === AFTER) return `${c.v.toString()}]`;
  return `${c.v.baseVersion}.post∞]`;
}

/**
 * Readable text for messages: the specifier spelling when there is one (`>=1.0,<2.0`), `*` for
 * every version, `∅` for none, `==1.0` for a single version, else intervals joined by ` | `
 * (`[1.0, 1.0]` style, in PEP 440 order).
 */
export function formatRange(cuts: readonly Cut[]): string {
  if (cuts.length === 0) return '∅';
  const spelled = rangeSpecifierString(cuts, ',');
  if (spelled === '') return '*';
  if (spelled !== null) return spelled;
  const parts: string[] = [];
  for (let i = 0; i < cuts.length; i += 2) {
    const lo = cuts[i]!;
    const hi = cuts[i + 1]!;
    if (lo.kind === BEFORE && hi.kind === AFTER && Version.compare(lo.v, hi.v) === 0) {
      parts.push(`==${lo.v.toString()}`);
      continue;
    }
    const one = rangeSpecifierString([lo, hi], ',');
    parts.push(one !== null && one !== '' ? one : `${lowerText(lo)}, ${upperText(hi)}`);
  }
  return parts.join(' | ');
}
