import { LitElement, html, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { normalizeName, Version } from '../../../pep';
import { Verdict, type ClassifiedVersion, type SpecLabResult } from '../../../runtime';
import { SpecLabClassifyEvent } from '../../events/spec-lab-classify-event';
import { SpecLabQueryEvent } from '../../events/spec-lab-query-event';
import { panelTheme } from '../theme';
import type { VersionRow } from '../types';
import { explainPrereleases } from './explain';
import { specLabStyles } from './pipette-spec-lab.styles';

/** How long typing must pause before the lab asks for a project's versions. */
const QUERY_DELAY_MS = 350;

const VERDICT_TEXT: Readonly<Record<Verdict, string>> = {
  [Verdict.chosen]: 'pip would install this one: the newest candidate',
  [Verdict.match]: 'matches: a candidate',
  [Verdict.prereleaseSkipped]: 'matches, but it is a pre-release and pip skips those here',
  [Verdict.yankedSkipped]: 'matches, but it was yanked (PEP 592): pip takes it only when pinned with == or ===',
  [Verdict.noMatch]: 'does not match',
  [Verdict.invalid]: 'not a PEP 440 version: pip ignores it',
};

/**
 * A place to try version specifiers against a real project's versions: each version is
 * coloured by what pip does with it (the one it would install, candidates, pre-releases it
 * skips and why, yanked ones, non-matches), `~=` is spelled out as PEP 440 defines it, the
 * whole set is shown as a range, and a specifier that does not parse gets packaging's message
 * with a caret under the fault.
 *
 * Properties: `project` (whose versions these are), `versions` (VersionRow[]), `message`
 * (a status line from the page: "Fetching…", "No such project"; null for none), `specifier`
 * (the text in the specifier box).
 * Events: `pipette-spec-lab-query` ({@link SpecLabQueryEvent}) when a project name was typed;
 *   `pipette-spec-lab-classify` ({@link SpecLabClassifyEvent}) when the project, the specifier or
 *   `--pre` changed: the page answers with the worker's verdicts (the resolver's policies), which
 *   the lab draws; it decides nothing itself.
 * Parts: `toolbar`, `project` and `specifier` (the inputs), `pre` (the --pre checkbox), `error`
 *   (the parse error), `explain` (the explanations), `versions` (the list), `version` (each).
 */
export class PipetteSpecLab extends LitElement {
  static override styles = [panelTheme, specLabStyles];

  static override properties = {
    project: { type: String },
    versions: { attribute: false },
    message: { type: String },
    specifier: { type: String },
    query: { state: true },
    pre: { state: true },
    result: { state: true },
  };
  declare project: string;
  declare versions: readonly VersionRow[];
  declare message: string | null;
  declare specifier: string;
  /** The project box's text. */
  declare query: string;
  declare pre: boolean;
  /** The page's answer to the latest question that got one; null before any. */
  declare result: SpecLabResult | null;
  /** The versions newest first, drawn uncoloured while the specifier does not parse. */
  private sorted: readonly VersionRow[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Questions asked so far: only the latest one's answer is drawn. */
  private asked = 0;

  constructor() {
    super();
    this.project = '';
    this.versions = [];
    this.message = null;
    this.specifier = '';
    this.query = '';
    this.pre = false;
    this.result = null;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer !== null) clearTimeout(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('project') && normalizeName(this.query.trim()) !== normalizeName(this.project)) this.query = this.project;
    if (changed.has('versions')) this.sorted = newestFirst(this.versions);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('project') || changed.has('specifier') || changed.has('versions') || changed.has('pre')) this.classify();
  }

  /** Asks the page what pip does with the versions; draws the answer if no newer question was asked meanwhile. */
  private classify(): void {
    const event = new SpecLabClassifyEvent({ project: this.project, specifier: this.specifier, pre: this.pre });
    this.dispatchEvent(event);
    const ticket = ++this.asked;
    event.response?.then(
      (result) => {
        if (ticket === this.asked) this.result = result;
      },
      () => {},
    );
  }

  private onProjectInput(e: Event): void {
    this.query = (e.target as HTMLInputElement).value;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.ask(), QUERY_DELAY_MS);
  }

  private ask(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const project = this.query.trim();
    if (project !== '') this.dispatchEvent(new SpecLabQueryEvent(project));
  }

  protected override render() {
    const r = this.result;
    const name = this.project || this.query.trim() || 'project';
    return html`
      <div part="toolbar"><span class="title">Specifier lab</span><span class="muted">which versions does a requirement allow?</span></div>
      <div class="body">
        <div class="command">
          <span class="prompt">pip install${this.pre ? ' --pre' : ''}</span>
          <input part="project" type="text" aria-label="Project" placeholder="requests" spellcheck="false" .value=${this.query} @input=${this.onProjectInput} @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.ask()} />
          <input part="specifier" type="text" aria-label="Version specifier" placeholder="~=2.28.0 or >=2,<3" spellcheck="false" .value=${this.specifier} @input=${(e: Event) => (this.specifier = (e.target as HTMLInputElement).value)} />
          <label class="pre"><input part="pre" type="checkbox" .checked=${this.pre} @change=${(e: Event) => (this.pre = (e.target as HTMLInputElement).checked)} /> --pre</label>
        </div>
        ${this.message ? html`<p class="status muted">${this.message}</p>` : nothing}
        ${r === null ? nothing : r.kind === 'error' ? html`<pre part="error" role="alert">${r.message}</pre>` : this.renderExplanation(r, name)}
        ${this.renderVersions(r?.kind === 'ok' ? r.versions : null)}
      </div>
    `;
  }

  private renderExplanation(r: Extract<SpecLabResult, { kind: 'ok' }>, name: string) {
    const requirement = `${name}${r.normalized}`;
    const candidates = r.versions.filter((v) => v.verdict !== Verdict.invalid).map((v) => v.version);
    const yanked = r.versions.filter((v) => v.verdict === Verdict.yankedSkipped).map((v) => v.version);
    // The range says something the text does not, unless the set is one ~= (spelled out below).
    const showRange = r.range !== r.normalized && !(r.compatible.length === 1 && r.normalized === r.compatible[0]!.specifier);
    const headline =
      r.normalized === ''
        ? html`No specifier: <strong>any version</strong> matches.`
        : r.matchesNothing
          ? html`<code>${r.normalized}</code> matches <strong class="bad">no version at all</strong>: its specifiers contradict each other.`
          : showRange
            ? html`<code>${r.normalized}</code> as a range: <code class="range">${r.range}</code>`
            : null;
    return html`<div part="explain">
      ${headline ? html`<p>${headline}</p>` : nothing}
      ${r.compatible.map(
        (c) => html`<p class="compatible">
          <code>${c.specifier}</code> means <code class="spelled">${c.meaning}</code>
          <span class="muted">(PEP 440 compatible release: at least ${c.specifier.slice(2)}, within ${c.series}), that is <code>${c.range}</code></span>
        </p>`,
      )}
      ${this.versions.length > 0 ? html`<p class="pre-rule">${explainPrereleases(r)}</p>` : nothing}
      ${yanked.length > 0
        ? html`<p class="pre-rule">${yanked.join(', ')} ${yanked.length === 1 ? 'matches but was' : 'match but were'} yanked (PEP 592): pip skips a yanked release unless <code>==</code> pins it exactly.</p>`
        : nothing}
      ${this.versions.length === 0
        ? nothing
        : r.chosen
          ? html`<p class="outcome ok">pip would install <code>${name} ${r.chosen}</code>.</p>`
          : html`<p class="outcome bad">
              <code>ERROR: Could not find a version that satisfies the requirement ${requirement} (from versions: ${candidates.length > 0 ? [...candidates].reverse().join(', ') : 'none'})</code>
            </p>`}
    </div>`;
  }

  private renderVersions(versions: readonly ClassifiedVersion[] | null) {
    if (this.versions.length === 0) return html`<p class="empty">Type a project name to see its versions.</p>`;
    const rows: readonly (VersionRow & { readonly verdict?: Verdict })[] = versions ?? this.sorted;
    return html`
      <ul class="legend" aria-label="Legend">
        <li class="version chosen">will install</li><li class="version match">matches</li><li class="version prerelease-skipped">pre-release, skipped</li><li class="version yanked-skipped">yanked</li><li class="version no-match">no match</li>
      </ul>
      <ul part="versions" aria-label="Versions of ${this.project}">
        ${repeat(
          rows,
          (v) => v.version,
          (v) => html`<li part="version" class="version ${v.verdict ?? 'unknown'} ${v.prerelease ? 'pre' : ''} ${v.yanked ? 'yanked' : ''}" data-version=${v.version} data-verdict=${v.verdict ?? 'unknown'} title="${v.version}: ${v.verdict ? VERDICT_TEXT[v.verdict] : 'fix the specifier to see'}${v.yanked ? ' (yanked)' : ''}">${v.version}</li>`,
        )}
      </ul>
    `;
  }
}

/** Newest first by PEP 440 order; what is no version last. */
function newestFirst(rows: readonly VersionRow[]): VersionRow[] {
  const keyed = rows.map((row) => ({ row, version: Version.tryParse(row.version) }));
  keyed.sort((a, b) => (a.version && b.version ? b.version.compare(a.version) : a.version ? -1 : b.version ? 1 : 0));
  return keyed.map((k) => k.row);
}
