/**
 * Wildcard patterns (`*`, `?`, `[...]`) matched without a backtracking regular expression.
 *
 * A glob turned into a RegExp (`*` -> `.*`) backtracks: `*a*a*a*…*b` against a long name of
 * `a`s tries every way of placing each star, exponential in the number of stars (96 s for one
 * `ls` before this module). Here the pattern is cut at its stars into segments without stars;
 * the first must match at the start, the last at the end, and each one between is placed at
 * its leftmost match after the previous one. Leftmost is always right: a later placement
 * leaves less room for the segments after it and gains nothing, since a star absorbs any
 * gap. Each segment is tried once per position, so the time is at most (name length ×
 * pattern length), with no backtracking across stars.
 *
 * Two dialects: the shell's (XCU 2.13.1: `\` quotes the next character, `[!...]` and `[^...]`
 * negate) and Python's `fnmatch` (no escapes; `[!...]` negates, `^` is an ordinary member).
 * Both are matched over code points, as a `u` RegExp would.
 */

/** `shell`: backslash escapes and `[^...]`; `fnmatch`: Python's fnmatch.fnmatchcase rules. */
export type WildcardDialect = 'shell' | 'fnmatch';

type Token =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'char'; readonly char: string }
  /** Members as code point ranges (`a-z` is [97, 122]; a single `x` is [120, 120]). */
  | { readonly kind: 'class'; readonly negate: boolean; readonly members: readonly (readonly [number, number])[] };

/** A compiled pattern: `test(name)` is true when the whole name matches. */
export interface Wildcard {
  readonly pattern: string;
  test(name: string): boolean;
}

/**
 * Compiles `pattern` once for many names.
 * Ex) compileWildcard('*.py').test('setup.py') -> true; compileWildcard('[!a]*').test('abc') -> false
 */
export function compileWildcard(pattern: string, dialect: WildcardDialect = 'shell'): Wildcard {
  const segments = splitAtStars(tokenize(pattern, dialect));
  return { pattern, test: (name) => matchSegments(segments, [...name]) };
}

/** One-off match of `name` against `pattern`. */
export function matchWildcard(pattern: string, name: string, dialect: WildcardDialect = 'shell'): boolean {
  return compileWildcard(pattern, dialect).test(name);
}

interface Segments {
  /** The star-free runs, in order; with no star at all, exactly one. */
  readonly parts: readonly (readonly Token[])[];
  readonly hasStar: boolean;
}

function splitAtStars(tokens: readonly Token[]): Segments {
  const parts: Token[][] = [[]];
  let hasStar = false;
  for (const token of tokens) {
    if (token.kind === 'star') {
      hasStar = true;
      parts.push([]);
    } else parts[parts.length - 1]!.push(token);
  }
  return { parts, hasStar };
}

function matchSegments({ parts, hasStar }: Segments, name: readonly string[]): boolean {
  const first = parts[0]!;
  if (!hasStar) return first.length === name.length && matchAt(first, name, 0);
  const last = parts[parts.length - 1]!;
  // The first segment at the start, the last at the end, not overlapping.
  if (first.length + last.length > name.length) return false;
  if (!matchAt(first, name, 0) || !matchAt(last, name, name.length - last.length)) return false;
  let from = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    let at = from;
    while (at + part.length <= end && !matchAt(part, name, at)) at++;
    if (at + part.length > end) return false;
    from = at + part.length;
  }
  return true;
}

function matchAt(part: readonly Token[], name: readonly string[], at: number): boolean {
  for (let i = 0; i < part.length; i++) if (!matchOne(part[i]!, name[at + i]!)) return false;
  return true;
}

function matchOne(token: Token, c: string): boolean {
  switch (token.kind) {
    case 'any':
      return true;
    case 'char':
      return token.char === c;
    case 'class': {
      const code = c.codePointAt(0)!;
      const inside = token.members.some(([lo, hi]) => lo <= code && code <= hi);
      return inside !== token.negate;
    }
    case 'star':
      return false;
  }
}

/**
 * The pattern as tokens. A `[` without its `]` is an ordinary character; a `]` right after
 * `[` (or `[!`) is a member, not the end; `a-z` is a range by code point.
 */
function tokenize(pattern: string, dialect: WildcardDialect): Token[] {
  const chars = [...pattern];
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\\' && dialect === 'shell' && i + 1 < chars.length) {
      tokens.push({ kind: 'char', char: chars[++i]! });
    } else if (c === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' });
    } else if (c === '?') {
      tokens.push({ kind: 'any' });
    } else if (c === '[') {
      const parsed = parseClass(chars, i, dialect);
      if (parsed) {
        tokens.push(parsed.token);
        i = parsed.end;
      } else tokens.push({ kind: 'char', char: '[' });
    } else {
      tokens.push({ kind: 'char', char: c });
    }
  }
  return tokens;
}

function parseClass(chars: readonly string[], open: number, dialect: WildcardDialect): { token: Token; end: number } | null {
  let i = open + 1;
  const negate = chars[i] === '!' || (dialect === 'shell' && chars[i] === '^');
  if (negate) i++;
  const members: [number, number][] = [];
  let first = true;
  for (; i < chars.length; i++) {
    let c = chars[i]!;
    if (c === ']' && !first) return { token: { kind: 'class', negate, members }, end: i };
    first = false;
    if (c === '\\' && dialect === 'shell' && i + 1 < chars.length) c = chars[++i]!;
    if (chars[i + 1] === '-' && i + 2 < chars.length && chars[i + 2] !== ']') {
      let hi = chars[i + 2]!;
      i += 2;
      if (hi === '\\' && dialect === 'shell' && i + 1 < chars.length) hi = chars[++i]!;
      members.push([c.codePointAt(0)!, hi.codePointAt(0)!]);
    } else members.push([c.codePointAt(0)!, c.codePointAt(0)!]);
  }
  return null;
}
