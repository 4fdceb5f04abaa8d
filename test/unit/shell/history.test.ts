import { describe, expect, test } from 'vitest';
import { History, historyDown, historyUp, notBrowsing, type HistoryCursor } from '../../../src/shell';

describe('History', () => {
  test('keeps entered lines, skipping blanks and repeats of the previous line', () => {
    const h = new History();
    for (const line of ['pip list', '', '   ', 'pip list', 'ls', 'pip list']) h.add(line);
    expect(h.entries).toEqual(['pip list', 'ls', 'pip list']);
  });

  test('keeps at most `limit` lines, dropping the oldest', () => {
    const h = new History(['a', 'b'], 3);
    h.add('c');
    h.add('d');
    expect(h.entries).toEqual(['b', 'c', 'd']);
  });
});

describe('arrow-key navigation', () => {
  const entries = ['pip install requests', 'pip list', 'ls'];

  /** Presses keys starting from a half-typed line; returns the line shown after each. */
  function press(keys: ('up' | 'down')[], typed = 'pip fr'): string[] {
    let cursor: HistoryCursor = notBrowsing;
    let text = typed;
    const shown: string[] = [];
    for (const key of keys) {
      ({ cursor, text } = key === 'up' ? historyUp(entries, cursor, text) : historyDown(entries, cursor, text));
      shown.push(text);
    }
    return shown;
  }

  test('Up walks back, stopping at the oldest', () => {
    expect(press(['up', 'up', 'up', 'up'])).toEqual(['ls', 'pip list', 'pip install requests', 'pip install requests']);
  });

  test('Down walks forward and gives back the line being typed', () => {
    expect(press(['up', 'up', 'down', 'down', 'down'])).toEqual(['ls', 'pip list', 'ls', 'pip fr', 'pip fr']);
  });

  test('Down without browsing leaves the line alone; Up with no history too', () => {
    expect(press(['down'])).toEqual(['pip fr']);
    expect(historyUp([], notBrowsing, 'x')).toEqual({ cursor: notBrowsing, text: 'x' });
  });
});
