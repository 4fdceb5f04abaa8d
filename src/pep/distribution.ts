/**
 * The distribution data packaging standards speak of, as values: a file an index lists (PEP 691
 * `files[]`, PEP 503 anchors, PEP 592 yanks, PEP 658/714 metadata files, PEP 700 sizes and
 * times), a project's page, and the dependency part of core metadata. Below both the index
 * (which produces them) and the resolver (which consumes them), as uv's `uv-distribution-types`
 * sits below its client and resolver.
 */
import type { CoreMetadata } from './metadata';
import { normalizeName, type NormalizedName } from './name';
import type { Requirement } from './requirement';
import type { SpecifierSet } from './specifier';
import type { Version } from './version';

/**
 * One distribution file of a project as an index lists it (PEP 691 `files[]`, PEP 503 anchors,
 * or an entry of Pyodide's lock file). Everything the resolver needs to choose a file without
 * downloading it.
 */
export interface DistributionFile {
  /** The file name as served, e.g. `requests-2.32.3-py3-none-any.whl`. */
  readonly filename: string;
  /** Absolute URL of the file (relative hrefs are resolved against the page URL). */
  readonly url: string;
  /** Lower-case hex digests by algorithm name; `sha256` whenever the index gives one. */
  readonly hashes: Readonly<Record<string, string>>;
  /** Size in bytes when the index says (PEP 700). */
  readonly size: number | null;
  /** The file's `requires-python` (PEP 345 / PEP 691), unparsed, or null. */
  readonly requiresPython: string | null;
  /** PEP 592: false, or the reason given (empty string when the index gives none). */
  readonly yanked: false | string;
  /** ISO 8601 upload time (PEP 700), or null. */
  readonly uploadTime: string | null;
  /**
   * PEP 658/714: whether `<url>.metadata` is served, and its hashes. `false` when it is not.
   * (`core-metadata`, falling back to the older `dist-info-metadata` key.)
   */
  readonly coreMetadata: false | { readonly hashes: Readonly<Record<string, string>> };
  /** The index URL this file was found on (for merging several indexes, and for the lock). */
  readonly index: string;
  /**
   * Where the file comes from: a configured source (an index, `--find-links`, a direct
   * reference), or Pyodide's packages (a wasm build or shared library listed by the
   * distribution's pyodide-lock.json), which are used for a project only when no configured
   * source has a file that installs (see src/index pyodide-distribution.ts), or the installed
   * distribution itself (pip's `AlreadyInstalledCandidate`): `installed` files are never
   * downloaded, their `url` names the `.dist-info` folder.
   */
  readonly origin: 'index' | 'pyodide-lock' | 'installed';
  /**
   * For `origin: 'pyodide-lock'` only: the lock entry's facts. Set on every lock file, absent on
   * index files. A shared library (`packageType: 'shared_library'`, e.g. `libopenblas-0.3.31.zip`)
   * has no wheel name to parse: take the version from here. getProject answers for shared
   * libraries so that a lock package depending on one resolves; the resolver should accept
   * such a file only as a dependency, not for a root requirement (it is not a pip package). `installDir` is where
   * Pyodide puts it (`site` = site-packages, `dynlib` = the shared library folder).
   */
  readonly pyodideLock?: PyodideLockFileInfo;
}

/** What a Pyodide lock entry says about its file beyond the fields of every DistributionFile. */
export interface PyodideLockFileInfo {
  /** The name as the lock spells it (e.g. `Jinja2`). */
  readonly name: string;
  /** The version as the lock gives it. */
  readonly version: string;
  readonly packageType: 'package' | 'shared_library';
  readonly installDir: 'site' | 'dynlib';
  /** Top-level import names (the lock's `imports`). */
  readonly imports: readonly string[];
}

/** The candidate files of one project, merged across every configured index. */
export interface ProjectFiles {
  readonly name: NormalizedName;
  /** The configured sources' files, then Pyodide's (`origin: 'pyodide-lock'`). */
  readonly files: readonly DistributionFile[];
  /** Versions the indexes list (PEP 700 `versions`), normalized, when they all give them. */
  readonly versions: readonly string[] | null;
  /** Notices for the person (e.g. "found on more than one index"), never thrown. */
  readonly warnings: readonly string[];
  /**
   * When Pyodide's packages are off: the wasm build the running release has of this project,
   * so that a failure can say it exists and how to turn them on.
   */
  readonly pyodideBuild?: PyodideBuildHint | null;
}

/** A wasm build Pyodide has of a project, not in use, and why. */
export interface PyodideBuildHint {
  readonly version: string;
  readonly filename: string;
  /** `none`: `--pyodide-packages none`; `no-index`: `--no-index`. */
  readonly why: 'none' | 'no-index';
}

/** The dependency information of one distribution file: its core metadata, as parsed. */
export interface DistributionMetadata {
  readonly name: NormalizedName;
  readonly version: Version;
  readonly requiresDist: readonly Requirement[];
  readonly requiresPython: SpecifierSet | null;
  readonly providesExtra: readonly NormalizedName[];
  readonly summary: string | null;
}

/** Expected outcomes are data, not exceptions (uv's VersionsResponse). */
export type ProjectResponse =
  | { readonly kind: 'found'; readonly project: ProjectFiles }
  | { readonly kind: 'not-found'; readonly name: NormalizedName; readonly indexes: readonly string[] };

/** The dependency information of parsed core metadata (what the resolver reads of METADATA). */
export function distributionMetadata(core: CoreMetadata): DistributionMetadata {
  return {
    name: normalizeName(core.name),
    version: core.version,
    requiresDist: core.requiresDist,
    requiresPython: core.requiresPython,
    providesExtra: core.providesExtra,
    summary: core.summary,
  };
}
