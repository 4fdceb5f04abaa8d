import type { Word, WordPart } from './ast';
import { ShellParseError } from './syntax-error';

/** Control operators (XCU 2.10.1); `newline` separates like `;`. */
export type Operator = '|' | '||' | '&&' | ';' | ';;' | '&' | '(' | ')' | 'newline';

export type RedirectOp = '<' | '>' | '>>' | '&>' | '&>>' | '>&' | '<&';

export type Token =
  | { readonly kind: 'word'; readonly word: Word; readonly start: number; readonly end: number }
  | { readonly kind: 'op'; readonly op: Operator; readonly start: number; readonly end: number }
  /** `fd` is the IO number written before the operator (`2>`), null when none. */
  | { readonly kind: 'redirect'; readonly op: RedirectOp; readonly fd: number | null; readonly start: number; readonly end: number }
  | { readonly kind: 'eof'; readonly start: number; readonly end: number };

/** How a token reads in `syntax error near unexpected token '...'` (bash says `newline`). */
export function tokenText(token: Token, input: string): string {
  if (token.kind === 'op' && token.op === 'newline') return 'newline';
  if (token.kind === 'eof') return 'newline';
  return input.slice(token.start, token.end);
}

const BLANK = /[ \t]/;
/** Characters that end an unquoted word (XCU 2.3 rule 6: operator characters, blanks). */
const BREAK = /[ \t\n|&;<>()]/;
// bash's ANSI-C escapes with a fixed meaning (`\e` and `\E` are ESC).
const ANSI_C: Readonly<Record<string, string>> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
/** `$?`, `$#`, `$$`, `$0`..`$9`, `$@`, `$*`, `$!`, `$-`. */
const SPECIAL = /[?#$0-9@*!-]/;

/**
 * Splits a command line into words and operators, keeping which characters were quoted (so
 * expansion knows what to split and glob) and where each token sits (for carets).
 * Ex) `pip freeze > "req s.txt" # save` -> word(pip) word(freeze) redirect(>) word(req s.txt)
 */
export function tokenize(input: string): Token[] {
  return new Tokenizer(input).run();
}

class Tokenizer {
  private pos = 0;
  private readonly tokens: Token[] = [];

  constructor(private readonly input: string) {}

  run(): Token[] {
    const s = this.input;
    while (this.pos < s.length) {
      const c = s[this.pos]!;
      if (BLANK.test(c)) {
        this.pos++;
      } else if (c === '\\' && s[this.pos + 1] === '\n') {
        this.pos += 2; // line continuation between words
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n') this.pos++;
      } else if (!this.operator() && !this.redirect()) {
        this.word();
      }
    }
    this.tokens.push({ kind: 'eof', start: s.length, end: s.length });
    return this.tokens;
  }

  private push(token: Token): true {
    this.tokens.push(token);
    this.pos = token.end;
    return true;
  }

  private operator(): boolean {
    const start = this.pos;
    const two = this.input.slice(start, start + 2);
    const op = (['||', '&&', ';;'] as const).find((o) => o === two) ?? (['|', '&', ';', '(', ')', '\n'] as const).find((o) => o === two[0]);
    if (op === undefined) return false;
    // `&>` and `&>>` are redirects, not `&` then `>`.
    if (op === '&' && this.input[start + 1] === '>') return false;
    return this.push({ kind: 'op', op: op === '\n' ? 'newline' : op, start, end: start + op.length });
  }

  /** `[n]<`, `[n]>`, `[n]>>`, `[n]>&`, `[n]<&`, `&>`, `&>>`; `<<` (here-documents) is refused. */
  private redirect(): boolean {
    const s = this.input;
    const start = this.pos;
    let i = start;
    while (i < s.length && /[0-9]/.test(s[i]!)) i++;
    const fd = i > start ? Number(s.slice(start, i)) : null;
    const rest = s.slice(i, i + 3);
    let op: RedirectOp | null = null;
    if (fd === null && rest.startsWith('&>>')) op = '&>>';
    else if (fd === null && rest.startsWith('&>')) op = '&>';
    else if (rest.startsWith('<<')) {
      throw new ShellParseError('bash: here-documents (<<) are not supported here; write the text to a file and use < FILE', s, { start: i, end: i + 2 });
    } else if (rest.startsWith('>>')) op = '>>';
    else if (rest.startsWith('>&')) op = '>&';
    else if (rest.startsWith('<&')) op = '<&';
    else if (rest.startsWith('>|')) op = '>'; // noclobber override: plain `>` here
    else if (rest[0] === '>' || rest[0] === '<') op = rest[0];
    if (op === null) return false;
    const length = rest.startsWith('>|') ? 2 : op.length;
    return this.push({ kind: 'redirect', op, fd, start, end: i + length });
  }

  private word(): void {
    const s = this.input;
    const start = this.pos;
    const parts: WordPart[] = [];
    const text = (t: string, quoted: boolean): void => {
      const last = parts[parts.length - 1];
      if (last?.kind === 'text' && last.quoted === quoted) parts[parts.length - 1] = { kind: 'text', text: last.text + t, quoted };
      else parts.push({ kind: 'text', text: t, quoted });
    };
    // XCU 2.6.1: `~` at the start of a word, alone or before `/`.
    if (s[start] === '~' && (start + 1 === s.length || s[start + 1] === '/' || BREAK.test(s[start + 1]!))) {
      parts.push({ kind: 'tilde' });
      this.pos++;
    }
    while (this.pos < s.length && !BREAK.test(s[this.pos]!)) {
      const c = s[this.pos]!;
      if (c === "'") {
        const close = s.indexOf("'", this.pos + 1);
        if (close < 0) this.unterminated("'");
        text(s.slice(this.pos + 1, close), true);
        this.pos = close + 1;
      } else if (c === '"') {
        this.doubleQuoted(parts, text);
      } else if (c === '\\') {
        if (this.pos + 1 >= s.length) {
          text('\\', false); // a trailing backslash stays (bash -c 'echo a\' prints `a\`)
          this.pos++;
        } else if (s[this.pos + 1] === '\n') {
          this.pos += 2;
        } else {
          text(s[this.pos + 1]!, true);
          this.pos += 2;
        }
      } else if (c === '$' && s[this.pos + 1] === "'") {
        text(this.ansiCQuoted(), true);
      } else if (c === '$') {
        const part = this.dollar(false);
        if (part) parts.push(part);
        else text('$', false);
      } else if (c === '`') {
        this.noCommandSubstitution(this.pos, 1);
      } else {
        text(c, false);
        this.pos++;
      }
    }
    // `""` is a word (an empty argument); make sure it has a part.
    if (parts.length === 0) parts.push({ kind: 'text', text: '', quoted: true });
    this.tokens.push({ kind: 'word', word: { parts, raw: s.slice(start, this.pos), start, end: this.pos }, start, end: this.pos });
  }

  /** `"..."`: `$` expands; `\` escapes only `$`, backquote, `"`, `\` and newline (XCU 2.2.3). */
  private doubleQuoted(parts: WordPart[], text: (t: string, quoted: boolean) => void): void {
    const s = this.input;
    const open = this.pos++;
    let run = '';
    const flush = (): void => {
      text(run, true);
      run = '';
    };
    for (;;) {
      if (this.pos >= s.length) this.unterminated('"', open);
      const c = s[this.pos]!;
      if (c === '"') {
        this.pos++;
        break;
      }
      if (c === '\\' && /[$`"\\\n]/.test(s[this.pos + 1] ?? '')) {
        if (s[this.pos + 1] !== '\n') run += s[this.pos + 1];
        this.pos += 2;
      } else if (c === '$') {
        const part = this.dollar(true);
        if (part) {
          flush();
          parts.push(part);
        } else run += '$';
      } else if (c === '`') {
        this.noCommandSubstitution(this.pos, 1);
      } else {
        run += c;
        this.pos++;
      }
    }
    flush();
  }

  /**
   * `$'...'` (bash's ANSI-C quoting, what `ls` and the shell's own quoting write for control
   * characters): backslash escapes are decoded, `\ooo` and `\xHH` as bytes, so `$'\342\200\256'`
   * is one UTF-8 character. Ex) `$'a\033b'` -> a, ESC, b
   */
  private ansiCQuoted(): string {
    const s = this.input;
    const open = this.pos;
    const bytes: number[] = [];
    const add = (text: string): void => {
      for (const byte of encoder.encode(text)) bytes.push(byte);
    };
    let i = open + 2;
    for (;;) {
      if (i >= s.length) this.unterminated("'", open);
      const c = String.fromCodePoint(s.codePointAt(i)!);
      if (c === "'") break;
      if (c !== '\\' || i + 1 >= s.length) {
        add(c);
        i += c.length;
        continue;
      }
      const e = s[i + 1]!;
      const simple = ANSI_C[e];
      if (simple !== undefined) {
        add(simple);
        i += 2;
      } else if (/[0-7]/.test(e)) {
        const digits = /^[0-7]{1,3}/.exec(s.slice(i + 1))![0];
        bytes.push(parseInt(digits, 8) & 0xff);
        i += 1 + digits.length;
      } else if (e === 'x' && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
        const digits = /^[0-9a-fA-F]{1,2}/.exec(s.slice(i + 2))![0];
        bytes.push(parseInt(digits, 16));
        i += 2 + digits.length;
      } else if ((e === 'u' || e === 'U') && /[0-9a-fA-F]/.test(s[i + 2] ?? '')) {
        const digits = new RegExp(`^[0-9a-fA-F]{1,${e === 'u' ? 4 : 8}}`).exec(s.slice(i + 2))![0];
        const code = parseInt(digits, 16);
        add(code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd');
        i += 2 + digits.length;
      } else {
        add(`\\${e}`); // bash keeps an unknown escape as written
        i += 2;
      }
    }
    this.pos = i + 1;
    return decoder.decode(new Uint8Array(bytes));
  }

  /** At a `$`: a variable part, or null when `$` is a plain character (`$` alone, `$%`). */
  private dollar(quoted: boolean): WordPart | null {
    const s = this.input;
    const start = this.pos;
    const next = s[start + 1] ?? '';
    if (next === '(') this.noCommandSubstitution(start, 2);
    if (next === '{') {
      const close = s.indexOf('}', start + 2);
      if (close < 0) this.unterminated('}', start);
      const name = s.slice(start + 2, close);
      if (!/^([A-Za-z_][A-Za-z0-9_]*|[?#$0-9@*!-]|[0-9]+)$/.test(name)) {
        // bash: `${VAR:-x}` and friends are parameter operations this shell does not do.
        throw new ShellParseError(`bash: ${s.slice(start, close + 1)}: bad substitution`, s, { start, end: close + 1 });
      }
      this.pos = close + 1;
      return { kind: 'var', name, quoted };
    }
    if (NAME_START.test(next)) {
      let end = start + 1;
      while (end < s.length && NAME_CHAR.test(s[end]!)) end++;
      this.pos = end;
      return { kind: 'var', name: s.slice(start + 1, end), quoted };
    }
    if (next !== '' && SPECIAL.test(next)) {
      this.pos = start + 2;
      return { kind: 'var', name: next, quoted };
    }
    this.pos = start + 1;
    return null;
  }

  private unterminated(quote: string, at = this.pos): never {
    const shown = quote === "'" ? `"'"` : `'${quote}'`;
    throw new ShellParseError(`bash: unexpected EOF while looking for matching ${shown}`, this.input, { start: at }, true);
  }

  private noCommandSubstitution(start: number, length: number): never {
    throw new ShellParseError(
      'bash: command substitution ($(...) and `...`) is not supported here; run the command on its own line first',
      this.input,
      { start, end: start + length },
    );
  }
}
