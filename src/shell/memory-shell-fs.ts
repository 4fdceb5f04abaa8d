import type { ShellFs, ShellStat } from './host';
import { joinChild, parentOf } from './path';

interface Node {
  readonly kind: 'file' | 'directory';
  data: Uint8Array;
  executable: boolean;
  mtimeMs: number;
}

/**
 * A ShellFs held in memory, strict like a real disk: writing under a missing directory, removing
 * a non-empty directory, or making a directory over a file throws. For tests and for a page
 * without an interpreter. `now` stamps modification times (injected, so tests are stable).
 */
export class MemoryShellFs implements ShellFs {
  private readonly nodes = new Map<string, Node>();

  constructor(private readonly now: () => number = Date.now) {
    this.nodes.set('/', { kind: 'directory', data: new Uint8Array(), executable: true, mtimeMs: now() });
  }

  readFile(path: string): Uint8Array | null {
    const node = this.nodes.get(path);
    return node?.kind === 'file' ? node.data : null;
  }

  writeFile(path: string, data: Uint8Array, options?: { executable?: boolean }): void {
    const node = this.nodes.get(path);
    if (node?.kind === 'directory') throw new Error(`EISDIR: ${path} is a directory`);
    if (this.nodes.get(parentOf(path))?.kind !== 'directory') throw new Error(`ENOENT: no directory for ${path}`);
    this.nodes.set(path, { kind: 'file', data, executable: options?.executable ?? node?.executable ?? false, mtimeMs: this.now() });
    this.touchDirectory(parentOf(path));
  }

  mkdirp(path: string): void {
    if (path === '/' || this.isDirectory(path)) return;
    this.mkdirp(parentOf(path));
    if (this.nodes.has(path)) throw new Error(`ENOTDIR: ${path} is a file`);
    this.nodes.set(path, { kind: 'directory', data: new Uint8Array(), executable: true, mtimeMs: this.now() });
    this.touchDirectory(parentOf(path));
  }

  exists(path: string): boolean {
    return this.nodes.has(path);
  }

  isDirectory(path: string): boolean {
    return this.nodes.get(path)?.kind === 'directory';
  }

  remove(path: string): void {
    const node = this.nodes.get(path);
    if (!node) throw new Error(`ENOENT: ${path}`);
    if (node.kind === 'directory' && this.readdir(path).length > 0) throw new Error(`ENOTEMPTY: ${path}`);
    if (path === '/') throw new Error('EBUSY: /');
    this.nodes.delete(path);
    this.touchDirectory(parentOf(path));
  }

  readdir(path: string): string[] {
    if (!this.isDirectory(path)) return [];
    const names: string[] = [];
    for (const p of this.nodes.keys()) {
      if (p !== path && parentOf(p) === path) names.push(p.slice(joinChild(path, '').length));
    }
    return names.sort();
  }

  /** This filesystem holds no symbolic links: lstat is stat, readlink finds none. */
  lstat(path: string): { readonly kind: 'file' | 'directory' } | null {
    const node = this.nodes.get(path);
    return node ? { kind: node.kind } : null;
  }

  readlink(): string | null {
    return null;
  }

  symlink(_target: string, path: string): void {
    throw new Error(`EPERM: ${path}: symbolic links are not supported here`);
  }

  stat(path: string): ShellStat | null {
    const node = this.nodes.get(path);
    if (!node) return null;
    return { kind: node.kind, size: node.kind === 'file' ? node.data.length : 4096, mtimeMs: node.mtimeMs, executable: node.executable };
  }

  private touchDirectory(path: string): void {
    const dir = this.nodes.get(path);
    if (dir) dir.mtimeMs = this.now();
  }
}
