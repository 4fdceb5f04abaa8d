// Over 400 lines: the PubGrub loop (propagation, conflict resolution, decisions) over one State, as solver.md.
/**
 * The PubGrub solver loop: unit propagation, conflict resolution with backjumping, and
 * decision making (pub `doc/solver.md` "The Algorithm"; pubgrub-rs `src/internal/core.rs`,
 * `src/solver.rs`).
 *
 * Propagation and conflict resolution are synchronous and pure; only the provider's
 * `chooseVersion` and `getDependencies` may await (pub `version_solver.dart`). A provider
 * that answers synchronously is not awaited at all, so an in-memory resolution costs no
 * microtask per decision; the run budget (run-budget.ts) awaits the host every few
 * milliseconds of work instead, and enforces the round and time limits.
 *
 * Two additions to pub's algorithm:
 * - conflict-driven priority, as uv's (conflict-tracker.ts): packages whose versions keep
 *   being discarded are decided earlier, the packages that keep causing it later;
 * - conflict resolution keeps, besides the root cause, each intermediate incompatibility that
 *   rules out a package altogether (`{p *, ...}`: "no version of p fits the rest"). pub keeps
 *   only the root cause, so when p hangs below a decision that changes version by version, each
 *   new version walks p's versions again to find the same fact: one conflict at the bottom of
 *   a 30-deep chain then costs thousands of steps. Kept, the fact stops the next attempt at
 *   once. Every derived incompatibility is a consequence of the external facts, so keeping one
 *   never changes which selections are valid; its satisfier lies above the backjump level, so
 *   it is not satisfied after the backjump either.
 */
import { type ConflictStanding, ConflictTracker } from './conflict-tracker';
import { buildDerivationTree, type DerivationTree } from './derivation-tree';
import { Incompatibility, RELATION_CONTRADICTED, RELATION_SATISFIED } from './incompatibility';
import { PartialSolution } from './partial-solution';
import { RunBudget, type RunBudgetOptions, SolverLimitError } from './run-budget';
import type { Term } from './term';
import type { VersionSet, VersionSetFactory } from './version-set';

/** Compared element by element, larger first. */
export type Priority = readonly number[];

/** The provider's answer to "which version of this package next?". */
export type VersionChoice<V, S, M> =
  | { readonly kind: 'version'; readonly version: V }
  /** No version exists in the asked set: the solver records `{package set}` as "no versions". */
  | { readonly kind: 'none' }
  /**
   * The versions in `set` (which must overlap the asked set) exist but cannot be used. The
   * solver records that and asks again; `set` may cover more than the asked set (pub widens
   * such facts over adjacent versions with the same reason).
   */
  | { readonly kind: 'unavailable'; readonly set: S; readonly reason: M };

/** The dependencies of one version, or why it cannot be used. */
export type Dependencies<P, S, M> =
  | {
      readonly kind: 'available';
      readonly dependencies: ReadonlyArray<readonly [P, S]>;
      /** The versions these dependencies are known to hold for (default: just the version asked). */
      readonly versions?: S;
    }
  | { readonly kind: 'unavailable'; readonly reason: M; readonly versions?: S };

export type MaybePromise<T> = T | Promise<T>;

/** What the solver needs to know about packages (pubgrub-rs `DependencyProvider`). */
export interface DependencyProvider<P, V, S, M> {
  /**
   * Larger decides first. `standing` is the package's place in conflict-driven priority
   * ('none' unless `SolveOptions.conflictThreshold` is set; see conflict-tracker.ts).
   */
  prioritize(package_: P, set: S, standing: ConflictStanding): Priority;
  chooseVersion(package_: P, set: S): MaybePromise<VersionChoice<V, S, M>>;
  getDependencies(package_: P, version: V): MaybePromise<Dependencies<P, S, M>>;
  /** Called after each propagation with the packages awaiting a decision (for prefetching). */
  afterPropagation?(pending: ReadonlyArray<readonly [P, S]>): void;
  /**
   * How many known versions of `package` lie in `set` (default 1): a rejection that rules out
   * a stretch of versions at once weighs that many conflicts.
   */
  countVersions?(package_: P, set: S): number;
  /** Whether two packages stand for one project (an extra and its base); default: identity. */
  sameProject?(a: P, b: P): boolean;
}

