// The public surface of src/index: where distributions come from (simple indexes, PEP 658
// metadata, Pyodide's lock, PyPI's JSON API), the fetch layer and the cache.
// Browser-safe: no Node imports. Node-only pieces (FsStore) are in './node'.
// The distribution data it produces (files, project pages, core metadata) are standards values
// in src/pep (distribution.ts); the port it implements is the resolver's PackageSource.
export { createPackageSource, PYPI_SIMPLE_URL } from './create-package-source';
export type { CreatePackageSourceOptions, PipettePackageSource } from './create-package-source';
export { IndexError, IndexErrorCode, isQuotaExceeded, isAbortError } from './index-error';
export type { IndexErrorDetails } from './index-error';
export { WarningCode, NoticeCode } from './events';
export type {
  IndexEvent,
  IndexReporter,
  ProgressEvent,
  RequestEvent,
  RetryEvent,
  WarningEvent,
  NoticeEvent,
} from './events';
export { Fetcher, DEFAULT_TIMEOUT_MS, DEFAULT_RETRIES, DEFAULT_MAX_BYTES, parseRetryAfter, requestsPerHost } from './fetcher';
export type { ByteLimit, FetchFunction, SleepFunction, FetcherOptions, FetchRequest, FetchResponse } from './fetcher';
export { CORS_PROBE_PATH, workerProbe } from './reachability';
export type { Reachability, ReachabilityProbe } from './reachability';
export { IndexCache, CacheKind, DEFAULT_MAX_AGE_MS } from './cache';
export type { CacheEntryInfo, CacheStats, CachedPage, IndexCacheOptions } from './cache';
export type { CacheStore } from './cache-store';
export { quotaExceededError } from './cache-store';
export { MemoryStore } from './memory-store';
export { IdbStore, IDB_DATABASE_NAME, IDB_SCHEMA_VERSION } from './idb-store';
export { SimpleIndexClient, SIMPLE_ACCEPT, parsePage } from './simple-client';
export type { CachePolicy, IndexPageResponse, SimpleClientOptions } from './simple-client';
export { parseSimpleJson } from './simple-json';
export { parseSimpleHtml, tokenizeHtml } from './simple-html';
export type { HtmlToken, StartTag } from './simple-html';
export { decodeEntities } from './html-entities';
export type { SimplePage, PageContext } from './simple-page';
export { MultiIndexSource } from './multi-index-source';
export { MetadataClient, extractMetadata, type WheelReadOptions } from './metadata-client';
export { PyodideLockSource, BUNDLED_PYODIDE_VERSION, pyodideCdnUrl } from './pyodide-lock-source';
export type { PyodideLock, PyodideLockEntry } from './pyodide-lock-source';
export { PyodideDistribution, parsePyodidePackages, PYODIDE_PACKAGES, PROVIDE_PYODIDE_PACKAGES } from './pyodide-distribution';
export type { PyodidePackagesSetting } from './pyodide-distribution';
export { readRemoteMetadata, metadataFromZip } from './lazy-wheel';
export type { LazyWheelResult, ZipRead } from './lazy-wheel';
export { PypiJsonClient, jsonApiRootFor, parseProjectJson } from './pypi-json';
export type { ProjectInfo, Vulnerability } from './pypi-json';
export { Preconnector, PRECONNECT_INTERVAL_MS } from './preconnect';
