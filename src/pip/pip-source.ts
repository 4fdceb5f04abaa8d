/**
 * The package source a pip command resolves against: the configured indexes (and Pyodide's
 * packages, which the resolver uses only for projects no configured source has an installable
 * file of) plus what pip adds on top of them:
 * - `--find-links DIR`: wheels in a directory of the virtual filesystem join the candidates
 *   (a configured source, like an index);
 * - the `--hash` values of requirements and constraints, which restrict a project's files as
 *   pip's PackageFinder does (`allowedHashes`);
 * - direct references to local wheels (`./dist/x.whl`, `x @ file:///...`) and to URLs;
 * - installed distributions: the installed version is always a candidate, even when no index
 *   lists it any more (pip's AlreadyInstalledCandidate), so "already satisfied" never needs the
 *   index to agree; and when an index cannot be reached for a project that is installed, the
 *   installed version alone answers (with a warning), as pip does not ask the index first.
 */
import { extractMetadata, IndexError, IndexErrorCode, type IndexEvent, type PipettePackageSource, type WheelReadOptions } from '../index';
import type { InstalledDist, FileSystem } from '../install';
import { distributionMetadata, normalizeName, parseMetadata, parseWheelFilename, type DistributionFile, type DistributionMetadata, type NormalizedName, type ProjectResponse, type Version, digestHex, isSupportedHash, linkHash } from '../pep';
import { fileFromUrl, type AllowedHashes, type PackageSource } from '../resolver';
import type { PipOutput } from './context';
import { basenameOf, dirnameOf } from './format';
import { PipError, PipErrorCode } from './pip-error';

/**
 * Upload time given to local and installed candidates: `--exclude-newer` is about what an index
 * published, and a file already on this machine is older than any cut-off.
 */
const ALWAYS_OLDER = '1970-01-01T00:00:00Z';