/** The solver's log, in order (for `pip install --dry-run -v`-style output and for tests). */
export type SolverEvent<P, V, S extends VersionSet<V, S>, M> =
  | { readonly kind: 'decision'; readonly package: P; readonly version: V; readonly level: number }
  /** A version whose dependencies conflict with the partial solution was not selected. */
  | { readonly kind: 'rejected'; readonly package: P; readonly version: V }
  | { readonly kind: 'incompatibility'; readonly incompatibility: Incompatibility<P, V, S, M> }
  | { readonly kind: 'conflict'; readonly incompatibility: Incompatibility<P, V, S, M> }
  | { readonly kind: 'backtrack'; readonly fromLevel: number; readonly toLevel: number; readonly cause: Incompatibility<P, V, S, M> }
  /**
   * Conflict-driven priority moved `package` ('early': its versions kept being discarded;
   * 'late': it kept causing that, and its decision was undone: `fromLevel` to `toLevel`).
   */
  | { readonly kind: 'reprioritize'; readonly package: P; readonly standing: 'early' | 'late'; readonly fromLevel: number; readonly toLevel: number };

export interface SolverStats {
  decisions: number;
  conflicts: number;
  backtracks: number;
  incompatibilities: number;
}

export interface SolveOptions<P, V, S extends VersionSet<V, S>, M> extends RunBudgetOptions {
  readonly sets: VersionSetFactory<V, S>;
  readonly onEvent?: (event: SolverEvent<P, V, S, M>) => void;
  /**
   * Conflict-driven priority (conflict-tracker.ts): after this many discarded versions a package
   * is decided earlier, and after causing this many a package is decided later (uv: 5).
   * Default: off.
   */
  readonly conflictThreshold?: number;
  /**
   * Facts known before solving: the versions of `package` in `set` are unavailable for `reason`
   * (constraints: everything outside a `-c` constraint). They never force a package in.
   */
  readonly unavailable?: ReadonlyArray<{ readonly package: P; readonly set: S; readonly reason: M }>;
}

export type SolveResult<P, V, S extends VersionSet<V, S>, M> =
  | { readonly kind: 'solution'; readonly solution: Map<P, V>; readonly stats: SolverStats }
  | { readonly kind: 'no-solution'; readonly tree: DerivationTree<P, V, S, M>; readonly stats: SolverStats };

class NoSolutionFound<P, V, S extends VersionSet<V, S>, M> {
  constructor(readonly incompatibility: Incompatibility<P, V, S, M>) {}
}

/** The solver's state between awaits: incompatibilities and the partial solution. */
export class State<P, V, S extends VersionSet<V, S>, M> {
  readonly partial: PartialSolution<P, V, S, M>;
  readonly stats: SolverStats = { decisions: 0, conflicts: 0, backtracks: 0, incompatibilities: 0 };
  /**
   * Each step of the conflict resolutions since last read: the satisfier's package and the
   * incompatibility resolved (uv's `satisfier_causes`, for conflict-driven priority).
   */
  readonly conflictSteps: Array<readonly [P, Incompatibility<P, V, S, M>]> = [];
  private readonly incompatibilities = new Map<P, Incompatibility<P, V, S, M>[]>();
  /** "p depends on q" incompatibilities by p then q, for merging dependents. */
  private readonly dependencyIncompatibilities = new Map<P, Map<P, Incompatibility<P, V, S, M>[]>>();
  /**
   * Incompatibilities contradicted by the partial solution (pubgrub-rs
   * `contradicted_incompatibilities`): skipped by propagation until a backtrack undoes the
   * level they were contradicted at. A byte per id, from `baseId` on: ids are global and
   * increasing, so every incompatibility this state marks was made after its root one (no
   * hashing, no rehashing as the set grows and shrinks with every backjump).
   */
  private contradicted = new Uint8Array(1024);
  private readonly baseId: number;
  /** Contradicted incompatibilities made before this state (given to `addIncompatibility`). */
  private readonly olderContradicted = new Set<number>();
  /**
   * What to undo on backjumping: the ids marked, with the level each was marked at, as a
   * stack (levels only grow between backjumps), in its first `markedCount` entries.
   */
  private readonly markedIds: number[] = [];
  private readonly markedLevels: number[] = [];
  private markedCount = 0;
  /** Unit propagation's packages still to scan, and where a paused scan stopped. */
  private readonly buffer: P[] = [];
  private scan: { package: P; list: Incompatibility<P, V, S, M>[]; index: number } | null = null;
  private readonly lookup = (p: P): Term<V, S> | undefined => this.partial.termIntersection(p);

