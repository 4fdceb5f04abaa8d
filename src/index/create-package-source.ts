/**
 * The one way to assemble src/index: indexes, the Pyodide lock, the fetch layer and the cache,
 * from injected I/O (fetch, clock, store, reporter), so the same call works in a browser tab,
 * a worker and Node.
 */
import type { DistributionFile, DistributionMetadata, NormalizedName, ProjectResponse } from '../pep';
import { IndexCache } from './cache';
import type { CacheStore } from './cache-store';
import { safeReporter, type IndexReporter } from './events';
import { Fetcher, type FetchFunction, type FetchResponse, type SleepFunction } from './fetcher';
import { MemoryStore } from './memory-store';
import { MetadataClient, type WheelReadOptions } from './metadata-client';
import { MultiIndexSource } from './multi-index-source';
import { PypiJsonClient, jsonApiRootFor, type ProjectInfo } from './pypi-json';
import type { PyodideLock } from './pyodide-lock-source';
import { parsePyodidePackages, PyodideDistribution, type PyodidePackagesSetting } from './pyodide-distribution';
import type { ReachabilityProbe } from './reachability';
import { SimpleIndexClient, type CachePolicy } from './simple-client';

export const PYPI_SIMPLE_URL = 'https://pypi.org/simple/';

export interface CreatePackageSourceOptions {
  /** `--index-url` (pip takes one; more are merged like extra ones). Default: PyPI. */
  readonly indexUrls?: readonly string[];
  /** `--extra-index-url`s. */
  readonly extraIndexUrls?: readonly string[];
  /** `--no-index`: no index at all, and Pyodide's packages off too (only `--find-links`). */
  readonly noIndex?: boolean;
  /**
   * The running interpreter's lock, and where Pyodide's packages are served by default: the CDN
   * folder of its release when `baseUrl` is absent, another distribution folder (its own
   * pyodide-lock.json is read), or `none` for off. Null: no Pyodide packages at all.
   */
  readonly pyodideLock?: { readonly lock: PyodideLock; readonly baseUrl?: string } | null;
  /** `--pyodide-packages URL|none` (pip.conf `pyodide-packages`, `PIP_PYODIDE_PACKAGES`): overrides `baseUrl`. */
  readonly pyodidePackages?: string | null;
  readonly fetch: FetchFunction;
  /** Where the cache lives (IdbStore in a browser, FsStore in Node). Default: memory. */
  readonly cache?: CacheStore;
  /** `--no-cache-dir`: the given store is neither read nor written (a fresh memory store is used). */
  readonly noCache?: boolean;
  /** Milliseconds since the epoch. Default: Date.now. */
  readonly now?: () => number;
  readonly reporter?: IndexReporter;
  /** See CachePolicy. Default `normal`. */
  readonly policy?: CachePolicy;
  /** Freshness of cached index pages; 10 minutes by default. */
  readonly maxAgeMs?: number;
  /** pip `--timeout` in ms (15 000). */
  readonly timeoutMs?: number;
  /** pip `--retries` (5). */
  readonly retries?: number;
  readonly concurrency?: number;
  readonly sleep?: SleepFunction;
  readonly random?: () => number;
  /** Mention CORS in network errors; default: when running in a browser or worker. */
  readonly corsHint?: boolean;
  /** Read metadata from wheels even when the index serves PEP 658 files (benchmarks, tests). */
  readonly ignoreMetadataFiles?: boolean;
  /** Never read metadata through HTTP range requests (benchmarks, tests). */
  readonly noRangeRequests?: boolean;
  /** Largest body read when the index declares no size (DEFAULT_MAX_BYTES). */
  readonly maxBytes?: number;
  /** See Fetcher: tells a CORS refusal from no answer in a browser (tests inject one). */
  readonly probe?: ReachabilityProbe | null;
}

/**
 * The resolver's `PackageSource` port (met structurally: the index does not import the
 * resolver; pip's and the CLI's wiring checks it with `satisfies`) plus what the installer and
 * the UI need from the same place.
 */
