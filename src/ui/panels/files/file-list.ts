/**
 * The home directory's files as the side list shows them, and the checks a new name passes
 * before the list asks for it to be created or renamed.
 */
import type { FileEntry } from '../types';

export interface FileRow {
  /** Absolute path. */
  readonly path: string;
  /** The last segment. */
  readonly name: string;
  readonly kind: 'file' | 'directory';
  /** 0 for entries directly in `home`. */
  readonly depth: number;
  /** The folders above it inside `home` (absolute), outermost first. */
  readonly ancestors: readonly string[];
  /** A virtual environment's folder: one row, its files not listed (the On disk view shows them). */
  readonly environment: boolean;
}

function trimSlash(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** `home/a/b` -> `a/b`; paths outside home are shown whole. */
export function relativeName(path: string, home: string): string {
  const base = trimSlash(home);
  if (base === '/') return path.replace(/^\/+/, '');
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

/**
 * Rows in tree order: folders before files, each by name; folders that only appear as parents
 * are added; entries outside home are left out. Ex) ['/h/b.py', '/h/src/a.py'] under '/h' -> src/, src/a.py, b.py.
 */
export function fileRows(files: readonly FileEntry[], home: string): FileRow[] {
  const base = trimSlash(home);
  type Node = { kind: 'file' | 'directory'; environment: boolean; children: Map<string, Node> };
  const top: Node = { kind: 'directory', environment: false, children: new Map() };
  for (const f of files) {
    const path = trimSlash(f.path);
    // Relative paths are taken as relative to home; absolute ones elsewhere are not listed.
    const rel = path.startsWith('/') ? (path.startsWith(`${base === '/' ? '' : base}/`) ? relativeName(path, base) : '') : path;
    if (rel === '') continue;
    const parts = rel.split('/').filter((p) => p !== '');
    let node = top;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let child = node.children.get(part);
      if (!child) node.children.set(part, (child = { kind: last ? f.kind : 'directory', environment: false, children: new Map() }));
      else if (!last) child.kind = 'directory';
      if (last && f.environment) child.environment = true;
      node = child;
    });
  }
  const rows: FileRow[] = [];
  const walk = (node: Node, prefix: string, depth: number, ancestors: string[]): void => {
    const entries = [...node.children.entries()].sort(([a, x], [b, y]) => (x.kind === y.kind ? (a < b ? -1 : a > b ? 1 : 0) : x.kind === 'directory' ? -1 : 1));
    for (const [name, child] of entries) {
      const path = `${prefix}/${name}`;
      rows.push({ path, name, kind: child.kind, depth, ancestors, environment: child.environment });
      if (child.kind === 'directory' && !child.environment) walk(child, path, depth + 1, [...ancestors, path]);
    }
  };
  walk(top, base === '/' ? '' : base, 0, []);
  return rows;
}

export type NameCheck = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly error: string };

/**
 * Checks a name typed for a new or renamed file: relative to home, no `.`/`..` segments, not
 * taken, no file in the way of its folders. `from` is the file being renamed (its own name is
 * not "taken").
 */
export function checkName(typed: string, home: string, files: readonly FileEntry[], from?: string): NameCheck {
  const name = typed.trim();
  if (name === '') return { ok: false, error: 'Type a name, such as main.py or src/app.py.' };
  if (name.startsWith('/') || name.startsWith('~')) return { ok: false, error: 'Give a name inside your home folder, not an absolute path.' };
  if (name.endsWith('/')) return { ok: false, error: 'Give a file name; folders are made from the path (src/app.py).' };
  if (/[\0\\]/.test(name)) return { ok: false, error: 'A name cannot contain a backslash or a NUL character.' };
  const parts = name.split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return { ok: false, error: 'Empty, "." and ".." parts are not allowed in a name.' };
  const base = trimSlash(home);
  const path = `${base === '/' ? '' : base}/${name}`;
  const kinds = new Map(files.map((f) => [trimSlash(f.path), f.kind]));
  if (path === from) return { ok: false, error: 'That is its name already.' };
  if (kinds.has(path)) return { ok: false, error: `${name} already exists.` };
  let parent = path;
  for (let i = parts.length - 1; i > 0; i--) {
    parent = parent.slice(0, parent.lastIndexOf('/'));
    if (kinds.get(parent) === 'file') return { ok: false, error: `${relativeName(parent, base)} is a file, so it cannot hold ${parts[parts.length - 1]}.` };
  }
  return { ok: true, path };
}
