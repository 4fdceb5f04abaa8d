/**
 * Reads a zip archive as CPython's `zipfile` does, because that is what pip reads wheels with:
 * an archive is what zipfile says it is, or it is refused. The one zip reader of Pipette: the
 * installer (whole wheels), the index (a wheel's METADATA, whole or through range requests)
 * and the build checks all read through it, so no two of them see different archives. The
 * rules, from `zipfile/__init__.py` (3.13):
 *
 * - the end record is the last `PK\5\6` in the final 64 kB (`_EndRecData`); a zip64 locator
 *   right before it, and a zip64 end record right before that, replace its fields
 *   (`_EndRecData64`: the locator's offset is not used);
 * - the central directory is read by its size, not its entry count, at an offset corrected by
 *   whatever was prepended to the archive (`concat`: a self-extractor stub is allowed);
 * - a name is UTF-8 when flag bit 11 says so, else cp437; a Unicode Path extra field (0x7075)
 *   whose CRC matches the stored name replaces it; zip64 extra fields replace 0xFFFFFFFF sizes;
 * - opening an entry (`ZipFile.open`): the local header's name must equal the central
 *   directory's, its data must end before the next entry starts (overlapping entries are a zip
 *   bomb shape), it must not be encrypted, and its method must be stored, deflate, bzip2 or lzma;
 * - reading it: at most the declared size comes out, and its CRC-32 must match.
 *
 * It works on part of an archive too: {@link readZipTail} takes the end of the file (from any
 * offset) and says which earlier byte it needs when that is not enough; {@link openZipEntry}
 * takes the bytes from an entry's local header on, {@link zipEntryContent} its data. A reader
 * of ranges (src/index/lazy-wheel.ts) and a reader of the whole file get the same answers.
 */
import { inflateSync } from 'fflate';
import { PipetteError } from './pipette-error';

/**
 * What is wrong with an archive: not a zip at all, a zip whose parts disagree, a name given
 * twice (zipfile reads both), or a feature Pipette cannot read.
 */
export type ZipProblem = 'not-a-zip' | 'inconsistent' | 'duplicate-name' | 'unsupported';

/**
 * An archive zipfile would refuse (or Pipette cannot read). `message` is the problem alone,
 * without the file name (callers say which file and what to do); `entry` is the entry's name.
 */
export class ZipFormatError extends PipetteError<ZipProblem> {
  override readonly name = 'ZipFormatError';
  constructor(
    code: ZipProblem,
    message: string,
    readonly entry: string | null = null,
    /** For `unsupported` compression: its name (bzip2, lzma) and method number. */
    readonly method: { readonly name: string; readonly number: number } | null = null,
  ) {
    super(code, message);
  }
}

/** One entry of the central directory, as zipfile's `ZipInfo` holds it. Offsets are in the file. */
export interface ZipCentralEntry {
  /** The name as zipfile gives it (a Unicode Path extra field applied). */
  readonly name: string;
  /** The name as stored (zipfile's `orig_filename`), which the local header must repeat. */
  readonly storedName: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  /** The uncompressed size the central directory declares. */
  readonly size: number;
  /** Where the entry's local header starts (prepended bytes accounted for). */
  readonly headerOffset: number;
  /** Where the entry's data must end: the next entry's header, or the central directory. */
  readonly dataEnd: number;
  /** The system that made the entry (3 = Unix) and its external attributes (Unix mode << 16). */
  readonly madeBy: number;
  readonly externalAttributes: number;
}

/** An entry whose local header was checked ({@link openZipEntry}). */
export interface ZipEntry extends ZipCentralEntry {
  /** Where the entry's data starts (after its local header). */
  readonly dataOffset: number;
}

/**
 * The bytes of an archive held so far: `bytes` are the file's from `offset` on, in a file of
 * `size` bytes. A whole archive is `{ bytes, offset: 0, size: bytes.length }`.
 */
export interface ZipWindow {
  readonly bytes: Uint8Array;
  readonly offset: number;
  readonly size: number;
}

