import { resolvePath } from '../path';
import { lines, options, readInputs, type Builtin } from './context';

/** How one key compares (GNU sort's ordering options, global or per key: `-k2,2nr`). */
interface Ordering {
  readonly numeric: boolean;
  readonly general: boolean;
  readonly human: boolean;
  readonly version: boolean;
  readonly foldCase: boolean;
  readonly ignoreBlanks: boolean;
  readonly reverse: boolean;
}

interface Key {
  readonly startField: number;
  readonly startChar: number;
  /** 0: to the end of the line. */
  readonly endField: number;
  /** 0: to the end of the end field. */
  readonly endChar: number;
  readonly ordering: Ordering;
}

const ORDERING_FLAGS = 'bfghnrV';

/**
 * `sort [-bfghnruVcs] [-k POS1[,POS2]]... [-t SEP] [-o FILE] [FILE]...` (GNU sort): lines in
 * the order of a UTF-8 locale (case and punctuation count only when the letters tie), or by
 * number (`-n`, `-g`), size (`-h`: 2K < 1M), version (`-V`: 1.9 < 1.10), reversed (`-r`),
 * by keys (`-k2,2n` with `-t SEP`), duplicates dropped (`-u`). `-c` checks the order instead.
 * Ex) `pip list --format=freeze | sort -t= -k3 -V`
 */
