/**
 * A hand-written scanner for PEP 440 versions (private to src/pep).
 *
 * It accepts exactly the strings packaging's `VERSION_PATTERN` accepts (fullmatch, with the
 * VERBOSE | IGNORECASE flags, ASCII letters and digits only) and returns the parts already
 * normalized the way packaging's `Version.__init__` does: lower-case letters, alternate
 * spellings (alpha -> a, c/pre/preview -> rc, rev/r -> post), implicit numbers (`1.0a` ->
 * `1.0a0`), the `1.0-1` post-release spelling, integers without leading zeros, and local
 * segments split on `.`, `-`, `_`.
 *
 * The pattern's groups are possessive (`?+`), so once a part has matched the scanner never
 * gives characters back; that is what lets a single left-to-right pass decide.
 *
 *     v? (N!)? N(.N)* ([._-]? (alpha|a|beta|b|preview|pre|c|rc) [._-]? N?)?
 *        (-N | [._-]? (post|rev|r) [._-]? N?)? ([._-]? dev [._-]? N?)? (+ L([._-]L)*)?
 */
import { pyRepr } from './python-repr';

/** A non-negative integer: a number when it is exactly representable, else a bigint. */
export type Num = number | bigint;

export type PreTag = 'a' | 'b' | 'rc';

export interface VersionParts {
  epoch: Num;
  release: Num[];
  pre: PreTag | null;
  preNumber: Num;
  post: Num | null;
  dev: Num | null;
  /** Local segments: lower-cased strings, or integers for all-digit segments. */
  local: (Num | string)[] | null;
  /** True when some integer did not fit a double exactly (then it is a bigint). */
  big: boolean;
}

export interface VersionSyntaxError {
  /** Why the string is not a version (without the input: the caller adds it). */
  why: string;
  start: number;
  end: number;
}

// Python's str.isspace() / `\s` for str patterns, which packaging strips around a version.
export function isPyWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  if (c < 0x85) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// The scanner's cursor results, kept in module state so the hot path allocates nothing.
let numEnd = 0;
let numBig = false;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isSep(c: number): boolean {
  return c === 0x2e || c === 0x5f || c === 0x2d; // . _ -
}

function isAlnum(c: number): boolean {
  const l = c | 0x20;
  return (c >= 0x30 && c <= 0x39) || (l >= 0x61 && l <= 0x7a);
}

/** Reads the digits at `i` (there is at least one); sets numEnd; returns the value. */
function readNum(s: string, i: number, end: number): Num {
  let v = 0;
  let significant = 0;
  const start = i;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) break;
    if (significant > 0 || c !== 0x30) significant++;
    v = v * 10 + (c - 0x30);
    i++;
  }
  numEnd = i;
  if (significant <= 15) return v;
  const b = BigInt(s.slice(start, i));
  if (b <= MAX_SAFE) return Number(b);
  numBig = true;
  return b;
}

/** Case-insensitive ASCII match of a lower-case `word` at `i`. */
function matchWord(s: string, i: number, end: number, word: string): boolean {
  if (i + word.length > end) return false;
  for (let k = 0; k < word.length; k++) {
    if ((s.charCodeAt(i + k) | 0x20) !== word.charCodeAt(k)) return false;
  }
  return true;
}

// Result of the keyword matchers: length matched (0 = none) and the normalized tag.
let kwLen = 0;
let kwTag: PreTag = 'a';

/** `alpha|a|beta|b|preview|pre|c|rc`, tried in the pattern's order (longest first). */
function matchPre(s: string, i: number, end: number): boolean {
  if (i >= end) return false;
  switch (s.charCodeAt(i) | 0x20) {
    case 0x61: // a
      kwTag = 'a';
      kwLen = matchWord(s, i, end, 'alpha') ? 5 : 1;
      return true;
    case 0x62: // b
      kwTag = 'b';
      kwLen = matchWord(s, i, end, 'beta') ? 4 : 1;
      return true;
    case 0x70: // p
      kwTag = 'rc';
      kwLen = matchWord(s, i, end, 'preview') ? 7 : matchWord(s, i, end, 'pre') ? 3 : 0;
      return kwLen > 0;
    case 0x63: // c
      kwTag = 'rc';
      kwLen = 1;
      return true;
    case 0x72: // r
      kwTag = 'rc';
      kwLen = matchWord(s, i, end, 'rc') ? 2 : 0;
      return kwLen > 0;
    default:
      return false;
  }
}

