/**
 * Core metadata and wheel bytes for remote files (index files and Pyodide's builds).
 *
 * Order (uv's registry client, pip's `_fetch_metadata_only`):
 * 1. the cache, by the file's sha256;
 * 2. PEP 658 / 714: when the index says `core-metadata`, GET `<file url>.metadata` and check it
 *    against the hashes the index gave; no wheel is downloaded;
 * 3. the wheel's central directory and METADATA member through HTTP range requests (uv's lazy
 *    wheel, lazy-wheel.ts), cached like a PEP 658 file;
 * 4. otherwise the wheel itself: downloaded, checked against its digest, kept in the cache (the
 *    installer will want it), and `<name>-<version>.dist-info/METADATA` read from the zip.
 * Either way the metadata must name the project and version in the file name (pip's
 * `_check_metadata_consistency`).
 *
 * Every body is bounded: a wheel by the size its index declared (else the Fetcher's cap), a
 * metadata file by MAX_METADATA_BYTES. The digest checked is pip's: the link's first one
 * (`Link.hash`), md5 and sha1 included (hash.ts).
 */
import {
  parseMetadata,
  type CoreMetadata,
  normalizeName,
  parseWheelFilename,
  type WheelFilename,
  PepError,
  allHashes,
  checkHash,
  digestHex,
  linkHash,
  distributionMetadata,
  type DistributionFile,
  type DistributionMetadata,
} from '../pep';
import { IndexCache } from './cache';
import { WarningCode, safeReporter, type IndexReporter } from './events';
import { hashMismatch, type ByteLimit, type Fetcher } from './fetcher';
import { LAZY_MIN_SIZE, MAX_METADATA_BYTES, metadataFromBytes, readRemoteMetadata } from './lazy-wheel';
import { IndexError, IndexErrorCode } from './index-error';

export interface MetadataClientOptions {
  readonly fetcher: Fetcher;
  readonly cache: IndexCache;
  readonly reporter?: IndexReporter;
  /** Ignore PEP 658 metadata files and always read the wheel (for benchmarks and tests). */
  readonly ignoreMetadataFiles?: boolean;
  /** Never read metadata through range requests: download the wheel (benchmarks, tests). */
  readonly noRangeRequests?: boolean;
}

/** How much of a file's body to accept: its declared size, else the Fetcher's cap. */
export function fileLimit(file: Pick<DistributionFile, 'size'>): ByteLimit | undefined {
  return file.size !== null && file.size >= 0 ? { bytes: file.size, declared: true } : undefined;
}

/** How a wheel is read: `background` for a download read ahead, which waits for the resolver's requests (FetchRequest.background). */
export interface WheelReadOptions {
  readonly background?: boolean;
}

export class MetadataClient {
  private readonly fetcher: Fetcher;
  private readonly cache: IndexCache;
  private readonly report: IndexReporter;
  private readonly ignoreMetadataFiles: boolean;
  private readonly noRangeRequests: boolean;
  /** Metadata never changes for a given file: parsed answers are kept for the session. */
  private readonly parsed = new Map<string, DistributionMetadata>();
  private readonly decoder = new TextDecoder();

  constructor(options: MetadataClientOptions) {
    this.fetcher = options.fetcher;
    this.cache = options.cache;
    this.report = safeReporter(options.reporter);
    this.ignoreMetadataFiles = options.ignoreMetadataFiles ?? false;
    this.noRangeRequests = options.noRangeRequests ?? false;
  }

  /**
   * The bytes of a distribution file, verified against the index's digest: from the cache when
   * it holds them, else downloaded (and then cached under its sha256 when the index gave one).
   */
  async getWheel(file: DistributionFile, signal?: AbortSignal, options: WheelReadOptions = {}): Promise<Uint8Array> {
    const sha256 = file.hashes['sha256']?.toLowerCase() ?? null;
    if (sha256) {
      const cached = await this.cache.getFile(sha256, file.filename);
      if (cached) return cached;
    }
    const response = await this.fetcher.request({ url: file.url, signal, filename: file.filename, limit: fileLimit(file), ...(options.background ? { background: true } : {}) });
    if (response.status === 404 || response.status === 410) {
      throw new IndexError(
        IndexErrorCode.HttpStatus,
        `HTTP error ${response.status} while getting ${file.url}: the host answered, but it does not serve ${file.filename}, which ${
          file.origin === 'pyodide-lock' ? "Pyodide's lock file lists" : 'the index lists'
        }.`,
        { url: file.url, status: response.status, filename: file.filename },
      );
    }
    await this.verify(file, response.url, response.bytes);
    await this.keep(file, response.bytes);
    return response.bytes;
  }

