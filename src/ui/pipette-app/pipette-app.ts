import { LitElement, html, type PropertyValues } from 'lit';
import { escapeTerminalText, redactUrl } from '../../pep';
import type { BootProgress, InterpreterInfo, Remote, RuntimeApi } from '../../runtime';
import type { PipetteTerminal } from '../terminal';
import type { PipetteEditor } from '../editor';
import '../terminal';
import '../editor';
import '../share';
import { isMachineryTab, type MachineryTab } from './pipette-machinery';
import type { TabEvent } from '../events';
import { appStyles } from './pipette-app.styles';
import { HOME } from './app-host';
import { FilesController } from './files-controller';
import { RuntimeController } from './runtime-controller';
import { ShareController } from './share-controller';
import { TerminalController } from './terminal-controller';
import { loadUiState, pageStorage, saveUiState, type UiState } from './ui-state';
import { announceAppStarted } from '../app-started';
import { NarrowWindowController } from './narrow-window';
import { WorkspaceViewsController } from './workspace-views';

export { configFromLocation } from './page-config';

/**
 * The playground: an editor above a terminal, both on the Python of the runtime worker, between
 * the files and the machinery's panels; in a narrow window one of the three at a time, under a
 * tab bar (workspace-views.ts). Its work is done by controllers: the runtime (boot, panels'
 * data), the terminal's backend, the files, and sharing; this element wires them and draws the page.
 *
 * Parts: `status` (boot status), `index` (the package index pip uses; in the More menu in a
 * narrow window), `actions` (Share, and pylock.toml, requirements.txt, Import… or `more`, the
 * button of the `more-actions` menu that holds them in a narrow window), `offer` (the
 * "pip install NAME" offer after a missing import), `editor`, `terminal`, `views` (the tab bar
 * of a narrow window).
 */
export class PipetteApp extends LitElement {
  static override styles = appStyles;

  private readonly storage = pageStorage();
  /** What the page remembered from before the reload (the open file, the tab, the terminal's history). */
  private readonly remembered: UiState = loadUiState(this.storage);
  private tab: MachineryTab = isMachineryTab(this.remembered.tab) ? this.remembered.tab : 'packages';
  private readonly refresh = (): Promise<void> => this.runtimeState.refresh(() => this.tab === 'packages' || this.tab === 'graph');
  private readonly runtimeState = new RuntimeController(this);
  private readonly shell = new TerminalController(this, this.runtimeState, this.refresh);
  private readonly fileState = new FilesController(this, this.runtimeState, this.storage, (argv) => this.shell.runCommand(argv), this.refresh);
  private readonly sharing = new ShareController(this, this.runtimeState, this.shell, this.fileState, this.refresh);
  private readonly narrow = new NarrowWindowController(this);
  private readonly views = new WorkspaceViewsController(this, this.narrow);

  constructor() {
    super();
    // Boot trace (bench/playground.bench.ts): the runtime worker has just been created.
    performance.mark('pipette:app-constructed');
  }

  /** The booted runtime worker (Comlink), null while Python starts; tests and the console may reach it here. */
  get runtime(): Remote<RuntimeApi> | null {
    return this.runtimeState.api;
  }

  get info(): InterpreterInfo | null {
    return this.runtimeState.info;
  }

  get progress(): BootProgress | null {
    return this.runtimeState.progress;
  }

  /** A command is running in the terminal. */
  get busy(): boolean {
    return this.shell.busy;
  }

  /** Downloads of the running command, as one line (the header's status), or null. */
  get activity(): string | null {
    return this.shell.activity;
  }

  set activity(text: string | null) {
    this.shell.activity = text;
  }

  get terminal(): PipetteTerminal {
    return this.renderRoot.querySelector('pipette-terminal')!;
  }

  get editor(): PipetteEditor {
    return this.renderRoot.querySelector('pipette-editor')!;
  }

  protected override firstUpdated(_changed: PropertyValues): void {
    void this.startUp();
  }

  /** Python up, the last file open, the prompt shown; then the environment a `#env=` link carries. */
  private async startUp(): Promise<void> {
    const terminal = this.terminal;
    performance.mark('pipette:app-boot');
    terminal.print('Starting Python…');
    try {
      const info = await this.runtimeState.boot(this.remembered.history);
      performance.mark('pipette:runtime-booted');
      terminal.print(`Python ${info.pythonVersion} (Pyodide ${info.pyodideVersion}) on ${info.markerEnvironment['sys_platform']}. Type help for the commands.`);
      for (const problem of this.progress?.restore?.problems ?? []) terminal.print(`\x1b[33mWARNING: ${escapeTerminalText(problem)}\x1b[0m`);
      await this.fileState.openLastFile(this.remembered.file);
      performance.mark('pipette:main-file-open');
      terminal.historyStore = { load: () => this.remembered.history, save: (lines) => void saveUiState(this.storage, { history: lines }) };
      terminal.backend = this.shell.backend(await this.runtimeState.ready);
      await terminal.showPrompt();
      performance.mark('pipette:prompt');
      // The panels once the prompt is there: their questions to the worker (files, packages)
      // would otherwise be answered before the prompt's.
      void this.refresh();
      announceAppStarted();
      terminal.focus();
      await this.sharing.openShareLink(window.location.href);
    } catch (e) {
      terminal.print(`\x1b[31mPython failed to start: ${escapeTerminalText(e instanceof Error ? e.message : String(e))}. Reload the page to try again.\x1b[0m`);
      announceAppStarted();
    }
  }

  showTerminal(): void {
    this.views.showTerminal();
  }

  private onTab(event: TabEvent<MachineryTab>): void {
    this.tab = event.detail.tab;
    saveUiState(this.storage, { tab: this.tab });
    if (this.tab === 'packages' || this.tab === 'graph') void this.runtimeState.addIndexFacts();
  }

