/**
 * PEP 440 version specifiers (packaging 26's `Specifier` and `SpecifierSet`).
 *
 * Grammar (packaging's `_specifier_regex_str`, ASCII letters only):
 *
 *     specifier   = ws* ( '===' ws* [^\s;)]*
 *                       | ('==' | '!=') ws* version ('.*' | local?)      -- wildcard: release only
 *                       | '~=' ws* version                                -- 2+ release parts, no local
 *                       | ('<=' | '>=' | '<' | '>') ws* version ) ws*     -- no local, no wildcard
 *     specifierSet = specifier? (',' specifier?)*                         -- empty items are skipped
 *
 * Matching goes through each specifier's VersionRange, so `contains` is exact on every PEP 440
 * rule; `===` compares strings case-insensitively, as packaging does.
 *
 * Pre-release policy, as packaging 26 (the conformance vectors' oracle): `contains(v)` accepts a
 * matching pre-release unless `{prereleases: false}`; `filter` keeps pre-releases only when a
 * specifier names one (`namesPrerelease`) or when nothing final matches. Packaging 25.0, which
 * pip 25.3 vendors, differs in `filter` only: a non-empty set that names no pre-release keeps
 * final releases only, even when just pre-releases match. The resolver applies pip 25.3's rule
 * itself (src/resolver/prerelease.ts); `namesPrerelease` is the same in both.
 */
import { PepError } from './error';
import { VersionRange } from './range';
import { Version } from './version';
import { pyRepr } from './python-repr';
import { isPyWhitespace, scanVersion } from './version-parser';

export type SpecifierOperator = '===' | '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>';

/** A string that is not a specifier or specifier set (packaging's `InvalidSpecifier`). */
export class InvalidSpecifier extends PepError<'invalid-specifier'> {
  override readonly name: string = 'InvalidSpecifier';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-specifier', reason, input, span);
  }
}

export interface ContainsOptions {
  /** false: never a pre-release; true or absent: pre-releases match like any version. */
  prereleases?: boolean;
}

export interface FilterOptions<T> {
  /** true: keep matching pre-releases; false: drop them; absent: pip's rule (see SpecifierSet.filter). */
  prereleases?: boolean;
  key?: (item: T) => Version | string;
}

const TWO_CHAR_OPERATORS: readonly SpecifierOperator[] = ['~=', '==', '!=', '<=', '>='];

export class Specifier {
  readonly operator: SpecifierOperator;
  /** The version as written (whitespace stripped), `.*` included: `1.0a`, `2.*`, `V1.0`. */
  readonly version: string;
  /** The parsed version (the release before `.*` for a wildcard); null for `===not-a-version`. */
  readonly parsedVersion: Version | null;
  readonly isWildcard: boolean;
  /** The version has a `+local` label (only `==` and `!=` allow one). */
  readonly hasLocal: boolean;
  /** @internal Equality key: packaging's `_canonical_spec`. */
  readonly canonicalKey: string;
  private rangeCache: VersionRange | null;

  private constructor(operator: SpecifierOperator, version: string, parsed: Version | null, wildcard: boolean) {
    this.operator = operator;
    this.version = version;
    this.parsedVersion = parsed;
    this.isWildcard = wildcard;
    this.hasLocal = parsed !== null && parsed.local !== null;
    this.canonicalKey = canonicalKey(operator, version, parsed, wildcard);
    this.rangeCache = null;
  }

  /** Parses one specifier such as `>=1.0`; throws {@link InvalidSpecifier}. */
  static parse(s: string): Specifier {
    const spec = Specifier.parseAt(s, 0, s.length);
    if (spec === null) throw new InvalidSpecifier(`Invalid specifier: ${pyRepr(s)}: the specifier is empty`, s);
    return spec;
  }

  /**
   * Whether this specifier names a pre-release (packaging's `Specifier.prereleases` without an
   * override): never for `!=` or `==X.*`, unknown (null) for `===` of a non-version.
   */
  get prereleases(): boolean | null {
    if (this.operator === '!=') return false;
    if (this.operator === '==' && this.isWildcard) return false;
    return this.parsedVersion === null ? null : this.parsedVersion.isPrerelease;
  }

  /** The versions this specifier matches, pre-releases included. */
  get range(): VersionRange {
    return (this.rangeCache ??= VersionRange.fromSpecifier(this));
  }

  contains(v: Version | string, opts?: ContainsOptions): boolean {
    const parsed = typeof v === 'string' ? Version.tryParse(v) : v;
    if (opts?.prereleases === false && parsed !== null && parsed.isPrerelease) return false;
    return this.matches(v, parsed);
  }

  /** @internal Match ignoring pre-release policy; `parsed` is `item` parsed (null if not a version). */
  matches(item: Version | string, parsed: Version | null): boolean {
    if (this.operator === '===') return String(item).toLowerCase() === this.version.toLowerCase();
    return parsed !== null && this.range.contains(parsed);
  }

