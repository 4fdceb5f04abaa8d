/**
 * The worker's answer to the specifier lab (spec-lab.ts): what pip does with `project<specifier>`
 * and the project's versions, version by version, decided by the resolver's own policy modules
 * so the lab cannot teach another rule than `pip install` applies in the same tab:
 *
 * - Matching is SpecifierSet's (PEP 440).
 * - Pre-releases: src/resolver/prerelease.ts (pip 25.3's rule), the lab's specifier being the
 *   one requirement on the project; the project "has a final release" when one is listed (the
 *   lab does not ask which files install here).
 * - Yanked versions: src/resolver/yanks.ts, the lab's specifier being a root requirement (a
 *   `==`/`===` pin admits a yanked version, a wildcard does not).
 * - The version pip picks is the newest candidate left.
 */
import { InvalidSpecifier, normalizeName, type Specifier, SpecifierSet, Version, VersionRange } from '../pep';
import { PrereleasePolicy, YankPolicy } from '../resolver';
import type { VersionRow } from './machinery';
import { type ClassifiedVersion, type ClassifyOptions, PrereleaseRule, type SpecLabResult, type SpelledSpecifier, Verdict } from './spec-lab';

/** The policies are kept per project name; the lab asks about one project at a time. */
const PROJECT = normalizeName('project');

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
  const prereleases = new PrereleasePolicy(options.pre ?? false);
  prereleases.noteRequirement(PROJECT, set);
  const why = prereleases.reason(PROJECT, { hasFinal: valid.some((p) => !p.version!.isPrerelease) });
  const yanks = new YankPolicy();
  yanks.notePin(PROJECT, set);

  let skippedPrereleases = 0;
  let finalMatches = false;
  for (const p of matching) {
    if (!p.version!.isPrerelease) finalMatches = true;
    else if (why === null) skippedPrereleases++;
  }
  const anyPre = [...matching].some((p) => p.version!.isPrerelease);
  const prereleaseRule: PrereleaseRule = !anyPre
    ? PrereleaseRule.none
    : why === 'flag'
      ? PrereleaseRule.flag
      : why === 'named'
        ? PrereleaseRule.named
        : why === 'no-final'
          ? PrereleaseRule.fallback
          : finalMatches
            ? PrereleaseRule.skipped
            : PrereleaseRule.finalsOnly;

  const versions = parsed.map((entry): ClassifiedVersion & { candidate: boolean } => {
    const { row, version } = entry;
    const base = { version: row.version, prerelease: version?.isPrerelease ?? row.prerelease, yanked: row.yanked };
    if (version === null) return { ...base, verdict: Verdict.invalid, candidate: false };
    if (!matching.has(entry)) return { ...base, verdict: Verdict.noMatch, candidate: false };
    if (version.isPrerelease && why === null) return { ...base, verdict: Verdict.prereleaseSkipped, candidate: false };
    if (row.yanked && !yanks.allows(PROJECT, version)) return { ...base, verdict: Verdict.yankedSkipped, candidate: false };
    return { ...base, verdict: Verdict.match, candidate: true };
  });
  // Newest first, so the first candidate is pip's choice.
  const chosen = versions.find((v) => v.candidate)?.version ?? null;
  const range = set.range;
  return {
    kind: 'ok',
    normalized: set.toString(),
    range: range.toSpecifierString() ?? range.toString(),
    matchesNothing: range.isEmpty(),
    versions: versions.map(({ candidate, ...v }) => (candidate && v.version === chosen ? { ...v, verdict: Verdict.chosen } : v)),
    prereleases: prereleaseRule,
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
