/**
 * The versions of a project that could install here, as pip's PackageFinder lists them for
 * `pip list --outdated` and `pip index versions`: wheels whose tags this Pyodide supports, whose
 * Requires-Python holds, not yanked, pre-releases only on request; Pyodide's own builds only
 * when no configured source has a file that installs (the resolver's `selectFiles`).
 */
import type { DistributionFile } from '../pep';
import { parseWheelFilename, SpecifierSet, supportedTags, Version, wheelRank, type NormalizedName, type PyodideLockInfo } from '../pep';
import { selectFiles } from '../resolver';
import type { PipSource } from './pip-source';

export interface AvailableVersions {
  /** Newest first. */
  readonly versions: Version[];
  readonly found: boolean;
}

export async function availableVersions(
  source: PipSource,
  name: NormalizedName,
  target: { readonly lockInfo: PyodideLockInfo; readonly python: string },
  options: { readonly pre: boolean; readonly allowYanked?: boolean; readonly signal?: AbortSignal },
): Promise<AvailableVersions> {
  const answer = await source.getProject(name, options.signal);
  if (answer.kind === 'not-found') return { versions: [], found: false };
  const supported = supportedTags(target.lockInfo);
  const python = Version.tryParse(target.python);
  const files = python ? selectFiles(name, answer.project.files, { supported, python, excludeNewer: null }) : answer.project.files;
  const seen = new Map<string, Version>();
  for (const file of files) {
    const version = installableVersion(file, name, supported, target.python, options.allowYanked ?? false);
    if (!version || (!options.pre && version.isPrerelease)) continue;
    seen.set(version.toString(), version);
  }
  const versions = [...seen.values()].sort((a, b) => b.compare(a));
  return { versions, found: true };
}

function installableVersion(file: DistributionFile, name: NormalizedName, supported: readonly string[], python: string, allowYanked: boolean): Version | null {
  if (file.yanked !== false && !allowYanked) return null;
  if (file.origin === 'installed') return null;
  if (file.pyodideLock) {
    if (file.pyodideLock.packageType !== 'package') return null;
    try {
      return Version.parse(file.pyodideLock.version);
    } catch {
      return null;
    }
  }
  if (!file.filename.endsWith('.whl')) return null;
  try {
    const wheel = parseWheelFilename(file.filename);
    if (wheel.name !== name || wheelRank(wheel.tags, supported) === null) return null;
    if (file.requiresPython && !SpecifierSet.parse(file.requiresPython).contains(python, { prereleases: true })) return null;
    return wheel.version;
  } catch {
    return null;
  }
}
