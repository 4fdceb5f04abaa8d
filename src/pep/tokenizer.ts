/**
 * Context-sensitive tokenizer for PEP 508 dependency specifiers and markers (private to src/pep).
 *
 * Modelled on packaging `_tokenizer.py`: the parser asks "is the next token X?" at the current
 * position, so the same characters can be a URL in one place and a specifier in another. Each
 * rule is a sticky regular expression reproducing packaging's Python pattern, including the
 * parts where Python's `re` differs from JavaScript's:
 * - `\b` and `\w` are Unicode-aware in Python (`foo_bár` has no word boundary inside it);
 * - `\s` is Python's Unicode whitespace set (it includes \x1c-\x1f and \x85, not \ufeff);
 * - `re.IGNORECASE` folds `ı`/`İ` to `i` and `ſ` to `s`, except inside packaging's `(?a:)` groups;
 * - END is `\Z`: a trailing newline is not the end of the input (packaging 26).
 */
import { PepError } from './error';

export interface Token {
  readonly name: TokenName;
  readonly text: string;
  readonly position: number;
}

/**
 * A syntax error at a span of the source, as packaging's `ParserSyntaxError`. Marker and
 * Requirement rethrow it as their own error class; `end` is exclusive (packaging draws its caret
 * at `end - 1`, under the first character it could not use).
 */
export class ParserSyntaxError extends PepError<'parser-syntax'> {
  override readonly name: string = 'ParserSyntaxError';
  constructor(reason: string, source: string, start: number, end: number) {
    super('parser-syntax', reason, source, { start, end });
  }
}

// Python's Unicode `\w` (str.isalnum() or '_') and the `\b` built on it.
const W = String.raw`[\p{L}\p{N}_]`;
const B = String.raw`(?:(?<=${W})(?!${W})|(?<!${W})(?=${W}))`;
// Python's Unicode `\s` (str.isspace()).
const PY_SPACE = String.raw`\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000`;

/**
 * A case-insensitive spelling of an ASCII word. `unicode` adds the extra letters Python's
 * Unicode IGNORECASE folds onto ASCII ones (`ı`, `İ` -> i, `ſ` -> s, `K` -> k); packaging's
 * `(?a:...)` groups are ASCII-only, the `~=` branch is not.
 */
function ci(word: string, unicode = false): string {
  let out = '';
  for (const ch of word) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) {
      out += ch === '.' ? '\\.' : ch;
      continue;
    }
    let extra = '';
    if (unicode && lower === 'i') extra = '\u0130\u0131';
    if (unicode && lower === 's') extra = '\u017f';
    if (unicode && lower === 'k') extra = '\u212a';
    out += `[${lower}${upper}${extra}]`;
  }
  return out;
}

function alternatives(words: readonly string[], unicode = false): string {
  return `(?:${words.map((w) => ci(w, unicode)).join('|')})`;
}

const PRE_WORDS = ['alpha', 'beta', 'preview', 'pre', 'a', 'b', 'c', 'rc'];
const POST_WORDS = ['post', 'rev', 'r'];

/** The pre/post/dev tail of a version in packaging's specifier regex. */
function versionTail(unicode: boolean): string {
  const sep = '[-_.]?';
  const pre = `(?:${sep}${alternatives(PRE_WORDS, unicode)}${sep}[0-9]*)?`;
  const post = `(?:-[0-9]+|${sep}${alternatives(POST_WORDS, unicode)}${sep}[0-9]*)?`;
  const dev = `(?:${sep}${ci('dev', unicode)}${sep}[0-9]*)?`;
  return pre + post + dev;
}

/** packaging `Specifier._specifier_regex_str`, compiled VERBOSE | IGNORECASE. */
function specifierPattern(): string {
  const ws = `[${PY_SPACE}]*`;
  const v = `${ci('v')}?`;
  const epoch = '(?:[0-9]+!)?';
  const local = '(?:\\+[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*)?';
  const arbitrary = `===${ws}[^${PY_SPACE};)]*`;
  const equality = `(?:==|!=)${ws}${v}${epoch}[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${versionTail(false)}${local})?`;
  const compatible = `~=${ws}${v}${epoch}[0-9]+(?:\\.[0-9]+)+${versionTail(true)}`;
  const ordered = `(?:<=|>=|<|>)${ws}${v}${epoch}[0-9]+(?:\\.[0-9]+)*${versionTail(false)}`;
  return `(?:${arbitrary}|${equality}|${compatible}|${ordered})`;
}

