import { LitElement, css, html, unsafeCSS } from 'lit';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { escapeTerminalText } from '../../pep';
import { applyKey, emptyLine, parseInput, redraw, type DrawnLine, type LineState } from './line-editor';

/** What the terminal drives: the shell in the runtime worker, reached through the client. */
export interface TerminalBackend {
  /** The prompt to show now, e.g. `(venv) ~/project$ `. */
  prompt(): Promise<string>;
  /** Runs one command line; output is written as it comes; resolves to the exit code. */
  run(line: string, write: (text: string, stream: 'stdout' | 'stderr') => void): Promise<number>;
  /** Runs one command given as argv (never parsed as shell text); as `run` otherwise. */
  runArgv(argv: readonly string[], write: (text: string, stream: 'stdout' | 'stderr') => void): Promise<number>;
  /** Ctrl+C while a command runs. */
  interrupt(): void;
  /** Tab completion at `cursor`: the candidates and where the word being completed starts. */
  complete(line: string, cursor: number): Promise<{ readonly replaceFrom: number; readonly candidates: readonly string[] }>;
}

/**
 * An xterm.js terminal with a line editor: history on the arrow keys, tab completion, Ctrl+C,
 * Ctrl+L, and the screen-reader mode xterm offers, resizing with its box.
 *
 * Events: `pipette-command` (detail: { line, exitCode }) after each command.
 * Parts: `screen` (the terminal's box).
 */
export class PipetteTerminal extends LitElement {
  static override styles = [
    unsafeCSS(xtermCss),
    css`
      :host { display: block; min-height: 0; }
      [part='screen'] { height: 100%; padding: 0.25rem 0.5rem; box-sizing: border-box; background: #0f1419; border-top: 1px solid #2d3640; }
    `,
  ];

  static override properties = { backend: { attribute: false } };
  declare backend: TerminalBackend | null;

  private terminal: Terminal | null = null;
  private fit: FitAddon | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private line: LineState = emptyLine;
  private prompt = '$ ';
  private running = false;
  /** Where the cursor was left by the last redraw (rows below the prompt's first row). */
  private drawn: DrawnLine = { cursorRow: 0 };
  /** Keys typed while a command runs (and not read by input()): replayed at the next prompt, as a shell's typeahead. */
  private typeahead: string[] = [];
  /** Set while the next prompt or a completion is being fetched: keys go to typeahead so none is lost or reordered. */
  private prompting = false;
  private readonly history: string[] = [];
  /** Set while a running program waits for `input()`: the typed line resolves it. */
  private inputRequest: { resolve: (line: string | null) => void; text: string } | null = null;
  private historyIndex = 0;
  private draft = '';

  constructor() {
    super();
    this.backend = null;
  }

  override firstUpdated(): void {
    const screen = this.renderRoot.querySelector<HTMLElement>('[part="screen"]')!;
    const terminal = new Terminal({
      convertEol: true,
      cursorBlink: true,
      screenReaderMode: true,
      fontFamily: 'ui-monospace, Menlo, Consolas, monospace',
      fontSize: 14,
      theme: { background: '#0f1419', foreground: '#e6e1cf', cursor: '#ffd43b' },
    });
    this.fit = new FitAddon();
    terminal.loadAddon(this.fit);
    terminal.open(screen);
    this.fit.fit();
    this.resizeObserver = new ResizeObserver(() => this.fit?.fit());
    this.resizeObserver.observe(screen);
    terminal.onData((data) => void this.onData(data));
    this.terminal = terminal;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.terminal?.dispose();
  }

