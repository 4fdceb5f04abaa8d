/**
 * Boundaries ("cuts") on the PEP 440 version line (private to src/pep).
 *
 * A cut splits all versions into those below it and those at or above it; a version range is a
 * sorted list of cuts read pairwise as half-open intervals `[lo, hi)`. Cuts come in four kinds:
 *
 *   BEFORE(V)         just below V                  (V itself is above)
 *   AFTER(V)          just above V, in key order     (so V+local, which sorts after V, is above)
 *   AFTER_RELEASE(V)  after every version of V's epoch and release, whatever its
 *                     pre/post/dev/local parts: 1.0rc1, 1.0, 1.0+abc, 1.0.post7 are all below
 *                     AFTER_RELEASE(1.0), 1.0.0.1 is above. `>1.0` needs it: PEP 440 says `>V`
 *                     excludes V's post-releases and V+local, and there is no smallest version
 *                     above all of them (1.0.0.1 > 1.0.0.0.1 > ...), so no BEFORE(W) can say it.
 *   TOP               above every version
 *
 * The bottom of the line needs no kind of its own: 0.dev0 is the smallest version (release 0,
 * dev 0, no local), so BEFORE(0.dev0) = MIN_CUT has every version above it.
 *
 * Every other boundary PEP 440 needs is a BEFORE of a computable version (packaging's
 * `_BoundaryVersion` AFTER_LOCALS is BEFORE(V.post0.dev0) etc., see {@link afterLocalsBound}).
 *
 * Canonical form: two cuts that split the versions the same way compare equal, and distinct
 * kinds never coincide (AFTER(V) has no immediate successor because local labels have no
 * smallest extension, and BEFORE(V) no immediate predecessor), so equal ranges have equal cut
 * lists: structural equality is set equality.
 */
import { Version } from './version';

export const BEFORE = 0;
export const AFTER = 1;
export const AFTER_RELEASE = 2;
export const TOP = 3;

export type CutKind = typeof BEFORE | typeof AFTER | typeof AFTER_RELEASE | typeof TOP;

export interface Cut {
  readonly kind: CutKind;
  /** The version the cut is relative to (unused, the minimum version, for TOP). */
  readonly v: Version;
}

/** The smallest PEP 440 version: nothing sorts below 0.dev0. */
export const MIN_VERSION: Version = Version.fromParts({ release: [0], dev: 0 });
export const MIN_CUT: Cut = { kind: BEFORE, v: MIN_VERSION };
export const TOP_CUT: Cut = { kind: TOP, v: MIN_VERSION };

export function before(v: Version): Cut {
  return { kind: BEFORE, v };
}

export function after(v: Version): Cut {
  return { kind: AFTER, v };
}

export function afterRelease(v: Version): Cut {
  return { kind: AFTER_RELEASE, v };
}

/** Is `v` at or above the cut? */
export function isAbove(v: Version, c: Cut): boolean {
  switch (c.kind) {
    case BEFORE:
      return Version.compare(v, c.v) >= 0;
    case AFTER:
      return Version.compare(v, c.v) > 0;
    case AFTER_RELEASE:
      return Version.compareRelease(v, c.v) > 0;
    default:
      return false;
  }
}

/** Total order of cuts along the version line. */
export function compareCut(a: Cut, b: Cut): number {
  const ka = a.kind;
  const kb = b.kind;
  if (ka === TOP || kb === TOP) return ka === kb ? 0 : ka === TOP ? 1 : -1;
  if (ka !== AFTER_RELEASE && kb !== AFTER_RELEASE) {
    const c = Version.compare(a.v, b.v);
    // At the same version, BEFORE(V) < AFTER(V).
    return c !== 0 ? c : ka - kb;
  }
  if (ka === AFTER_RELEASE && kb === AFTER_RELEASE) return Version.compareRelease(a.v, b.v);
  // One AFTER_RELEASE(R) against a point cut at W: the point cut is below when W's release is
  // at or below R (R's family has no largest member), above otherwise.
  if (ka === AFTER_RELEASE) return Version.compareRelease(b.v, a.v) <= 0 ? 1 : -1;
  return Version.compareRelease(a.v, b.v) <= 0 ? -1 : 1;
}

/** The .dev0 at the start of a release: every version of `E!release` is at or above it. */
export function releaseStart(epoch: number, release: readonly number[]): Version {
  return Version.fromParts({ epoch, release, dev: 0 });
}

/** The start of the next prefix: 1.2 -> 1.3.dev0 (the end of `==1.2.*` and of `~=1.1.5`'s 1.x). */
export function nextPrefixStart(epoch: number, prefix: readonly number[]): Version {
  const release = prefix.slice();
  release[release.length - 1]! += 1;
  return Version.fromParts({ epoch, release, dev: 0 });
}

/**
 * The smallest version above V and all of V+local (packaging's AFTER_LOCALS(V)):
 * 1.0 -> 1.0.post0.dev0, 1.0a1 -> 1.0a1.post0.dev0, 1.0.post2 -> 1.0.post3.dev0,
 * 1.0.dev4 -> 1.0.dev5. So `<=V` is `< afterLocalsBound(V)`.
 */
export function afterLocalsBound(v: Version): Version {
  const base = { epoch: v.epoch, release: v.release, pre: v.pre };
  if (v.dev !== null) return Version.fromParts({ ...base, post: v.post, dev: v.dev + 1 });
  return Version.fromParts({ ...base, post: v.post === null ? 0 : v.post + 1, dev: 0 });
}

/**
 * The lower cut of `>V` (PEP 440 "Exclusive ordered comparison": not V+local, not V's
 * post-releases unless V is one):
 * >1.0.dev1 -> BEFORE(1.0.dev2), >1.0.post1 -> BEFORE(1.0.post2.dev0),
 * >1.0a1 -> BEFORE(1.0a2.dev0), >1.0 -> AFTER_RELEASE(1.0).
 */
export function greaterThanCut(v: Version): Cut {
  if (v.dev !== null) {
    return before(Version.fromParts({ epoch: v.epoch, release: v.release, pre: v.pre, post: v.post, dev: v.dev + 1 }));
  }
  if (v.post !== null) {
    return before(Version.fromParts({ epoch: v.epoch, release: v.release, pre: v.pre, post: v.post + 1, dev: 0 }));
  }
  if (v.pre !== null) {
    return before(Version.fromParts({ epoch: v.epoch, release: v.release, pre: [v.pre[0], v.pre[1] + 1], dev: 0 }));
  }
  return afterRelease(v);
}

/**
 * The upper cut of `<V` (PEP 440: `<V` excludes V's pre-releases unless V is one):
 * <1.0 -> BEFORE(1.0.dev0), <1.0.post1 -> BEFORE(1.0.post1.dev0), <1.0rc1 -> BEFORE(1.0rc1).
 */
export function lessThanBound(v: Version): Version {
  if (v.isPrerelease) return v;
  return Version.fromParts({ epoch: v.epoch, release: v.release, post: v.post, dev: 0 });
}
