/**
 * The one `repr()` of a str (pep/python-repr.ts) on the strings where copies used to disagree:
 * quotes, backslashes, C0/C1 controls, non-BMP characters, line and paragraph separators, format
 * characters. Expected values are what CPython 3.13 and Pyodide's 3.14 print for `repr(s)`;
 * test/integration/pep/python-repr.test.ts checks every code point against the real interpreter.
 */
import { describe, expect, test } from 'vitest';
import { isPyPrintable, pyRepr, pyReprEscape } from '../../../src/pep/python-repr';

describe('pyRepr is Python repr() of a str', () => {
  test.each([
    ['darwin', "'darwin'"],
    ["it's", `"it's"`],
    ['"x"', `'"x"'`],
    [`it's "x"`, `'it\\'s "x"'`],
    ['a\\b', "'a\\\\b'"],
    ["\\'", `"\\\\'"`],
    ['\x00\x1b[2J\x7f', "'\\x00\\x1b[2J\\x7f'"],
    ['\x80\x9b\xa0\xad', "'\\x80\\x9b\\xa0\\xad'"],
    ['tab\there\r\n', "'tab\\there\\r\\n'"],
    ['\u2028\u2029', "'\\u2028\\u2029'"],
    ['\u{1F600}', "'\u{1F600}'"],
    ['\u{E0001}', "'\\U000e0001'"],
    ['\u{10FFFF}', "'\\U0010ffff'"],
    ['\ufeff\u200b\u202e', "'\\ufeff\\u200b\\u202e'"],
    ['\u3000 \u00e9', "'\\u3000 \u00e9'"],
    ['\ud800', "'\\ud800'"],
    ['', "''"],
  ])('repr(%j) == %s', (input, expected) => {
    expect(pyRepr(input)).toBe(expected);
  });

  test('printable follows Python, not the JS engine: U+088F is unassigned in Python 3.14 (Unicode 16)', () => {
    expect(isPyPrintable(0x88f)).toBe(false);
    expect(pyRepr('\u088f')).toBe("'\\u088f'");
    expect(isPyPrintable(0x20)).toBe(true);
    expect(isPyPrintable(0xa0)).toBe(false);
    expect(isPyPrintable(0xa1)).toBe(true);
  });

  test('pyReprEscape writes one character as repr does', () => {
    expect(['\r', '\x1b', '\x9b', '\u202e', '\u{E0001}'].map(pyReprEscape)).toEqual(['\\r', '\\x1b', '\\x9b', '\\u202e', '\\U000e0001']);
  });
});
