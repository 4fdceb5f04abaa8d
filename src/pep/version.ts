/**
 * PEP 440 versions: parse, normalize, compare (packaging's `packaging.version.Version`).
 *
 * Ordering goes through one sort key, packaging's `_cmpkey`, precomputed at parse time so that
 * `compare` allocates nothing:
 *
 *     (epoch, release without trailing zeros, pre, post, dev, local)
 *
 *  - release: trailing zeros ignored, so 1.0 == 1.0.0 (PEP 440 "Version matching" pads);
 *  - pre: a dev release of a final (1.0.dev0, no pre, no post) sorts before every pre-release
 *    of it (-inf), then a < b < rc by number, and no pre-release sorts after all of them (+inf);
 *  - post: none (-inf) before .post0 < .post1 ...;
 *  - dev: .devN before no dev (+inf);
 *  - local: none (-inf) before any label; labels compare segment by segment, numeric segments
 *    numerically and above alphanumeric ones, which compare as strings; a shorter label that is
 *    a prefix of a longer one sorts first (PEP 440 "Local version identifiers").
 *
 * So 1.0.dev0 < 1.0a1.dev0 < 1.0a1 < 1.0a1.post0 < 1.0rc1 < 1.0 < 1.0+abc < 1.0+1 < 1.0.post0.
 */
import { PepError } from './error';
import { pyRepr } from './python-repr';
import { scanVersion, type Num, type PreTag, type VersionParts } from './version-parser';

export type PreReleaseTag = PreTag;

/** A string that is not a PEP 440 version (packaging's `InvalidVersion`). */
export class InvalidVersion extends PepError<'invalid-version'> {
  override readonly name: string = 'InvalidVersion';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-version', reason, input, span);
  }
}

/** Parts for {@link Version.fromParts}; omitted parts are absent (epoch 0). */
export interface VersionPartsInput {
  epoch?: number;
  release: readonly number[];
  pre?: readonly [PreReleaseTag, number] | null;
  post?: number | null;
  dev?: number | null;
  local?: string | null;
}

// Sort-key codes for the pre segment (see the module comment).
const PRE_DEV_ONLY = -1;
const PRE_RANK: Readonly<Record<PreTag, number>> = { a: 0, b: 1, rc: 2 };
const PRE_NONE = 3;

type LocalKey = readonly (Num | string)[];

/** Exact parts kept only when some integer is beyond 2^53 (then `release` etc. are rounded). */
interface BigParts {
  readonly epoch: Num;
  readonly release: readonly Num[];
  readonly preNumber: Num;
  readonly post: Num | null;
  readonly dev: Num | null;
}

export class Version {
  readonly epoch: number;
  readonly release: readonly number[];
  readonly pre: readonly [PreReleaseTag, number] | null;
  readonly post: number | null;
  readonly dev: number | null;
  /** The normalized local label (`ubuntu.1`), or null. */
  readonly local: string | null;

  // The sort key, flattened.
  private readonly relLen: number; // release length without trailing zeros
  private readonly preKey: number;
  private readonly preNum: number;
  private readonly postKey: number; // -1: no post-release
  private readonly devKey: number; // Infinity: no dev release
  private readonly localKey: LocalKey | null;
  private readonly big: BigParts | null;
  private str: string | null;

  private constructor(p: VersionParts) {
    const big = p.big;
    this.epoch = Number(p.epoch);
    this.release = big ? p.release.map(Number) : (p.release as number[]);
    this.pre = p.pre === null ? null : [p.pre, Number(p.preNumber)];
    this.post = p.post === null ? null : Number(p.post);
    this.dev = p.dev === null ? null : Number(p.dev);
    this.local = p.local === null ? null : p.local.map(String).join('.');
    let n = p.release.length;
    while (n > 0 && p.release[n - 1] === 0) n--;
    this.relLen = n;
    this.preKey = p.pre !== null ? PRE_RANK[p.pre] : p.post === null && p.dev !== null ? PRE_DEV_ONLY : PRE_NONE;
    this.preNum = p.pre !== null ? this.pre![1] : 0;
    this.postKey = this.post === null ? -1 : this.post;
    this.devKey = this.dev === null ? Infinity : this.dev;
    this.localKey = p.local;
    this.big = big
      ? { epoch: p.epoch, release: p.release, preNumber: p.preNumber, post: p.post, dev: p.dev }
      : null;
    this.str = null;
  }