/** `post|rev|r`. */
function matchPost(s: string, i: number, end: number): boolean {
  if (i >= end) return false;
  const c = s.charCodeAt(i) | 0x20;
  if (c === 0x70) kwLen = matchWord(s, i, end, 'post') ? 4 : 0;
  else if (c === 0x72) kwLen = matchWord(s, i, end, 'rev') ? 3 : 1;
  else kwLen = 0;
  return kwLen > 0;
}

const STAGE_RELEASE = 0;
const STAGE_PRE = 1;
const STAGE_POST = 2;
const STAGE_DEV = 3;
const STAGE_LOCAL = 4;

/**
 * Scans `s` (surrounding whitespace allowed, as in packaging) into normalized parts, or says
 * where and why it is not a PEP 440 version.
 */
export function scanVersion(s: string): VersionParts | VersionSyntaxError {
  let end = s.length;
  let i = 0;
  while (i < end && isPyWhitespace(s.charCodeAt(i))) i++;
  while (end > i && isPyWhitespace(s.charCodeAt(end - 1))) end--;
  if (i === end) return { why: "the version is empty; expected a release number such as '1.0'", start: 0, end: s.length };
  numBig = false;

  // v? (N!)? N(.N)*
  if ((s.charCodeAt(i) | 0x20) === 0x76) i++;
  if (i >= end || !isDigit(s.charCodeAt(i))) return startError(s, i, end);
  let epoch: Num = 0;
  let first = readNum(s, i, end);
  i = numEnd;
  if (i < end && s.charCodeAt(i) === 0x21) {
    epoch = first;
    i++;
    if (i >= end || !isDigit(s.charCodeAt(i))) {
      return { why: "an epoch 'N!' must be followed by a release number such as '1!2.0'", start: i, end: Math.min(i + 1, end) };
    }
    first = readNum(s, i, end);
    i = numEnd;
  }
  const release: Num[] = [first];
  while (i + 1 < end && s.charCodeAt(i) === 0x2e && isDigit(s.charCodeAt(i + 1))) {
    release.push(readNum(s, i + 1, end));
    i = numEnd;
  }
  let stage = STAGE_RELEASE;

  // ([._-]? pre_l [._-]? N?)?
  let pre: PreTag | null = null;
  let preNumber: Num = 0;
  {
    let j = i;
    if (j < end && isSep(s.charCodeAt(j))) j++;
    if (matchPre(s, j, end)) {
      pre = kwTag;
      j += kwLen;
      if (j < end && isSep(s.charCodeAt(j))) j++;
      if (j < end && isDigit(s.charCodeAt(j))) {
        preNumber = readNum(s, j, end);
        j = numEnd;
      }
      i = j;
      stage = STAGE_PRE;
    }
  }

  // (-N | [._-]? post_l [._-]? N?)?
  let post: Num | null = null;
  if (i + 1 < end && s.charCodeAt(i) === 0x2d && isDigit(s.charCodeAt(i + 1))) {
    post = readNum(s, i + 1, end);
    i = numEnd;
    stage = STAGE_POST;
  } else {
    let j = i;
    if (j < end && isSep(s.charCodeAt(j))) j++;
    if (matchPost(s, j, end)) {
      j += kwLen;
      if (j < end && isSep(s.charCodeAt(j))) j++;
      post = 0;
      if (j < end && isDigit(s.charCodeAt(j))) {
        post = readNum(s, j, end);
        j = numEnd;
      }
      i = j;
      stage = STAGE_POST;
    }
  }

  // ([._-]? dev [._-]? N?)?
  let dev: Num | null = null;
  {
    let j = i;
    if (j < end && isSep(s.charCodeAt(j))) j++;
    if (matchWord(s, j, end, 'dev')) {
      j += 3;
      if (j < end && isSep(s.charCodeAt(j))) j++;
      dev = 0;
      if (j < end && isDigit(s.charCodeAt(j))) {
        dev = readNum(s, j, end);
        j = numEnd;
      }
      i = j;
      stage = STAGE_DEV;
    }
  }

  // (+ L([._-]L)*)?
  let local: (Num | string)[] | null = null;
  if (i < end && s.charCodeAt(i) === 0x2b) {
    stage = STAGE_LOCAL;
    local = [];
    let j = i + 1;
    for (;;) {
      const segStart = j;
      let allDigits = true;
      while (j < end && isAlnum(s.charCodeAt(j))) {
        if (!isDigit(s.charCodeAt(j))) allDigits = false;
        j++;
      }
      if (j === segStart) return localError(j, end);
      if (allDigits) {
        local.push(readNum(s, segStart, j));
      } else {
        local.push(s.slice(segStart, j).toLowerCase());
      }
      if (j + 1 < end && isSep(s.charCodeAt(j)) && isAlnum(s.charCodeAt(j + 1))) j++;
      else break;
    }
    i = j;
    if (i !== end) return localError(i, end);
  }

  if (i !== end) return trailingError(s, i, end, stage);
  return { epoch, release, pre, preNumber, post, dev, local, big: numBig };
}