  private statusText(): string {
    const p = this.progress;
    if (this.info) return `Python ${this.info.pythonVersion} ready (${Math.round(p?.elapsedMs ?? 0)} ms)`;
    if (p?.phase === 'restoring') return `Restoring your environments… ${p.done ?? 0}/${p.total ?? 0} packages`;
    return 'Starting Python…';
  }

  /**
   * The More menu closing (Escape, a choice made) with the focus inside it gives the focus back to
   * More. The popover would give it back to what had it when it opened, but from outside this
   * shadow root that is <pipette-app> itself, so the focus would fall to <body> and a keyboard
   * user would start again from the top of the page.
   */
  private onMoreToggle(event: Event): void {
    const menu = event.currentTarget;
    if (!(event instanceof ToggleEvent) || event.newState !== 'closed' || !(menu instanceof HTMLElement) || !menu.matches(':focus-within')) return;
    this.renderRoot.querySelector<HTMLElement>('[part="more"]')?.focus();
  }

  /**
   * The index as pip would print it (pep's redactUrl): a link's `?index-url=` may carry a
   * password or token in its userinfo or query, and the header is what a classroom's projector
   * shows.
   */
  private renderIndex(indexUrl: string) {
    const shown = redactUrl(indexUrl);
    return html`<span part="index" title=${`The package index pip uses: ${shown}`}>index: ${shown}</span>`;
  }

  /** The lock files out and in: in the header's row, or in its "More" menu in a narrow window (closed once one is chosen). */
  private renderLockActions() {
    const { info, busy } = this;
    const act = (action: () => Promise<void>) => () => {
      this.renderRoot.querySelector<HTMLElement>('[part="more-actions"]')?.hidePopover();
      void action();
    };
    return html`<button ?disabled=${!info} @click=${act(() => this.sharing.exportLock('pylock'))} title="Download pylock.toml (PEP 751)">pylock.toml</button>
      <button ?disabled=${!info} @click=${act(() => this.sharing.exportLock('requirements'))} title="Download requirements.txt with hashes">requirements.txt</button>
      <button ?disabled=${!info || busy} @click=${act(() => this.sharing.importLock())} title="Open a pylock.toml or requirements.txt">Import…</button>`;
  }

  protected override render() {
    const { info, busy, activity } = this;
    const { offer } = this.shell;
    const { shared, restore } = this.sharing;
    const state = this.runtimeState;
    const indexUrl = state.config.indexUrl ?? 'https://pypi.org/simple/';
    return html`
      <header>
        <h1>Pipette</h1>
        <span part="status" role="status" ?data-ready=${info !== null}>${this.statusText()}</span>
        <span part="activity" aria-live="polite" title=${activity ?? ''}>${activity ?? ''}</span>
        ${this.narrow.matches ? '' : this.renderIndex(indexUrl)}
        <nav part="actions" aria-label="Environment">
          <button part="share" ?disabled=${!info || busy} @click=${() => void this.sharing.share()} title="A link that reinstalls this environment anywhere">Share</button>
          ${this.narrow.matches
            ? html`<button part="more" popovertarget="more-actions" title="pylock.toml, requirements.txt, Import… and the package index">More ▾</button>
                <div id="more-actions" part="more-actions" popover @beforetoggle=${(e: Event) => this.onMoreToggle(e)}>${this.renderIndex(indexUrl)}${this.renderLockActions()}</div>`
            : this.renderLockActions()}
        </nav>
      </header>
      ${shared
        ? html`<div part="shared" role="status">
            ${shared.link ? html`<label>Share link <input readonly .value=${shared.link} @focus=${(e: FocusEvent) => (e.target as HTMLInputElement).select()} /></label>` : ''}
            ${shared.link
              ? shared.copied
                ? html`<span part="copied">Link copied</span>`
                : html`<span class="note">The browser did not let the page copy it: select the link and copy it yourself.</span>`
              : ''}
            ${shared.notes.map((n) => html`<span class="note">${n}</span>`)}
            <button class="dismiss" @click=${() => this.sharing.dismissShared()}>Close</button>
          </div>`
        : ''}
      ${restore
        ? html`<pipette-restore-dialog
            .lock=${restore.lock}
            .warnings=${restore.warnings}
            .refusal=${restore.refusal}
            .preview=${restore.preview}
            source=${restore.source}
          ></pipette-restore-dialog>`
        : ''}
      <div class="workspace" data-view=${this.views.shown}>
      ${this.views.renderTabs()}
      <pipette-files ${this.views.panel('files')} .files=${state.files} .active=${this.fileState.activeFile} .home=${HOME}></pipette-files>
      <main ${this.views.panel('code')}>
        <pipette-editor part="editor" ?busy=${busy || !info}></pipette-editor>
        ${offer
          ? html`<div part="offer" role="alert">
              <span>No module named '${offer.module}' in this environment. Install it?</span>
              <button @click=${() => void this.shell.runCommand(['pip', 'install', offer.distribution])}>pip install ${offer.distribution}</button>
              <button class="dismiss" @click=${() => this.shell.dismissOffer()}>Dismiss</button>
            </div>`
          : html`<div></div>`}
        <pipette-terminal part="terminal"></pipette-terminal>
      </main>
      <pipette-machinery
        ${this.views.panel('machinery')}
        .tab=${this.tab}
        .environment=${state.environment}
        .disk=${state.disk}
        .versions=${state.versions}
        .project=${state.project}
        .specMessage=${state.specMessage}
        @pipette-tab=${(e: TabEvent<MachineryTab>) => this.onTab(e)}
      ></pipette-machinery>
      </div>
    `;
  }
}