  /** Parses and normalizes a PEP 440 version; throws {@link InvalidVersion}. */
  static parse(s: string): Version {
    const r = scanVersion(s);
    if ('why' in r) {
      throw new InvalidVersion(`Invalid version: ${pyRepr(s)}: ${r.why}`, s, { start: r.start, end: r.end });
    }
    return new Version(r);
  }

  /** Like {@link parse} but returns null for a string that is not a version. */
  static tryParse(s: string): Version | null {
    const r = scanVersion(s);
    return 'why' in r ? null : new Version(r);
  }

  /** Builds a version from its parts (packaging's `Version.from_parts`); validates them. */
  static fromParts(parts: VersionPartsInput): Version {
    const bad = (what: string): never => {
      throw new InvalidVersion(`Invalid version parts: ${what}`, JSON.stringify(parts));
    };
    const isNat = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
    const epoch = parts.epoch ?? 0;
    if (!isNat(epoch)) bad(`epoch must be a non-negative integer, got ${epoch}`);
    if (parts.release.length === 0 || !parts.release.every(isNat)) {
      bad(`release must be a non-empty list of non-negative integers, got [${parts.release.join(', ')}]`);
    }
    const pre = parts.pre ?? null;
    if (pre !== null && (!Object.hasOwn(PRE_RANK, pre[0]) || !isNat(pre[1]))) bad(`pre must be ['a'|'b'|'rc', n], got ${String(pre)}`);
    const post = parts.post ?? null;
    if (post !== null && !isNat(post)) bad(`post must be a non-negative integer, got ${post}`);
    const dev = parts.dev ?? null;
    if (dev !== null && !isNat(dev)) bad(`dev must be a non-negative integer, got ${dev}`);
    let local: (Num | string)[] | null = null;
    if (parts.local != null) {
      const r = scanVersion(`0+${parts.local}`);
      if ('why' in r || r.local === null) return bad(`local must be a valid local label, got ${pyRepr(parts.local)}`);
      local = r.local;
    }
    return new Version({
      epoch,
      release: parts.release.slice(),
      pre: pre === null ? null : pre[0],
      preNumber: pre === null ? 0 : pre[1],
      post,
      dev,
      local,
      big: local !== null && local.some((x) => typeof x === 'bigint'),
    });
  }

  /** The version without its local label: `1!1.2.dev1`. */
  get public(): string {
    const s = this.toString();
    const plus = s.indexOf('+');
    return plus < 0 ? s : s.slice(0, plus);
  }

  /** Epoch and release only: `1!1.2.3` for `1!1.2.3rc1.post2+abc`. */
  get baseVersion(): string {
    const b = this.big;
    const rel = (b ? b.release : this.release).join('.');
    const epoch = b ? b.epoch : this.epoch;
    return epoch ? `${epoch}!${rel}` : rel;
  }

  /** A pre-release or a dev release (PEP 440 counts both as pre-releases). */
  get isPrerelease(): boolean {
    return this.pre !== null || this.dev !== null;
  }

  get isPostrelease(): boolean {
    return this.post !== null;
  }

  get isDevrelease(): boolean {
    return this.dev !== null;
  }

  /** <0, 0 or >0 as this sorts before, equal to or after `o`. */
  compare(o: Version): number {
    return Version.compare(this, o);
  }

  equals(o: Version): boolean {
    return Version.compare(this, o) === 0;
  }

  /** The normalized form: `1.0a1` for `v1.0-ALPHA.1`, `1.0.post0` for `1.0post`. */
  toString(): string {
    if (this.str !== null) return this.str;
    const b = this.big;
    const epoch = b ? b.epoch : this.epoch;
    let s = epoch ? `${epoch}!` : '';
    s += (b ? b.release : this.release).join('.');
    if (this.pre !== null) s += this.pre[0] + String(b ? b.preNumber : this.pre[1]);
    if (this.post !== null) s += '.post' + String(b ? b.post : this.post);
    if (this.dev !== null) s += '.dev' + String(b ? b.dev : this.dev);
    if (this.local !== null) s += '+' + this.local;
    this.str = s;
    return s;
  }