  /** Same operator and version, trailing release zeros aside (`==1.0` equals `==1.0.0`). */
  equals(o: Specifier): boolean {
    return this.canonicalKey === o.canonicalKey;
  }

  toString(): string {
    return this.operator + this.version;
  }

  /** @internal Parse the specifier in `input[from, to)`; null when that is blank. */
  static parseAt(input: string, from: number, to: number): Specifier | null {
    const p = parseSpecifierParts(input, from, to);
    return p === null ? null : new Specifier(p.op, p.version, p.parsed, p.wildcard);
  }
}

/**
 * packaging's `_canonical_spec`: `===` and wildcards by their text; otherwise the normalized
 * version with trailing release zeros stripped, except for `~=` where they carry meaning.
 */
function canonicalKey(op: SpecifierOperator, version: string, parsed: Version | null, wildcard: boolean): string {
  if (op === '===' || wildcard || parsed === null) return `${op}${version}`;
  const s = parsed.toString();
  if (op === '~=') return op + s;
  const base = parsed.baseVersion;
  const bang = base.indexOf('!');
  const parts = base.slice(bang + 1).split('.');
  let n = parts.length;
  while (n > 1 && parts[n - 1] === '0') n--;
  return op + base.slice(0, bang + 1) + parts.slice(0, n).join('.') + s.slice(base.length);
}

interface SpecifierParts {
  op: SpecifierOperator;
  version: string;
  parsed: Version | null;
  wildcard: boolean;
}

/** Parses the specifier in `input[from, to)` (null when blank); errors point into `input`. */
function parseSpecifierParts(input: string, from: number, to: number): SpecifierParts | null {
  let i = from;
  let j = to;
  while (i < j && isPyWhitespace(input.charCodeAt(i))) i++;
  while (j > i && isPyWhitespace(input.charCodeAt(j - 1))) j--;
  if (i === j) return null;
  const err = (why: string, start: number, end = start + 1): never => {
    throw new InvalidSpecifier(`Invalid specifier: ${pyRepr(input.slice(i, j))}: ${why}`, input, { start, end });
  };

  let op: SpecifierOperator | null = null;
  if (input.startsWith('===', i)) op = '===';
  else {
    for (const o of TWO_CHAR_OPERATORS) if (input.startsWith(o, i)) op = o;
    const c = input[i];
    if (op === null && (c === '<' || c === '>')) op = c;
  }
  if (op === null) {
    const text = input.slice(i, j);
    const hint = 'why' in scanVersion(text) ? '' : ` (did you mean '==${text}'?)`;
    return err(`a specifier starts with an operator: one of ==, !=, <=, >=, <, >, ~=, ===${hint}`, i, j);
  }
  let k = i + op.length;
  while (k < j && isPyWhitespace(input.charCodeAt(k))) k++;
  const version = input.slice(k, j);

  if (op === '===') {
    // Arbitrary equality takes any text but whitespace, ';' and ')' (those end a requirement).
    for (let p = k; p < j; p++) {
      const c = input.charCodeAt(p);
      if (isPyWhitespace(c) || c === 0x3b || c === 0x29) {
        err("'===' takes a single word: no whitespace, ';' or ')' in its version", p);
      }
    }
    return { op, version, parsed: Version.tryParse(version), wildcard: false };
  }
  if (version === '') return err(`missing version after '${op}'`, i, i + op.length);
  for (let p = k; p < j; p++) {
    if (isPyWhitespace(input.charCodeAt(p))) err('whitespace is not allowed inside a version', p);
  }
  const star = version.indexOf('*');
  const wildcard = version.endsWith('.*') && star === version.length - 1;
  if (star >= 0 && !wildcard) {
    err(`a wildcard '.*' can only end the version, as in '${op === '!=' ? '!=' : '=='}1.0.*'`, k + star);
  }
  const text = wildcard ? version.slice(0, -2) : version;
  if (wildcard && op !== '==' && op !== '!=') {
    err(`wildcards are only allowed with == and != (write '==${text}.*', or '${op}${text}' without the wildcard)`, k + star - 1, j);
  }
  const r = scanVersion(text);
  if ('why' in r) return err(`${pyRepr(text)} is not a valid version: ${r.why}`, k + r.start, k + r.end);
  if (r.big) err('numbers beyond 2^53 are not supported in specifiers', k, j);
  const v = Version.parse(text);
  if (wildcard && (v.pre !== null || v.post !== null || v.dev !== null || v.local !== null)) {
    err(`a wildcard '.*' can only follow a release number, as in '${op}1.2.*': not a pre-, post- or dev-release or a local label`, k, j);
  }
  if (v.local !== null && op !== '==' && op !== '!=') {
    const plus = text.indexOf('+');
    err(`local versions are only allowed with == and != (remove '${text.slice(plus)}' or use '==${text}')`, k + plus, j);
  }
  if (op === '~=' && v.release.length < 2) {
    const major = v.release[0]!;
    err(`~= needs at least two release segments, as in '~=${major}.0' (for any ${major}.x write '>=${text},<${major + 1}' or '==${major}.*')`, k, j);
  }
  return { op, version, parsed: v, wildcard };
}

