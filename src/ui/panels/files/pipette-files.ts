import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { FileActionEvent } from '../../events/file-action-event';
import { OpenFileEvent } from '../../events/open-file-event';
import { panelTheme } from '../theme';
import type { FileEntry } from '../types';
import { checkName, fileRows, relativeName, type FileRow } from './file-list';
import { filesStyles } from './pipette-files.styles';

type Editing =
  | { readonly kind: 'idle' }
  | { readonly kind: 'create'; readonly error: string | null }
  | { readonly kind: 'rename'; readonly path: string; readonly error: string | null }
  | { readonly kind: 'delete'; readonly path: string };

const IDLE: Editing = { kind: 'idle' };

/**
 * The home directory's files as a side list: click to open, New file, and Rename / Delete on
 * each row. Names are typed in an inline field (Enter confirms, Escape cancels) and checked
 * here first (not empty, no `..`, not taken); deleting asks again inline. The list only asks:
 * the page does it and hands back the new `files`.
 *
 * Properties: `files` (FileEntry[]), `active` (the open file's path or null), `home` (the
 * folder names are relative to; default `/home/pyodide`).
 * Events: `pipette-open-file` ({@link OpenFileEvent}), `pipette-file-action`
 *   ({@link FileActionEvent}: create / rename / delete, absolute paths).
 * Parts: `toolbar`, `new` (the New file button), `list`, `row` (each entry), `name-input`
 *   (the inline field), `error` (what is wrong with a typed name), `confirm` (delete's question).
 */
export class PipetteFiles extends LitElement {
  static override styles = [panelTheme, filesStyles];

  static override properties = {
    files: { attribute: false },
    active: { type: String },
    home: { type: String },
    editing: { state: true },
    collapsed: { state: true },
  };
  declare files: readonly FileEntry[];
  declare active: string | null;
  declare home: string;
  declare editing: Editing;
  /** Folders (absolute) shown closed. */
  declare collapsed: ReadonlySet<string>;
  private rows: readonly FileRow[] = [];
  /** Folders seen before, so a folder's default (open or closed) is applied once. */
  private readonly seenFolders = new Set<string>();