  /** Writes text (a banner, a notice) above the prompt line. */
  print(text: string): void {
    this.terminal?.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Shows a fresh prompt; called once the backend is ready. */
  async showPrompt(): Promise<void> {
    if (!this.backend || !this.terminal) return;
    this.prompting = true;
    try {
      this.prompt = await this.backend.prompt();
    } finally {
      this.prompting = false;
    }
    // The prompt starts on a fresh row: whatever the command printed last stays above it.
    this.drawn = { cursorRow: 0 };
    this.draw();
    // Replayed one keystroke (or paste) at a time, as typed: joined, a Tab would read as pasted text.
    const pending = this.typeahead;
    this.typeahead = [];
    for (const data of pending) await this.onData(data);
  }

  /** Redraws the prompt and the line being typed, wrapped lines included. */
  private draw(): void {
    if (!this.terminal) return;
    const { ansi, drawn } = redraw(this.prompt, this.line, this.terminal.cols, this.drawn);
    this.terminal.write(ansi);
    this.drawn = drawn;
  }

  /** The whole screen and scrollback as text: what the person can read (used by tests too). */
  text(): string {
    const buffer = this.terminal?.buffer.active;
    if (!buffer) return '';
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) {
      const line = buffer.getLine(i);
      if (!line) continue;
      const text = line.translateToString(true);
      if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
      else lines.push(text);
    }
    return lines.join('\n').replace(/\n+$/, '');
  }

  clearScreen(): void {
    this.terminal?.clear();
  }

  /**
   * A line typed while a program runs (Python's `input()`): echoed as typed, Enter ends it;
   * Ctrl+D or Ctrl+C gives null (end of input).
   */
  readLine(): Promise<string | null> {
    this.focus();
    return new Promise((resolve) => {
      this.inputRequest = { resolve, text: '' };
    });
  }

  override focus(): void {
    this.terminal?.focus();
  }

  /**
   * Runs work that is not a typed line (restoring a shared environment) as if it were one: a
   * `# label` line, its output, then the prompt. Resolves to the task's exit status.
   */
  async runTask(label: string, task: (write: (text: string) => void) => Promise<number>): Promise<number> {
    const terminal = this.terminal;
    if (!terminal || this.running) return 1;
    this.running = true;
    terminal.write(`\r\x1b[K\x1b[2m# ${label}\x1b[0m\n`);
    let status = 1;
    try {
      status = await task((text) => terminal.write(text));
    } catch (e) {
      terminal.write(`\x1b[31m${escapeTerminalText(e instanceof Error ? e.message : String(e))}\x1b[0m\n`);
    } finally {
      this.running = false;
    }
    this.dispatchEvent(new CustomEvent('pipette-command', { detail: { line: `# ${label}`, exitCode: status }, bubbles: true, composed: true }));
    await this.showPrompt();
    return status;
  }

  /**
   * Runs a command the page built (Import…, Run, the panels' buttons) as argv: `shown` (the
   * shell-quoted line, see quoteArgv) is drawn at the prompt for the person to read and
   * recall from the history, but what runs is `argv` itself, so a name in it is never read as
   * shell syntax.
   */
  async runCommand(argv: readonly string[], shown: string): Promise<void> {
    if (this.running || argv.length === 0) return;
    this.line = { text: shown, cursor: shown.length };
    this.draw();
    await this.submit((write) => this.backend!.runArgv(argv, write));
  }

  private async onData(data: string): Promise<void> {
    const terminal = this.terminal;
    if (!terminal || !this.backend) return;
    if ((this.running && !this.inputRequest && data !== '\x03') || this.prompting) {
      this.typeahead.push(data);
      return;
    }
    for (const action of parseInput(data)) {
      if (this.running) {
        if (this.inputRequest) this.editInput(action);
        else if (action.kind === 'interrupt') {
          terminal.write('^C\n');
          this.backend.interrupt();
        }
        continue;
      }
      switch (action.kind) {
        case 'submit':
          await this.submit();
          break;
        case 'interrupt':
          terminal.write('^C\n');
          this.line = emptyLine;
          this.draw();
          break;
        case 'history-up':
        case 'history-down':
          this.navigateHistory(action.kind === 'history-up' ? -1 : 1);
          break;
        case 'complete':
          await this.completeAtCursor();
          break;
        case 'clear-screen':
          terminal.clear();
          this.draw();
          break;
        case 'eof':
          break;
        default:
          this.line = applyKey(this.line, action);
          this.draw();
      }
    }
  }

