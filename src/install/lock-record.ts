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
}

/** `requests==2.32.3`: the key a record is matched on (normalized name and version). */
export function lockKey(name: string, version: string): string {
  return `${normalizeName(name)}==${version}`;
}

const SHA256 = /^[0-9a-f]{64}$/;
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
  if (record.filename !== urlFilename(record.url)) return `filename ${JSON.stringify(record.filename)} is not the last part of its url (${JSON.stringify(urlFilename(record.url))})`;
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
  const record: LockRecord = {
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
  return lockRecordProblem(record) === null ? record : null;
}