  constructor(
    readonly root: P,
    readonly rootVersion: V,
    readonly sets: VersionSetFactory<V, S>,
    private readonly onEvent: (event: SolverEvent<P, V, S, M>) => void = () => {},
  ) {
    this.partial = new PartialSolution<P, V, S, M>(sets);
    const notRoot = Incompatibility.notRoot<P, V, S, M>(root, rootVersion, sets.singleton(rootVersion));
    this.baseId = notRoot.id;
    this.merge(notRoot);
  }

  /** Record an external incompatibility; throws NoSolutionFound if it is terminal. */
  addIncompatibility(incompatibility: Incompatibility<P, V, S, M>): void {
    this.onEvent({ kind: 'incompatibility', incompatibility });
    if (incompatibility.isTerminal(this.root, this.rootVersion)) throw new NoSolutionFound(incompatibility);
    this.merge(incompatibility);
  }

  /** Record "package in versions depends on each of deps"; returns what was added. */
  addDependencies(package_: P, versions: S, dependencies: ReadonlyArray<readonly [P, S]>): Incompatibility<P, V, S, M>[] {
    const added: Incompatibility<P, V, S, M>[] = [];
    for (const [dependency, set] of dependencies) {
      const incompatibility = Incompatibility.fromDependency<P, V, S, M>(package_, versions, dependency, set);
      if (!incompatibility) continue;
      this.onEvent({ kind: 'incompatibility', incompatibility });
      if (incompatibility.isTerminal(this.root, this.rootVersion)) throw new NoSolutionFound(incompatibility);
      added.push(this.merge(incompatibility));
    }
    return added;
  }

  /**
   * Unit propagation from `package` (pub "Unit Propagation"): derive the negation of the one
   * inconclusive term of every almost-satisfied incompatibility, newest first, resolving any
   * conflict on the way. Returns true at the fixpoint; false when `pause()` answered true,
   * and then `propagate` goes on where it stopped (a package can have thousands of
   * incompatibilities to scan: the host must not wait for all of them).
   */
  unitPropagation(package_: P, pause?: () => boolean): boolean {
    this.buffer.length = 0;
    this.buffer.push(package_);
    this.scan = null;
    return this.propagate(pause);
  }

  /** Go on with a paused unit propagation (see `unitPropagation`). */
  propagate(pause?: () => boolean): boolean {
    const buffer = this.buffer;
    const lookup = this.lookup;
    for (;;) {
      let current: P;
      let list: Incompatibility<P, V, S, M>[];
      let i: number;
      if (this.scan) {
        ({ package: current, list, index: i } = this.scan);
        this.scan = null;
      } else {
        if (buffer.length === 0) return true;
        current = buffer.pop() as P;
        list = this.incompatibilities.get(current) ?? [];
        i = list.length - 1;
      }
      let conflict: Incompatibility<P, V, S, M> | null = null;
      for (let checked = 0; i >= 0; i--) {
        // Nothing changes between the pause and the resumption, so the scan can go on from i.
        if (pause && (++checked & 127) === 0 && pause()) {
          this.scan = { package: current, list, index: i };
          return false;
        }
        const incompatibility = list[i] as Incompatibility<P, V, S, M>;
        if (this.isContradicted(incompatibility.id)) continue;
        const relation = incompatibility.relationCode(lookup);
        if (relation === RELATION_SATISFIED) {
          conflict = incompatibility;
          break;
        }
        if (relation >= 0) {
          // Almost satisfied: derive the negation of the one inconclusive term.
          const almost = incompatibility.packages[relation] as P;
          buffer.push(almost);
          this.partial.addDerivation(almost, incompatibility);
          this.markContradicted(incompatibility);
        } else if (relation === RELATION_CONTRADICTED) {
          this.markContradicted(incompatibility);
        }
      }
      if (conflict) {
        const [almost, rootCause] = this.conflictResolution(conflict);
        buffer.length = 0;
        buffer.push(almost);
        this.partial.addDerivation(almost, rootCause);
        this.markContradicted(rootCause);
      }
    }
  }

