// Over 400 lines: pip's LinkEvaluator + CandidateEvaluator as one pipeline sharing the compact tag cache.
/**
 * A project's files grouped into candidate versions, and for each version the one file to
 * install or the reason none can be (pip's `LinkEvaluator` + `CandidateEvaluator`, uv's
 * `VersionMap` / `PrioritizedDist`), for this Pyodide.
 *
 * Which files count, before versions are formed (`selectFiles`):
 * 1. Hashes (pip's `filter_unallowed_hashes`): when the person gave `--hash` values for the
 *    project (a requirements file, a constraint, `name @ url#sha256=`) and some installable
 *    file has one of them, files whose digests are all other ones are dropped; files with no
 *    digest stay. When none matches, nothing is dropped (the download then fails pip's check).
 * 2. Sources (uv's `first-index` strategy, applied to a second index): Pyodide's packages
 *    (`origin: 'pyodide-lock'`) are taken only when no configured source has a file that
 *    installs here; otherwise they are dropped, so the person's indexes decide.
 * A version is then usable when it has a wheel whose tags this Pyodide supports (`wheelRank`
 * against `supportedTags(info)`, best rank wins, then the higher build tag), whose file-level
 * `requires-python` admits the target Python, uploaded before `--exclude-newer`. Yanked files
 * are kept apart: the provider decides whether the version is pinned with `==`/`===`, the only
 * case PEP 592 lets them be used.
 */
import {
  VersionRange,
  SpecifierSet,
  normalizeName,
  type NormalizedName,
  Version,
  parseTag,
  tagToString,
  parseSdistFilename,
  wheelRank,
  type DistributionFile,
  type PyodideBuildHint,
} from '../pep';
import type { UnavailableReason } from './unavailable';

/**
 * The digests a person allows for a project (`--hash=sha256:...`), by algorithm, lower-case hex
 * (pip's `Hashes`). Empty: no restriction.
 */
export type AllowedHashes = ReadonlyMap<string, readonly string[]>;

/** What else than its files shapes a project's candidates. */
export interface ProjectOptions {
  /** The person's `--hash` values for the project; null or empty: none. */
  readonly allowedHashes?: AllowedHashes | null;
  /** The wasm build Pyodide has of the project when its packages are off (for the explanation). */
  readonly pyodideBuild?: PyodideBuildHint | null;
}

export interface CandidateContext {
  /** supportedTags(info), best first. */
  readonly supported: readonly string[];
  /** The target interpreter's full version (Requires-Python is checked against it). */
  readonly python: Version;
  /** `--exclude-newer`: files uploaded after it are ignored. */
  readonly excludeNewer: { readonly ms: number; readonly text: string } | null;
  /**
   * Versions parsed so far by their spelling in file names (null: not a version), shared by
   * the projects of one resolution: a project's files repeat each version once per wheel, and
   * projects share spellings (`1.0.0`). Versions are immutable values, so sharing is safe.
   */
  readonly versions?: Map<string, Version | null>;
  /**
   * Which files a project may use (pip's `--no-binary` / `--only-binary`); wheels only when
   * absent. With `sdists`, a version without an installable wheel is usable through its sdist
   * (the caller builds it), marked `source`.
   */
  readonly formats?: (name: NormalizedName) => AllowedFormats;
}

export interface AllowedFormats {
  readonly wheels: boolean;
  readonly sdists: boolean;
}

const WHEELS_ONLY: AllowedFormats = { wheels: true, sdists: false };

export type CandidateStatus =
  /**
   * Installable with `file`; `yanked` when only yanked files are left (pins only); `source`
   * when `file` is an sdist to build (no wheel installs here, or wheels are not allowed).
   */
  | { readonly kind: 'usable'; readonly file: DistributionFile; readonly yanked: false | string; readonly source?: true }
  /** Installable but for the file-level `requires-python`, which the target does not meet. */
  | { readonly kind: 'requires-python'; readonly file: DistributionFile; readonly requiresPython: string }
  | { readonly kind: 'unavailable'; readonly reason: UnavailableReason };

interface WheelFile {
  readonly file: DistributionFile;
  /** Every tag of the file name; empty when the name does not parse (pip skips such files). */
  readonly tags: readonly string[];
  readonly build: readonly [number, string] | null;
  /** A shared library from Pyodide's lock (`libopenblas-0.3.31.zip`): installs, has no tags. */
  readonly shared?: boolean;
}

/**
 * A wheel's tags and build tag from its file name, parsed when first needed. The tag set
 * (`py3-none-any`) is parsed once per distinct spelling: a project's files repeat a few.
 */
