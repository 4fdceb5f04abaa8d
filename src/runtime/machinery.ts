/**
 * The machinery made visible: plain-data views of an environment for the page's panels
 * (installed distributions with who requires whom, the files on disk, a project's versions).
 * Computed on demand from the filesystem and the index; nothing here is kept.
 */
import type { PipettePackageSource } from '../index';
import { listInstalled, type FileSystem } from '../install';
import { isPipettePip } from '../pip';
import { Marker, normalizeName, parseSdistFilename, parseWheelFilename, Version, type MarkerEnvironment } from '../pep';

export interface DistributionView {
  name: string;
  version: string;
  summary: string | null;
  requested: boolean;
  requires: { name: string; specifier: string; marker: string | null }[];
  requiredBy: string[];
  location: string;
  latest: string | null;
  vulnerabilities: { id: string; fixedIn: string[]; link: string | null }[] | null;
}

export interface EnvironmentView {
  name: string;
  prefix: string;
  sitePackages: string;
  distributions: DistributionView[];
}

export interface DiskEntry {
  path: string;
  kind: 'file' | 'directory';
  size: number;
}

/** An entry of the home folder for the files list. */
export interface HomeEntry {
  path: string;
  kind: 'file' | 'directory';
  /** A virtual environment's folder (its pyvenv.cfg): listed as one entry, its files in the On disk view. */
  environment?: boolean;
}

export interface VersionRow {
  version: string;
  yanked: boolean;
  prerelease: boolean;
}

/**
 * The installed distributions of `sitePackages`, with the requirements that apply here (markers
 * evaluated in the running interpreter's environment) and the reverse edges (`requiredBy`).
 */
export function describeDistributions(fs: FileSystem, sitePackages: string, environment: MarkerEnvironment): DistributionView[] {
  const installed = listInstalled(fs, sitePackages);
  const present = new Set(installed.map((d) => d.name));
  const requiredBy = new Map<string, string[]>();
  const views = installed.map((dist) => {
    const requires = dist.metadata.requiresDist
      .filter((r) => !r.marker || safeEvaluate(r.marker, environment))
      .map((r) => ({ name: r.name, specifier: r.specifier.toString(), marker: r.marker ? r.marker.toString() : null }));
    for (const r of requires) {
      const key = normalizeName(r.name);
      if (present.has(key)) requiredBy.set(key, [...(requiredBy.get(key) ?? []), dist.metadata.name]);
    }
    return { dist, requires };
  });
  return views.map(({ dist, requires }) => ({
    name: dist.metadata.name,
    version: dist.metadata.version.toString(),
    summary: dist.metadata.summary,
    requested: dist.requested,
    requires,
    requiredBy: (requiredBy.get(dist.name) ?? []).sort(),
    location: sitePackages,
    latest: null,
    vulnerabilities: null,
  }));
}

/** Adds `latest` and `vulnerabilities` from the index's JSON API (PyPI's); failures leave them unknown. */
export async function addIndexFacts(views: DistributionView[], source: PipettePackageSource, signal?: AbortSignal): Promise<DistributionView[]> {
  return Promise.all(
    views.map(async (view) => {
      // Pipette's own pip is the newest it provides: no update to offer, nothing to ask the index.
      if (isPipettePip({ name: normalizeName(view.name) })) return { ...view, latest: view.version };
      try {
        const [latest, current] = await Promise.all([
          source.projectInfo(view.name, signal ? { signal } : {}),
          source.projectInfo(view.name, { version: view.version, ...(signal ? { signal } : {}) }),
        ]);
        return {
          ...view,
          latest: latest?.version ?? null,
          vulnerabilities: current ? current.vulnerabilities.map((v) => ({ id: v.id, fixedIn: [...v.fixedIn], link: v.link })) : null,
        };
      } catch {
        return view; // offline, or an index without a JSON API: unknown, not an error
      }
    }),
  );
}

/** Every file and directory under `roots` (depth-first, sorted), for the on-disk view. */
export function diskEntries(fs: FileSystem & { stat?(path: string): { size: number } | null }, roots: readonly string[], limit = 5000): DiskEntry[] {
  const out: DiskEntry[] = [];
  const walk = (path: string): void => {
    if (out.length >= limit) return;
    if (fs.isDirectory(path)) {
      out.push({ path, kind: 'directory', size: 0 });
      for (const name of fs.readdir(path)) walk(`${path === '/' ? '' : path}/${name}`);
    } else if (fs.exists(path)) {
      out.push({ path, kind: 'file', size: fs.stat?.(path)?.size ?? fs.readFile(path)?.length ?? 0 });
    }
  };
  for (const root of roots) walk(root);
  return out;
}