function startError(s: string, i: number, end: number): VersionSyntaxError {
  const c = i < end ? s.charCodeAt(i) : -1;
  if (c >= 0 && /\p{Nd}/u.test(s[i]!)) {
    return { why: 'only the ASCII digits 0-9 may be used in a version', start: i, end: i + 1 };
  }
  return {
    why: "a version must start with a release number such as '1.0' (optionally after 'v' or an epoch like '1!')",
    start: Math.min(i, end - 1),
    end: Math.min(i, end - 1) + 1,
  };
}

function localError(at: number, end: number): VersionSyntaxError {
  const start = Math.min(at, end - 1);
  return {
    why: "a local version label (after '+') must be ASCII letters and digits separated by single '.', '-' or '_', such as '+ubuntu.1'",
    start,
    end: start + 1,
  };
}

function trailingError(s: string, i: number, end: number, stage: number): VersionSyntaxError {
  const c = s.charCodeAt(i);
  if (isPyWhitespace(c)) return { why: 'whitespace is not allowed inside a version', start: i, end: i + 1 };
  if (c === 0x2a || (c === 0x2e && s.charCodeAt(i + 1) === 0x2a)) {
    const star = s.indexOf('*', i);
    return { why: "a '.*' wildcard belongs in a specifier such as '==1.0.*', not in a version", start: i, end: star + 1 };
  }
  if (c === 0x2e && stage === STAGE_RELEASE && (i + 1 === end || s.charCodeAt(i + 1) === 0x2e)) {
    return { why: "the release segment has an empty part: each '.' must be followed by a number", start: i, end: i + 1 };
  }
  if (/\p{Nd}/u.test(s[i]!)) {
    return { why: 'only the ASCII digits 0-9 may be used in a version', start: i, end: i + 1 };
  }
  const rest = s.slice(i, end);
  const after = [
    'after the release segment',
    'after the pre-release',
    'after the post-release',
    'after the dev release',
    'after the local label',
  ][stage];
  const allowed = [
    "only a pre-release (a1, b2, rc3), a post-release (.post1), a dev release (.dev1) and a local label (+abc) may follow, in that order",
    'only a post-release (.post1), a dev release (.dev1) and a local label (+abc) may follow',
    'only a dev release (.dev1) and a local label (+abc) may follow',
    'only a local label (+abc) may follow',
    'nothing may follow',
  ][stage];
  return { why: `unexpected ${pyRepr(rest)} ${after}: ${allowed}`, start: i, end };
}
