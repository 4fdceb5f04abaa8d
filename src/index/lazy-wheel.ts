/**
 * A remote wheel's METADATA from a few byte ranges, without downloading the wheel (uv's lazy
 * wheel, `crates/uv-client/src/remote_metadata.rs`; pip's `--use-feature=fast-deps`), for files
 * whose index serves no PEP 658 `.metadata` file (Pyodide's own builds, plain HTML indexes).
 *
 * A zip keeps its table of contents at the end: the end of central directory record (EOCD,
 * APPNOTE 4.3.16) says where the central directory is, whose entries (4.3.12) say where each
 * member's local header (4.3.7) and data are. So:
 * 1. the file's size: declared by the index (PEP 700), else a HEAD's Content-Length;
 * 2. its last 32 KiB (usually the whole central directory; more is fetched when not);
 * 3. the one `<name>-<version>.dist-info/METADATA` member: its local header and data.
 * Three or four small requests instead of the whole wheel. `Range: bytes=N-M` with a first
 * position is CORS-safelisted, so a browser sends no preflight.
 *
 * A server that ignores Range answers 200 with the whole file: that answer is returned as the
 * download it is (`whole`), and the caller takes the metadata from it (uv falls back the same
 * way). A server that gives no size, or answers a range with something unusable, ends in
 * `unsupported`: the caller downloads the wheel.
 *
 * ZIP64 archives (4.3.14, 4.3.15, 4.5.3) are read too. The metadata is not checked against the
 * wheel's digest here (it cannot be without the whole file): the installer checks the wheel,
 * and its METADATA against what was resolved, when it is installed.
 */
import { inflateSync } from 'fflate';
import { locateWheelMetadata, normalizeName, PipetteError, wheelMetadataProblem } from '../pep';
import type { Fetcher } from './fetcher';
import { IndexError, IndexErrorCode } from './index-error';
import type { DistributionFile } from '../pep';

export type LazyWheelResult =
  /** The METADATA member, read through ranges. */
  | { readonly kind: 'metadata'; readonly bytes: Uint8Array }
  /** The server ignored Range and sent the whole file (not yet hash-checked). */
  | { readonly kind: 'whole'; readonly bytes: Uint8Array }
  /** Ranges cannot be used here (no size, no 206, a malformed answer): download the file. */
  | { readonly kind: 'unsupported'; readonly reason: string };

/** The first guess at the central directory's size: the tail fetched first. */
const TAIL_BYTES = 32 * 1024;
/** Below this the wheel is fetched whole: one request beats three. */
export const LAZY_MIN_SIZE = 64 * 1024;
/** A central directory larger than this is not read through ranges. */
const MAX_DIRECTORY_BYTES = 16 * 1024 * 1024;
/** The largest METADATA accepted (compressed or not): no metadata comes near it. */
export const MAX_METADATA_BYTES = 16 * 1024 * 1024;

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const U16 = 0xffff;
const U32 = 0xffffffff;

/** One central directory entry (the fields we use). */
interface Entry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

/** What is known of the file so far: fetched stretches by offset. */
class RemoteFile {
  private readonly parts: Array<{ start: number; bytes: Uint8Array }> = [];

