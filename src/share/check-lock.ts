/**
 * Schema validation of an environment lock that came from outside (a share link, an import):
 * every field typed, every bound checked, nothing extra. The result is a fresh copy holding the
 * known fields in a fixed order, so what passes here is exactly what gets encoded or restored.
 *
 * What is checked, and why:
 * - names follow PEP 508's name rule, versions parse under PEP 440, no two distributions share
 *   a normalized name (PEP 503): an environment holds one version of a project;
 * - sha256 is 64 lower-case hex digits: the restore compares every download against it;
 * - URLs are `https:`, or `http:` on the loopback only (a local test index): plain http over a
 *   network can be read and changed by anyone in between, and the file's hash comes from the
 *   same link, so it would not catch a swap made by whoever crafted it;
 * - a wheel URL's last path segment is a wheel file name of that very name and version
 *   (PEP 503 asks an index to link files by their file name), so the link cannot say `six`
 *   while fetching something else under its name; a wheel given by file name alone (no URL:
 *   found on its index by that name at restore) must have an index, and its name too must be
 *   a wheel of that name and version;
 * - URLs carry no credentials (see credentials.ts); file texts hold no password or token;
 * - every URL, version and file name is checked character by character on the raw string (no
 *   whitespace or control character anywhere: `new URL()` silently drops tabs and newlines, and
 *   a newline in a URL once became extra lines of a requirements file);
 * - file paths are relative to the home folder with no `..`, no absolute path, no NUL or other
 *   control character, no backslash, no path that is both a file and a folder; and they land
 *   only on ordinary files: never pip's configuration, a Python environment's own files, or a
 *   hidden file ({@link landingProblem});
 * - counts and sizes are bounded ({@link LockLimits}).
 * Expected outcomes are data: the result is a union, never an exception.
 */
import { filenameProblem, urlFilename, urlProblem, versionProblem } from '../install';
import { isValidName, normalizeName, parseSdistFilename, PepError, redactUrl, Version } from '../pep';
import { textCredentials, urlCredentials } from './credentials';
import { LOCK_VERSION, LockLimits, type EnvironmentLock, type LockedBuild, type LockedFile, type LockedWheel } from './environment-lock';

export type LockRefusalCode = 'invalid' | 'credentials' | 'unsupported-version';

export type LockCheck =
  | { readonly kind: 'ok'; readonly lock: EnvironmentLock }
  | { readonly kind: 'refused'; readonly code: LockRefusalCode; readonly reason: string };

/** Carries the first problem out of the recursive walk; never escapes this module. */
class Refusal {
  constructor(
    readonly code: LockRefusalCode,
    readonly reason: string,
  ) {}
}

function refuse(reason: string, code: LockRefusalCode = 'invalid'): never {
  throw new Refusal(code, reason);
}

/**
 * A value for a message: a string quoted and cut short so a huge field cannot flood it; other
 * values by kind only (a crafted list nested a million deep would overflow JSON.stringify).
 */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

type Dict = Record<string, unknown>;

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `value` must be an object with exactly `keys`. */
function record(value: unknown, where: string, keys: readonly string[]): Dict {
  if (!isDict(value)) refuse(`${where} must be an object, not ${show(value)}`);
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) refuse(`${where} has an unknown field ${show(key)} (expected ${keys.join(', ')})`);
  }
  for (const key of keys) if (!Object.hasOwn(value, key)) refuse(`${where} is missing the field '${key}'`);
  return value;
}

function string(value: unknown, where: string, maxChars: number): string {
  if (typeof value !== 'string') refuse(`${where} must be a string, not ${show(value)}`);
  if (value.length > maxChars) refuse(`${where} is ${value.length} characters long (at most ${maxChars})`);
  return value;
}

function list(value: unknown, where: string, max: number): unknown[] {
  if (!Array.isArray(value)) refuse(`${where} must be a list, not ${show(value)}`);
  if (value.length > max) refuse(`${where} has ${value.length} entries (at most ${max})`);
  return value;
}

