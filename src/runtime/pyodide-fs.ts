import type { PyodideAPI } from 'pyodide';
import type { FileKind, InstallFs } from '../install';

type EmscriptenFs = PyodideAPI['FS'];

export interface FileStat {
  readonly kind: 'file' | 'directory';
  readonly size: number;
  /** Modification time, ms since the epoch. */
  readonly mtimeMs: number | null;
  readonly executable: boolean;
}

/** The installer's filesystem over Pyodide's in-memory Emscripten FS (the interpreter's own disk). */
export class PyodideFs implements InstallFs {
  private readonly fs: EmscriptenFs;

  constructor(pyodide: PyodideAPI) {
    this.fs = pyodide.FS;
  }

  readFile(path: string): Uint8Array | null {
    if (!this.exists(path) || this.isDirectory(path)) return null;
    return this.fs.readFile(path) as Uint8Array;
  }

  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    this.fs.writeFile(path, data);
    this.fs.chmod(path, options?.executable ? 0o755 : 0o644);
  }

  mkdirp(path: string): void {
    this.fs.mkdirTree(path);
  }

  exists(path: string): boolean {
    return this.fs.analyzePath(path, false).exists;
  }

  isDirectory(path: string): boolean {
    if (!this.exists(path)) return false;
    return this.fs.isDir(this.fs.stat(path, false).mode);
  }

  remove(path: string): void {
    // A link is unlinked, never followed: removing it must not touch what it points at.
    if (this.lstat(path)?.kind === 'directory') this.fs.rmdir(path);
    else this.fs.unlink(path);
  }

  lstat(path: string): { readonly kind: FileKind } | null {
    let mode: number;
    try {
      mode = (this.fs.lstat(path) as { mode: number }).mode;
    } catch {
      return null;
    }
    return { kind: this.fs.isLink(mode) ? 'symlink' : this.fs.isDir(mode) ? 'directory' : 'file' };
  }

  readlink(path: string): string | null {
    if (this.lstat(path)?.kind !== 'symlink') return null;
    return this.fs.readlink(path) as string;
  }

  symlink(target: string, path: string): void {
    this.fs.symlink(target, path);
  }

  /** Kind, size, modification time and executable bit (`ls -l`, the file list). */
  stat(path: string): FileStat | null {
    if (!this.exists(path)) return null;
    const st = this.fs.stat(path, false) as { mode: number; size: number; mtime: Date | number };
    const mtime = st.mtime instanceof Date ? st.mtime.getTime() : Number(st.mtime);
    return {
      kind: this.fs.isDir(st.mode) ? 'directory' : 'file',
      size: st.size,
      mtimeMs: Number.isFinite(mtime) ? mtime : null,
      executable: (st.mode & 0o111) !== 0,
    };
  }

  readdir(path: string): string[] {
    if (!this.isDirectory(path)) return [];
    return (this.fs.readdir(path) as string[]).filter((n) => n !== '.' && n !== '..').sort();
  }
}
