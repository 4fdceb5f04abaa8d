/**
 * Pyodide's packages as a source: a named, lower-priority source of the wasm builds Pyodide
 * makes itself (numpy, pyyaml, markupsafe...), beside the configured indexes.
 *
 * - Where: a folder holding an unpacked Pyodide distribution (`pyodide-lock.json` beside the
 *   wheels). By default the CDN folder of the running release, described by the lock bundled
 *   with it (no request for the lock); `--pyodide-packages URL` (pip.conf `pyodide-packages`,
 *   `PIP_PYODIDE_PACKAGES`, the page's `?pyodide-packages=`, `PYODIDE_PACKAGES=DIR npm start`)
 *   points elsewhere, and that folder's own lock is read, once, and must be for this
 *   interpreter (same ABI, platform and Python). `--pyodide-packages none`, and `--no-index`,
 *   turn it off.
 * - What: see pyodide-lock-source.ts (wasm builds and shared libraries, never the pure wheels).
 * - When: its files join a project's candidates, marked `origin: 'pyodide-lock'`; the resolver
 *   takes them only when no configured source has a file that installs (candidates.ts, uv's
 *   `first-index` strategy applied to a second index).
 * - Dependencies: the wheel's own METADATA, through range requests (metadata-client.ts), plus
 *   the shared libraries the lock names for it.
 * When it is off, the bundled lock still says which wasm build there would have been, so that
 * a failure can say so and how to turn it on (`dormant`).
 */
import type { NormalizedName, DistributionFile, DistributionMetadata, PyodideBuildHint } from '../pep';
import { IndexCache } from './cache';
import type { Fetcher } from './fetcher';
import { IndexError, IndexErrorCode } from './index-error';
import type { MetadataClient, WheelReadOptions } from './metadata-client';
import { BUNDLED_PYODIDE_VERSION, PyodideLockSource, pyodideCdnUrl, type PyodideLock } from './pyodide-lock-source';
import type { CachePolicy } from './simple-client';

/** What the person configured: the default folder, another one, or none. */
export type PyodidePackagesSetting =
  /** The CDN folder of the running release (or the page's default). */
  | { readonly kind: 'default'; readonly url: string | null }
  | { readonly kind: 'url'; readonly url: string }
  | { readonly kind: 'off'; readonly why: 'none' | 'no-index' };

/** `--pyodide-packages` as given: a URL, or `none`. Ex) `none` -> off. */
export function parsePyodidePackages(value: string): PyodidePackagesSetting {
  return value.trim().toLowerCase() === 'none' ? { kind: 'off', why: 'none' } : { kind: 'url', url: withSlash(value.trim()) };
}

export interface PyodideDistributionOptions {
  /** The running interpreter's own lock: what loads here, and the CDN folder's contents. */
  readonly lock: PyodideLock;
  readonly setting: PyodidePackagesSetting;
  readonly fetcher: Fetcher;
  readonly cache: IndexCache;
  readonly metadata: MetadataClient;
  readonly now: () => number;
  readonly policy?: CachePolicy;
}

/** How a source names itself in messages: "Pyodide's packages at URL". */
export const PYODIDE_PACKAGES = "Pyodide's packages";

/** How a person provides Pyodide's packages, for messages. */
export const PROVIDE_PYODIDE_PACKAGES =
  'To provide them, serve an unpacked Pyodide distribution (pyodide-lock.json and its wheels) beside the page ' +
  '(PYODIDE_PACKAGES=DIR npm start) or point pip at one (--pyodide-packages URL, or pyodide-packages in pip.conf).';

export class PyodideDistribution {
  /** The folder's URL (with a slash), or null when off. */
  readonly url: string | null;
  private readonly running: PyodideLockSource;
  private source: Promise<PyodideLockSource> | null = null;

  constructor(private readonly options: PyodideDistributionOptions) {
    this.running = new PyodideLockSource(options.lock, {});
    const setting = options.setting;
    this.url = setting.kind === 'off' ? null : setting.url ? withSlash(setting.url) : this.running.baseUrl;
  }

  get enabled(): boolean {
    return this.url !== null;
  }

  /** The project's wasm build and shared library files, when on (the folder's lock read on first use). */
  async getFiles(name: NormalizedName, signal?: AbortSignal): Promise<DistributionFile[]> {
    if (this.url === null) return [];
    const source = await this.lockSource(signal);
    return source.getFiles(name);
  }

  /**
   * When off: the wasm build the running release has for `name`, and why it is not used (for
   * the explanation of a failure). Null when on, or when there is none.
   */
  dormant(name: NormalizedName): PyodideBuildHint | null {
    const setting = this.options.setting;
    if (setting.kind !== 'off') return null;
    const file = this.running.getFiles(name).find((f) => f.pyodideLock?.packageType === 'package');
    if (!file?.pyodideLock) return null;
    return { version: file.pyodideLock.version, filename: file.filename, why: setting.why };
  }

  /** METADATA for a wasm build (range requests), the lock for a shared library. */
  async getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> {
    const source = await this.lockSource(signal);
    if (file.pyodideLock?.packageType === 'shared_library') return source.getMetadata(file);
    if (!source.entryOf(file)) {
      throw new IndexError(IndexErrorCode.InvalidResponse, `${file.filename} is not an entry of ${PYODIDE_PACKAGES} in use (${this.url ?? 'none'}).`, {
        url: file.url,
        filename: file.filename,
      });
    }
    let metadata: DistributionMetadata;
    try {
      metadata = await this.options.metadata.getMetadata(file, signal);
    } catch (error) {
      throw this.explain(error, file);
    }
    const shared = source.sharedLibraryRequirements(file);
    return shared.length === 0 ? metadata : { ...metadata, requiresDist: [...metadata.requiresDist, ...shared] };
  }