/** What a reader of part of an archive answers: the result, or the first byte (and end) it needs. */
export type ZipAnswer<T> = { readonly kind: 'read'; readonly value: T } | { readonly kind: 'more'; readonly start: number; readonly end: number };

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UTF8_FLAG = 1 << 11;
/** The end record's largest distance from the end: 22 bytes and a comment of 65 535. */
const END_SEARCH = 65536 + 22;
/** zipfile's MAX_EXTRACT_VERSION: version 6.3 is the newest it reads. */
const MAX_EXTRACT_VERSION = 63;
/** zipfile's `compressor_names`: methods it knows the name of (and reads: 0, 8, 12, 14). */
const METHODS: Readonly<Record<number, string>> = { 0: 'store', 1: 'shrink', 2: 'reduce', 3: 'reduce', 4: 'reduce', 5: 'reduce', 6: 'implode', 7: 'tokenize', 8: 'deflate', 9: 'deflate64', 10: 'implode', 12: 'bzip2', 14: 'lzma', 18: 'terse', 19: 'lz77', 97: 'wavpack', 98: 'ppmd' };
/** Bytes 0x80-0xFF in cp437, the names' encoding without flag bit 11 (0x00-0x7F are ASCII). */
const CP437 = 'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function notAZip(message: string): ZipFormatError {
  return new ZipFormatError('not-a-zip', message);
}

function decodeName(raw: Uint8Array, utf8: boolean): string {
  if (!utf8) return Array.from(raw, (b) => (b < 0x80 ? String.fromCharCode(b) : CP437[b - 0x80]!)).join('');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new ZipFormatError('inconsistent', `an entry's name is marked UTF-8 but is not (${JSON.stringify(new TextDecoder().decode(raw))})`);
  }
}

/** Little-endian readers of a window by file offset (callers keep to the bytes it holds). */
function reader(window: ZipWindow) {
  const { bytes, offset } = window;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    u8: (at: number): number => bytes[at - offset]!,
    u16: (at: number): number => view.getUint16(at - offset, true),
    u32: (at: number): number => view.getUint32(at - offset, true),
    u64: (at: number): number => Number(view.getBigUint64(at - offset, true)),
    slice: (start: number, end: number): Uint8Array => bytes.subarray(start - offset, Math.max(start, end) - offset),
  };
}

/**
 * The central directory of an archive from its end: `window` must run to the end of the file.
 * `more` when the end record, the zip64 records or the directory begin before the window
 * (fetch from `start` to the end and ask again). Every entry is checked as zipfile's
 * `_RealGetContents` checks it (names, zip version, extra fields); their local headers are
 * not: {@link openZipEntry} does that. Throws {@link ZipFormatError}.
 */
