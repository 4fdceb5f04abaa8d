import { LitElement, css, html } from 'lit';
import type { DiskEntry, EnvironmentView, VersionRow } from '../panels';
import '../panels';
import { TabEvent } from '../events';

const TABS = [
  { id: 'packages', label: 'Packages' },
  { id: 'graph', label: 'Graph' },
  { id: 'disk', label: 'On disk' },
  { id: 'spec-lab', label: 'Specifier lab' },
] as const;
export type MachineryTab = (typeof TABS)[number]['id'];

/** Whether `tab` names one of the tabs (a remembered value is checked before it is used). */
export function isMachineryTab(tab: string | null): tab is MachineryTab {
  return TABS.some((t) => t.id === tab);
}

/**
 * The right-hand side of the playground: the panels that show the machinery, one at a time
 * under a tab bar. Data comes in through properties; the panels' events bubble through.
 *
 * Events: `pipette-tab` (detail: { tab }) when the person switches tabs.
 * Parts: `tabs`, `panel`.
 */
export class PipetteMachinery extends LitElement {
  static override styles = css`
    :host { display: grid; grid-template-rows: auto 1fr; min-height: 0; background: #0f1419; border-left: 1px solid #2d3640; }
    [part='tabs'] { display: flex; gap: 0.1rem; padding: 0.25rem 0.5rem 0; background: #1a2029; border-bottom: 1px solid #2d3640; }
    [role='tab'] { font: 600 0.82rem system-ui, sans-serif; background: transparent; color: #8fa1b3; border: 0; border-bottom: 2px solid transparent; padding: 0.35rem 0.6rem; cursor: pointer; }
    [role='tab'][aria-selected='true'] { color: #ffd43b; border-bottom-color: #ffd43b; }
    [part='panel'] { min-height: 0; overflow: auto; }
    [part='panel'] > * { height: 100%; }
  `;

  static override properties = {
    tab: { type: String },
    environment: { attribute: false },
    disk: { attribute: false },
    versions: { attribute: false },
    project: { type: String },
    specMessage: { attribute: false },
  };
  declare tab: MachineryTab;
  declare environment: EnvironmentView | null;
  declare disk: { root: string; entries: DiskEntry[] } | null;
  declare versions: VersionRow[];
  declare project: string;
  declare specMessage: string | null;

  constructor() {
    super();
    this.tab = 'packages';
    this.environment = null;
    this.disk = null;
    this.versions = [];
    this.project = '';
    this.specMessage = null;
  }

  private select(tab: MachineryTab): void {
    this.tab = tab;
    this.dispatchEvent(new TabEvent(tab));
  }

  private panel() {
    switch (this.tab) {
      case 'packages':
        return html`<pipette-packages .environment=${this.environment}></pipette-packages>`;
      case 'graph':
        return html`<pipette-graph .environment=${this.environment}></pipette-graph>`;
      case 'disk':
        return html`<pipette-disk .entries=${this.disk?.entries ?? []} .root=${this.disk?.root ?? '/'}></pipette-disk>`;
      case 'spec-lab':
        return html`<pipette-spec-lab .versions=${this.versions} .project=${this.project} .message=${this.specMessage}></pipette-spec-lab>`;
    }
  }

  protected override render() {
    return html`
      <div part="tabs" role="tablist">
        ${TABS.map((t) => html`<button role="tab" id="tab-${t.id}" aria-selected=${this.tab === t.id ? 'true' : 'false'} @click=${() => this.select(t.id)}>${t.label}</button>`)}
      </div>
      <div part="panel" role="tabpanel" aria-labelledby="tab-${this.tab}">${this.panel()}</div>
    `;
  }
}

customElements.define('pipette-machinery', PipetteMachinery);

declare global {
  interface HTMLElementTagNameMap {
    'pipette-machinery': PipetteMachinery;
  }
}