  /**
   * Conflict resolution (pub "Conflict Resolution"): find the root cause of a satisfied
   * incompatibility by resolving it with its satisfier's cause until the satisfier is a
   * decision or alone at its level, then backjump. Returns the package of the root cause's
   * now-inconclusive term and the root cause.
   */
  private conflictResolution(conflict: Incompatibility<P, V, S, M>): [P, Incompatibility<P, V, S, M>] {
    this.stats.conflicts += 1;
    this.onEvent({ kind: 'conflict', incompatibility: conflict });
    let current = conflict;
    let changed = false;
    let kept: Incompatibility<P, V, S, M> | null = null;
    for (;;) {
      const search = this.partial.satisfierSearch(current);
      this.conflictSteps.push([search.package, current]);
      if (search.kind === 'different-levels') {
        this.backtrack(current, changed && current !== kept, search.previousSatisfierLevel);
        return [search.package, current];
      }
      current = Incompatibility.priorCause(current, search.satisfierCause, search.package);
      this.stats.incompatibilities += 1;
      if (current.isTerminal(this.root, this.rootVersion)) throw new NoSolutionFound(current);
      changed = true;
      // "No version of p fits the rest": keep it (see the module comment).
      const term = current.get(search.package);
      if (term !== undefined && term.positive && term.set.isFull()) {
        this.merge(current);
        kept = current;
      }
    }
  }

  /**
   * Undo the decision on `package_` and every later one (uv `backtrack_package`), to decide in
   * a new order. Returns the level backjumped to, or null when the package is not decided.
   */
  backtrackPackage(package_: P): number | null {
    const level = this.partial.decisionLevelOf(package_);
    if (level === null) return null;
    this.undoAbove(level - 1);
    return level - 1;
  }

  private backtrack(cause: Incompatibility<P, V, S, M>, changed: boolean, level: number): void {
    this.stats.backtracks += 1;
    this.onEvent({ kind: 'backtrack', fromLevel: this.partial.currentDecisionLevel, toLevel: level, cause });
    this.undoAbove(level);
    if (changed) this.merge(cause);
  }

  /** Drop every assignment above `level`, and the contradictions noted there. */
  private undoAbove(level: number): void {
    this.partial.backtrack(level);
    while (this.markedCount > 0 && (this.markedLevels[this.markedCount - 1] as number) > level) {
      const id = this.markedIds[--this.markedCount] as number;
      if (id >= this.baseId) this.contradicted[id - this.baseId] = 0;
      else this.olderContradicted.delete(id);
    }
  }

  private isContradicted(id: number): boolean {
    return id >= this.baseId ? this.contradicted[id - this.baseId] === 1 : this.olderContradicted.has(id);
  }

  private markContradicted(incompatibility: Incompatibility<P, V, S, M>): void {
    const level = this.partial.currentDecisionLevel;
    const at = incompatibility.id - this.baseId;
    if (at < 0) {
      this.olderContradicted.add(incompatibility.id);
    } else {
      if (at >= this.contradicted.length) {
        const grown = new Uint8Array(Math.max(at + 1, this.contradicted.length * 2));
        grown.set(this.contradicted);
        this.contradicted = grown;
      }
      this.contradicted[at] = 1;
    }
    this.markedIds[this.markedCount] = incompatibility.id;
    this.markedLevels[this.markedCount] = level;
    this.markedCount++;
  }

