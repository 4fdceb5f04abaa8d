/**
 * The lab's words for the worker's answer (src/runtime spec-lab.ts): the answer says what pip
 * does with each version, decided by the resolver's policies in the worker; this says it.
 */
import { PrereleaseRule, type SpecLabResult } from '../../../runtime';

/** One sentence on the pre-release rule as it applied. */
export function explainPrereleases(result: Extract<SpecLabResult, { kind: 'ok' }>): string {
  switch (result.prereleases) {
    case PrereleaseRule.flag:
      return 'Pre-releases are candidates because --pre was given.';
    case PrereleaseRule.named:
      return 'Pre-releases are candidates because the specifier names one (pip allows them when a specifier mentions a pre-release).';
    case PrereleaseRule.fallback:
      return 'No final release matches, so pip falls back to the matching pre-releases.';
    case PrereleaseRule.skipped:
      return `${result.skippedPrereleases} matching pre-release${result.skippedPrereleases === 1 ? ' is' : 's are'} skipped: pip ignores pre-releases when a final release matches. Use --pre, or name a pre-release in the specifier (>=2.0b1), to allow them.`;
    case PrereleaseRule.finalsOnly:
      return `Only pre-releases match, and the specifier names none: pip keeps final releases only then, so none is a candidate. Use --pre, or name a pre-release in the specifier (>=2.0b1), to allow them.`;
    case PrereleaseRule.none:
      return 'No pre-release matches, so the pre-release rule changes nothing here.';
  }
}
