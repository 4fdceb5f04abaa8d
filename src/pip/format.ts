/**
 * Small formatting helpers that reproduce pip's own output byte for byte: sizes
 * (`utils/misc.py` `format_size`), tables (`tabulate`), paths relative to the working directory
 * (`display_path`), Python's `repr()` of a string and `json.dumps()` spacing.
 */
import { compileWildcard, type Wildcard } from '../pep';

/** pip's `format_size` (and Python's `:.1f` under it): pep's byte-size.ts, one home per convention. */
export { formatSize, pyFixed1 } from '../pep';

/**
 * pip's `tabulate`: every column as wide as its widest cell, cells left-justified and joined
 * by one space, trailing spaces stripped. Returns the rows and the column sizes.
 */
export function tabulate(rows: readonly (readonly string[])[]): { lines: string[]; sizes: number[] } {
  // Loops, not Math.max(...rows): spreading a long list into arguments overflows the stack.
  let width = 0;
  for (const r of rows) width = Math.max(width, r.length);
  const sizes = Array.from({ length: width }, () => 0);
  for (const r of rows) r.forEach((cell, i) => (sizes[i] = Math.max(sizes[i]!, cell.length)));
  const lines = rows.map((row) =>
    sizes
      .map((size, i) => (row[i] ?? '').padEnd(size))
      .join(' ')
      .trim(),
  );
  return { lines, sizes };
}

export { resolvePath, dirname as dirnameOf } from '../install';

/** pip's `display_path`: `./x` for a path under the working directory, else the path. */
export function displayPath(cwd: string, path: string): string {
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(base) ? `./${path.slice(base.length)}` : path;
}

export function basenameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Python's `repr()` of a str (what `%r` prints in pip's messages): pep's one rule. */
export { pyRepr } from '../pep';

/**
 * Python's `json.dumps(value)` with its default separators (`", "`, `": "`) and
 * `ensure_ascii=True`, as `pip list --format=json` prints.
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return asciiJson(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${asciiJson(k)}: ${pyJsonDumps(v)}`).join(', ')}}`;
}

function asciiJson(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Python's `fnmatch.fnmatchcase` pattern (`*`, `?`, `[...]`, `[!...]`), compiled once: what
 * `pip cache list PATTERN` and `pip tree PATTERN` match names with. No RegExp: see pep's
 * wildcard.ts (a backtracking `.*` made `*a*a*…*b` take minutes).
 */
export function fnmatchPattern(pattern: string): Wildcard {
  return compileWildcard(pattern, 'fnmatch');
}

/** Python's `str(OSError)`: one rule for every filesystem error (pep's errno.ts). */
export { describeOsError } from '../pep';
