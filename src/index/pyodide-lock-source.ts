/**
 * Pyodide's own lock file (`pyodide-lock.json`) as a source of candidates: the packages Pyodide
 * builds itself (numpy, pandas, ... compiled for this exact interpreter) and the shared
 * libraries some of them need.
 *
 * What is offered, decided from the real 314.0.7 lock (357 entries: 346 `package`,
 * 11 `shared_library`):
 * - `package` entries whose file is a wheel: candidates like any index file, with the lock's
 *   sha256 and its `depends` served as metadata without any request.
 * - `shared_library` entries (`libopenblas-0.3.31.zip`, install_dir `dynlib`): offered too,
 *   flagged `pyodideLock.packageType`, because packages depend on them by name (`inspice` on
 *   `libngspice`) and those dependencies must resolve. They are not pip packages.
 * - `<name>-tests` entries (`affine-tests.zip`, Pyodide's unvendored test suites) are not
 *   offered: they are zip files, not wheels, and nothing depends on them.
 * The lock's `depends` spell names as the projects do (`Cartopy`, `ruamel.yaml`); lookups go by
 * PEP 503 normalized name.
 */
import { normalizeName, type NormalizedName } from '../pep/name';
import { Requirement } from '../pep/requirement';
import { Version } from '../pep/version';
import type { PyodideLockInfo } from '../pep/tags';
import type { DistributionFile, DistributionMetadata, PyodideLockFileInfo } from './package-source';
import { IndexError, IndexErrorCode } from './index-error';

/** The Pyodide release bundled in node_modules (a test checks it against its package.json). */
export const BUNDLED_PYODIDE_VERSION = '314.0.7';

/** Where Pyodide's own files are published: the CDN folder of a release. */
export function pyodideCdnUrl(version: string = BUNDLED_PYODIDE_VERSION): string {
  return `https://cdn.jsdelivr.net/pyodide/v${version}/full/`;
}

/** One entry of `packages` in pyodide-lock.json (the fields we read). */
export interface PyodideLockEntry {
  readonly name: string;
  readonly version: string;
  readonly file_name: string;
  readonly install_dir: string;
  readonly sha256: string;
  readonly package_type: string;
  readonly imports?: readonly string[];
  readonly depends?: readonly string[];
  readonly unvendored_tests?: boolean;
}

export interface PyodideLock {
  readonly info: PyodideLockInfo & { readonly version?: string };
  readonly packages: Readonly<Record<string, PyodideLockEntry>>;
}

export interface PyodideLockSourceOptions {
  /** The folder the lock's file names are relative to; the CDN folder of the bundled release by default. */
  readonly baseUrl?: string;
}

export class PyodideLockSource {
  readonly baseUrl: string;
  readonly info: PyodideLock['info'];
  private readonly entries = new Map<NormalizedName, { entry: PyodideLockEntry; file: DistributionFile }>();

  constructor(lock: PyodideLock, options: PyodideLockSourceOptions = {}) {
    if (typeof lock !== 'object' || lock === null || typeof lock.packages !== 'object' || lock.packages === null) {
      throw new IndexError(IndexErrorCode.InvalidResponse, 'Invalid pyodide-lock.json: it has no "packages" object.', {
        url: options.baseUrl ?? 'pyodide-lock.json',
      });
    }
    const base = options.baseUrl ?? pyodideCdnUrl(lock.info?.version ?? BUNDLED_PYODIDE_VERSION);
    this.baseUrl = base.endsWith('/') ? base : `${base}/`;
    this.info = lock.info;
    for (const entry of Object.values(lock.packages)) {
      const file = this.fileOf(entry);
      if (file) this.entries.set(normalizeName(entry.name), { entry, file });
    }
  }

  /** The lock's file for a project, or none. */
  getFiles(name: string): DistributionFile[] {
    const found = this.entries.get(normalizeName(name));
    return found ? [found.file] : [];
  }

  /** Every project the lock offers, normalized. */
  names(): NormalizedName[] {
    return [...this.entries.keys()];
  }

  /** The lock entry behind a file this source produced, or null for any other file. */
  entryOf(file: DistributionFile): PyodideLockEntry | null {
    if (file.origin !== 'pyodide-lock' || !file.pyodideLock) return null;
    const found = this.entries.get(normalizeName(file.pyodideLock.name));
    return found && found.file.url === file.url ? found.entry : null;
  }

  /** Metadata straight from the lock: no request. Throws for a file that is not from this lock. */
  getMetadata(file: DistributionFile): DistributionMetadata {
    const entry = this.entryOf(file);
    if (!entry) {
      throw new IndexError(
        IndexErrorCode.InvalidResponse,
        `${file.filename} is not an entry of the Pyodide lock file in use (${this.baseUrl}).`,
        { url: file.url, filename: file.filename },
      );
    }
    const fail = (what: string, error: unknown): never => {
      throw new IndexError(
        IndexErrorCode.InvalidResponse,
        `Invalid pyodide-lock.json entry ${JSON.stringify(entry.name)}: ${what} (${error instanceof Error ? error.message : String(error)}).`,
        { url: file.url, filename: file.filename, cause: error },
      );
    };
    let version: Version;
    try {
      version = Version.parse(entry.version);
    } catch (error) {
      return fail(`its version ${JSON.stringify(entry.version)} is not a PEP 440 version`, error);
    }
    const requiresDist: Requirement[] = [];
    for (const dependency of entry.depends ?? []) {
      try {
        requiresDist.push(Requirement.parse(dependency));
      } catch (error) {
        return fail(`its dependency ${JSON.stringify(dependency)} is not a requirement`, error);
      }
    }
    return {
      name: normalizeName(entry.name),
      version,
      requiresDist,
      // Built for this interpreter: the lock is the statement that it runs here.
      requiresPython: null,
      providesExtra: [],
      summary: null,
    };
  }

  private fileOf(entry: PyodideLockEntry): DistributionFile | null {
    if (typeof entry?.name !== 'string' || typeof entry.file_name !== 'string') return null;
    let packageType: PyodideLockFileInfo['packageType'];
    if (entry.package_type === 'shared_library') packageType = 'shared_library';
    else if (entry.package_type === 'package' && entry.file_name.endsWith('.whl')) packageType = 'package';
    else return null; // unvendored test suites and any future kind we do not know
    const sha256 = typeof entry.sha256 === 'string' ? entry.sha256.toLowerCase() : null;
    return {
      // An absolute file_name (a lock pointing elsewhere) wins over the base URL.
      filename: entry.file_name.slice(entry.file_name.lastIndexOf('/') + 1),
      url: new URL(entry.file_name, this.baseUrl).href,
      hashes: sha256 ? { sha256 } : {},
      size: null,
      requiresPython: null,
      yanked: false,
      uploadTime: null,
      coreMetadata: false,
      index: this.baseUrl,
      origin: 'pyodide-lock',
      pyodideLock: {
        name: entry.name,
        version: entry.version,
        packageType,
        installDir: entry.install_dir === 'dynlib' ? 'dynlib' : 'site',
        imports: entry.imports ?? [],
      },
    };
  }
}
