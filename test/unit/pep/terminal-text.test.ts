import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeTerminalText, hasTerminalControls, terminalSafeJson } from '../../../src/pep/terminal-text';

// What xterm would act on: C0 but TAB/LF, DEL, C1, and Unicode's Bidi_Control characters.
const isControl = (code: number): boolean =>
  (code < 0x20 && code !== 0x09 && code !== 0x0a) ||
  (code >= 0x7f && code <= 0x9f) ||
  code === 0x061c ||
  code === 0x200e ||
  code === 0x200f ||
  (code >= 0x202a && code <= 0x202e) ||
  (code >= 0x2066 && code <= 0x2069);

describe('escapeTerminalText', () => {
  it.each([
    ['\x1b[2J\x1b[HSuccessfully installed evil-1.0', '\\x1b[2J\\x1b[HSuccessfully installed evil-1.0'],
    ['a\rb', 'a\\rb'],
    ['bell\x07', 'bell\\x07'],
    ['del\x7f', 'del\\x7f'],
    ['csi\x9b31m', 'csi\\x9b31m'],
    ['nul\x00', 'nul\\x00'],
    ['abc\u202edcba', 'abc\\u202edcba'],
    ['\u2066isolate\u2069', '\\u2066isolate\\u2069'],
    ['lines\nand\ttabs stay', 'lines\nand\ttabs stay'],
    ['ünïcödé, 🐍 and 中文 stay', 'ünïcödé, 🐍 and 中文 stay'],
  ])('%j -> %j (as Python repr shows the characters)', (input, shown) => {
    expect(escapeTerminalText(input)).toBe(shown);
  });

  it('leaves no control character, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const out = escapeTerminalText(s);
        for (const ch of out) expect(isControl(ch.codePointAt(0)!), JSON.stringify(out)).toBe(false);
        expect(hasTerminalControls(out)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('changes nothing in text without control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        fc.pre(![...s].some((c) => isControl(c.codePointAt(0)!)));
        expect(escapeTerminalText(s)).toBe(s);
      }),
    );
  });

  it('is idempotent (escaped text passes through the choke point again unchanged)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        expect(escapeTerminalText(escapeTerminalText(s))).toBe(escapeTerminalText(s));
      }),
    );
  });
});

describe('terminalSafeJson', () => {
  it('writes the same characters as JSON escapes, so the output stays JSON with the same data', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 20 })), (value) => {
        const json = terminalSafeJson(value, 2);
        expect(hasTerminalControls(json)).toBe(false);
        expect(JSON.parse(json)).toEqual(value);
      }),
    );
  });
  it('Ex) a C1 CSI and a right-to-left override', () => {
    expect(terminalSafeJson({ summary: 'a\x9b2Jb\u202e' })).toBe('{"summary":"a\\u009b2Jb\\u202e"}');
  });
});