/** The versions a project's index lists, ascending, with yanked and pre-release flags (the specifier lab). */
export async function projectVersions(source: PipettePackageSource, name: string, signal?: AbortSignal): Promise<VersionRow[] | null> {
  const response = await source.getProject(normalizeName(name), signal);
  if (response.kind !== 'found') return null;
  const byVersion = new Map<string, { version: Version; yanked: boolean }>();
  for (const file of response.project.files) {
    const version = file.pyodideLock ? Version.tryParse(file.pyodideLock.version) : fileVersion(file.filename);
    if (!version) continue;
    const key = version.toString();
    const seen = byVersion.get(key);
    // A version is yanked when every one of its files is (PEP 592).
    byVersion.set(key, { version, yanked: (seen ? seen.yanked : true) && file.yanked !== false });
  }
  return [...byVersion.values()]
    .sort((a, b) => a.version.compare(b.version))
    .map(({ version, yanked }) => ({ version: version.toString(), yanked, prerelease: version.isPrerelease }));
}

function fileVersion(filename: string): Version | null {
  try {
    if (filename.endsWith('.whl')) return parseWheelFilename(filename).version;
    const sdist = parseSdistFilename(filename);
    return sdist ? Version.tryParse(String(sdist.version)) : null;
  } catch {
    return null;
  }
}

function safeEvaluate(marker: Marker, environment: MarkerEnvironment): boolean {
  try {
    return marker.evaluate(environment, '');
  } catch {
    return false;
  }
}

/**
 * The home folder's files for the side list, in one walk: a virtual environment is one entry
 * (its thousands of files are the On disk view's), Python's caches are left out, at most
 * `limit` entries.
 */
export function homeEntries(fs: FileSystem, home: string, limit = 2000): HomeEntry[] {
  const out: HomeEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdir(dir)) {
      if (name === '__pycache__' || out.length >= limit) continue;
      const path = `${dir}/${name}`;
      if (!fs.isDirectory(path)) {
        out.push({ path, kind: 'file' });
      } else if (fs.exists(`${path}/pyvenv.cfg`)) {
        out.push({ path, kind: 'directory', environment: true });
      } else {
        out.push({ path, kind: 'directory' });
        walk(path);
      }
    }
  };
  if (fs.isDirectory(home)) walk(home);
  return out;
}

/**
 * A short text that changes whenever what the panels show of an environment changes: which
 * environment, its distributions (their .dist-info names, REQUESTED or not) and its scripts.
 * Computed from directory listings only, so the page can ask after every command and redraw
 * the panels only when something they show changed (not for `ls` in a big environment).
 */
export function environmentStamp(fs: FileSystem, env: { prefix: string; sitePackages: string; scripts: string }): string {
  const listing = (dir: string): string[] => (fs.isDirectory(dir) ? fs.readdir(dir) : []);
  const dists = listing(env.sitePackages)
    .filter((n) => n.endsWith('.dist-info'))
    .map((n) => (fs.exists(`${env.sitePackages}/${n}/REQUESTED`) ? `${n}+` : n));
  return [env.prefix, ...dists, '|', ...listing(env.scripts)].join('\n');
}

/**
 * Changes whenever anything the workspace keeps may have changed: a file under the home folder
 * (its path, size and modification time; venvs are their environments' business) or an
 * environment (environmentStamp). Cheap next to saving (which computes every lock), so a line
 * that changed nothing (`ls`, `echo hi`) saves nothing.
 */
export function workspaceStamp(
  fs: FileSystem & { stat?(path: string): { size: number; mtimeMs: number | null } | null },
  home: string,
  environments: readonly { prefix: string; sitePackages: string; scripts: string }[],
): string {
  const files = homeEntries(fs, home, Infinity).map((e) => {
    const st = e.kind === 'file' ? fs.stat?.(e.path) : null;
    return `${e.path} ${st ? `${st.size} ${st.mtimeMs ?? ''}` : e.kind}`;
  });
  return [...files, ...environments.map((env) => environmentStamp(fs, env))].join('\n');
}
