import { html, noChange, nothing, type LitElement } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';
import { FileActionEvent, OpenFileEvent } from '../events';
import { listenOnHost, type AppHost } from './app-host';
import type { NarrowWindowController } from './narrow-window';

/**
 * The workspace's columns in a wide window, which a narrow one shows one at a time: the editor
 * over the terminal (they work together: Run prints below the code), the files, and the
 * machinery's panels (Packages, Graph, On disk, Specifier lab, under their own tabs).
 */
const VIEWS = [
  { id: 'code', label: 'Editor & terminal' },
  { id: 'files', label: 'Files' },
  { id: 'machinery', label: 'Packages' },
] as const;
export type WorkspaceView = (typeof VIEWS)[number]['id'];

/**
 * In a narrow window (NARROW_WINDOW) the workspace is one column: a tab bar over the view it
 * shows, the editor and terminal's when the page opens. The other views are hidden, not
 * removed, so nothing is lost by switching: the terminal's scrollback and line, the editor's
 * text and undo history, the panels' filters; the terminal fits its box again when it is shown
 * (its ResizeObserver). In a wide window every column is shown and there is no tab bar.
 *
 * The tab bar is an ARIA tablist (WAI-ARIA APG "Tabs with automatic activation"): Tab reaches
 * the selected tab only, the arrow keys (Home, End) move to the next one and show it, Tab
 * again goes into its view. What the person does elsewhere brings the view it needs to the
 * front: a file chosen (or made) in the list the editor's, a command the page starts the
 * terminal's.
 */
export class WorkspaceViewsController {
  /** The view a narrow window shows. */
  shown: WorkspaceView = 'code';

  constructor(
    private readonly host: LitElement & AppHost,
    private readonly narrow: NarrowWindowController,
  ) {
    listenOnHost(host, { [OpenFileEvent.eventName]: this.onFileChosen, [FileActionEvent.eventName]: this.onFileChosen });
  }

  /**
   * A command the page starts (Run, the panels' buttons, Import…, a restore) prints in the
   * terminal: its view comes to the front, the focus in it (the button that started it is hidden now).
   */
  showTerminal(): void {
    void this.reveal('code', () => this.host.terminal.focus());
  }

  /** A file chosen in the list, or made there, opens in the editor: its view comes to the front, the focus in it. */
  private readonly onFileChosen = (event: OpenFileEvent | FileActionEvent): void => {
    if (event instanceof FileActionEvent && event.detail.action !== 'create') return;
    void this.reveal('code', () => this.host.editor.focus());
  };

  /**
   * In a narrow window, shows `view` and then calls `focus` (what had the focus may be hidden
   * now). Nothing happens when it is shown already, nor in a wide window, where every view is.
   */
  async reveal(view: WorkspaceView, focus: () => void = () => {}): Promise<void> {
    if (!this.tabbed || this.shown === view) return;
    this.shown = view;
    this.host.requestUpdate();
    await this.host.updateComplete;
    focus();
  }

  /** Whether the views are tabs (a narrow window). */
  get tabbed(): boolean {
    return this.narrow.matches;
  }

  /** The element directive that makes an element the tabpanel of `view`: `<main ${views.panel('code')}>`. */
  panel(view: WorkspaceView) {
    return viewPanel(this, view);
  }

  /** The tab bar (its styles show it in a narrow window only). */
  renderTabs() {
    return html`<div part="views" role="tablist" aria-label="Workspace" @keydown=${(e: KeyboardEvent) => this.onKeyDown(e)}>
      ${VIEWS.map((v) => {
        const selected = v.id === this.shown;
        return html`<button
          role="tab"
          id="view-tab-${v.id}"
          aria-controls="view-${v.id}"
          aria-selected=${selected ? 'true' : 'false'}
          tabindex=${selected ? '0' : '-1'}
          @click=${() => void this.reveal(v.id)}
        >
          ${v.label}
        </button>`;
      })}
    </div>`;
  }

  /** Left and Right move along the tabs (wrapping around), Home and End to the first and last. */
  private onKeyDown(event: KeyboardEvent): void {
    const at = VIEWS.findIndex((v) => v.id === this.shown);
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: VIEWS.length - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const view = VIEWS[(next + VIEWS.length) % VIEWS.length]!.id;
    void this.reveal(view, () => this.host.renderRoot.querySelector<HTMLElement>(`#view-tab-${view}`)?.focus());
  }
}

/**
 * Names a view's element (`view-code`, ...) and makes it a tabpanel in a narrow window (role,
 * label); in a wide one it is a plain column of the workspace (<main> the page's main landmark).
 * Which view is displayed is the styles' business (`data-view` on the workspace).
 */
class ViewPanelDirective extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('views.panel() goes on an element: <main ${views.panel("code")}>');
  }

  render(_views: WorkspaceViewsController, _view: WorkspaceView) {
    return nothing;
  }

  override update(part: ElementPart, [views, view]: [WorkspaceViewsController, WorkspaceView]) {
    const element = part.element;
    element.id = `view-${view}`;
    for (const [name, value] of Object.entries({ role: 'tabpanel', 'aria-labelledby': `view-tab-${view}` })) {
      if (views.tabbed) element.setAttribute(name, value);
      else element.removeAttribute(name);
    }
    return noChange;
  }
}

const viewPanel = directive(ViewPanelDirective);
