import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { normalizeName } from '../../../pep';
import { PipCommandEvent } from '../../events/pip-command-event';
import { panelTheme } from '../theme';
import type { DistributionView, EnvironmentView } from '../types';
import { packagesStyles } from './pipette-packages.styles';
import { matchesFilter, safeLink, updateAvailable } from './update';

interface Row {
  readonly key: string;
  readonly d: DistributionView;
  readonly update: string | null;
  readonly vulnerable: boolean;
}

/**
 * The installed distributions of one environment as a table: version with "update available",
 * summary, known vulnerabilities, why each one is there (requested, or pulled in by which), and
 * buttons that run the pip command doing it, so the person sees the command too.
 *
 * Summaries, names and vulnerability data come from package authors and the index: they are
 * rendered as text only, and vulnerability links only when they are http(s) URLs.
 *
 * Properties: `environment` (EnvironmentView | null).
 * Events: `pipette-pip-command` ({@link PipCommandEvent}): `['show', name]`,
 *   `['install', '-U', name]`, `['uninstall', '-y', name]`.
 * Parts: `toolbar`, `filter` (the filter box), `table`, `row` (each distribution's row).
 */
export class PipettePackages extends LitElement {
  static override styles = [panelTheme, packagesStyles];

  static override properties = {
    environment: { attribute: false },
    filter: { state: true },
    expanded: { state: true },
  };
  declare environment: EnvironmentView | null;
  declare filter: string;
  /** Names (normalized) whose details row is open. */
  declare expanded: ReadonlySet<string>;
  private rows: readonly Row[] = [];
  private total = 0;

  constructor() {
    super();
    this.environment = null;
    this.filter = '';
    this.expanded = new Set();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('environment') || changed.has('filter')) {
      const all = this.environment?.distributions ?? [];
      this.total = all.length;
      this.rows = all
        .filter((d) => matchesFilter(this.filter, d.name, d.summary))
        .map((d) => ({ key: normalizeName(d.name), d, update: updateAvailable(d.version, d.latest), vulnerable: (d.vulnerabilities?.length ?? 0) > 0 }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    }
  }

  private pip(argv: string[]): void {
    this.dispatchEvent(new PipCommandEvent(argv));
  }

  private toggle(key: string): void {
    const next = new Set(this.expanded);
    if (!next.delete(key)) next.add(key);
    this.expanded = next;
  }

  protected override render() {
    const env = this.environment;
    return html`
      <div part="toolbar">
        <span class="title">Packages</span>
        ${env
          ? html`<span class="mono">${env.name}</span><span class="muted mono" title=${env.sitePackages}>${env.prefix}</span>
              <span class="muted">${this.rows.length === this.total ? `${this.total} installed` : `${this.rows.length} of ${this.total}`}</span>`
          : nothing}
        <input part="filter" type="search" placeholder="Filter by name or summary" aria-label="Filter packages" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
      </div>
      <div part="table">
        ${env === null
          ? html`<p class="empty">No environment yet.</p>`
          : this.total === 0
            ? html`<p class="empty">Nothing is installed in ${env.name}. Try <code>pip install requests</code>.</p>`
            : this.rows.length === 0
              ? html`<p class="empty">No installed package matches “${this.filter}”.</p>`
              : html`<table>
                  <thead><tr><th>Package</th><th>Version</th><th>Summary</th><th>Security</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>${repeat(this.rows, (r) => r.key, (r) => this.renderRow(r))}</tbody>
                </table>`}
      </div>
    `;
  }

  private renderRow({ key, d, update, vulnerable }: Row) {
    const open = this.expanded.has(key);
    return html`
      <tr part="row" class=${vulnerable ? 'vulnerable' : ''} data-name=${key}>
        <td>
          <button class="name" aria-expanded=${open ? 'true' : 'false'} title="Requirements and location" @click=${() => this.toggle(key)}>${d.name}</button>
          ${d.requested
            ? html`<div class="why requested">requested</div>`
            : d.requiredBy.length > 0
              ? html`<div class="why">pulled in by ${d.requiredBy.map((n, i) => html`${i > 0 ? ', ' : ''}<span class="nowrap">${n}</span>`)}</div>`
              : html`<div class="why" title="pip does not remove dependencies nothing needs any more">not needed by anything</div>`}
        </td>
        <td class="version">
          ${d.version}
          ${update ? html`<div><span class="badge accent" part="update">update available: ${update}</span></div>` : nothing}
        </td>
        <td class="summary">${d.summary ?? html`<span class="muted">—</span>`}</td>
        <td class="security">${this.renderSecurity(d)}</td>
        <td class="actions">
          <button data-action="show" title=${`pip show ${d.name}`} @click=${() => this.pip(['show', d.name])}>Show</button>
          <button data-action="upgrade" class=${update || vulnerable ? 'primary' : ''} title=${`pip install -U ${d.name}`} @click=${() => this.pip(['install', '-U', d.name])}>Upgrade</button>
          <button data-action="uninstall" class="danger" title=${`pip uninstall -y ${d.name}`} @click=${() => this.pip(['uninstall', '-y', d.name])}>Uninstall</button>
        </td>
      </tr>
      ${open
        ? html`<tr class="details">
            <td colspan="5">
              ${d.requires.length === 0
                ? html`<div class="muted">Requires nothing.</div>`
                : html`<div class="muted">Requires:</div>
                    <ul class="requires">
                      ${d.requires.map((r) => html`<li>${r.name}${r.specifier ? ` ${r.specifier}` : ''}${r.marker ? html`<span class="marker">; ${r.marker}</span>` : nothing}</li>`)}
                    </ul>`}
              <div><span class="muted">Location:</span> <span class="mono">${d.location}</span></div>
            </td>
          </tr>`
        : nothing}
    `;
  }

  private renderSecurity(d: DistributionView) {
    const vulns = d.vulnerabilities;
    if (vulns === null) return html`<span class="muted" title="Not checked against PyPI's vulnerability data (pip audit checks)">not checked</span>`;
    if (vulns.length === 0) return html`<span class="none-known" title="PyPI lists no known vulnerability for this version">none known</span>`;
    return html`
      <span class="badge error" part="vulnerable">⚠ ${vulns.length} known vulnerabilit${vulns.length === 1 ? 'y' : 'ies'}</span>
      <ul class="vulns">
        ${vulns.map((v) => {
          const link = safeLink(v.link);
          return html`<li>
            ${link ? html`<a href=${link} target="_blank" rel="noopener noreferrer">${v.id}</a>` : html`<span class="mono">${v.id}</span>`}
            ${v.fixedIn.length > 0 ? html`<span class="fixed">fixed in ${v.fixedIn.join(', ')}</span>` : html`<span class="fixed">no fix yet</span>`}
          </li>`;
        })}
      </ul>
    `;
  }
}
