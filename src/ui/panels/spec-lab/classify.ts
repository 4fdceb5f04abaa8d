/**
 * What pip does with a specifier and a project's versions, version by version, so the lab can
 * colour them and say why:
 *
 * - Matching is SpecifierSet's (PEP 440). Pre-releases follow pip's rule, which is packaging's
 *   `SpecifierSet.filter`: they are candidates with `--pre`, when a specifier names one
 *   (`>=2.0b1`), or when no final release matches at all; otherwise they are skipped.
 * - Yanked versions (PEP 592) are skipped unless a `==` or `===` pin names them, as Pipette's
 *   resolver does (uv's `AllowedYanks`).
 * - The version pip picks is the newest candidate left.
 */
import { InvalidSpecifier, type Specifier, SpecifierSet } from '../../../pep/specifier';
import { VersionRange } from '../../../pep/range';
import { Version } from '../../../pep/version';
import type { VersionRow } from '../types';

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

/** Why pre-releases are or are not candidates. */
export const PrereleasePolicy = {
  /** `--pre` was given. */
  flag: 'flag',
  /** A specifier names a pre-release, e.g. `>=2.0b1`. */
  named: 'named',
  /** No final release matches, so pip falls back to the matching pre-releases. */
  fallback: 'fallback',
  /** Final releases match, so the matching pre-releases are skipped. */
  skipped: 'skipped',
  /** No pre-release matches: the rule changes nothing. */
  none: 'none',
} as const;
export type PrereleasePolicy = (typeof PrereleasePolicy)[keyof typeof PrereleasePolicy];

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
      readonly prereleases: PrereleasePolicy;
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

export function classifyVersions(specifier: string, rows: readonly VersionRow[], options: ClassifyOptions = {}): SpecLabResult {
  let set: SpecifierSet;
  try {
    set = SpecifierSet.parse(specifier);
  } catch (e) {
    if (!(e instanceof InvalidSpecifier)) throw e;
    return { kind: 'error', message: e.message, reason: e.reason, input: e.input, start: e.start, end: e.end };
  }
  const parsed = rows
    .map((row) => ({ row, version: Version.tryParse(row.version) }))
    .sort((a, b) => (a.version && b.version ? b.version.compare(a.version) : a.version ? -1 : b.version ? 1 : 0));
  const valid = parsed.filter((p) => p.version !== null);
  const matching = new Set(set.filter(valid, { prereleases: true, key: (p) => p.version! }));
  const kept = new Set(set.filter(valid, { prereleases: options.pre ? true : undefined, key: (p) => p.version! }));
  const pins = set.specifiers.filter((s) => (s.operator === '==' && !s.isWildcard) || s.operator === '===');
  const pinned = (v: Version, text: string): boolean => pins.some((s) => s.contains(s.operator === '===' ? text : v));

  const skippedPrereleases = [...matching].filter((p) => p.version!.isPrerelease && !kept.has(p)).length;
  const anyPre = [...matching].some((p) => p.version!.isPrerelease);
  const prereleases: PrereleasePolicy = !anyPre
    ? PrereleasePolicy.none
    : options.pre
      ? PrereleasePolicy.flag
      : set.namesPrerelease
        ? PrereleasePolicy.named
        : skippedPrereleases > 0
          ? PrereleasePolicy.skipped
          : PrereleasePolicy.fallback;

  let chosen: string | null = null;
  const versions = parsed.map((entry): ClassifiedVersion & { candidate: boolean } => {
    const { row, version } = entry;
    const base = { version: row.version, prerelease: version?.isPrerelease ?? row.prerelease, yanked: row.yanked };
    if (version === null) return { ...base, verdict: Verdict.invalid, candidate: false };
    if (!matching.has(entry)) return { ...base, verdict: Verdict.noMatch, candidate: false };
    if (!kept.has(entry)) return { ...base, verdict: Verdict.prereleaseSkipped, candidate: false };
    if (row.yanked && !pinned(version, row.version)) return { ...base, verdict: Verdict.yankedSkipped, candidate: false };
    return { ...base, verdict: Verdict.match, candidate: true };
  });
  // Newest first, so the first candidate is pip's choice.
  const first = versions.find((v) => v.candidate);
  if (first) chosen = first.version;
  const range = set.range;
  return {
    kind: 'ok',
    normalized: set.toString(),
    range: range.toSpecifierString() ?? range.toString(),
    matchesNothing: range.isEmpty(),
    versions: versions.map(({ candidate, ...v }) => (candidate && v.version === chosen ? { ...v, verdict: Verdict.chosen } : v)),
    prereleases,
    skippedPrereleases,
    chosen,
    compatible: set.specifiers.filter((s) => s.operator === '~=').map(spellCompatible),
  };
}

/**
 * PEP 440 "Compatible release": `~= V.N` means `>= V.N, == V.*`; a pre-, post- or dev-release
 * suffix is ignored when finding the prefix. Ex) `~=1.4.2` -> `>=1.4.2, ==1.4.*`;
 * `~=2.2.post3` -> `>=2.2.post3, ==2.*`.
 */
export function spellCompatible(s: Specifier): SpelledSpecifier {
  const v = s.parsedVersion!;
  const prefix = `${v.epoch !== 0 ? `${v.epoch}!` : ''}${v.release.slice(0, -1).join('.')}`;
  const range = VersionRange.fromSpecifier(s);
  return { specifier: s.toString(), meaning: `>=${s.version}, ==${prefix}.*`, range: range.toSpecifierString() ?? range.toString(), series: `${prefix}.*` };
}

/** One sentence on the pre-release rule as it applied. */
export function explainPrereleases(result: Extract<SpecLabResult, { kind: 'ok' }>): string {
  switch (result.prereleases) {
    case PrereleasePolicy.flag:
      return 'Pre-releases are candidates because --pre was given.';
    case PrereleasePolicy.named:
      return 'Pre-releases are candidates because the specifier names one (pip allows them when a specifier mentions a pre-release).';
    case PrereleasePolicy.fallback:
      return 'No final release matches, so pip falls back to the matching pre-releases.';
    case PrereleasePolicy.skipped:
      return `${result.skippedPrereleases} matching pre-release${result.skippedPrereleases === 1 ? ' is' : 's are'} skipped: pip ignores pre-releases when a final release matches. Use --pre, or name a pre-release in the specifier (>=2.0b1), to allow them.`;
    case PrereleasePolicy.none:
      return 'No pre-release matches, so the pre-release rule changes nothing here.';
  }
}