export function readZipTail(window: ZipWindow): ZipAnswer<ZipCentralEntry[]> {
  const n = window.size;
  const more = (start: number): ZipAnswer<never> => ({ kind: 'more', start: Math.max(0, start), end: n });
  if (window.offset + window.bytes.length !== n) throw new RangeError('readZipTail: the window must reach the end of the file');
  const { u8, u16, u32, u64, slice } = reader(window);
  const held = (start: number): boolean => start >= window.offset;

  // _EndRecData: the end record with no comment, else the last signature in the final 64 kB.
  if (n < 22) throw notAZip('File is not a zip file');
  if (!held(n - 22)) return more(n - END_SEARCH);
  let end = -1;
  if (u32(n - 22) === EOCD && u16(n - 2) === 0) end = n - 22;
  else {
    const lowest = Math.max(n - END_SEARCH, 0);
    for (let i = n - 4; i >= Math.max(lowest, window.offset); i--) {
      if (u32(i) === EOCD) {
        end = i;
        break;
      }
    }
    if (end < 0 && !held(lowest)) return more(lowest);
    if (end < 0 || end + 22 > n) throw notAZip('File is not a zip file');
  }
  let size = u32(end + 12);
  let offset = u32(end + 16);
  let concat = end - size - offset;
  // _EndRecData64: a locator right before the end record, the zip64 end record right before it.
  if (end >= 20) {
    if (!held(end - 20)) return more(end - 20 - 56);
    if (u32(end - 20) === EOCD64_LOCATOR) {
      if (u32(end - 16) !== 0 || u32(end - 4) > 1) throw new ZipFormatError('unsupported', 'zipfiles that span multiple disks are not supported');
      const z = end - 20 - 56;
      if (z < 0) throw notAZip('File is not a zip file');
      if (!held(z)) return more(z);
      if (u32(z) === EOCD64) {
        size = u64(z + 40);
        offset = u64(z + 48);
        concat = end - size - offset - 76;
      }
    }
  }
  const start = offset + concat;
  if (start < 0) throw notAZip('Bad offset for central directory');
  if (!held(start)) return more(start);

  const entries: Array<Omit<ZipCentralEntry, 'dataEnd'>> = [];
  // zipfile reads `size` bytes from `start`: fewer when the file ends first.
  const stop = Math.min(start + size, n);
  let h = start;
  while (h < start + size) {
    if (stop - h < 46) throw notAZip('Truncated central directory');
    if (u32(h) !== CENTRAL) throw notAZip('Bad magic number for central directory');
    const nameLength = u16(h + 28);
    const extraLength = u16(h + 30);
    const rawName = slice(h + 46, Math.min(h + 46 + nameLength, stop));
    const flags = u16(h + 8);
    const storedName = decodeName(rawName, (flags & UTF8_FLAG) !== 0);
    // One byte: the version needed (the byte after it is zipfile's `reserved`).
    const version = u8(h + 6);
    if (version > MAX_EXTRACT_VERSION) throw new ZipFormatError('unsupported', `${JSON.stringify(storedName)} needs zip version ${(version / 10).toFixed(1)} to be read (zipfile reads up to 6.3)`, storedName);
    const fields = { name: storedName, compressedSize: u32(h + 20), size: u32(h + 24), header: u32(h + 42) };
    decodeExtra(fields, rawName, slice(Math.min(h + 46 + nameLength, stop), Math.min(h + 46 + nameLength + extraLength, stop)));
    entries.push({
      name: fields.name,
      storedName,
      flags,
      method: u16(h + 10),
      crc: u32(h + 16),
      compressedSize: fields.compressedSize,
      size: fields.size,
      headerOffset: fields.header + concat,
      madeBy: u8(h + 5),
      externalAttributes: u32(h + 38),
    });
    h += 46 + nameLength + extraLength + u16(h + 32);
  }

  // Each entry's data ends where the next entry (by offset) starts, or the directory does.
  const ends = new Map<number, number>();
  let next = start;
  for (const i of entries.map((_, i) => i).sort((a, b) => entries[b]!.headerOffset - entries[a]!.headerOffset || a - b)) {
    ends.set(i, next);
    next = entries[i]!.headerOffset;
  }
  return { kind: 'read', value: entries.map((entry, i) => ({ ...entry, dataEnd: ends.get(i)! })) };
}

/** `ZipInfo._decodeExtra`: zip64 sizes and offset, and the Unicode Path field (APPNOTE 4.5.3, 4.6.9). */
function decodeExtra(fields: { name: string; compressedSize: number; size: number; header: number }, rawName: Uint8Array, extra: Uint8Array): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  let at = 0;
  while (extra.length - at >= 4) {
    const type = view.getUint16(at, true);
    const length = view.getUint16(at + 2, true);
    if (at + 4 + length > extra.length) throw new ZipFormatError('inconsistent', `corrupt extra field ${type.toString(16).padStart(4, '0')} (size=${length})`, fields.name);
    const data = new DataView(extra.buffer, extra.byteOffset + at + 4, length);
    if (type === 0x0001) {
      let p = 0;
      const take = (field: string): number => {
        if (p + 8 > length) throw new ZipFormatError('inconsistent', `corrupt zip64 extra field: ${field} not found`, fields.name);
        p += 8;
        return Number(data.getBigUint64(p - 8, true));
      };
      if (fields.size === 0xffff_ffff) fields.size = take('file size');
      if (fields.compressedSize === 0xffff_ffff) fields.compressedSize = take('compress size');
      if (fields.header === 0xffff_ffff) fields.header = take('header offset');
    } else if (type === 0x7075) {
      if (length < 5) throw new ZipFormatError('inconsistent', 'corrupt unicode path extra field (0x7075)', fields.name);
      if (data.getUint8(0) === 1 && data.getUint32(1, true) === crc32(rawName)) {
        const name = decodeName(extra.subarray(at + 9, at + 4 + length), true);
        if (name) fields.name = name;
      }
    }
    at += 4 + length;
  }
}