  constructor(
    private readonly fetcher: Fetcher,
    private readonly file: DistributionFile,
    readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Bytes [start, end) of the file, fetched when not held; `whole` when the server sent everything. */
  async read(start: number, end: number): Promise<Uint8Array | { whole: Uint8Array }> {
    start = Math.max(0, start);
    end = Math.min(this.size, end);
    const held = this.parts.find((p) => p.start <= start && p.start + p.bytes.length >= end);
    if (held) return held.bytes.subarray(start - held.start, end - held.start);
    const response = await this.fetcher
      .request({
        url: this.file.url,
        range: { start, end: end - 1 },
        limit: { bytes: this.size, declared: this.file.size !== null },
        filename: this.file.filename,
        signal: this.signal,
        partial: true,
      })
      .catch(refusedStatus);
    if (response.status === 200) return { whole: response.bytes };
    if (response.status !== 206 || response.bytes.length !== end - start) {
      throw new Unsupported(`the server answered a range request with status ${response.status} and ${response.bytes.length} bytes`);
    }
    this.parts.push({ start, bytes: response.bytes });
    return response.bytes;
  }
}

class Unsupported extends PipetteError<'no-ranges'> {
  constructor(message: string) {
    super('no-ranges', message);
  }
}

/** A status a server may give a HEAD or a range it does not serve (405, 416, 501...): no ranges here. */
function refusedStatus(error: unknown): never {
  if (error instanceof IndexError && error.code === IndexErrorCode.HttpStatus && error.status !== null && error.status < 500 && error.status !== 429) {
    throw new Unsupported(`the server answered ${error.status}`);
  }
  throw error;
}
class Whole extends PipetteError<'whole-file'> {
  constructor(readonly bytes: Uint8Array) {
    super('whole-file', 'whole file');
  }
}

/**
 * The METADATA of `file` through range requests (see the module comment). Throws IndexError for
 * a wheel that is malformed (no single `.dist-info`, no METADATA, a bad member); network
 * failures propagate as the Fetcher throws them.
 */
export async function readRemoteMetadata(fetcher: Fetcher, file: DistributionFile, signal?: AbortSignal): Promise<LazyWheelResult> {
  try {
    let size = file.size;
    if (size === null) {
      const head = await fetcher.request({ url: file.url, method: 'HEAD', filename: file.filename, signal, partial: true }).catch(refusedStatus);
      const length = head.headers.get('content-length');
      if (head.status !== 200 || length === null || !/^\d+$/.test(length)) {
        return { kind: 'unsupported', reason: 'the server gave no Content-Length' };
      }
      size = Number(length);
    }
    const remote = new RemoteFile(fetcher, file, size, signal);
    const read = async (start: number, end: number): Promise<Uint8Array> => {
      const got = await remote.read(start, end);
      if (got instanceof Uint8Array) return got;
      throw new Whole(got.whole);
    };
    const entry = await findMetadataEntry(file, size, read);
    return { kind: 'metadata', bytes: await readMember(file, entry, read) };
  } catch (error) {
    if (error instanceof Whole) return { kind: 'whole', bytes: error.bytes };
    if (error instanceof Unsupported) return { kind: 'unsupported', reason: error.message };
    throw error;
  }
}

/** Bytes [start, end) of the archive. */
export type ZipRead = (start: number, end: number) => Promise<Uint8Array>;
type Read = ZipRead;

/**
 * The METADATA member of a wheel of `size` bytes read through `read` (a local file's handle, a
 * remote one's ranges): the one `.dist-info` directory's, checked as pip checks a wheel. Throws
 * IndexError for a malformed wheel. `tail`: how much of the end to read first (the end of
 * central directory record must be in it; 65 557 bytes always holds it).
 */
export async function metadataFromZip(file: Pick<DistributionFile, 'filename' | 'url'>, size: number, read: ZipRead, tail = 22 + U16): Promise<Uint8Array> {
  try {
    const entry = await findMetadataEntry(file as DistributionFile, size, read, tail);
    return await readMember(file as DistributionFile, entry, read);
  } catch (error) {
    if (error instanceof Unsupported) throw invalid(file as DistributionFile, error.message);
    throw error;
  }
}

function invalid(file: DistributionFile, reason: string): IndexError {
  return new IndexError(IndexErrorCode.InvalidResponse, `${file.filename} is not a valid wheel: ${reason}.`, {
    url: file.url,
    filename: file.filename,
  });
}

/** The METADATA entry of the one `.dist-info` directory (pip's `wheel_dist_info_dir` rules). */
async function findMetadataEntry(file: DistributionFile, size: number, read: Read, tailBytes = TAIL_BYTES): Promise<Entry> {
  const tailStart = Math.max(0, size - tailBytes);
  const tail = await read(tailStart, size);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  // The EOCD is 22 bytes plus a comment of at most 65 535 bytes.
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0 && i >= tail.length - 22 - U16; i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    if (tailStart > 0 && size - tailStart < 22 + U16) throw new Unsupported(`no end of central directory in the last ${size - tailStart} bytes`);
    throw invalid(file, 'no zip end of central directory record');
  }
  let count = view.getUint16(eocd + 10, true);
  let directorySize = view.getUint32(eocd + 12, true);
  let directoryOffset = view.getUint32(eocd + 16, true);
  if (count === U16 || directorySize === U32 || directoryOffset === U32) {
    // ZIP64: the locator sits right before the EOCD and points at the ZIP64 EOCD record.
    const at = eocd - 20;
    if (at < 0 || view.getUint32(at, true) !== EOCD64_LOCATOR) throw invalid(file, 'a ZIP64 archive without its locator');
    const recordOffset = Number(view.getBigUint64(at + 8, true));
    const record = await read(recordOffset, recordOffset + 56);
    const rv = new DataView(record.buffer, record.byteOffset, record.byteLength);
    if (record.length < 56 || rv.getUint32(0, true) !== EOCD64) throw invalid(file, 'a bad ZIP64 end of central directory record');
    count = Number(rv.getBigUint64(32, true));
    directorySize = Number(rv.getBigUint64(40, true));
    directoryOffset = Number(rv.getBigUint64(48, true));
  }
  if (directorySize > MAX_DIRECTORY_BYTES) throw new Unsupported('a central directory too large to read in ranges');
  if (directoryOffset + directorySize > size) throw invalid(file, 'the central directory lies past the end of the file');
  const directory = await read(directoryOffset, directoryOffset + directorySize);
  const entries = parseDirectory(file, directory, count);

