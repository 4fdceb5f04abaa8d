/**
 * Core metadata and wheel bytes for index files.
 *
 * Order (uv's registry client, pip's `_fetch_metadata_only`):
 * 1. the cache, by the file's sha256;
 * 2. PEP 658 / 714: when the index says `core-metadata`, GET `<file url>.metadata` and check it
 *    against the hash the index gave; no wheel is downloaded;
 * 3. otherwise the wheel itself: downloaded, checked against its sha256, kept in the cache (the
 *    installer will want it), and `<name>-<version>.dist-info/METADATA` read from the zip.
 * Either way the metadata must name the project and version in the file name (pip's
 * `_check_metadata_consistency`).
 */
import { unzipSync } from 'fflate';
import { parseMetadata, type CoreMetadata } from '../pep/metadata';
import { normalizeName } from '../pep/name';
import { parseWheelFilename, type WheelFilename } from '../pep/wheel';
import { PepError } from '../pep/error';
import { IndexCache } from './cache';
import { WarningCode, safeReporter, type IndexReporter } from './events';
import { hashMismatch, type Fetcher } from './fetcher';
import { checkHash, pickHash } from './hash';
import { IndexError, IndexErrorCode } from './index-error';
import { distributionMetadata, type DistributionFile, type DistributionMetadata } from './package-source';

export interface MetadataClientOptions {
  readonly fetcher: Fetcher;
  readonly cache: IndexCache;
  readonly reporter?: IndexReporter;
  /** Ignore PEP 658 metadata files and always read the wheel (for benchmarks and tests). */
  readonly ignoreMetadataFiles?: boolean;
}

export class MetadataClient {
  private readonly fetcher: Fetcher;
  private readonly cache: IndexCache;
  private readonly report: IndexReporter;
  private readonly ignoreMetadataFiles: boolean;
  /** Metadata never changes for a given file: parsed answers are kept for the session. */
  private readonly parsed = new Map<string, DistributionMetadata>();
  private readonly decoder = new TextDecoder();

  constructor(options: MetadataClientOptions) {
    this.fetcher = options.fetcher;
    this.cache = options.cache;
    this.report = safeReporter(options.reporter);
    this.ignoreMetadataFiles = options.ignoreMetadataFiles ?? false;
  }

  /**
   * The bytes of a distribution file, verified against the index's digest: from the cache when
   * it holds them, else downloaded (and then cached when the digest is a sha256).
   */
  async getWheel(file: DistributionFile, signal?: AbortSignal): Promise<Uint8Array> {
    const sha256 = file.hashes['sha256']?.toLowerCase() ?? null;
    if (sha256) {
      const cached = await this.cache.getFile(sha256, file.filename);
      if (cached) return cached;
    }
    const response = await this.fetcher.request({ url: file.url, signal, filename: file.filename });
    if (response.status === 404 || response.status === 410) {
      throw new IndexError(
        IndexErrorCode.HttpStatus,
        `HTTP error ${response.status} while getting ${file.url}: the index lists ${file.filename} but does not serve it.`,
        { url: file.url, status: response.status, filename: file.filename },
      );
    }
    const expected = pickHash(file.hashes);
    if (expected) {
      const got = await checkHash(response.bytes, expected);
      if (got !== null) throw hashMismatch(response.url, file.filename, expected, got);
    }
    if (sha256) await this.cache.putFile(sha256, file.filename, response.bytes, true);
    return response.bytes;
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
    const response = await this.fetcher.request({ url, signal, filename: `${file.filename}.metadata` });
    if (response.status === 404 || response.status === 410) {
      this.report({
        kind: 'warning',
        code: WarningCode.MetadataFallback,
        message: `The index lists ${url} but answers ${response.status}; reading the metadata from the wheel instead.`,
      });
      return undefined;
    }
    const expected = file.coreMetadata ? pickHash(file.coreMetadata.hashes) : null;
    if (expected) {
      const got = await checkHash(response.bytes, expected);
      if (got !== null) throw hashMismatch(response.url, `${file.filename}.metadata`, expected, got);
    }
    if (fileSha) await this.cache.putMetadata(fileSha, file.filename, response.bytes);
    return this.decoder.decode(response.bytes);
  }

  private async readFromWheel(
    file: DistributionFile,
    fileSha: string | null,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const wheel = await this.getWheel(file, signal);
    const bytes = extractMetadata(wheel, file);
    if (fileSha) await this.cache.putMetadata(fileSha, file.filename, bytes);
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
 * exactly one, and its name starts with the project's).
 */
export function extractMetadata(wheel: Uint8Array, file: Pick<DistributionFile, 'filename' | 'url'>): Uint8Array {
  const fail = (reason: string, cause?: unknown): never => {
    throw new IndexError(IndexErrorCode.InvalidResponse, `${file.filename} is not a valid wheel: ${reason}.`, {
      url: file.url,
      filename: file.filename,
      cause,
    });
  };
  const infoDirs = new Set<string>();
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(wheel, {
      filter: (entry) => {
        const m = /^([^/]+\.dist-info)\//.exec(entry.name);
        if (m?.[1]) infoDirs.add(m[1]);
        return /^[^/]+\.dist-info\/METADATA$/.test(entry.name);
      },
    });
  } catch (error) {
    return fail(`the zip archive cannot be read (${error instanceof Error ? error.message : String(error)})`, error);
  }
  if (infoDirs.size === 0) return fail('no .dist-info directory found');
  if (infoDirs.size > 1) return fail(`multiple .dist-info directories found: ${[...infoDirs].sort().join(', ')}`);
  const [infoDir = ''] = infoDirs;
  const project = parseWheelFilename(file.filename).name;
  if (!normalizeName(infoDir).startsWith(project)) {
    return fail(`the .dist-info directory ${infoDir} does not start with ${project}`);
  }
  const metadata = files[`${infoDir}/METADATA`];
  if (!metadata) return fail(`${infoDir}/METADATA is missing`);
  return metadata;
}
