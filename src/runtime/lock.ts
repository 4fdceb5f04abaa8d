/**
 * An environment's lock: every installed distribution with the file it was installed from
 * (name, version, file URL, sha256, index, requested or not). The design's "the environment is
 * described by its lock": what persists across reloads and what a share link carries; the files
 * in site-packages are derived from it.
 *
 * The lock is computed, not kept by hand: after every change the environment's `.dist-info`
 * directories are read (what is installed, and whether REQUESTED says the person asked for it)
 * and joined with the provenance pip reported when it installed each one (`ctx.onInstalled`), or
 * with the previous lock's entry for the same name and version. A distribution nobody reported
 * (put there by hand, or by Python code) has no known file: it is listed as `unlocked` rather
 * than guessed.
 */
import { listInstalled, type InstallFs } from '../install';
import { isPipettePip, type InstalledFile } from '../pip';
import { normalizeName } from '../pep';

/** One locked distribution: enough to fetch the same file again and check it. */
export interface LockedDistribution {
  /** The name as its METADATA spells it (`Jinja2`). */
  readonly name: string;
  /** Normalized PEP 440 version. */
  readonly version: string;
  readonly filename: string;
  /** The file's URL (no fragment); `file:///...` for a wheel from the virtual filesystem. */
  readonly url: string;
  /** Lower-case hex sha256 of the file. */
  readonly sha256: string;
  /** The index it was found on; null for direct references without one. */
  readonly index: string | null;
  /** Named by the person (REQUESTED), not only pulled in as a dependency. */
  readonly requested: boolean;
  /** PEP 610 direct reference URL (`name @ URL` installs), else null. */
  readonly directUrl: string | null;
}

/** The lock of one environment, as the page sees it (share links, pylock.toml export). */
export interface EnvironmentLock {
  /** The environment's prefix (`/` for the base one). */
  readonly prefix: string;
  readonly name: string;
  readonly distributions: readonly LockedDistribution[];
  /** `name==version` of installed distributions whose file is unknown (not reproducible). */
  readonly unlocked: readonly string[];
}

/** `requests==2.32.3`, the key provenance is matched on (normalized name and version). */
export function lockKey(name: string, version: string): string {
  return `${normalizeName(name)}==${version}`;
}

/** Provenance reported by pip, as a lock entry (name and requested are re-read from disk). */
export function fromInstalledFile(file: InstalledFile): LockedDistribution {
  return {
    name: file.name,
    version: file.version,
    filename: file.filename,
    url: file.url,
    sha256: file.sha256,
    index: file.index,
    requested: file.requested,
    directUrl: file.directUrl,
  };
}

/**
 * The lock of the environment whose site-packages is `sitePackages`, from what is installed
 * there and the provenance known for each `name==version`.
 */
export function computeLock(fs: InstallFs, sitePackages: string, provenance: ReadonlyMap<string, LockedDistribution>): { distributions: LockedDistribution[]; unlocked: string[] } {
  const distributions: LockedDistribution[] = [];
  const unlocked: string[] = [];
  for (const dist of listInstalled(fs, sitePackages)) {
    // Pipette's own pip is part of every environment, not installed from a file: nothing to lock.
    if (isPipettePip(dist)) continue;
    const version = dist.metadata.version.toString();
    const known = provenance.get(lockKey(dist.name, version));
    if (!known) {
      unlocked.push(`${dist.metadata.name}==${version}`);
      continue;
    }
    distributions.push({ ...known, name: dist.metadata.name, version, requested: dist.requested });
  }
  return { distributions, unlocked };
}

/** Checks one stored entry field by field; null when it is not a lock entry. */
export function parseLockedDistribution(value: unknown): LockedDistribution | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
  const name = str('name');
  const version = str('version');
  const filename = str('filename');
  const url = str('url');
  const sha256 = str('sha256');
  if (!name || !version || !filename || !url || !sha256 || !/^[0-9a-f]{64}$/.test(sha256)) return null;
  return {
    name,
    version,
    filename,
    url,
    sha256,
    index: str('index'),
    requested: v['requested'] === true,
    directUrl: str('directUrl'),
  };
}
