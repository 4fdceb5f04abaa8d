/**
 * HTML character references as Python's `html.unescape` decodes them (pip's reading of index
 * pages), enough for index pages: numeric references in full, every legacy name, and the named
 * references such pages use. Workers have no DOMParser, so this is done by hand.
 */

// Names that are also recognised without the trailing `;` (HTML's legacy set, which Python's
// `html.entities.html5` lists without `;`): all 106 of them, as pip's parser knows them.
const LEGACY: Record<string, string> = {
  AElig: '\u00c6', AMP: '&', Aacute: '\u00c1', Acirc: '\u00c2', Agrave: '\u00c0', Aring: '\u00c5',
  Atilde: '\u00c3', Auml: '\u00c4', COPY: '\u00a9', Ccedil: '\u00c7', ETH: '\u00d0', Eacute: '\u00c9',
  Ecirc: '\u00ca', Egrave: '\u00c8', Euml: '\u00cb', GT: '>', Iacute: '\u00cd', Icirc: '\u00ce',
  Igrave: '\u00cc', Iuml: '\u00cf', LT: '<', Ntilde: '\u00d1', Oacute: '\u00d3', Ocirc: '\u00d4',
  Ograve: '\u00d2', Oslash: '\u00d8', Otilde: '\u00d5', Ouml: '\u00d6', QUOT: '"', REG: '\u00ae',
  THORN: '\u00de', Uacute: '\u00da', Ucirc: '\u00db', Ugrave: '\u00d9', Uuml: '\u00dc', Yacute: '\u00dd',
  aacute: '\u00e1', acirc: '\u00e2', acute: '\u00b4', aelig: '\u00e6', agrave: '\u00e0', amp: '&',
  aring: '\u00e5', atilde: '\u00e3', auml: '\u00e4', brvbar: '\u00a6', ccedil: '\u00e7', cedil: '\u00b8',
  cent: '\u00a2', copy: '\u00a9', curren: '\u00a4', deg: '\u00b0', divide: '\u00f7', eacute: '\u00e9',
  ecirc: '\u00ea', egrave: '\u00e8', eth: '\u00f0', euml: '\u00eb', frac12: '\u00bd', frac14: '\u00bc',
  frac34: '\u00be', gt: '>', iacute: '\u00ed', icirc: '\u00ee', iexcl: '\u00a1', igrave: '\u00ec',
  iquest: '\u00bf', iuml: '\u00ef', laquo: '\u00ab', lt: '<', macr: '\u00af', micro: '\u00b5',
  middot: '\u00b7', nbsp: '\u00a0', not: '\u00ac', ntilde: '\u00f1', oacute: '\u00f3', ocirc: '\u00f4',
  ograve: '\u00f2', ordf: '\u00aa', ordm: '\u00ba', oslash: '\u00f8', otilde: '\u00f5', ouml: '\u00f6',
  para: '\u00b6', plusmn: '\u00b1', pound: '\u00a3', quot: '"', raquo: '\u00bb', reg: '\u00ae',
  sect: '\u00a7', shy: '\u00ad', sup1: '\u00b9', sup2: '\u00b2', sup3: '\u00b3', szlig: '\u00df',
  thorn: '\u00fe', times: '\u00d7', uacute: '\u00fa', ucirc: '\u00fb', ugrave: '\u00f9', uml: '\u00a8',
  uuml: '\u00fc', yacute: '\u00fd', yen: '\u00a5', yuml: '\u00ff',
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

// Python's `html._charref`: a numeric reference, or up to 32 characters of a name.
const REFERENCE = /&(?:#([xX][0-9a-fA-F]+|[0-9]+);?|([^\t\n\f <&#;]{1,32})(;?))/g;

/**
 * Decode character references in text or in an attribute value, as Python's `html.unescape`
 * does: pip's HTMLParser (`convert_charrefs=True`) reads index pages through it, so a page
 * means for Pipette what it means for pip. Unlike a browser, a legacy reference without `;` is
 * decoded in an attribute too, even before `=`: `data-requires-python="&gt=3.99"` is `>=3.99`
 * for pip, and must be here, or a file pip skips would be chosen.
 * Ex) `&gt;=3.8` -> `>=3.8`; `&#x3C;` -> `<`; `a&ampb` -> `a&b`; `?a=1&copy=2` -> `?a=1©=2`.
 */
export function decodeEntities(input: string): string {
  if (!input.includes('&')) return input;
  return input.replace(REFERENCE, (match, numeric: string | undefined, name: string | undefined, semi: string) => {
    if (numeric !== undefined) return fromCodePoint(numeric);
    if (name === undefined) return match;
    if (semi === ';') {
      const named = NAMED[name];
      if (named !== undefined) return named;
    }
    // Without `;` (or an unknown name with `;`): the longest legacy prefix, if any.
    for (let len = Math.min(name.length, 6); len >= 2; len--) {
      const legacy = LEGACY[name.slice(0, len)];
      if (legacy !== undefined) return legacy + match.slice(1 + len);
    }
    return match;
  });
}

/** Python's `html._replace_charref` for `&#...;`. */
function fromCodePoint(numeric: string): string {
  const cp = numeric[0] === 'x' || numeric[0] === 'X' ? parseInt(numeric.slice(1), 16) : parseInt(numeric, 10);
  if (cp === 0) return '\ufffd';
  const remapped = C1_REMAP[cp];
  if (remapped !== undefined) return String.fromCodePoint(remapped);
  if (cp === 0x0d || cp === 0x81 || cp === 0x8d || cp === 0x8f || cp === 0x90 || cp === 0x9d) return String.fromCodePoint(cp);
  if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  // Python's `_invalid_codepoints`: dropped.
  if ((cp >= 0x1 && cp <= 0x8) || cp === 0xb || (cp >= 0xe && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) return '';
  return String.fromCodePoint(cp);
}
