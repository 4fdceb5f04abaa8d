// Over 400 lines: PEP 751's reader and writer share one set of table shapes, as in packaging's pylock.py.
/**
 * PEP 751 lock files (`pylock.toml`): read with validation, write deterministically.
 *
 * Validation follows packaging's `pylock.py` (`Pylock.from_dict`): the same required keys,
 * the same type checks, normalized names, PEP 440 versions, PEP 508 markers, and the rule
 * that a package comes either from distributions (sdist and/or wheels) or from exactly one of
 * vcs / directory / archive. Errors say where, as packaging does
 * (`Missing required value in 'packages[0].wheels[1].hashes'`), plus the package's name.
 *
 * Values keep their spelling (versions, markers and specifiers are checked, not rewritten),
 * so `parsePylock(writePylock(x))` deep-equals `x` for a lock whose packages are sorted.
 * `upload-time` is a TOML datetime in the file and its ISO form here; smol-toml keeps
 * millisecond precision, so microseconds are cut.
 */
import { parse, stringify, TomlDate, TomlError } from 'smol-toml';
import { PepError } from './error';
import { Marker } from './marker';
import { isNormalizedName } from './name';
import { SpecifierSet } from './specifier';
import { Version } from './version';

/** A wheel, an sdist (`[packages.sdist]`) or an archive (`[packages.archive]`). */
export interface PylockFile {
  readonly name: string | null;
  /** ISO 8601 as smol-toml prints the TOML datetime, e.g. `2025-01-25T11:30:10.164+00:00`. */
  readonly uploadTime: string | null;
  readonly url: string | null;
  readonly path: string | null;
  readonly size: number | null;
  /** Algorithm -> hex digest, at least one (`{ sha256: '...' }`). */
  readonly hashes: Readonly<Record<string, string>>;
}

export interface PylockArchive extends Omit<PylockFile, 'name'> {
  readonly subdirectory: string | null;
}

export interface PylockVcs {
  readonly type: string;
  readonly url: string | null;
  readonly path: string | null;
  readonly requestedRevision: string | null;
  readonly commitId: string;
  readonly subdirectory: string | null;
}

export interface PylockDirectory {
  readonly path: string;
  readonly editable: boolean | null;
  readonly subdirectory: string | null;
}

/** Arbitrary TOML data carried as given (`dependencies`, `tool`, attestation identities). */
export type TomlTable = Readonly<Record<string, unknown>>;

export interface PylockPackage {
  /** Normalized (PEP 503), as PEP 751 requires. */
  readonly name: string;
  readonly version: string | null;
  readonly marker: string | null;
  readonly requiresPython: string | null;
  readonly dependencies: readonly TomlTable[] | null;
  readonly vcs: PylockVcs | null;
  readonly directory: PylockDirectory | null;
  readonly archive: PylockArchive | null;
  readonly index: string | null;
  readonly sdist: PylockFile | null;
  readonly wheels: readonly PylockFile[] | null;
  readonly attestationIdentities: readonly TomlTable[] | null;
  readonly tool: TomlTable | null;
}

export interface Pylock {
  readonly lockVersion: string;
  readonly environments: readonly string[] | null;
  readonly requiresPython: string | null;
  readonly extras: readonly string[] | null;
  readonly dependencyGroups: readonly string[] | null;
  readonly defaultGroups: readonly string[] | null;
  readonly createdBy: string;
  readonly packages: readonly PylockPackage[];
  readonly tool: TomlTable | null;
}

/** A pylock.toml that is not valid TOML or breaks PEP 751. */
export class PylockError extends PepError<'invalid-pylock'> {
  override readonly name = 'PylockError';
  /** Where in the document, as packaging spells it (`packages[0].wheels[1].hashes`). */
  readonly context: string | null;
  /** The name of the package at fault, when known. */
  readonly packageName: string | null;
  constructor(message: string, context: string | null = null, packageName: string | null = null, input = '') {
    const where = context ? ` in '${context}'` : '';
    const pkg = packageName ? ` (package '${packageName}')` : '';
    super('invalid-pylock', `${message}${where}${pkg}`, input);
    this.context = context;
    this.packageName = packageName;
  }
}

// --- reading ---------------------------------------------------------------------------

type Dict = Record<string, unknown>;

