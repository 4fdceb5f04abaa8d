import { linkViolation, targetViolation } from './containment';
import type { FileSystem } from './fs';
import { dirname, resolvePath } from './posix-path';
import { InstallError, InstallErrorCode } from './errors';
import { findInstalled, type InstalledDist } from './installed';
import type { InstallScheme } from './scheme';

export interface UninstallResult {
  readonly name: string;
  readonly version: string;
  /** Absolute paths removed (files, then directories left empty). */
  readonly removed: readonly string[];
  /**
   * Paths RECORD lists that were left alone: outside the environment, in pip's configuration,
   * the environment's own files, another project's `.dist-info`, or behind a link out of the
   * environment. pip keeps what lies outside its prefix the same way and says so
   * ("Not removing or modifying (outside of prefix):").
   */
  readonly kept: readonly string[];
}

/**
 * Removes an installed distribution by its RECORD, as pip does: every listed file, the
 * `__pycache__/*.pyc` compiled from listed `.py` files, then directories left empty up to
 * the scheme's own directories. Files RECORD does not list (created by the user later) stay, and
 * so do site-packages, bin/ and every directory above them, even when left empty.
 *
 * RECORD is the distribution's own say, so it is checked like a wheel's paths (containment.ts):
 * a line that resolves outside the environment, or through a link out of it, is never removed.
 */
export function uninstallDistribution(fs: FileSystem, scheme: InstallScheme, which: string | InstalledDist): UninstallResult {
  const name = typeof which === 'string' ? which : which.name;
  // A plan already holds the distribution: reading every .dist-info again per uninstall would
  // make removing n packages cost n² METADATA parses.
  const dist = typeof which === 'string' ? findInstalled(fs, scheme.purelib, name) : which;
  if (!dist) throw new InstallError(InstallErrorCode.NotInstalled, name, `Skipping ${name} as it is not installed.`);
  if (!dist.record) {
    throw new InstallError(InstallErrorCode.NoRecord, name, `Cannot uninstall ${dist.metadata.name} ${dist.metadata.version}: it has no RECORD file, so which files belong to it is unknown. Remove ${dist.distInfoPath} and its files by hand.`);
  }
  const { remove: files, keep: kept } = recordPaths(fs, scheme, dist);
  const removed: string[] = [];
  const dirs = new Set<string>();
  for (const path of files) {
    fs.remove(path);
    removed.push(path);
    dirs.add(dirname(path));
  }
  // Deepest first, stopping at the scheme's directories (and their parents: a venv's prefix, the
  // current directory) and at anything not left empty.
  const roots = [scheme.purelib, scheme.platlib, scheme.scripts, scheme.data, scheme.headers];
  const isStop = (d: string): boolean => d === '/' || roots.some((r) => r === d || r.startsWith(`${d}/`));
  const candidates = [...dirs].sort((a, b) => b.length - a.length);
  for (const start of candidates) {
    for (let d = start; !isStop(d) && d.startsWith('/') && fs.lstat(d)?.kind === 'directory' && fs.readdir(d).length === 0; d = dirname(d)) {
      fs.remove(d);
      removed.push(d);
    }
  }
  return { name: dist.metadata.name, version: dist.metadata.version.toString(), removed, kept };
}

/**
 * The files an uninstall of `dist` removes (what RECORD lists and exists, with the
 * `__pycache__/*.pyc` of its `.py` files) and those it keeps because they are not the
 * environment's to remove. What `pip uninstall` lists before it asks, and what it then does.
 */
export function recordPaths(fs: FileSystem, scheme: InstallScheme, dist: InstalledDist): { remove: string[]; keep: string[] } {
  const base = dirname(dist.distInfoPath);
  const own = dist.distInfoPath.slice(base.length + 1);
  const links = new Map<string, string | null>();
  const remove = new Set<string>();
  const keep = new Set<string>();
  /** False when the path is kept (nor is anything compiled from it removed). */
  const consider = (path: string): boolean => {
    if (targetViolation(scheme, path, own) || linkViolation(fs, scheme, path, { removal: true, cache: links })) {
      if (fs.lstat(path) !== null) keep.add(path);
      return false;
    }
    const kind = fs.lstat(path)?.kind;
    if (kind !== undefined && kind !== 'directory') remove.add(path);
    return true;
  };
  for (const entry of dist.record ?? []) {
    // RECORD paths are relative to the folder holding the .dist-info (`../../../bin/x` for
    // scripts) or absolute.
    const path = resolvePath(base, entry.path);
    if (!consider(path) || !path.endsWith('.py')) continue;
    const cache = `${dirname(path)}/__pycache__`;
    const stem = path.slice(dirname(path).length + 1, -3);
    for (const f of fs.readdir(cache)) if (f.startsWith(`${stem}.`) && f.endsWith('.pyc')) consider(`${cache}/${f}`);
  }
  return { remove: [...remove], keep: [...keep] };
}
