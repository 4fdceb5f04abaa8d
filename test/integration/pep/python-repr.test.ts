/**
 * pep's pyRepr against the real CPython in Pyodide, one character at a time for every code point
 * (surrogates included): the non-printable table in pep/python-repr.ts is Python's, so this fails
 * when a Pyodide upgrade brings another Unicode version.
 */
import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { pyRepr } from '../../../src/pep';
import { bootPyodide } from '../../../src/runtime/boot';

let py: PyodideAPI;

beforeAll(async () => {
  py = await bootPyodide();
}, 120_000);

test('every code point: pyRepr(chr(c)) is repr(chr(c))', () => {
  // Python sends only the characters whose repr is not the character in quotes.
  const escaped = JSON.parse(
    py.runPython(`
import json
json.dumps({c: repr(chr(c)) for c in range(0x110000) if repr(chr(c)) != "'" + chr(c) + "'"})
`) as string,
  ) as Record<string, string>;
  expect(Object.keys(escaped).length).toBeGreaterThan(900_000); // unassigned planes, private use, surrogates
  const wrong: string[] = [];
  for (let c = 0; c < 0x110000; c++) {
    const ch = c >= 0xd800 && c < 0xe000 ? String.fromCharCode(c) : String.fromCodePoint(c);
    const want = escaped[c] ?? `'${ch}'`;
    const got = pyRepr(ch);
    if (got !== want && wrong.length < 10) wrong.push(`U+${c.toString(16)}: ${got} (Python: ${want})`);
  }
  expect(wrong).toEqual([]);
});

test('whole strings: quotes chosen as Python chooses them', () => {
  const samples = [`it's`, `"x"`, `it's "x"`, `a\\b'"`, '\x00\x1b[2J\u2028\u{1F600}\u{E0001}', 'plain'];
  const want = JSON.parse(py.runPython(`import json; json.dumps([repr(s) for s in json.loads(${JSON.stringify(JSON.stringify(samples))})])`) as string) as string[];
  expect(samples.map(pyRepr)).toEqual(want);
});