export const sort: Builtin = (args, ctx) => {
  const opts = options(
    'sort',
    args,
    {
      flags: 'bcfghnrsuV',
      values: 'kto',
      long: {
        'ignore-leading-blanks': 'b', check: 'c', 'ignore-case': 'f', 'general-numeric-sort': 'g', 'human-numeric-sort': 'h',
        'numeric-sort': 'n', reverse: 'r', stable: 's', unique: 'u', 'version-sort': 'V', key: 'k', 'field-separator': 't', output: 'o',
      },
    },
    ctx,
  );
  if (!opts) return 2;
  const f = opts.flags;
  const global: Ordering = {
    numeric: f.has('n'),
    general: f.has('g'),
    human: f.has('h'),
    version: f.has('V'),
    foldCase: f.has('f'),
    ignoreBlanks: f.has('b'),
    reverse: f.has('r'),
  };
  const separator = opts.values.get('t')?.at(-1) ?? null;
  if (separator !== null && [...separator].length !== 1) {
    ctx.stderr(separator === '' ? 'sort: empty tab\n' : `sort: multi-character tab '${separator}'\n`);
    return 2;
  }
  const keys: Key[] = [];
  for (const text of opts.values.get('k') ?? []) {
    const key = parseKey(text, global);
    if (typeof key === 'string') {
      ctx.stderr(`sort: ${key}\nTry 'sort --help' for more information.\n`);
      return 2;
    }
    keys.push(key);
  }
  const { files, failed } = readInputs(ctx, opts.operands, (name, why) => `sort: cannot read: ${name}: ${why}\n`);
  if (failed) return 2;
  const all = files.flatMap((file) => lines(file.text).map((line) => ({ line, file: file.name })));
  const compare = comparator(keys, global, separator, !f.has('s') && !f.has('u'));

  if (f.has('c')) {
    for (let i = 1; i < all.length; i++) {
      const order = compare(all[i - 1]!.line, all[i]!.line);
      if (order > 0 || (f.has('u') && order === 0)) {
        ctx.stderr(`sort: ${all[i]!.file === 'standard input' ? '-' : all[i]!.file}:${i + 1}: disorder: ${all[i]!.line}\n`);
        return 1;
      }
    }
    return 0;
  }

  // Array.prototype.sort is stable: equal keys keep their input order (-s).
  const sorted = all.map((e) => e.line).sort(compare);
  const out = f.has('u') ? sorted.filter((line, i) => i === 0 || compare(sorted[i - 1]!, line) !== 0) : sorted;
  const text = out.map((l) => `${l}\n`).join('');
  const output = opts.values.get('o')?.at(-1);
  if (output === undefined) {
    ctx.stdout(text);
    return 0;
  }
  // -o may name one of the inputs: everything was read first, as GNU sort does.
  const path = resolvePath(ctx.cwd, output);
  try {
    ctx.shell.fs.writeFile(path, new TextEncoder().encode(text));
  } catch (e) {
    ctx.stderr(`sort: open failed: ${output}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  return 0;
};

/** `F[.C][OPTS][,F[.C][OPTS]]` -> a key; GNU's complaint as a string when it is not one. */
function parseKey(text: string, global: Ordering): Key | string {
  const m = /^(\d+)(?:\.(\d+))?([bdfghinMRrV]*)(?:,(\d+)(?:\.(\d+))?([bdfghinMRrV]*))?$/.exec(text);
  if (!m) return `invalid number at field start: invalid count at start of '${text}'`;
  const startField = Number(m[1]);
  if (startField === 0) return `field number is zero: invalid field specification '${text}'`;
  const letters = `${m[3] ?? ''}${m[6] ?? ''}`;
  const own = [...letters].some((c) => ORDERING_FLAGS.includes(c));
  // A key with ordering letters of its own does not inherit the global ones (GNU).
  const ordering: Ordering = own
    ? {
        numeric: letters.includes('n'),
        general: letters.includes('g'),
        human: letters.includes('h'),
        version: letters.includes('V'),
        foldCase: letters.includes('f'),
        ignoreBlanks: letters.includes('b'),
        reverse: letters.includes('r'),
      }
    : global;
  return { startField, startChar: m[2] ? Number(m[2]) : 1, endField: m[4] ? Number(m[4]) : 0, endChar: m[5] ? Number(m[5]) : 0, ordering };
}

/** Line comparison: each key in turn, then (unless -s or -u) the whole line as the last resort. */
function comparator(keys: readonly Key[], global: Ordering, separator: string | null, lastResort: boolean): (a: string, b: string) => number {
  return (a, b) => {
    if (keys.length === 0) {
      const order = compareText(a, b, global);
      if (order !== 0) return order;
    }
    for (const key of keys) {
      const order = compareText(extract(a, key, separator), extract(b, key, separator), key.ordering);
      if (order !== 0) return order;
    }
    if (!lastResort) return 0;
    const order = collate(a, b);
    return global.reverse ? -order : order;
  };
}

/** The text of `key` in `line`: fields split at the separator, or at blank-to-non-blank changes (leading blanks belong to a field). */
function extract(line: string, key: Key, separator: string | null): string {
  const starts: number[] = [];
  const ends: number[] = [];
  if (separator !== null) {
    let at = 0;
    for (const part of line.split(separator)) {
      starts.push(at);
      ends.push(at + part.length);
      at += part.length + separator.length;
    }
  } else {
    const re = /[ \t]*[^ \t]+|[ \t]+$/g;
    for (let m = re.exec(line); m; m = re.exec(line)) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
  }
  const fieldStart = starts[key.startField - 1];
  if (fieldStart === undefined) return '';
  let begin = fieldStart;
  if (key.ordering.ignoreBlanks) while (begin < ends[key.startField - 1]! && (line[begin] === ' ' || line[begin] === '\t')) begin++;
  begin = Math.min(begin + key.startChar - 1, line.length);
  let end = line.length;
  if (key.endField > 0) {
    const fieldEnd = ends[key.endField - 1];
    if (fieldEnd !== undefined) end = key.endChar > 0 ? Math.min(starts[key.endField - 1]! + key.endChar, fieldEnd) : fieldEnd;
  }
  return line.slice(begin, Math.max(begin, end));
}

function compareText(a: string, b: string, o: Ordering): number {
  let order: number;
  if (o.numeric) order = numericValue(a) - numericValue(b);
  else if (o.general) order = generalValue(a) - generalValue(b);
  else if (o.human) order = humanValue(a) - humanValue(b);
  else if (o.version) order = compareVersions(a.trimStart(), b.trimStart());
  else {
    const x = o.ignoreBlanks ? a.trimStart() : a;
    const y = o.ignoreBlanks ? b.trimStart() : b;
    order = o.foldCase ? collate(x.toUpperCase(), y.toUpperCase()) : collate(x, y);
  }
  order = Math.sign(order);
  return o.reverse ? -order : order;
}

/** `-n`: leading blanks, an optional minus, digits with an optional fraction; anything else is 0. */
function numericValue(s: string): number {
  const m = /^[ \t]*(-?\d*(?:\.\d*)?)/.exec(s);
  const n = m ? Number(m[1]) : NaN;
  return Number.isFinite(n) ? n : 0;
}

/** `-g`: what strtod reads (1e3, inf); what it cannot read sorts first. */
function generalValue(s: string): number {
  const n = Number.parseFloat(s.trim());
  return Number.isNaN(n) ? -Infinity : n;
}

/** `-h`: a number with an SI suffix (K, M, G, ...; 1K = 1024 as du prints it). */
function humanValue(s: string): number {
  const m = /^[ \t]*(-?\d*(?:\.\d*)?)([KMGTPEZYRQ]?)/i.exec(s);
  if (!m || m[1] === '' || m[1] === '-') return 0;
  const power = ' KMGTPEZYRQ'.indexOf((m[2] ?? '').toUpperCase() || ' ');
  return Number(m[1]) * 1024 ** Math.max(0, power);
}

/**
 * `-V` (GNU filevercmp): runs of digits compare as numbers, the rest by character, `~` before
 * everything. Ex) 1.9 < 1.10; 2.0rc1 < 2.0
 */
function compareVersions(a: string, b: string): number {
  const parts = (s: string): string[] => s.match(/\d+|\D+/g) ?? [];
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return y!.startsWith('~') ? 1 : -1;
    if (y === undefined) return x.startsWith('~') ? -1 : 1;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) {
      const rank = (c: string | undefined): number => (c === undefined ? 0 : c === '~' ? -1 : /[A-Za-z]/.test(c) ? c.charCodeAt(0) : c.charCodeAt(0) + 256);
      for (let j = 0; j < Math.max(x.length, y.length); j++) {
        const r = rank(x[j]) - rank(y[j]);
        if (r !== 0) return r;
      }
    }
  }
  return 0;
}

/**
 * Order in a UTF-8 locale (glibc's en_US.UTF-8, what a terminal's `sort` uses): letters and
 * digits first, case-insensitively; then lower case before upper case; then everything else.
 * Ex) a < A < b < B; `requests` < `Requests-Toolbelt`
 */
function collate(a: string, b: string): number {
  const key = (s: string): string => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const ka = key(a);
  const kb = key(b);
  if (ka !== kb) return ka < kb ? -1 : 1;
  const swap = (s: string): string => s.replace(/\p{L}/gu, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()));
  const sa = swap(a);
  const sb = swap(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
