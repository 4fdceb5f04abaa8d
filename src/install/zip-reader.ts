/**
 * Reads a zip archive as CPython's `zipfile` does, because that is what pip installs wheels
 * with: an archive is what zipfile says it is, or it is refused. A reader that disagrees with
 * it is a hole, since whatever a person (or a scanner) reads from the archive one way, pip and
 * Pipette must install the same. The rules, from `zipfile/__init__.py` (3.13):
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
 * Stricter than zipfile, on purpose: every entry is checked, not only those pip opens (a name
 * given twice, of which pip reads the last; directories, which pip never opens), a NUL in a
 * name is kept (zipfile cuts the name there; the installer refuses it), and a deflate stream
 * that stops before its end is damaged.
 */
import { inflateSync } from 'fflate';
import { decimalSize, PipetteError } from '../pep';

/** What Pipette unpacks from one archive at most (declared sizes, summed before inflating). */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** The problem with an archive declaring more than `limit`, for the caller's message. */
export function declaresTooMuch(limit: number): string {
  return `declares more than ${decimalSize(limit)} of uncompressed content; refusing to unpack it (a damaged or hostile archive)`;
}

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

export interface ZipEntry {
  /** The name as zipfile gives it (a Unicode Path extra field applied). */
  readonly name: string;
  readonly flags: number;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  /** The uncompressed size the central directory declares. */
  readonly size: number;
  /** Where the entry's data starts in the archive bytes (after its local header). */
  readonly dataOffset: number;
  /** The system that made the entry (3 = Unix) and its external attributes (Unix mode << 16). */
  readonly madeBy: number;
  readonly externalAttributes: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const UTF8_FLAG = 1 << 11;
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

/**
 * Every entry of the archive, in central-directory order, each checked as `ZipFile.open`
 * checks it (local header, overlap, encryption, method). Throws {@link ZipFormatError}.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));

  // _EndRecData: the end record with no comment, else the last signature in the final 64 kB.
  const n = bytes.length;
  let end = -1;
  if (n >= 22 && u32(n - 22) === EOCD && u16(n - 2) === 0) end = n - 22;
  else {
    for (let i = n - 4; i >= Math.max(n - 65536 - 22, 0); i--) {
      if (u32(i) === EOCD) {
        end = i;
        break;
      }
    }
    if (end < 0 || end + 22 > n) throw notAZip('File is not a zip file');
  }
  let size = u32(end + 12);
  let offset = u32(end + 16);
  let concat = end - size - offset;
  // _EndRecData64: a locator right before the end record, the zip64 end record right before it.
  if (end >= 20 && u32(end - 20) === EOCD64_LOCATOR) {
    if (u32(end - 16) !== 0 || u32(end - 4) > 1) throw new ZipFormatError('unsupported', 'zipfiles that span multiple disks are not supported');
    const z = end - 20 - 56;
    if (z < 0) throw notAZip('File is not a zip file');
    if (u32(z) === EOCD64) {
      size = u64(z + 40);
      offset = u64(z + 48);
      concat = end - size - offset - 76;
    }
  }
  const start = offset + concat;
  if (start < 0) throw notAZip('Bad offset for central directory');

  const entries: ZipEntry[] = [];
  // Per entry: its local header's offset and its name as stored (before a 0x7075 field).
  const headers: number[] = [];
  const storedNames: string[] = [];
  const directory = bytes.subarray(start, start + size);
  let at = 0;
  while (at < size) {
    if (directory.length - at < 46) throw notAZip('Truncated central directory');
    const h = start + at;
    if (u32(h) !== CENTRAL) throw notAZip('Bad magic number for central directory');
    const nameLength = u16(h + 28);
    const extraLength = u16(h + 30);
    const rawName = directory.subarray(at + 46, at + 46 + nameLength);
    const flags = u16(h + 8);
    const storedName = decodeName(rawName, (flags & UTF8_FLAG) !== 0);
    // One byte: the version needed (the byte after it is zipfile's `reserved`).
    if (bytes[h + 6]! > MAX_EXTRACT_VERSION) throw new ZipFormatError('unsupported', `${JSON.stringify(storedName)} needs zip version ${(bytes[h + 6]! / 10).toFixed(1)} to be read (zipfile reads up to 6.3)`, storedName);
    const fields = { name: storedName, compressedSize: u32(h + 20), size: u32(h + 24), header: u32(h + 42) };
    decodeExtra(fields, rawName, directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
    entries.push({
      name: fields.name,
      flags,
      method: u16(h + 10),
      crc: u32(h + 16),
      compressedSize: fields.compressedSize,
      size: fields.size,
      dataOffset: -1,
      madeBy: bytes[h + 5]!,
      externalAttributes: u32(h + 38),
    });
    headers.push(fields.header + concat);
    storedNames.push(storedName);
    at += 46 + nameLength + extraLength + u16(h + 32);
  }

  // Each entry's data ends where the next entry (by offset) starts, or the directory does.
  const ends = new Map<number, number>();
  let next = start;
  for (const i of headers.map((_, i) => i).sort((a, b) => headers[b]! - headers[a]! || a - b)) {
    ends.set(i, next);
    next = headers[i]!;
  }
  return entries.map((entry, i) => ({ ...entry, dataOffset: checkLocalHeader(bytes, view, entry, storedNames[i]!, headers[i]!, ends.get(i)!) }));
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

/** `ZipFile.open`'s checks of one entry; returns where its data starts. */
function checkLocalHeader(bytes: Uint8Array, view: DataView, entry: ZipEntry, storedName: string, header: number, end: number): number {
  const quoted = JSON.stringify(entry.name);
  if (header < 0 || header + 30 > bytes.length) throw new ZipFormatError('inconsistent', `the local header of ${quoted} is cut off`, entry.name);
  if (view.getUint32(header, true) !== LOCAL) throw new ZipFormatError('inconsistent', `bad magic number for the local header of ${quoted}`, entry.name);
  const nameLength = view.getUint16(header + 26, true);
  const dataOffset = header + 30 + nameLength + view.getUint16(header + 28, true);
  if (entry.flags & (1 << 5)) throw new ZipFormatError('unsupported', `${quoted} holds compressed patched data (flag bit 5)`, entry.name);
  if (entry.flags & (1 << 6)) throw new ZipFormatError('unsupported', `${quoted} is encrypted (strong encryption, flag bit 6)`, entry.name);
  const localName = decodeName(bytes.subarray(header + 30, header + 30 + nameLength), (view.getUint16(header + 6, true) & UTF8_FLAG) !== 0);
  if (localName !== storedName) {
    throw new ZipFormatError('inconsistent', `the file name in its central directory, ${JSON.stringify(storedName)}, and in its local header, ${JSON.stringify(localName)}, differ (what a reader of local headers sees is not what is installed)`, entry.name);
  }
  if (dataOffset + entry.compressedSize > end) throw new ZipFormatError('inconsistent', `the data of ${quoted} overlaps the next entry (a zip bomb shape)`, entry.name);
  if (entry.flags & 1) throw new ZipFormatError('unsupported', `${quoted} is encrypted, and a wheel cannot carry its password`, entry.name);
  if (entry.method === 12 || entry.method === 14) {
    throw new ZipFormatError('unsupported', `${quoted} is compressed with ${METHODS[entry.method]} (zip method ${entry.method})`, entry.name, { name: METHODS[entry.method]!, number: entry.method });
  }
  if (entry.method !== 0 && entry.method !== 8) {
    const known = METHODS[entry.method];
    throw new ZipFormatError('inconsistent', `${quoted} uses compression method ${entry.method}${known ? ` (${known})` : ''}, which zipfile does not support`, entry.name);
  }
  return dataOffset;
}

/**
 * The entry's content: at most its declared size is inflated (zipfile stops there too), so a
 * deflate stream that would expand further costs no more than that; its CRC-32 must match.
 */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const quoted = JSON.stringify(entry.name);
  if (entry.dataOffset + entry.compressedSize > bytes.length) throw new ZipFormatError('inconsistent', `the data of ${quoted} is cut off`, entry.name);
  const source = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  const data = entry.method === 0 ? source.subarray(0, entry.size) : inflateAtMost(source, entry.size, quoted, entry.name);
  if (crc32(data) !== entry.crc) throw new ZipFormatError('inconsistent', `bad CRC-32 for ${quoted}`, entry.name);
  return data;
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

export interface UnzipOptions {
  /** Refuse archives whose entries to inflate declare more than this many uncompressed bytes in all. */
  readonly maxBytes: number;
  /** Thrown when they do (each caller words it for its file). */
  readonly tooLarge: () => Error;
  /** Only these entries are inflated, and count against `maxBytes` (all are checked). */
  readonly filter?: (entry: ZipEntry) => boolean;
}

/**
 * The checked directory of an archive a person is about to unpack: sizes declared within the
 * limit (summed before anything is inflated), and every name once. zipfile keeps both entries
 * of a name and pip writes both, the last winning; PyPI (since 2024) and uv refuse such
 * archives, and so does Pipette: a reader that keeps the first entry of a name (a scanner, a
 * reviewer's unzip that asks before overwriting) sees other content than is installed, and
 * RECORD can vouch for only one of them.
 */
export function checkedZipDirectory(bytes: Uint8Array, options: UnzipOptions): ZipEntry[] {
  const entries = readZipDirectory(bytes);
  let declared = 0;
  // By the file each name is written to: `pkg/./x.py` and `pkg//x.py` are `pkg/x.py` on disk.
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (!options.filter || options.filter(entry)) declared += entry.size;
    if (declared > options.maxBytes) throw options.tooLarge();
    const file = entry.name.split('/').filter((s) => s !== '' && s !== '.').join('/') + (entry.name.endsWith('/') ? '/' : '');
    const first = names.get(file);
    if (first !== undefined) {
      throw new ZipFormatError('duplicate-name', `it holds ${JSON.stringify(first)} twice${first === entry.name ? '' : ` (again as ${JSON.stringify(entry.name)})`}`, entry.name);
    }
    names.set(file, entry.name);
  }
  return entries;
}

/** Every (filtered) entry by name, checked and bounded as {@link checkedZipDirectory} says. */
export function unzip(bytes: Uint8Array, options: UnzipOptions): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const entry of checkedZipDirectory(bytes, options)) {
    if (!options.filter || options.filter(entry)) files.set(entry.name, readZipEntry(bytes, entry));
  }
  return files;
}

/** Whether the entry is a symbolic link: made by Unix with S_IFLNK in its mode (APPNOTE 4.4.2, 4.4.15). */
export function isSymlink(entry: ZipEntry): boolean {
  return entry.madeBy === 3 && ((entry.externalAttributes >>> 16) & 0o170000) === 0o120000;
}