class LazyWheel implements WheelFile {
  private parsed: { tags: readonly string[]; build: readonly [number, string] | null } | null = null;

  constructor(readonly file: DistributionFile) {}

  get tags(): readonly string[] {
    return this.parse().tags;
  }

  get build(): readonly [number, string] | null {
    return this.parse().build;
  }

  private parse(): { tags: readonly string[]; build: readonly [number, string] | null } {
    if (!this.parsed) {
      // name-version[-build]-python-abi-platform.whl, read from the dashes without splitting
      // (every candidate of every project comes through here).
      const filename = this.file.filename;
      const end = filename.length - '.whl'.length;
      const dashes = DASHES;
      let count = 0;
      for (let i = filename.indexOf('-'); i >= 0 && i < end && count < 6; i = filename.indexOf('-', i + 1)) dashes[count++] = i;
      const parts = count + 1;
      const build = parts === 6 ? /^(\d+)(.*)$/.exec(filename.slice((dashes[1] as number) + 1, dashes[2])) : null;
      const valid = parts === 5 || (parts === 6 && build !== null);
      this.parsed = valid
        ? { tags: tagSet(filename.slice((dashes[parts - 4] as number) + 1, end)), build: build ? [Number(build[1]), build[2] ?? ''] : null }
        : { tags: [], build: null };
    }
    return this.parsed;
  }
}

/** Scratch space for LazyWheel's dash positions (at most 6 matter: 7 parts is already invalid). */
const DASHES = new Int32Array(6);

const tagSets = new Map<string, readonly string[]>();

/** The tags a compressed tag set stands for, sorted (what parseWheelFilename gives); [] if invalid. */
function tagSet(compressed: string): readonly string[] {
  let tags = tagSets.get(compressed);
  if (!tags) {
    try {
      tags = parseTag(compressed).map(tagToString).sort();
    } catch {
      tags = [];
    }
    tagSets.set(compressed, tags);
  }
  return tags;
}

export class Candidate {
  private cached: CandidateStatus | null = null;

  constructor(
    readonly version: Version,
    readonly files: readonly DistributionFile[],
    private readonly context: CandidateContext,
    private readonly allowed: AllowedFormats = WHEELS_ONLY,
  ) {}

  /** The installable files (wheels, Pyodide's shared libraries), made when the status is asked. */
  private wheelFiles(): WheelFile[] {
    const wheels: WheelFile[] = [];
    for (const file of this.files) {
      const wheel = wheelFile(file);
      if (wheel) wheels.push(wheel);
    }
    return wheels;
  }

  /** Whether one of the files comes from Pyodide's lock (a package Pyodide builds itself). */
  get inPyodideLock(): boolean {
    return this.files.some((f) => f.origin === 'pyodide-lock');
  }

  status(): CandidateStatus {
    return (this.cached ??= this.evaluate());
  }

