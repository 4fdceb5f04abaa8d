/**
 * Pyodide's own lock file (`pyodide-lock.json`): what a Pyodide distribution folder holds, as
 * candidate files.
 *
 * What is offered, decided from the real 314.0.7 lock (357 entries: 139 pure-Python wheels, 148
 * wasm builds, 11 `shared_library` zips, 59 unvendored test suites):
 * - wasm builds (`package` entries whose wheel is not `*-none-any`): the packages with compiled
 *   code Pyodide builds itself (numpy, pyyaml, markupsafe, ...) for this exact interpreter; and
 *   the pure wheels that need one of its shared libraries (`inspice` on `libngspice`), which
 *   are Pyodide's builds in all but their tag.
 *   Their dependencies are the wheel's own METADATA (read by the distribution through range
 *   requests), not the lock's `depends`, which are Pyodide's build-time notes (arviz "depends"
 *   on pytz that nothing requires; setuptools on pyparsing).
 * - `shared_library` entries (`libopenblas-0.3.31.zip`, install_dir `dynlib`): offered too,
 *   flagged `pyodideLock.packageType`, because builds depend on them by name through the lock
 *   (`inspice` on `libngspice`, which no METADATA can say). They are not pip packages.
 * Not offered: the other pure-Python wheels (copies of releases the configured indexes serve,
 *   and where pip would take them from: letting the lock's copy in made `requests[socks]` lose
 *   its extra and `pytest==9.0.2` lose `packaging`), and the `<name>-tests` zips.
 * The lock's `depends` spell names as the projects do (`Cartopy`, `ruamel.yaml`); lookups go by
 * PEP 503 normalized name.
 */
import {
  normalizeName,
  type NormalizedName,
  Requirement,
  Version,
  type PyodideLockInfo,
  type DistributionFile,
  type DistributionMetadata,
  type PyodideLockFileInfo,
} from '../pep';
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

/** A wheel whose every tag's platform is `any`: no compiled code, so no wasm build. */
const PURE_WHEEL = /-none-any\.whl$/;

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
    const all = Object.values(lock.packages).filter((e) => typeof e?.name === 'string');
    const sharedLibraries = new Set(all.filter((e) => e.package_type === 'shared_library').map((e) => normalizeName(e.name)));
    for (const entry of all) {
      const needsLibrary = (entry.depends ?? []).some((d) => typeof d === 'string' && sharedLibraries.has(normalizeName(d)));
      const file = this.fileOf(entry, needsLibrary);
      if (file) this.entries.set(normalizeName(entry.name), { entry, file });
    }
  }

  /** The lock's file for a project (a wasm build or a shared library), or none. */
  getFiles(name: string): DistributionFile[] {
    const found = this.entries.get(normalizeName(name));
    return found ? [found.file] : [];
  }

  /**
   * The shared libraries a lock entry depends on, as requirements (`libngspice`): what a wasm
   * build needs beyond its METADATA. Lock packages it names are left to the METADATA.
   */
  sharedLibraryRequirements(file: DistributionFile): Requirement[] {
    const entry = this.entryOf(file);
    const out: Requirement[] = [];
    for (const dependency of entry?.depends ?? []) {
      const target = this.entries.get(normalizeName(dependency));
      if (target?.file.pyodideLock?.packageType !== 'shared_library') continue;
      try {
        out.push(Requirement.parse(dependency));
      } catch {
        // Not a name: the entry is malformed; METADATA still says what the build needs.
      }
    }
    return out;
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

  /**
   * Metadata straight from the lock, no request: for shared libraries, which have no METADATA
   * (their `depends` are other shared libraries). Throws for a file that is not from this lock.
   */
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

  /** The entry as a candidate file, or null when it is not offered (see the module comment). */
  private fileOf(entry: PyodideLockEntry, needsLibrary: boolean): DistributionFile | null {
    if (typeof entry?.name !== 'string' || typeof entry.file_name !== 'string') return null;
    let packageType: PyodideLockFileInfo['packageType'];
    if (entry.package_type === 'shared_library') packageType = 'shared_library';
    else if (entry.package_type === 'package' && entry.file_name.endsWith('.whl') && (!PURE_WHEEL.test(entry.file_name) || needsLibrary)) packageType = 'package';
    else return null; // pure-Python wheels, unvendored test suites, any future kind we do not know
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
