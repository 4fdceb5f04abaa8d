import { shellQuote } from '../quote';
import { lines, options, readInputs, type Builtin } from './context';

/**
 * `echo [-neE] ARG...`: bash's builtin, where an argument is an option only if it is made of
 * n, e and E (so `echo -x` prints `-x`). `-e` turns on backslash escapes.
 */
export const echo: Builtin = (args, ctx) => {
  let newline = true;
  let escapes = false;
  let i = 0;
  for (; i < args.length && /^-[neE]+$/.test(args[i]!); i++) {
    for (const c of args[i]!.slice(1)) {
      if (c === 'n') newline = false;
      else escapes = c === 'e';
    }
  }
  let text = args.slice(i).join(' ');
  if (escapes) {
    const cut = text.indexOf('\\c');
    if (cut >= 0) {
      text = text.slice(0, cut); // `\c`: no further output, not even the newline
      newline = false;
    }
    text = unescape(text);
  }
  ctx.stdout(newline ? `${text}\n` : text);
  return 0;
};

const ESCAPES: Record<string, string> = { a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\' };

function unescape(text: string): string {
  return text.replace(/\\(0[0-7]{0,3}|x[0-9a-fA-F]{1,2}|.)/g, (whole, e: string) => {
    if (e.startsWith('0')) return String.fromCharCode(parseInt(e.slice(1) || '0', 8));
    if (e.startsWith('x') && e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? whole;
  });
}

/** `head [-n N | -N] [FILE]...`: the first N lines (10), with `==> FILE <==` headers for several files. */
export const head: Builtin = (args, ctx) => {
  // `head -5` is the old spelling of `head -n 5`.
  const normalized = args.map((a) => (/^-[0-9]+$/.test(a) ? `-n${a.slice(1)}` : a));
  const opts = options('head', normalized, { flags: 'qv', values: 'nc', long: { lines: 'n', bytes: 'c', quiet: 'q', verbose: 'v' } }, ctx);
  if (!opts) return 1;
  const countText = opts.values.get('n')?.at(-1) ?? '10';
  const count = Number(countText);
  if (!/^[0-9]+$/.test(countText) || !Number.isSafeInteger(count)) {
    ctx.stderr(`head: invalid number of lines: ${shellQuote(countText, 'always')}\n`);
    return 1;
  }
  const { files, failed } = readInputs(ctx, opts.operands, (name, why) => `head: cannot open ${shellQuote(name, 'always')} for reading: ${why}\n`);
  const headers = (opts.operands.length > 1 || opts.flags.has('v')) && !opts.flags.has('q');
  files.forEach((file, i) => {
    if (headers) ctx.stdout(`${i > 0 ? '\n' : ''}==> ${shellQuote(file.name, 'unprintable')} <==\n`);
    ctx.stdout(firstLines(file.text, count));
  });
  return failed ? 1 : 0;
};

/** The first `count` lines, each keeping its newline (the last may have none). */
function firstLines(text: string, count: number): string {
  let end = 0;
  for (let n = 0; n < count && end < text.length; n++) {
    const nl = text.indexOf('\n', end);
    end = nl < 0 ? text.length : nl + 1;
  }
  return text.slice(0, end);
}

/**
 * `cut -d DELIM -f LIST` or `cut -c LIST` (GNU cut): LIST is `N`, `N-M`, `N-`, `-M`, comma
 * separated. A line without the delimiter is printed whole unless `-s`.
 * Ex) `echo 'requests==2.32.3' | cut -d = -f 1` -> `requests`
 */
export const cut: Builtin = (args, ctx) => {
  const opts = options('cut', args, { flags: 's', values: 'dfcb', long: { delimiter: 'd', fields: 'f', characters: 'c', bytes: 'b', 'only-delimited': 's' } }, ctx);
  if (!opts) return 1;
  const usage = (message: string): number => {
    ctx.stderr(`cut: ${message}\nTry 'cut --help' for more information.\n`);
    return 1;
  };
  const fieldList = opts.values.get('f')?.at(-1);
  const charList = opts.values.get('c')?.at(-1) ?? opts.values.get('b')?.at(-1);
  if (fieldList === undefined && charList === undefined) return usage('you must specify a list of bytes, characters, or fields');
  if (fieldList !== undefined && charList !== undefined) return usage('only one type of list may be specified');
  const delimiter = opts.values.get('d')?.at(-1) ?? '\t';
  if (opts.values.has('d') && fieldList === undefined) return usage('an input delimiter may be specified only when operating on fields');
  if ([...delimiter].length !== 1) return usage('the delimiter must be a single character');
  const ranges = parseList(fieldList ?? charList!, fieldList !== undefined ? 'field' : 'position');
  if (typeof ranges === 'string') return usage(ranges);
  const selected = (n: number): boolean => ranges.some(([lo, hi]) => n >= lo && n <= hi);
  const { files, failed } = readInputs(ctx, opts.operands, (name, why) => `cut: ${shellQuote(name)}: ${why}\n`);
  let out = '';
  for (const file of files) {
    for (const line of lines(file.text)) {
      if (fieldList === undefined) {
        out += `${[...line].filter((_, i) => selected(i + 1)).join('')}\n`;
      } else if (!line.includes(delimiter)) {
        if (!opts.flags.has('s')) out += `${line}\n`;
      } else {
        out += `${line.split(delimiter).filter((_, i) => selected(i + 1)).join(delimiter)}\n`;
      }
    }
  }
  ctx.stdout(out);
  return failed ? 1 : 0;
};

/** `1,3-4,6-` -> [[1,1],[3,4],[6,Infinity]], or GNU's complaint. */
function parseList(list: string, kind: 'field' | 'position'): [number, number][] | string {
  const ranges: [number, number][] = [];
  for (const item of list.split(',')) {
    const match = /^([0-9]*)(-?)([0-9]*)$/.exec(item);
    if (!match || item === '' || item === '-') return kind === 'field' ? `invalid field value '${item}'` : `invalid byte/character position '${item}'`;
    const lo = match[1] ? Number(match[1]) : 1;
    const hi = match[2] ? (match[3] ? Number(match[3]) : Infinity) : lo;
    if (lo === 0 || hi === 0) return kind === 'field' ? 'fields are numbered from 1' : 'byte/character positions are numbered from 1';
    if (hi < lo) return 'invalid decreasing range';
    ranges.push([lo, hi]);
  }
  return ranges;
}
