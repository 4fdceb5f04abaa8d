/**
 * The prompt line being typed: its text and cursor, edited by keys, and redrawn on the terminal
 * with a few ANSI sequences. Pure, so the keys' effects are tested without a browser.
 */
export interface LineState {
  readonly text: string;
  /** Cursor position in code units, 0..text.length. */
  readonly cursor: number;
}

export const emptyLine: LineState = { text: '', cursor: 0 };

export type EditKey =
  | { readonly kind: 'insert'; readonly text: string }
  | { readonly kind: 'backspace' | 'delete' | 'left' | 'right' | 'home' | 'end' | 'kill-to-start' | 'kill-to-end' | 'delete-word' };

export function applyKey(state: LineState, key: EditKey): LineState {
  const { text, cursor } = state;
  switch (key.kind) {
    case 'insert':
      return { text: text.slice(0, cursor) + key.text + text.slice(cursor), cursor: cursor + key.text.length };
    case 'backspace':
      return cursor === 0 ? state : { text: text.slice(0, cursor - 1) + text.slice(cursor), cursor: cursor - 1 };
    case 'delete':
      return cursor === text.length ? state : { text: text.slice(0, cursor) + text.slice(cursor + 1), cursor };
    case 'left':
      return { text, cursor: Math.max(0, cursor - 1) };
    case 'right':
      return { text, cursor: Math.min(text.length, cursor + 1) };
    case 'home':
      return { text, cursor: 0 };
    case 'end':
      return { text, cursor: text.length };
    case 'kill-to-start':
      return { text: text.slice(cursor), cursor: 0 };
    case 'kill-to-end':
      return { text: text.slice(0, cursor), cursor };
    case 'delete-word': {
      // Ctrl+W: back over spaces, then over the word before the cursor (readline's unix-word-rubout).
      let start = cursor;
      while (start > 0 && text[start - 1] === ' ') start--;
      while (start > 0 && text[start - 1] !== ' ') start--;
      return { text: text.slice(0, start) + text.slice(cursor), cursor: start };
    }
  }
}

/**
 * Translates what xterm.js reports as typed (`onData`: characters and escape sequences) into
 * edit keys and control actions.
 */
export type InputAction =
  | EditKey
  | { readonly kind: 'submit' | 'interrupt' | 'history-up' | 'history-down' | 'complete' | 'clear-screen' | 'eof' };

const SEQUENCES: Record<string, InputAction> = {
  '\r': { kind: 'submit' },
  '\x7f': { kind: 'backspace' },
  '\b': { kind: 'backspace' },
  '\x1b[3~': { kind: 'delete' },
  '\x1b[D': { kind: 'left' },
  '\x1b[C': { kind: 'right' },
  '\x1b[A': { kind: 'history-up' },
  '\x1b[B': { kind: 'history-down' },
  '\x1b[H': { kind: 'home' },
  '\x1b[F': { kind: 'end' },
  '\x1bOH': { kind: 'home' },
  '\x1bOF': { kind: 'end' },
  '\x01': { kind: 'home' },
  '\x05': { kind: 'end' },
  '\x03': { kind: 'interrupt' },
  '\x04': { kind: 'eof' },
  '\t': { kind: 'complete' },
  '\x0c': { kind: 'clear-screen' },
  '\x15': { kind: 'kill-to-start' },
  '\x0b': { kind: 'kill-to-end' },
  '\x17': { kind: 'delete-word' },
};

/**
 * Splits what xterm.js reports in one go (a paste, typeahead) after each Enter, so that each
 * line reaches whatever is reading when it arrives: the shell's prompt, then the program the
 * first line started (the Python REPL's `>>>`, a `Proceed (Y/n)?`), then the shell again.
 * Escape sequences and single keys stay whole. Ex) `'python\rprint(1)\r'` -> `['python\r', 'print(1)\r']`
 */
export function splitAtEnter(data: string): string[] {
  if (SEQUENCES[data] || data.length <= 1) return [data];
  const chunks: string[] = [];
  let start = 0;
  const text = data.replace(/\r\n/g, '\r');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r' || text[i] === '\n') {
      chunks.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks;
}

export function parseInput(data: string): InputAction[] {
  const known = SEQUENCES[data];
  if (known) return [known];
  // Pasted text (possibly several lines) or plain typing: printable runs insert, newlines submit.
  const actions: InputAction[] = [];
  let run = '';
  for (const ch of data.replace(/\r\n/g, '\r').replace(/\n/g, '\r')) {
    if (ch === '\r') {
      if (run) actions.push({ kind: 'insert', text: run });
      run = '';
      actions.push({ kind: 'submit' });
    } else if (ch >= ' ' || ch === '\t') run += ch === '\t' ? ' ' : ch;
  }
  if (run) actions.push({ kind: 'insert', text: run });
  return actions;
}

/** Where the cursor sits, in rows below the first row of the prompt (wrapping at `columns`). */
export interface DrawnLine {
  readonly cursorRow: number;
  /** The cursor was moved to the start of a row below the text (the text filled its last row). */
  readonly pastEnd?: boolean;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * ANSI that redraws `prompt + text` in place of what was drawn before, also when the line wraps
 * past the terminal's width: back up to the prompt's first row, clear to the end of the screen,
 * write it all, then put the cursor where it belongs. (Redrawing only the current row, as a
 * short line allows, would leave a copy of a wrapped line on every keystroke.)
 */
export function redraw(prompt: string, state: LineState, columns: number, previous: DrawnLine = { cursorRow: 0 }): { ansi: string; drawn: DrawnLine } {
  const cols = Math.max(1, columns);
  const start = prompt.replace(ANSI, '').length;
  const total = start + state.text.length;
  // After writing, the cursor is on the last row; when the text fills it exactly, xterm keeps the
  // cursor on that row (pending wrap) rather than the next.
  const endRow = total > 0 && total % cols === 0 ? total / cols - 1 : Math.floor(total / cols);
  const at = start + state.cursor;
  const cursorRow = Math.floor(at / cols);
  const up = (n: number): string => (n > 0 ? `\x1b[${n}A` : '');
  // A cursor just past a full last row goes down to the next row (a line feed ends pending wrap).
  const toRow = cursorRow > endRow ? '\r\n' : `${up(endRow - cursorRow)}\r`;
  const ansi = `${up(previous.cursorRow)}\r\x1b[J${prompt}${state.text}${toRow}${at % cols > 0 ? `\x1b[${at % cols}C` : ''}`;
  return { ansi, drawn: cursorRow > endRow ? { cursorRow, pastEnd: true } : { cursorRow } };
}