  /** Typing for `input()`: append, erase, and Enter / Ctrl+D / Ctrl+C to finish. */
  private editInput(action: ReturnType<typeof parseInput>[number]): void {
    const request = this.inputRequest!;
    const terminal = this.terminal!;
    if (action.kind === 'insert') {
      request.text += action.text;
      terminal.write(action.text);
    } else if (action.kind === 'backspace' && request.text.length > 0) {
      request.text = request.text.slice(0, -1);
      terminal.write('\b \b');
    } else if (action.kind === 'submit' || action.kind === 'eof' || action.kind === 'interrupt') {
      this.inputRequest = null;
      terminal.write(action.kind === 'interrupt' ? '^C\n' : '\n');
      request.resolve(action.kind === 'submit' ? request.text : null);
      if (action.kind === 'interrupt') this.backend?.interrupt();
    }
  }

  /** Ends the line being edited and runs it (or `run`, for a command given as argv). */
  private async submit(run?: (write: (chunk: string) => void) => Promise<number>): Promise<void> {
    const terminal = this.terminal!;
    const text = this.line.text;
    // To the end of the (possibly wrapped) line, then a new row for the command's output.
    this.line = { text, cursor: text.length };
    this.draw();
    this.line = emptyLine;
    if (!this.drawn.pastEnd) terminal.write('\n');
    if (text.trim()) {
      this.history.push(text);
    }
    this.historyIndex = this.history.length;
    this.draft = '';
    this.running = true;
    let exitCode = 0;
    try {
      const write = (chunk: string): void => terminal.write(chunk);
      exitCode = await (run ? run(write) : this.backend!.run(text, write));
    } catch (e) {
      terminal.write(`\x1b[31m${escapeTerminalText(e instanceof Error ? e.message : String(e))}\x1b[0m\n`);
      exitCode = 1;
    } finally {
      this.running = false;
    }
    this.dispatchEvent(new CustomEvent('pipette-command', { detail: { line: text, exitCode }, bubbles: true, composed: true }));
    await this.showPrompt();
  }

  private navigateHistory(step: -1 | 1): void {
    if (this.history.length === 0) return;
    if (this.historyIndex === this.history.length) this.draft = this.line.text;
    const next = Math.min(this.history.length, Math.max(0, this.historyIndex + step));
    if (next === this.historyIndex) return;
    this.historyIndex = next;
    const text = next === this.history.length ? this.draft : this.history[next]!;
    this.line = { text, cursor: text.length };
    this.draw();
  }

  private async completeAtCursor(): Promise<void> {
    this.prompting = true;
    try {
      await this.completeNow();
    } finally {
      this.prompting = false;
    }
    // Replayed one keystroke (or paste) at a time, as typed: joined, a Tab would read as pasted text.
    const pending = this.typeahead;
    this.typeahead = [];
    for (const data of pending) await this.onData(data);
  }

  private async completeNow(): Promise<void> {
    const { replaceFrom, candidates } = await this.backend!.complete(this.line.text, this.line.cursor);
    if (candidates.length === 0) return;
    const typed = this.line.text.slice(replaceFrom, this.line.cursor);
    const common = commonPrefix(candidates);
    if (candidates.length === 1 || common.length > typed.length) {
      const insert = candidates.length === 1 ? `${candidates[0]!}${candidates[0]!.endsWith('/') ? '' : ' '}` : common;
      this.line = { text: this.line.text.slice(0, replaceFrom) + insert + this.line.text.slice(this.line.cursor), cursor: replaceFrom + insert.length };
      this.draw();
      return;
    }
    // Several candidates and nothing more in common: list them under the line, as bash does.
    this.terminal!.write(`\n${escapeTerminalText(candidates.join('  '))}\n`);
    this.draw();
  }

  protected override render() {
    return html`<div part="screen"></div>`;
  }
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let prefix = words[0]!;
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
