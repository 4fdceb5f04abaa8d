/**
 * A reader for tar archives as sdists use them (POSIX.1-1988 ustar, POSIX.1-2001 pax headers,
 * GNU long names), returning entries as data; nothing is written here. What an entry may be or
 * point at is archive.ts's business. Headers are checked (checksum, octal fields) so that a
 * damaged or hostile file fails with a reason rather than as garbage entries.
 *
 * pip unpacks sdists with Python's tarfile, so where this reader gives entries they are the ones
 * tarfile gives (names, sizes, where the next header starts); where tarfile reads something by a
 * rule of its own that no tar writer relies on, this reader refuses instead of guessing. The
 * differences are held by test/integration/build/tar-differential.test.ts.
 */
import { PipetteError } from '../pep';

export type TarEntryKind = 'file' | 'directory' | 'symlink' | 'hardlink' | 'other';

export interface TarEntry {
  readonly path: string;
  readonly kind: TarEntryKind;
  /** File content (empty for everything but files). */
  readonly data: Uint8Array;
  /** Link target for symlinks and hard links. */
  readonly linkTarget: string;
  readonly mode: number;
  /** The raw type flag, for messages (`3` = character device, ...). */
  readonly typeflag: string;
}

export class TarFormatError extends PipetteError<'invalid-tar'> {
  override readonly name = 'TarFormatError';
  constructor(message: string) {
    super('invalid-tar', message);
  }
}

const BLOCK = 512;
/** Names must be UTF-8: tarfile would keep a stray byte as it is (surrogateescape), a name no text spells. */
const decoder = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder();

/** Types tarfile knows that carry no data blocks (links, devices, folders); `_proc_builtin`. */
const NO_DATA_TYPES = new Set(['1', '2', '3', '4', '5', '6']);
/** uid, gid, mtime, devmajor, devminor: read by tarfile's `frombuf`, though nothing here uses them. */
const NUMBER_FIELDS: ReadonlyArray<readonly [number, number]> = [[108, 8], [116, 8], [136, 12], [329, 8], [337, 8]];
/** Global-header keys tarfile would apply to every later member (`_apply_pax_info`). */
const GLOBAL_REFUSED = ['path', 'linkpath', 'size'];

/** What pending pax / GNU headers say about the next member; the first header to say it wins. */
interface Pending {
  path?: string;
  linkpath?: string;
  size?: string;
}

/** Every entry of `tar`, in archive order. `maxEntries` bounds the work a hostile file can ask for. */
export function readTar(tar: Uint8Array, maxEntries = 50_000): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let pending: Pending = {};
  let chained = false;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) {
      // tarfile: a pax or GNU header must be followed by a member (SubsequentHeaderError).
      if (chained) throw new TarFormatError(`the extended header before byte ${offset} has no member after it`);
      break; // end of archive (two zero blocks; one is enough, as for tarfile)
    }
    checkChecksum(header, offset);
    const typeflag = String.fromCharCode(header[156]!);
    const meta = typeflag === 'x' || typeflag === 'X' || typeflag === 'g' || typeflag === 'L' || typeflag === 'K';
    const headerSize = readNumber(header, 124, 12, offset);
    // tarfile reads every number field of every header, pax and GNU ones too (`frombuf`); a bad
    // one ends its reading there, without a word, so pip unpacks only what came before: refused.
    const mode = readNumber(header, 100, 8, offset);
    for (const [start, length] of NUMBER_FIELDS) readNumber(header, start, length, offset);
    // A pax `size` replaces the member's own (never a following pax or GNU header's).
    const size = !meta && pending.size !== undefined ? paxNumber('size', pending.size) : headerSize;
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`a header at byte ${offset} gives an invalid size`);
    const dataStart = offset + BLOCK;
    // tarfile reads no data after a link, device or folder header, whatever its size field says:
    // the next block is the next header. The old type `\0` with a name ending in `/` is a folder
    // too, decided on the header's own name field whatever a long name says (`frombuf`).
    const nameEnd = header.subarray(0, 100).indexOf(0);
    const oldFolder = typeflag === '\0' && header[(nameEnd < 0 ? 100 : nameEnd) - 1] === 0x2f;
    const dataSize = NO_DATA_TYPES.has(typeflag) || oldFolder ? 0 : size;
    const dataEnd = dataStart + dataSize;
    if (dataEnd > tar.length) throw new TarFormatError(`an entry at byte ${offset} runs past the end of the archive (truncated?)`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(dataSize / BLOCK) * BLOCK;

    // Chained headers: tarfile reads the next member first and patches it with each header on
    // the way back, so the header nearest the start of the archive wins (`_proc_pax`,
    // `_proc_gnulong`): for two `x` headers, the first one's keys; for `L` then `x`, the `L` name.
    if (meta) {
      chained = true;
      if (typeflag === 'L') pending.path ??= cString(data);
      else if (typeflag === 'K') pending.linkpath ??= cString(data);
      else if (typeflag === 'g') {
        // tarfile applies a global header's path, linkpath and size to every later member (so
        // every later file gets one name, or sizes that run into the next header). No tar
        // writer does that to an sdist; refuse rather than read it either way.
        const global = parsePax(data);
        const key = GLOBAL_REFUSED.find((k) => global.has(k)) ?? [...global.keys()].find((k) => k.startsWith('GNU.sparse.'));
        if (key !== undefined) throw new TarFormatError(`it has a pax global header that sets ${JSON.stringify(key)} for every later entry`);
      } else {
        const records = parsePax(data);
        for (const [key, value] of records) {
          if (key.startsWith('GNU.sparse.')) throw new TarFormatError(`it holds a GNU sparse file (pax key ${JSON.stringify(key)}), which source archives do not use`);
          if (key === 'path') pending.path ??= value;
          else if (key === 'linkpath') pending.linkpath ??= value;
          else if (key === 'size') pending.size ??= value;
        }
      }
      continue;
    }
    chained = false;
    const name = cString(header.subarray(0, 100));
    // tarfile joins the prefix field whenever it is not empty, ustar magic or not (`frombuf`).
    const prefix = cString(header.subarray(345, 500));
    const path = pending.path ?? (prefix ? `${prefix}/${name}` : name);
    const linkTarget = pending.linkpath ?? cString(header.subarray(157, 257));
    pending = {};
    // A regular file named with a trailing slash (`0`, `7`; `\0` but for the folder above) is a
    // file to tarfile, the slash dropped when it is written (`_extract_member`); the name is
    // kept as written here, for messages (archive.ts normalizes it).
    const kind: TarEntryKind =
      oldFolder
        ? 'directory'
        : typeflag === '0' || typeflag === '\0' || typeflag === '7'
          ? 'file'
          : typeflag === '5'
            ? 'directory'
            : typeflag === '2'
              ? 'symlink'
              : typeflag === '1'
                ? 'hardlink'
                : 'other';
    entries.push({ path, kind, data: kind === 'file' ? data : new Uint8Array(0), linkTarget, mode, typeflag });
    if (entries.length > maxEntries) throw new TarFormatError(`it holds more than ${maxEntries} entries`);
  }
  return entries;
}

