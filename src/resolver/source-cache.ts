/**
 * What the provider has fetched: project pages and metadata, each asked of the source once
 * and shared by everyone who needs it (a `Map<key, Promise>`, as vite's transformRequest), with
 * the settled answers kept for synchronous reads. Prefetches that nobody awaits never turn
 * into unhandled rejections; a failed one is forgotten so the real request tries again.
 */
import type { DistributionFile, DistributionMetadata, NormalizedName, ProjectResponse, Version } from '../pep';
import { type CandidateContext, ProjectCandidates } from './candidates';
import type { PackageSource } from './package-source';
import { ResolverError } from './resolver-error';

/** The fetch events of the provider's log. */
export type FetchEvent =
  | { readonly kind: 'fetch-project'; readonly name: NormalizedName; readonly prefetch: boolean }
  | {
      readonly kind: 'fetch-metadata';
      readonly name: NormalizedName;
      readonly version: string;
      readonly filename: string;
      readonly prefetch: boolean;
    };

/** A project as the provider sees it. */
export type ProjectEntry =
  | { readonly kind: 'found'; readonly candidates: ProjectCandidates; readonly warnings: readonly string[] }
  | { readonly kind: 'not-found'; readonly indexes: readonly string[] }
  | { readonly kind: 'direct'; readonly candidates: ProjectCandidates; readonly url: string };

/** A file's metadata, or why it could not be read (the version is then unavailable). */
export type MetadataAnswer = DistributionMetadata | { readonly error: unknown };

/** What a request for metadata already here resolves to. */
const SETTLED: Promise<undefined> = Promise.resolve(undefined);

/** A metadata request that failed for the whole resolution (network, abort), as a value. */
class FetchFailure {
  constructor(readonly error: unknown) {}
}

export class SourceCache {
  /** Requests made of the source so far, prefetches included. */
  projectRequests = 0;
  metadataRequests = 0;
  private readonly projects = new Map<NormalizedName, Promise<ProjectEntry>>();
  private readonly resolvedProjects = new Map<NormalizedName, ProjectEntry>();
  /**
   * Per file URL, the metadata request in flight, replaced by its answer once settled (one map
   * for both: a deep resolution reads tens of thousands of files). Requests never reject (a
   * failure settles as a FetchFailure), so a prefetch nobody awaits needs no extra handler.
   */
  private readonly metadata = new Map<string, Promise<FetchFailure | undefined> | MetadataAnswer>();

  constructor(
    private readonly source: PackageSource,
    private readonly context: CandidateContext,
    /** Direct references by project: their one file instead of the index. */
    private readonly direct: ReadonlyMap<NormalizedName, string>,
    /** Where fetch events go; null when nobody listens (the counts are kept all the same). */
    private readonly emit: ((event: FetchEvent) => void) | null,
    private readonly signal?: AbortSignal,
  ) {}

  /** The project, when its answer is already here. */
  resolved(name: NormalizedName): ProjectEntry | undefined {
    return this.resolvedProjects.get(name);
  }

  /** The file's metadata answer, when already here. */
  metadataOf(file: DistributionFile): MetadataAnswer | undefined {
    const known = this.metadata.get(file.url);
    return known instanceof Promise ? undefined : known;
  }

  project(name: NormalizedName, prefetch: boolean): Promise<ProjectEntry> {
    let promise = this.projects.get(name);
    if (!promise) {
      this.projectRequests++;
      this.emit?.({ kind: 'fetch-project', name, prefetch });
      const url = this.direct.get(name);
      promise = (url !== undefined ? this.directEntry(name, url) : this.indexEntry(name)).then((entry) => {
        this.resolvedProjects.set(name, entry);
        return entry;
      });
      // A prefetch nobody awaits must not become an unhandled rejection; the real caller
      // still sees the error.
      promise.catch(() => {});
      this.projects.set(name, promise);
    }
    return promise;
  }

