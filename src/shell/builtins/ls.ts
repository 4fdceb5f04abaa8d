import { humanSize } from '../../pep';
import { statOf } from '../fs-text';
import type { ShellFs, ShellStat } from '../host';
import { joinChild, resolvePath } from '../path';
import { shellQuote } from '../quote';
import { options, type Builtin } from './context';

interface Entry {
  /** As shown: the name in a directory, or the operand as typed. */
  readonly name: string;
  readonly path: string;
  readonly stat: ShellStat;
}

interface LsFlags {
  readonly long: boolean;
  readonly all: boolean;
  readonly almostAll: boolean;
  readonly onePerLine: boolean;
  readonly classify: boolean;
  readonly slash: boolean;
  readonly human: boolean;
  readonly directory: boolean;
  readonly reverse: boolean;
  readonly byTime: boolean;
  /** Names quoted as coreutils' ls quotes them at a terminal (shell-escape); as they are into a pipe or file. */
  readonly quote: boolean;
}

/**
 * `ls [-laA1FphdrRt] [PATH]...` (GNU ls): columns at a terminal, one per line into a pipe or
 * file, `-l` long lines with `total`. Missing operands are reported and the status is 2.
 * At a terminal, names are shown as coreutils' `shell-escape` quoting style shows them (the
 * default there since coreutils 8.25): `'a b'`, `"it's"`, and a control character as
 * `'a'$'\033''b'`, so a file name cannot drive the terminal; into a pipe or a file they are
 * written as they are, as `ls` does.
 */
export const ls: Builtin = (args, ctx) => {
  const opts = options(
    'ls',
    args,
    {
      flags: 'laA1FphdrtU',
      long: { all: 'a', 'almost-all': 'A', classify: 'F', 'human-readable': 'h', directory: 'd', reverse: 'r' },
    },
    ctx,
  );
  if (!opts) return 2;
  const f = opts.flags;
  const flags: LsFlags = {
    long: f.has('l'),
    all: f.has('a'),
    almostAll: f.has('A'),
    onePerLine: f.has('1') || !ctx.stdoutIsTerminal,
    classify: f.has('F'),
    slash: f.has('p'),
    human: f.has('h'),
    directory: f.has('d'),
    reverse: f.has('r'),
    byTime: f.has('t'),
    quote: ctx.stdoutIsTerminal,
  };
  const fs = ctx.shell.fs;
  const width = ctx.shell.host.columns?.() ?? 80;
  const owner = ctx.shell.host.user;
  let status = 0;
  const files: Entry[] = [];
  const dirs: Entry[] = [];
  for (const name of opts.operands.length > 0 ? opts.operands : ['.']) {
    const path = resolvePath(ctx.cwd, name);
    const stat = statOf(fs, path);
    if (!stat) {
      ctx.stderr(`ls: cannot access ${shellQuote(name, 'always')}: No such file or directory\n`);
      status = 2;
    } else if (stat.kind === 'directory' && !flags.directory) dirs.push({ name, path, stat });
    else files.push({ name, path, stat });
  }
  const sections: string[] = [];
  if (files.length > 0) sections.push(render(sort(files, flags), flags, width, owner, fs, false));
  const headers = opts.operands.length > 1;
  for (const dir of sort(dirs, flags)) {
    const entries = listDirectory(fs, dir.path, flags);
    const body = render(sort(entries, flags), flags, width, owner, fs, true);
    sections.push(headers ? `${flags.quote ? shellQuote(dir.name) : dir.name}:\n${body}` : body);
  }
  ctx.stdout(sections.join('\n'));
  return status;
};

function listDirectory(fs: ShellFs, path: string, flags: LsFlags): Entry[] {
  const names = fs.readdir(path).filter((n) => flags.all || flags.almostAll || !n.startsWith('.'));
  if (flags.all) names.push('.', '..');
  const entries: Entry[] = [];
  for (const name of names) {
    const child = name === '.' ? path : name === '..' ? resolvePath(path, '..') : joinChild(path, name);
    const stat = statOf(fs, child);
    if (stat) entries.push({ name, path: child, stat });
  }
  return entries;
}

/**
 * Name order as in a UTF-8 locale (case and leading punctuation don't count first), so
 * `README.md` sits among the r's; `-t` newest first; `-r` reverses.
 */
function sort(entries: Entry[], flags: LsFlags): Entry[] {
  const key = (name: string): string => name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const byName = (a: Entry, b: Entry): number => {
    const ka = key(a.name);
    const kb = key(b.name);
    return ka < kb ? -1 : ka > kb ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  };
  const sorted = [...entries].sort((a, b) => (flags.byTime ? (b.stat.mtimeMs ?? 0) - (a.stat.mtimeMs ?? 0) || byName(a, b) : byName(a, b)));
  return flags.reverse ? sorted.reverse() : sorted;
}

