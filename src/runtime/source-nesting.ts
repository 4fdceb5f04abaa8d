/**
 * How deep the syntax tree of a Python source can be, bounded from above by one pass over its
 * bytes, without parsing it.
 *
 * Why: CPython's parser and compiler recurse once per level of the tree, and in Pyodide the
 * recursion runs on the JavaScript engine's stack, which ends before CPython's own recursion
 * guard notices: a module of 2,000 chained `+1`, `.b`, `()`, `[0]`, `**2`, `elif` or
 * `1 if a else` kills the interpreter for good ("Pyodide has suffered a fatal error: RangeError:
 * Maximum call stack size exceeded"), where CPython on a native stack raises RecursionError.
 * Importing such a module does that anyway; compiling wheels at install time must not, since a
 * person installs packages they have not read. A module whose bound is high is left to be
 * compiled at its first import, as it would be without bytecode (bytecode-compiler.ts).
 *
 * The bound, for each logical line: 2 per open indented block (the tokenizer allows 100),
 * plus the `elif` clauses chained above it (each nests an If in the previous one's orelse),
 * plus the deepest comma-separated item of its expressions, where an item counts each token
 * that can add a level (a binary or unary operator, shifts included, `.`, an opening bracket, `if`, `else`,
 * `lambda`, `await`, `not`) plus the deepest item inside its brackets. Every level of an
 * expression tree has a token of its own, so the tree is never deeper than this count; flat
 * nodes (`and`/`or`, comparisons, argument lists, literals) are not counted. Expressions in
 * f-strings and t-strings (PEP 701, nested quotes included) are scanned as code; other string
 * contents and comments are skipped. What this scanner cannot follow (a string left open, an
 * unbalanced bracket) is reported as unbounded.
 * Ex) `x = 1+1+1` -> 3; `f(a.b)` -> 3 (`(` and `.`, plus the statement); `if a:\n  x = -1` -> 3.
 */

/** Byte values of the ASCII characters the scan looks at. */
const Char = {
  Tab: 9,
  Newline: 10,
  Return: 13,
  Space: 32,
  Quote: 34,
  Hash: 35,
  Percent: 37,
  Ampersand: 38,
  Apostrophe: 39,
  OpenParen: 40,
  CloseParen: 41,
  Star: 42,
  Plus: 43,
  Comma: 44,
  Minus: 45,
  Dot: 46,
  Slash: 47,
  Colon: 58,
  Semicolon: 59,
  Less: 60,
  Greater: 62,
  At: 64,
  OpenBracket: 91,
  Backslash: 92,
  CloseBracket: 93,
  Caret: 94,
  OpenBrace: 123,
  Bar: 124,
  CloseBrace: 125,
  Tilde: 126,
  FormFeed: 12,
} as const;

/** Operators that can nest: binary arithmetic and bitwise ones, and the unary `~`, `-`, `+`. */
const NESTING_OPERATORS = new Set<number>([Char.Plus, Char.Minus, Char.Star, Char.Slash, Char.Percent, Char.At, Char.Ampersand, Char.Bar, Char.Caret, Char.Tilde, Char.Dot]);
/**
 * The levels a keyword can open: a conditional expression's `if` and `else`, `await`, `not`, a
 * comprehension's `for` (its comprehension node), `lambda` (Lambda, arguments, arg).
 */
const NESTING_KEYWORDS = new Map([['if', 1], ['else', 1], ['await', 1], ['not', 1], ['for', 1], ['lambda', 3]]);
/**
 * Levels every statement may add besides its expressions (Module, the statement, an alias,
 * withitem or ExceptHandler, an expression context), each bracket (Call and keyword, or
 * arguments and arg), each indented block (the block's statement and its handler or case), and
 * each f-string field (FormattedValue and the JoinedStr of its spec).
 */
const PER_STATEMENT = 4;
const PER_BRACKET = 2;
const PER_BLOCK = 3;
const PER_FIELD = 2;
const STRING_PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);

/** One bracket level (or a whole logical line) being scanned. */
interface Frame {
  /** Levels counted in the current item so far. */
  count: number;
  /** The deepest bracket inside the current item. */
  nested: number;
  /** The deepest item closed at this level. */
  deepest: number;
  /** The bracket that opened it (0 for a logical line or an f-string field). */
  readonly close: number;
}

/** Thrown inside the scan when the source cannot be followed; the answer is then Infinity. */
class Unbounded {}

/** An upper bound on the depth of `source`'s syntax tree, or Infinity when it cannot be told. */
export function nestingBound(source: Uint8Array): number {
  try {
    return new Scanner(source).run();
  } catch (e) {
    if (e instanceof Unbounded) return Infinity;
    throw e;
  }
}

class Scanner {
  private at = 0;
  private deepest = 1; // an empty module is one level: Module
  /** Indentation widths of the open blocks (the tokenizer's indent stack), outermost first. */
  private readonly indents: number[] = [0];
  /** `elif` clauses chained so far at each open indentation width. */
  private readonly elifs = new Map<number, number>();

