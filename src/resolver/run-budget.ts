/**
 * How long the solver may run and when it lets its host breathe.
 *
 * Propagation and conflict resolution are synchronous, and an in-memory resolution never waits
 * for the network: a hard resolution would keep the worker's event loop to itself, so Ctrl+C
 * (an AbortSignal fired by a message to the worker) and timers would never run. So every
 * round the solver asks its budget, which
 * - awaits the host (`yieldToHost`) once `sliceMs` of work went by since the last time, and
 *   checks the AbortSignal after it;
 * - stops the resolution after `maxRounds` rounds (pip's resolver gives up after 200,000
 *   rounds: resolvelib `ResolutionTooDeep`, pip `ResolutionTooDeepError`) or after
 *   `timeLimitMs`, with a SolverLimitError.
 *
 * The clock and the yield are injected: the core stays free of timers, and tests drive time.
 */
import { PipetteError } from '../pep';

export interface RunBudgetOptions {
  readonly signal?: AbortSignal;
  /** Milliseconds, monotonic (`performance.now`). Without it the budget never yields or times out. */
  readonly clock?: () => number;
  /** Lets the host run its queued tasks (a macrotask: a microtask would not let a message in). */
  readonly yieldToHost?: () => Promise<void>;
  /** Work between two yields, in milliseconds (default 5). */
  readonly sliceMs?: number;
  readonly maxRounds?: number;
  readonly timeLimitMs?: number;
}

/** The resolution ran out of rounds or of time. `packages` are those it was stuck on. */
export class SolverLimitError<P> extends PipetteError<'round-limit' | 'time-limit'> {
  override readonly name = 'SolverLimitError';
  constructor(
    readonly limit: 'rounds' | 'time',
    readonly rounds: number,
    readonly elapsedMs: number,
    /** The packages in the most conflicts, most first, with their counts. */
    readonly packages: ReadonlyArray<{ readonly package: P; readonly conflicts: number }>,
  ) {
    super(limit === 'rounds' ? 'round-limit' : 'time-limit', limit === 'rounds' ? `Resolution stopped after ${rounds} rounds` : `Resolution stopped after ${Math.round(elapsedMs)} ms`);
  }
}

export class RunBudget {
  rounds = 0;
  private readonly start: number;
  private sliceStart: number;
  private readonly sliceMs: number;

  constructor(private readonly options: RunBudgetOptions) {
    this.start = options.clock ? options.clock() : 0;
    this.sliceStart = this.start;
    this.sliceMs = options.sliceMs ?? 5;
  }

  /**
   * Count one round. Throws the signal's reason when aborted, `exceeded()`'s answer when a
   * limit is reached; returns a promise to await when the slice is used up, else undefined
   * (no microtask for the common case).
   */
  round(exceeded: (limit: 'rounds' | 'time', rounds: number, elapsedMs: number) => Error): Promise<void> | undefined {
    const { signal, clock, maxRounds, timeLimitMs } = this.options;
    signal?.throwIfAborted();
    this.rounds += 1;
    if (maxRounds !== undefined && this.rounds > maxRounds) throw exceeded('rounds', this.rounds - 1, this.elapsed());
    if (!clock) return undefined;
    const now = clock();
    if (timeLimitMs !== undefined && now - this.start > timeLimitMs) throw exceeded('time', this.rounds - 1, now - this.start);
    if (!this.options.yieldToHost || now - this.sliceStart < this.sliceMs) return undefined;
    return this.pause();
  }

  /**
   * Whether the slice is used up (for work that can stop part way, see `breathe`). An arrow
   * function: passed around as a callback.
   */
  readonly overdue = (): boolean => {
    const { clock, yieldToHost } = this.options;
    return clock !== undefined && yieldToHost !== undefined && clock() - this.sliceStart >= this.sliceMs;
  };

  /** Let the host run (part way through a round), then check the signal and the time limit. */
  async breathe(exceeded: (limit: 'rounds' | 'time', rounds: number, elapsedMs: number) => Error): Promise<void> {
    await this.pause();
    const { timeLimitMs } = this.options;
    const elapsed = this.elapsed();
    if (timeLimitMs !== undefined && elapsed > timeLimitMs) throw exceeded('time', this.rounds, elapsed);
  }

  /** Milliseconds since the start (0 without a clock). */
  elapsed(): number {
    return this.options.clock ? this.options.clock() - this.start : 0;
  }

  private async pause(): Promise<void> {
    await (this.options.yieldToHost as () => Promise<void>)();
    this.options.signal?.throwIfAborted();
    this.sliceStart = (this.options.clock as () => number)();
  }
}