function version(value: unknown, where: string): string {
  const text = string(value, where, 100);
  const bad = versionProblem(text);
  if (bad && bad !== 'it is not a PEP 440 version') refuse(`${where} ${show(text)} is not a PEP 440 version: ${bad}`);
  try {
    Version.parse(text);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    refuse(`${where} ${show(text)} is not a PEP 440 version`);
  }
  return text;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** An https URL (or http on the loopback) without credentials. */
function url(value: unknown, where: string): string {
  const text = string(value, where, LockLimits.urlChars);
  // Character by character, the raw string: `new URL()` drops tabs and newlines without a word.
  const bad = urlProblem(text);
  if (bad && bad !== 'it is not an absolute URL') refuse(`${where} ${show(text)} is not a URL: ${bad}`);
  const secret = urlCredentials(text);
  if (secret) refuse(`${where} (${redactUrl(text)}) contains ${secret}`, 'credentials');
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return refuse(`${where} ${show(text)} is not an absolute URL`);
  }
  if (u.protocol === 'https:') return text;
  if (u.protocol === 'http:') {
    if (LOOPBACK.has(u.hostname)) return text;
    refuse(
      `${where} ${show(text)} uses plain http: anyone on the network in between could change what is downloaded, ` +
        'so only https is accepted (http only for a local index on 127.0.0.1 or localhost)',
    );
  }
  return refuse(`${where} ${show(text)} is a ${u.protocol} URL; only https: (or http: on 127.0.0.1/localhost) can be fetched by whoever opens the link`);
}

const SHA256 = /^[0-9a-f]{64}$/;
const LOCK_FIELDS = ['version', 'python', 'pyodide', 'platform', 'indexes', 'distributions', 'files'] as const;

/** A distribution as format v1 wrote it: the file name is the URL's last segment. */
const V1_WHEEL_FIELDS = ['name', 'version', 'url', 'sha256', 'index', 'requested'] as const;
/** A distribution as the lock holds it (LockedWheel), and as a v2 link unpacks to. */
const WHEEL_FIELDS = ['name', 'version', 'filename', 'url', 'sha256', 'index', 'requested'] as const;

function distribution(value: unknown, where: string): LockedWheel {
  const named = isDict(value) && Object.hasOwn(value, 'filename');
  const d = record(value, where, named ? WHEEL_FIELDS : V1_WHEEL_FIELDS);
  const name = string(d.name, `${where}.name`, 200);
  if (!isValidName(name)) refuse(`${where}.name ${show(name)} is not a valid project name (PEP 508: letters, digits, and . _ - inside)`);
  const at = `${where} (${name})`;
  const ver = version(d.version, `${at}.version`);
  const href = named && d.url === null ? null : url(d.url, `${at}.url`);
  if (href !== null) wheelOf(href, name, ver, `${at}.url`);
  let filename: string;
  if (named) {
    filename = string(d.filename, `${at}.filename`, 255);
    const problem = filenameProblem(filename, name, ver);
    if (problem !== null || !filename.endsWith('.whl')) refuse(`${at}.filename ${show(filename)} is not a wheel of ${name} ${ver}: ${problem ?? 'it is not a wheel (.whl)'}`);
    if (href !== null && urlFilename(href) !== filename) refuse(`${at}.filename ${show(filename)} is not the file its url names (${show(urlFilename(href))})`);
  } else filename = urlFilename(href!);
  const sha256 = string(d.sha256, `${at}.sha256`, 100);
  if (!SHA256.test(sha256)) refuse(`${at}.sha256 ${show(sha256)} is not a sha256 digest (64 lower-case hex digits)`);
  const index = d.index === null ? null : url(d.index, `${at}.index`);
  if (href === null && index === null) refuse(`${at} has neither a url nor an index to find ${show(filename)} on`);
  if (typeof d.requested !== 'boolean') refuse(`${at}.requested must be true or false, not ${show(d.requested)}`);
  return { name, version: ver, filename, url: href, sha256, index, requested: d.requested };
}

/** The URL's file must be a wheel of `name` `ver`. Ex) `.../six-1.17.0-py2.py3-none-any.whl` for six 1.17.0. */
function wheelOf(href: string, name: string, ver: string, where: string): void {
  const segment = new URL(href).pathname.split('/').pop() ?? '';
  let filename: string;
  try {
    filename = decodeURIComponent(segment);
  } catch {
    filename = segment;
  }
  const problem = filenameProblem(filename, name, ver);
  if (problem === null && filename.endsWith('.whl')) return;
  if (problem !== null && problem.startsWith('it holds')) refuse(`${where} names the file ${show(filename)}, which ${problem.slice(3)}; a wheel's file name is letters, digits and . _ - + ! only`);
  refuse(`${where} does not name a wheel of ${name} ${ver} (its file is ${show(filename)}); Pipette installs wheels only, found by their file name`);
}