export interface PipettePackageSource {
  /** The candidate files of a project, from every configured index (then Pyodide's). */
  getProject(name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse>;
  /** The core metadata of one file: PEP 658 `.metadata` first, then the wheel itself. */
  getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata>;
  /** The bytes of a file, verified against its digest; from the cache when it holds them. */
  getWheel(file: DistributionFile, signal?: AbortSignal, options?: WheelReadOptions): Promise<Uint8Array>;
  /** PyPI JSON API information for the UI; null when not found or the index has no JSON API. */
  projectInfo(name: string, options?: { version?: string; signal?: AbortSignal }): Promise<ProjectInfo | null>;
  /** Statistics, listing and purging (pip cache info / list / purge). */
  readonly cache: IndexCache;
  /** The index URLs in use, in order (Pyodide's packages last, when in use). */
  readonly indexes: readonly string[];
  /** Pyodide's packages, when a lock was given (possibly off: see `enabled`). */
  readonly pyodide: PyodideDistribution | null;
  /**
   * GET any URL through the same fetch layer (retries, timeouts, cancellation, CORS-aware
   * errors): source trees come from GitHub's API and raw host this way (src/build).
   */
  fetchUrl(url: string, options?: { readonly accept?: string; readonly signal?: AbortSignal }): Promise<FetchResponse>;
}

export function createPackageSource(options: CreatePackageSourceOptions): PipettePackageSource {
  const now = options.now ?? Date.now;
  const reporter = safeReporter(options.reporter);
  const store = options.noCache || !options.cache ? new MemoryStore() : options.cache;
  const cache = new IndexCache({ store, now, reporter, maxAgeMs: options.maxAgeMs });
  const fetcher = new Fetcher({
    fetch: options.fetch,
    now,
    reporter,
    sleep: options.sleep,
    random: options.random,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    concurrency: options.concurrency,
    corsHint: options.corsHint,
    ...(options.probe !== undefined ? { probe: options.probe } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
  });
  const indexUrls = options.noIndex
    ? []
    : [...(options.indexUrls ?? [PYPI_SIMPLE_URL]), ...(options.extraIndexUrls ?? [])];
  const unique = [...new Set(indexUrls.map((u) => (u.endsWith('/') ? u : `${u}/`)))];
  const clients = unique.map(
    (url) => new SimpleIndexClient(url, { fetcher, cache, now, reporter, policy: options.policy }),
  );
  const metadata = new MetadataClient({
    fetcher,
    cache,
    reporter,
    ignoreMetadataFiles: options.ignoreMetadataFiles,
    noRangeRequests: options.noRangeRequests,
  });
  const pyodide = options.pyodideLock
    ? new PyodideDistribution({
        lock: options.pyodideLock.lock,
        setting: pyodideSetting(options),
        fetcher,
        cache,
        metadata,
        now,
        policy: options.policy,
      })
    : null;
  const source = new MultiIndexSource({ clients, pyodide, metadata, reporter });
  const jsonClients = new Map<string, PypiJsonClient>();

  return {
    getProject: (name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse> =>
      source.getProject(name, signal),
    getMetadata: (file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> =>
      source.getMetadata(file, signal),
    getWheel: (file, signal, wheelOptions) => source.getWheel(file, signal, wheelOptions),
    fetchUrl: (url, fetchOptions = {}) => fetcher.request({ url, ...(fetchOptions.accept ? { accept: fetchOptions.accept } : {}), ...(fetchOptions.signal ? { signal: fetchOptions.signal } : {}) }),
    async projectInfo(name, infoOptions = {}) {
      // The first index with a JSON API that knows the project answers.
      for (const client of clients) {
        const root = jsonApiRootFor(client.indexUrl);
        if (!root) continue;
        let json = jsonClients.get(root);
        if (!json) {
          json = new PypiJsonClient(root, { fetcher, cache, policy: options.policy });
          jsonClients.set(root, json);
        }
        const info = await json.projectInfo(name, infoOptions);
        if (info) return info;
      }
      return null;
    },
    cache,
    indexes: source.indexes,
    pyodide,
  };
}

/** Off under `--no-index`; else `--pyodide-packages`, else the default folder (`baseUrl`, `none` for off). */
function pyodideSetting(options: CreatePackageSourceOptions): PyodidePackagesSetting {
  if (options.noIndex) return { kind: 'off', why: 'no-index' };
  if (options.pyodidePackages) return parsePyodidePackages(options.pyodidePackages);
  const base = options.pyodideLock?.baseUrl;
  if (base && base.trim().toLowerCase() === 'none') return { kind: 'off', why: 'none' };
  return { kind: 'default', url: base ?? null };
}