  constructor(private readonly s: Uint8Array) {}

  run(): number {
    while (this.at < this.s.length) this.logicalLine();
    return this.deepest;
  }

  /** One logical line: its indentation, then its tokens up to a newline outside brackets. */
  private logicalLine(): void {
    const width = this.indentation();
    if (this.at >= this.s.length) return;
    const c = this.s[this.at]!;
    if (c === Char.Newline || c === Char.Return || c === Char.Hash) {
      this.skipToEndOfLine();
      return; // a blank or comment-only line opens or closes no block
    }
    while (width < this.indents[this.indents.length - 1]!) {
      this.elifs.delete(this.indents.pop()!);
    }
    if (width > this.indents[this.indents.length - 1]!) this.indents.push(width);
    const first = this.peekWord();
    if (first === 'elif') this.elifs.set(width, (this.elifs.get(width) ?? 0) + 1);
    else if (first !== 'else') this.elifs.set(width, 0);
    let chained = 0;
    for (const n of this.elifs.values()) chained += n;
    const line: Frame = { count: PER_STATEMENT, nested: 0, deepest: 0, close: 0 };
    this.tokens(line, 'line');
    const depth = PER_BLOCK * (this.indents.length - 1) + chained + Math.max(line.deepest, line.count + line.nested);
    if (depth > this.deepest) this.deepest = depth;
  }

  /** Columns of indentation (a tab to the next multiple of 8, as the tokenizer counts). */
  private indentation(): number {
    let width = 0;
    while (this.at < this.s.length) {
      const c = this.s[this.at]!;
      if (c === Char.Space) width++;
      else if (c === Char.Tab) width = (Math.floor(width / 8) + 1) * 8;
      else if (c === Char.FormFeed) width = 0;
      else break;
      this.at++;
    }
    return width;
  }

  private skipToEndOfLine(): void {
    while (this.at < this.s.length && this.s[this.at] !== Char.Newline) this.at++;
    this.at++;
  }

  /**
   * Tokens into `frame` until its end: a newline outside brackets (`line`), the frame's closing
   * bracket (`bracket`), or the `}` or `:` (format spec) ending an f-string field (`field`).
   */
  private tokens(frame: Frame, until: 'line' | 'bracket' | 'field'): void {
    const s = this.s;
    while (this.at < s.length) {
      const c = s[this.at]!;
      if (c === Char.Newline || c === Char.Return) {
        this.at++;
        if (until === 'line') return;
        continue; // inside brackets a newline is only whitespace
      }
      if (c === Char.Space || c === Char.Tab || c === Char.FormFeed) {
        this.at++;
        continue;
      }
      if (c === Char.Hash) {
        while (this.at < s.length && s[this.at] !== Char.Newline && s[this.at] !== Char.Return) this.at++;
        continue;
      }
      if (c === Char.Backslash) {
        // A line continuation: the next line belongs to this one.
        this.at++;
        if (s[this.at] === Char.Return) this.at++;
        if (s[this.at] === Char.Newline) this.at++;
        continue;
      }
      if (c === Char.Quote || c === Char.Apostrophe) {
        this.string('', frame);
        continue;
      }
      if (c === Char.OpenParen || c === Char.OpenBracket || c === Char.OpenBrace) {
        this.at++;
        frame.count += PER_BRACKET;
        const inner: Frame = { count: 0, nested: 0, deepest: 0, close: c === Char.OpenParen ? Char.CloseParen : c === Char.OpenBracket ? Char.CloseBracket : Char.CloseBrace };
        this.tokens(inner, 'bracket');
        frame.nested = Math.max(frame.nested, inner.deepest, inner.count + inner.nested);
        continue;
      }
      if (c === Char.CloseParen || c === Char.CloseBracket || c === Char.CloseBrace) {
        if (until === 'field' && c === Char.CloseBrace) return; // the f-string's `}`; the caller consumes it
        if (until !== 'bracket' || c !== frame.close) throw new Unbounded();
        this.at++;
        this.endItem(frame);
        return;
      }
      if (c === Char.Colon && until === 'field') return; // a format spec follows
      if (c === Char.Comma || c === Char.Semicolon) {
        this.at++;
        this.endItem(frame);
        continue;
      }
      if (c === Char.Dot && this.isDigit(s[this.at + 1])) {
        this.number();
        continue;
      }
      if ((c === Char.Less || c === Char.Greater) && s[this.at + 1] === c) {
        this.at += 2; // `<<`, `>>`: shifts nest like `+` (a comparison is one flat node)
        frame.count++;
        continue;
      }
      if (NESTING_OPERATORS.has(c)) {
        this.at++;
        frame.count++;
        continue;
      }
      if (this.isDigit(c)) {
        this.number();
        continue;
      }
      if (this.isWordStart(c)) {
        const word = this.word();
        const next = s[this.at];
        if ((next === Char.Quote || next === Char.Apostrophe) && STRING_PREFIXES.has(word.toLowerCase())) {
          this.string(word.toLowerCase(), frame);
          continue;
        }
        frame.count += NESTING_KEYWORDS.get(word) ?? 0;
        continue;
      }
      // `=`, `<`, `>`, `!`, `:` and anything else: no level of its own.
      this.at++;
    }
    if (until !== 'line') throw new Unbounded(); // the file ends inside a bracket or a field
  }

