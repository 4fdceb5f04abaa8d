/**
 * All or nothing for a whole pip command: an FileSystem that remembers, the first time a path is
 * touched, what was there (a file's bytes, a directory, or nothing), so that `rollback()` puts
 * every touched path back as it was. pip stashes what it uninstalls and moves it back when an
 * install fails (`StashedUninstallPathSet`); Pipette does the same for every write and removal
 * of a run (uninstalls, installs, shared libraries), so a failure in the third package leaves
 * the first two exactly as they were too.
 */
import type { FileKind, FileSystem } from './fs';
import { dirname as dirnameOf } from './posix-path';

type Saved =
  | { readonly kind: 'file'; readonly data: Uint8Array }
  | { readonly kind: 'dir' }
  | { readonly kind: 'link'; readonly target: string }
  | { readonly kind: 'absent' };

export class JournalFs implements FileSystem {
  private readonly saved = new Map<string, Saved>();
  /** Folders seen to exist and not touched since (a wheel's thousand files share a few folders). */
  private readonly present = new Set<string>();

  /**
   * @param executable whether a restored file was executable (FileSystem cannot say; launchers in
   *   the scheme's `bin/` are).
   */
  constructor(
    private readonly inner: FileSystem,
    private readonly executable: (path: string) => boolean = () => false,
  ) {}

  readFile(path: string): Uint8Array | null {
    return this.inner.readFile(path);
  }
  exists(path: string): boolean {
    return this.inner.exists(path);
  }
  isDirectory(path: string): boolean {
    return this.inner.isDirectory(path);
  }
  readdir(path: string): string[] {
    return this.inner.readdir(path);
  }
  lstat(path: string): { readonly kind: FileKind } | null {
    return this.inner.lstat(path);
  }
  readlink(path: string): string | null {
    return this.inner.readlink(path);
  }

  symlink(target: string, path: string): void {
    this.rememberAncestors(dirnameOf(path));
    this.remember(path);
    this.inner.symlink(target, path);
  }

  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    this.rememberAncestors(dirnameOf(path));
    this.remember(path);
    this.inner.writeFile(path, data, options);
  }

  mkdirp(path: string): void {
    this.rememberAncestors(path);
    this.inner.mkdirp(path);
  }

  remove(path: string): void {
    this.remember(path);
    this.present.delete(path);
    this.inner.remove(path);
  }

  /** Paths changed so far (created, overwritten or removed). */
  touched(): string[] {
    return [...this.saved.keys()];
  }

  /** Forget the journal: the changes stay. */
  commit(): void {
    this.saved.clear();
    this.present.clear();
  }

  /** Put every touched path back as it was; best effort past paths that resist. */
  rollback(): void {
    const entries = [...this.saved.entries()];
    // What did not exist goes, deepest first (files before the directories holding them).
    const created = entries.filter(([, s]) => s.kind === 'absent').map(([p]) => p);
    created.sort((a, b) => b.length - a.length);
    for (const path of created) {
      safely(() => {
        const now = this.inner.lstat(path);
        if (now === null) return;
        if (now.kind === 'directory') {
          if (this.inner.readdir(path).length === 0) this.inner.remove(path);
        } else this.inner.remove(path);
      });
    }
    // What existed comes back: directories first, shallowest first, then files.
    const dirs = entries.filter(([, s]) => s.kind === 'dir').map(([p]) => p);
    dirs.sort((a, b) => a.length - b.length);
    for (const dir of dirs) safely(() => this.inner.mkdirp(dir));
    for (const [path, s] of entries) {
      if (s.kind === 'link') {
        safely(() => {
          if (this.inner.lstat(path) !== null) this.inner.remove(path);
          this.inner.symlink(s.target, path);
        });
      }
      if (s.kind !== 'file') continue;
      safely(() => {
        this.inner.mkdirp(dirnameOf(path));
        this.inner.writeFile(path, s.data, { executable: this.executable(path) });
      });
    }
    this.saved.clear();
    this.present.clear();
  }

  private remember(path: string): void {
    if (this.saved.has(path)) return;
    // One lstat says all: nothing there, a link, a folder or a file.
    const stat = this.inner.lstat(path);
    // A link is saved as a link: what it points at is not this run's to change (containment.ts
    // refuses writes through links that leave the environment before they reach here).
    if (stat === null) this.saved.set(path, { kind: 'absent' });
    else if (stat.kind === 'symlink') this.saved.set(path, { kind: 'link', target: this.inner.readlink(path) ?? '' });
    else if (stat.kind === 'directory') this.saved.set(path, { kind: 'dir' });
    else this.saved.set(path, { kind: 'file', data: this.inner.readFile(path) ?? new Uint8Array() });
  }

  private rememberAncestors(dir: string): void {
    for (let d = dir; d !== '/' && d !== ''; d = dirnameOf(d)) {
      if (this.saved.has(d) || this.present.has(d)) continue;
      if (this.inner.exists(d)) {
        // Found there before this run touched it: the folders above are there too.
        this.present.add(d);
        break;
      }
      this.saved.set(d, { kind: 'absent' });
    }
  }
}

function safely(f: () => void): void {
  try {
    f();
  } catch {
    // Rollback goes on: one stubborn path must not keep the others from coming back.
  }
}