  private evaluate(): CandidateStatus {
    const { supported, python, excludeNewer } = this.context;
    // --exclude-newer (uv): a file without an upload time cannot be shown to be older, so it
    // goes too; Pyodide's own files are part of the runtime and always stay.
    let files = this.files;
    // One file (the usual case): no list to grow.
    const only = this.files.length === 1 ? wheelFile(this.files[0] as DistributionFile) : undefined;
    let wheels: readonly WheelFile[] = only === undefined ? this.wheelFiles() : only === null ? [] : [only];
    if (excludeNewer !== null) {
      files = files.filter((f) => inTime(f, excludeNewer.ms));
      if (files.length === 0 && this.files.length > 0) {
        return { kind: 'unavailable', reason: { kind: 'excluded-newer', cutoff: excludeNewer.text } };
      }
      wheels = wheels.filter((w) => inTime(w.file, excludeNewer.ms));
    }
    if (!this.allowed.wheels) wheels = wheels.filter((w) => w.shared === true);
    const fromSource = (): CandidateStatus | null => (this.allowed.sdists ? sdistStatus(files, python) : null);
    if (wheels.length === 0) {
      const source = fromSource();
      if (source) return source;
      const sdists = files.filter((f) => !f.filename.endsWith('.whl')).map((f) => f.filename);
      return { kind: 'unavailable', reason: sdists.length > 0 ? { kind: 'sdist-only', filenames: sdists.sort() } : { kind: 'no-files' } };
    }
    if (wheels.length === 1) {
      // The common case, one wheel: what the general path below gives, without its arrays.
      const wheel = wheels[0] as WheelFile;
      const rank = wheel.shared ? 0 : wheelRank(wheel.tags, supported);
      if (rank === null) return fromSource() ?? { kind: 'unavailable', reason: classifyIncompatible(wheels, supported) };
      const file = wheel.file;
      if (!requiresPythonAdmits(file.requiresPython, python)) return { kind: 'requires-python', file, requiresPython: file.requiresPython ?? '' };
      return { kind: 'usable', file, yanked: file.yanked };
    }
    const ranked: Array<{ wheel: WheelFile; rank: number; at: number }> = [];
    wheels.forEach((wheel, at) => {
      const rank = wheel.shared ? 0 : wheelRank(wheel.tags, supported);
      if (rank !== null) ranked.push({ wheel, rank, at });
    });
    // Best tag first; then the higher build tag (PEP 427); then the file listed last. pip's
    // CandidateEvaluator sorts by (yanked, version, tag, build) and its resolver takes the
    // last of equal ones (`reversed(sorted(...))`): of two equal files on one page the later
    // one, of the same file on --index-url and --extra-index-url the extra index's.
    ranked.sort((a, b) => a.rank - b.rank || compareBuild(b.wheel.build, a.wheel.build) || b.at - a.at);
    if (ranked.length === 0) return fromSource() ?? { kind: 'unavailable', reason: classifyIncompatible(wheels, supported) };
    // pip drops links whose requires-python excludes the interpreter (LinkEvaluator).
    const admitted = ranked.filter((w) => requiresPythonAdmits(w.wheel.file.requiresPython, python)).map((w) => w.wheel.file);
    if (admitted.length === 0) {
      const best = (ranked[0] as { wheel: WheelFile }).wheel.file;
      return { kind: 'requires-python', file: best, requiresPython: best.requiresPython ?? '' };
    }
    const notYanked = admitted.find((f) => f.yanked === false);
    if (notYanked) return { kind: 'usable', file: notYanked, yanked: false };
    const best = admitted[0] as DistributionFile;
    return { kind: 'usable', file: best, yanked: best.yanked === false ? '' : best.yanked };
  }
}

/**
 * A version's sdist as its candidate file (pip's LinkEvaluator on sdists): one whose
 * requires-python admits the target, not yanked when another is not; `.tar.gz` (PEP 625)
 * before other archives. Null when the version has no sdist.
 */
function sdistStatus(files: readonly DistributionFile[], python: Version): CandidateStatus | null {
  const sdists = files
    .filter((f) => f.pyodideLock === undefined && !f.filename.endsWith('.whl'))
    .sort((a, b) => Number(!a.filename.endsWith('.tar.gz')) - Number(!b.filename.endsWith('.tar.gz')) || (a.filename < b.filename ? -1 : 1));
  if (sdists.length === 0) return null;
  const admitted = sdists.filter((f) => requiresPythonAdmits(f.requiresPython, python));
  if (admitted.length === 0) return { kind: 'requires-python', file: sdists[0]!, requiresPython: sdists[0]!.requiresPython ?? '' };
  const notYanked = admitted.find((f) => f.yanked === false);
  if (notYanked) return { kind: 'usable', file: notYanked, yanked: false, source: true };
  const best = admitted[0]!;
  return { kind: 'usable', file: best, yanked: best.yanked === false ? '' : best.yanked, source: true };
}

/** The file as an installable: a wheel, a shared library from Pyodide's lock; null for an sdist. */
function wheelFile(file: DistributionFile): WheelFile | null {
  if (file.pyodideLock?.packageType === 'shared_library') return { file, tags: [], build: null, shared: true };
  return file.filename.endsWith('.whl') ? new LazyWheel(file) : null;
}

function compareBuild(a: readonly [number, string] | null, b: readonly [number, string] | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0);
}

function inTime(f: DistributionFile, cutoff: number): boolean {
  return f.origin === 'pyodide-lock' || (f.uploadTime !== null && Date.parse(f.uploadTime) <= cutoff);
}

/** True unless `requiresPython` parses and excludes `python` (pip ignores an invalid one). */
export function requiresPythonAdmits(requiresPython: string | null, python: Version): boolean {
  const range = requiresPythonRange(requiresPython);
  return range === null || range.contains(python);
}

const requiresPythonRanges = new Map<string, VersionRange | null>();

