/**
 * The person's files: the home directory (`/home/pyodide`), kept in the workspace store so they
 * are back after a reload. What is derived from a lock is not kept as files: a venv's
 * `lib/` (site-packages), `bin/` (launchers and console scripts) and `include/` are laid out and
 * installed again from the venv's lock, and `__pycache__` is Python's own. Each file is one
 * key, written only when its content changed (sha256 of what the store holds).
 *
 * Symbolic links are never followed when saving: a link to `.` would make the walk endless,
 * and a link to a folder would store its files once more under every link (40 links, 40
 * copies). A link is left out, and said once (`sync` names it), since it does not come back
 * after a reload.
 */
import { sha256Hex } from '../pep';
import { dirname, isWithin } from './paths';
import type { PyodideFs } from './pyodide-fs';
import { DIR_PREFIX, FILE_PREFIX, type WorkspaceStore } from './workspace-store';

export class HomeFiles {
  /** sha256 of each file as the store holds it. */
  private readonly savedFiles = new Map<string, string>();
  private readonly savedDirs = new Set<string>();
  /** Links already named to the person (each is said once per session). */
  private readonly notedLinks = new Set<string>();

  constructor(
    private readonly fs: PyodideFs,
    readonly home: string,
    private readonly store: WorkspaceStore,
    /** Directories (absolute) whose content is derived, not the person's. */
    private readonly derived: () => readonly string[],
  ) {}

  /** Puts the stored files back (before environments are rebuilt: a venv's pyvenv.cfg, local wheels). */
  async restore(): Promise<{ files: number; problems: string[] }> {
    const problems: string[] = [];
    const keys = (await this.store.keys()).sort();
    let files = 0;
    for (const key of keys) {
      if (key.startsWith(DIR_PREFIX)) {
        const path = key.slice(DIR_PREFIX.length);
        if (!isWithin(path, this.home)) continue;
        this.fs.mkdirp(path);
        this.savedDirs.add(path);
      }
    }
    for (const key of keys) {
      if (!key.startsWith(FILE_PREFIX)) continue;
      const path = key.slice(FILE_PREFIX.length);
      if (!isWithin(path, this.home) || path === this.home) continue;
      const data = await this.store.get(key);
      if (data === undefined) continue;
      try {
        this.fs.mkdirp(dirname(path));
        this.fs.writeFile(path, data);
        this.savedFiles.set(path, await sha256Hex(data));
        files++;
      } catch {
        problems.push(`${path} could not be restored (a directory is in its place).`);
      }
    }
    return { files, problems };
  }

  /**
   * Writes what changed since the last save and deletes what is gone. Resolves to the
   * symbolic links found for the first time (left out of the save), as paths.
   */
  async sync(): Promise<string[]> {
    const { files, dirs, links } = this.walk();
    for (const dir of dirs) {
      if (this.savedDirs.has(dir)) continue;
      await this.store.set(`${DIR_PREFIX}${dir}`, new Uint8Array());
      this.savedDirs.add(dir);
    }
    for (const [path, data] of files) {
      const digest = await sha256Hex(data);
      if (this.savedFiles.get(path) === digest) continue;
      await this.store.set(`${FILE_PREFIX}${path}`, data);
      this.savedFiles.set(path, digest);
    }
    for (const path of [...this.savedFiles.keys()]) {
      if (files.has(path)) continue;
      await this.store.del(`${FILE_PREFIX}${path}`);
      this.savedFiles.delete(path);
    }
    for (const dir of [...this.savedDirs]) {
      if (dirs.has(dir)) continue;
      await this.store.del(`${DIR_PREFIX}${dir}`);
      this.savedDirs.delete(dir);
    }
    const fresh = links.filter((l) => !this.notedLinks.has(l));
    for (const link of fresh) this.notedLinks.add(link);
    return fresh;
  }

  /** The person's files and directories under home, derived ones left out; links not followed. */
  private walk(): { files: Map<string, Uint8Array>; dirs: Set<string>; links: string[] } {
    const files = new Map<string, Uint8Array>();
    const dirs = new Set<string>();
    const links: string[] = [];
    const derived = this.derived();
    const visit = (dir: string): void => {
      for (const name of this.fs.readdir(dir)) {
        const path = `${dir}/${name}`;
        if (name === '__pycache__' || derived.some((d) => isWithin(path, d))) continue;
        if (this.fs.isSymlink(path)) {
          links.push(path);
        } else if (this.fs.isDirectory(path)) {
          dirs.add(path);
          visit(path);
        } else {
          const data = this.readRegular(path);
          if (data !== null) files.set(path, data);
        }
      }
    };
    if (this.fs.isDirectory(this.home)) visit(this.home);
    return { files, dirs, links };
  }

  /** A file's bytes; null for one that cannot be read as a file (a device): not the person's content. */
  private readRegular(path: string): Uint8Array | null {
    try {
      return this.fs.readFile(path);
    } catch {
      return null;
    }
  }
}
