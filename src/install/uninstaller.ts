import type { InstallFs } from './fs';
import { dirname, resolvePath } from './posix-path';
import { InstallError, InstallErrorCode } from './errors';
import { findInstalled } from './installed';
import type { InstallScheme } from './scheme';

export interface UninstallResult {
  readonly name: string;
  readonly version: string;
  /** Absolute paths removed (files, then directories left empty). */
  readonly removed: readonly string[];
}

/**
 * Removes an installed distribution by its RECORD, as pip does: every listed file, the
 * `__pycache__/*.pyc` compiled from listed `.py` files, then directories left empty up to
 * the scheme's own directories. Files RECORD does not list (created by the user later) stay, and
 * so do site-packages, bin/ and every directory above them, even when left empty.
 */
export function uninstallDistribution(fs: InstallFs, scheme: InstallScheme, name: string): UninstallResult {
  const sitePackages = scheme.purelib;
  const dist = findInstalled(fs, sitePackages, name);
  if (!dist) throw new InstallError(InstallErrorCode.NotInstalled, name, `Skipping ${name} as it is not installed.`);
  if (!dist.record) {
    throw new InstallError(InstallErrorCode.NoRecord, name, `Cannot uninstall ${dist.metadata.name} ${dist.metadata.version}: it has no RECORD file, so which files belong to it is unknown. Remove ${dist.distInfoPath} and its files by hand.`);
  }
  const removed: string[] = [];
  const dirs = new Set<string>();
  const remove = (path: string): void => {
    if (fs.exists(path) && !fs.isDirectory(path)) {
      fs.remove(path);
      removed.push(path);
      dirs.add(dirname(path));
    }
  };
  for (const entry of dist.record) {
    // RECORD paths are relative to site-packages (`../../../bin/x` for scripts) or absolute.
    const path = resolvePath(sitePackages, entry.path);
    remove(path);
    if (path.endsWith('.py')) {
      const cache = `${dirname(path)}/__pycache__`;
      const stem = path.slice(dirname(path).length + 1, -3);
      for (const f of fs.readdir(cache)) if (f.startsWith(`${stem}.`) && f.endsWith('.pyc')) remove(`${cache}/${f}`);
    }
  }
  // Deepest first, stopping at the scheme's directories (and their parents: a venv's prefix, the
  // current directory) and at anything not left empty.
  const roots = [scheme.purelib, scheme.platlib, scheme.scripts, scheme.data, scheme.headers];
  const isStop = (d: string): boolean => d === '/' || roots.some((r) => r === d || r.startsWith(`${d}/`));
  const candidates = [...dirs].sort((a, b) => b.length - a.length);
  for (const start of candidates) {
    for (let d = start; !isStop(d) && d.startsWith('/') && fs.isDirectory(d) && fs.readdir(d).length === 0; d = dirname(d)) {
      fs.remove(d);
      removed.push(d);
    }
  }
  return { name: dist.metadata.name, version: dist.metadata.version.toString(), removed };
}

