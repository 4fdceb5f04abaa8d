/**
 * An environment lock as files other tools read, and back:
 * - `pylock.toml` (PEP 751) out and in, through src/pep's writePylock / parsePylock;
 * - a pip requirements file with `--hash` lines: requirements-export.ts.
 *
 * Exports hold no credentials, as links do not (the lock is validated with check-lock.ts first).
 * Packages built from source (the lock's `builds`) are exported too, never dropped: an sdist by
 * its sha256, a git checkout by its commit, a folder by its path (PEP 751 `[packages.sdist]`,
 * `[packages.vcs]`, `[packages.directory]`; pip's `name @ URL` and `-e` lines).
 * Pipette's own facts without a PEP 751 key go in `[tool.pipette]` (Python, Pyodide, platform,
 * the ordered index list) and `[packages.tool.pipette]` (`requested`), so an exported lock
 * imports back to the same distributions.
 */
import {
  Marker,
  normalizeName,
  parsePylock,
  parseSdistFilename,
  parseWheelFilename,
  PepError,
  PipetteError,
  SpecifierSet,
  wheelRank,
  writePylock,
  type MarkerEnvironment,
  type Pylock,
  type PylockFile,
  type PylockPackage,
} from '../pep';
import { checkLock, pickLockFields, type LockRefusalCode } from './check-lock';
import { PYPI_INDEX, type EnvironmentLock, type LockedBuild, type LockedWheel } from './environment-lock';
import { lockWarnings, sameIndex, type ShareWarning, type TrustOptions } from './trust';

/** A lock that cannot be exported: it holds credentials, or is not a valid lock. */
export class LockExportError extends PipetteError<LockRefusalCode> {
  override readonly name = 'LockExportError';
  constructor(code: LockRefusalCode, reason: string) {
    super(code, reason);
  }
}

/** The lock, checked as a link's is, or LockExportError (credentials, an invalid lock). */
export function checkedForExport(lock: EnvironmentLock): EnvironmentLock {
  const checked = checkLock(pickLockFields(lock));
  if (checked.kind === 'ok') return checked.lock;
  const advice = checked.code === 'credentials' ? ' An exported file must not carry secrets: remove them, then export again.' : '';
  throw new LockExportError(checked.code, `Cannot export this environment: ${checked.reason}.${advice}`);
}

/** The wheel's file name: the URL's last path segment. Ex) `.../six-1.17.0-py2.py3-none-any.whl`. */
function fileName(url: string): string {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? ''; // not a URL (a pylock.toml from anywhere): check-lock says so later
  }
  const segment = path.split('/').pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** `3.14.2` -> `==3.14.*`: markers were evaluated for this Python when the lock was made. */
function pythonSeries(python: string): string {
  const [major, minor] = python.split('.');
  return `==${major}.${minor}.*`;
}

// --- pylock.toml -------------------------------------------------------------------------

/** PEP 751's `environments`: the lock was resolved for Pyodide (PEP 508 marker values). */
const PYODIDE_ENVIRONMENT = 'sys_platform == "emscripten" and platform_machine == "wasm32"';

export interface PylockExportOptions {
  /**
   * Where each sdist found on an index was downloaded from, by file name: PEP 751 names an
   * sdist by its url or path, and a lock (like a link) finds an index's sdist by name only.
   */
  readonly sdistUrls?: ReadonlyMap<string, string>;
}

const pipetteTool = (requested: boolean): PylockPackage['tool'] => ({ pipette: { requested } });

const NO_SOURCE = { vcs: null, directory: null, archive: null, index: null, sdist: null, wheels: null } as const;

/** A package built from source, as PEP 751 records its source (never the wheel built from it). */
function builtPackage(b: LockedBuild, options: PylockExportOptions): PylockPackage {
  const common = { name: normalizeName(b.name), marker: null, requiresPython: null, dependencies: null, attestationIdentities: null, tool: pipetteTool(b.requested) };
  switch (b.kind) {
    case 'sdist': {
      const url = b.url ?? options.sdistUrls?.get(b.filename) ?? null;
      if (url === null) throw new LockExportError('invalid', `Cannot export this environment: ${b.filename} is named by its file name only; restore the environment first, then export it.`);
      return { ...common, ...NO_SOURCE, version: b.version, index: b.index, sdist: { name: b.filename, uploadTime: null, url, path: null, size: null, hashes: { sha256: b.sha256 } } };
    }
    case 'git':
      return {
        ...common,
        ...NO_SOURCE,
        version: b.version,
        vcs: { type: 'git', url: b.repository, path: null, requestedRevision: b.revision, commitId: b.commit, subdirectory: b.subdirectory },
      };
    case 'directory':
      // PEP 751: no version for a source tree, which may have changed since it was built; the
      // path is relative to the lock file, which is exported from the home folder.
      return { ...common, ...NO_SOURCE, version: null, directory: { path: b.path === '' ? '.' : b.path, editable: b.editable, subdirectory: null } };
  }
}