const COMMIT = /^[0-9a-f]{40}$/;
// OWNER and REPO as parseGitHubUrl takes them: plain names, never `.` or `..` (which would walk
// the API's URL to another endpoint).
const GITHUB_REPOSITORY = /^https:\/\/github\.com\/(?!\.\.?\/)[A-Za-z0-9_.-]+\/(?!\.\.?$)[A-Za-z0-9_.-]+$/;
// A branch or tag name as git allows it (git-check-ref-format), narrowed to what a URL carries plainly.
const REVISION = /^[A-Za-z0-9._\/+-]{1,255}$/;
const PLAIN_SEGMENT = /^[A-Za-z0-9._+-]+$/;

/** `proj/sub`: relative, each segment a plain name (no `.`, `..`, space or control character). */
function plainRelative(path: string): boolean {
  return path.split('/').every((s) => s !== '.' && s !== '..' && PLAIN_SEGMENT.test(s));
}

const BUILD_FIELDS = {
  sdist: ['kind', 'name', 'version', 'requested', 'filename', 'url', 'sha256', 'index'],
  git: ['kind', 'name', 'version', 'requested', 'repository', 'commit', 'revision', 'subdirectory'],
  directory: ['kind', 'name', 'version', 'requested', 'path', 'editable'],
} as const;

/**
 * A distribution built from source, by what identifies the source (environment-lock.ts's
 * LockedBuild): everything the restore hands to pip and the build is checked here first, as a
 * link is anyone's: an sdist's file name is an sdist of that name and version and its URL's
 * last segment; a repository is GitHub's at a full commit id; a folder stays inside the home
 * folder (no `..`, nothing absolute, no hidden or control character).
 */
function build(value: unknown, where: string): LockedBuild {
  const kind = isDict(value) ? value.kind : undefined;
  if (kind !== 'sdist' && kind !== 'git' && kind !== 'directory') refuse(`${where}.kind ${show(kind)} is no kind of source this Pipette builds (sdist, git, directory)`);
  const d = record(value, where, BUILD_FIELDS[kind]);
  const name = string(d.name, `${where}.name`, 200);
  if (!isValidName(name)) refuse(`${where}.name ${show(name)} is not a valid project name (PEP 508: letters, digits, and . _ - inside)`);
  const at = `${where} (${name})`;
  const ver = version(d.version, `${at}.version`);
  if (typeof d.requested !== 'boolean') refuse(`${at}.requested must be true or false, not ${show(d.requested)}`);
  const requested = d.requested;
  switch (kind) {
    case 'sdist': {
      const filename = string(d.filename, `${at}.filename`, 255);
      const problem = filenameProblem(filename, name, ver);
      const sdist = parseSdistFilename(filename);
      if ((problem !== null && !problem.startsWith('it is not a wheel')) || sdist === null || sdist.name !== normalizeName(name) || !sdist.version.equals(Version.parse(ver))) {
        refuse(`${at}.filename ${show(filename)} is not an sdist of ${name} ${ver} (${normalizeName(name)}-${ver}.tar.gz)`);
      }
      const href = d.url === null ? null : url(d.url, `${at}.url`);
      if (href !== null && urlFilename(href) !== filename) refuse(`${at}.filename ${show(filename)} is not the file its url names (${show(urlFilename(href))})`);
      const sha256 = string(d.sha256, `${at}.sha256`, 100);
      if (!SHA256.test(sha256)) refuse(`${at}.sha256 ${show(sha256)} is not a sha256 digest (64 lower-case hex digits)`);
      const index = d.index === null ? null : url(d.index, `${at}.index`);
      if ((href === null) === (index === null)) refuse(`${at} must name either an index to find ${show(filename)} on or its url, and names ${href === null ? 'neither' : 'both'}`);
      return { kind, name, version: ver, requested, filename, url: href, sha256, index };
    }
    case 'git': {
      const repository = string(d.repository, `${at}.repository`, LockLimits.urlChars);
      if (!GITHUB_REPOSITORY.test(repository)) refuse(`${at}.repository ${show(repository)} is not a GitHub repository (https://github.com/OWNER/REPO)`);
      const commit = string(d.commit, `${at}.commit`, 100);
      if (!COMMIT.test(commit)) refuse(`${at}.commit ${show(commit)} is not a full git commit id (40 lower-case hex digits)`);
      const revision = d.revision === null ? null : string(d.revision, `${at}.revision`, 255);
      if (revision !== null && (!REVISION.test(revision) || revision.includes('..'))) refuse(`${at}.revision ${show(revision)} is not a branch, tag or commit name`);
      const subdirectory = d.subdirectory === null ? null : string(d.subdirectory, `${at}.subdirectory`, LockLimits.pathChars);
      if (subdirectory !== null && !plainRelative(subdirectory)) refuse(`${at}.subdirectory ${show(subdirectory)} is not a folder inside the repository (plain names, no '..')`);
      return { kind, name, version: ver, requested, repository, commit, revision, subdirectory };
    }
    case 'directory': {
      const path = string(d.path, `${at}.path`, LockLimits.pathChars);
      if (path !== '') {
        filePath(path, `${at}.path`);
        if (!plainRelative(path) || path.split('/').some((s) => s.startsWith('.'))) refuse(`${at}.path ${show(path)} is not a plain folder of the home folder (letters, digits, . _ + -; nothing hidden)`);
      }
      if (typeof d.editable !== 'boolean') refuse(`${at}.editable must be true or false, not ${show(d.editable)}`);
      return { kind, name, version: ver, requested, path, editable: d.editable };
    }
  }
}