/** The range of a Requires-Python string, or null when absent or invalid. */
export function requiresPythonRange(requiresPython: string | null): VersionRange | null {
  if (requiresPython === null || requiresPython.trim() === '') return null;
  let range = requiresPythonRanges.get(requiresPython);
  if (range === undefined) {
    try {
      range = SpecifierSet.parse(requiresPython).range;
    } catch {
      range = null;
    }
    requiresPythonRanges.set(requiresPython, range);
  }
  return range;
}

const PYODIDE_PLATFORM = /^(?:pyodide|pyemscripten)_\d+_\d+_wasm32$|^emscripten_\d+_\d+_\d+_wasm32$/;

/** Why no wheel of a version installs here: another Pyodide, another Python, or another platform. */
function classifyIncompatible(wheels: readonly WheelFile[], supported: readonly string[]): UnavailableReason {
  const ourPlatforms = new Set(supported.map((t) => t.slice(t.lastIndexOf('-') + 1)));
  const platformsOf = (w: WheelFile): string[] => w.tags.map((t) => t.slice(t.lastIndexOf('-') + 1));
  const ours = wheels.filter((w) => platformsOf(w).some((p) => ourPlatforms.has(p) && p !== 'any'));
  if (ours.length > 0) {
    const tags = ours.flatMap((w) => w.tags.map((t) => t.slice(0, t.lastIndexOf('-'))));
    return { kind: 'python-tag', tags: [...new Set(tags)].sort() };
  }
  const all = [...new Set(wheels.flatMap(platformsOf))].sort();
  const pyodide = all.filter((p) => PYODIDE_PLATFORM.test(p));
  if (pyodide.length > 0) {
    const expected = supported.map((t) => t.slice(t.lastIndexOf('-') + 1)).find((p) => p !== 'any') ?? 'any';
    return { kind: 'pyodide-abi', platforms: pyodide, expected };
  }
  return { kind: 'platform', platforms: all.filter((p) => p !== 'any') };
}

/** Whether `file` could install here: a wheel of `name` this Pyodide loads, for this Python. */
function installable(file: DistributionFile, name: NormalizedName, context: CandidateContext): boolean {
  if (file.pyodideLock?.packageType === 'shared_library') return true;
  const wheel = wheelFile(file);
  if (!wheel || !(wheel instanceof LazyWheel)) return false;
  const first = file.filename.indexOf('-');
  if (first < 0 || normalizeName(file.filename.slice(0, first)) !== name) return false;
  return wheelRank(wheel.tags, context.supported) !== null && requiresPythonAdmits(file.requiresPython, context.python);
}

/** pip's `Link.is_hash_allowed`: one of the file's digests is allowed. */
function hashAllowed(file: DistributionFile, allowed: AllowedHashes): boolean {
  for (const [algorithm, hex] of Object.entries(file.hashes)) if (allowed.get(algorithm)?.includes(hex.toLowerCase())) return true;
  return false;
}

/**
 * The files a project's candidates are made of (see the module comment): hashes first (a
 * person's pin on one of Pyodide's builds takes that build), then the configured sources over
 * Pyodide's packages.
 */
export function selectFiles(
  name: NormalizedName,
  files: readonly DistributionFile[],
  context: CandidateContext,
  allowedHashes: AllowedHashes | null = null,
): readonly DistributionFile[] {
  let kept = files;
  if (allowedHashes && allowedHashes.size > 0) {
    const matches = kept.some((f) => hashAllowed(f, allowedHashes) && installable(f, name, context));
    if (matches) kept = kept.filter((f) => Object.keys(f.hashes).length === 0 || hashAllowed(f, allowedHashes));
  }
  if (kept.some((f) => f.origin === 'pyodide-lock')) {
    const configured = kept.filter((f) => f.origin !== 'pyodide-lock');
    if (configured.some((f) => installable(f, name, context))) kept = configured;
  }
  return kept;
}

/** The candidate versions of one project, oldest first, with lookups and range widening. */
export class ProjectCandidates {
  /** Oldest first; strictly increasing. */
  readonly candidates: readonly Candidate[];
  /** The wasm build Pyodide would have offered, when its packages are off. */
  readonly pyodideBuild: PyodideBuildHint | null;