/**
 * The lock as `pylock.toml` (PEP 751): one package per distribution with its one wheel
 * (url, sha256), its index, `created-by = "pipette"`, and one per package built from source
 * with its source; sorted by name.
 * Throws LockExportError when the lock holds credentials or is not valid.
 */
export function lockToPylock(lock: EnvironmentLock, options: PylockExportOptions = {}): string {
  const l = checkedForExport(lock);
  const unplaced = l.distributions.find((d) => d.url === null);
  // PEP 751 (packaging's reading of it) wants each wheel's url or path.
  if (unplaced) throw new LockExportError('invalid', `Cannot export this environment: ${unplaced.filename} is named by its file name only; restore the environment first, then export it.`);
  const packages: PylockPackage[] = l.distributions.map((d) => ({
    name: normalizeName(d.name),
    version: d.version,
    marker: null,
    requiresPython: null,
    dependencies: null,
    vcs: null,
    directory: null,
    archive: null,
    index: d.index,
    sdist: null,
    wheels: [{ name: d.filename, uploadTime: null, url: d.url, path: null, size: null, hashes: { sha256: d.sha256 } }],
    attestationIdentities: null,
    tool: pipetteTool(d.requested),
  }));
  for (const b of l.builds ?? []) packages.push(builtPackage(b, options));
  return writePylock({
    lockVersion: '1.0',
    environments: [PYODIDE_ENVIRONMENT],
    requiresPython: pythonSeries(l.python),
    extras: null,
    dependencyGroups: null,
    defaultGroups: null,
    createdBy: 'pipette',
    packages,
    tool: { pipette: { python: l.python, pyodide: l.pyodide, platform: l.platform, indexes: [...l.indexes] } },
  });
}

/** The interpreter a pylock.toml is imported into (the runtime's InterpreterInfo has it all). */
export interface ImportTarget {
  readonly python: string;
  readonly pyodide: string;
  readonly platform: string;
  /** Installable wheel tags, best first (src/pep supportedTags). */
  readonly supportedTags: readonly string[];
  /** PEP 508 marker values of the interpreter. */
  readonly markerEnvironment: MarkerEnvironment;
}

export type ImportRefusalCode =
  /** Not TOML, or breaks PEP 751 (parsePylock's message). */
  | 'invalid-pylock'
  /** A package Pipette cannot install: source only, VCS, directory, non-wheel archive, local path, no sha256. */
  | 'unsupported-package'
  /** A package with wheels, none of which installs here. */
  | 'no-compatible-wheel'
  /** The lock's `environments` or `requires-python` exclude this interpreter. */
  | 'unsupported-environment'
  | LockRefusalCode;

export type ImportWarning =
  | ShareWarning
  /** A package whose marker is false here, left out as PEP 751 installers do. */
  | { readonly code: 'skipped'; readonly package: string; readonly message: string }
  /** Made with another Python or Pyodide than the target's. */
  | { readonly code: 'different-runtime'; readonly message: string };

export type ImportResult =
  | { readonly kind: 'ok'; readonly lock: EnvironmentLock; readonly warnings: readonly ImportWarning[] }
  | { readonly kind: 'refused'; readonly code: ImportRefusalCode; readonly reason: string };

/** Carries a refusal out of the per-package helpers; never escapes this module. */
class ImportRefusal {
  constructor(
    readonly code: ImportRefusalCode,
    readonly reason: string,
  ) {}
}

function refuse(code: ImportRefusalCode, reason: string): never {
  throw new ImportRefusal(code, reason);
}

const tableOf = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;

function markerHolds(marker: string, env: MarkerEnvironment, where: string): boolean {
  try {
    return Marker.parse(marker).evaluate(env);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    return refuse('invalid-pylock', `${where} marker ${JSON.stringify(marker)} cannot be evaluated here: ${e.reason}`);
  }
}