  const project = normalizeName(file.filename.split('-', 1)[0] ?? '');
  const location = locateWheelMetadata(entries.map((e) => e.name), project);
  if (location.kind !== 'found') throw invalid(file, wheelMetadataProblem(location));
  return entries.find((e) => e.name === location.path)!;
}

function parseDirectory(file: DistributionFile, directory: Uint8Array, count: number): Entry[] {
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const decoder = new TextDecoder();
  const entries: Entry[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== CENTRAL) throw invalid(file, 'a damaged central directory');
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    let size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let localHeaderOffset = view.getUint32(at + 42, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directory.length) throw invalid(file, 'a damaged central directory');
    const name = decoder.decode(directory.subarray(at + 46, at + 46 + nameLength));
    // ZIP64 extended information (4.5.3): the fields that overflowed, in this order.
    for (let x = at + 46 + nameLength; x + 4 <= at + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(x, true);
      const length = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let p = x + 4;
        const next = (): number => {
          const v = Number(view.getBigUint64(p, true));
          p += 8;
          return v;
        };
        if (size === U32) size = next();
        if (compressedSize === U32) compressedSize = next();
        if (localHeaderOffset === U32) localHeaderOffset = next();
      }
      x += 4 + length;
    }
    entries.push({ name, method, compressedSize, size, localHeaderOffset });
    at = end;
  }
  return entries;
}

/** The member's data, inflated; at most MAX_METADATA_BYTES either way. */
async function readMember(file: DistributionFile, entry: Entry, read: Read): Promise<Uint8Array> {
  if (entry.compressedSize > MAX_METADATA_BYTES || entry.size > MAX_METADATA_BYTES) {
    throw invalid(file, `its METADATA is ${entry.size} bytes, more than any metadata should be`);
  }
  // The local header's extra field may differ from the central one: read some slack with it.
  const slack = 1024;
  let header = await read(entry.localHeaderOffset, entry.localHeaderOffset + 30 + entry.name.length * 4 + slack + entry.compressedSize);
  let view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  if (header.length < 30 || view.getUint32(0, true) !== LOCAL) throw invalid(file, 'a damaged local file header');
  const dataStart = 30 + view.getUint16(26, true) + view.getUint16(28, true);
  if (dataStart + entry.compressedSize > header.length) {
    header = await read(entry.localHeaderOffset, entry.localHeaderOffset + dataStart + entry.compressedSize);
    view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  }
  const data = header.subarray(dataStart, dataStart + entry.compressedSize);
  if (data.length !== entry.compressedSize) throw invalid(file, 'its METADATA member is cut short');
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw invalid(file, `its METADATA is compressed with method ${entry.method}, not deflate`);
  let out: Uint8Array;
  try {
    // Inflated into a buffer one byte larger than declared: a member cannot grow past it
    // (fflate stops at the buffer's end), and one that tries is caught by the size check.
    out = inflateSync(data, { out: new Uint8Array(entry.size + 1) });
  } catch (error) {
    throw invalid(file, `its METADATA cannot be inflated (${error instanceof Error ? error.message : String(error)})`);
  }
  if (out.length !== entry.size) throw invalid(file, 'its METADATA does not have the size its directory entry gives');
  return out;
}