  constructor() {
    super();
    this.files = [];
    this.active = null;
    this.home = '/home/pyodide';
    this.editing = IDLE;
    this.collapsed = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('files') || changed.has('home')) {
      this.rows = fileRows(this.files, this.home);
      // Python's caches and dot-folders (a .venv) start closed: they are not the person's files.
      const fresh = this.rows.filter((r) => r.kind === 'directory' && !this.seenFolders.has(r.path));
      fresh.forEach((r) => this.seenFolders.add(r.path));
      const closed = fresh.filter((r) => r.name === '__pycache__' || r.name.startsWith('.'));
      if (closed.length > 0) this.collapsed = new Set([...this.collapsed, ...closed.map((r) => r.path)]);
      // A file that went away cannot stay being renamed or deleted.
      const e = this.editing;
      if ((e.kind === 'rename' || e.kind === 'delete') && !this.rows.some((r) => r.path === e.path)) this.editing = IDLE;
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('editing')) return;
    const before = changed.get('editing') as Editing | undefined;
    const now = this.editing;
    const started = now.kind !== before?.kind || (now.kind === 'rename' && before.kind === 'rename' && now.path !== before.path);
    const input = this.renderRoot.querySelector<HTMLInputElement>('[part="name-input"]');
    if (input && started && (now.kind === 'create' || now.kind === 'rename')) {
      input.focus();
      // Select the stem, as file managers do: `main` of `main.py`.
      const dot = input.value.lastIndexOf('.');
      const slash = input.value.lastIndexOf('/');
      input.setSelectionRange(slash + 1, dot > slash + 1 ? dot : input.value.length);
    }
  }

  private open(row: FileRow): void {
    if (row.kind === 'directory') {
      const next = new Set(this.collapsed);
      if (!next.delete(row.path)) next.add(row.path);
      this.collapsed = next;
      return;
    }
    this.dispatchEvent(new OpenFileEvent(row.path));
  }

  private submit(input: HTMLInputElement): void {
    const e = this.editing;
    if (e.kind === 'create') {
      const check = checkName(input.value, this.home, this.files);
      if (!check.ok) return void (this.editing = { ...e, error: check.error });
      this.editing = IDLE;
      this.dispatchEvent(new FileActionEvent({ action: 'create', path: check.path }));
    } else if (e.kind === 'rename') {
      const check = checkName(input.value, this.home, this.files, e.path);
      if (!check.ok) return void (this.editing = { ...e, error: check.error });
      this.editing = IDLE;
      this.dispatchEvent(new FileActionEvent({ action: 'rename', path: e.path, newPath: check.path }));
    }
  }

  private onInputKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.submit(e.target as HTMLInputElement);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      this.editing = IDLE;
    }
  }

  private confirmDelete(path: string): void {
    this.editing = IDLE;
    this.dispatchEvent(new FileActionEvent({ action: 'delete', path }));
  }

  protected override render() {
    const hidden = (r: FileRow): boolean => r.ancestors.some((a) => this.collapsed.has(a));
    const rows = this.rows.filter((r) => !hidden(r));
    return html`
      <div part="toolbar">
        <span class="title">Files</span>
        <span class="muted mono home" title=${`~ is your home folder, ${this.home}`}>~/</span>
        <span class="spacer"></span>
        <button part="new" title="Create a file in your home folder" @click=${() => (this.editing = { kind: 'create', error: null })}>+ New file</button>
      </div>
      <ul part="list" aria-label="Files in your home folder">
        ${this.editing.kind === 'create' ? this.renderInput('', this.editing.error, 0) : nothing}
        ${repeat(rows, (r) => r.path, (r) => this.renderRow(r))}
        ${this.rows.length === 0 && this.editing.kind !== 'create' ? html`<li class="empty">No files yet.</li>` : nothing}
      </ul>
    `;
  }

  private renderInput(value: string, error: string | null, depth: number) {
    return html`<li class="editing" style="padding-left: ${0.5 + depth * 0.9}rem">
      <input
        part="name-input"
        type="text"
        aria-label="File name"
        placeholder="name.py or folder/name.py"
        spellcheck="false"
        .value=${value}
        aria-invalid=${error ? 'true' : 'false'}
        @keydown=${this.onInputKey}
      />
      <div class="hint">${error ? html`<span part="error" role="alert">${error}</span>` : html`<span class="muted">Enter to confirm, Esc to cancel</span>`}</div>
    </li>`;
  }

  /** A virtual environment: one row, no arrow (its files are the On disk view's), a tag saying what it is. */
  private renderEnvironment(r: FileRow) {
    return html`<li part="row" class="directory environment" data-path=${r.path} style="padding-left: ${0.5 + r.depth * 0.9}rem">
      <span class="entry" title=${`${r.path}: a virtual environment (python -m venv). Activate it (source ${relativeName(r.path, this.home)}/bin/activate) to see its files in the On disk tab.`}>
        <span class="icon" aria-hidden="true">◆</span><span class="name">${r.name}/</span><span class="tag">venv</span>
      </span>
      <span class="row-actions">
        <button data-action="delete" class="danger" title=${`Delete ${r.name}`} @click=${() => (this.editing = { kind: 'delete', path: r.path })}>Delete</button>
      </span>
      ${this.editing.kind === 'delete' && this.editing.path === r.path
        ? html`<div part="confirm" class="confirm" role="alertdialog" aria-label="Confirm delete">
            <span>Delete the environment ${r.name}/ and everything installed in it?</span>
            <button class="danger" data-action="confirm-delete" @click=${() => this.confirmDelete(r.path)}>Delete</button>
            <button data-action="cancel" @click=${() => (this.editing = IDLE)}>Cancel</button>
          </div>`
        : nothing}
    </li>`;
  }

  private renderRow(r: FileRow) {
    const e = this.editing;
    if (e.kind === 'rename' && e.path === r.path) return this.renderInput(relativeName(r.path, this.home), e.error, r.depth);
    const dir = r.kind === 'directory';
    if (r.environment) return this.renderEnvironment(r);
    const open = dir && !this.collapsed.has(r.path);
    const confirming = e.kind === 'delete' && e.path === r.path;
    const inside = dir ? this.rows.filter((x) => x.ancestors.includes(r.path) && x.kind === 'file').length : 0;
    return html`<li part="row" class="${r.kind} ${r.path === this.active ? 'active' : ''}" data-path=${r.path} style="padding-left: ${0.5 + r.depth * 0.9}rem">
      <button class="entry" aria-current=${r.path === this.active ? 'true' : 'false'} aria-expanded=${dir ? String(open) : nothing} title=${r.path} @click=${() => this.open(r)}>
        <span class="icon" aria-hidden="true">${dir ? (open ? '▾' : '▸') : '·'}</span><span class="name">${r.name}${dir ? '/' : ''}</span>
      </button>
      <span class="row-actions">
        ${dir ? nothing : html`<button data-action="save" title=${`Save ${r.name} to your computer`} aria-label=${`Save ${r.name} to your computer`} @click=${() => this.dispatchEvent(new FileActionEvent({ action: 'save', path: r.path }))}>⤓</button>`}
        <button data-action="rename" title=${`Rename ${r.name}`} @click=${() => (this.editing = { kind: 'rename', path: r.path, error: null })}>Rename</button>
        <button data-action="delete" class="danger" title=${`Delete ${r.name}`} @click=${() => (this.editing = { kind: 'delete', path: r.path })}>Delete</button>
      </span>
      ${confirming
        ? html`<div part="confirm" class="confirm" role="alertdialog" aria-label="Confirm delete">
            <span>Delete ${r.name}${dir ? `/ and the ${inside} file${inside === 1 ? '' : 's'} in it` : ''}?</span>
            <button class="danger" data-action="confirm-delete" @click=${() => this.confirmDelete(r.path)}>Delete</button>
            <button data-action="cancel" @click=${() => (this.editing = IDLE)}>Cancel</button>
          </div>`
        : nothing}
    </li>`;
  }
}
