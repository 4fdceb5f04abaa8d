import { isSymlink, locateWheelMetadata, normalizeName, parseMetadata, parseWheelFilename, readZipEntry, sha256, Version, ZipFormatError, type CoreMetadata, type WheelFilename } from '../pep';
import { Rule } from './containment';
import { InstallError, InstallErrorCode } from './errors';
import { parseRecord, recordHash, type RecordEntry } from './record';
import { checkedZipDirectory, declaresTooMuch, MAX_UNPACKED_BYTES } from './zip-reader';

/** The opened, checked contents of a wheel: nothing here has touched a filesystem yet. */
export interface WheelArchive {
  readonly filename: string;
  readonly parsed: WheelFilename;
  readonly metadata: CoreMetadata;
  /** `name-version.dist-info`, as found in the archive. */
  readonly distInfo: string;
  /** `name-version.data`, the prefix of files for other schemes. */
  readonly dataDir: string;
  readonly rootIsPurelib: boolean;
  /** Every regular file, by archive path, in archive order. */
  readonly entries: ReadonlyMap<string, Uint8Array>;
  readonly record: readonly RecordEntry[];
}

export interface OpenOptions {
  /** Refuse archives that declare more than this many uncompressed bytes (zip bombs). */
  readonly maxUncompressedBytes?: number;
  /**
   * Lets the host run other work between slices of the unpacking (a macrotask: the resolver's
   * `hostScheduler.yield`). Without it the archive is inflated in one synchronous step, which
   * for a wheel of a few MB holds the thread for 50-250 ms: staged while the resolver works
   * (src/pip/prefetch-downloads.ts), that is 50-250 ms in which no response is read and no
   * request is sent.
   */
  readonly pause?: () => Promise<void>;
}

/** Uncompressed bytes inflated between two pauses: a few ms of fflate's inflate. */
const SLICE_BYTES = 256 * 1024;

/**
 * Opens a wheel and checks it the way the installer needs before writing anything
 * (binary distribution format; uv `install.rs`): a zip, exactly one `.dist-info`, WHEEL with a
 * supported Wheel-Version, METADATA whose name and version match the file name, only safe
 * relative paths, and RECORD hashes that match the files.
 */