function filePath(value: unknown, where: string): string {
  const path = string(value, where, LockLimits.pathChars);
  const bad = (why: string): never => refuse(`${where} ${show(path)} ${why}; a file path must be relative to the home folder, like src/main.py`);
  if (path === '') bad('is empty');
  if (path.startsWith('/')) bad('is absolute');
  if (/[\u0000-\u001f\u007f]/.test(path)) bad('contains a control character (NUL, newline, ...)');
  if (path.includes('\\')) bad('contains a backslash');
  for (const segment of path.split('/')) {
    if (segment === '..') bad("climbs out of the home folder with '..'");
    if (segment === '.' || segment === '') bad("has an empty or '.' segment");
  }
  return path;
}

function file(value: unknown, where: string): LockedFile {
  const f = record(value, where, ['path', 'content']);
  const path = filePath(f.path, `${where}.path`);
  const content = string(f.content, `${where} (${path}).content`, LockLimits.fileChars);
  const secret = textCredentials(content);
  if (secret) refuse(`${where} (${path}) line ${secret.line} holds ${secret.what}`, 'credentials');
  const landing = landingProblem(path);
  if (landing) refuse(`${where} ${show(path)} ${landing}; a link writes only ordinary files of the home folder (your code, data, a requirements.txt)`);
  return { path, content };
}

/**
 * Where a link's file may not land, whatever is on disk (the runtime checks the disk too:
 * no venv, no folder in the way, no symbolic link): pip's configuration, which would steer
 * every later install; a Python environment's own folders, where a file is code that runs at
 * the next import or start (a `.pth`, a `usercustomize.py`, a fake `.dist-info`); and hidden
 * files and folders, which Pipette's own links never carry (`pip share` leaves them out).
 * Ex) `.config/pip/pip.conf` -> "is pip's configuration".
 */
export function landingProblem(path: string): string | null {
  const parts = path.split('/');
  const name = parts[parts.length - 1]!;
  if (name === 'pip.conf' || name === 'pip.ini' || parts.some((p, i) => (p === 'pip' && (parts[i - 1] === '.config' || parts[i - 1] === 'xdg')) || p === '.pip')) {
    return "is pip's configuration, which decides where every later install comes from";
  }
  if (name === 'pyvenv.cfg' || parts.some((p) => p === 'site-packages' || p === 'dist-packages' || p.endsWith('.dist-info') || p.endsWith('.egg-info'))) {
    return "would be written into a Python environment's own files";
  }
  if (parts.some((p) => p.startsWith('.'))) return 'is a hidden file or folder';
  return null;
}

/** No two files at one path, and no path that is a file and also a folder of another. */
function distinctPaths(files: readonly LockedFile[]): void {
  const paths = new Set(files.map((f) => f.path));
  if (paths.size !== files.length) {
    const seen = new Set<string>();
    for (const f of files) {
      if (seen.has(f.path)) refuse(`files lists ${show(f.path)} twice`);
      seen.add(f.path);
    }
  }
  for (const f of files) {
    const parts = f.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (paths.has(folder)) refuse(`files has ${show(folder)} both as a file and as the folder of ${show(f.path)}`);
    }
  }
}