  /** The bytes of one of its files (verified against the lock's sha256, cached). */
  async getWheel(file: DistributionFile, signal?: AbortSignal, options?: WheelReadOptions): Promise<Uint8Array> {
    try {
      return await this.options.metadata.getWheel(file, signal, options);
    } catch (error) {
      throw this.explain(error, file);
    }
  }

  /**
   * A failure to reach a build, said as what it is: this project installs only from Pyodide's
   * own build, that build lives at the folder in use, and how to provide the folder offline.
   */
  private explain(error: unknown, file: DistributionFile): unknown {
    if (!(error instanceof IndexError)) return error;
    if (error.code !== IndexErrorCode.Network && error.code !== IndexErrorCode.Timeout && error.code !== IndexErrorCode.Cors && error.code !== IndexErrorCode.HttpStatus) return error;
    const name = file.pyodideLock?.name ?? file.filename;
    const version = file.pyodideLock?.version ?? '';
    return new IndexError(
      error.code,
      `${name} ${version} installs here only as Pyodide's own build (no configured index has a file of it that ` +
        `installs in Pyodide), and ${PYODIDE_PACKAGES} at ${this.url ?? '?'} could not be used: ${error.reason} ` +
        PROVIDE_PYODIDE_PACKAGES,
      { url: error.url, status: error.status, filename: file.filename, cause: error },
    );
  }

  private lockSource(signal: AbortSignal | undefined): Promise<PyodideLockSource> {
    if (this.url === null || this.url === this.running.baseUrl) return Promise.resolve(this.running);
    if (!this.source) {
      const url = this.url;
      this.source = this.loadLock(url, signal);
      // A failed load is forgotten so the next command tries again.
      this.source.catch(() => (this.source = null));
    }
    return this.source;
  }

  /** `<url>pyodide-lock.json`, checked against the running interpreter, cached like an index page. */
  private async loadLock(url: string, signal: AbortSignal | undefined): Promise<PyodideLockSource> {
    const lockUrl = `${url}pyodide-lock.json`;
    const { cache, fetcher, policy } = this.options;
    const key = IndexCache.pageKey('page', lockUrl, 'pyodide-lock');
    const cached = policy === 'refresh' ? undefined : await cache.getPage<PyodideLock>(key);
    let lock: PyodideLock;
    if (cached && (cached.fresh || policy === 'offline')) {
      lock = cached.value;
    } else {
      let bytes: Uint8Array;
      try {
        const response = await fetcher.request({ url: lockUrl, accept: 'application/json', signal, limit: { bytes: 64 * 1024 * 1024, declared: false } });
        if (response.status === 404 || response.status === 410) {
          throw new IndexError(
            IndexErrorCode.HttpStatus,
            `${PYODIDE_PACKAGES} at ${url} cannot be used: the host answered ${response.status} for ${lockUrl}. The folder must hold an ` +
              'unpacked Pyodide distribution (pyodide-lock.json beside the wheels); check the --pyodide-packages URL.',
            { url: lockUrl, status: response.status },
          );
        }
        bytes = response.bytes;
      } catch (error) {
        if (cached && error instanceof IndexError && (error.code === IndexErrorCode.Network || error.code === IndexErrorCode.Timeout)) return this.checked(cached.value, url);
        if (error instanceof IndexError && error.code !== IndexErrorCode.HttpStatus) {
          throw new IndexError(error.code, `${PYODIDE_PACKAGES} at ${url} cannot be used: ${error.reason}`, { url: lockUrl, status: error.status, cause: error });
        }
        throw error;
      }
      try {
        lock = JSON.parse(new TextDecoder().decode(bytes)) as PyodideLock;
      } catch (error) {
        throw new IndexError(IndexErrorCode.InvalidResponse, `${PYODIDE_PACKAGES} at ${url} cannot be used: ${lockUrl} is not JSON.`, { url: lockUrl, cause: error });
      }
      const source = this.checked(lock, url);
      cache.putPage(key, { value: lock, url: lockUrl, lastSerial: null });
      return source;
    }
    return this.checked(lock, url);
  }

  /** The lock as a source, when it is for this interpreter. */
  private checked(lock: PyodideLock, url: string): PyodideLockSource {
    const ours = this.options.lock.info;
    const theirs = (lock as { info?: Partial<PyodideLock['info']> } | null)?.info;
    const differs = (['abi_version', 'platform', 'python'] as const).filter((k) => String(theirs?.[k] ?? '') !== String(ours[k] ?? ''));
    // Patch releases of Python share an ABI: compare major.minor only.
    const python = differs.includes('python') && minor(String(theirs?.python ?? '')) === minor(String(ours.python)) ? differs.filter((k) => k !== 'python') : differs;
    if (python.length > 0) {
      const describe = (info: Partial<PyodideLock['info']> | undefined): string =>
        `ABI ${info?.abi_version ?? '?'}, ${info?.platform ?? '?'}, Python ${info?.python ?? '?'}`;
      throw new IndexError(
        IndexErrorCode.InvalidResponse,
        `${PYODIDE_PACKAGES} at ${url} are built for another Pyodide (${describe(theirs)}); this one is ` +
          `${describe(ours)} (Pyodide ${ours.version ?? BUNDLED_PYODIDE_VERSION}), so its wheels would not load here. ` +
          `Point --pyodide-packages at the distribution of this release (${pyodideCdnUrl(ours.version ?? BUNDLED_PYODIDE_VERSION)} or a copy of it).`,
        { url: `${url}pyodide-lock.json` },
      );
    }
    return new PyodideLockSource(lock, { baseUrl: url });
  }
}

function minor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
