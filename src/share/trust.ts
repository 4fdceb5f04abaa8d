/**
 * Which sources in a lock a person has to see before anything is installed.
 *
 * Anyone can make a link, so a link's indexes and file URLs are claims, not facts. PyPI (its
 * simple index and its file host) is trusted; every other index, and every file downloaded
 * from a place that is neither a trusted origin nor its own index's origin, becomes a warning
 * the UI must show and have accepted first. Never silently trusted: a lock installing from
 * `https://evil.example/simple/` says so, and so does a lock that claims PyPI as the index of
 * a wheel it downloads from somewhere else.
 */
import type { EnvironmentLock } from './environment-lock';
import { PYPI_FILES_ORIGIN, PYPI_INDEX } from './environment-lock';

export interface TrustOptions {
  /** Indexes installed from without asking. Default: PyPI only. */
  readonly trustedIndexes?: readonly string[];
  /**
   * Origins files may come from without asking, beyond the trusted indexes' own origins.
   * Default: PyPI's file host. The page adds the origin it serves Pyodide's packages from.
   */
  readonly trustedFileOrigins?: readonly string[];
}

export type ShareWarning =
  | {
      readonly code: 'unknown-index';
      /** The index URL as the lock spells it. */
      readonly index: string;
      /** Names of the distributions the lock says come from it (may be none). */
      readonly distributions: readonly string[];
      readonly message: string;
    }
  | {
      readonly code: 'unknown-file-host';
      /** Ex) `https://evil.example`. */
      readonly origin: string;
      readonly distributions: readonly string[];
      readonly message: string;
    };

/** An index URL compared without its trailing slashes: `https://pypi.org/simple` is PyPI too. */
export function sameIndex(a: string, b: string): boolean {
  return indexKey(a) === indexKey(b);
}

function indexKey(url: string): string {
  try {
    const u = new URL(url);
    u.pathname = u.pathname.replace(/\/+$/, '');
    return u.toString();
  } catch {
    return url;
  }
}

function origin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

function names(list: readonly string[]): string {
  return list.length <= 5 ? list.join(', ') : `${list.slice(0, 5).join(', ')} and ${list.length - 5} more`;
}

/** The warnings for `lock`, indexes first (in the lock's order), then file hosts. */
export function lockWarnings(lock: EnvironmentLock, options: TrustOptions = {}): ShareWarning[] {
  const trustedIndexes = options.trustedIndexes ?? [PYPI_INDEX];
  const trustedOrigins = new Set(options.trustedFileOrigins ?? [PYPI_FILES_ORIGIN]);
  for (const index of trustedIndexes) {
    const o = origin(index);
    if (o) trustedOrigins.add(o);
  }
  const trusted = (index: string): boolean => trustedIndexes.some((t) => sameIndex(t, index));

  // Every index the lock names: its list, then any a distribution names that the list lacks.
  const byIndex = new Map<string, string[]>();
  for (const index of lock.indexes) if (!trusted(index)) byIndex.set(indexKey(index), []);
  const spelled = new Map<string, string>(lock.indexes.map((i) => [indexKey(i), i]));
  const byOrigin = new Map<string, string[]>();
  // Builds fetch their source the same way: an sdist from its index or URL, a repository from GitHub.
  const fetched: { name: string; index: string | null; url: string | null }[] = [...lock.distributions];
  for (const b of lock.builds ?? []) {
    if (b.kind === 'sdist') fetched.push({ name: b.name, index: b.index, url: b.url });
    else if (b.kind === 'git') fetched.push({ name: b.name, index: null, url: b.repository });
  }
  for (const d of fetched) {
    if (d.index !== null && !trusted(d.index)) {
      const key = indexKey(d.index);
      if (!spelled.has(key)) spelled.set(key, d.index);
      const list = byIndex.get(key) ?? [];
      list.push(d.name);
      byIndex.set(key, list);
    }
    // A file named only (no URL) comes from wherever its index lists it: the index's warning covers it.
    const from = d.url === null ? null : origin(d.url);
    if (from === null || trustedOrigins.has(from) || (d.index !== null && origin(d.index) === from)) continue;
    const list = byOrigin.get(from) ?? [];
    list.push(d.name);
    byOrigin.set(from, list);
  }

  const warnings: ShareWarning[] = [];
  for (const [key, dists] of byIndex) {
    const index = spelled.get(key) ?? key;
    const what = dists.length > 0 ? `${names(dists)} would be installed from it` : 'pip would look there for packages';
    warnings.push({
      code: 'unknown-index',
      index,
      distributions: dists,
      message: `This environment uses the package index ${index}, which is not PyPI: ${what}. Install only if you trust that index.`,
    });
  }
  for (const [from, dists] of byOrigin) {
    warnings.push({
      code: 'unknown-file-host',
      origin: from,
      distributions: dists,
      message: `This environment downloads ${names(dists)} from ${from}, which is neither PyPI nor the index they are listed under. Install only if you trust that site.`,
    });
  }
  return warnings;
}