/** Python's type name for a TOML value, for packaging's "Unexpected type" message. */
function pyType(v: unknown): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return Number.isInteger(Number(v)) ? 'int' : 'float';
  if (v instanceof TomlDate) return v.isDate() ? 'date' : v.isTime() ? 'time' : 'datetime';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

type Kind = 'str' | 'int' | 'bool' | 'dict' | 'list' | 'datetime';

function hasKind(v: unknown, kind: Kind): boolean {
  switch (kind) {
    case 'str':
      return typeof v === 'string';
    case 'int':
      return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint';
    case 'bool':
      return typeof v === 'boolean';
    case 'dict':
      return isDict(v);
    case 'list':
      return Array.isArray(v);
    case 'datetime':
      return v instanceof TomlDate && v.isDateTime();
  }
}

/**
 * Reads one table with packaging's helpers: `get` (optional, typed), `required`, and `as`
 * (typed, then checked by a parser such as Version.parse).
 */
class Reader {
  constructor(
    private readonly d: Dict,
    private readonly context: string,
    private readonly pkg: string | null,
  ) {}

  private at(key: string): string {
    return this.context ? `${this.context}.${key}` : key;
  }

  fail(message: string, key?: string): never {
    throw new PylockError(message, key === undefined ? this.context || null : this.at(key), this.pkg);
  }

  get<T>(key: string, kind: Kind): T | null {
    const v = this.d[key];
    if (v === undefined || v === null) return null;
    if (!hasKind(v, kind)) this.fail(`Unexpected type ${pyType(v)} (expected ${kind})`, key);
    return v as T;
  }

  required<T>(key: string, kind: Kind): T {
    const v = this.get<T>(key, kind);
    if (v === null) this.fail('Missing required value', key);
    return v;
  }

  /** A string checked by `check` (which throws a PepError when the value is invalid). */
  checked(key: string, check: (s: string) => unknown): string | null {
    const v = this.get<string>(key, 'str');
    if (v !== null) this.attempt(key, () => check(v));
    return v;
  }

  list<T>(key: string, kind: Kind, check?: (item: T) => unknown): T[] | null {
    const v = this.get<unknown[]>(key, 'list');
    if (v === null) return null;
    return v.map((item, i) => {
      if (!hasKind(item, kind)) this.fail(`Unexpected type ${pyType(item)} (expected ${kind})`, `${key}[${i}]`);
      if (check) this.attempt(`${key}[${i}]`, () => check(item as T));
      return item as T;
    });
  }

  attempt(key: string, fn: () => unknown): void {
    try {
      fn();
    } catch (e) {
      if (e instanceof PylockError) throw e;
      if (!(e instanceof PepError)) throw e;
      this.fail(e.reason.split('\n')[0]!, key);
    }
  }

  sub(key: string, d: Dict): Reader {
    return new Reader(d, this.at(key), this.pkg);
  }

  time(key: string): string | null {
    const v = this.get<TomlDate>(key, 'datetime');
    return v === null ? null : v.toISOString();
  }

  hashes(): Record<string, string> {
    const h = this.required<Dict>('hashes', 'dict');
    if (Object.keys(h).length === 0) this.fail('At least one hash must be provided', 'hashes');
    if (!Object.values(h).every((x) => typeof x === 'string')) this.fail('Hash values must be strings', 'hashes');
    return { ...(h as Record<string, string>) };
  }

  pathOrUrl(path: string | null, url: string | null): void {
    if (!path && !url) this.fail('path or url must be provided');
  }

  size(): number | null {
    const s = this.get<number | bigint>('size', 'int');
    if (s === null) return null;
    if (Number(s) < 0) this.fail(`Size must not be negative, got ${s}`, 'size');
    return Number(s);
  }
}

function readFile(r: Reader): PylockFile {
  const file: PylockFile = {
    name: r.get('name', 'str'),
    uploadTime: r.time('upload-time'),
    url: r.get('url', 'str'),
    path: r.get('path', 'str'),
    size: r.size(),
    hashes: r.hashes(),
  };
  r.pathOrUrl(file.path, file.url);
  return file;
}

