import { LitElement, css, html, nothing } from 'lit';
import type { SharedPreview, ShareLock } from '../../runtime';
import { DismissEvent, RestoreEvent } from '../events';

/**
 * Shows what a shared environment (a link, or an imported pylock.toml) will install and write,
 * and where each lands, before anything is installed: the person decides. Every package is
 * listed with the site-packages it goes to and whether it is new, replaces an installed version
 * or is already there; every file with the path it is written to and whether it replaces one of
 * the person's files. Indexes other than PyPI are named and highlighted (never silently
 * trusted). A refused link (damaged, hostile, or not restorable here: a file over a folder,
 * into a venv, through a link) shows only its reason, and no button installs anything.
 *
 * Everything shown comes from a stranger's link: it is rendered as text (Lit escapes it).
 *
 * Events: `pipette-restore` (the person accepted), `pipette-dismiss`.
 * Parts: `dialog`, `packages`, `builds`, `build-warning`, `files`, `destination`, `warnings`, `restore`, `cancel`, `refusal`.
 */
export class PipetteRestoreDialog extends LitElement {
  static override styles = css`
    :host { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 55%); z-index: 10; font-family: system-ui, sans-serif; }
    [part='dialog'] { background: #1a2029; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 8px; padding: 1rem 1.25rem; width: min(44rem, 92vw); max-height: 85vh; overflow: auto; }
    h2 { margin: 0 0 0.5rem; font-size: 1.1rem; color: #ffd43b; }
    h3 { margin: 0.6rem 0 0.2rem; font-size: 0.95rem; color: #c5ccd3; }
    p { margin: 0.4rem 0; color: #c5ccd3; }
    ul { margin: 0.25rem 0 0.75rem; padding-left: 1.25rem; font: 0.9rem ui-monospace, monospace; }
    li { overflow-wrap: anywhere; }
    .arrow, .note { color: #8fa1b3; }
    .replace { color: #ffb454; }
    [part='warnings'] li { color: #ffb454; }
    code { font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
    .actions { display: flex; gap: 0.5rem; justify-content: flex-end; margin-top: 0.75rem; }
    button { font: 600 0.9rem system-ui; border: 0; border-radius: 4px; padding: 0.4rem 0.9rem; cursor: pointer; }
    [part='restore'] { background: #3572a5; color: #fff; }
    [part='cancel'] { background: transparent; color: #8fa1b3; border: 1px solid #2d3640; }
    [part='refusal'] { color: #f07178; overflow-wrap: anywhere; }
  `;

  static override properties = {
    lock: { attribute: false },
    warnings: { attribute: false },
    refusal: { attribute: false },
    preview: { attribute: false },
    source: { type: String },
  };
  declare lock: ShareLock | null;
  declare warnings: readonly { readonly message: string }[];
  /** Why the link was refused (nothing will be installed), or null. */
  declare refusal: string | null;
  /** What restoring would do here, and where (the worker's answer); null while not known. */
  declare preview: SharedPreview | null;
  /** Where it came from, for the title: 'link' or a file name. */
  declare source: string;

  constructor() {
    super();
    this.lock = null;
    this.warnings = [];
    this.refusal = null;
    this.preview = null;
    this.source = 'link';
  }

  private emit(name: 'pipette-restore' | 'pipette-dismiss'): void {
    this.dispatchEvent(name === 'pipette-restore' ? new RestoreEvent() : new DismissEvent());
  }

  protected override render() {
    const refusal = this.refusal ?? (this.preview?.kind === 'refused' ? this.preview.refusal : null);
    if (refusal) {
      return html`<div part="dialog" role="alertdialog" aria-labelledby="title">
        <h2 id="title">This shared environment can't be opened</h2>
        <p part="refusal">${refusal}</p>
        <p>Nothing was installed.</p>
        <div class="actions"><button part="cancel" @click=${() => this.emit('pipette-dismiss')}>Close</button></div>
      </div>`;
    }
    const lock = this.lock;
    if (!lock) return nothing;
    const preview = this.preview;
    const action = (name: string): string => {
      const p = preview?.packages.find((x) => x.name === name);
      if (!p) return '';
      return p.action === 'keep' ? 'already installed' : p.action === 'replace' ? `replaces ${p.replaces ?? 'the installed version'}` : 'new';
    };
    return html`<div part="dialog" role="dialog" aria-labelledby="title">
      <h2 id="title">Restore a shared environment?</h2>
      <p>From a ${this.source}: Python ${lock.python}, Pyodide ${lock.pyodide}. It installs exactly these files, each checked against its sha256${
        preview ? html`, into the environment <code>${preview.environment.name}</code>` : nothing
      }:</p>
      ${preview ? html`<p part="destination">Packages go to <code>${preview.environment.sitePackages}</code></p>` : nothing}
      <ul part="packages">
        ${lock.distributions.map(
          (d) =>
            html`<li data-name=${d.name}>
              ${d.name}==${d.version}${d.requested ? '' : html` <span class="note">(dependency)</span>`}
              ${preview ? html`<span class="arrow">→</span> <span class=${action(d.name).startsWith('replaces') ? 'replace' : 'note'}>${action(d.name)}</span>` : nothing}
            </li>`,
        )}
      </ul>
      ${preview && preview.builds.length
        ? html`<h3>Built from source here</h3>
            <p part="build-warning">Building runs each project's build backend (setuptools, hatchling, ...) and its setup code: code from the link's source, run in this tab.</p>
            <ul part="builds">
              ${preview.builds.map(
                (b) =>
                  html`<li data-name=${b.name}>
                    ${b.name}==${b.version} <span class="note">built from ${b.from}</span>
                    <span class="arrow">→</span>
                    <span class=${b.action === 'replace' ? 'replace' : 'note'}>${b.action === 'keep' ? 'already installed' : b.action === 'replace' ? `replaces ${b.replaces ?? 'the installed version'}` : 'new'}</span>
                  </li>`,
              )}
            </ul>`
        : nothing}
      <p>From ${lock.indexes.length === 1 ? 'the index' : 'the indexes'}: ${lock.indexes.map((i) => html`<code>${i}</code> `)}</p>
      ${lock.files.length
        ? html`<h3>Files written in your home folder</h3>
            <ul part="files">
              ${(preview?.files ?? lock.files.map((f) => ({ path: f.path, target: f.path, action: 'create' as const }))).map(
                (f) =>
                  html`<li data-path=${f.path}>
                    <code>${f.path}</code> <span class="arrow">→</span> <code>${f.target}</code>
                    ${f.action === 'replace' ? html`<span class="replace">(replaces your file)</span>` : html`<span class="note">(new)</span>`}
                  </li>`,
              )}
            </ul>`
        : nothing}
      ${this.warnings.length
        ? html`<ul part="warnings">
            ${this.warnings.map((w) => html`<li>${w.message}</li>`)}
          </ul>`
        : nothing}
      <div class="actions">
        <button part="cancel" @click=${() => this.emit('pipette-dismiss')}>Cancel</button>
        <button part="restore" ?disabled=${preview === null} @click=${() => this.emit('pipette-restore')}>Install ${lock.distributions.length + (lock.builds?.length ?? 0)} package${lock.distributions.length + (lock.builds?.length ?? 0) === 1 ? '' : 's'}</button>
      </div>
    </div>`;
  }
}
