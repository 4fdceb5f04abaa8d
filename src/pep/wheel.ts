/**
 * Distribution file names: wheels (PEP 427, binary distribution format) and sdists.
 *
 *   {name}-{version}(-{build})?-{python tag}-{abi tag}-{platform tag}.whl
 *
 * Parsing follows packaging's `parse_wheel_filename` (pypa/packaging `src/packaging/utils.py`)
 * so that our answers agree with pip's: the name may not contain `__` and must be word
 * characters, dots and underscores; the version must be PEP 440; the build tag must start with a
 * digit and sorts as (number, rest); the compressed tag set expands to every tag it stands for.
 */
import { PepError } from './error';
import { normalizeName, type NormalizedName } from './name';
import { pyRepr } from './python-repr';
import { parseTag, tagToString, InvalidTag } from './tags';
import { Version } from './version';

export interface WheelFilename {
  readonly name: NormalizedName;
  readonly version: Version;
  /** PEP 427 build tag split as packaging does: `1000abc` -> [1000, 'abc']; null when absent. */
  readonly build: readonly [number, string] | null;
  /** Every tag of the (expanded) compressed tag set, sorted by code point. */
  readonly tags: readonly string[];
}

/** A file name that is not a wheel name; `reason` is packaging's wording. */
export class InvalidWheelFilename extends PepError<'invalid-wheel-filename'> {
  override readonly name = 'InvalidWheelFilename';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-wheel-filename', reason, input, span);
  }
}

// PEP 427 escaping leaves only word characters, `.` and `_` in the name part (packaging's
// `^[\w\d._]*$` with re.UNICODE; Python's \w = letters, numbers and `_`). An empty name is
// not a project name either.
const NAME_PART = /^[\p{L}\p{N}_.]+$/u;
// PEP 427: "The build number must start with a digit."
const BUILD_TAG = /^(\d+)(.*)/u;

/**
 * Parse a wheel file name, or throw InvalidWheelFilename saying why.
 * Ex) `Foo_Bar-1.0-1000abc-py2.py3-none-any.whl` ->
 *     { name: 'foo-bar', version: 1.0, build: [1000, 'abc'], tags: ['py2-none-any', 'py3-none-any'] }
 */
export function parseWheelFilename(filename: string): WheelFilename {
  const fail = (why: string, span: { start: number; end?: number } | null = null): never => {
    throw new InvalidWheelFilename(`${why}: ${pyRepr(filename)}`, filename, span);
  };
  if (!filename.endsWith('.whl')) {
    fail("Invalid wheel filename (extension must be '.whl')", { start: Math.max(filename.lastIndexOf('.'), 0), end: filename.length });
  }
  const stem = filename.slice(0, -4);
  const pieces = stem.split('-');
  const dashes = pieces.length - 1;
  if (dashes !== 4 && dashes !== 5) fail('Invalid wheel filename (wrong number of parts)');

  const [namePart = '', versionPart = ''] = pieces;
  if (namePart.includes('__') || !NAME_PART.test(namePart)) {
    fail('Invalid project name', { start: 0, end: Math.max(namePart.length, 1) });
  }
  let offset = namePart.length + 1;

  let version: Version;
  try {
    version = Version.parse(versionPart);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    return fail('Invalid wheel filename (invalid version)', { start: offset, end: offset + Math.max(versionPart.length, 1) });
  }
  offset += versionPart.length + 1;

  let build: readonly [number, string] | null = null;
  if (dashes === 5) {
    const buildPart = pieces[2] ?? '';
    const m = BUILD_TAG.exec(buildPart);
    if (!m) {
      throw new InvalidWheelFilename(
        `Invalid build number: ${buildPart} in ${pyRepr(filename)} (a build tag must start with a digit)`,
        filename,
        { start: offset, end: offset + Math.max(buildPart.length, 1) },
      );
    }
    build = [Number(m[1]), m[2] ?? ''];
    offset += buildPart.length + 1;
  }

  const tagPart = pieces.slice(-3).join('-');
  let tags: string[];
  try {
    tags = parseTag(tagPart).map(tagToString);
  } catch (e) {
    if (!(e instanceof InvalidTag)) throw e;
    return fail(`Invalid wheel filename (${e.reason})`, {
      start: offset + (e.start ?? 0),
      end: offset + (e.end ?? tagPart.length),
    });
  }
  tags.sort(compareCodePoints);
  return { name: normalizeName(namePart), version, build, tags };
}

/**
 * How well a wheel with these tags fits: the index in `supported` (best first) of its best
 * tag, lower is better; null when no tag is supported (the wheel does not install here).
 * This is packaging's `create_compatible_tags_selector` rank.
 */
export function wheelRank(tags: readonly string[], supported: readonly string[]): number | null {
  const ranks = rankTable(supported);
  let best: number | null = null;
  for (const tag of tags) {
    const r = ranks.get(tag);
    if (r !== undefined && (best === null || r < best)) best = r;
  }
  return best;
}

// The supported list is usually one long-lived array consulted for every file of every
// project: build its tag -> rank map once.
const rankTables = new WeakMap<readonly string[], Map<string, number>>();

function rankTable(supported: readonly string[]): Map<string, number> {
  let table = rankTables.get(supported);
  if (!table) {
    table = new Map();
    supported.forEach((tag, i) => {
      if (!table!.has(tag)) table!.set(tag, i);
    });
    rankTables.set(supported, table);
  }
  return table;
}

/**
 * The name and version of a source distribution file (`.tar.gz` or `.zip`), or null when the
 * file name is not one. Like packaging's `parse_sdist_filename`, the version is what follows
 * the last dash, since PEP 440 versions never contain one.
 * Ex) `Foo.Bar-1.0rc1.tar.gz` -> { name: 'foo-bar', version: 1.0rc1 }
 */
export function parseSdistFilename(filename: string): { name: NormalizedName; version: Version } | null {
  let stem: string;
  if (filename.endsWith('.tar.gz')) stem = filename.slice(0, -'.tar.gz'.length);
  else if (filename.endsWith('.zip')) stem = filename.slice(0, -'.zip'.length);
  else return null;
  const dash = stem.lastIndexOf('-');
  if (dash <= 0) return null;
  try {
    return { name: normalizeName(stem.slice(0, dash)), version: Version.parse(stem.slice(dash + 1)) };
  } catch (e) {
    if (e instanceof PepError) return null;
    throw e;
  }
}

/** Python's `str < str`: by code point (JS compares UTF-16 code units). */
function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx - cy;
  }
}
