/**
 * Bytecode compiled when the worker is idle: the compiler the session gives pip install (and
 * the rebuild after a reload, and a shared link's restore). An install writes the `.pyc` files
 * the cache already holds for a wheel and finishes; a wheel whose bytecode is not cached is
 * installed without and queued here (src/install `later`). Compiling ~1,600 modules of sympy is
 * seconds of CPU: pip does it inside `pip install`, here it would hold the prompt that long.
 *
 * The queue is compiled in slices of about SLICE_MS, yielding to the event loop between them;
 * while a command runs (a shell line, `python`, a pip command: `hold()`), it waits, and goes on
 * after. Each wheel is committed whole once compiled (src/install deferred-bytecode.ts: the
 * same journal and containment rules, RECORD rewritten as pip writes it), only while no command
 * runs and only if its RECORD is still the one installed; and kept in the cache beside the
 * wheel, so a reload or another environment writes it at install. A reload before the commit
 * loses nothing but time: the rebuild queues the wheel again.
 */
import { commitBytecode, prepareBytecodeCommit, type BytecodeCompiler, type CompiledWheel, type FileSystem, type ModuleSource, type PendingBytecode } from '../install';
import { normalizeName } from '../pep';
import type { PyodideBytecodeCompiler } from './bytecode-compiler';
import { macrotask } from './macrotask';

/** Milliseconds of compiling between two looks at the worker's messages. */
export const SLICE_MS = 50;

/** What the idle compiler did, for tests and benchmarks. */
export interface IdleCounts {
  /** Wheels whose compiled files were committed. */
  committed: number;
  /** Wheels dropped: uninstalled or replaced before their commit. */
  dropped: number;
  /** Slices that waited for a command to finish. */
  preempted: number;
}

export class IdleBytecode implements BytecodeCompiler {
  readonly counts: IdleCounts = { committed: 0, dropped: 0, preempted: 0 };
  private readonly queue: Job[] = [];
  private holds = 0;
  /** Incremented at every command: a job remembers the one that queued it. */
  private epoch = 0;
  private resume: Array<() => void> = [];
  private drainWaiters: Array<() => void> = [];
  private running = false;
  /**
   * Called between two slices, before looking for a running command: tests and benchmarks start
   * a command there, exactly mid-compile.
   */
  betweenSlices: (() => void) | null = null;
  /** Why the last wheel failed to compile or commit (left out silently, as pip's compileall `quiet`), for tests. */
  lastProblem: unknown = null;

  constructor(
    private readonly compiler: PyodideBytecodeCompiler,
    private readonly fs: FileSystem,
  ) {}

  get cacheTag(): string {
    return this.compiler.cacheTag;
  }

  /** Inline compile, for callers that want the files now (`later` is what the installer uses). */
  compile(wheel: CompiledWheel, modules: readonly ModuleSource[], signal?: AbortSignal): Promise<ReadonlyMap<string, Uint8Array>> {
    return this.compiler.compile(wheel, modules, signal);
  }

  fromCache(wheel: CompiledWheel, modules: readonly ModuleSource[]): Promise<ReadonlyMap<string, Uint8Array> | null> {
    return this.compiler.fromCache(wheel, modules);
  }

  later(pending: PendingBytecode): void {
    this.enqueue(pending, this.compiler);
  }

  private enqueue(pending: PendingBytecode, compiler: PyodideBytecodeCompiler): void {
    this.queue.push({ pending, compiler, epoch: this.epoch, superseded: false });
    this.start();
  }

  /**
   * A command installed `names` into `sitePackages` (pip's onInstalled): the work queued for them
   * by an earlier command is dropped, even where RECORD reads the same (`--force-reinstall
   * --no-compile` writes the RECORD an install awaiting its bytecode has).
   */
  superseded(sitePackages: string, names: readonly string[]): void {
    const replaced = new Set(names.map(normalizeName));
    for (const job of this.queue) if (job.epoch < this.epoch && job.pending.root === sitePackages && replaced.has(normalizeName(job.pending.name))) job.superseded = true;
  }

  /** The same queue over the compiler without its cache (`pip install --no-cache-dir`). */
  withoutCache(): BytecodeCompiler {
    const bare = this.compiler.withoutCache();
    return {
      cacheTag: bare.cacheTag,
      compile: (wheel, modules, signal) => bare.compile(wheel, modules, signal),
      fromCache: async () => null,
      later: (pending) => this.enqueue(pending, bare),
    };
  }

  /** Distributions (their `.dist-info` path) installed with bytecode still to come. */
  isPending(distInfoPath: string): boolean {
    return this.queue.some((q) => q.pending.distInfoPath === distInfoPath);
  }

  /** Wheels waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** A command starts: compiling waits until every hold is released. */
  hold(): () => void {
    this.holds++;
    this.epoch++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      if (this.holds === 0) for (const wake of this.resume.splice(0)) wake();
    };
  }

  /** Resolves once the queue is empty (tests, benchmarks, and a CLI that exits after pip). */
  drained(): Promise<void> {
    if (this.queue.length === 0 && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private start(): void {
    if (this.running) return;
    this.running = true;
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      // The command that queued the wheel is still running: begin after it.
      await this.between();
      while (this.queue.length > 0) {
        const job = this.queue[0]!;
        try {
          if (!job.superseded && this.stillInstalled(job.pending)) await this.compileAndCommit(job);
          else this.counts.dropped++;
        } catch (error) {
          // Ctrl+C at the prompt reached Python mid-slice: the wheel is compiled again from the start.
          if (error instanceof DOMException && error.name === 'AbortError') {
            await this.between();
            continue;
          }
          this.lastProblem = error;
        }
        this.queue.shift();
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.start();
      else for (const done of this.drainWaiters.splice(0)) done();
    }
  }

  private async compileAndCommit(job: Job): Promise<void> {
    const { pending, compiler } = job;
    const output = await compiler.compile(pending.wheel, pending.modules, undefined, { budgetMs: SLICE_MS, between: () => this.between() });
    const commit = await prepareBytecodeCommit(pending, output);
    await this.idle();
    // Synchronous from here: no command can start between the check and the last write.
    if (!job.superseded && commitBytecode(this.fs, commit)) this.counts.committed++;
    else this.counts.dropped++;
  }

  private stillInstalled(pending: PendingBytecode): boolean {
    const record = this.fs.readFile(`${pending.distInfoPath}/RECORD`);
    return record !== null && record.length === pending.record.length && record.every((b, i) => b === pending.record[i]);
  }

  /** A macrotask turn (the worker reads its messages), then no command running. */
  private async between(): Promise<void> {
    await macrotask();
    this.betweenSlices?.();
    await this.idle();
  }

  private async idle(): Promise<void> {
    if (this.holds > 0) this.counts.preempted++;
    while (this.holds > 0) await new Promise<void>((wake) => this.resume.push(wake));
  }
}

interface Job {
  readonly pending: PendingBytecode;
  readonly compiler: PyodideBytecodeCompiler;
  readonly epoch: number;
  /** Installed again by a later command: nothing of this job may be written. */
  superseded: boolean;
}
