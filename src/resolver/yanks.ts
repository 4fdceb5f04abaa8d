/**
 * Which yanked versions a resolution may use (PEP 592: an installer ignores a yanked release
 * unless the requirement pins it with `==` or `===`). pip 24-25's
 * `Factory._iter_found_candidates` skips a yanked file unless the specifier is pinned
 * (`is_pinned`: `===`, or `==` without a wildcard) and every file it allows is yanked; it then
 * warns "The candidate selected for download or install is a yanked version" (resolve.ts).
 *
 * - Only the root requirements and constraints count, fixed before solving, as uv's
 *   `AllowedYanks`: a pin deep in the graph would make the policy depend on which branch the
 *   solver happens to be exploring.
 * - `==1.*` is no pin: a wildcard names a series, not the version (PEP 592 "exact match").
 * - A direct reference (`name @ url`) is what the person asked for: its yank is not checked.
 * - A version with an unyanked file is not yanked: candidates.ts takes that file
 *   (`Candidate.status`), so only versions every usable file of which is yanked reach here.
 * - An installed version that was yanked since stays a candidate (pip's installed candidate
 *   knows nothing of yanking): the pip layer's source lists it unyanked.
 */
import type { NormalizedName, SpecifierSet, VersionRange, Version } from '../pep';
import type { CandidateStatus } from './candidates';
import type { ProjectEntry } from './source-cache';

export class YankPolicy {
  /** Per project, the ranges of the `==`/`===` specifiers of its root requirements and constraints. */
  private readonly pins = new Map<NormalizedName, VersionRange[]>();

  /** A root requirement or constraint on `name` (whose marker holds). */
  notePin(name: NormalizedName, specifier: SpecifierSet): void {
    const ranges = pinRanges(specifier);
    if (ranges.length > 0) this.pins.set(name, [...(this.pins.get(name) ?? []), ...ranges]);
  }

  /** Whether a yanked `version` of `name` may be used: a root `==`/`===` pins it. */
  allows(name: NormalizedName, version: Version): boolean {
    return (this.pins.get(name) ?? []).some((r) => r.contains(version));
  }

  /** Candidate `i`'s status with the policy applied: yanked and not pinned is unavailable. */
  status(name: NormalizedName, entry: ProjectEntry, i: number): CandidateStatus {
    if (entry.kind === 'not-found') return { kind: 'unavailable', reason: { kind: 'not-found', indexes: entry.indexes } };
    const candidate = entry.candidates.candidates[i];
    if (!candidate) return { kind: 'unavailable', reason: { kind: 'no-files' } };
    const status = candidate.status();
    if (status.kind === 'usable' && status.yanked !== false && entry.kind !== 'direct' && !this.allows(name, candidate.version)) {
      return { kind: 'unavailable', reason: { kind: 'yanked', reason: status.yanked } };
    }
    return status;
  }
}

/** The ranges of a specifier set's `==` (not wildcard) and `===` specifiers. */
export function pinRanges(specifier: SpecifierSet): VersionRange[] {
  return specifier.specifiers.filter((s) => (s.operator === '==' && !s.isWildcard) || s.operator === '===').map((s) => s.range);
}
