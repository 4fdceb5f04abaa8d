// Over 400 lines: one Lit element driving xterm's line editing; its handlers share the edit state.
import { LitElement, css, html, unsafeCSS } from 'lit';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import xtermCss from '@xterm/xterm/css/xterm.css?inline';
import { escapeTerminalText } from '../../pep';
import { History, historyDown, historyUp, notBrowsing, type HistoryCursor, type LineAnswer, type LineRequest } from '../../runtime';
import { CommandEndEvent } from '../events';
import { applyKey, emptyLine, parseInput, redraw, splitAtEnter, type DrawnLine, type InputAction, type LineState } from './line-editor';

/** Which completer Tab asks: the shell's (commands, paths, pip) or Python's (rlcompleter, at the REPL). */
export type CompletionKind = 'shell' | 'python';

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
  complete(line: string, cursor: number, kind: CompletionKind): Promise<{ readonly replaceFrom: number; readonly candidates: readonly string[] }>;
  /** The line at the shell's prompt changed (typed, not yet run): a hint, never awaited. */
  typing?(line: string): void;
}

/** Where the lines typed at the shell's prompt are kept across reloads. */
export interface HistoryStore {
  load(): readonly string[];
  save(lines: readonly string[]): void;
}

/** The padding above the text (see snapToPixels). */
const BASE_PADDING_PX = 4;

/** A line being typed at a prompt: the shell's, or one a running program asked for. */
interface Editing {
  readonly kind: 'shell' | LineRequest['kind'];
  readonly history: History;
  /** Where the arrow keys are in `history` (shell/history.ts). */
  cursor: HistoryCursor;
  /** Set for a program's request: resolves with what was typed. */
  readonly resolve?: (answer: LineAnswer) => void;
}

/**
 * An xterm.js terminal with a line editor: history on the arrow keys, tab completion, Ctrl+C,
 * Ctrl+L, and the screen-reader mode xterm offers, resizing with its box; Shift+Tab moves the
 * focus out of it. The same editor serves the shell's prompt and the prompts of the programs it
 * runs (the Python REPL's `>>>`, pip's `Proceed (Y/n)?`); a program's `input()` gets a plain line.
 *
 * Events: `pipette-command` (detail: { line, exitCode }) after each command.
 * Parts: `screen` (the terminal's box).
 */
export class PipetteTerminal extends LitElement {
  static override styles = [
    unsafeCSS(xtermCss),
    css`
      :host { display: block; min-height: 0; border-top: 1px solid #2d3640; background: #0f1419; }
      [part='screen'] { height: 100%; padding: 0 0.5rem; box-sizing: border-box; background: #0f1419; }
      /* The space above and below the rows is padding of xterm's own element, which FitAddon
         takes off the box's height; on the box (or a border there) it was counted as room for
         rows, and the last row could hang below the box, cut off (3 px at 390x844). */
      .xterm { padding: 4px 0 0.25rem; }
      /* xterm.css paints its scrolling layer black; it shows in that padding. */
      .xterm .xterm-viewport { background-color: #0f1419; }
    `,
  ];

  static override properties = { backend: { attribute: false } };
  declare backend: TerminalBackend | null;
  private store: HistoryStore | null = null;