const VARIABLES = [
  'python_version',
  'python_full_version',
  'os[._]name',
  'sys[._]platform',
  'platform_(?:release|system)',
  'platform[._](?:version|machine|python_implementation)',
  'python_implementation',
  'implementation_(?:name|version)',
  'extras?',
  'dependency_groups',
];

const RULE_SOURCES = {
  LEFT_PARENTHESIS: '\\(',
  RIGHT_PARENTHESIS: '\\)',
  LEFT_BRACKET: '\\[',
  RIGHT_BRACKET: '\\]',
  SEMICOLON: ';',
  COMMA: ',',
  QUOTED_STRING: `'[^']*'|"[^"]*"`,
  OP: '===|==|~=|!=|<=|>=|<|>',
  BOOLOP: `${B}(?:or|and)${B}`,
  IN: `${B}in${B}`,
  NOT: `${B}not${B}`,
  VARIABLE: `${B}(?:${VARIABLES.join('|')})${B}`,
  SPECIFIER: specifierPattern(),
  AT: '@',
  URL: '[^ \\t]+',
  IDENTIFIER: `${B}[a-zA-Z0-9][a-zA-Z0-9._-]*${B}`,
  VERSION_PREFIX_TRAIL: '\\.\\*',
  // Case-sensitive, as in packaging (the rule is compiled without IGNORECASE).
  VERSION_LOCAL_LABEL_TRAIL: '\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*',
  WS: '[ \\t]+',
  END: '$',
} as const;

export type TokenName = keyof typeof RULE_SOURCES;

const RULES: Readonly<Record<TokenName, RegExp>> = Object.fromEntries(
  Object.entries(RULE_SOURCES).map(([name, source]) => [name, new RegExp(source, 'uy')]),
) as Record<TokenName, RegExp>;

/**
 * Walks `source` one token at a time. `check()` loads the next token if it has the given name;
 * it must then be `read()` before the next check (packaging's contract, asserted here too).
 */
export class Tokenizer {
  readonly source: string;
  position = 0;
  private nextToken: Token | null = null;

  constructor(source: string) {
    this.source = source;
  }

  /** Move past a token of this name if one is next. */
  consume(name: TokenName): void {
    if (this.check(name)) this.read();
  }

  /** Is the next token `name`? Unless `peek`, the token is loaded and must be read next. */
  check(name: TokenName, peek = false): boolean {
    if (this.nextToken !== null) {
      throw new Error(`Cannot check for ${name}, already have ${this.nextToken.name}`);
    }
    const rule = RULES[name];
    rule.lastIndex = this.position;
    const match = rule.exec(this.source);
    if (match === null) return false;
    if (!peek) this.nextToken = { name, text: match[0], position: this.position };
    return true;
  }

  /** Read a token of this name, or fail with "Expected {expected}" at the current position. */
  expect(name: TokenName, expected: string): Token {
    if (!this.check(name)) this.raiseSyntaxError(`Expected ${expected}`);
    return this.read();
  }

  /** Consume the loaded token and return it. */
  read(): Token {
    const token = this.nextToken;
    if (token === null) throw new Error('No token loaded: call check() first');
    this.position += token.text.length;
    this.nextToken = null;
    return token;
  }

  /**
   * Throw a syntax error over packaging's span `[spanStart, spanEnd]`, both defaulting to the
   * current position; the caret line marks those columns inclusive.
   */
  raiseSyntaxError(message: string, spanStart?: number, spanEnd?: number): never {
    const start = spanStart ?? this.position;
    const end = spanEnd ?? this.position;
    throw new ParserSyntaxError(message, this.source, start, end + 1);
  }

  /**
   * Run `body` between an optional pair of enclosing tokens (packaging's `enclosing_tokens`):
   * if `open` is next it is read, and then `close` is required after the body.
   */
  enclosingTokens<T>(open: TokenName, close: TokenName, around: string, body: () => T): T {
    let openPosition: number | null = null;
    if (this.check(open)) {
      openPosition = this.position;
      this.read();
    }
    const result = body();
    if (openPosition === null) return result;
    if (!this.check(close)) {
      this.raiseSyntaxError(`Expected matching ${close} for ${open}, after ${around}`, openPosition);
    }
    this.read();
    return result;
  }
}
