/**
 * Which version to try first: pip's default `--upgrade-strategy only-if-needed`. An installed
 * or locked version is kept while it still satisfies everything (pip's `PipProvider.find_matches`
 * passes `prefers_installed` unless the project is eligible for upgrade, and the factory then
 * puts the installed candidate first), so `pip install b` leaves an installed `a` alone when `b`
 * accepts it.
 *
 * - `--upgrade` drops every preference; `--upgrade-package a` drops `a`'s.
 * - A preferred pre-release is kept even when pre-releases are off for the project: pip asks
 *   the installed version `specifier.contains(v, prereleases=True)` (`Factory._iter_found_candidates`),
 *   not the finder's filter.
 * - An extra (`a[x]`) prefers the version last decided for its base `a`, even after
 *   backtracking: `a[x]` must equal `a`, and trying another version first only costs a conflict.
 */
import type { NormalizedName, Version } from '../pep';
import { packageKind, type PythonPackage } from './python-package';

export class Preferences {
  /** The last version decided per project (a hint for its extras, even after backtracking). */
  private readonly lastDecided = new Map<NormalizedName, Version>();

  constructor(
    /** Installed or locked versions, by project. */
    private readonly preferences: ReadonlyMap<NormalizedName, Version>,
    /** `true` for `--upgrade`, or the projects of `--upgrade-package`. */
    private readonly upgrade: boolean | ReadonlySet<NormalizedName>,
  ) {}

  /** A decision of the solver's log (an extra's base then prefers it). */
  noteDecision(p: PythonPackage, version: Version): void {
    const k = packageKind(p);
    if (k.kind === 'project') this.lastDecided.set(k.name, version);
  }

  /** The version to try first for `name` (`isExtra`: for one of its extras), if any. */
  preferred(name: NormalizedName, isExtra: boolean): Version | undefined {
    if (isExtra) return this.lastDecided.get(name);
    return this.upgrading(name) ? undefined : this.preferences.get(name);
  }

  private upgrading(name: NormalizedName): boolean {
    const u = this.upgrade;
    return u === true || (u !== false && u.has(name));
  }
}
