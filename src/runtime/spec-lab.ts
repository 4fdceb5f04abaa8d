/**
 * The specifier lab's question and answer as they cross Comlink (plain data): what pip does
 * with a specifier and a project's versions, version by version. The worker answers
 * (classify-versions.ts, with the resolver's own policy modules); the panel only draws it.
 * No imports: the page takes these values without loading the worker's code.
 */

export const Verdict = {
  /** The version pip would install. */
  chosen: 'chosen',
  /** Matches and is a candidate. */
  match: 'match',
  /** Matches, but pip skips pre-releases here. */
  prereleaseSkipped: 'prerelease-skipped',
  /** Matches, but it was yanked and nothing pins it. */
  yankedSkipped: 'yanked-skipped',
  noMatch: 'no-match',
  /** Not a PEP 440 version: pip ignores it. */
  invalid: 'invalid',
} as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

/** Why pre-releases are or are not candidates (src/resolver/prerelease.ts's rules). */
export const PrereleaseRule = {
  /** `--pre` was given. */
  flag: 'flag',
  /** A specifier names a pre-release, e.g. `>=2.0b1`. */
  named: 'named',
  /** No specifier and no final release at all, so pip takes the pre-releases. */
  fallback: 'fallback',
  /** Final releases match, so the matching pre-releases are skipped. */
  skipped: 'skipped',
  /**
   * Only pre-releases match and the specifier names none: pip 25.3 (packaging 25) keeps final
   * releases only, so none is a candidate.
   */
  finalsOnly: 'finals-only',
  /** No pre-release matches: the rule changes nothing. */
  none: 'none',
} as const;
export type PrereleaseRule = (typeof PrereleaseRule)[keyof typeof PrereleaseRule];

export interface ClassifiedVersion {
  readonly version: string;
  readonly verdict: Verdict;
  readonly prerelease: boolean;
  readonly yanked: boolean;
}

export interface SpelledSpecifier {
  /** As normalized: `~=1.4.2`. */
  readonly specifier: string;
  /** PEP 440's definition: `>=1.4.2, ==1.4.*`. */
  readonly meaning: string;
  /** The same set as bounds: `>=1.4.2, <1.5`. */
  readonly range: string;
  /** The release series it stays in: `1.4.*`. */
  readonly series: string;
}

export type SpecLabResult =
  | {
      readonly kind: 'ok';
      /** Normalized as packaging prints it. */
      readonly normalized: string;
      /** The whole set as bounds (`>=1.4.2, <1.5`), `''` for any version, `<0` for none. */
      readonly range: string;
      readonly matchesNothing: boolean;
      /** Newest first. */
      readonly versions: readonly ClassifiedVersion[];
      readonly prereleases: PrereleaseRule;
      /** Matching pre-releases that the policy skipped. */
      readonly skippedPrereleases: number;
      readonly chosen: string | null;
      readonly compatible: readonly SpelledSpecifier[];
    }
  | {
      readonly kind: 'error';
      /** The message with the input and a caret line under the fault. */
      readonly message: string;
      readonly reason: string;
      readonly input: string;
      readonly start: number | null;
      readonly end: number | null;
    };

export interface ClassifyOptions {
  /** pip's `--pre`. */
  readonly pre?: boolean;
}