  /** Checks downloaded bytes against the file's digest (pip's `Link.hash`). */
  private async verify(file: DistributionFile, url: string, bytes: Uint8Array): Promise<void> {
    const expected = linkHash(file.hashes);
    if (expected) {
      const got = await checkHash(bytes, expected);
      if (got !== null) throw hashMismatch(url, file.filename, expected, got);
    }
  }

  /** Caches verified bytes under their sha256, when the index gave one. */
  private async keep(file: DistributionFile, bytes: Uint8Array): Promise<void> {
    const expected = linkHash(file.hashes);
    const sha256 = file.hashes['sha256']?.toLowerCase() ?? null;
    if (sha256) {
      // Verified when sha256 was the digest checked; otherwise the cache checks it itself.
      const verified = expected?.algorithm === 'sha256' || (await digestHex('sha256', bytes)) === sha256;
      if (verified) await this.cache.putFile(sha256, file.filename, bytes, true);
    }
  }

  /** The metadata of an index file (lock files are answered by the lock source). */
  async getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> {
    const memo = this.parsed.get(file.url);
    if (memo) return memo;
    if (!file.filename.endsWith('.whl')) {
      throw new IndexError(
        IndexErrorCode.UnsupportedFile,
        `Cannot read the dependencies of ${file.filename}: it is a source distribution, and Pipette ` +
          'installs wheels only (it cannot build packages in the browser). Choose a version that has a wheel.',
        { url: file.url, filename: file.filename },
      );
    }
    const wheelName = parseFileName(file);
    const fileSha = file.hashes['sha256']?.toLowerCase() ?? null;
    const metadataSha = file.coreMetadata ? (file.coreMetadata.hashes['sha256']?.toLowerCase() ?? null) : null;

    let text: string | undefined;
    let source = 'the cache';
    if (fileSha) text = await this.cache.getMetadata(fileSha, file.filename, metadataSha);
    if (text === undefined && file.coreMetadata && !this.ignoreMetadataFiles) {
      text = await this.fetchMetadataFile(file, fileSha, signal);
      source = `${file.url}.metadata`;
    }
    if (text === undefined && this.lazyCandidate(file)) {
      text = await this.readThroughRanges(file, fileSha, signal);
      source = file.url;
    }
    if (text === undefined) {
      text = await this.readFromWheel(file, fileSha, signal);
      source = file.url;
    }
    const metadata = this.toDistributionMetadata(file, wheelName, text, source);
    this.parsed.set(file.url, metadata);
    return metadata;
  }

  /** PEP 658: `<url>.metadata`. Undefined when the index does not actually serve it (404). */
  private async fetchMetadataFile(
    file: DistributionFile,
    fileSha: string | null,
    signal: AbortSignal | undefined,
  ): Promise<string | undefined> {
    const url = `${file.url}.metadata`;
    const response = await this.fetcher.request({
      url,
      signal,
      filename: `${file.filename}.metadata`,
      limit: { bytes: MAX_METADATA_BYTES, declared: false },
    });
    if (response.status === 404 || response.status === 410) {
      this.report({
        kind: 'warning',
        code: WarningCode.MetadataFallback,
        message: `The index lists ${url} but answers ${response.status}; reading the metadata from the wheel instead.`,
      });
      return undefined;
    }
    // pip checks a metadata file against all the digests given (`Link.as_hashes`): any one must match.
    const expected = file.coreMetadata ? allHashes(file.coreMetadata.hashes) : [];
    if (expected.length > 0) {
      const got = await Promise.all(expected.map((e) => checkHash(response.bytes, e)));
      if (got.every((g) => g !== null)) throw hashMismatch(response.url, `${file.filename}.metadata`, expected[0]!, got[0]!);
    }
    if (fileSha) this.cache.putMetadata(fileSha, file.filename, response.bytes);
    return this.decoder.decode(response.bytes);
  }

