/**
 * Which version of a project the solver tries next (pip's `CandidateEvaluator` ordering, with
 * the policies of their own modules):
 *
 * 1. The preferred version (preferences.ts) when it is in the set and usable.
 * 2. Else the newest version in the set that the pre-release policy allows (prerelease.ts) and
 *    that is usable: a file installs here (candidates.ts) and it is not a yanked version nobody
 *    pinned (yanks.ts).
 * 3. Wheels before building (pip's `--prefer-binary`, Pipette's default: a build is slow here,
 *    and often impossible): a version usable only through its sdist waits until no version in
 *    the set has a wheel.
 *
 * When the newest candidate is unusable, the answer is that fact, stated for the run of adjacent
 * versions unusable for the same kind of reason (pub's package lister), so one incompatibility
 * covers them and explanations read `foo>=2.0`; when only pre-releases are left, that they are
 * pre-releases the policy skipped.
 */
import { VersionRange, type NormalizedName, type Version } from '../pep';
import type { ProjectCandidates } from './candidates';
import type { Preferences } from './preferences';
import type { Prefetcher } from './prefetch';
import type { PrereleasePolicy } from './prerelease';
import type { VersionChoice } from './solver';
import type { ProjectEntry } from './source-cache';
import { mergeReasons, sameKind, type UnavailableReason } from './unavailable';
import type { YankPolicy } from './yanks';

export type Choice = VersionChoice<Version, VersionRange, UnavailableReason>;
type Found = ProjectEntry & { readonly candidates: ProjectCandidates };

export interface ChoicePolicies {
  readonly prereleases: PrereleasePolicy;
  readonly yanks: YankPolicy;
  readonly preferences: Preferences;
  /** Told of every choice (its batch look-ahead follows a package stepping down). */
  readonly prefetcher: Prefetcher;
}

export class VersionChooser {
  constructor(private readonly policies: ChoicePolicies) {}

  /** The preferred version if it fits, else the newest allowed and usable one in `set`. */
  choose(name: NormalizedName, isExtra: boolean, entry: ProjectEntry, set: VersionRange): Choice {
    return this.select(name, isExtra, entry, set, true);
  }

  /**
   * The version `choose` would answer now, without telling the prefetcher (nothing is chosen):
   * what lets a download start before the solver gets to the package (prefetch.ts).
   */
  peek(name: NormalizedName, isExtra: boolean, entry: ProjectEntry, set: VersionRange): Version | null {
    const choice = this.select(name, isExtra, entry, set, false);
    return choice.kind === 'version' ? choice.version : null;
  }

  private select(name: NormalizedName, isExtra: boolean, entry: ProjectEntry, set: VersionRange, tell: boolean): Choice {
    if (entry.kind === 'not-found') return { kind: 'unavailable', set: VersionRange.full(), reason: { kind: 'not-found', indexes: entry.indexes } };
    const candidates = entry.candidates.candidates;
    const allowPre = this.policies.prereleases.allows(name, entry.candidates);
    const preferred = this.policies.preferences.preferred(name, isExtra);
    if (preferred && set.contains(preferred)) {
      const i = entry.candidates.indexOf(preferred);
      // Kept even if a pre-release (preferences.ts).
      if (i >= 0 && this.policies.yanks.status(name, entry, i).kind !== 'unavailable') {
        if (tell) this.policies.prefetcher.notePreferred(name, i);
        return { kind: 'version', version: (candidates[i] as { version: Version }).version };
      }
    }
    const skipped: number[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      const candidate = candidates[i] as { version: Version };
      if (!set.contains(candidate.version)) continue;
      if (candidate.version.isPrerelease && !allowPre) {
        skipped.push(i);
        continue;
      }
      const status = this.policies.yanks.status(name, entry, i);
      // Wheels first (pip's --prefer-binary, Pipette's default: a build is slow here, and often
      // impossible): an sdist-only version waits until no version with a wheel is left.
      if (status.kind === 'usable' && status.source === true && this.hasWheelIn(name, entry, set, allowPre)) continue;
      if (status.kind !== 'unavailable') {
        if (tell) this.policies.prefetcher.chosen(name, entry, set, i, allowPre);
        return { kind: 'version', version: candidate.version };
      }
      return this.unavailableRun(name, entry, i, status.reason);
    }
    if (skipped.length > 0) {
      const pre = skipped.reduce((acc, j) => acc.union(entry.candidates.widen(j)), VersionRange.empty());
      return { kind: 'unavailable', set: pre, reason: { kind: 'prerelease' } };
    }
    return { kind: 'none' };
  }

  /** The run of adjacent versions around `i` unusable for the same kind of reason, as one fact. */
  private unavailableRun(name: NormalizedName, entry: Found, i: number, first: UnavailableReason): Choice {
    const last = entry.candidates.candidates.length - 1;
    let lo = i;
    let hi = i;
    let reason = first;
    const sameAt = (j: number): UnavailableReason | null => {
      const s = this.policies.yanks.status(name, entry, j);
      return s.kind === 'unavailable' && sameKind(s.reason, reason) ? s.reason : null;
    };
    for (let r = lo > 0 ? sameAt(lo - 1) : null; r; r = lo > 0 ? sameAt(lo - 1) : null) {
      reason = mergeReasons(reason, r);
      lo--;
    }
    for (let r = hi < last ? sameAt(hi + 1) : null; r; r = hi < last ? sameAt(hi + 1) : null) {
      reason = mergeReasons(reason, r);
      hi++;
    }
    return { kind: 'unavailable', set: entry.candidates.widen(lo, hi), reason };
  }

  /** Whether some version in `set` installs from a wheel (not from an sdist). */
  private hasWheelIn(name: NormalizedName, entry: Found, set: VersionRange, allowPre: boolean): boolean {
    const candidates = entry.candidates.candidates;
    for (let j = candidates.length - 1; j >= 0; j--) {
      const c = candidates[j] as { version: Version };
      if (!set.contains(c.version) || (c.version.isPrerelease && !allowPre)) continue;
      const s = this.policies.yanks.status(name, entry, j);
      if (s.kind !== 'unavailable' && !(s.kind === 'usable' && s.source === true)) return true;
    }
    return false;
  }
}
