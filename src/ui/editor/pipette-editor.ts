import { LitElement, css, html } from 'lit';
import { EditorView, basicSetup } from 'codemirror';
import { keymap } from '@codemirror/view';
import { EditorState } from '@codemirror/state';
import { python } from '@codemirror/lang-python';
import { CodeChangeEvent, RunFileEvent } from '../events';

/**
 * A CodeMirror 6 Python editor with a Run button; Ctrl/Cmd+Enter runs too.
 *
 * Events: `pipette-run` (detail: { path, code }) when the person asks to run the file;
 *         `pipette-change` (detail: { path, code }) after edits (debounced by the listener).
 * Parts: `toolbar`, `run` (the Run button), `path` (the file name), `code` (the editor).
 */
export class PipetteEditor extends LitElement {
  static override styles = css`
    :host { display: flex; flex-direction: column; min-height: 0; background: #0f1419; }
    [part='toolbar'] { display: flex; gap: 0.5rem; align-items: center; padding: 0.35rem 0.75rem; background: #1a2029; border-bottom: 1px solid #2d3640; }
    [part='path'] { color: #8fa1b3; font: 0.85rem ui-monospace, monospace; flex: 1; }
    button { font: 600 0.85rem system-ui, sans-serif; background: #3572a5; color: #fff; border: 0; border-radius: 4px; padding: 0.3rem 0.8rem; cursor: pointer; }
    button:disabled { opacity: 0.5; cursor: default; }
    [part='code'] { flex: 1; overflow: auto; min-height: 0; }
    .cm-editor { height: 100%; font-size: 14px; }
  `;

  static override properties = {
    path: { type: String },
    busy: { type: Boolean },
  };
  declare path: string;
  declare busy: boolean;
  private view: EditorView | null = null;

  constructor() {
    super();
    this.path = 'main.py';
    this.busy = false;
  }

  get code(): string {
    return this.view?.state.doc.toString() ?? '';
  }

  /** Replaces the document (opening another file). */
  setCode(code: string, path: string = this.path): void {
    this.path = path;
    this.view?.setState(this.createState(code));
  }

  override firstUpdated(): void {
    this.view = new EditorView({ state: this.createState(''), parent: this.renderRoot.querySelector('[part="code"]')! });
  }

  private createState(doc: string): EditorState {
    return EditorState.create({
      doc,
      extensions: [
        keymap.of([{ key: 'Mod-Enter', run: () => (this.run(), true) }]),
        basicSetup,
        python(),
        EditorView.theme({ '&': { color: '#e6e1cf', backgroundColor: '#0f1419' }, '.cm-gutters': { backgroundColor: '#141a21', color: '#5c6773', border: 'none' }, '.cm-content': { caretColor: '#ffd43b' }, '.cm-activeLine': { backgroundColor: '#151b22' } }, { dark: true }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) this.dispatchEvent(new CodeChangeEvent(this.path, this.code));
        }),
      ],
    });
  }

  /** The focus goes to the text (the caret where it was). */
  override focus(): void {
    this.view?.focus();
  }

  run(): void {
    if (this.busy) return;
    this.dispatchEvent(new RunFileEvent(this.path, this.code));
  }

  protected override render() {
    return html`
      <div part="toolbar">
        <span part="path">${this.path}</span>
        <button part="run" title="Run (Ctrl+Enter)" ?disabled=${this.busy} @click=${() => this.run()}>▶ Run</button>
      </div>
      <div part="code"></div>
    `;
  }
}