/**
 * `ZipFile.open`'s checks of one entry, from the bytes of `window` (which must start at or
 * before its local header): the local header's name, overlap, encryption, method. `more`
 * when the local header runs past the window. Throws {@link ZipFormatError}.
 */
export function openZipEntry(entry: ZipCentralEntry, window: ZipWindow): ZipAnswer<ZipEntry> {
  const quoted = JSON.stringify(entry.name);
  const header = entry.headerOffset;
  const windowEnd = window.offset + window.bytes.length;
  if (header < 0 || header + 30 > window.size) throw new ZipFormatError('inconsistent', `the local header of ${quoted} is cut off`, entry.name);
  if (header < window.offset) throw new RangeError('openZipEntry: the window starts after the local header');
  if (header + 30 > windowEnd) return { kind: 'more', start: header, end: header + 30 };
  const { u16, u32, slice } = reader(window);
  if (u32(header) !== LOCAL) throw new ZipFormatError('inconsistent', `bad magic number for the local header of ${quoted}`, entry.name);
  const nameLength = u16(header + 26);
  const dataOffset = header + 30 + nameLength + u16(header + 28);
  if (entry.flags & (1 << 5)) throw new ZipFormatError('unsupported', `${quoted} holds compressed patched data (flag bit 5)`, entry.name);
  if (entry.flags & (1 << 6)) throw new ZipFormatError('unsupported', `${quoted} is encrypted (strong encryption, flag bit 6)`, entry.name);
  // zipfile reads the name (fewer bytes when the file ends first) and skips the extra field.
  const nameEnd = Math.min(header + 30 + nameLength, window.size);
  if (nameEnd > windowEnd) return { kind: 'more', start: header, end: nameEnd };
  const localName = decodeName(slice(header + 30, nameEnd), (u16(header + 6) & UTF8_FLAG) !== 0);
  if (localName !== entry.storedName) {
    throw new ZipFormatError('inconsistent', `the file name in its central directory, ${JSON.stringify(entry.storedName)}, and in its local header, ${JSON.stringify(localName)}, differ (what a reader of local headers sees is not what is installed)`, entry.name);
  }
  if (dataOffset + entry.compressedSize > entry.dataEnd) throw new ZipFormatError('inconsistent', `the data of ${quoted} overlaps the next entry (a zip bomb shape)`, entry.name);
  if (entry.flags & 1) throw new ZipFormatError('unsupported', `${quoted} is encrypted, and a wheel cannot carry its password`, entry.name);
  if (entry.method === 12 || entry.method === 14) {
    throw new ZipFormatError('unsupported', `${quoted} is compressed with ${METHODS[entry.method]} (zip method ${entry.method})`, entry.name, { name: METHODS[entry.method]!, number: entry.method });
  }
  if (entry.method !== 0 && entry.method !== 8) {
    const known = METHODS[entry.method];
    throw new ZipFormatError('inconsistent', `${quoted} uses compression method ${entry.method}${known ? ` (${known})` : ''}, which zipfile does not support`, entry.name);
  }
  return { kind: 'read', value: { ...entry, dataOffset } };
}

