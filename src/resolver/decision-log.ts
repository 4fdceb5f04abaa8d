/**
 * The projects decided so far, by decision level, so that whoever listens (a download
 * scheduler: src/pip/prefetch-downloads.ts) hears of each project's version as soon as PubGrub
 * decides it, and of each decision a backjump undoes (pub `doc/solver.md`, "Conflict
 * Resolution": backtracking removes every assignment above the level it jumps to).
 *
 * Only projects are told: extras (`a[x]`), `Python` and the root are no distributions.
 * Ex) decided requests 2.32 (level 1), urllib3 2.2 (level 2); a backjump to level 1 -> urllib3
 * 2.2 discarded; requests 2.32 stays.
 */
import type { DistributionFile, NormalizedName, Version } from '../pep';

/** Hears the resolver's decisions as they happen; never throws into it (errors are dropped). */
export interface DecisionListener {
  /** `name` is decided at `version`; `file` is the file that would be installed. */
  decided(name: NormalizedName, version: Version, file: DistributionFile): void;
  /** A decision told before was undone by backtracking (it may be decided again later). */
  discarded(name: NormalizedName, version: Version, file: DistributionFile): void;
  /**
   * `name`, not decided yet, will likely be decided at `version`: its project page is here and
   * it is what the solver would choose now (prefetch.ts). A hint only: it may never be decided.
   */
  likely?(name: NormalizedName, version: Version, file: DistributionFile): void;
}

interface Decided {
  readonly level: number;
  readonly name: NormalizedName;
  readonly version: Version;
  readonly file: DistributionFile;
}

export class DecisionLog {
  private readonly stack: Decided[] = [];

  constructor(private readonly listener: DecisionListener) {}

  /** A project decided at `level` (the level its decision opened). */
  decided(level: number, name: NormalizedName, version: Version, file: DistributionFile): void {
    this.stack.push({ level, name, version, file });
    this.safely(() => this.listener.decided(name, version, file));
  }

  /** Backtracking kept levels up to `toLevel`: every decision above it is discarded, newest first. */
  backtracked(toLevel: number): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level > toLevel) {
      const d = this.stack.pop()!;
      this.safely(() => this.listener.discarded(d.name, d.version, d.file));
    }
  }

  private safely(call: () => void): void {
    try {
      call();
    } catch {
      // A listener's failure must not change the resolution.
    }
  }
}
