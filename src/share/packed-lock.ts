/**
 * The environment lock as the bytes of a v2 share link (before DEFLATE): what v1 wrote as JSON,
 * packed. Integers are unsigned LEB128 varints, strings a varint byte length then UTF-8, a
 * sha256 its 32 raw bytes (64 hex digits in JSON).
 *
 * ```
 * lock  := str python, str pyodide, str platform, varint n, index * n (the lock's `indexes`),
 *          varint n, index * n (indexes only wheels name), varint n, wheel * n,
 *          varint n, (str path, str content) * n
 * index := varint token        -- 0: str url follows; k: INDEX_TOKENS[k-1]
 * wheel := u8 flags, varint index (0: none; k: the k-th of both index lists, in order),
 *          str name, str version, filename, 32 bytes sha256, [str url if source = URL]
 *   flags: bit 0 requested; bits 1-2 source: 0 FIND (the index lists the file by its name),
 *          1 BESIDE (the file is at the index URL + its name: Pyodide's CDN), 2 URL (written out);
 *          bit 3 STEM: the file name starts `<escaped name>-<version>` and that is not written
 * filename := varint tags (0: str tags follows; k: TAG_TOKENS[k-1]), [str stem unless STEM]
 *          -- the file is `<stem>-<tags>.whl`
 * [u8 1, varint n, build * n]  -- only when the lock has builds (a lock without reads as before)
 * build := u8 flags, str name, str version, then by kind:
 *   sdist:     varint index (0: none, the sdist is at its url), [str filename unless STEM],
 *              32 bytes sha256, [str url if index is 0]
 *   git:       str OWNER/REPO (of https://github.com/), 20 bytes commit, [str revision], [str subdirectory]
 *   directory: str path (relative to the home folder; empty: the home folder)
 *   flags: bits 0-1 kind (0 sdist, 1 git, 2 directory), bit 2 requested, bit 3 STEM (sdist:
 *          `<escaped name>-<version>.tar.gz`) / EDITABLE (directory), bit 4 revision follows,
 *          bit 5 subdirectory follows (git)
 * ```
 *
 * A PyPI wheel thus costs its 32-byte hash and a dozen bytes; its URL (a blake2b path PyPI
 * gives back for the file name) is not carried: the restore asks the index for the file by its
 * name and checks the sha256 (runtime/shared-environment.ts).
 *
 * Unpacking is for bytes from anyone: every length is checked against what is left, counts
 * against LockLimits, flags and token numbers against what exists; the result is plain data
 * for checkLock, which checks the rest as it checks a v1 lock (names, versions, file name
 * against name and version, URLs, credentials, where files land).
 */
import type { EnvironmentLock, LockedBuild, LockedWheel } from './environment-lock';
import { LockLimits, LOCK_VERSION } from './environment-lock';
import { INDEX_TOKENS, TAG_TOKENS } from './link-dictionary';

const Source = { find: 0, beside: 1, url: 2 } as const;
const REQUESTED = 0b1;
const SOURCE_SHIFT = 1;
const SOURCE_MASK = 0b110;
const STEM = 0b1000;
const KNOWN_FLAGS = REQUESTED | SOURCE_MASK | STEM;

/** The section after the files that holds builds. */
const BUILDS_SECTION = 1;
const BuildKind = { sdist: 0, git: 1, directory: 2 } as const;
const BUILD_KIND_MASK = 0b11;
const BUILD_REQUESTED = 0b100;
/** sdist: the file name is `<escaped name>-<version>.tar.gz`; directory: editable. */
const BUILD_SHORT = 0b1000;
const BUILD_REVISION = 0b1_0000;
const BUILD_SUBDIRECTORY = 0b10_0000;
const KNOWN_BUILD_FLAGS = BUILD_KIND_MASK | BUILD_REQUESTED | BUILD_SHORT | BUILD_REVISION | BUILD_SUBDIRECTORY;
const GITHUB = 'https://github.com/';

// --- packing -----------------------------------------------------------------------------

class Writer {
  private bytes = new Uint8Array(1024);
  private at = 0;
  private readonly encoder = new TextEncoder();

  private room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.at + n));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
  }
  byte(b: number): void {
    this.room(1);
    this.bytes[this.at++] = b;
  }
  varint(n: number): void {
    for (let v = n; ; v = Math.floor(v / 128)) {
      if (v < 128) {
        this.byte(v);
        return;
      }
      this.byte((v % 128) | 0x80);
    }
  }
  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.at);
    this.at += data.length;
  }
  str(s: string): void {
    const data = this.encoder.encode(s);
    this.varint(data.length);
    this.raw(data);
  }
  done(): Uint8Array {
    return this.bytes.slice(0, this.at);
  }
}