function readArchive(r: Reader): PylockArchive {
  const archive: PylockArchive = {
    url: r.get('url', 'str'),
    path: r.get('path', 'str'),
    size: r.size(),
    uploadTime: r.time('upload-time'),
    hashes: r.hashes(),
    subdirectory: r.get('subdirectory', 'str'),
  };
  r.pathOrUrl(archive.path, archive.url);
  return archive;
}

function readVcs(r: Reader): PylockVcs {
  const vcs: PylockVcs = {
    type: r.required('type', 'str'),
    url: r.get('url', 'str'),
    path: r.get('path', 'str'),
    requestedRevision: r.get('requested-revision', 'str'),
    commitId: r.required('commit-id', 'str'),
    subdirectory: r.get('subdirectory', 'str'),
  };
  r.pathOrUrl(vcs.path, vcs.url);
  return vcs;
}

function readDirectory(r: Reader): PylockDirectory {
  return { path: r.required('path', 'str'), editable: r.get('editable', 'bool'), subdirectory: r.get('subdirectory', 'str') };
}

function normalized(name: string): void {
  if (!isNormalizedName(name)) throw new PepError('not-normalized', `Name '${name}' is not normalized`, name);
}

function readPackage(d: Dict, index: number): PylockPackage {
  const context = `packages[${index}]`;
  const rawName = d.name;
  const pkgName = typeof rawName === 'string' ? rawName : null;
  const r = new Reader(d, context, pkgName);
  const name = r.required<string>('name', 'str');
  if (!isNormalizedName(name)) r.fail(`Name '${name}' is not normalized`, 'name');
  const object = <T>(key: string, read: (r: Reader) => T): T | null => {
    const v = r.get<Dict>(key, 'dict');
    return v === null ? null : read(r.sub(key, v));
  };
  const wheelTables = r.list<Dict>('wheels', 'dict');
  const pkg: PylockPackage = {
    name,
    version: r.checked('version', (s) => Version.parse(s)),
    marker: r.checked('marker', (s) => Marker.parse(s)),
    requiresPython: r.checked('requires-python', (s) => SpecifierSet.parse(s)),
    dependencies: r.list<Dict>('dependencies', 'dict'),
    vcs: object('vcs', readVcs),
    directory: object('directory', readDirectory),
    archive: object('archive', readArchive),
    index: r.get('index', 'str'),
    sdist: object('sdist', readFile),
    wheels: wheelTables && wheelTables.map((w, i) => readFile(r.sub(`wheels[${i}]`, w))),
    attestationIdentities: r.list<Dict>('attestation-identities', 'dict'),
    tool: r.get('tool', 'dict'),
  };
  const distributions = (pkg.sdist ? 1 : 0) + (pkg.wheels?.length ?? 0);
  const direct = [pkg.vcs, pkg.directory, pkg.archive].filter((x) => x !== null).length;
  if (distributions > 0 && direct > 0) r.fail('None of vcs, directory, archive must be set if sdist or wheels are set');
  if (distributions === 0 && direct !== 1) r.fail('Exactly one of vcs, directory, archive must be set if sdist and wheels are not set');
  return pkg;
}

/** Validate a TOML document (as smol-toml parses it) as a PEP 751 lock. */
function fromDict(d: Dict): Pylock {
  const r = new Reader(d, '', null);
  const lockVersion = r.required<string>('lock-version', 'str');
  let major: number | undefined;
  r.attempt('lock-version', () => (major = Version.parse(lockVersion).release[0]));
  // PEP 751: a tool must refuse a major version it does not know.
  if (major !== 1) {
    throw new PylockError(`pylock version ${lockVersion} is not supported (this reader knows 1.x)`, 'lock-version');
  }
  const packageTables = r.required<unknown[]>('packages', 'list');
  const packages = packageTables.map((p, i) => {
    if (!isDict(p)) return r.fail(`Unexpected type ${pyType(p)} (expected dict)`, `packages[${i}]`);
    return readPackage(p, i);
  });
  return {
    lockVersion,
    environments: r.list<string>('environments', 'str', (s) => Marker.parse(s)),
    requiresPython: r.checked('requires-python', (s) => SpecifierSet.parse(s)),
    extras: r.list<string>('extras', 'str', normalized),
    dependencyGroups: r.list<string>('dependency-groups', 'str'),
    defaultGroups: r.list<string>('default-groups', 'str'),
    createdBy: r.required('created-by', 'str'),
    packages,
    tool: r.get('tool', 'dict'),
  };
}

