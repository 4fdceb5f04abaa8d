/**
 * The lines entered at the prompt, oldest first, as bash keeps them for `history` and the
 * arrow keys. Blank lines and a repeat of the previous line are not kept (bash's
 * HISTCONTROL=ignoreboth, minus the leading-space rule).
 */
export class History {
  private readonly lines: string[];

  constructor(
    entries: readonly string[] = [],
    /** At most this many lines are kept (bash's HISTSIZE default). */
    private readonly limit = 500,
  ) {
    this.lines = entries.slice(-limit);
  }

  get entries(): readonly string[] {
    return this.lines;
  }

  /** Keeps `line` unless it is blank or repeats the last one; true when it was kept. */
  add(line: string): boolean {
    const text = line.replace(/\n+$/, '');
    if (text.trim() === '' || this.lines[this.lines.length - 1] === text) return false;
    this.lines.push(text);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
    return true;
  }

  clear(): void {
    this.lines.length = 0;
  }
}

/**
 * Where the arrow keys are in the history: `index` into the entries, or null when editing a new
 * line; `draft` is that new line, given back when Down passes the newest entry.
 */
export interface HistoryCursor {
  readonly index: number | null;
  readonly draft: string;
}

export const notBrowsing: HistoryCursor = { index: null, draft: '' };

export interface HistoryMove {
  readonly cursor: HistoryCursor;
  /** The line to show at the prompt. */
  readonly text: string;
}

/** Up: one line older. At the oldest line it stays there (bash rings the bell). */
export function historyUp(entries: readonly string[], cursor: HistoryCursor, currentText: string): HistoryMove {
  if (entries.length === 0) return { cursor, text: currentText };
  if (cursor.index === null) {
    const index = entries.length - 1;
    return { cursor: { index, draft: currentText }, text: entries[index]! };
  }
  const index = Math.max(0, cursor.index - 1);
  return { cursor: { ...cursor, index }, text: entries[index]! };
}

/** Down: one line newer; past the newest, the line that was being typed comes back. */
export function historyDown(entries: readonly string[], cursor: HistoryCursor, currentText: string): HistoryMove {
  if (cursor.index === null) return { cursor, text: currentText };
  const index = cursor.index + 1;
  if (index >= entries.length) return { cursor: notBrowsing, text: cursor.draft };
  return { cursor: { ...cursor, index }, text: entries[index]! };
}
