/**
 * Broken requirements among installed distributions (pip `operations/check.py`): what
 * `pip check` prints, and what `pip install` warns about after installing (pip's resolver, like
 * ours, does not take every installed package into account).
 */
import type { InstalledDist, FileSystem } from '../install';
import { parseTag, supportedTags, tagToString, type MarkerEnvironment, type NormalizedName, type PyodideLockInfo, type Requirement } from '../pep';

export interface PackageConflicts {
  /** name -> [missing dependency (normalized), requirement] */
  readonly missing: ReadonlyMap<NormalizedName, readonly (readonly [NormalizedName, Requirement])[]>;
  /** name -> [dependency (normalized), installed version, requirement] */
  readonly conflicting: ReadonlyMap<NormalizedName, readonly (readonly [NormalizedName, string, Requirement])[]>;
}

/** pip's `iter_dependencies()`: Requires-Dist whose marker holds here with `extra == ""`. */
export function installedDependencies(dist: InstalledDist, env: MarkerEnvironment): Requirement[] {
  return dist.metadata.requiresDist.filter((req) => {
    if (req.marker === null) return true;
    try {
      return req.marker.evaluate(env, '');
    } catch {
      return false;
    }
  });
}

/**
 * pip's `check_package_set`, for the distributions `only` names (all when omitted), sorted by
 * name so the output is stable.
 */
export function checkPackageSet(dists: readonly InstalledDist[], env: MarkerEnvironment, only?: ReadonlySet<NormalizedName>): PackageConflicts {
  const byName = new Map(dists.map((d) => [d.name, d] as const));
  const missing = new Map<NormalizedName, [NormalizedName, Requirement][]>();
  const conflicting = new Map<NormalizedName, [NormalizedName, string, Requirement][]>();
  for (const dist of [...dists].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (only && !only.has(dist.name)) continue;
    const m: [NormalizedName, Requirement][] = [];
    const c: [NormalizedName, string, Requirement][] = [];
    for (const req of installedDependencies(dist, env)) {
      const dep = byName.get(req.normalizedName);
      if (!dep) {
        m.push([req.normalizedName, req]);
        continue;
      }
      if (!req.specifier.contains(dep.metadata.version, { prereleases: true })) c.push([req.normalizedName, dep.metadata.version.toString(), req]);
    }
    const byText = (a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
    if (m.length > 0) missing.set(dist.name, m.sort(byText));
    if (c.length > 0) conflicting.set(dist.name, c.sort(byText));
  }
  return { missing, conflicting };
}

/**
 * pip's `_create_whitelist`: the distributions just installed and every installed one that
 * depends on any of them; only these are checked after an install.
 */
export function affectedBy(installed: ReadonlySet<NormalizedName>, dists: readonly InstalledDist[], env: MarkerEnvironment): Set<NormalizedName> {
  const out = new Set(installed);
  for (const dist of dists) {
    if (installedDependencies(dist, env).some((r) => installed.has(r.normalizedName))) out.add(dist.name);
  }
  return out;
}

/** pip's `check_unsupported`: distributions none of whose WHEEL tags this interpreter supports. */
export function unsupportedDistributions(fs: FileSystem, dists: readonly InstalledDist[], lockInfo: PyodideLockInfo): InstalledDist[] {
  const supported = new Set(supportedTags(lockInfo));
  const out: InstalledDist[] = [];
  for (const dist of dists) {
    const wheel = fs.readFile(`${dist.distInfoPath}/WHEEL`);
    if (!wheel) continue;
    const tags: string[] = [];
    for (const line of new TextDecoder().decode(wheel).split(/\r?\n/)) {
      const m = /^Tag:\s*(.+?)\s*$/i.exec(line);
      if (!m) continue;
      try {
        for (const t of parseTag(m[1]!)) tags.push(tagToString(t));
      } catch {
        // An unreadable tag supports nothing.
      }
    }
    if (tags.length > 0 && !tags.some((t) => supported.has(t))) out.push(dist);
  }
  return out;
}
