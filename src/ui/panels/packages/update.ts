/**
 * Small pure decisions of the packages table, kept apart so they are tested without a DOM.
 */
import { Version } from '../../../pep';

/**
 * The newer version to offer, or null. Compared as PEP 440 versions (`1.10` > `1.9`, which a
 * string comparison gets wrong). A pre-release `latest` is offered only over a pre-release, as
 * `pip list --outdated` does without `--pre`; an unparsable version offers nothing.
 * Ex) ('2.31.0', '2.32.3') -> '2.32.3'; ('2.0', '2.1b1') -> null; ('2.1a1', '2.1b1') -> '2.1b1'.
 */
export function updateAvailable(installed: string, latest: string | null): string | null {
  if (latest === null) return null;
  const have = Version.tryParse(installed);
  const newest = Version.tryParse(latest);
  if (have === null || newest === null) return null;
  if (newest.isPrerelease && !have.isPrerelease) return null;
  return newest.compare(have) > 0 ? latest : null;
}

/**
 * The link for a vulnerability, if it is an http(s) URL; anything else (`javascript:`, `data:`)
 * is dropped: the data comes from an index, and an href is code when it is not a web address.
 */
export function safeLink(link: string | null): string | null {
  if (link === null) return null;
  try {
    const url = new URL(link);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Does a distribution match the filter box? Name or summary, case-insensitive; `-`/`_`/`.` alike in names. */
export function matchesFilter(filter: string, name: string, summary: string | null): boolean {
  const f = filter.trim().toLowerCase();
  if (f === '') return true;
  const norm = (s: string): string => s.toLowerCase().replace(/[-_.]+/g, '-');
  return norm(name).includes(norm(f)) || (summary ?? '').toLowerCase().includes(f);
}
