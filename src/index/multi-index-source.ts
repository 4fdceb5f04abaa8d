/**
 * Several indexes (`--index-url` plus `--extra-index-url`s) and Pyodide's packages, as one
 * package source (the resolver's `PackageSource` port, met structurally).
 *
 * pip merges indexes without priority: it collects the files of a project from every index and
 * picks the best version among all of them. That is what we do, so a resolution here agrees
 * with pip's. It is also how dependency confusion works (someone uploads a higher version of
 * your internal project to the public index), so a project found on more than one index gets a
 * warning. Pyodide's packages are not an index in that sense: their files follow, marked
 * `origin: 'pyodide-lock'`, and the resolver uses them only for a project no configured source
 * has an installable file of (candidates.ts).
 *
 * Unlike pip, which logs "Could not fetch URL" and carries on with the other indexes, an index
 * that cannot be reached fails the lookup: carrying on would silently choose from the
 * remaining indexes, the very thing the warning above is about.
 */
import {
  normalizeName,
  type NormalizedName,
  Version,
  type DistributionFile,
  type DistributionMetadata,
  type ProjectFiles,
  type ProjectResponse,
} from '../pep';
import { IndexError, IndexErrorCode } from './index-error';
import { WarningCode, safeReporter, type IndexReporter } from './events';
import type { MetadataClient, WheelReadOptions } from './metadata-client';
import type { PyodideDistribution } from './pyodide-distribution';
import type { SimpleIndexClient } from './simple-client';
import type { SimplePage } from './simple-page';

export interface MultiIndexSourceOptions {
  /** In pip's order: the index URL first, then the extra index URLs. */
  readonly clients: readonly SimpleIndexClient[];
  readonly pyodide?: PyodideDistribution | null;
  readonly metadata: MetadataClient;
  readonly reporter?: IndexReporter;
}

export class MultiIndexSource {
  private readonly clients: readonly SimpleIndexClient[];
  private readonly pyodide: PyodideDistribution | null;
  private readonly metadata: MetadataClient;
  private readonly report: IndexReporter;
  /** Projects already warned about, so a resolution that asks twice warns once. */
  private readonly warned = new Set<NormalizedName>();

  constructor(options: MultiIndexSourceOptions) {
    this.clients = options.clients;
    this.pyodide = options.pyodide ?? null;
    this.metadata = options.metadata;
    this.report = safeReporter(options.reporter);
  }

  /** The configured index URLs, in order (Pyodide's packages last, when in use). */
  get indexes(): string[] {
    const urls = this.clients.map((c) => c.indexUrl);
    if (this.pyodide?.url) urls.push(this.pyodide.url);
    return urls;
  }

  async getProject(name: NormalizedName, signal?: AbortSignal): Promise<ProjectResponse> {
    const normalized = normalizeName(name);
    const [answers, lockFiles] = await Promise.all([
      Promise.all(this.clients.map((client) => client.getProject(normalized, signal))),
      this.pyodide ? this.pyodide.getFiles(normalized, signal) : [],
    ]);
    signal?.throwIfAborted();
    const pages: SimplePage[] = [];
    for (const answer of answers) if (answer.kind === 'found') pages.push(answer.page);
    const pyodideBuild = this.pyodide?.dormant(normalized) ?? null;
    if (pages.length === 0 && lockFiles.length === 0) {
      if (pyodideBuild) return { kind: 'found', project: { name: normalized, files: [], versions: null, warnings: [], pyodideBuild } };
      return { kind: 'not-found', name: normalized, indexes: this.indexes };
    }

    const warnings: string[] = [];
    if (pages.length > 1) {
      const where = pages.map((p) => p.index);
      const message =
        `${normalized} was found on more than one index (${where.join(', ')}). Like pip, Pipette ` +
        'picks the best version from all of them, so whoever can publish ' +
        `${normalized} on any of them decides what is installed (dependency confusion). Pin the ` +
        'version with --hash, or serve the project from one index only.';
      warnings.push(message);
      if (!this.warned.has(normalized)) {
        this.warned.add(normalized);
        this.report({ kind: 'warning', code: WarningCode.MultipleIndexes, message });
      }
    }

    const files: DistributionFile[] = [];
    // Appended one by one: an index page may list 150 000 files, too many to spread into push().
    for (const page of pages) for (const f of page.files) files.push(f);
    for (const f of lockFiles) files.push(f);
    const project: ProjectFiles = { name: normalized, files, versions: mergeVersions(pages), warnings, pyodideBuild };
    return { kind: 'found', project };
  }

  getMetadata(file: DistributionFile, signal?: AbortSignal): Promise<DistributionMetadata> {
    if (file.origin === 'pyodide-lock') {
      if (!this.pyodide?.enabled) {
        return Promise.reject(
          new IndexError(
            IndexErrorCode.InvalidResponse,
            `${file.filename} comes from Pyodide's packages, and they are not in use here (--pyodide-packages none, or --no-index).`,
            { url: file.url, filename: file.filename },
          ),
        );
      }
      return this.pyodide.getMetadata(file, signal);
    }
    return this.metadata.getMetadata(file, signal);
  }

  /** The bytes of a file, verified (cache first). */
  getWheel(file: DistributionFile, signal?: AbortSignal, options?: WheelReadOptions): Promise<Uint8Array> {
    if (file.origin === 'pyodide-lock' && this.pyodide) return this.pyodide.getWheel(file, signal, options);
    return this.metadata.getWheel(file, signal, options);
  }
}

/**
 * PEP 700 `versions` of every page, normalized and merged; null when any page does not list
 * them (then only the files tell).
 */
function mergeVersions(pages: readonly SimplePage[]): string[] | null {
  if (pages.length === 0 || pages.some((p) => p.versions === null)) return null;
  const seen = new Set<string>();
  const out: string[] = [];
  const add = (raw: string): void => {
    let v: string;
    try {
      v = Version.parse(raw).toString();
    } catch {
      return; // PEP 700 allows any string; what is not PEP 440 cannot be a candidate anyway
    }
    if (!seen.has(v)) {
      seen.add(v);
      out.push(v);
    }
  };
  for (const page of pages) for (const raw of page.versions ?? []) add(raw);
  return out;
}
