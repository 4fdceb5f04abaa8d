import { LitElement, css, html, nothing } from 'lit';
import type { EnvironmentLock } from '../../share';

/**
 * Shows what a shared environment (a link, or an imported pylock.toml) will install and from
 * where, before anything is installed: the person decides. Indexes other than PyPI are named
 * and highlighted (never silently trusted); a refused link shows only its reason.
 *
 * Events: `pipette-restore` (the person accepted), `pipette-dismiss`.
 * Parts: `dialog`, `packages`, `warnings`, `restore`, `cancel`, `refusal`.
 */
export class PipetteRestoreDialog extends LitElement {
  static override styles = css`
    :host { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(0 0 0 / 55%); z-index: 10; font-family: system-ui, sans-serif; }
    [part='dialog'] { background: #1a2029; color: #e6e1cf; border: 1px solid #2d3640; border-radius: 8px; padding: 1rem 1.25rem; width: min(40rem, 92vw); max-height: 85vh; overflow: auto; }
    h2 { margin: 0 0 0.5rem; font-size: 1.1rem; color: #ffd43b; }
    p { margin: 0.4rem 0; color: #c5ccd3; }
    ul { margin: 0.25rem 0 0.75rem; padding-left: 1.25rem; font: 0.9rem ui-monospace, monospace; }
    [part='warnings'] li { color: #ffb454; }
    code { font-family: ui-monospace, monospace; }
    .actions { display: flex; gap: 0.5rem; justify-content: flex-end; margin-top: 0.75rem; }
    button { font: 600 0.9rem system-ui; border: 0; border-radius: 4px; padding: 0.4rem 0.9rem; cursor: pointer; }
    [part='restore'] { background: #3572a5; color: #fff; }
    [part='cancel'] { background: transparent; color: #8fa1b3; border: 1px solid #2d3640; }
    [part='refusal'] { color: #f07178; }
  `;

  static override properties = {
    lock: { attribute: false },
    warnings: { attribute: false },
    refusal: { attribute: false },
    source: { type: String },
  };
  declare lock: EnvironmentLock | null;
  declare warnings: readonly { readonly message: string }[];
  /** Why the link was refused (nothing will be installed), or null. */
  declare refusal: string | null;
  /** Where it came from, for the title: 'link' or a file name. */
  declare source: string;

  constructor() {
    super();
    this.lock = null;
    this.warnings = [];
    this.refusal = null;
    this.source = 'link';
  }

  private emit(name: 'pipette-restore' | 'pipette-dismiss'): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  protected override render() {
    if (this.refusal) {
      return html`<div part="dialog" role="alertdialog" aria-labelledby="title">
        <h2 id="title">This shared environment can't be opened</h2>
        <p part="refusal">${this.refusal}</p>
        <p>Nothing was installed.</p>
        <div class="actions"><button part="cancel" @click=${() => this.emit('pipette-dismiss')}>Close</button></div>
      </div>`;
    }
    const lock = this.lock;
    if (!lock) return nothing;
    return html`<div part="dialog" role="dialog" aria-labelledby="title">
      <h2 id="title">Restore a shared environment?</h2>
      <p>From a ${this.source}: Python ${lock.python}, Pyodide ${lock.pyodide}. It installs exactly these files, each checked against its sha256:</p>
      <ul part="packages">
        ${lock.distributions.map((d) => html`<li>${d.name}==${d.version}${d.requested ? '' : html` <span style="color:#8fa1b3">(dependency)</span>`}</li>`)}
      </ul>
      <p>From ${lock.indexes.length === 1 ? 'the index' : 'the indexes'}: ${lock.indexes.map((i) => html`<code>${i}</code> `)}</p>
      ${lock.files.length ? html`<p>And writes ${lock.files.length} file${lock.files.length === 1 ? '' : 's'} in your home folder: ${lock.files.map((f) => html`<code>${f.path}</code> `)}</p>` : nothing}
      ${this.warnings.length
        ? html`<ul part="warnings">
            ${this.warnings.map((w) => html`<li>${w.message}</li>`)}
          </ul>`
        : nothing}
      <div class="actions">
        <button part="cancel" @click=${() => this.emit('pipette-dismiss')}>Cancel</button>
        <button part="restore" @click=${() => this.emit('pipette-restore')}>Install ${lock.distributions.length} package${lock.distributions.length === 1 ? '' : 's'}</button>
      </div>
    </div>`;
  }
}