export async function openWheel(filename: string, bytes: Uint8Array, options: OpenOptions = {}): Promise<WheelArchive> {
  const parsed = parseWheelFilename(filename);
  const limit = options.maxUncompressedBytes ?? MAX_UNPACKED_BYTES;
  const tooLarge = (): InstallError => new InstallError(InstallErrorCode.TooLarge, filename, `${filename} ${declaresTooMuch(limit)}.`);
  const entries = new Map<string, Uint8Array>();
  try {
    // The directory first, inflating nothing: every size is summed before the first byte is
    // inflated, so a zip bomb is refused from its directory.
    const directory = checkedZipDirectory(bytes, { maxBytes: limit, tooLarge });
    const link = directory.find(isSymlink);
    if (link) {
      throw new InstallError(InstallErrorCode.UnsafePath, filename, `${filename} contains ${JSON.stringify(link.name)} as a symbolic link; a wheel holds regular files only, and a link could point outside site-packages. Refusing to install it.`);
    }
    // Slices of entries up to SLICE_BYTES declared in all (one entry alone may exceed it), a
    // pause before each when there are several.
    const sliceOf: number[] = [];
    let slices = 1;
    let sliceBytes = 0;
    for (const entry of directory) {
      if (sliceBytes > 0 && sliceBytes + entry.size > SLICE_BYTES) (slices++, (sliceBytes = 0));
      sliceOf.push(slices - 1);
      sliceBytes += entry.size;
    }
    for (const [i, entry] of directory.entries()) {
      if (options.pause && slices > 1 && sliceOf[i] !== sliceOf[i - 1]) await options.pause();
      const data = readZipEntry(bytes, entry);
      if (entry.name.endsWith('/')) continue; // directory entries carry no content
      checkPath(filename, entry.name);
      entries.set(entry.name, data);
    }
  } catch (e) {
    if (e instanceof ZipFormatError) throw zipError(filename, e);
    throw e;
  }

  const distInfo = theDistInfo(filename, parsed, entries.keys());
  const text = (path: string): string | null => {
    const data = entries.get(`${distInfo}/${path}`);
    return data ? new TextDecoder().decode(data) : null;
  };

  const wheelText = text('WHEEL');
  if (wheelText === null) throw new InstallError(InstallErrorCode.NoDistInfo, filename, `${filename} has no ${distInfo}/WHEEL file; it is not a valid wheel.`);
  const wheelVersion = /^Wheel-Version:\s*(\d+)\./m.exec(wheelText)?.[1];
  if (wheelVersion !== '1') {
    throw new InstallError(InstallErrorCode.UnsupportedWheel, filename, `${filename} has Wheel-Version ${wheelVersion ?? '(missing)'}; only 1.x is supported.`);
  }
  const rootIsPurelib = /^Root-Is-Purelib:\s*true\s*$/im.test(wheelText);

  const metadataText = text('METADATA');
  if (metadataText === null) throw new InstallError(InstallErrorCode.NoDistInfo, filename, `${filename} has no ${distInfo}/METADATA file; it is not a valid wheel.`);
  const metadata = parseMetadata(metadataText);
  if (normalizeName(metadata.name) !== parsed.name || !metadata.version.equals(parsed.version)) {
    throw new InstallError(InstallErrorCode.MetadataMismatch, filename, `${filename} is not what its name says: its METADATA is for ${metadata.name} ${metadata.version}, the file name says ${parsed.name} ${parsed.version}. Refusing to install it.`);
  }

  const recordText = text('RECORD');
  if (recordText === null) throw new InstallError(InstallErrorCode.NoDistInfo, filename, `${filename} has no ${distInfo}/RECORD file; it is not a valid wheel.`);
  const record = parseRecord(recordText);
  await checkRecord(filename, record, entries);

  return { filename, parsed, metadata, distInfo, dataDir: distInfo.replace(/\.dist-info$/, '.data'), rootIsPurelib, entries, record };
}

/**
 * The wheel's one `.dist-info` directory (binary distribution format: `{name}-{version}.dist-info`).
 * pip refuses a wheel with several ("multiple .dist-info directories found"): the extra one
 * would be installed as another project's metadata, whose RECORD a later uninstall trusts.
 */
function theDistInfo(filename: string, parsed: WheelFilename, paths: Iterable<string>): string {
  // pep's reader finds the one .dist-info; a missing METADATA is reported after WHEEL's checks.
  const location = locateWheelMetadata(paths, parsed.name);
  if (location.kind === 'no-dist-info') {
    throw new InstallError(InstallErrorCode.NoDistInfo, filename, `${filename} has no .dist-info directory for ${parsed.name} (found: none); it is not a valid wheel.`);
  }
  if (location.kind === 'multiple') {
    throw new InstallError(
      InstallErrorCode.DistInfoMismatch,
      filename,
      `${filename} has an invalid wheel, multiple .dist-info directories found: ${location.found.join(', ')}. Refusing to install it. Rule: ${Rule.oneDistInfo}.`,
    );
  }
  // A name that does not start with the project's (pip's rule) fails the stricter check below too.
  const distInfo = location.distInfo;
  const stem = distInfo.slice(0, -'.dist-info'.length);
  const dash = stem.lastIndexOf('-');
  let version: Version | null = null;
  try {
    version = dash > 0 ? Version.parse(stem.slice(dash + 1)) : null;
  } catch {
    version = null;
  }
  const named = dash > 0 && normalizeName(stem.slice(0, dash)) === parsed.name;
  // Ex) torch-2.0.0+cpu.dist-info in torch-2.0.0+cpu-...whl; uv also accepts the version without its local part.
  const versioned = version !== null && (version.equals(parsed.version) || version.equals(Version.parse(parsed.version.toString().split('+')[0]!)));
  if (!named || !versioned) {
    throw new InstallError(
      InstallErrorCode.DistInfoMismatch,
      filename,
      `${filename} has an invalid wheel, its .dist-info directory ${JSON.stringify(distInfo)} is not named for ${parsed.name} ${parsed.version}. Refusing to install it. Rule: ${Rule.oneDistInfo}.`,
    );
  }
  return distInfo;
}