/** PEP 427's escaping of a name in a file name: runs of `-_.` become `_`, lower case. */
function escapedName(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

/** `six-1.17.0-py2.py3-none-any.whl` -> [`six-1.17.0`, `py2.py3-none-any`]: the tag set is the last three fields. */
function splitFilename(filename: string): [string, string] {
  const parts = filename.slice(0, -'.whl'.length).split('-');
  return [parts.slice(0, -3).join('-'), parts.slice(-3).join('-')];
}

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The bytes of a checked lock (checkLock's output): each wheel's URL only where its index cannot give it back. */
export function packLock(lock: EnvironmentLock): Uint8Array {
  const w = new Writer();
  w.str(lock.python);
  w.str(lock.pyodide);
  w.str(lock.platform);
  const indexes = [...lock.indexes];
  const indexNumber = (index: string): number => {
    let i = indexes.indexOf(index);
    if (i < 0) i = indexes.push(index) - 1;
    return i + 1;
  };
  // A wheel may name an index the lock's list lacks (a v1 lock could): those go in a second list.
  for (const d of lock.distributions) if (d.index !== null) indexNumber(d.index);
  for (const b of lock.builds ?? []) if (b.kind === 'sdist' && b.index !== null) indexNumber(b.index);
  const writeIndexes = (list: readonly string[]): void => {
    w.varint(list.length);
    for (const index of list) {
      const token = INDEX_TOKENS.indexOf(index);
      w.varint(token + 1);
      if (token < 0) w.str(index);
    }
  };
  writeIndexes(indexes.slice(0, lock.indexes.length));
  writeIndexes(indexes.slice(lock.indexes.length));
  w.varint(lock.distributions.length);
  for (const d of lock.distributions) packWheel(w, d, d.index === null ? 0 : indexNumber(d.index));
  w.varint(lock.files.length);
  for (const f of lock.files) {
    w.str(f.path);
    w.str(f.content);
  }
  const builds = lock.builds ?? [];
  if (builds.length > 0) {
    w.byte(BUILDS_SECTION);
    w.varint(builds.length);
    for (const b of builds) packBuild(w, b, b.kind === 'sdist' && b.index !== null ? indexNumber(b.index) : 0);
  }
  return w.done();
}

function sdistStem(name: string, version: string): string {
  return `${escapedName(name)}-${version.replace(/-/g, '_')}.tar.gz`;
}

function packBuild(w: Writer, b: LockedBuild, index: number): void {
  const requested = b.requested ? BUILD_REQUESTED : 0;
  switch (b.kind) {
    case 'sdist': {
      const short = b.filename === sdistStem(b.name, b.version);
      w.byte(BuildKind.sdist | requested | (short ? BUILD_SHORT : 0));
      w.str(b.name);
      w.str(b.version);
      w.varint(index);
      if (!short) w.str(b.filename);
      w.raw(hexBytes(b.sha256));
      if (index === 0) w.str(b.url!);
      return;
    }
    case 'git':
      w.byte(BuildKind.git | requested | (b.revision !== null ? BUILD_REVISION : 0) | (b.subdirectory !== null ? BUILD_SUBDIRECTORY : 0));
      w.str(b.name);
      w.str(b.version);
      w.str(b.repository.slice(GITHUB.length));
      w.raw(hexBytes(b.commit));
      if (b.revision !== null) w.str(b.revision);
      if (b.subdirectory !== null) w.str(b.subdirectory);
      return;
    case 'directory':
      w.byte(BuildKind.directory | requested | (b.editable ? BUILD_SHORT : 0));
      w.str(b.name);
      w.str(b.version);
      w.str(b.path);
      return;
  }
}

function packWheel(w: Writer, d: LockedWheel, index: number): void {
  let source: number = Source.url;
  if (d.index !== null && d.url !== null && d.url === new URL(d.filename, d.index).href) source = Source.beside;
  else if (d.index !== null) source = Source.find;
  const [stem, tags] = splitFilename(d.filename);
  const shortStem = stem === `${escapedName(d.name)}-${d.version.replace(/-/g, '_')}`;
  w.byte((d.requested ? REQUESTED : 0) | (source << SOURCE_SHIFT) | (shortStem ? STEM : 0));
  w.varint(index);
  w.str(d.name);
  w.str(d.version);
  const token = TAG_TOKENS.indexOf(tags);
  w.varint(token + 1);
  if (token < 0) w.str(tags);
  if (!shortStem) w.str(stem);
  w.raw(hexBytes(d.sha256));
  if (source === Source.url) w.str(d.url!);
}

// --- unpacking ---------------------------------------------------------------------------

/** Carries the first problem out of the reader; never escapes this module. */
class Unpackable {
  constructor(readonly reason: string) {}
}

class Reader {
  at = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  constructor(private readonly bytes: Uint8Array) {}

  peek(): number | undefined {
    return this.bytes[this.at];
  }
  get left(): number {
    return this.bytes.length - this.at;
  }
  byte(what: string): number {
    if (this.at >= this.bytes.length) throw new Unpackable(`it ends before ${what}`);
    return this.bytes[this.at++]!;
  }
  varint(what: string): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const b = this.byte(what);
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new Unpackable(`${what} is a number longer than 5 bytes`);
  }
  str(what: string): string {
    const length = this.varint(`the length of ${what}`);
    if (length > this.left) throw new Unpackable(`${what} is ${length} bytes long, and only ${this.left} are left`);
    const data = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    try {
      return this.decoder.decode(data);
    } catch {
      throw new Unpackable(`${what} is not UTF-8 text`);
    }
  }
  sha256(what: string): string {
    return this.hex(what, 32, 'sha256');
  }
  hex(what: string, n: number, kind: string): string {
    if (this.left < n) throw new Unpackable(`${what} ends after ${this.left} of the ${n} bytes of its ${kind}`);
    const data = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
  }
  count(what: string, max: number): number {
    const n = this.varint(`the number of ${what}`);
    if (n > max) throw new Unpackable(`${what} has ${n} entries (at most ${max})`);
    return n;
  }
}

/**
 * The lock in `bytes` as plain data in the lock's shape (for checkLock), or why the bytes are
 * not a packed lock. Never throws for bad input.
 */
export function unpackLock(bytes: Uint8Array): { kind: 'ok'; lock: unknown } | { kind: 'invalid'; reason: string } {
  try {
    return { kind: 'ok', lock: unpack(new Reader(bytes)) };
  } catch (e) {
    if (e instanceof Unpackable) return { kind: 'invalid', reason: e.reason };
    throw e;
  }
}

function unpack(r: Reader): unknown {
  const python = r.str('python');
  const pyodide = r.str('pyodide');
  const platform = r.str('platform');
  const readIndexes = (what: string): string[] => {
    const list: string[] = [];
    const n = r.count(what, LockLimits.indexes);
    for (let i = 0; i < n; i++) {
      const token = r.varint(`${what}[${i}]`);
      if (token === 0) list.push(r.str(`${what}[${i}]`));
      else if (token <= INDEX_TOKENS.length) list.push(INDEX_TOKENS[token - 1]!);
      else throw new Unpackable(`${what}[${i}] is entry ${token} of the link dictionary's indexes, which has ${INDEX_TOKENS.length}`);
    }
    return list;
  };
  const indexes = readIndexes('indexes');
  const named = [...indexes, ...readIndexes('the indexes only distributions name')];
  const distributions: unknown[] = [];
  const count = r.count('distributions', LockLimits.distributions);
  for (let i = 0; i < count; i++) distributions.push(unpackWheel(r, `distributions[${i}]`, named));
  const files: unknown[] = [];
  const fileCount = r.count('files', LockLimits.files);
  for (let i = 0; i < fileCount; i++) files.push({ path: r.str(`files[${i}].path`), content: r.str(`files[${i}].content`) });
  let builds: unknown[] | null = null;
  if (r.left > 0 && r.peek() === BUILDS_SECTION) {
    r.byte('builds');
    builds = [];
    const n = r.count('builds', LockLimits.distributions);
    for (let i = 0; i < n; i++) builds.push(unpackBuild(r, `builds[${i}]`, named));
    if (r.left > 0) throw new Unpackable(`${r.left} bytes follow its last build`);
  }
  if (r.left > 0) throw new Unpackable(`${r.left} bytes follow its last file`);
  return { version: LOCK_VERSION, python, pyodide, platform, indexes, distributions, files, ...(builds !== null ? { builds } : {}) };
}

function unpackBuild(r: Reader, where: string, indexes: readonly string[]): unknown {
  const flags = r.byte(where);
  if ((flags & ~KNOWN_BUILD_FLAGS) !== 0) throw new Unpackable(`${where} has flags 0x${flags.toString(16)}, with bits this Pipette does not know`);
  const kind = flags & BUILD_KIND_MASK;
  const requested = (flags & BUILD_REQUESTED) !== 0;
  if (kind !== BuildKind.git && (flags & (BUILD_REVISION | BUILD_SUBDIRECTORY)) !== 0) throw new Unpackable(`${where} has flags 0x${flags.toString(16)}, which only a git source has`);
  const name = r.str(`${where}.name`);
  const version = r.str(`${where}.version`);
  switch (kind) {
    case BuildKind.sdist: {
      const indexNumber = r.varint(`${where}'s index`);
      if (indexNumber > indexes.length) throw new Unpackable(`${where} names index ${indexNumber}, and the link lists ${indexes.length}`);
      const filename = (flags & BUILD_SHORT) !== 0 ? sdistStem(name, version) : r.str(`${where}'s file name`);
      const sha256 = r.sha256(where);
      const url = indexNumber === 0 ? r.str(`${where}.url`) : null;
      return { kind: 'sdist', name, version, requested, filename, url, sha256, index: indexNumber === 0 ? null : indexes[indexNumber - 1]! };
    }
    case BuildKind.git: {
      if ((flags & BUILD_SHORT) !== 0) throw new Unpackable(`${where} has flags 0x${flags.toString(16)}, which no git source has`);
      const repository = `${GITHUB}${r.str(`${where}.repository`)}`;
      const commit = r.hex(where, 20, 'commit');
      const revision = (flags & BUILD_REVISION) !== 0 ? r.str(`${where}.revision`) : null;
      const subdirectory = (flags & BUILD_SUBDIRECTORY) !== 0 ? r.str(`${where}.subdirectory`) : null;
      return { kind: 'git', name, version, requested, repository, commit, revision, subdirectory };
    }
    case BuildKind.directory:
      return { kind: 'directory', name, version, requested, path: r.str(`${where}.path`), editable: (flags & BUILD_SHORT) !== 0 };
    default:
      throw new Unpackable(`${where} is a source of kind ${kind}, which this Pipette does not know`);
  }
}

function unpackWheel(r: Reader, where: string, indexes: readonly string[]): unknown {
  const flags = r.byte(where);
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new Unpackable(`${where} has flags 0x${flags.toString(16)}, with bits this Pipette does not know`);
  const source = (flags & SOURCE_MASK) >> SOURCE_SHIFT;
  if (source !== Source.find && source !== Source.beside && source !== Source.url) throw new Unpackable(`${where} says its file is found in way ${source}, which this Pipette does not know`);
  const indexNumber = r.varint(`${where}'s index`);
  if (indexNumber > indexes.length) throw new Unpackable(`${where} names index ${indexNumber}, and the link lists ${indexes.length}`);
  const index = indexNumber === 0 ? null : indexes[indexNumber - 1]!;
  const name = r.str(`${where}.name`);
  const version = r.str(`${where}.version`);
  const token = r.varint(`${where}'s tags`);
  if (token > TAG_TOKENS.length) throw new Unpackable(`${where}'s file name uses tag set ${token} of the link dictionary, which has ${TAG_TOKENS.length}`);
  const tags = token === 0 ? r.str(`${where}'s tags`) : TAG_TOKENS[token - 1]!;
  const stem = (flags & STEM) !== 0 ? `${escapedName(name)}-${version.replace(/-/g, '_')}` : r.str(`${where}'s file name`);
  const filename = `${stem}-${tags}.whl`;
  const sha256 = r.sha256(where);
  let url: string | null = null;
  if (source === Source.url) url = r.str(`${where}.url`);
  else if (index === null) throw new Unpackable(`${where} is to be found on its index, and names none`);
  else if (source === Source.beside) url = besideIndex(index, filename, where);
  return { name, version, filename, url, sha256, index, requested: (flags & REQUESTED) !== 0 };
}

/** `index` + `filename`; the file name must stay one path segment (checkLock checks its characters too). */
function besideIndex(index: string, filename: string, where: string): string {
  if (/[/\\?#%]/.test(filename) || filename.startsWith('.')) throw new Unpackable(`${where}'s file name ${JSON.stringify(filename.slice(0, 80))} is not one path segment`);
  try {
    return new URL(filename, index).href;
  } catch {
    throw new Unpackable(`${where}'s index ${JSON.stringify(index.slice(0, 80))} is not a URL to put its file name after`);
  }
}
