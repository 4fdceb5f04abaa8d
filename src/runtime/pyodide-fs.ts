import type { PyodideAPI } from 'pyodide';
import type { FileKind, FileSystem } from '../install';
import { emscriptenErrno } from '../pep';

type EmscriptenFs = PyodideAPI['FS'];

export interface FileStat {
  readonly kind: 'file' | 'directory';
  readonly size: number;
  /** Modification time, ms since the epoch. */
  readonly mtimeMs: number | null;
  readonly executable: boolean;
}

/**
 * The most a device is read as a file: `/dev/urandom` never ends, and a command reading it
 * whole would fill the memory. Past this, the read fails with EFBIG (`File too large`).
 */
export const DEVICE_READ_LIMIT = 1024 * 1024;

/**
 * The installer's filesystem over Pyodide's in-memory Emscripten FS (the interpreter's own disk).
 * It throws what Emscripten throws (`FS.ErrnoError`, an errno and no message): describe it
 * with pep's describeFsError / describeOsError, never `String(e)`.
 */
export class PyodideFs implements FileSystem {
  private readonly fs: EmscriptenFs;
  /** Devices that read without waiting for anyone (`/dev/null`, `/dev/random`, `/dev/urandom`), by rdev. */
  private readableDevices: Set<number> | null = null;

  constructor(pyodide: PyodideAPI) {
    this.fs = pyodide.FS;
  }

  /**
   * A regular file's bytes, or null when there is none (missing, a directory). A device is
   * read through a stream, at most DEVICE_READ_LIMIT bytes; one whose reads would wait for
   * the person (`/dev/tty`, `/dev/stdin`: the terminal is busy running the command) is refused
   * with EOPNOTSUPP, `Operation not supported`.
   */
  readFile(path: string): Uint8Array | null {
    if (!this.exists(path) || this.isDirectory(path)) return null;
    const st = this.fs.stat(path, false) as { mode: number; rdev: number };
    if (this.fs.isFile(st.mode)) return this.fs.readFile(path) as Uint8Array;
    if (!this.devices().has(st.rdev)) throw new this.fs.ErrnoError(emscriptenErrno('EOPNOTSUPP'));
    return this.readDevice(path);
  }

  /** True for a symbolic link itself (not followed), dangling or not. */
  isSymlink(path: string): boolean {
    try {
      return this.fs.isLink((this.fs.lstat(path) as { mode: number }).mode);
    } catch {
      return false;
    }
  }

  /**
   * One path lookup per file, not two: the mode is set through the open stream's node
   * (`fchmod`) rather than by path after `FS.writeFile`, which an install pays for every file
   * it writes (Emscripten resolves a path component by component).
   */
  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    const mode = options?.executable ? 0o755 : 0o644;
    // O_WRONLY | O_CREAT | O_TRUNC, as FS.writeFile opens it; a new file is created with `mode`.
    const stream = this.fs.open(path, 577, mode);
    try {
      this.fs.write(stream, data, 0, data.byteLength, undefined);
      // A file that was there keeps its old mode through open(): set it.
      this.fs.fchmod(stream.fd, mode);
    } finally {
      this.fs.close(stream);
    }
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

  /** Removes a file, an empty directory, or a symbolic link itself (never what it points to). */
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

  private devices(): Set<number> {
    if (!this.readableDevices) {
      this.readableDevices = new Set();
      for (const dev of ['/dev/null', '/dev/zero', '/dev/random', '/dev/urandom']) {
        if (this.exists(dev)) this.readableDevices.add((this.fs.stat(dev, false) as { rdev: number }).rdev);
      }
    }
    return this.readableDevices;
  }

  private readDevice(path: string): Uint8Array {
    const stream = this.fs.open(path, 'r');
    try {
      const chunks: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const chunk = new Uint8Array(64 * 1024);
        const n = this.fs.read(stream, chunk, 0, chunk.length) as number;
        if (n === 0) break;
        total += n;
        if (total > DEVICE_READ_LIMIT) throw new this.fs.ErrnoError(emscriptenErrno('EFBIG'));
        chunks.push(chunk.subarray(0, n));
      }
      const out = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) {
        out.set(c, at);
        at += c.length;
      }
      return out;
    } finally {
      this.fs.close(stream);
    }
  }
}