/** Rejects paths that would escape the install directory: absolute, `..`, drive letters, NUL. */
function checkPath(filename: string, path: string): void {
  const segments = path.split(/[\\/]/);
  if (path.startsWith('/') || path.startsWith('\\') || /^[a-zA-Z]:/.test(path) || segments.includes('..') || path.includes('\0')) {
    throw new InstallError(InstallErrorCode.UnsafePath, filename, `${filename} contains the path ${JSON.stringify(path)}, which would be written outside site-packages. Refusing to install it.`);
  }
}

/**
 * A wheel zipfile refuses (pip fails on it too), or one Pipette cannot read, as an InstallError.
 * Ex) `x-1.0-py3-none-any.whl is not a valid wheel: bad CRC-32 for "x/data.py". ...`
 */
function zipError(filename: string, error: ZipFormatError): InstallError {
  if (error.code === 'not-a-zip') {
    return new InstallError(InstallErrorCode.NotAZip, filename, `${filename} is not a valid wheel: it is not a readable zip archive (${error.message}). The download may be damaged; clear it with \`pip cache remove\` and try again.`);
  }
  if (error.method) {
    return new InstallError(
      InstallErrorCode.UnsupportedZip,
      filename,
      `${filename} uses ${error.method.name} compression (zip method ${error.method.number}) for ${JSON.stringify(error.entry)}, which Pipette cannot unpack; pip can. Ask its publisher for a wheel built with deflate, as every wheel builder writes it, or install another version.`,
    );
  }
  if (error.code === 'duplicate-name') {
    return new InstallError(
      InstallErrorCode.CorruptZip,
      filename,
      `${filename} is not a valid wheel: ${error.message}. pip would write both, the last one winning, so what a reader that keeps the first sees is not what is installed; PyPI and uv refuse such wheels. Refusing to install it.`,
    );
  }
  const code = error.code === 'unsupported' ? InstallErrorCode.UnsupportedZip : InstallErrorCode.CorruptZip;
  return new InstallError(code, filename, `${filename} is not a valid wheel: ${error.message}. pip refuses it too; it was built wrongly or tampered with. Refusing to install it.`);
}

/**
 * Every file RECORD lists with a hash must be in the archive with that hash and size. The
 * digests are all in flight at once (WebCrypto hashes off the thread; awaited one by one, a
 * wheel of a few hundred files spends most of its staging waiting between them), and the
 * first entry in RECORD's order that does not match is the one reported.
 */
async function checkRecord(filename: string, record: readonly RecordEntry[], entries: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const digests = record.map((entry) => {
    const data = entries.get(entry.path);
    return entry.hash.startsWith('sha256=') && data ? sha256(data) : null;
  });
  // Settled before the first refusal: no digest is left unobserved.
  const settled = await Promise.allSettled(digests.map((d) => d ?? Promise.resolve(null)));
  record.forEach((entry, i) => {
    if (!entry.hash) return;
    const data = entries.get(entry.path);
    if (!data) {
      throw new InstallError(InstallErrorCode.RecordMismatch, filename, `${filename}: RECORD lists ${entry.path}, which is not in the archive. The wheel is damaged; rebuild or re-download it.`);
    }
    if (!entry.hash.startsWith('sha256=')) return; // other algorithms: not checked here
    const result = settled[i]!;
    if (result.status === 'rejected') throw result.reason;
    const actual = recordHash(result.value!);
    if (actual !== entry.hash || (entry.size !== null && entry.size !== data.length)) {
      throw new InstallError(InstallErrorCode.RecordMismatch, filename, `${filename}: ${entry.path} does not match its RECORD entry (expected ${entry.hash}, got ${actual}). The wheel is damaged; rebuild or re-download it.`);
    }
  });
}