function lockFrom(value: unknown): EnvironmentLock {
  if (!isDict(value)) refuse(`the lock must be an object, not ${show(value)}`);
  // The version comes first: a newer format may have other fields, and deserves its own answer.
  const v = value.version;
  if (typeof v === 'number' && Number.isInteger(v) && v > LOCK_VERSION) {
    refuse(`it is lock format ${v}; this Pipette reads format ${LOCK_VERSION}`, 'unsupported-version');
  }
  if (v !== LOCK_VERSION) refuse(`version must be ${LOCK_VERSION}, not ${show(v)}`);
  // `builds` only when the lock has some: a lock without builds reads (and packs) as before.
  const d = record(value, 'the lock', Object.hasOwn(value, 'builds') ? [...LOCK_FIELDS, 'builds'] : LOCK_FIELDS);
  const python = version(d.python, 'python');
  const pyodide = version(d.pyodide, 'pyodide');
  const platform = string(d.platform, 'platform', 100);
  if (!/^[a-z0-9_]+$/.test(platform)) refuse(`platform ${show(platform)} is not a platform tag (like pyemscripten_2026_0_wasm32)`);

  const indexes = list(d.indexes, 'indexes', LockLimits.indexes).map((x, i) => url(x, `indexes[${i}]`));
  if (new Set(indexes).size !== indexes.length) refuse('indexes lists an index twice');

  const distributions = list(d.distributions, 'distributions', LockLimits.distributions).map((x, i) => distribution(x, `distributions[${i}]`));
  const builds = d.builds === undefined ? [] : list(d.builds, 'builds', LockLimits.distributions).map((x, i) => build(x, `builds[${i}]`));
  const names = new Map<string, string>();
  for (const dist of [...distributions, ...builds]) {
    const key = normalizeName(dist.name);
    const other = names.get(key);
    if (other !== undefined) refuse(`distributions lists ${other} and ${dist.name}, which are one project (PEP 503 names); an environment holds one version of each`);
    names.set(key, dist.name);
  }

  const files = list(d.files, 'files', LockLimits.files).map((x, i) => file(x, `files[${i}]`));
  distinctPaths(files);
  for (const [i, b] of builds.entries()) {
    if (b.kind === 'directory' && b.path !== '' && files.some((f) => f.path === b.path)) refuse(`builds[${i}] (${b.name}).path ${show(b.path)} is one of the link's files, not a folder`);
  }
  return { version: LOCK_VERSION, python, pyodide, platform, indexes, distributions, files, ...(builds.length > 0 ? { builds } : {}) };
}

/**
 * Validate `value` as an environment lock. Ok: a fresh copy with the known fields only, in a
 * fixed key order. Refused: the first problem, naming the field (`distributions[2] (six).sha256`).
 */
export function checkLock(value: unknown): LockCheck {
  try {
    return { kind: 'ok', lock: lockFrom(value) };
  } catch (e) {
    if (e instanceof Refusal) return { kind: 'refused', code: e.code, reason: e.reason };
    throw e;
  }
}

/**
 * The known fields of a lock handed in by code (which may carry more, e.g. the runtime's
 * `filename`), as plain data for {@link checkLock}. Shapes that are not a lock pass through
 * unchanged, so checkLock names what is wrong with them.
 */
export function pickLockFields(lock: EnvironmentLock): unknown {
  if (!isDict(lock)) return lock;
  // Only the keys there: a missing one is named by checkLock, a v1-shaped entry stays one.
  const pick = (d: unknown, keys: readonly string[]): unknown => (isDict(d) ? Object.fromEntries(keys.filter((k) => Object.hasOwn(d, k)).map((k) => [k, d[k]])) : d);
  const l = lock as unknown as Dict;
  const each = (v: unknown, keys: readonly string[]): unknown => (Array.isArray(v) ? v.map((x) => pick(x, keys)) : v);
  return {
    version: l.version,
    python: l.python,
    pyodide: l.pyodide,
    platform: l.platform,
    indexes: l.indexes,
    distributions: each(l.distributions, WHEEL_FIELDS),
    files: each(l.files, ['path', 'content']),
    ...(l.builds !== undefined ? { builds: l.builds } : {}),
  };
}
