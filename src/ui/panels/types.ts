/**
 * The plain data the panels draw. The runtime worker produces these (they cross Comlink as
 * structured clones), so they are interfaces of plain values: no classes, no functions.
 */

/** One installed distribution, as `pip show` and `importlib.metadata` see it. */
export interface DistributionView {
  name: string;
  version: string;
  /** METADATA's Summary: text from the package's author, never to be rendered as HTML. */
  summary: string | null;
  /** Installed by name (a REQUESTED file), not only as a dependency. */
  requested: boolean;
  requires: { name: string; specifier: string; marker: string | null }[];
  requiredBy: string[];
  location: string;
  /** The newest version on the index; null = unknown. */
  latest: string | null;
  /** Known vulnerabilities (PyPI's JSON API); null = not checked. */
  vulnerabilities: { id: string; fixedIn: string[]; link: string | null }[] | null;
}

export interface EnvironmentView {
  name: string;
  prefix: string;
  sitePackages: string;
  distributions: DistributionView[];
}

export interface DiskEntry {
  /** Absolute. */
  path: string;
  kind: 'file' | 'directory';
  size: number;
}

export interface FileEntry {
  path: string;
  kind: 'file' | 'directory';
}

export interface VersionRow {
  version: string;
  yanked: boolean;
  prerelease: boolean;
}