/** Python's `str` ordering (code points), which packaging sorts specifiers by. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 puts surrogates (astral characters) below U+E000..U+FFFF; code points do not.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

export class SpecifierSet {
  /** Sorted by text and without duplicates, as packaging prints them. */
  readonly specifiers: readonly Specifier[];
  private readonly hasArbitrary: boolean;
  private rangeCache: VersionRange | null;

  private constructor(specs: Iterable<Specifier>) {
    const sorted = [...specs].sort((a, b) => compareCodePoints(a.toString(), b.toString()));
    const seen = new Set<string>();
    const unique: Specifier[] = [];
    // Like packaging's dict.fromkeys(sorted(specs, key=str)): the first of equal ones stays.
    for (const s of sorted) {
      if (seen.has(s.canonicalKey)) continue;
      seen.add(s.canonicalKey);
      unique.push(s);
    }
    this.specifiers = unique;
    this.hasArbitrary = unique.some((s) => s.operator === '===');
    this.rangeCache = null;
  }

  /** Parses a comma-separated specifier set; `''` is every version. Throws {@link InvalidSpecifier}. */
  static parse(s: string): SpecifierSet {
    const specs: Specifier[] = [];
    let start = 0;
    for (;;) {
      const comma = s.indexOf(',', start);
      const end = comma < 0 ? s.length : comma;
      const spec = Specifier.parseAt(s, start, end);
      if (spec !== null) specs.push(spec);
      if (comma < 0) break;
      start = comma + 1;
    }
    return new SpecifierSet(specs);
  }

  static fromSpecifiers(specs: Iterable<Specifier>): SpecifierSet {
    return new SpecifierSet(specs);
  }

  /** Both sets' specifiers (packaging's `&`). */
  and(o: SpecifierSet): SpecifierSet {
    return new SpecifierSet([...this.specifiers, ...o.specifiers]);
  }

  /** True when a specifier names a pre-release (`>=1.0b1`), which lets pre-releases through `filter`. */
  get namesPrerelease(): boolean {
    return this.specifiers.some((s) => s.prereleases === true);
  }

  /** The versions the set matches, pre-releases included (`===` approximated, see VersionRange). */
  get range(): VersionRange {
    return (this.rangeCache ??= VersionRange.fromSpecifierSet(this));
  }

  /**
   * Does `v` satisfy every specifier? Pre-releases match unless `{prereleases: false}`; a string
   * that is not a version matches only `===` (and the empty set).
   */
  contains(v: Version | string, opts?: ContainsOptions): boolean {
    const parsed = typeof v === 'string' ? Version.tryParse(v) : v;
    if (opts?.prereleases === false && parsed !== null && parsed.isPrerelease) return false;
    if (this.specifiers.length === 0) return true;
    if (!this.hasArbitrary) return parsed !== null && this.range.contains(parsed);
    for (const s of this.specifiers) if (!s.matches(v, parsed)) return false;
    return true;
  }

  /**
   * The items whose version the set contains, in order. With `prereleases` absent this is
   * packaging 26's rule: pre-releases are kept when a specifier names one, or else only when no
   * final version matches. Items that are not versions are dropped, except by an empty set or `===`, which
   * keep them (as packaging does).
   */
  filter<T>(items: Iterable<T>, opts?: FilterOptions<T>): T[] {
    let pre = opts?.prereleases;
    if (pre === undefined && this.namesPrerelease) pre = true;
    const key = opts?.key;
    const finals: T[] = []; // finals, and non-versions (kept beside finals, as packaging does)
    const all: T[] = [];
    let foundFinal = false;
    const plain = this.specifiers.length > 0 && !this.hasArbitrary;
    for (const item of items) {
      // Without a key the items are the versions themselves (Version or string), as in packaging.
      const x = key ? key(item) : (item as unknown as Version | string);
      const parsed = typeof x === 'string' ? Version.tryParse(x) : x;
      if (plain) {
        if (parsed === null || !this.range.contains(parsed)) continue;
      } else if (!this.specifiers.every((s) => s.matches(x, parsed))) continue;
      if (parsed !== null && parsed.isPrerelease) {
        if (pre !== false) all.push(item);
      } else {
        if (parsed !== null) foundFinal = true;
        all.push(item);
        finals.push(item);
      }
    }
    if (pre !== undefined) return all;
    // pip's rule: drop pre-releases when a final version matched, else keep everything matched.
    return foundFinal ? finals : all;
  }

  /** The same specifiers, trailing release zeros aside (`>=1.0,!=1.5` equals `!=1.5.0, >=1`). */
  equals(o: SpecifierSet): boolean {
    const a = this.specifiers.map((s) => s.canonicalKey).sort();
    const b = o.specifiers.map((s) => s.canonicalKey).sort();
    return a.length === b.length && a.every((k, i) => k === b[i]);
  }

  /** Normalized like packaging: sorted by text, duplicates dropped, joined by ','. */
  toString(): string {
    return this.specifiers.join(',');
  }
}
