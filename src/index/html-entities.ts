/**
 * HTML character references (WHATWG HTML §13.2.5.72-80), enough for index pages: numeric
 * references in full, and the named references such pages use. Workers have no DOMParser, so
 * this is done by hand.
 */

// Names that HTML also recognises without the trailing `;` (the legacy set, abridged to the
// ones that can appear in ASCII text of an index page).
const LEGACY: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  nbsp: '\u00a0',
  copy: '\u00a9',
  reg: '\u00ae',
};

const NAMED: Record<string, string> = {
  ...LEGACY,
  apos: "'",
  hellip: '\u2026',
  ndash: '\u2013',
  mdash: '\u2014',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  bull: '\u2022',
  middot: '\u00b7',
  trade: '\u2122',
  euro: '\u20ac',
  times: '\u00d7',
  minus: '\u2212',
  le: '\u2264',
  ge: '\u2265',
  ne: '\u2260',
  tilde: '\u02dc',
  sol: '/',
  num: '#',
  equals: '=',
  excl: '!',
  percnt: '%',
  plus: '+',
  comma: ',',
  period: '.',
  colon: ':',
  semi: ';',
  quest: '?',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  lbrack: '[',
  rbrack: ']',
  lcub: '{',
  rcub: '}',
  lbrace: '{',
  rbrace: '}',
  ast: '*',
  commat: '@',
  dollar: '$',
  lowbar: '_',
  verbar: '|',
  vert: '|',
  grave: '`',
  Hat: '^',
  bsol: '\\',
  NewLine: '\n',
  Tab: '\t',
};

// §13.2.5.80: numeric references 0x80-0x9F name Windows-1252 characters.
const C1_REMAP: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021,
  0x88: 0x02c6, 0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018,
  0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc,
  0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a, 0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
};

const REFERENCE = /&(?:#([xX][0-9a-fA-F]+|[0-9]+);?|([A-Za-z][A-Za-z0-9]*)(;?))/g;

/**
 * Decode character references in text or in an attribute value.
 * Ex) `&gt;=3.8` -> `>=3.8`; `&#x3C;` -> `<`; `a&ampb` -> `a&b` in text, kept in an attribute
 * (§13.2.5.73: a legacy reference without `;` followed by `=` or an alphanumeric is literal in
 * attributes, so query strings like `?a=1&copy=2` survive).
 */
export function decodeEntities(input: string, inAttribute = false): string {
  if (!input.includes('&')) return input;
  return input.replace(REFERENCE, (match, numeric: string | undefined, name: string | undefined, semi: string, offset: number) => {
    if (numeric !== undefined) return fromCodePoint(numeric);
    if (name === undefined) return match;
    if (semi === ';') {
      const named = NAMED[name];
      if (named !== undefined) return named;
    }
    // Without `;` (or an unknown name with `;`): the longest legacy prefix, if any.
    for (let len = Math.min(name.length, 4); len >= 2; len--) {
      const prefix = name.slice(0, len);
      const legacy = LEGACY[prefix];
      if (legacy === undefined) continue;
      const rest = match.slice(1 + len);
      const next = input[offset + 1 + len];
      if (inAttribute && next !== undefined && /[=A-Za-z0-9]/.test(next)) return match;
      return legacy + rest;
    }
    return match;
  });
}

function fromCodePoint(numeric: string): string {
  let cp = numeric[0] === 'x' || numeric[0] === 'X' ? parseInt(numeric.slice(1), 16) : parseInt(numeric, 10);
  if (!Number.isFinite(cp) || cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  cp = C1_REMAP[cp] ?? cp;
  return String.fromCodePoint(cp);
}