  /** Worth reading through ranges: a remote file not known to be small. */
  private lazyCandidate(file: DistributionFile): boolean {
    if (this.noRangeRequests || !/^https?:/i.test(file.url)) return false;
    return file.size === null || file.size > LAZY_MIN_SIZE;
  }

  /**
   * METADATA through range requests (lazy-wheel.ts); undefined when the server does not take
   * them, after which the wheel is downloaded. A server that sent the whole file anyway has
   * made the download: it is checked and kept like one.
   */
  private async readThroughRanges(file: DistributionFile, fileSha: string | null, signal: AbortSignal | undefined): Promise<string | undefined> {
    const result = await readRemoteMetadata(this.fetcher, file, signal);
    if (result.kind === 'unsupported') return undefined;
    let bytes = result.bytes;
    if (result.kind === 'whole') {
      // Verified and read before it is kept: a wheel zipfile refuses is not cached.
      await this.verify(file, file.url, result.bytes);
      bytes = extractMetadata(result.bytes, file);
      await this.keep(file, result.bytes);
    }
    if (fileSha) this.cache.putMetadata(fileSha, file.filename, bytes);
    return this.decoder.decode(bytes);
  }

  private async readFromWheel(
    file: DistributionFile,
    fileSha: string | null,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const wheel = await this.getWheel(file, signal);
    const bytes = extractMetadata(wheel, file);
    if (fileSha) this.cache.putMetadata(fileSha, file.filename, bytes);
    return this.decoder.decode(bytes);
  }

  private toDistributionMetadata(
    file: DistributionFile,
    wheelName: WheelFilename,
    text: string,
    source: string,
  ): DistributionMetadata {
    let core: CoreMetadata;
    try {
      core = parseMetadata(text);
    } catch (error) {
      const reason = error instanceof PepError ? error.reason : error instanceof Error ? error.message : String(error);
      throw new IndexError(
        IndexErrorCode.InvalidResponse,
        `Invalid metadata in ${file.filename} (from ${source}): ${reason}. pip would discard this file; ` +
          'choose another version.',
        { url: file.url, filename: file.filename, cause: error },
      );
    }
    // pip's `_check_metadata_consistency` wording.
    if (normalizeName(core.name) !== wheelName.name) {
      throw new IndexError(
        IndexErrorCode.MetadataMismatch,
        `Requested ${wheelName.name} from ${file.url} has inconsistent name: expected ` +
          `'${wheelName.name}', but metadata has '${core.name}'.`,
        { url: file.url, filename: file.filename },
      );
    }
    if (!core.version.equals(wheelName.version)) {
      throw new IndexError(
        IndexErrorCode.MetadataMismatch,
        `Requested ${wheelName.name} from ${file.url} has inconsistent version: expected ` +
          `'${wheelName.version.toString()}', but metadata has '${core.version.toString()}'.`,
        { url: file.url, filename: file.filename },
      );
    }
    for (const warning of core.warnings ?? []) {
      this.report({ kind: 'warning', code: WarningCode.Metadata, message: `${file.filename}: ${warning}` });
    }
    return distributionMetadata(core);
  }
}

function parseFileName(file: DistributionFile): WheelFilename {
  try {
    return parseWheelFilename(file.filename);
  } catch (error) {
    throw new IndexError(
      IndexErrorCode.InvalidResponse,
      `The index lists ${file.filename}, which is not a valid wheel file name: ${
        error instanceof PepError ? error.reason : String(error)
      }.`,
      { url: file.url, filename: file.filename, cause: error },
    );
  }
}

/**
 * `METADATA` of the wheel's one top-level `.dist-info` folder (pip's `wheel_dist_info_dir`:
 * exactly one, and its name starts with the project's), read as zipfile reads it, by the same
 * steps as through range requests (lazy-wheel.ts).
 */
export function extractMetadata(wheel: Uint8Array, file: Pick<DistributionFile, 'filename' | 'url'>): Uint8Array {
  return metadataFromBytes(wheel, file);
}
