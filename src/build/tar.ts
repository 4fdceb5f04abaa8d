/**
 * A reader for tar archives as sdists use them (POSIX.1-1988 ustar, POSIX.1-2001 pax headers,
 * GNU long names), returning entries as data; nothing is written here. What an entry may be or
 * point at is archive.ts's business. Headers are checked (checksum, octal fields) so that a
 * damaged or hostile file fails with a reason rather than as garbage entries.
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
const decoder = new TextDecoder();

/** Every entry of `tar`, in archive order. `maxEntries` bounds the work a hostile file can ask for. */
export function readTar(tar: Uint8Array, maxEntries = 50_000): TarEntry[] {
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | null = null;
  let longLink: string | null = null;
  let pax: Map<string, string> = new Map();
  let globalPax: Map<string, string> = new Map();
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) break; // end of archive (two zero blocks; one is enough)
    checkChecksum(header, offset);
    const typeflag = String.fromCharCode(header[156]!);
    const sizeField = readNumber(header, 124, 12, offset);
    const paxSize = pax.get('size') ?? globalPax.get('size');
    const size = paxSize !== undefined ? Number(paxSize) : sizeField;
    if (!Number.isSafeInteger(size) || size < 0) throw new TarFormatError(`a header at byte ${offset} gives an invalid size`);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) throw new TarFormatError(`an entry at byte ${offset} runs past the end of the archive (truncated?)`);
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    switch (typeflag) {
      case 'L':
        longName = cString(data);
        continue;
      case 'K':
        longLink = cString(data);
        continue;
      case 'x':
        pax = parsePax(data);
        continue;
      case 'g':
        globalPax = parsePax(data);
        continue;
      default:
        break;
    }
    const name = cString(header.subarray(0, 100));
    const magic = decoder.decode(header.subarray(257, 263));
    const prefix = magic.startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
    const path = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${name}` : name);
    const linkTarget = pax.get('linkpath') ?? longLink ?? cString(header.subarray(157, 257));
    const mode = readNumber(header, 100, 8, offset);
    longName = null;
    longLink = null;
    pax = new Map();
    const kind: TarEntryKind =
      typeflag === '0' || typeflag === '\0' || typeflag === '7'
        ? path.endsWith('/')
          ? 'directory'
          : 'file'
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

/** The header checksum: the sum of its bytes with the checksum field read as spaces. */
function checkChecksum(header: Uint8Array, offset: number): void {
  const stored = readNumber(header, 148, 8, offset);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  if (sum !== stored) throw new TarFormatError(`the header at byte ${offset} has a bad checksum (not a tar archive, or damaged)`);
}

/** An octal field (NUL/space terminated), or GNU's base-256 form when the high bit is set. */
function readNumber(header: Uint8Array, start: number, length: number, offset: number): number {
  const field = header.subarray(start, start + length);
  if ((field[0]! & 0x80) !== 0) {
    let n = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) n = n * 256 + field[i]!;
    return n;
  }
  const text = decoder.decode(field).replace(/[\0 ]+$/, '').replace(/^[ \0]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarFormatError(`the header at byte ${offset} has a malformed number field`);
  return parseInt(text, 8);
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** PAX records: `<length> <key>=<value>\n`, length counting the whole record. */
function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const space = data.indexOf(0x20, i);
    if (space < 0) break;
    const length = Number(decoder.decode(data.subarray(i, space)));
    if (!Number.isSafeInteger(length) || length <= 0 || i + length > data.length) throw new TarFormatError('a pax header record is malformed');
    const record = decoder.decode(data.subarray(space + 1, i + length - 1));
    const eq = record.indexOf('=');
    if (eq > 0) out.set(record.slice(0, eq), record.slice(eq + 1));
    i += length;
  }
  return out;
}
