/**
 * One locked distribution: the one record type every layer speaks of an installed (or to be
 * installed) wheel in. pip reports what it installed in it, the environment's lock is a list of
 * them, the workspace keeps them across reloads, a share link and a pylock.toml carry them, and
 * an install plan is computed from them (plan.ts).
 *
 * A lock comes from outside (a link, a file, IndexedDB), so a record is data to check, never
 * text to paste into a command line or a requirements file: {@link lockRecordProblem} checks
 * every field character by character before a plan uses it. `new URL()` drops TAB, CR and LF
 * anywhere in its input without a word (the URL standard's "remove all ASCII tab or newline"),
 * so the raw string is checked, not what the parser makes of it.
 */
import { isValidName, normalizeName, parseWheelFilename, PepError, Version } from '../pep';

export interface LockRecord {
  /** The project name as its METADATA spells it (`Jinja2`); PEP 508's name rule. */
  readonly name: string;
  /** PEP 440 version, as installed. */
  readonly version: string;
  /** The file's name: the URL's last path segment. Ex) `six-1.17.0-py2.py3-none-any.whl`. */
  readonly filename: string;
  /** Where the file is fetched from, no fragment; `file:///...` for a wheel of the virtual filesystem. */
  readonly url: string;
  /** Lower-case hex sha256 of the file; every download and cache read is checked against it. */
  readonly sha256: string;
  /** The index the file was listed on; null for a direct reference (`name @ URL`) and local files. */
  readonly index: string | null;
  /** Named by the person (PEP 376 REQUESTED), not only pulled in as a dependency. */
  readonly requested: boolean;
  /** PEP 610 direct reference (`name @ URL`, written as direct_url.json), fragment dropped; else null. */
  readonly directUrl: string | null;
  /**
   * For a wheel built in the tab from a source (src/build): what it was built from, by the
   * source's hash. `url` is then the source's (an sdist's URL, the repository, the folder's
   * `file:` URL), `filename` and `sha256` the built wheel's, and `directUrl` the PEP 610 `url`
   * (null for an sdist chosen from an index). Absent for a wheel fetched as it is.
   */
  readonly built?: BuiltFrom;
}

/**
 * What a built wheel was built from: PEP 610's three kinds of direct reference, each with what
 * identifies its content (pip's wheel cache keys on the same: an sdist's hash, a commit).
 */
export type BuiltFrom =
  /** An sdist (from an index, a URL or a file): its sha256. */
  | { readonly kind: 'sdist'; readonly sha256: string }
  /** `git+https://github.com/OWNER/REPO[@ref][#subdirectory=...]`: the commit the ref resolved to. */
  | { readonly kind: 'git'; readonly commit: string; readonly requestedRevision: string | null; readonly subdirectory: string | null }
  /** A local folder (`pip install ./proj`, `pip install -e .`): built from its files as they are. */
  | { readonly kind: 'directory'; readonly editable: boolean };

/** Whether two built records come from the same source content (a folder never does: pip rebuilds it). */
export function sameSource(a: BuiltFrom, b: BuiltFrom): boolean {
  if (a.kind === 'sdist' && b.kind === 'sdist') return a.sha256 === b.sha256;
  if (a.kind === 'git' && b.kind === 'git') return a.commit === b.commit && a.subdirectory === b.subdirectory;
  return false;
}

/**
 * PEP 610 `direct_url.json` for a record, as pip writes it; null when none is written (a wheel
 * or an sdist chosen from an index). Ex) a folder installed with `-e`:
 * `{"url": "file:///home/pyodide/proj", "dir_info": {"editable": true}}`.
 */
export function directUrlRecord(record: LockRecord): object | null {
  const url = record.directUrl;
  if (url === null) return null;
  const built = record.built;
  const archive = (sha256: string): object => ({ url, archive_info: { hashes: { sha256 }, hash: `sha256=${sha256}` } });
  if (!built) return archive(record.sha256);
  switch (built.kind) {
    case 'sdist':
      return archive(built.sha256);
    case 'git':
      return {
        url,
        vcs_info: { vcs: 'git', commit_id: built.commit, ...(built.requestedRevision !== null ? { requested_revision: built.requestedRevision } : {}) },
        ...(built.subdirectory !== null ? { subdirectory: built.subdirectory } : {}),
      };
    case 'directory':
      return { url, dir_info: built.editable ? { editable: true } : {} };
  }
}

/** `requests==2.32.3`: the key a record is matched on (normalized name and version). */
export function lockKey(name: string, version: string): string {
  return `${normalizeName(name)}==${version}`;
}

