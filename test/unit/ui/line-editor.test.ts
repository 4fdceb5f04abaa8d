import { expect, test } from 'vitest';
import { applyKey, emptyLine, parseInput, redraw, splitAtEnter, type EditKey, type LineState } from '../../../src/ui/terminal/line-editor';

function type(keys: readonly EditKey[], from: LineState = emptyLine): LineState {
  return keys.reduce(applyKey, from);
}

test('typing, moving and deleting edit the line at the cursor', () => {
  const state = type([{ kind: 'insert', text: 'pip instal' }, { kind: 'insert', text: 'l' }, { kind: 'home' }, { kind: 'delete' }, { kind: 'insert', text: 'P' }, { kind: 'end' }, { kind: 'backspace' }]);
  expect(state).toEqual({ text: 'Pip instal', cursor: 10 });
  expect(type([{ kind: 'left' }, { kind: 'left' }, { kind: 'kill-to-end' }], { text: 'abcdef', cursor: 6 })).toEqual({ text: 'abcd', cursor: 4 });
  expect(type([{ kind: 'delete-word' }], { text: 'pip install requests', cursor: 20 })).toEqual({ text: 'pip install ', cursor: 12 });
  expect(type([{ kind: 'kill-to-start' }], { text: 'pip install', cursor: 4 })).toEqual({ text: 'install', cursor: 0 });
  // Edges are no-ops, not errors.
  expect(type([{ kind: 'backspace' }, { kind: 'left' }], emptyLine)).toEqual(emptyLine);
});

test("xterm's input becomes actions: keys, control characters, pasted lines", () => {
  expect(parseInput('\x1b[A')).toEqual([{ kind: 'history-up' }]);
  expect(parseInput('\x03')).toEqual([{ kind: 'interrupt' }]);
  expect(parseInput('\t')).toEqual([{ kind: 'complete' }]);
  expect(parseInput('pip list\npip freeze')).toEqual([{ kind: 'insert', text: 'pip list' }, { kind: 'submit' }, { kind: 'insert', text: 'pip freeze' }]);
});

test('the redraw puts the cursor back where it is in the line', () => {
  expect(redraw('$ ', { text: 'abc', cursor: 1 }, 80).ansi).toBe('\r\x1b[J$ abc\r\x1b[3C');
  expect(redraw('$ ', { text: 'abc', cursor: 3 }, 80)).toEqual({ ansi: '\r\x1b[J$ abc\r\x1b[5C', drawn: { cursorRow: 0 } });
});

test('a line wider than the terminal is redrawn from its first row, not copied on every key', () => {
  // 10 columns: "$ " + 12 characters = 14 cells, two rows; cursor at the end (row 1, column 4).
  const first = redraw('$ ', { text: 'pip install ', cursor: 12 }, 10);
  expect(first.drawn).toEqual({ cursorRow: 1 });
  // The next key backs up one row first, clears below, and redraws both rows.
  const next = redraw('$ ', { text: 'pip install r', cursor: 13 }, 10, first.drawn);
  expect(next.ansi.startsWith('\x1b[1A\r\x1b[J$ pip install r')).toBe(true);
  // Cursor moved to the middle of the first row: back up from the last row to row 0.
  expect(redraw('$ ', { text: 'pip install r', cursor: 2 }, 10).ansi).toBe('\r\x1b[J$ pip install r\x1b[1A\r\x1b[4C');
  // Exactly filling the row, cursor at the end: down to the next row with a line feed.
  expect(redraw('$ ', { text: '12345678', cursor: 8 }, 10)).toEqual({ ansi: '\r\x1b[J$ 12345678\r\n', drawn: { cursorRow: 1, pastEnd: true } });
});

test('a paste is split after each Enter, so each line goes to whoever reads when it arrives', () => {
  expect(splitAtEnter('python\rprint(1)\r')).toEqual(['python\r', 'print(1)\r']);
  expect(splitAtEnter('for i in range(2):\n    print(i)\n\nexit()')).toEqual(['for i in range(2):\n', '    print(i)\n', '\n', 'exit()']);
  expect(splitAtEnter('a\r\nb')).toEqual(['a\r', 'b']);
  // Keys and escape sequences stay whole.
  expect(splitAtEnter('\r')).toEqual(['\r']);
  expect(splitAtEnter('\x1b[A')).toEqual(['\x1b[A']);
  expect(splitAtEnter('pip list')).toEqual(['pip list']);
});
