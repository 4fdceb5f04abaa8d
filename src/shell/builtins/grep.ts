import { shellQuote } from '../quote';
import { lines, options, readInputs, type Builtin } from './context';

/**
 * `grep [-viEFcnqxwlHhso] [-e PATTERN]... PATTERN [FILE]...` (GNU grep). Patterns are POSIX
 * basic regular expressions by default and extended with `-E`, translated to JavaScript's.
 * Exit 0 when a line was selected, 1 when none was, 2 on a usage error or an unreadable file.
 * Ex) `pip freeze | grep -v '^-e'` keeps every line not starting with `-e`
 */
export const grep: Builtin = (args, ctx) => {
  const opts = options(
    'grep',
    args,
    {
      flags: 'viEFGcnqxwlHhsoy',
      values: 'e',
      long: {
        'invert-match': 'v', 'ignore-case': 'i', 'extended-regexp': 'E', 'fixed-strings': 'F', 'basic-regexp': 'G',
        count: 'c', 'line-number': 'n', quiet: 'q', silent: 'q', 'line-regexp': 'x', 'word-regexp': 'w',
        'files-with-matches': 'l', 'with-filename': 'H', 'no-filename': 'h', 'no-messages': 's', 'only-matching': 'o', regexp: 'e',
      },
    },
    ctx,
  );
  if (!opts) return 2;
  const f = opts.flags;
  let operands = [...opts.operands];
  let patterns = opts.values.get('e');
  if (patterns === undefined) {
    if (operands.length === 0) {
      ctx.stderr("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n");
      return 2;
    }
    patterns = [operands[0]!];
    operands = operands.slice(1);
  }
  const syntax = f.has('F') ? 'fixed' : f.has('E') ? 'extended' : 'basic';
  let regex: RegExp;
  try {
    regex = compilePatterns(patterns.flatMap((p) => p.split('\n')), syntax, { ignoreCase: f.has('i') || f.has('y'), line: f.has('x'), word: f.has('w') });
  } catch (e) {
    ctx.stderr(`grep: ${regexProblem(e instanceof Error ? e.message : String(e))}\n`);
    return 2;
  }
  const { files, failed } = readInputs(ctx, operands, (name, why) => (f.has('s') ? '' : `grep: ${shellQuote(name)}: ${why}\n`));
  const withName = f.has('H') || (operands.length > 1 && !f.has('h'));
  let selectedAny = false;
  for (const file of files) {
    const name = file.name === 'standard input' ? '(standard input)' : file.name;
    const prefix = withName ? `${name}:` : '';
    let count = 0;
    let out = '';
    lines(file.text).forEach((line, i) => {
      regex.lastIndex = 0;
      if (regex.test(line) === f.has('v')) return;
      count++;
      if (f.has('o') && !f.has('v')) {
        for (const m of line.matchAll(new RegExp(regex.source, `${regex.flags.replace('g', '')}g`))) {
          if (m[0] !== '') out += `${prefix}${f.has('n') ? `${i + 1}:` : ''}${m[0]}\n`;
        }
      } else {
        out += `${prefix}${f.has('n') ? `${i + 1}:` : ''}${line}\n`;
      }
    });
    if (count > 0) selectedAny = true;
    if (f.has('q')) {
      if (selectedAny) return 0;
      continue;
    }
    if (f.has('l')) {
      if (count > 0) ctx.stdout(`${name}\n`);
    } else if (f.has('c')) {
      ctx.stdout(`${prefix}${count}\n`);
    } else {
      ctx.stdout(out);
    }
  }
  if (failed) return 2;
  return selectedAny ? 0 : 1;
};

/** One JavaScript RegExp for every pattern (any may match). */
export function compilePatterns(
  patterns: readonly string[],
  syntax: 'basic' | 'extended' | 'fixed',
  options: { ignoreCase?: boolean; line?: boolean; word?: boolean } = {},
): RegExp {
  const sources = patterns.map((p) => {
    const source = syntax === 'fixed' ? p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : translate(p, syntax === 'extended');
    if (options.line) return `^(?:${source})$`;
    if (options.word) return `(?<![A-Za-z0-9_])(?:${source})(?![A-Za-z0-9_])`;
    return source;
  });
  return new RegExp(sources.map((s) => `(?:${s})`).join('|'), options.ignoreCase ? 'i' : '');
}

const CLASSES: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: 'A-Za-z0-9_', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/**
 * POSIX regular expression (XBD 9.3 basic, 9.4 extended; GNU's `\+ \? \|` in basic) to
 * JavaScript source. In basic syntax `( ) { } + ? |` are literal and their backslashed forms
 * are operators; `*` first is literal. Bracket expressions keep `\` literal and know `[:alpha:]`.
 * Ex) translate('^-e', false) -> '^-e'; translate('a\\(b\\)\\{2\\}', false) -> 'a(b){2}'
 */
export function translate(pattern: string, extended: boolean): string {
  let out = '';
  let atStart = true;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const start = atStart;
    atStart = false;
    if (c === '[') {
      const end = bracketEnd(pattern, i);
      if (end < 0) throw new Error('Unterminated character class');
      out += bracket(pattern.slice(i + 1, end));
      i = end;
    } else if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined) throw new Error('Trailing backslash');
      if (n === '<' || n === '>') out += '\\b';
      else if (!extended && '(){}|+?'.includes(n)) {
        out += n;
        atStart = n === '(' || n === '|';
      } else if (/[1-9wWsSbB]/.test(n)) out += `\\${n}`;
      else out += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (!extended && '(){}|+?'.includes(c)) {
      out += `\\${c}`;
    } else if (c === '*' && start) {
      out += '\\*';
    } else if (c === '^') {
      out += '^';
      atStart = true;
    } else if (extended && (c === '(' || c === '|')) {
      out += c;
      atStart = true;
    } else if (c === '/') {
      out += '\\/';
    } else {
      out += c;
    }
  }
  return out;
}

/** Index of the `]` closing the bracket expression opened at `open` (a `]` first is literal). */
function bracketEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '[' && /[:.=]/.test(pattern[i + 1] ?? '')) {
      const close = pattern.indexOf(`${pattern[i + 1]}]`, i + 2);
      if (close < 0) return -1;
      i = close + 1;
    } else if (pattern[i] === ']') return i;
  }
  return -1;
}

function bracket(body: string): string {
  let out = '';
  let i = 0;
  if (body.startsWith('^')) {
    out += '^';
    i = 1;
  }
  for (; i < body.length; i++) {
    const c = body[i]!;
    const cls = /^\[:([a-z]+):\]/.exec(body.slice(i));
    if (cls) {
      const range = CLASSES[cls[1]!];
      if (range === undefined) throw new Error('Invalid character class name');
      out += range;
      i += cls[0].length - 1;
    } else if (c === '\\' || c === ']' || c === '[') {
      out += `\\${c}`;
    } else {
      out += c;
    }
  }
  return `[${out}]`;
}

/** GNU grep's wording for a pattern JavaScript refused. */
function regexProblem(message: string): string {
  if (/Unterminated group/i.test(message)) return 'Unmatched ( or \\(';
  if (/Unmatched '\)'/i.test(message)) return 'Unmatched ) or \\)';
  if (/character class/i.test(message)) return message.includes('name') ? 'Invalid character class name' : 'Unmatched [, [^, [:, [., or [=';
  if (/Trailing backslash|\\ at end/i.test(message)) return 'Trailing backslash';
  if (/Nothing to repeat/i.test(message)) return 'Invalid preceding regular expression';
  return 'Invalid regular expression';
}