/** Why Pipette cannot install `p`, or null when it has wheels or a source Pipette builds. */
function unsupported(p: PylockPackage): string | null {
  if (p.wheels && p.wheels.length > 0) return null;
  if (p.vcs) {
    if (p.vcs.type !== 'git') return `it comes from a ${p.vcs.type} repository, and Pipette checks out git repositories only (from GitHub)`;
    if (!p.vcs.url) return `it comes from the local git repository ${p.vcs.path}, which the browser cannot read`;
    return null;
  }
  if (p.directory) {
    return (
      `it comes from the local directory ${p.directory.path}, whose files a pylock.toml does not carry: ` +
      `put the project in the home folder and run pip install -e ${p.directory.path}, or share a Pipette link (it carries the home folder's files)`
    );
  }
  if (p.sdist) return p.sdist.url ? null : `its source distribution is the local file ${p.sdist.path}, which the browser cannot read`;
  if (p.archive) {
    const where = p.archive.url ?? p.archive.path ?? '';
    if (!p.archive.url || !fileName(p.archive.url).endsWith('.whl')) return `it comes from the archive ${where}, which is not a wheel`;
  }
  return null;
}

/**
 * A package with no wheel, built from its source at restore (pip builds an sdist or a checkout
 * too): the sdist by url and sha256, the git checkout by its commit. check-lock then holds them
 * to the same rules as a link's builds (a GitHub repository, a full commit id, an sdist's name).
 */
function buildOf(p: PylockPackage, requested: boolean): LockedBuild | null {
  if (p.wheels && p.wheels.length > 0) return null;
  const label = p.name;
  if (p.vcs) {
    if (p.version === null) refuse('unsupported-package', `${label}: its git source has no version in the lock; lock it again with a tool that records one`);
    const repository = (p.vcs.url ?? '').replace(/\.git$/, '').replace(/\/$/, '');
    return { kind: 'git', name: p.name, version: p.version, requested, repository, commit: p.vcs.commitId, revision: p.vcs.requestedRevision, subdirectory: p.vcs.subdirectory };
  }
  if (p.sdist?.url) {
    const sha256 = p.sdist.hashes['sha256'];
    if (sha256 === undefined) refuse('unsupported-package', `${label}'s sdist has no sha256 hash (only ${Object.keys(p.sdist.hashes).join(', ')}), and Pipette checks every download against one`);
    const filename = p.sdist.name ?? fileName(p.sdist.url);
    // check-lock refuses a file name that is not this project's sdist of this version.
    const version = p.version ?? parseSdistFilename(filename)?.version.toString() ?? '';
    return { kind: 'sdist', name: p.name, version, requested, filename, url: p.sdist.url, sha256, index: null };
  }
  return null;
}

/** The best wheel of `p` for the target, as a lock entry. */
function chooseWheel(p: PylockPackage, target: ImportTarget, requested: boolean): LockedWheel {
  const files: PylockFile[] = p.wheels && p.wheels.length > 0 ? [...p.wheels] : p.archive ? [{ ...p.archive, name: null }] : [];
  let best: { file: PylockFile; rank: number; version: string } | null = null;
  const seen: string[] = [];
  for (const file of files) {
    const name = file.name ?? (file.url ? fileName(file.url) : (file.path ?? '').split('/').pop() ?? '');
    seen.push(name);
    let rank: number | null;
    let version: string;
    try {
      const wheel = parseWheelFilename(name);
      rank = wheelRank(wheel.tags, target.supportedTags);
      version = wheel.version.toString();
    } catch (e) {
      if (!(e instanceof PepError)) throw e;
      continue;
    }
    if (rank !== null && (best === null || rank < best.rank)) best = { file, rank, version };
  }
  const label = `${p.name}${p.version ? ` ${p.version}` : ''}`;
  if (best === null) {
    refuse(
      'no-compatible-wheel',
      `${label} has no wheel that installs in this Pyodide (${target.platform}, Python ${target.python}); its wheels are ${seen.join(', ')}. ` +
        'The lock was made for another platform: lock the same requirements again in Pipette',
    );
  }
  const { file } = best;
  if (!file.url) refuse('unsupported-package', `${label} names its wheel by a local path (${file.path}), which the browser cannot read`);
  const sha256 = file.hashes['sha256'];
  if (sha256 === undefined) {
    refuse('unsupported-package', `${label}'s wheel has no sha256 hash (only ${Object.keys(file.hashes).join(', ')}), and Pipette checks every download against one`);
  }
  return { name: p.name, version: p.version ?? best.version, filename: fileName(file.url), url: file.url, sha256, index: p.index, requested };
}

