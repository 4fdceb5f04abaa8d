import type { AndOr, Assignment, Pipeline, Redirect, Script, SimpleCommand, Word } from './ast';
import { ShellParseError } from './syntax-error';
import { tokenize, tokenText, type Token } from './tokenizer';

/**
 * Parses a command line (or a sourced file: newlines separate commands) into its syntax tree.
 * Throws ShellParseError with bash's wording and a caret under the offending token.
 * Ex) `pip freeze > req.txt && cat req.txt` -> one and_or of two pipelines
 */
export function parseScript(input: string): Script {
  return new Parser(input, tokenize(input)).script();
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

class Parser {
  private index = 0;

  constructor(
    private readonly input: string,
    private readonly tokens: readonly Token[],
  ) {}

  private get token(): Token {
    return this.tokens[this.index]!;
  }

  private isOp(op: string): boolean {
    const t = this.token;
    return t.kind === 'op' && t.op === op;
  }

  private skipNewlines(): void {
    while (this.isOp('newline')) this.index++;
  }

  /** script = and_or { (';' | newline) and_or } [';' | newline] */
  script(): Script {
    const items: AndOr[] = [];
    this.skipNewlines();
    while (this.token.kind !== 'eof') {
      items.push(this.andOr());
      const t = this.tokens[this.index]!; // read afresh: andOr() moved on since the loop test
      if (t.kind === 'op' && t.op === '&') {
        throw new ShellParseError("bash: background jobs ('&') are not supported here; run the command without '&'", this.input, t);
      }
      if (t.kind === 'op' && (t.op === ';' || t.op === 'newline')) {
        this.index++;
        this.skipNewlines();
      } else if (t.kind !== 'eof') {
        this.unexpected();
      }
    }
    return { items };
  }

  /** and_or = pipeline { ('&&' | '||') newline* pipeline } */
  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (;;) {
      const t = this.token;
      if (t.kind !== 'op' || (t.op !== '&&' && t.op !== '||')) break;
      this.index++;
      this.continuation();
      rest.push({ op: t.op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  /** pipeline = ['!'] command { '|' newline* command } */
  private pipeline(): Pipeline {
    let negated = false;
    const t = this.token;
    if (t.kind === 'word' && t.word.raw === '!') {
      negated = true;
      this.index++;
    }
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.index++;
      this.continuation();
      commands.push(this.command());
    }
    return { negated, commands };
  }

  /** command = { assignment | word | redirect }+ ; assignments only before the first word. */
  private command(): SimpleCommand {
    const start = this.token.start;
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (;;) {
      const t = this.token;
      if (t.kind === 'word') {
        this.index++;
        const assignment = words.length === 0 ? asAssignment(t.word) : null;
        if (assignment) assignments.push(assignment);
        else words.push(t.word);
      } else if (t.kind === 'redirect') {
        this.index++;
        redirects.push(this.redirect(t));
      } else {
        break;
      }
    }
    if (assignments.length === 0 && words.length === 0 && redirects.length === 0) {
      if (this.isOp('(')) {
        throw new ShellParseError("bash: subshells ('( ... )') are not supported here", this.input, this.token);
      }
      this.unexpected();
    }
    return { assignments, words, redirects, start, end: this.tokens[this.index - 1]!.end };
  }

  private redirect(t: Extract<Token, { kind: 'redirect' }>): Redirect {
    const target = this.token;
    if (target.kind !== 'word') this.unexpected();
    this.index++;
    const word = target.word;
    switch (t.op) {
      case '<':
        return { kind: 'file', fd: t.fd ?? 0, mode: 'read', target: word };
      case '>':
        return { kind: 'file', fd: t.fd ?? 1, mode: 'write', target: word };
      case '>>':
        return { kind: 'file', fd: t.fd ?? 1, mode: 'append', target: word };
      case '&>':
        return { kind: 'both', mode: 'write', target: word };
      case '&>>':
        return { kind: 'both', mode: 'append', target: word };
      case '>&':
      case '<&': {
        if (/^[0-9]+$/.test(word.raw)) return { kind: 'dup', fd: t.fd ?? (t.op === '>&' ? 1 : 0), to: Number(word.raw) };
        // bash: `>& file` (no fd) means `&> file`.
        if (t.op === '>&' && t.fd === null) return { kind: 'both', mode: 'write', target: word };
        throw new ShellParseError(`bash: ${word.raw}: ambiguous redirect`, this.input, word);
      }
    }
  }

  /** After `|`, `&&`, `||`: newlines continue the command; the end of input is incomplete. */
  private continuation(): void {
    this.skipNewlines();
    if (this.token.kind === 'eof') {
      throw new ShellParseError('bash: syntax error: unexpected end of file', this.input, { start: this.input.length }, true);
    }
  }

  private unexpected(): never {
    const t = this.token;
    throw new ShellParseError(`bash: syntax error near unexpected token '${tokenText(t, this.input)}'`, this.input, {
      start: t.start,
      end: Math.max(t.end, t.start + 1),
    });
  }
}

/** `NAME=value` (NAME unquoted) -> the assignment, with `value` as the rest of the word. */
function asAssignment(word: Word): Assignment | null {
  const first = word.parts[0];
  if (first?.kind !== 'text' || first.quoted) return null;
  const match = ASSIGNMENT.exec(first.text);
  if (!match) return null;
  const rest = first.text.slice(match[0].length);
  const parts = [...(rest ? [{ ...first, text: rest }] : []), ...word.parts.slice(1)];
  const valueStart = word.start + match[0].length;
  return {
    name: match[1]!,
    value: { parts: parts.length > 0 ? parts : [{ kind: 'text', text: '', quoted: true }], raw: word.raw.slice(match[0].length), start: valueStart, end: word.end },
  };
}