  private terminal: Terminal | null = null;
  private fit: FitAddon | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private line: LineState = emptyLine;
  private prompt = '$ ';
  private running = false;
  /** Where the cursor was left by the last redraw (rows below the prompt's first row). */
  private drawn: DrawnLine = { cursorRow: 0 };
  /** Keys typed while nothing reads them (a command runs): replayed at the next prompt, as a shell's typeahead. */
  private typeahead: string[] = [];
  /** Set while the next prompt or a completion is being fetched: keys go to typeahead so none is lost or reordered. */
  private prompting = false;
  private shellHistory = new History();
  private readonly pythonHistory = new History();
  /** The line being edited: the shell's prompt (when no command runs) or a program's request. */
  private editing: Editing | null = null;
  /** Set while a running program waits for `input()`: the typed line resolves it. */
  private inputRequest: { resolve: (answer: LineAnswer) => void; text: string } | null = null;

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
      fontFamily: 'ui-monospace, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 14,
      // With a line height of 1 the DOM renderer's rows are exactly the font size's cell, and
      // the underscore (drawn below the baseline, in the font's descent) falls outside the row,
      // which clips it: `a_b` reads `a b` at a device pixel ratio of 1 (xterm.js #3353, VS
      // Code #35901). 1.2 leaves room under the baseline at every ratio
      // (test/e2e/terminal-glyphs.test.ts measures it).
      lineHeight: 1.2,
      theme: { background: '#0f1419', foreground: '#e6e1cf', cursor: '#ffd43b' },
    });
    this.fit = new FitAddon();
    terminal.loadAddon(this.fit);
    terminal.open(screen);
    const element = terminal.element!;
    this.snapToPixels(element);
    this.fit.fit();
    this.resizeObserver = new ResizeObserver(() => {
      this.snapToPixels(element);
      this.fit?.fit();
    });
    this.resizeObserver.observe(screen);
    // Shift+Tab leaves the terminal, back to the editor and the tab bar, as it leaves a form
    // field: Tab completes here, so without it a keyboard alone could not get out (WCAG 2.1.2, no
    // keyboard trap). xterm would send `\x1b[Z`, which the line editor has no action for
    // (it typed `[Z` into the line).
    terminal.attachCustomKeyEventHandler((e) => !(e.key === 'Tab' && e.shiftKey));
    terminal.onData((data) => void this.onData(data));
    this.terminal = terminal;
  }

  /**
   * Puts the text's first row on a whole device pixel. The page's grid gives the terminal a
   * fractional top (`2fr`/`3fr` rows), and a glyph drawn at a fractional offset is smeared over
   * two pixel rows: at a device pixel ratio of 1 the one-pixel underscore becomes a faint grey
   * line (`a_b` reads `a b`). The top padding of xterm's element absorbs the fraction.
   */
  private snapToPixels(element: HTMLElement): void {
    const ratio = window.devicePixelRatio || 1;
    const top = (element.getBoundingClientRect().top + BASE_PADDING_PX) * ratio;
    const padding = `${BASE_PADDING_PX + (Math.ceil(top - 0.001) - top) / ratio}px`;
    if (element.style.paddingTop !== padding) element.style.paddingTop = padding;
  }

  /** Where the shell's history is kept across reloads; its lines come back on the arrow keys. */
  set historyStore(store: HistoryStore | null) {
    this.store = store;
    const saved = store?.load() ?? [];
    this.shellHistory = new History(saved.filter((l) => typeof l === 'string' && l.trim() !== ''));
  }

  get historyStore(): HistoryStore | null {
    return this.store;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.terminal?.dispose();
  }

  /** The lines entered at the shell's prompt, oldest first. */
  get history(): readonly string[] {
    return this.shellHistory.entries;
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
      await this.startRow();
    } finally {
      this.prompting = false;
    }
    this.editing = { kind: 'shell', history: this.shellHistory, cursor: notBrowsing };
    this.line = emptyLine;
    this.draw();
    await this.replayTypeahead();
  }

  /**
   * A running program's prompt (the REPL's `>>> `, pip's `Proceed (Y/n)? `): the line is edited
   * like the shell's (with its own history for Python) and resolves on Enter, Ctrl+D on an empty
   * line (end of input) or Ctrl+C.
   */
  async readPromptedLine(request: LineRequest): Promise<LineAnswer> {
    if (!this.terminal) return { kind: 'eof' };
    this.focus();
    const answer = new Promise<LineAnswer>((resolve) => {
      // An answer to a question has no history of its own: the arrow keys find nothing.
      const history = request.kind === 'python' ? this.pythonHistory : new History();
      this.editing = { kind: request.kind, history, cursor: notBrowsing, resolve };
    });
    this.prompting = true;
    try {
      await this.startRow();
    } finally {
      this.prompting = false;
    }
    this.prompt = request.prompt;
    this.line = emptyLine;
    this.draw();
    await this.replayTypeahead();
    return answer;
  }

  /**
   * Prompts start at the left edge: after output that did not end its line (`echo -n hi`,
   * `print(x, end="")`) the prompt goes on the next row instead of over it, as zsh does.
   */
  private async startRow(): Promise<void> {
    const terminal = this.terminal!;
    await new Promise<void>((resolve) => terminal.write('', resolve));
    if (terminal.buffer.active.cursorX > 0) terminal.write('\r\n');
    this.drawn = { cursorRow: 0 };
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
   * Ctrl+D is end of input, Ctrl+C an interrupt (KeyboardInterrupt raised from input()).
   */
  readLine(): Promise<LineAnswer> {
    this.focus();
    return new Promise((resolve) => {
      this.inputRequest = { resolve, text: '' };
      void this.replayTypeahead();
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
    this.editing = null;
    terminal.write(`\r\x1b[K\x1b[2m# ${label}\x1b[0m\n`);
    let status = 1;
    try {
      status = await task((text) => terminal.write(text));
    } catch (e) {
      terminal.write(`\x1b[31m${escapeTerminalText(e instanceof Error ? e.message : String(e))}\x1b[0m\n`);
    } finally {
      this.running = false;
    }
    this.dispatchEvent(new CommandEndEvent(`# ${label}`, status));
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
    if (this.running || this.editing?.kind !== 'shell' || argv.length === 0) return;
    this.line = { text: shown, cursor: shown.length };
    this.draw();
    await this.submit((write) => this.backend!.runArgv(argv, write));
  }

  private async onData(data: string): Promise<void> {
    if (!this.terminal || !this.backend) return;
    for (const chunk of splitAtEnter(data)) await this.onChunk(chunk);
  }

  private async replayTypeahead(): Promise<void> {
    // Replayed one keystroke (or pasted line) at a time, as typed: joined, a Tab would read as pasted text.
    const pending = this.typeahead;
    this.typeahead = [];
    for (let i = 0; i < pending.length; i++) {
      await this.onChunk(pending[i]!);
      // A line that started something (a command, a REPL statement): the rest waits for the next prompt.
      if (!this.editing && !this.inputRequest) {
        this.typeahead = [...pending.slice(i + 1), ...this.typeahead];
        return;
      }
    }
  }

  private async onChunk(data: string): Promise<void> {
    const terminal = this.terminal!;
    const reading = this.editing !== null || this.inputRequest !== null;
    if (this.prompting || (!reading && !(this.running && data === '\x03'))) {
      this.typeahead.push(data);
      return;
    }
    for (const action of parseInput(data)) {
      if (this.inputRequest) {
        this.editInput(action);
        continue;
      }
      if (!this.editing) {
        if (this.running && action.kind === 'interrupt') {
          terminal.write('^C\n');
          this.backend!.interrupt();
        }
        continue;
      }
      await this.edit(this.editing, action);
    }
  }

  /** One key at a prompt: the shell's, or a program's. */
  private async edit(editing: Editing, action: InputAction): Promise<void> {
    const terminal = this.terminal!;
    switch (action.kind) {
      case 'submit':
        if (editing.resolve) this.answer(editing, { kind: 'line', text: this.line.text });
        else void this.submit();
        return;
      case 'interrupt':
        terminal.write('^C\n');
        if (editing.resolve) {
          this.answer(editing, { kind: 'interrupt' }, false);
          return;
        }
        this.line = emptyLine;
        this.drawn = { cursorRow: 0 };
        this.draw();
        return;
      case 'eof':
        // readline: Ctrl+D ends the input on an empty line, deletes the character under the cursor otherwise.
        if (this.line.text !== '') {
          this.line = applyKey(this.line, { kind: 'delete' });
          this.draw();
        } else if (editing.resolve) this.answer(editing, { kind: 'eof' });
        return;
      case 'history-up':
      case 'history-down':
        this.navigateHistory(editing, action.kind === 'history-up' ? 'up' : 'down');
        return;
      case 'complete':
        if (editing.kind === 'answer') return;
        await this.completeAtCursor(editing.kind);
        return;
      case 'clear-screen':
        terminal.clear();
        this.draw();
        return;
      default:
        this.line = applyKey(this.line, action);
        this.draw();
        if (editing.kind === 'shell' && action.kind === 'insert') this.backend?.typing?.(this.line.text);
    }
  }

  /** Ends a program's request: the line stays on screen, the cursor goes below it. */
  private answer(editing: Editing, answer: LineAnswer, newline = true): void {
    const text = this.line.text;
    this.line = { text, cursor: text.length };
    if (newline) {
      this.draw();
      if (!this.drawn.pastEnd) this.terminal!.write('\n');
    }
    this.line = emptyLine;
    if (answer.kind === 'line' && editing.kind === 'python') editing.history.add(text);
    this.editing = null;
    editing.resolve!(answer);
  }

  /** Typing for `input()`: append, erase, and Enter / Ctrl+D / Ctrl+C to finish. */
  private editInput(action: InputAction): void {
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
      // Ctrl+C travels with the answer, not as a Ctrl+C of its own: Python raises KeyboardInterrupt
      // from input() as a terminal's does, once. Sent both ways it arrived twice, the second
      // landing inside the printing of the first's traceback.
      request.resolve(action.kind === 'submit' ? { kind: 'line', text: request.text } : { kind: action.kind });
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
    this.editing = null;
    if (!this.drawn.pastEnd) terminal.write('\n');
    if (this.shellHistory.add(text)) this.store?.save(this.shellHistory.entries);
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
      // A program's prompt left unanswered when it ended (it was stopped): nobody reads it now.
      const left = this.editing as Editing | null;
      if (left?.resolve) this.answer(left, { kind: 'eof' }, false);
    }
    this.dispatchEvent(new CommandEndEvent(text, exitCode));
    await this.showPrompt();
  }

  private navigateHistory(editing: Editing, step: 'up' | 'down'): void {
    const move = (step === 'up' ? historyUp : historyDown)(editing.history.entries, editing.cursor, this.line.text);
    // At either end the line stays as it is (bash rings the bell): nothing to redraw.
    if (move.cursor.index === editing.cursor.index) return;
    editing.cursor = move.cursor;
    this.line = { text: move.text, cursor: move.text.length };
    this.draw();
  }

  private async completeAtCursor(kind: CompletionKind): Promise<void> {
    // At the REPL, Tab before any code indents (rlcompleter's answer for blank text is a tab).
    if (kind === 'python' && this.line.text.slice(0, this.line.cursor).trim() === '') {
      this.line = applyKey(this.line, { kind: 'insert', text: '    ' });
      this.draw();
      return;
    }
    this.prompting = true;
    try {
      await this.completeNow(kind);
    } finally {
      this.prompting = false;
    }
    await this.replayTypeahead();
  }

  private async completeNow(kind: CompletionKind): Promise<void> {
    const editing = this.editing;
    const { replaceFrom, candidates } = await this.backend!.complete(this.line.text, this.line.cursor, kind);
    // The line was given up meanwhile (the program ended): nothing to complete any more.
    if (this.editing !== editing || candidates.length === 0) return;
    const typed = this.line.text.slice(replaceFrom, this.line.cursor);
    const common = commonPrefix(candidates);
    if (candidates.length === 1 || common.length > typed.length) {
      // The shell ends a whole word with a space; Python's candidates carry their own ending (`print(`).
      const single = candidates[0]!;
      const insert = candidates.length === 1 ? `${single}${kind === 'shell' && !single.endsWith('/') ? ' ' : ''}` : common;
      this.line = { text: this.line.text.slice(0, replaceFrom) + insert + this.line.text.slice(this.line.cursor), cursor: replaceFrom + insert.length };
      this.draw();
      return;
    }
    // Several candidates and nothing more in common: list them under the line, as bash does.
    this.terminal!.write(`\n${escapeTerminalText(candidates.join('  '))}\n`);
    this.drawn = { cursorRow: 0 };
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
