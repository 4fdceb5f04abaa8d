/**
 * The one way to assemble src/index: indexes, the Pyodide lock, the fetch layer and the cache,
 * from injected I/O (fetch, clock, store, reporter), so the same call works in a browser tab,
 * a worker and Node.
 */
import type { NormalizedName } from '../pep/name';
import { IndexCache } from './cache';
import type { CacheStore } from './cache-store';
import { safeReporter, type IndexReporter } from './events';
import { Fetcher, type FetchFunction, type FetchResponse, type SleepFunction } from './fetcher';
import { MemoryStore } from './memory-store';
import { MetadataClient } from './metadata-client';
import { MultiIndexSource } from './multi-index-source';
import type { DistributionFile, DistributionMetadata, PackageSource, ProjectResponse } from './package-source';
import { PypiJsonClient, jsonApiRootFor, type ProjectInfo } from './pypi-json';
import { PyodideLockSource, type PyodideLock } from './pyodide-lock-source';
import { SimpleIndexClient, type CachePolicy } from './simple-client';

export const PYPI_SIMPLE_URL = 'https://pypi.org/simple/';

export interface CreatePackageSourceOptions {
  /** `--index-url` (pip takes one; more are merged like extra ones). Default: PyPI. */
  readonly indexUrls?: readonly string[];
  /** `--extra-index-url`s. */
  readonly extraIndexUrls?: readonly string[];
  /** `--no-index`: no index at all (only the Pyodide lock answers). */
  readonly noIndex?: boolean;
  /** Pyodide's lock and where its files are served (default: the CDN of the bundled release). */
  readonly pyodideLock?: { readonly lock: PyodideLock; readonly baseUrl?: string } | null;
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
}

/** PackageSource plus what the installer and the UI need from the same place. */
export interface PipettePackageSource extends PackageSource {
  /** The bytes of a file, verified against its digest; from the cache when it holds them. */
  getWheel(file: DistributionFile, signal?: AbortSignal): Promise<Uint8Array>;
  /** PyPI JSON API information for the UI; null when not found or the index has no JSON API. */
  projectInfo(name: string, options?: { version?: string; signal?: AbortSignal }): Promise<ProjectInfo | null>;
  /** Statistics, listing and purging (pip cache info / list / purge). */
  readonly cache: IndexCache;
  /** The index URLs in use, in order (the Pyodide lock's base URL last). */
  readonly indexes: readonly string[];
  /** The Pyodide lock source, when one is configured. */
  readonly lock: PyodideLockSource | null;
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
  });
  const indexUrls = options.noIndex
    ? []
    : [...(options.indexUrls ?? [PYPI_SIMPLE_URL]), ...(options.extraIndexUrls ?? [])];
  const unique = [...new Set(indexUrls.map((u) => (u.endsWith('/') ? u : `${u}/`)))];
  const clients = unique.map(
    (url) => new SimpleIndexClient(url, { fetcher, cache, now, reporter, policy: options.policy }),
  );
  const lock = options.pyodideLock
    ? new PyodideLockSource(options.pyodideLock.lock, { baseUrl: options.pyodideLock.baseUrl })
    : null;
  const metadata = new MetadataClient({
    fetcher,
    cache,
    reporter,
    ignoreMetadataFiles: options.ignoreMetadataFiles,
  });
  const source = new MultiIndexSource({ clients, lock, metadata, reporter });
  const jsonClients = new Map<string, PypiJsonClient>();

  return {
    getProject: (name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse> =>
      source.getProject(name, signal),
    getMetadata: (file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> =>
      source.getMetadata(file, signal),
    getWheel: (file, signal) => source.getWheel(file, signal),
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
    lock,
  };
}
