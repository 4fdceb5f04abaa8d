/**
 * The environment's files as a tree, the way the lessons draw it:
 *
 *     .venv/
 *       bin/
 *       lib/python3.14/site-packages/
 *         requests/
 *         requests-2.32.3.dist-info/
 *       pyvenv.cfg
 *
 * A directory whose only child is a directory is folded into one row (`lib/python3.14/...`),
 * as VS Code's compact folders do; directories come before files, each sorted by name; a
 * directory's size is the sum of the files below it. Entries outside `root` are ignored;
 * directories that only appear as parents of entries are made up.
 */
import { decimalSize } from '../../../pep';
import type { DiskEntry } from '../types';

export interface DiskNode {
  /** Shown name: one path segment, or several joined by `/` for a folded chain. */
  readonly name: string;
  /** Absolute path (of the last directory of a folded chain). */
  readonly path: string;
  readonly kind: 'file' | 'directory';
  /** Bytes: the file's size, or the sum of the files below a directory. */
  readonly size: number;
  /** Files below (1 for a file). */
  readonly files: number;
  /** A `*.dist-info` directory: an installed distribution's metadata (METADATA, RECORD, ...). */
  readonly distInfo: boolean;
  /** Folder depth below the root row (the root is 0). */
  readonly depth: number;
  readonly children: readonly DiskNode[];
}

interface Draft {
  kind: 'file' | 'directory';
  size: number;
  children: Map<string, Draft>;
}

/** Strips trailing slashes and collapses `//` (paths from Emscripten's FS are already clean). */
function clean(path: string): string {
  const collapsed = path.replace(/\/+/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

export function buildDiskTree(entries: readonly DiskEntry[], root: string): DiskNode {
  const base = clean(root);
  const top: Draft = { kind: 'directory', size: 0, children: new Map() };
  for (const entry of entries) {
    const path = clean(entry.path);
    const rel = path === base ? '' : path.startsWith(base === '/' ? '/' : `${base}/`) ? path.slice(base === '/' ? 1 : base.length + 1) : null;
    if (rel === null || rel === '') continue;
    const parts = rel.split('/');
    let node = top;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      let child = node.children.get(part);
      if (!child) {
        child = { kind: last ? entry.kind : 'directory', size: 0, children: new Map() };
        node.children.set(part, child);
      } else if (last && entry.kind === 'file' && child.children.size === 0) {
        child.kind = 'file';
      }
      if (last && entry.kind === 'file') child.size = entry.size;
      node = child;
    });
  }
  // The root row shows the whole path, so the lesson says where the environment lives.
  return finish(base === '/' ? '/' : `${base}/`, base, top, 0);
}

function finish(name: string, path: string, draft: Draft, depth: number): DiskNode {
  if (draft.kind === 'file') return { name, path, kind: 'file', size: draft.size, files: 1, distInfo: false, depth, children: [] };
  const children = [...draft.children.entries()]
    .sort(([a, da], [b, db]) => (da.kind === db.kind ? (a < b ? -1 : a > b ? 1 : 0) : da.kind === 'directory' ? -1 : 1))
    .map(([childName, child]) => {
      // Fold single-directory chains: lib/ -> python3.14/ -> site-packages/ becomes one row.
      let shown = childName;
      let childPath = `${path === '/' ? '' : path}/${childName}`;
      let d = child;
      while (d.kind === 'directory' && d.children.size === 1) {
        const [only, onlyDraft] = [...d.children.entries()][0]!;
        if (onlyDraft.kind !== 'directory' || only.endsWith('.dist-info')) break;
        shown = `${shown}/${only}`;
        childPath = `${childPath}/${only}`;
        d = onlyDraft;
      }
      return finish(d.kind === 'directory' ? `${shown}/` : shown, childPath, d, depth + 1);
    });
  const size = children.reduce((s, c) => s + c.size, 0);
  const files = children.reduce((s, c) => s + c.files, 0);
  return { name, path, kind: 'directory', size, files, distInfo: /\.dist-info\/?$/.test(name), depth, children };
}

/** Every row of the tree in display order, skipping the children of collapsed directories. */
export function visibleRows(tree: DiskNode, isOpen: (node: DiskNode) => boolean): DiskNode[] {
  const rows: DiskNode[] = [];
  const walk = (node: DiskNode): void => {
    rows.push(node);
    if (node.kind === 'directory' && isOpen(node)) for (const c of node.children) walk(c);
  };
  walk(tree);
  return rows;
}

/** Open by default: the root and its direct children (bin/, lib/.../site-packages/), not deeper. */
export function openByDefault(node: DiskNode): boolean {
  return node.kind === 'directory' && node.depth <= 1;
}

/** Sizes in the panel: decimal units with one decimal (`1.2 kB`, `3.4 MB`), `B` below 1000. */
export function formatSize(bytes: number): string {
  return decimalSize(bytes, 'B');
}
