/**
 * The system's filesystem, as every layer sees it: the installer writes through it, the shell,
 * pip, the builds and the runtime read and write through it. Pyodide's FS in the worker
 * (PyodideFs), the journal that makes a plan all or nothing (JournalFs), and an in-memory tree
 * (MemoryFs) for dry runs and tests all implement it, so every caller is one code path.
 * Paths are absolute POSIX paths (posix-path.ts is their one implementation).
 *
 * `readFile`, `writeFile`, `exists` and `isDirectory` follow symbolic links, as open(2) and
 * stat(2) do; `lstat` and `readlink` do not, so the installer can see a link before it writes
 * through one (containment.ts).
 */
export interface FileSystem {
  readFile(path: string): Uint8Array | null;
  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void;
  /** Creates the directory and its parents; no error when it exists. */
  mkdirp(path: string): void;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Removes a file, a symbolic link (not what it points at), or an empty directory. */
  remove(path: string): void;
  /** Names in a directory (not paths), or [] when it does not exist. */
  readdir(path: string): string[];
  /** What is at `path` itself, a link not followed (lstat(2)); null when nothing is. */
  lstat(path: string): { readonly kind: FileKind } | null;
  /** The target a symbolic link holds, as written; null when `path` is not a link. */
  readlink(path: string): string | null;
  /** Makes `path` a symbolic link to `target` (the journal puts removed links back with it). */
  symlink(target: string, path: string): void;
}

export type FileKind = 'file' | 'directory' | 'symlink';

/** How many links one path may pass through before it is a loop (Linux's MAXSYMLINKS). */
export const MAX_SYMLINKS = 40;

/** An in-memory FileSystem: for dry runs, planning, and tests where the FS adds nothing. */
export class MemoryFs implements FileSystem {
  private readonly files = new Map<string, { data: Uint8Array; executable: boolean }>();
  private readonly dirs = new Set<string>(['/']);
  private readonly links = new Map<string, string>();

  readFile(path: string): Uint8Array | null {
    return this.files.get(this.resolve(path))?.data ?? null;
  }
  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    const real = this.resolve(path);
    this.mkdirp(dirname(real));
    this.files.set(real, { data, executable: options?.executable ?? false });
  }
  isExecutable(path: string): boolean {
    return this.files.get(this.resolve(path))?.executable ?? false;
  }
  mkdirp(path: string): void {
    const real = this.resolve(path);
    for (let p = real; p !== '/' && p !== ''; p = dirname(p)) this.dirs.add(p);
  }
  exists(path: string): boolean {
    const real = this.resolve(path);
    return this.files.has(real) || this.dirs.has(real);
  }
  isDirectory(path: string): boolean {
    return this.dirs.has(this.resolve(path));
  }
  remove(path: string): void {
    // The last component is not followed: removing a link removes the link.
    const at = this.entry(path);
    if (this.links.delete(at)) return;
    if (this.files.delete(at)) return;
    if (this.readdir(at).length === 0) this.dirs.delete(at);
  }
  readdir(path: string): string[] {
    const real = this.resolve(path);
    const prefix = real.endsWith('/') ? real : `${real}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs, ...this.links.keys()]) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    names.delete('');
    return [...names].sort();
  }
  lstat(path: string): { readonly kind: FileKind } | null {
    const at = this.entry(path);
    if (this.links.has(at)) return { kind: 'symlink' };
    if (this.files.has(at)) return { kind: 'file' };
    if (this.dirs.has(at)) return { kind: 'directory' };
    return null;
  }
  readlink(path: string): string | null {
    return this.links.get(this.entry(path)) ?? null;
  }
  symlink(target: string, path: string): void {
    this.mkdirp(dirname(path));
    this.links.set(this.entry(path), target);
  }
  /** Every file path, sorted: what a test compares before and after. */
  listFiles(): string[] {
    return [...this.files.keys()].sort();
  }

  /** The entry `path` names itself: its folders resolved, its last component not followed. */
  private entry(path: string): string {
    if (path === '/') return '/';
    const parent = this.resolve(dirname(path));
    return `${parent === '/' ? '' : parent}/${path.slice(path.lastIndexOf('/') + 1)}`;
  }

  /** The path with every link on the way followed (a loop is left unresolved). */
  private resolve(path: string): string {
    return followLinks(path, (here) => this.links.get(here) ?? null, MAX_SYMLINKS) ?? path;
  }
}

export { dirname } from './posix-path';
import { dirname, followLinks } from './posix-path';