  /** The sort order of versions (packaging's `_cmpkey`); allocation-free. */
  static compare(a: Version, b: Version): number {
    if (a === b) return 0;
    if (a.big !== null || b.big !== null) return Version.compareBig(a, b);
    if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
    const ra = a.release;
    const rb = b.release;
    const la = a.relLen;
    const lb = b.relLen;
    const n = la < lb ? la : lb;
    for (let i = 0; i < n; i++) {
      const x = ra[i]!;
      const y = rb[i]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    // The longer trimmed release ends in a non-zero part, so it is the larger one.
    if (la !== lb) return la < lb ? -1 : 1;
    return Version.compareTail(a, b);
  }

  // The slow path for versions holding integers beyond 2^53: the same key, on exact values.
  private static compareBig(a: Version, b: Version): number {
    const c = Version.compareRelease(a, b);
    return c !== 0 ? c : Version.compareTail(a, b);
  }

  /** pre, post, dev and local parts of the key (release already equal). */
  private static compareTail(a: Version, b: Version): number {
    if (a.preKey !== b.preKey) return a.preKey < b.preKey ? -1 : 1;
    if (a.big !== null || b.big !== null) {
      const c = Version.compareBigTail(a, b);
      if (c !== 0) return c;
    } else {
      if (a.preNum !== b.preNum) return a.preNum < b.preNum ? -1 : 1;
      if (a.postKey !== b.postKey) return a.postKey < b.postKey ? -1 : 1;
      if (a.devKey !== b.devKey) return a.devKey < b.devKey ? -1 : 1;
    }
    return compareLocal(a.localKey, b.localKey);
  }

  private static compareBigTail(x: Version, y: Version): number {
    const preA = x.big ? x.big.preNumber : x.preNum;
    const preB = y.big ? y.big.preNumber : y.preNum;
    let c = compareNum(preA, preB);
    if (c !== 0) return c;
    const postA = x.big ? x.big.post : x.post;
    const postB = y.big ? y.big.post : y.post;
    c = postA === postB ? 0 : postA === null ? -1 : postB === null ? 1 : compareNum(postA, postB);
    if (c !== 0) return c;
    const devA = x.big ? x.big.dev : x.dev;
    const devB = y.big ? y.big.dev : y.dev;
    return devA === devB ? 0 : devA === null ? 1 : devB === null ? -1 : compareNum(devA, devB);
  }

  /** @internal Epoch and release (trailing zeros ignored) only: the "release family". */
  static compareRelease(a: Version, b: Version): number {
    if (a.big !== null || b.big !== null) {
      const ea = a.big ? a.big.epoch : a.epoch;
      const eb = b.big ? b.big.epoch : b.epoch;
      if (ea !== eb) return ea < eb ? -1 : 1;
      return compareNumLists(a.big ? a.big.release : a.release, a.relLen, b.big ? b.big.release : b.release, b.relLen);
    }
    if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
    return compareNumLists(a.release, a.relLen, b.release, b.relLen);
  }
}

function compareNum(p: Num, q: Num): number {
  return p === q ? 0 : p < q ? -1 : 1;
}

function compareLocal(ka: LocalKey | null, kb: LocalKey | null): number {
  if (ka === kb) return 0;
  if (ka === null) return -1;
  if (kb === null) return 1;
  const n = ka.length < kb.length ? ka.length : kb.length;
  for (let i = 0; i < n; i++) {
    const x = ka[i]!;
    const y = kb[i]!;
    if (x === y) continue;
    const xs = typeof x === 'string';
    const ys = typeof y === 'string';
    // PEP 440: numeric segments sort above alphanumeric ones.
    if (xs !== ys) return xs ? -1 : 1;
    return (x as number) < (y as number) ? -1 : 1;
  }
  return ka.length === kb.length ? 0 : ka.length < kb.length ? -1 : 1;
}

function compareNumLists(ra: readonly Num[], la: number, rb: readonly Num[], lb: number): number {
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const x = ra[i]!;
    const y = rb[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return la === lb ? 0 : la < lb ? -1 : 1;
}

/** The sort order of versions, for `Array.prototype.sort`. */
export function compareVersions(a: Version, b: Version): number {
  return Version.compare(a, b);
}