/**
 * The header checksum: the sum of its bytes with the checksum field read as spaces. Like
 * tarfile (`calc_chksums`), the sum over signed bytes is accepted too (old Sun and NeXT tars).
 */
function checkChecksum(header: Uint8Array, offset: number): void {
  const stored = readNumber(header, 148, 8, offset);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : header[i]!;
    unsigned += b;
    signed += b >= 128 ? b - 256 : b;
  }
  if (stored !== unsigned && stored !== signed) throw new TarFormatError(`the header at byte ${offset} has a bad checksum (not a tar archive, or damaged)`);
}

/**
 * A number field as tarfile's `nti` reads it: base-256 when the first byte is 0x80 (0xff:
 * negative); otherwise octal up to the first NUL, surrounding whitespace ignored. Octal text that
 * Python's int() would still take (`0_6`, `+6`, `0o6`) is refused.
 */
function readNumber(header: Uint8Array, start: number, length: number, offset: number): number {
  const field = header.subarray(start, start + length);
  if (field[0] === 0x80 || field[0] === 0xff) {
    if (field[0] === 0xff) return -1; // negative: no size, mode or checksum may be
    let n = 0;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const nul = field.indexOf(0);
  const text = lenient.decode(nul < 0 ? field : field.subarray(0, nul)).replace(/^[\s\x1c-\x1f]+|[\s\x1c-\x1f]+$/g, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`the header at byte ${offset} has a malformed number field`);
  return parseInt(text, 8);
}

/** A pax number as a decimal string; what Python's int() would read differently is refused. */
function paxNumber(key: string, value: string): number {
  if (!/^[0-9]{1,15}$/.test(value)) throw new TarFormatError(`a pax header gives ${JSON.stringify(key)} as ${JSON.stringify(value)}, not a number`);
  return Number(value);
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return text(end < 0 ? bytes : bytes.subarray(0, end));
}

function text(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TarFormatError(`it holds a name that is not UTF-8 (${JSON.stringify(lenient.decode(bytes))})`);
  }
}

/**
 * PAX records: `<length> <key>=<value>\n`, length counting the whole record. Framed as tarfile
 * frames them (`_proc_pax`): up to 20 digits, at least 5 bytes, a keyword, `=`, and a newline
 * where the length says the record ends; a NUL where a record would start ends the list.
 */
function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length && data[i] !== 0) {
    const space = data.indexOf(0x20, i);
    const digits = space < 0 ? '' : lenient.decode(data.subarray(i, space));
    const length = Number(digits);
    const end = i + length - 1;
    if (!/^[0-9]{1,20}$/.test(digits) || length < 5 || i + length > data.length || data[end] !== 0x0a) throw new TarFormatError('a pax header record is malformed');
    const record = data.subarray(space + 1, end);
    const eq = record.indexOf(0x3d);
    if (eq <= 0) throw new TarFormatError('a pax header record is malformed');
    const key = lenient.decode(record.subarray(0, eq));
    const value = record.subarray(eq + 1);
    out.set(key, key === 'path' || key === 'linkpath' ? text(value) : lenient.decode(value));
    i += length;
  }
  return out;
}