function decorate(entry: Entry, flags: LsFlags, align: boolean): string {
  const quoted = flags.quote ? shellQuote(entry.name) : entry.name;
  // coreutils: when some name in the listing is quoted, the others get a space in front, so
  // the names line up (`align_variable_outer_quotes`).
  const name = align && quoted === entry.name ? ` ${quoted}` : quoted;
  if (entry.stat.kind === 'directory' && (flags.classify || flags.slash)) return `${name}/`;
  if (entry.stat.executable && entry.stat.kind === 'file' && flags.classify) return `${name}*`;
  return name;
}

/** Whether some name of the listing will be shown quoted (then the others are indented by one). */
function needsAlignment(entries: readonly Entry[], flags: LsFlags): boolean {
  return flags.quote && !flags.onePerLine && entries.some((e) => shellQuote(e.name) !== e.name);
}

function render(entries: readonly Entry[], flags: LsFlags, width: number, owner: string, fs: ShellFs, isDirectory: boolean): string {
  if (flags.long) return longFormat(entries, flags, owner, fs, isDirectory);
  const align = needsAlignment(entries, flags);
  const names = entries.map((e) => decorate(e, flags, align));
  if (names.length === 0) return '';
  if (flags.onePerLine) return `${names.join('\n')}\n`;
  return columns(names, width);
}

/**
 * GNU ls's vertical columns: the most columns whose widths (longest name + 2 between columns)
 * fit the terminal; names run down each column, then across.
 */
export function columns(names: readonly string[], width: number): string {
  const lengths = names.map((n) => [...n].length);
  for (let cols = names.length; cols >= 1; cols--) {
    const rows = Math.ceil(names.length / cols);
    const used = Math.ceil(names.length / rows);
    const widths: number[] = [];
    // A loop, not Math.max(...slice): a column of 150 000 names would overflow the stack as arguments.
    for (let c = 0; c < used; c++) widths.push(maxOf(lengths.slice(c * rows, (c + 1) * rows)));
    const total = widths.reduce((a, b) => a + b, 0) + 2 * (used - 1);
    // GNU: a line must stay shorter than the terminal (`line_len < line_length`).
    if (total >= width && cols > 1) continue;
    let out = '';
    for (let r = 0; r < rows; r++) {
      const row: string[] = [];
      for (let c = 0; c < used; c++) {
        const i = c * rows + r;
        if (i >= names.length) break;
        const isLast = c === used - 1 || (c + 1) * rows + r >= names.length;
        row.push(isLast ? names[i]! : names[i]! + ' '.repeat(widths[c]! - lengths[i]! + 2));
      }
      out += `${row.join('')}\n`;
    }
    return out;
  }
  return '';
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `-l`: `drwxr-xr-x 2 user user 4096 Jan  2 15:04 name`, columns aligned, preceded by `total`
 * (1 KiB blocks, files counted in whole 4 KiB blocks as on ext4) for a directory's listing.
 * Times are UTC: the page has no time zone of its own to honour.
 */
function longFormat(entries: readonly Entry[], flags: LsFlags, owner: string, fs: ShellFs, isDirectory: boolean): string {
  const align = flags.quote && entries.some((e) => shellQuote(e.name) !== e.name);
  const rows = entries.map((e) => {
    const mode = e.stat.kind === 'directory' ? 'drwxr-xr-x' : e.stat.executable ? '-rwxr-xr-x' : '-rw-r--r--';
    const links = e.stat.kind === 'directory' ? 2 + fs.readdir(e.path).filter((n) => fs.isDirectory(joinChild(e.path, n))).length : 1;
    const size = flags.human ? humanSize(e.stat.size) : String(e.stat.size);
    return { mode, links: String(links), size, time: formatTime(e.stat.mtimeMs), name: decorate(e, flags, align) };
  });
  const linkWidth = maxOf(rows.map((r) => r.links.length));
  const sizeWidth = maxOf(rows.map((r) => r.size.length));
  const blocks = entries.reduce((sum, e) => sum + (e.stat.kind === 'directory' ? 4 : Math.ceil(e.stat.size / 4096) * 4), 0);
  const total = isDirectory ? `total ${flags.human ? humanSize(blocks * 1024) : blocks}\n` : '';
  return total + rows.map((r) => `${r.mode} ${r.links.padStart(linkWidth)} ${owner} ${owner} ${r.size.padStart(sizeWidth)} ${r.time} ${r.name}\n`).join('');
}

/** The largest of `values`, 0 for none. */
function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

function formatTime(ms: number | null): string {
  if (ms === null) return '           ?';
  const d = new Date(ms);
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${hh}:${mm}`;
}