  private async indexEntry(name: NormalizedName): Promise<ProjectEntry> {
    const response: ProjectResponse = await this.source.getProject(name, this.signal);
    if (response.kind === 'not-found') return { kind: 'not-found', indexes: response.indexes };
    const candidates = new ProjectCandidates(name, response.project.files, this.context, {
      allowedHashes: this.source.allowedHashes?.(name) ?? null,
      pyodideBuild: response.project.pyodideBuild ?? null,
    });
    return { kind: 'found', candidates, warnings: response.project.warnings };
  }

  private async directEntry(name: NormalizedName, url: string): Promise<ProjectEntry> {
    const source = this.source;
    const file = source.getDirectReference ? await source.getDirectReference(url, this.signal) : fileFromUrl(url);
    // A direct reference is what the person asked for: no upload-time cut-off applies, and a
    // source tree (a folder, an sdist, a repository) is built whatever `--only-binary` says.
    // (Only when the caller builds at all, which it says by giving `formats`.)
    const context: CandidateContext = { ...this.context, excludeNewer: null, ...(this.context.formats ? { formats: () => ({ wheels: true, sdists: true }) } : {}) };
    return { kind: 'direct', candidates: new ProjectCandidates(name, [file], context), url };
  }

  /** Fetch (once) the metadata of a file; a bad file is recorded, other errors reject. */
  async fetchMetadata(name: NormalizedName, version: Version, file: DistributionFile, prefetch: boolean): Promise<void> {
    const failure = await this.requestMetadata(name, version, file, prefetch);
    if (failure) throw failure.error;
  }

  /** Start fetching the metadata of a file unless already asked, for later (never rejects). */
  prefetchMetadata(name: NormalizedName, version: Version, file: DistributionFile): void {
    if (!this.metadata.has(file.url)) void this.requestMetadata(name, version, file, true);
  }

  private requestMetadata(name: NormalizedName, version: Version, file: DistributionFile, prefetch: boolean): Promise<FetchFailure | undefined> {
    const known = this.metadata.get(file.url);
    if (known !== undefined) return known instanceof Promise ? known : SETTLED;
    this.metadataRequests++;
    this.emit?.({ kind: 'fetch-metadata', name, version: version.toString(), filename: file.filename, prefetch });
    const url = file.url;
    const promise = this.source.getMetadata(file, this.signal).then(
      (m) => {
        this.metadata.set(url, m);
        return undefined;
      },
      (error: unknown) => {
        // A bad file makes only its version unusable; aborts and network failures end the
        // resolution (and are not cached, so a failed prefetch is retried when needed).
        if (isFileError(error)) {
          this.metadata.set(url, { error });
          return undefined;
        }
        this.metadata.delete(url);
        return new FetchFailure(error);
      },
    );
    this.metadata.set(url, promise);
    return promise;
  }
}

/** Errors that make one file's metadata unusable rather than the whole resolution impossible. */
function isFileError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'metadata-mismatch' || code === 'invalid-metadata' || code === 'unsupported-file' || code === 'invalid-response';
}

/** pip's `_SUPPORTED_HASHES`. */
const SUPPORTED_HASHES: readonly string[] = ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'];

/**
 * A direct reference URL as a file: the name is the last path segment, the digests come from
 * the fragment (`#sha256=`, `#md5=`: pip's hash fragments).
 */
export function fileFromUrl(url: string): DistributionFile {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ResolverError('invalid-url', `Invalid URL in a direct reference: ${url}`, url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:' && parsed.protocol !== 'file:') {
    throw new ResolverError(
      'unsupported-url',
      `Cannot install from ${url}: only http(s) and file URLs of wheels are supported (pip's VCS URLs need a build).`,
      url,
    );
  }
  // pip's `_clean_link`: the fragment's digests of the names pip supports, the first of each.
  const hashes: Record<string, string> = {};
  for (const [algorithm, value] of new URLSearchParams(parsed.hash.replace(/^#/, ''))) {
    if (SUPPORTED_HASHES.includes(algorithm) && !(algorithm in hashes) && value) hashes[algorithm] = value.toLowerCase();
  }
  parsed.hash = '';
  const filename = decodeURIComponent(parsed.pathname.slice(parsed.pathname.lastIndexOf('/') + 1));
  return {
    filename,
    url: parsed.toString(),
    hashes,
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: parsed.origin,
    origin: 'index',
  };
}
