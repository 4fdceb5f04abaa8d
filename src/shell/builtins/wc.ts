import { options, readInputs, type Builtin } from './context';

interface Counts {
  lines: number;
  words: number;
  chars: number;
  bytes: number;
  maxLine: number;
}

const encoder = new TextEncoder();

/**
 * `wc [-lwmcL] [FILE]...` (GNU wc): newlines, words, characters, bytes and the longest line,
 * in that order; lines, words and bytes when no option says which. Counts are right-aligned to
 * GNU's width: the digits of the total size of the files, at least 7 when reading standard
 * input, and no padding for one count of one input. Several files end with a `total` line.
 * Ex) `pip freeze | wc -l` -> `12`
 */
export const wc: Builtin = (args, ctx) => {
  const opts = options('wc', args, { flags: 'lwmcL', long: { lines: 'l', words: 'w', chars: 'm', bytes: 'c', 'max-line-length': 'L' } }, ctx);
  if (!opts) return 1;
  const f = opts.flags;
  const chosen = f.size > 0 ? f : new Set(['l', 'w', 'c']);
  const show = (['l', 'w', 'm', 'c', 'L'] as const).filter((k) => chosen.has(k));
  const { files, failed } = readInputs(ctx, opts.operands, (name, why) => `wc: ${name}: ${why}\n`);
  const counted = files.map((file) => ({ name: opts.operands.length === 0 ? null : file.name === 'standard input' ? '-' : file.name, counts: count(file.text), stdin: file.name === 'standard input' }));
  const total: Counts = { lines: 0, words: 0, chars: 0, bytes: 0, maxLine: 0 };
  for (const { counts } of counted) {
    total.lines += counts.lines;
    total.words += counts.words;
    total.chars += counts.chars;
    total.bytes += counts.bytes;
    total.maxLine = Math.max(total.maxLine, counts.maxLine);
  }
  const inputs = counted.length + (failed ? 1 : 0);
  let width = 1;
  if (!(show.length === 1 && inputs === 1)) {
    const regularBytes = counted.filter((c) => !c.stdin).reduce((n, c) => n + c.counts.bytes, 0);
    width = Math.max(String(regularBytes).length, counted.some((c) => c.stdin) ? 7 : 1);
  }
  const value = (c: Counts, k: (typeof show)[number]): number => ({ l: c.lines, w: c.words, m: c.chars, c: c.bytes, L: c.maxLine })[k];
  const line = (c: Counts, name: string | null): string => `${show.map((k) => String(value(c, k)).padStart(width)).join(' ')}${name === null ? '' : ` ${name}`}\n`;
  let out = '';
  for (const c of counted) out += line(c.counts, c.name);
  if (opts.operands.length > 1) out += line(total, 'total');
  ctx.stdout(out);
  return failed ? 1 : 0;
};

function count(text: string): Counts {
  let lines = 0;
  let words = 0;
  let chars = 0;
  let maxLine = 0;
  let column = 0;
  let inWord = false;
  for (const ch of text) {
    chars++;
    if (ch === '\n') {
      lines++;
      maxLine = Math.max(maxLine, column);
      column = 0;
    } else if (ch === '\t') column += 8 - (column % 8);
    else if (ch !== '\r') column++;
    const space = /\s/.test(ch);
    if (!space && !inWord) words++;
    inWord = !space;
  }
  maxLine = Math.max(maxLine, column);
  return { lines, words, chars, bytes: encoder.encode(text).length, maxLine };
}