  private endItem(frame: Frame): void {
    frame.deepest = Math.max(frame.deepest, frame.count + frame.nested);
    frame.count = 0;
    frame.nested = 0;
  }

  /** A string literal at its opening quote; f- and t-strings have their fields scanned as code into `frame`. */
  private string(prefix: string, frame: Frame): void {
    const s = this.s;
    const quote = s[this.at]!;
    const triple = s[this.at + 1] === quote && s[this.at + 2] === quote;
    this.at += triple ? 3 : 1;
    const raw = prefix.includes('r');
    const formatted = prefix.includes('f') || prefix.includes('t');
    for (;;) {
      if (this.at >= s.length) throw new Unbounded();
      const c = s[this.at]!;
      if (c === quote && (!triple || (s[this.at + 1] === quote && s[this.at + 2] === quote))) {
        this.at += triple ? 3 : 1;
        return;
      }
      if ((c === Char.Newline || c === Char.Return) && !triple) throw new Unbounded(); // a string left open
      if (c === Char.Backslash) {
        // `\N{...}` names a character in a non-raw f-string: its braces open no field.
        if (formatted && !raw && s[this.at + 1] === 78 && s[this.at + 2] === Char.OpenBrace) {
          this.at += 3;
          while (this.at < s.length && s[this.at] !== Char.CloseBrace && s[this.at] !== quote) this.at++;
          if (s[this.at] === Char.CloseBrace) this.at++;
          continue;
        }
        this.at += 2; // an escaped character, the quote included (raw strings too, for the tokenizer)
        continue;
      }
      if (formatted && c === Char.OpenBrace) {
        if (s[this.at + 1] === Char.OpenBrace) {
          this.at += 2; // `{{`: a literal brace
          continue;
        }
        this.at++;
        this.field(frame);
        continue;
      }
      this.at++;
    }
  }

  /** An f-string replacement field after its `{`: code, then `!conversion` and `:format spec` with nested fields, to its `}`. */
  private field(frame: Frame): void {
    const s = this.s;
    const inner: Frame = { count: PER_FIELD, nested: 0, deepest: 0, close: 0 };
    this.tokens(inner, 'field');
    frame.nested = Math.max(frame.nested, inner.deepest, inner.count + inner.nested);
    if (s[this.at] === Char.Colon) {
      // The format spec is literal text with nested fields, up to the field's closing `}`.
      this.at++;
      for (;;) {
        if (this.at >= s.length) throw new Unbounded();
        const c = s[this.at]!;
        if (c === Char.CloseBrace) break;
        // A quote here is a fill character (`{x:'>10}`) or the string's end: not worth guessing which.
        if (c === Char.Newline || c === Char.Return || c === Char.Quote || c === Char.Apostrophe) throw new Unbounded();
        this.at++;
        if (c === Char.OpenBrace) this.field(frame);
      }
    }
    if (s[this.at] !== Char.CloseBrace) throw new Unbounded();
    this.at++;
  }

  private number(): void {
    const s = this.s;
    while (this.at < s.length) {
      const c = s[this.at]!;
      const exponentSign = (c === Char.Plus || c === Char.Minus) && (s[this.at - 1] === 101 || s[this.at - 1] === 69) && !this.isHexNumberAt();
      if (this.isWordChar(c) || c === Char.Dot || exponentSign) this.at++;
      else break;
    }
  }

  /** Whether the number being read is hexadecimal (`0x1e+1` is `0x1e` plus one, not an exponent). */
  private isHexNumberAt(): boolean {
    let i = this.at - 1;
    while (i > 0 && this.isWordChar(this.s[i - 1]!)) i--;
    return this.s[i] === 48 && (this.s[i + 1] === 120 || this.s[i + 1] === 88);
  }

  private word(): string {
    const start = this.at;
    while (this.at < this.s.length && this.isWordChar(this.s[this.at]!)) this.at++;
    // Only keywords matter here (at most 6 letters); a longer word is none of them.
    if (this.at - start > 6) return '';
    let word = '';
    for (let i = start; i < this.at; i++) word += String.fromCharCode(this.s[i]!);
    return word;
  }

  private peekWord(): string {
    const start = this.at;
    const word = this.isWordStart(this.s[this.at]!) ? this.word() : '';
    this.at = start;
    return word;
  }

  private isDigit(c: number | undefined): boolean {
    return c !== undefined && c >= 48 && c <= 57;
  }

  private isWordStart(c: number): boolean {
    return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
  }

  private isWordChar(c: number): boolean {
    return this.isWordStart(c) || this.isDigit(c);
  }
}
