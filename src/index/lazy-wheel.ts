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
 * The archive is read by the one zip reader (src/pep/zip-archive.ts), as Python's zipfile (pip's
 * reader) reads it: the end record, a prepended stub, zip64, the directory by its size, the
 * member's local header, CRC and method. A wheel it refuses is pip's InvalidWheel ("Wheel
 * 'NAME' located at URL is invalid."), which ends the resolution as it does pip's; the whole
 * file in memory (`extractMetadata`) is read by the same steps. The metadata is not checked
 * against the wheel's digest here (it cannot be without the whole file): the installer checks
 * the wheel, and its METADATA against what was resolved, when it is installed.
 */
import {
  locateWheelMetadata,
  normalizeName,
  openZipEntry,
  parseWheelFilename,
  PipetteError,
  readZipTail,
  wheelMetadataProblem,
  zipEntryContent,
  ZipFormatError,
  type DistributionFile,
  type ZipCentralEntry,
  type ZipWindow,
} from '../pep';
import type { Fetcher } from './fetcher';
import { IndexError, IndexErrorCode } from './index-error';

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
/** Read with a local header beyond its name: its extra field, which may differ from the central one. */
const HEADER_SLACK = 1024;

/** Stretches of the file held so far, by offset. */
class Held {
  private readonly parts: ZipWindow[] = [];
  constructor(readonly size: number) {}

  add(start: number, bytes: Uint8Array): void {
    this.parts.push({ bytes, offset: start, size: this.size });
  }

  /**
   * The stretch holding [start, end) that reaches furthest, if one does (so a reader that asked
   * for more after it is given the more); an empty one for an empty span.
   */
  covering(start: number, end: number): ZipWindow | null {
    if (end <= start) return { bytes: new Uint8Array(0), offset: start, size: this.size };
    let best: ZipWindow | null = null;
    for (const p of this.parts) {
      const reach = p.offset + p.bytes.length;
      if (p.offset <= start && reach >= end && (!best || reach > best.offset + best.bytes.length)) best = p;
    }
    return best;
  }
}

/** What the reading needs next: the METADATA, or bytes [start, end) of the file. */
type Step = { readonly kind: 'metadata'; readonly bytes: Uint8Array } | { readonly kind: 'more'; readonly start: number; readonly end: number; readonly directory: boolean };

/**
 * The METADATA of the one `.dist-info` directory (pip's `wheel_dist_info_dir` rules), from
 * what `held` holds of the file, as zipfile reads it; or the bytes it needs next. Throws
 * {@link ZipFormatError} for an archive zipfile refuses, IndexError for a malformed wheel.
 */
function metadataStep(file: Pick<DistributionFile, 'filename' | 'url'>, held: Held, tailBytes: number): Step {
  const size = held.size;
  let start = Math.max(0, size - tailBytes);
  let entries: ZipCentralEntry[];
  for (;;) {
    const tail = held.covering(start, size);
    if (!tail) return { kind: 'more', start, end: size, directory: true };
    const answer = readZipTail(tail);
    if (answer.kind === 'read') {
      entries = answer.value;
      break;
    }
    start = answer.start;
  }
  const project = normalizeName(file.filename.split('-', 1)[0] ?? '');
  const location = locateWheelMetadata(entries.map((e) => e.name), project);
  if (location.kind !== 'found') throw invalid(file, wheelMetadataProblem(location));
  // zipfile's `getinfo` answers the last entry of a name.
  const entry = entries.findLast((e) => e.name === location.path)!;
  if (entry.compressedSize > MAX_METADATA_BYTES || entry.size > MAX_METADATA_BYTES) {
    throw invalid(file, `its METADATA is ${entry.size} bytes, more than any metadata should be`);
  }
  const header = entry.headerOffset;
  const opened = openZipEntry(entry, held.covering(header, header + 1) ?? { bytes: new Uint8Array(0), offset: header, size });
  if (opened.kind === 'more') {
    // The header, its name and extra field, and (most likely) the data, in one request.
    const end = Math.min(size, Math.max(opened.end, header + 30 + entry.storedName.length * 4 + HEADER_SLACK + entry.compressedSize));
    return { kind: 'more', start: opened.start, end, directory: false };
  }
  const { dataOffset, compressedSize } = opened.value;
  const dataEnd = Math.min(size, dataOffset + compressedSize);
  const data = held.covering(dataOffset, dataEnd);
  if (!data) return { kind: 'more', start: dataOffset, end: dataEnd, directory: false };
  return { kind: 'metadata', bytes: zipEntryContent(opened.value, data.bytes.subarray(dataOffset - data.offset, dataEnd - data.offset)) };
}

/**
 * Reads until {@link metadataStep} has the METADATA, fetching what it asks for with `read`.
 * ZipFormatError becomes pip's InvalidWheel.
 */
async function readMetadata(file: Pick<DistributionFile, 'filename' | 'url'>, size: number, read: ZipRead, tailBytes: number): Promise<Uint8Array> {
  const held = new Held(size);
  try {
    for (;;) {
      const step = metadataStep(file, held, tailBytes);
      if (step.kind === 'metadata') return step.bytes;
      if (step.directory && step.end - step.start > MAX_DIRECTORY_BYTES) throw new Unsupported('a central directory too large to read in ranges');
      const bytes = await read(step.start, step.end);
      // Fewer bytes than the file's size allows: it changed under the reader (asking again would not end).
      if (bytes.length !== step.end - step.start) throw new Unsupported(`bytes ${step.start}-${step.end - 1} of the file came back as ${bytes.length} bytes`);
      held.add(step.start, bytes);
    }
  } catch (error) {
    if (error instanceof ZipFormatError) throw invalidWheel(file, error);
    throw error;
  }
}

/**
 * The METADATA of a whole wheel in memory, read by the same steps as through ranges. Throws
 * IndexError (pip's InvalidWheel for an archive zipfile refuses).
 */
export function metadataFromBytes(wheel: Uint8Array, file: Pick<DistributionFile, 'filename' | 'url'>): Uint8Array {
  const held = new Held(wheel.length);
  held.add(0, wheel);
  try {
    const step = metadataStep(file, held, wheel.length);
    // The whole file holds every byte a step can ask for.
    if (step.kind === 'more') throw new RangeError('metadataFromBytes: a whole wheel needs no more bytes');
    return step.bytes;
  } catch (error) {
    if (error instanceof ZipFormatError) throw invalidWheel(file, error);
    throw error;
  }
}

/**
 * pip's InvalidWheel (`Wheel 'NAME' located at URL is invalid.`), which zipfile's refusal
 * becomes when pip reads a wheel's metadata, then what zipfile found.
 */
function invalidWheel(file: Pick<DistributionFile, 'filename' | 'url'>, error: ZipFormatError): IndexError {
  let name: string;
  try {
    name = parseWheelFilename(file.filename).name;
  } catch {
    name = file.filename;
  }
  const problem = error.code === 'not-a-zip' ? `it is not a readable zip archive (${error.message})` : error.message;
  return new IndexError(
    IndexErrorCode.InvalidWheel,
    `Wheel '${name}' located at ${file.url} is invalid. ${file.filename}: ${problem}. pip refuses it too; ask its publisher for a wheel built by a standard tool, or choose another version.`,
    { url: file.url, filename: file.filename, cause: error },
  );
}

/** The remote file, read by ranges (what was read is held by {@link Held}). */
class RemoteFile {
  constructor(
    private readonly fetcher: Fetcher,
    private readonly file: DistributionFile,
    readonly size: number,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** Bytes [start, end) of the file; `whole` when the server sent everything. */
  async read(start: number, end: number): Promise<Uint8Array | { whole: Uint8Array }> {
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
    return { kind: 'metadata', bytes: await readMetadata(file, size, read, TAIL_BYTES) };
  } catch (error) {
    if (error instanceof Whole) return { kind: 'whole', bytes: error.bytes };
    if (error instanceof Unsupported) return { kind: 'unsupported', reason: error.message };
    throw error;
  }
}

/** Bytes [start, end) of the archive. */
export type ZipRead = (start: number, end: number) => Promise<Uint8Array>;

/**
 * The METADATA member of a wheel of `size` bytes read through `read` (a local file's handle, a
 * remote one's ranges): the one `.dist-info` directory's, checked as pip checks a wheel. Throws
 * IndexError for a malformed wheel. `tail`: how much of the end to read first (65 557 bytes
 * always holds the end record; whatever else the directory needs is read after it).
 */
export async function metadataFromZip(file: Pick<DistributionFile, 'filename' | 'url'>, size: number, read: ZipRead, tail = 22 + 65535): Promise<Uint8Array> {
  try {
    return await readMetadata(file, size, read, tail);
  } catch (error) {
    if (error instanceof Unsupported) throw invalid(file, error.message);
    throw error;
  }
}

function invalid(file: Pick<DistributionFile, 'filename' | 'url'>, reason: string): IndexError {
  return new IndexError(IndexErrorCode.InvalidResponse, `${file.filename} is not a valid wheel: ${reason}.`, {
    url: file.url,
    filename: file.filename,
  });
}