  /**
   * Index an incompatibility by its packages. A dependency incompatibility that differs from
   * an earlier one only in the depender's versions is merged with it (pubgrub-rs
   * `merge_incompatibility`), which keeps deep backtracking over many versions cheap.
   */
  private merge(incompatibility: Incompatibility<P, V, S, M>): Incompatibility<P, V, S, M> {
    let result = incompatibility;
    const cause = incompatibility.cause;
    if (cause.kind === 'dependency' && cause.package !== cause.dependency) {
      let byDependency = this.dependencyIncompatibilities.get(cause.package);
      if (!byDependency) this.dependencyIncompatibilities.set(cause.package, (byDependency = new Map()));
      let past = byDependency.get(cause.dependency);
      if (!past) byDependency.set(cause.dependency, (past = []));
      let merged = false;
      for (let i = 0; i < past.length; i++) {
        const old = past[i] as Incompatibility<P, V, S, M>;
        const combined = incompatibility.mergeDependents(old);
        if (!combined) continue;
        for (const p of combined.packages) {
          const list = this.incompatibilities.get(p);
          if (!list) continue;
          const at = list.indexOf(old);
          if (at >= 0) list.splice(at, 1);
        }
        past[i] = combined;
        result = combined;
        merged = true;
        break;
      }
      if (!merged) past.push(incompatibility);
    }
    this.stats.incompatibilities += 1;
    for (const p of result.packages) {
      let list = this.incompatibilities.get(p);
      if (!list) this.incompatibilities.set(p, (list = []));
      list.push(result);
    }
    return result;
  }
}

/**
 * Solve for `root` at `rootVersion` (pub "The Algorithm"). Resolves to the decided versions,
 * or to the derivation tree proving there are none. Rejects with the signal's reason when
 * aborted, with a SolverLimitError when out of rounds or time, and with whatever the provider
 * throws.
 */