const SHA256 = /^[0-9a-f]{64}$/;
/** A full git commit id (SHA-1): a ref or an abbreviation names no fixed content. */
const COMMIT = /^[0-9a-f]{40}$/;
// A branch or tag name as git allows it (git-check-ref-format), narrowed to what a URL carries plainly.
const REVISION = /^[A-Za-z0-9._\/+-]{1,255}$/;
const ARCHIVE = /\.(tar\.gz|tgz|tar|zip)$/i;
const GITHUB_REPOSITORY = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
// RFC 3986's characters (unreserved, reserved, and `%` of percent-encoding): anything else in a
// URL (a space, a newline, a quote, a non-ASCII letter) was never written by an index.
const URL_CHARACTER = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]$/;
// PEP 440's alphabet (its normal form and the spellings it accepts, without whitespace).
const VERSION_CHARACTER = /^[A-Za-z0-9.+!_-]$/;
// A distribution file name: a wheel's (PEP 427 escaped name, version, tags), a shared library's zip.
const FILENAME_CHARACTER = /^[A-Za-z0-9.+!_-]$/;

/** `U+000A (a newline)` for a character, so a message shows it instead of acting on it. */
export function describeCharacter(c: string): string {
  const code = c.codePointAt(0)!;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  const names: Record<number, string> = { 0: 'NUL', 9: 'a tab', 10: 'a newline', 13: 'a carriage return', 27: 'an escape', 32: 'a space', 127: 'DEL' };
  return names[code] !== undefined ? `${hex} (${names[code]})` : code < 32 || (code >= 127 && code < 160) ? `${hex} (a control character)` : `${hex} (${JSON.stringify(c)})`;
}

/** The first character of `text` not allowed by `allowed`, described with its position; or null. */
function badCharacter(text: string, allowed: RegExp): string | null {
  let i = 0;
  for (const c of text) {
    if (!allowed.test(c)) return `${describeCharacter(c)} at character ${i + 1}`;
    i += c.length;
  }
  return null;
}

/** Why `text` is not a URL as an index or a lock writes one, or null. */
export function urlProblem(text: string): string | null {
  if (text === '') return 'it is empty';
  const bad = badCharacter(text, URL_CHARACTER);
  if (bad) return `it holds ${bad}, which no URL has`;
  try {
    new URL(text);
  } catch {
    return 'it is not an absolute URL';
  }
  return null;
}

/** Why `text` is not a PEP 440 version (written without whitespace), or null. */
export function versionProblem(text: string): string | null {
  const bad = badCharacter(text, VERSION_CHARACTER);
  if (bad) return `it holds ${bad}`;
  try {
    Version.parse(text);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    return 'it is not a PEP 440 version';
  }
  return text === '' ? 'it is empty' : null;
}