/**
 * Every entry of a whole archive, in central-directory order, each checked as `ZipFile.open`
 * checks it (local header, overlap, encryption, method). Throws {@link ZipFormatError}.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const window: ZipWindow = { bytes, offset: 0, size: bytes.length };
  const tail = readZipTail(window);
  // A whole file holds every byte a reader can ask for; a `more` would be a bug here.
  if (tail.kind === 'more') throw new RangeError('readZipDirectory: a whole archive needs no more bytes');
  return tail.value.map((entry) => {
    const opened = openZipEntry(entry, window);
    if (opened.kind === 'more') throw new ZipFormatError('inconsistent', `the local header of ${JSON.stringify(entry.name)} is cut off`, entry.name);
    return opened.value;
  });
}

/**
 * An opened entry's content from its stored data (`compressed`, the `compressedSize` bytes at
 * its `dataOffset`): at most its declared size is inflated (zipfile stops there too), so a
 * deflate stream that would expand further costs no more than that; its CRC-32 must match.
 */
export function zipEntryContent(entry: ZipEntry, compressed: Uint8Array): Uint8Array {
  const quoted = JSON.stringify(entry.name);
  if (compressed.length < entry.compressedSize) throw new ZipFormatError('inconsistent', `the data of ${quoted} is cut off`, entry.name);
  const source = compressed.subarray(0, entry.compressedSize);
  const data = entry.method === 0 ? source.subarray(0, entry.size) : inflateAtMost(source, entry.size, quoted, entry.name);
  if (crc32(data) !== entry.crc) throw new ZipFormatError('inconsistent', `bad CRC-32 for ${quoted}`, entry.name);
  return data;
}

/** {@link zipEntryContent} of an entry of the whole archive `bytes`. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  return zipEntryContent(entry, bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize));
}

/**
 * Inflates into a buffer of the declared size plus one byte: whatever the stream would write
 * past it is dropped (fflate does not grow a buffer it is given), so memory stays within the
 * declared sizes, which the caller has bounded. Decoding time is bounded by the compressed
 * size (deflate expands at most 1032:1, and entries cannot share data), like the download's.
 */
function inflateAtMost(source: Uint8Array, size: number, quoted: string, name: string): Uint8Array {
  let out: Uint8Array;
  try {
    out = inflateSync(source, { out: new Uint8Array(size + 1) });
  } catch (error) {
    throw new ZipFormatError('inconsistent', `the data of ${quoted} is not a valid deflate stream (${error instanceof Error ? error.message : String(error)})`, name);
  }
  // More than declared: zipfile stops at the declared size too (and checks the CRC-32 of that).
  return out.length > size ? out.subarray(0, size) : out;
}

let tables: Uint32Array | null = null;

/** CRC-32 (ISO-HDLC, zlib's `crc32`), eight bytes a step (slicing-by-8: eight tables of 256). */
export function crc32(data: Uint8Array): number {
  if (!tables) {
    tables = new Uint32Array(8 * 256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb8_8320 ^ (c >>> 1) : c >>> 1;
      tables[i] = c >>> 0;
    }
    for (let i = 256; i < 8 * 256; i++) tables[i] = (tables[i - 256]! >>> 8) ^ tables[tables[i - 256]! & 0xff]!;
  }
  const t = tables;
  let crc = 0xffff_ffff;
  let i = 0;
  for (const end = data.length - 7; i < end; i += 8) {
    const a = crc ^ (data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24));
    const b = data[i + 4]! | (data[i + 5]! << 8) | (data[i + 6]! << 16) | (data[i + 7]! << 24);
    crc =
      t[0x700 + (a & 0xff)]! ^ t[0x600 + ((a >>> 8) & 0xff)]! ^ t[0x500 + ((a >>> 16) & 0xff)]! ^ t[0x400 + (a >>> 24)]! ^
      t[0x300 + (b & 0xff)]! ^ t[0x200 + ((b >>> 8) & 0xff)]! ^ t[0x100 + ((b >>> 16) & 0xff)]! ^ t[b >>> 24]!;
  }
  for (; i < data.length; i++) crc = t[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffff_ffff) >>> 0;
}

/** Whether the entry is a symbolic link: made by Unix with S_IFLNK in its mode (APPNOTE 4.4.2, 4.4.15). */
export function isSymlink(entry: ZipCentralEntry): boolean {
  return entry.madeBy === 3 && ((entry.externalAttributes >>> 16) & 0o170000) === 0o120000;
}
