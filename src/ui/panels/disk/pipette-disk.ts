import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { panelTheme } from '../theme';
import type { DiskEntry } from '../types';
import { diskStyles } from './pipette-disk.styles';
import { buildDiskTree, formatSize, openByDefault, visibleRows, type DiskNode } from './tree';

/** What each file of a `.dist-info` directory is for (the installed-distribution format). */
const DIST_INFO_FILES: Readonly<Record<string, string>> = {
  METADATA: 'core metadata: name, version, summary, Requires-Dist',
  RECORD: 'every installed file with its sha256 and size (pip uninstall reads it)',
  WHEEL: 'the wheel format version and tags',
  INSTALLER: 'which tool installed it',
  REQUESTED: 'present when it was asked for by name, not only pulled in',
  'direct_url.json': 'where a URL install came from (PEP 610)',
  'entry_points.txt': 'console scripts and plugins',
  'top_level.txt': 'the import names it provides',
};

/**
 * The environment as it sits on disk: `bin/`, `lib/python3.14/site-packages/` with each package
 * beside its `*.dist-info` (highlighted: that folder is what makes it "installed"), sizes, and
 * collapsible folders. Single-folder chains are folded into one row.
 *
 * Properties: `entries` (DiskEntry[]: absolute paths), `root` (the environment's prefix).
 * Events: none.
 * Parts: `toolbar`, `tree` (the list), `row` (each row).
 */
export class PipetteDisk extends LitElement {
  static override styles = [panelTheme, diskStyles];

  static override properties = {
    entries: { attribute: false },
    root: { type: String },
    toggled: { state: true },
  };
  declare entries: readonly DiskEntry[];
  declare root: string;
  /** Folders whose open state is the opposite of their default. */
  declare toggled: ReadonlySet<string>;
  private tree: DiskNode | null = null;

  constructor() {
    super();
    this.entries = [];
    this.root = '/';
    this.toggled = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('entries') || changed.has('root')) this.tree = buildDiskTree(this.entries, this.root);
  }

  private isOpen = (node: DiskNode): boolean => openByDefault(node) !== this.toggled.has(node.path);

  private toggle(node: DiskNode): void {
    const next = new Set(this.toggled);
    if (!next.delete(node.path)) next.add(node.path);
    this.toggled = next;
  }

  /** Opens every folder (all = true) or closes all but the root. */
  setAll(open: boolean): void {
    const next = new Set<string>();
    const walk = (n: DiskNode): void => {
      if (n.kind !== 'directory') return;
      const want = open || n.depth === 0;
      if (openByDefault(n) !== want) next.add(n.path);
      n.children.forEach(walk);
    };
    if (this.tree) walk(this.tree);
    this.toggled = next;
  }

  private onKey(e: KeyboardEvent, node: DiskNode): void {
    if (node.kind !== 'directory') return;
    const open = this.isOpen(node);
    if (e.key === 'Enter' || e.key === ' ' || (e.key === 'ArrowRight' && !open) || (e.key === 'ArrowLeft' && open)) {
      e.preventDefault();
      this.toggle(node);
    }
  }

  protected override render() {
    const tree = this.tree;
    const rows = tree ? visibleRows(tree, this.isOpen) : [];
    return html`
      <div part="toolbar">
        <span class="title">On disk</span>
        ${tree ? html`<span class="muted">${tree.files} files, ${formatSize(tree.size)}</span>` : nothing}
        <span class="spacer"></span>
        <button @click=${() => this.setAll(true)}>Expand all</button>
        <button @click=${() => this.setAll(false)}>Collapse all</button>
      </div>
      ${!tree || tree.children.length === 0
        ? html`<p class="empty">No files under <code>${this.root}</code>.</p>`
        : html`<ul part="tree" role="tree" aria-label="Files of the environment">
            ${repeat(rows, (n) => n.path, (n) => this.renderRow(n))}
          </ul>
          <p class="legend"><span class="swatch"></span><code>*.dist-info</code>: an installed distribution's record, what <code>pip list</code> and <code>importlib.metadata</code> read</p>`}
    `;
  }

  private renderRow(n: DiskNode) {
    const dir = n.kind === 'directory';
    const open = dir && this.isOpen(n);
    const leaf = n.path.slice(n.path.lastIndexOf('/') + 1);
    const meaning = !dir && /\.dist-info$/.test(n.path.slice(0, n.path.lastIndexOf('/'))) ? DIST_INFO_FILES[leaf] : undefined;
    return html`<li
      part="row"
      role="treeitem"
      class="${n.kind} ${n.distInfo ? 'dist-info' : ''} ${meaning ? 'dist-info-file' : ''}"
      aria-expanded=${dir ? String(open) : nothing}
      aria-level=${n.depth + 1}
      tabindex=${dir ? '0' : '-1'}
      data-path=${n.path}
      style="padding-left: ${0.6 + n.depth * 1.1}rem"
      title=${n.distInfo ? `${n.name}: the installed distribution's metadata (METADATA, RECORD, INSTALLER, ...)` : meaning ? `${leaf}: ${meaning}` : n.path}
      @click=${dir ? () => this.toggle(n) : nothing}
      @keydown=${(e: KeyboardEvent) => this.onKey(e, n)}
    >
      <span class="twisty" aria-hidden="true">${dir ? (open ? '▾' : '▸') : ''}</span>
      <span class="name">${n.name}</span>
      ${meaning ? html`<span class="meaning">${meaning}</span>` : nothing}
      <span class="size">${dir ? html`<span class="count">${n.files} file${n.files === 1 ? '' : 's'}</span> ` : nothing}${formatSize(n.size)}</span>
    </li>`;
  }
}