function toLock(pylock: Pylock, target: ImportTarget): { lock: unknown; warnings: ImportWarning[] } {
  const env = target.markerEnvironment;
  if (pylock.environments && !pylock.environments.some((m, i) => markerHolds(m, env, `environments[${i}]`))) {
    refuse('unsupported-environment', `the lock is for ${pylock.environments.join(' or ')}, and this is Pyodide (sys_platform ${env['sys_platform'] ?? '?'}). Make the lock again for this platform`);
  }
  if (pylock.requiresPython && !SpecifierSet.parse(pylock.requiresPython).contains(target.python, { prereleases: true })) {
    refuse('unsupported-environment', `the lock requires Python ${pylock.requiresPython}, and this Pyodide runs Python ${target.python}`);
  }
  const warnings: ImportWarning[] = [];
  const distributions: LockedWheel[] = [];
  const builds: LockedBuild[] = [];
  pylock.packages.forEach((p, i) => {
    const where = `packages[${i}] (${p.name})`;
    if (p.marker !== null && !markerHolds(p.marker, env, where)) {
      warnings.push({ code: 'skipped', package: p.name, message: `Skipped ${p.name}: its marker ${p.marker} is false here.` });
      return;
    }
    if (p.requiresPython && !SpecifierSet.parse(p.requiresPython).contains(target.python, { prereleases: true })) {
      refuse('unsupported-environment', `${p.name} requires Python ${p.requiresPython}, and this Pyodide runs Python ${target.python}`);
    }
    const why = unsupported(p);
    if (why) refuse('unsupported-package', `${p.name}: ${why}`);
    const mine = tableOf(tableOf(p.tool)?.['pipette']);
    // Without Pipette's mark every package counts as requested, as `pip install -r` marks them.
    const requested = typeof mine?.['requested'] === 'boolean' ? mine['requested'] : true;
    const build = buildOf(p, requested);
    if (build) builds.push(build);
    else distributions.push(chooseWheel(p, target, requested));
  });

  const tool = tableOf(tableOf(pylock.tool)?.['pipette']);
  const listed = tool?.['indexes'];
  const indexes = Array.isArray(listed) && listed.every((x) => typeof x === 'string') ? (listed as string[]) : [];
  if (indexes.length === 0) {
    for (const d of distributions) if (d.index !== null && !indexes.some((x) => sameIndex(x, d.index!))) indexes.push(d.index);
  }
  const madeWith = [tool?.['python'], tool?.['pyodide']];
  if (typeof madeWith[0] === 'string' && typeof madeWith[1] === 'string' && (madeWith[0] !== target.python || madeWith[1] !== target.pyodide)) {
    warnings.push({
      code: 'different-runtime',
      message: `This lock was made with Python ${madeWith[0]} on Pyodide ${madeWith[1]}; this page runs Python ${target.python} on Pyodide ${target.pyodide}. The wheels were checked to install here.`,
    });
  }
  const lock = { version: 1, python: target.python, pyodide: target.pyodide, platform: target.platform, indexes, distributions, files: [], ...(builds.length > 0 ? { builds } : {}) };
  return { lock, warnings };
}

/**
 * The environment a `pylock.toml` describes, for the interpreter `target`: for each package
 * whose marker holds, the best wheel for the target's tags, or its source to build (an sdist
 * by url, a GitHub checkout by commit). Refuses (as data) a file that is not PEP 751, a package
 * Pipette cannot install (a directory, a local path, another VCS), a lock for another platform;
 * warns about indexes other than PyPI like a share link does.
 * The lock has no files (a pylock.toml carries packages only).
 */
export function pylockToLock(text: string, target: ImportTarget, trust: TrustOptions = {}): ImportResult {
  let pylock: Pylock;
  try {
    pylock = parsePylock(text);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    return { kind: 'refused', code: 'invalid-pylock', reason: `This is not a valid pylock.toml: ${e.reason}` };
  }
  try {
    const { lock, warnings } = toLock(pylock, target);
    const checked = checkLock(lock);
    if (checked.kind === 'refused') {
      const advice = checked.code === 'credentials' ? ". Pipette's environment lock is saved and shared, so it never holds credentials: remove them from the file" : '';
      return { kind: 'refused', code: checked.code, reason: `This pylock.toml cannot be installed here: ${checked.reason}${advice}.` };
    }
    return { kind: 'ok', lock: checked.lock, warnings: [...lockWarnings(checked.lock, trust), ...warnings] };
  } catch (e) {
    if (e instanceof ImportRefusal) return { kind: 'refused', code: e.code, reason: `This pylock.toml cannot be installed here: ${e.reason}.` };
    throw e;
  }
}
