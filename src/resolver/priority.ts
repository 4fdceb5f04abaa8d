/**
 * The order in which the Python resolver decides packages (uv
 * `crates/uv-resolver/src/pubgrub/priority.rs`, after pip's `PipProvider.get_preference`):
 *
 *   the root, then `Python`, then projects asked for by direct URL, then projects some
 *   requirement pins with `==`/`===`, then projects conflicts moved 'early', then those they
 *   moved 'late' (a pinned project moved by conflicts takes its new place), then the rest;
 *   within a tier, the package discovered first.
 *
 * Discovery order (the order dependencies were first seen, breadth first from the root) keeps
 * the result deterministic and close to pip's, which walks requirements in the order given.
 * The conflict tiers are uv's conflict-driven priority (conflict-tracker.ts): both sit above
 * the rest so that a conflict is settled before unrelated packages are decided.
 */
import type { NormalizedName, SpecifierSet } from '../pep';
import type { ConflictStanding } from './conflict-tracker';
import { packageKind, type PythonPackage } from './python-package';
import type { Priority } from './solver';
import { pinRanges } from './yanks';

const TIER = { root: 7, python: 6, direct: 5, pinned: 4, early: 3, other: 2, late: 1 } as const;

/** What the order needs to know of a package (see `DecisionOrder.priority`). */
export type PackageClass = 'root' | 'python' | 'direct' | 'pinned' | 'other';

export class DecisionOrder {
  private readonly discovery = new Map<PythonPackage, number>();
  /** Projects some requirement pins with `==`/`===` (decided early: one version to try). */
  private readonly pinned = new Set<NormalizedName>();

  /** `direct`: the projects asked for by direct URL (decided before the rest: one file). */
  constructor(private readonly direct: ReadonlyMap<NormalizedName, unknown>) {}

  /** Note packages in the order they are first seen. */
  discover(dependencies: ReadonlyArray<readonly [PythonPackage, unknown]>): void {
    for (const [p] of dependencies) if (!this.discovery.has(p)) this.discovery.set(p, this.discovery.size);
  }

  /** A requirement on `name` came into the resolution (a pin moves the project up). */
  noteRequirement(name: NormalizedName, specifier: SpecifierSet): void {
    if (pinRanges(specifier).length > 0) this.pinned.add(name);
  }

  priority(p: PythonPackage, standing: ConflictStanding): Priority {
    const k = packageKind(p);
    const kind: PackageClass =
      k.kind === 'root' ? 'root' : k.kind === 'python' ? 'python' : this.direct.has(k.name) ? 'direct' : this.pinned.has(k.name) ? 'pinned' : 'other';
    const discovered = this.discovery.get(p) ?? this.discovery.size;
    let tier: number = TIER[kind];
    // As uv's `mark_conflict_*`, a conflict standing overrides a pin: the pin that makes a
    // package the culprit is often the very requirement of the version it rejected.
    if ((kind === 'other' || kind === 'pinned') && standing !== 'none') tier = TIER[standing];
    return [tier, -discovered];
  }
}
