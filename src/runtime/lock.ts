/**
 * An environment's lock: every installed distribution with the file it was installed from, as
 * src/install's LockRecord (name, version, file name, URL, sha256, index, requested, direct URL).
 * The design's "the environment is described by its lock": what persists across reloads and
 * what a share link carries; the files in site-packages are derived from it.
 *
 * The lock is computed, not kept by hand: after every change the environment's `.dist-info`
 * directories are read (what is installed, and whether REQUESTED says the person asked for it)
 * and joined with the records pip reported when it installed each one (`ctx.onInstalled`), or
 * with the previous lock's record for the same name and version. A distribution nobody reported
 * (put there by hand, or by Python code) has no known file: it is listed as `unlocked` rather
 * than guessed.
 */
import { listInstalled, lockKey, type FileSystem, type LockRecord } from '../install';
import { isPipettePip } from '../pip';

export { lockKey };

/** The lock computed from what is installed in one environment, as the page sees it (share's EnvironmentLock is what a link carries). */
export interface InstalledLock {
  /** The environment's prefix (`/` for the base one). */
  readonly prefix: string;
  readonly name: string;
  readonly distributions: readonly LockRecord[];
  /** `name==version` of installed distributions whose file is unknown (not reproducible). */
  readonly unlocked: readonly string[];
}

/**
 * The lock of the environment whose site-packages is `sitePackages`, from what is installed
 * there and the records known for each `name==version`.
 */
export function computeLock(fs: FileSystem, sitePackages: string, provenance: ReadonlyMap<string, LockRecord>, bytecodePending: (distInfoPath: string) => boolean = () => false): { distributions: LockRecord[]; unlocked: string[]; withoutBytecode: string[] } {
  const distributions: LockRecord[] = [];
  const unlocked: string[] = [];
  const withoutBytecode: string[] = [];
  for (const dist of listInstalled(fs, sitePackages)) {
    // Pipette's own pip is part of every environment, not installed from a file: nothing to lock.
    if (isPipettePip(dist)) continue;
    const version = dist.metadata.version.toString();
    const key = lockKey(dist.name, version);
    const known = provenance.get(key);
    if (!known) {
      unlocked.push(`${dist.metadata.name}==${version}`);
      continue;
    }
    distributions.push({ ...known, name: dist.metadata.name, version, requested: dist.requested });
    // Installed with `--no-compile`: modules, and no compiled file in RECORD (src/install/bytecode.ts).
    const paths = (dist.record ?? []).map((e) => e.path);
    // Bytecode still being compiled in idle time (idle-bytecode.ts) is no `--no-compile`.
    if (paths.some((p) => p.endsWith('.py')) && !paths.some((p) => p.endsWith('.pyc')) && !bytecodePending(dist.distInfoPath)) withoutBytecode.push(key);
  }
  return { distributions, unlocked, withoutBytecode };
}