/** Parse and validate a pylock.toml. Throws PylockError naming the key (and package) at fault. */
export function parsePylock(text: string): Pylock {
  let doc: Dict;
  try {
    doc = parse(text) as Dict;
  } catch (e) {
    if (e instanceof TomlError) throw new PylockError(`Invalid TOML: ${e.message}`, null, null, text);
    throw e;
  }
  return fromDict(doc);
}

// --- writing ---------------------------------------------------------------------------

/** Drop nulls so absent keys are not written (packaging's `_toml_dict_factory`). */
function compact(entries: [string, unknown][]): Dict {
  const out: Dict = {};
  for (const [k, v] of entries) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function date(iso: string | null, context: string): TomlDate | null {
  if (iso === null) return null;
  const d = new TomlDate(iso);
  if (!d.isValid() || !d.isDateTime()) throw new PylockError(`Invalid upload-time '${iso}' (expected an RFC 3339 datetime)`, context);
  return d;
}

function fileDict(f: PylockFile, context: string): Dict {
  return compact([
    ['name', f.name],
    ['upload-time', date(f.uploadTime, `${context}.upload-time`)],
    ['url', f.url],
    ['path', f.path],
    ['size', f.size],
    ['hashes', { ...f.hashes }],
  ]);
}

function packageDict(p: PylockPackage, i: number): Dict {
  const at = `packages[${i}]`;
  return compact([
    ['name', p.name],
    ['version', p.version],
    ['marker', p.marker],
    ['requires-python', p.requiresPython],
    ['dependencies', p.dependencies?.map((d) => ({ ...d }))],
    ['vcs', p.vcs && compact([
      ['type', p.vcs.type],
      ['url', p.vcs.url],
      ['path', p.vcs.path],
      ['requested-revision', p.vcs.requestedRevision],
      ['commit-id', p.vcs.commitId],
      ['subdirectory', p.vcs.subdirectory],
    ])],
    ['directory', p.directory && compact([
      ['path', p.directory.path],
      ['editable', p.directory.editable],
      ['subdirectory', p.directory.subdirectory],
    ])],
    ['archive', p.archive && compact([
      ['url', p.archive.url],
      ['path', p.archive.path],
      ['size', p.archive.size],
      ['upload-time', date(p.archive.uploadTime, `${at}.archive.upload-time`)],
      ['hashes', { ...p.archive.hashes }],
      ['subdirectory', p.archive.subdirectory],
    ])],
    ['index', p.index],
    ['sdist', p.sdist && fileDict(p.sdist, `${at}.sdist`)],
    ['wheels', p.wheels?.map((w, j) => fileDict(w, `${at}.wheels[${j}]`))],
    ['attestation-identities', p.attestationIdentities?.map((a) => ({ ...a }))],
    ['tool', p.tool],
  ]);
}

/** Packages in a stable order: by name, then version (PEP 751 asks for a consistent order). */
function comparePackages(a: PylockPackage, b: PylockPackage): number {
  if (a.name !== b.name) return a.name < b.name ? -1 : 1;
  if (a.version === b.version) return 0;
  if (a.version === null) return -1;
  if (b.version === null) return 1;
  return Version.parse(a.version).compare(Version.parse(b.version));
}

/**
 * Write a lock as TOML: keys in the specification's order, absent values left out, packages
 * sorted by name. The lock is validated first, so what is written always reads back.
 */
export function writePylock(lock: Pylock): string {
  const packages = [...lock.packages].sort(comparePackages);
  const doc = compact([
    ['lock-version', lock.lockVersion],
    ['environments', lock.environments && [...lock.environments]],
    ['requires-python', lock.requiresPython],
    ['extras', lock.extras && [...lock.extras]],
    ['dependency-groups', lock.dependencyGroups && [...lock.dependencyGroups]],
    ['default-groups', lock.defaultGroups && [...lock.defaultGroups]],
    ['created-by', lock.createdBy],
    ['packages', packages.map(packageDict)],
    ['tool', lock.tool],
  ]);
  fromDict(doc); // packaging's `validate()`: the dict must read back as a lock.
  return stringify(doc);
}