  constructor(
    readonly name: NormalizedName,
    given: readonly DistributionFile[],
    context: CandidateContext,
    options: ProjectOptions = {},
  ) {
    this.pyodideBuild = options.pyodideBuild ?? null;
    const allowed = context.formats?.(name) ?? WHEELS_ONLY;
    const files = selectFiles(name, given, context, options.allowedHashes ?? null);
    // Parallel arrays rather than an object per file: a project may list thousands of files.
    const versions: Version[] = [];
    const kept: DistributionFile[] = [];
    // The files of a project spell its name the same way, mostly: normalize each spelling once.
    let spelled = '';
    let spelledOurs = false;
    for (const file of files) {
      const lock = file.pyodideLock;
      if (lock?.packageType === 'shared_library') {
        // Not a wheel: the lock gives the version; packages of the lock depend on it by name.
        const version = Version.tryParse(lock.version);
        if (version) {
          versions.push(version);
          kept.push(file);
        }
        continue;
      }
      if (file.filename.endsWith('.whl')) {
        // Only the name and version now (every file is sorted by version); the tags when the
        // version is looked at (a project may list thousands of files).
        const filename = file.filename;
        const first = filename.indexOf('-');
        const namePart = first < 0 ? filename : filename.slice(0, first);
        if (namePart !== spelled) {
          spelled = namePart;
          spelledOurs = normalizeName(namePart) === name;
        }
        if (!spelledOurs) continue;
        const second = first < 0 ? -1 : filename.indexOf('-', first + 1);
        const versionPart = first < 0 ? '' : filename.slice(first + 1, second < 0 ? filename.length : second);
        const spelling = versionPart.includes('_') ? versionPart.replace(/_/g, '-') : versionPart;
        let version = context.versions?.get(spelling);
        if (version === undefined) {
          version = Version.tryParse(spelling);
          context.versions?.set(spelling, version);
        }
        if (version) {
          versions.push(version);
          kept.push(file);
        }
        continue;
      }
      const sdist = parseSdistFilename(file.filename);
      if (sdist && sdist.name === name) {
        versions.push(sdist.version);
        kept.push(file);
      }
    }
    // Indexes usually list files oldest first; otherwise a stable sort by version.
    let sorted = true;
    for (let i = 1; i < versions.length && sorted; i++) sorted = (versions[i - 1] as Version).compare(versions[i] as Version) <= 0;
    let order: number[] | null = null;
    if (!sorted) {
      order = versions.map((_, i) => i);
      order.sort((a, b) => (versions[a] as Version).compare(versions[b] as Version));
    }
    const out: Candidate[] = [];
    for (let i = 0; i < versions.length; ) {
      const head = versions[order ? (order[i] as number) : i] as Version;
      let j = i + 1;
      while (j < versions.length && (versions[order ? (order[j] as number) : j] as Version).compare(head) === 0) j++;
      const groupFiles = new Array<DistributionFile>(j - i);
      for (let k = i; k < j; k++) groupFiles[k - i] = kept[order ? (order[k] as number) : k] as DistributionFile;
      out.push(new Candidate(head, groupFiles, context, allowed));
      i = j;
    }
    this.candidates = out;
  }

  get versions(): Version[] {
    return this.candidates.map((c) => c.version);
  }

  private final: boolean | undefined;

  /**
   * Whether some final release has a file pip's finder would list: installable here, yanked or
   * not (pip filters versions before it drops yanked files), Requires-Python met. Asked by the
   * pre-release policy (prerelease.ts) of a project every requirement on which is bare.
   */
  get hasFinal(): boolean {
    return (this.final ??= this.candidates.some((c) => !c.version.isPrerelease && c.status().kind === 'usable'));
  }

  /** The index of `version` (by PEP 440 equality), or -1. */
  indexOf(version: Version): number {
    let lo = 0;
    let hi = this.candidates.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = (this.candidates[mid] as Candidate).version.compare(version);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  get(version: Version): Candidate | undefined {
    const i = this.indexOf(version);
    return i < 0 ? undefined : this.candidates[i];
  }

  /**
   * The versions from candidate `from` through `to` and everything up to the next listed
   * version, unbounded at either end of the listing (pub's package lister): a fact about
   * those listed versions stated for the whole stretch, so neighbouring facts merge into plain
   * ranges and explanations read `foo>=2.0` rather than a list of versions.
   */
  widen(from: number, to: number = from): VersionRange {
    const lo = from <= 0 ? null : (this.candidates[from] as Candidate).version;
    const hi = to >= this.candidates.length - 1 ? null : (this.candidates[to + 1] as Candidate).version;
    if (lo && hi) return VersionRange.between(lo, hi);
    if (lo) return below(lo).complement();
    if (hi) return below(hi);
    return VersionRange.full();
  }
}

const MIN_VERSION = Version.parse('0.dev0');

/** Every version below `v`. */
export function below(v: Version): VersionRange {
  return VersionRange.between(MIN_VERSION, v);
}
