/**
 * Where a wheel's METADATA is: the one reader of the binary distribution format's layout that the
 * index (a downloaded wheel, a remote one read in ranges) and the installer share.
 *
 * pip's `wheel_dist_info_dir` (`utils/wheel.py`): the `.dist-info` directories are the top-level
 * names ending in `.dist-info`; there must be exactly one, and its normalized name must start
 * with the project's; METADATA is the file directly inside it. The archive is read by the caller
 * (pep/ does no I/O): this takes the archive's member names and says which one to read.
 */
import { normalizeName, type NormalizedName } from './name';

export type WheelMetadataLocation =
  /** `path` is `<distInfo>/METADATA`, and it is among the names. */
  | { readonly kind: 'found'; readonly distInfo: string; readonly path: string }
  | { readonly kind: 'no-dist-info' }
  /** More than one `.dist-info` directory, sorted. */
  | { readonly kind: 'multiple'; readonly found: readonly string[] }
  /** The one `.dist-info` directory's name does not start with the project's. */
  | { readonly kind: 'misnamed'; readonly distInfo: string; readonly project: NormalizedName }
  | { readonly kind: 'no-metadata'; readonly distInfo: string; readonly path: string };

/**
 * The METADATA member of a wheel whose members are `names`; `project` (the normalized name from
 * the file name) is checked as pip checks it, or not at all when null.
 * Ex) ['demo/__init__.py', 'demo-1.0.dist-info/METADATA'], 'demo' -> found `demo-1.0.dist-info/METADATA`
 */
export function locateWheelMetadata(names: Iterable<string>, project: NormalizedName | null): WheelMetadataLocation {
  const all = new Set<string>();
  const distInfos = new Set<string>();
  for (const name of names) {
    all.add(name);
    const top = name.split('/', 1)[0]!;
    if (top.endsWith('.dist-info')) distInfos.add(top);
  }
  if (distInfos.size === 0) return { kind: 'no-dist-info' };
  if (distInfos.size > 1) return { kind: 'multiple', found: [...distInfos].sort() };
  const [distInfo = ''] = distInfos;
  if (project !== null && !normalizeName(distInfo).startsWith(project)) return { kind: 'misnamed', distInfo, project };
  const path = `${distInfo}/METADATA`;
  return all.has(path) ? { kind: 'found', distInfo, path } : { kind: 'no-metadata', distInfo, path };
}

/** True for a `<top>.dist-info/METADATA` member: what to inflate before knowing which one counts. */
export function isDistInfoMetadata(name: string): boolean {
  return /^[^/]+\.dist-info\/METADATA$/.test(name);
}

/**
 * Why a location is not usable, in pip's words (`UnsupportedWheel`), to follow
 * "<file> is not a valid wheel: ".
 */
export function wheelMetadataProblem(location: Exclude<WheelMetadataLocation, { kind: 'found' }>): string {
  switch (location.kind) {
    case 'no-dist-info':
      return 'no .dist-info directory found';
    case 'multiple':
      return `multiple .dist-info directories found: ${location.found.join(', ')}`;
    case 'misnamed':
      return `the .dist-info directory ${location.distInfo} does not start with ${location.project}`;
    case 'no-metadata':
      return `${location.path} is missing`;
  }
}
