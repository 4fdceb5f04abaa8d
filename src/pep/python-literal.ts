/**
 * The value of a quoted string in a PEP 508 marker (private to src/pep).
 *
 * packaging reads a QUOTED_STRING token with `ast.literal_eval`, so a marker string is a Python
 * string literal: backslash escapes are expanded (`"\x41"` is `A`), and a literal Python would
 * not compile (a raw line break, a NUL, a bad `\x` escape, a backslash before the closing quote)
 * is "Invalid quoted string". This module reproduces that for the token's text.
 */

/** Why a literal was rejected, or its value. */
export type PythonStringResult = { ok: true; value: string } | { ok: false; reason: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

// packaging's fast path: an ASCII body with no backslash, line break or NUL is its own value.
const PLAIN_BODY = /^[\x01-\x09\x0b\x0c\x0e-\x5b\x5d-\x7f]*$/;

/**
 * Evaluate a quoted-string token (`'...'` or `"..."`, no embedded delimiter) as Python would.
 * Ex) `'a\tb'` -> a, TAB, b; `'\d'` -> backslash, d (an unknown escape is kept, as in Python).
 * `\N{NAME}` escapes are rejected: they need the Unicode name database.
 */
export function evalPythonString(literal: string): PythonStringResult {
  const body = literal.slice(1, -1);
  if (PLAIN_BODY.test(body)) return { ok: true, value: body };

  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return fail('unterminated string literal (line break inside quotes)');
    if (c === 0) return fail('source code string cannot contain null bytes');
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = body.charCodeAt(i + 1);
      if (c >= 0xdc00 || !(next >= 0xdc00 && next <= 0xdfff)) return fail('lone surrogate in string');
      out += body.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== 0x5c) {
      out += body[i];
      i += 1;
      continue;
    }
    // A backslash: the escape is the next character.
    if (i + 1 >= body.length) return fail('unterminated string literal (backslash before the closing quote)');
    const e = body[i + 1] as string;
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      i += 2;
    } else if (e === '\n') {
      i += 2; // line continuation inside a string
    } else if (e === '\r') {
      i += body[i + 2] === '\n' ? 3 : 2;
    } else if (e >= '0' && e <= '7') {
      const digits = /^[0-7]{1,3}/.exec(body.slice(i + 1))?.[0] ?? e;
      out += String.fromCodePoint(parseInt(digits, 8));
      i += 1 + digits.length;
    } else if (e === 'x' || e === 'u' || e === 'U') {
      const width = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = body.slice(i + 2, i + 2 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) {
        return fail(`truncated \\${e}${'X'.repeat(width)} escape`);
      }
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) return fail('illegal Unicode character');
      out += code >= 0xd800 && code <= 0xdfff ? String.fromCharCode(code) : String.fromCodePoint(code);
      i += 2 + width;
    } else if (e === 'N') {
      return fail('\\N{...} escapes are not supported; write the character itself');
    } else {
      out += '\\'; // unknown escape: Python keeps the backslash (with a SyntaxWarning)
      i += 1;
    }
  }
  return { ok: true, value: out };
}

function fail(reason: string): PythonStringResult {
  return { ok: false, reason };
}