/** `file:///a/b%20c.whl` for `/a/b c.whl`. */
export function pathToFileUrl(path: string): string {
  return `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** `/a/b c.whl` for `file:///a/b%20c.whl` (fragment and query dropped). */
export function fileUrlToPath(url: string): string {
  return decodeURIComponent(new URL(url).pathname);
}

/** A wheel in the virtual filesystem (`--find-links`, `./x.whl`): not the installed version itself. */
export function isLocalFile(file: Pick<DistributionFile, 'url' | 'origin'>): boolean {
  return file.origin !== 'installed' && file.url.startsWith('file:');
}

export function isInstalledCandidate(file: Pick<DistributionFile, 'origin'>): boolean {
  return file.origin === 'installed';
}

/** Watches the index layer for one command: what was downloaded, progress, warnings. */
export class IndexActivity {
  /** URL (no fragment) -> bytes received over the network during this command. */
  readonly downloaded = new Map<string, number>();
  readonly warnings: string[] = [];
  /** The cache's notices already passed on (one per command, however often the cache repeats it). */
  private readonly noticed = new Set<string>();

  constructor(private readonly out: PipOutput) {}

  readonly reporter = (event: IndexEvent): void => {
    switch (event.kind) {
      case 'request':
        // A HEAD or a range (metadata read from a wheel's central directory) is no download.
        if (event.status >= 200 && event.status < 300 && !event.partial) this.downloaded.set(stripFragment(event.url), event.bytes);
        break;
      case 'progress': {
        const name = decodeURIComponent(basenameOf(new URL(event.url).pathname));
        this.out.progress?.({ filename: name || event.url, loaded: event.loaded, total: event.total, done: event.done, ...(event.dropped ? { dropped: true } : {}) });
        break;
      }
      case 'warning':
        if (event.code !== 'multiple-indexes') this.warnings.push(event.message);
        break;
      case 'notice':
        // The cache's word on what it did to the person's data or answers (a page older than
        // its freshness limit used offline, files evicted or not cached when the store was
        // full, a damaged entry dropped): pip's WARNING lines, once each.
        if (!this.noticed.has(event.message)) {
          this.noticed.add(event.message);
          this.warnings.push(event.message);
        }
        break;
      default:
        break;
    }
  };

  /** Bytes fetched for `url` during this command, or null when it came from the cache. */
  fetched(url: string): number | null {
    return this.downloaded.get(stripFragment(url)) ?? null;
  }
}

export function stripFragment(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? url : url.slice(0, i);
}

export interface PipSourceOptions {
  readonly inner: PipettePackageSource;
  readonly fs: FileSystem;
  /** `--find-links` directories, absolute. */
  readonly findLinks?: readonly string[];
  /** Installed distributions offered as candidates (empty for `--target`, `download`). */
  readonly installed?: ReadonlyMap<NormalizedName, InstalledDist>;
  /** Called with a warning when an installed project's index page could not be read. */
  readonly warn?: (message: string) => void;
  /** Per project, the digests the person's `--hash` values allow (pip's `Hashes`, intersected). */
  readonly allowedHashes?: ReadonlyMap<NormalizedName, AllowedHashes>;
}

/** What PipSource asks about sources it cannot read as wheels (source-builds.ts's PipBuilds). */
export interface SourceHooks {
  isSource(file: DistributionFile): boolean;
  directFile(url: string): DistributionFile | undefined;
  metadata(file: DistributionFile): Promise<DistributionMetadata>;
  metadataText(file: DistributionFile): string | null;
}

export class PipSource implements PackageSource {
  readonly inner: PipettePackageSource;
  /** Builds from source for this run (sdists, folders, git), when the command builds. */
  builds: SourceHooks | null = null;
  private readonly fs: FileSystem;
  private readonly findLinks: readonly string[];
  private readonly installed: ReadonlyMap<NormalizedName, InstalledDist>;
  private readonly warn: (message: string) => void;
  private readonly hashes: ReadonlyMap<NormalizedName, AllowedHashes>;
  private local: Map<NormalizedName, DistributionFile[]> | null = null;
  private readonly localMetadata = new Map<string, Promise<DistributionMetadata>>();

  constructor(options: PipSourceOptions) {
    // The index meets the resolver's port structurally (it does not import the resolver).
    this.inner = options.inner satisfies PackageSource;
    this.fs = options.fs;
    this.findLinks = options.findLinks ?? [];
    this.installed = options.installed ?? new Map();
    this.warn = options.warn ?? (() => {});
    this.hashes = options.allowedHashes ?? new Map();
  }

  allowedHashes(name: NormalizedName): AllowedHashes | null {
    return this.hashes.get(name) ?? null;
  }

  async getProject(name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse> {
    const local = this.localFiles().get(name) ?? [];
    const installed = this.installed.get(name);
    let answer: ProjectResponse;
    try {
      answer = await this.inner.getProject(name, signal);
    } catch (error) {
      if (!installed || signal?.aborted || !(error instanceof IndexError)) throw error;
      this.warn(`Could not read the index page of ${name} (${error.reason}); only the installed ${installed.metadata.name} ${installed.metadata.version} is considered.`);
      answer = { kind: 'not-found', name, indexes: this.inner.indexes };
    }
    let files: DistributionFile[] = answer.kind === 'found' ? [...answer.project.files] : [];
    for (const f of local) files.push(f);
    let added = local.length > 0;
    if (installed) {
      const version = installed.metadata.version;
      // An installed version stays a candidate even when it was yanked since (pip's installed
      // candidate knows nothing of yanking): `pip install -U x` must not downgrade it.
      files = files.map((f) => (f.yanked !== false && sameVersion(f, name, version) ? { ...f, yanked: false } : f));
      const listed = files.some((f) => f.filename.endsWith('.whl') && sameVersion(f, name, version));
      if (!listed) {
        files.push(installedCandidate(installed));
        added = true;
      }
    }
    if (files.length === 0) return answer;
    const warnings = answer.kind === 'found' ? answer.project.warnings : [];
    const versions = answer.kind === 'found' && !added ? answer.project.versions : null;
    const pyodideBuild = answer.kind === 'found' ? (answer.project.pyodideBuild ?? null) : null;
    // Local files first, as a configured source, then the index's and Pyodide's as answered.
    return { kind: 'found', project: { name, files, versions, warnings, pyodideBuild } };
  }

  getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> {
    if (isInstalledCandidate(file)) return Promise.resolve(this.installedMetadata(file));
    if (this.builds?.isSource(file)) return this.builds.metadata(file);
    if (isLocalFile(file)) {
      let memo = this.localMetadata.get(file.url);
      if (!memo) {
        memo = this.readLocalMetadata(file);
        memo.catch(() => {});
        this.localMetadata.set(file.url, memo);
      }
      return memo;
    }
    return this.inner.getMetadata(file, signal);
  }

  async getDirectReference(url: string): Promise<DistributionFile> {
    const prepared = this.builds?.directFile(url);
    if (prepared) return prepared;
    if (url.startsWith('file:')) {
      const path = fileUrlToPath(url);
      if (!this.fs.exists(path) || this.fs.isDirectory(path)) {
        throw new PipError(PipErrorCode.File, `Could not install requirement from ${url}: the file ${path} does not exist.`, url);
      }
      const hashes: Record<string, string> = {};
      // pip's `_clean_link`: every supported digest of the fragment, the first of each name.
      for (const [algorithm, value] of new URLSearchParams(new URL(url).hash.replace(/^#/, ''))) {
        if (isSupportedHash(algorithm) && !(algorithm in hashes) && value) hashes[algorithm] = value.toLowerCase();
      }
      return localFile(path, hashes);
    }
    return fileFromUrl(url);
  }

  /** The bytes of a file: the virtual filesystem for local files, else the index (cache first). */
  async getWheel(file: DistributionFile, signal?: AbortSignal, options?: WheelReadOptions): Promise<Uint8Array> {
    if (isInstalledCandidate(file)) {
      const dist = this.installedOf(file);
      throw new PipError(
        PipErrorCode.Installation,
        `Cannot reinstall ${dist.metadata.name} ${dist.metadata.version}: no configured index or --find-links directory offers its wheel any more. ` +
          'Install another version, or give the wheel file.',
      );
    }
    if (isLocalFile(file)) {
      const bytes = this.fs.readFile(fileUrlToPath(file.url));
      if (!bytes) throw new PipError(PipErrorCode.File, `Could not read ${fileUrlToPath(file.url)}: the file does not exist.`);
      // pip checks the link's first digest (`Link.hash`), md5 and sha1 included.
      const expected = linkHash(file.hashes);
      if (expected) {
        const got = await digestHex(expected.algorithm, bytes);
        if (got !== expected.hex) {
          throw new IndexError(IndexErrorCode.HashMismatch, `Hash mismatch for ${file.filename} (from ${file.url}):\n    Expected ${expected.algorithm} ${expected.hex}\n         Got        ${got}`, {
            url: file.url,
            filename: file.filename,
          });
        }
      }
      return bytes;
    }
    return this.inner.getWheel(file, signal, options);
  }

  /**
   * The METADATA text of a file as the distribution ships it (for `--report`): from the cache
   * when the resolver fetched it, else from the wheel. Null for files without one (shared libraries).
   */
  async metadataText(file: DistributionFile, signal?: AbortSignal): Promise<string | null> {
    if (isInstalledCandidate(file)) return new TextDecoder().decode(this.fs.readFile(`${this.installedOf(file).distInfoPath}/METADATA`) ?? new Uint8Array());
    if (this.builds?.isSource(file)) return this.builds.metadataText(file);
    if (file.pyodideLock?.packageType === 'shared_library' || !file.filename.endsWith('.whl')) return null;
    const sha = file.hashes['sha256'];
    if (sha && !isLocalFile(file)) {
      const cached = await this.inner.cache.getMetadata(sha, file.filename, null);
      if (cached !== undefined) return cached;
    }
    const bytes = await this.getWheel(file, signal);
    return new TextDecoder().decode(extractMetadata(bytes, file));
  }

  private localFiles(): Map<NormalizedName, DistributionFile[]> {
    if (this.local) return this.local;
    const map = new Map<NormalizedName, DistributionFile[]>();
    for (const dir of this.findLinks) {
      for (const entry of this.fs.readdir(dir)) {
        if (!entry.endsWith('.whl')) continue;
        let name: NormalizedName;
        try {
          name = parseWheelFilename(entry).name;
        } catch {
          continue; // pip skips links it cannot parse
        }
        const list = map.get(name) ?? [];
        list.push(localFile(`${dir}/${entry}`, {}));
        map.set(name, list);
      }
    }
    this.local = map;
    return map;
  }

  private async readLocalMetadata(file: DistributionFile): Promise<DistributionMetadata> {
    const bytes = await this.getWheel(file);
    const core = parseMetadata(new TextDecoder().decode(extractMetadata(bytes, file)));
    const wheel = parseWheelFilename(file.filename);
    if (normalizeName(core.name) !== wheel.name || !core.version.equals(wheel.version)) {
      throw new IndexError(
        IndexErrorCode.MetadataMismatch,
        `Requested ${wheel.name} from ${file.url} has inconsistent name or version: the file name says ${wheel.name} ${wheel.version}, its metadata ${core.name} ${core.version}.`,
        { url: file.url, filename: file.filename },
      );
    }
    return distributionMetadata(core);
  }

  private installedOf(file: DistributionFile): InstalledDist {
    const path = fileUrlToPath(file.url);
    for (const dist of this.installed.values()) if (dist.distInfoPath === path) return dist;
    throw new PipError(PipErrorCode.Installation, `${file.filename} is not an installed distribution.`);
  }

  private installedMetadata(file: DistributionFile): DistributionMetadata {
    const dist = this.installedOf(file);
    const m = dist.metadata;
    // Installed: Requires-Python was checked when it was installed (pip does not recheck it).
    return { name: dist.name, version: m.version, requiresDist: m.requiresDist, requiresPython: null, providesExtra: m.providesExtra, summary: m.summary };
  }
}

function sameVersion(file: DistributionFile, name: NormalizedName, version: Version): boolean {
  try {
    const w = parseWheelFilename(file.filename);
    return w.name === name && w.version.equals(version);
  } catch {
    return false;
  }
}

/** A DistributionFile for a wheel in the virtual filesystem. */
export function localFile(path: string, hashes: Readonly<Record<string, string>>): DistributionFile {
  return {
    filename: basenameOf(path),
    url: pathToFileUrl(path),
    hashes,
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: ALWAYS_OLDER,
    coreMetadata: false,
    index: pathToFileUrl(`${dirnameOf(path)}/`),
    origin: 'index',
  };
}

/**
 * The installed version as a candidate (pip's `AlreadyInstalledCandidate`): a pseudo wheel that
 * is never downloaded, marked `origin: 'installed'`, its URL the `.dist-info` folder it is read from.
 */
function installedCandidate(dist: InstalledDist): DistributionFile {
  const escaped = dist.metadata.name.replace(/[-_.]+/g, '_');
  return {
    filename: `${escaped}-${dist.metadata.version.toString()}-py3-none-any.whl`,
    url: pathToFileUrl(dist.distInfoPath),
    hashes: {},
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: ALWAYS_OLDER,
    coreMetadata: false,
    index: pathToFileUrl(`${dirnameOf(dist.distInfoPath)}/`),
    origin: 'installed',
  };
}