/** The last path segment of a URL, percent-decoded. Ex) `.../six-1.17.0-py2.py3-none-any.whl`. */
export function urlFilename(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? '';
  }
  const segment = path.slice(path.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * Why `filename` is not a wheel file of `name` `version`, or null. Shared libraries from
 * Pyodide's lock (`libopenblas-0.3.26.zip`) are file names too, checked by character only.
 */
export function filenameProblem(filename: string, name: string, version: string): string | null {
  if (filename === '' || filename.startsWith('.')) return 'it is not a file name';
  const bad = badCharacter(filename, FILENAME_CHARACTER);
  if (bad) return `it holds ${bad}`;
  if (!filename.endsWith('.whl')) return filename.endsWith('.zip') ? null : 'it is not a wheel (.whl)';
  try {
    const wheel = parseWheelFilename(filename);
    if (wheel.name === normalizeName(name) && wheel.version.equals(Version.parse(version))) return null;
    return `it is a wheel of ${wheel.name} ${wheel.version}, not of ${name} ${version}`;
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    return 'it is not a valid wheel file name';
  }
}

/**
 * The first thing wrong with `record` as data, naming the field; null when every field is what
 * a record holds. Ex) `url holds U+000A (a newline) at character 52, which no URL has`.
 */
export function lockRecordProblem(record: LockRecord): string | null {
  if (!isValidName(record.name)) return `name ${JSON.stringify(record.name)} is not a valid project name (PEP 508)`;
  const version = versionProblem(record.version);
  if (version) return `version ${JSON.stringify(record.version)}: ${version}`;
  const url = urlProblem(record.url);
  if (url) return `url: ${url}`;
  const filename = filenameProblem(record.filename, record.name, record.version);
  if (filename) return `filename ${JSON.stringify(record.filename)}: ${filename}`;
  if (record.built !== undefined) {
    const built = builtProblem(record, record.built);
    if (built) return built;
  } else if (record.filename !== urlFilename(record.url)) {
    return `filename ${JSON.stringify(record.filename)} is not the last part of its url (${JSON.stringify(urlFilename(record.url))})`;
  }
  if (!SHA256.test(record.sha256)) return 'sha256 is not 64 lower-case hex digits';
  if (record.index !== null) {
    const index = urlProblem(record.index);
    if (index) return `index: ${index}`;
  }
  if (record.directUrl !== null) {
    const direct = urlProblem(record.directUrl);
    if (direct) return `directUrl: ${direct}`;
  }
  if (typeof record.requested !== 'boolean') return 'requested is not true or false';
  return null;
}

/**
 * Why `built` is not what a record built from a source holds, or null: the source's hash in its
 * exact form (64 hex digits of sha256, a 40-digit commit: a branch name would not pin the
 * content), its URL of the kind the source is, and PEP 610's `url` the same as the source's.
 */
export function builtProblem(record: Pick<LockRecord, 'url' | 'directUrl' | 'filename'>, built: BuiltFrom): string | null {
  if (!record.filename.endsWith('.whl')) return `filename ${JSON.stringify(record.filename)} is not a wheel built from its source`;
  switch (built.kind) {
    case 'sdist':
      if (typeof built.sha256 !== 'string' || !SHA256.test(built.sha256)) return "built.sha256 (the sdist's) is not 64 lower-case hex digits";
      if (!ARCHIVE.test(urlFilename(record.url))) return `url ${JSON.stringify(record.url)} does not name an sdist (.tar.gz or .zip)`;
      if (record.directUrl !== null && record.directUrl !== record.url) return 'directUrl is not the url of the sdist it was built from';
      return null;
    case 'git':
      if (typeof built.commit !== 'string' || !COMMIT.test(built.commit)) return `built.commit ${JSON.stringify(built.commit)} is not a full git commit id (40 lower-case hex digits)`;
      if (!GITHUB_REPOSITORY.test(record.url)) return `url ${JSON.stringify(record.url)} is not a GitHub repository (https://github.com/OWNER/REPO)`;
      if (built.requestedRevision !== null && (typeof built.requestedRevision !== 'string' || !REVISION.test(built.requestedRevision) || built.requestedRevision.includes('..'))) {
        return 'built.requestedRevision is not a branch, tag or commit name';
      }
      if (built.subdirectory !== null && (typeof built.subdirectory !== 'string' || !relativePath(built.subdirectory))) return 'built.subdirectory is not a folder inside the repository';
      if (record.directUrl !== record.url) return 'directUrl is not the repository it was built from';
      return null;
    case 'directory': {
      if (typeof built.editable !== 'boolean') return 'built.editable is not true or false';
      const path = fileUrlPath(record.url);
      if (path === null) return `url ${JSON.stringify(record.url)} is not the file: URL of a folder`;
      if (record.directUrl !== record.url) return 'directUrl is not the folder it was built from';
      return null;
    }
    default:
      return 'built names no kind of source Pipette builds (sdist, git, directory)';
  }
}

/** `proj/sub` and the like: relative, each segment a plain name (no `.`, `..`, space or control character). */
function relativePath(path: string): boolean {
  return path.split('/').every((s) => s !== '.' && s !== '..' && /^[A-Za-z0-9._+-]+$/.test(s));
}

/**
 * The absolute path of a `file:///...` URL, percent-decoded, when every segment is a plain name
 * (no `.`, `..` or empty segment, no control character); else null.
 * Ex) `file:///home/pyodide/my%20proj` -> `/home/pyodide/my proj`.
 */
export function fileUrlPath(url: string): string | null {
  if (!url.startsWith('file:///') || /[?#]/.test(url)) return null;
  const segments: string[] = [];
  for (const raw of url.slice('file://'.length).split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || /[\u0000-\u001f\u007f]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments.length === 0 ? null : `/${segments.join('/')}`;
}

/** A stored `built` value, every field typed; null when it is not one (builtProblem checks the rest). */
function parseBuiltFrom(value: unknown): BuiltFrom | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const strOrNull = (k: string): string | null | undefined => (v[k] === null ? null : typeof v[k] === 'string' ? (v[k] as string) : undefined);
  switch (v['kind']) {
    case 'sdist':
      return typeof v['sha256'] === 'string' ? { kind: 'sdist', sha256: v['sha256'] } : null;
    case 'git': {
      const requestedRevision = strOrNull('requestedRevision');
      const subdirectory = strOrNull('subdirectory');
      if (typeof v['commit'] !== 'string' || requestedRevision === undefined || subdirectory === undefined) return null;
      return { kind: 'git', commit: v['commit'], requestedRevision, subdirectory };
    }
    case 'directory':
      return typeof v['editable'] === 'boolean' ? { kind: 'directory', editable: v['editable'] } : null;
    default:
      return null;
  }
}

/** A stored value as a record (IndexedDB, a workspace file): every field typed and checked; null when it is not one. */
export function parseLockRecord(value: unknown): LockRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  const str = (k: string): string | null => (typeof v[k] === 'string' ? (v[k] as string) : null);
  const name = str('name');
  const version = str('version');
  const url = str('url');
  const sha256 = str('sha256');
  if (name === null || version === null || url === null || sha256 === null) return null;
  let record: LockRecord = {
    name,
    version,
    // Locks saved before records carried their file name: it is the URL's last segment.
    filename: str('filename') ?? urlFilename(url),
    url,
    sha256,
    index: str('index'),
    requested: v['requested'] === true,
    directUrl: str('directUrl'),
  };
  if (v['built'] !== undefined) {
    const built = parseBuiltFrom(v['built']);
    if (built === null) return null;
    record = { ...record, built };
  }
  return lockRecordProblem(record) === null ? record : null;
}
