import { expect, test } from 'vitest';
import { applyKey, emptyLine, parseInput, redraw, type EditKey, type LineState } from '../../../src/ui/terminal/line-editor';

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
  expect(redraw('$ ', { text: 'abc', cursor: 1 })).toBe('\r\x1b[K$ abc\x1b[2D');
  expect(redraw('$ ', { text: 'abc', cursor: 3 })).toBe('\r\x1b[K$ abc');
});
