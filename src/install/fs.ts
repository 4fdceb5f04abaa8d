/**
 * The small filesystem the installer writes through. Pyodide's FS in the worker and a Node
 * folder or an in-memory tree in tests all implement it, so the installer is one code path.
 * Paths are absolute POSIX paths.
 */
export interface InstallFs {
  readFile(path: string): Uint8Array | null;
  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void;
  /** Creates the directory and its parents; no error when it exists. */
  mkdirp(path: string): void;
  exists(path: string): boolean;
  isDirectory(path: string): boolean;
  /** Removes a file, or an empty directory. */
  remove(path: string): void;
  /** Names in a directory (not paths), or [] when it does not exist. */
  readdir(path: string): string[];
}

/** An in-memory InstallFs: for dry runs, planning, and tests where the FS adds nothing. */
export class MemoryFs implements InstallFs {
  private readonly files = new Map<string, { data: Uint8Array; executable: boolean }>();
  private readonly dirs = new Set<string>(['/']);

  readFile(path: string): Uint8Array | null {
    return this.files.get(path)?.data ?? null;
  }
  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    this.mkdirp(dirname(path));
    this.files.set(path, { data, executable: options?.executable ?? false });
  }
  isExecutable(path: string): boolean {
    return this.files.get(path)?.executable ?? false;
  }
  mkdirp(path: string): void {
    for (let p = path; p !== '/' && p !== ''; p = dirname(p)) this.dirs.add(p);
  }
  exists(path: string): boolean {
    return this.files.has(path) || this.dirs.has(path);
  }
  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }
  remove(path: string): void {
    if (this.files.delete(path)) return;
    if (this.readdir(path).length === 0) this.dirs.delete(path);
  }
  readdir(path: string): string[] {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const names = new Set<string>();
    for (const p of [...this.files.keys(), ...this.dirs]) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
    }
    names.delete('');
    return [...names].sort();
  }
  /** Every file path, sorted: what a test compares before and after. */
  listFiles(): string[] {
    return [...this.files.keys()].sort();
  }
}

export { dirname } from './posix-path';
import { dirname } from './posix-path';

export function joinPath(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}
