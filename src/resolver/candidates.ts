/**
 * A project's files grouped into candidate versions, and for each version the one file to
 * install or the reason none can be (pip's `LinkEvaluator` + `CandidateEvaluator`, uv's
 * `VersionMap` / `PrioritizedDist`), for this Pyodide.
 *
 * A version is usable when it has a wheel whose tags this Pyodide supports (`wheelRank`
 * against `supportedTags(info)`, best rank wins; Pyodide's own lock entries compete like any
 * other file), whose file-level `requires-python` admits the target Python, uploaded before
 * `--exclude-newer`. Yanked files are kept apart: the provider decides whether the version is
 * pinned with `==`/`===`, the only case PEP 592 lets them be used.
 */
import { VersionRange } from '../pep/range';
import { SpecifierSet } from '../pep/specifier';
import { normalizeName, type NormalizedName } from '../pep/name';
import { Version } from '../pep/version';
import { parseTag, tagToString } from '../pep/tags';
import { parseSdistFilename, wheelRank } from '../pep/wheel';
import type { DistributionFile } from '../index/package-source';
import type { UnavailableReason } from './unavailable';

export interface CandidateContext {
  /** supportedTags(info), best first. */
  readonly supported: readonly string[];
  /** The target interpreter's full version (Requires-Python is checked against it). */
  readonly python: Version;
  /** `--exclude-newer`: files uploaded after it are ignored. */
  readonly excludeNewer: { readonly ms: number; readonly text: string } | null;
}

export type CandidateStatus =
  /** Installable with `file`; `yanked` when only yanked files are left (pins only). */
  | { readonly kind: 'usable'; readonly file: DistributionFile; readonly yanked: false | string }
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
      const parts = this.file.filename.slice(0, -'.whl'.length).split('-');
      const build = parts.length === 6 ? /^(\d+)(.*)$/.exec(parts[2] as string) : null;
      const valid = parts.length === 5 || (parts.length === 6 && build !== null);
      this.parsed = valid
        ? { tags: tagSet(parts.slice(-3).join('-')), build: build ? [Number(build[1]), build[2] ?? ''] : null }
        : { tags: [], build: null };
    }
    return this.parsed;
  }
}

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
    private readonly wheels: readonly WheelFile[],
    private readonly context: CandidateContext,
  ) {}

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
    let wheels = this.wheels;
    if (excludeNewer !== null) {
      files = files.filter((f) => inTime(f, excludeNewer.ms));
      if (files.length === 0 && this.files.length > 0) {
        return { kind: 'unavailable', reason: { kind: 'excluded-newer', cutoff: excludeNewer.text } };
      }
      wheels = wheels.filter((w) => inTime(w.file, excludeNewer.ms));
    }
    if (wheels.length === 0) {
      const sdists = files.filter((f) => !f.filename.endsWith('.whl')).map((f) => f.filename);
      return { kind: 'unavailable', reason: sdists.length > 0 ? { kind: 'sdist-only', filenames: sdists.sort() } : { kind: 'no-files' } };
    }
    const ranked: Array<{ wheel: WheelFile; rank: number }> = [];
    for (const wheel of wheels) {
      const rank = wheel.shared ? 0 : wheelRank(wheel.tags, supported);
      if (rank !== null) ranked.push({ wheel, rank });
    }
    // Best tag first; then the higher build tag (PEP 427); then by name, for determinism.
    ranked.sort(
      (a, b) =>
        a.rank - b.rank || compareBuild(b.wheel.build, a.wheel.build) || (a.wheel.file.filename < b.wheel.file.filename ? -1 : 1),
    );
    if (ranked.length === 0) return { kind: 'unavailable', reason: classifyIncompatible(wheels, supported) };
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

/** The candidate versions of one project, oldest first, with lookups and range widening. */
export class ProjectCandidates {
  /** Oldest first; strictly increasing. */
  readonly candidates: readonly Candidate[];

  constructor(
    readonly name: NormalizedName,
    files: readonly DistributionFile[],
    context: CandidateContext,
  ) {
    const parsed: Array<{ version: Version; file: DistributionFile; wheel: WheelFile | null }> = [];
    for (const file of files) {
      const lock = file.pyodideLock;
      if (lock?.packageType === 'shared_library') {
        // Not a wheel: the lock gives the version; packages of the lock depend on it by name.
        const version = Version.tryParse(lock.version);
        if (version) parsed.push({ version, file, wheel: { file, tags: [], build: null, shared: true } });
        continue;
      }
      if (file.filename.endsWith('.whl')) {
        // Only the name and version now (every file is sorted by version); the tags when the
        // version is looked at (a project may list thousands of files).
        const [namePart = '', versionPart = ''] = file.filename.split('-', 2);
        const version = normalizeName(namePart) === name ? Version.tryParse(versionPart.replace(/_/g, '-')) : null;
        if (version) parsed.push({ version, file, wheel: new LazyWheel(file) });
        continue;
      }
      const sdist = parseSdistFilename(file.filename);
      if (sdist && sdist.name === name) parsed.push({ version: sdist.version, file, wheel: null });
    }
    parsed.sort((a, b) => a.version.compare(b.version));
    const out: Candidate[] = [];
    for (let i = 0; i < parsed.length; ) {
      let j = i;
      while (j < parsed.length && (parsed[j] as (typeof parsed)[number]).version.compare((parsed[i] as (typeof parsed)[number]).version) === 0) j++;
      const group = parsed.slice(i, j);
      out.push(
        new Candidate(
          (group[0] as (typeof parsed)[number]).version,
          group.map((g) => g.file),
          group.flatMap((g) => (g.wheel ? [g.wheel] : [])),
          context,
        ),
      );
      i = j;
    }
    this.candidates = out;
  }

  get versions(): Version[] {
    return this.candidates.map((c) => c.version);
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