export async function solve<P, V, S extends VersionSet<V, S>, M>(
  provider: DependencyProvider<P, V, S, M>,
  root: P,
  rootVersion: V,
  options: SolveOptions<P, V, S, M>,
): Promise<SolveResult<P, V, S, M>> {
  const { sets, signal } = options;
  const onEvent = options.onEvent ?? (() => {});
  const state = new State<P, V, S, M>(root, rootVersion, sets, onEvent);
  const priorities = new Map<P, { set: S; standing: ConflictStanding; priority: Priority }>();
  const sameProject = provider.sameProject ? provider.sameProject.bind(provider) : (a: P, b: P) => a === b;
  const tracker = new ConflictTracker<P>(options.conflictThreshold ?? Infinity, sameProject, root);
  const reordering = options.conflictThreshold !== undefined;
  const budget = new RunBudget(options);
  const exceeded = (limit: 'rounds' | 'time', rounds: number, elapsedMs: number): Error =>
    new SolverLimitError<P>(limit, rounds, elapsedMs, tracker.mostConflicted(5));
  let next = root;
  const undecided: P[] = [];
  const undecidedSets: S[] = [];
  try {
    for (const fact of options.unavailable ?? []) {
      if (!fact.set.isEmpty()) state.addIncompatibility(Incompatibility.unavailable<P, V, S, M>(fact.package, fact.set, fact.reason));
    }
    for (;;) {
      const pause = budget.round(exceeded);
      if (pause) await pause;
      if (!state.unitPropagation(next, budget.overdue)) {
        do await budget.breathe(exceeded);
        while (!state.propagate(budget.overdue));
      }
      // Conflict tracking (uv `record_conflict` for each root cause step of the propagation).
      for (const [satisfier, incompatibility] of state.conflictSteps) tracker.record(next, satisfier, incompatibility.packages);
      state.conflictSteps.length = 0;
      if (reordering) reprioritize(state, tracker, onEvent);

      // Decision making (pub "Decision Making"): the undecided package of highest priority.
      let best: P | undefined;
      let bestSet: S | undefined;
      let bestPriority: Priority | undefined;
      state.partial.undecided(undecided, undecidedSets);
      for (let i = 0; i < undecided.length; i++) {
        const p = undecided[i] as P;
        const set = undecidedSets[i] as S;
        const standing = tracker.standing(p);
        let cached = priorities.get(p);
        if (!cached || cached.set !== set || cached.standing !== standing) {
          cached = { set, standing, priority: provider.prioritize(p, set, standing) };
          priorities.set(p, cached);
        }
        if (bestPriority === undefined || comparePriority(cached.priority, bestPriority) > 0) {
          best = p;
          bestSet = set;
          bestPriority = cached.priority;
        }
      }
      if (best === undefined || bestSet === undefined) {
        return { kind: 'solution', solution: state.partial.extractSolution(), stats: state.stats };
      }
      if (provider.afterPropagation) provider.afterPropagation(undecided.map((p, i) => [p, undecidedSets[i] as S] as const));
      next = best;

      const chosen = provider.chooseVersion(best, bestSet);
      const choice = isPromise(chosen) ? await chosen : chosen;
      signal?.throwIfAborted();
      if (choice.kind === 'none') {
        state.addIncompatibility(Incompatibility.noVersions<P, V, S, M>(best, bestSet));
        continue;
      }
      if (choice.kind === 'unavailable') {
        if (choice.set.isDisjoint(bestSet)) {
          throw new Error(`Dependency provider: unavailable set ${choice.set} of ${String(best)} is outside ${bestSet}`);
        }
        state.addIncompatibility(Incompatibility.unavailable<P, V, S, M>(best, choice.set, choice.reason));
        continue;
      }
      const version = choice.version;
      if (!bestSet.contains(version)) {
        throw new Error(`Dependency provider: chose ${String(best)} ${String(version)} outside ${bestSet}`);
      }
      const answered = provider.getDependencies(best, version);
      const dependencies = isPromise(answered) ? await answered : answered;
      signal?.throwIfAborted();
      if (dependencies.kind === 'unavailable') {
        const versions = dependencies.versions ?? sets.singleton(version);
        state.addIncompatibility(Incompatibility.unavailable<P, V, S, M>(best, versions, dependencies.reason));
        continue;
      }
      const versions = dependencies.versions ?? sets.singleton(version);
      if (!versions.contains(version)) {
        throw new Error(`Dependency provider: dependencies of ${String(best)} ${String(version)} given for ${versions}`);
      }
      const added = state.addDependencies(best, versions, dependencies.dependencies);
      const conflict = state.partial.addVersion(best, version, added);
      if (conflict === null) {
        state.stats.decisions += 1;
        onEvent({ kind: 'decision', package: best, version, level: state.partial.currentDecisionLevel });
      } else {
        onEvent({ kind: 'rejected', package: best, version });
        // The versions this rejection rules out, as uv would have rejected them one by one.
        const term = conflict.get(best);
        const weight = term && provider.countVersions ? Math.max(1, provider.countVersions(best, term.set.intersection(bestSet))) : 1;
        tracker.record(best, best, conflict.packages, weight);
      }
    }
  } catch (error) {
    if (error instanceof NoSolutionFound) {
      return { kind: 'no-solution', tree: buildDerivationTree(error.incompatibility as Incompatibility<P, V, S, M>), stats: state.stats };
    }
    throw error;
  }
}

/**
 * Apply conflict-driven priority (uv `reprioritize_conflicts`): a package that just became
 * 'late' has its decision undone, so the packages now ranked above it are decided first.
 */
function reprioritize<P, V, S extends VersionSet<V, S>, M>(
  state: State<P, V, S, M>,
  tracker: ConflictTracker<P>,
  onEvent: (event: SolverEvent<P, V, S, M>) => void,
): void {
  for (const p of tracker.reprioritize()) {
    const fromLevel = state.partial.currentDecisionLevel;
    const toLevel = state.backtrackPackage(p);
    onEvent({ kind: 'reprioritize', package: p, standing: 'late', fromLevel, toLevel: toLevel ?? fromLevel });
  }
}

function comparePriority(a: Priority, b: Priority): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
