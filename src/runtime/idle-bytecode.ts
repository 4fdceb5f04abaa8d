/**
 * Bytecode written when the worker is idle: the compiler the session gives pip install (and
 * the rebuild after a reload, and a shared link's restore). An install writes a wheel's files
 * without its `.pyc` and queues the wheel here (src/install `later`), so the prompt comes back
 * once the sources are in: compiling ~1,600 modules of sympy is seconds of CPU, and even
 * writing the ~45 MB of `.pyc` the cache holds for them (and hashing each for RECORD) would
 * hold the prompt ~0.8x as long again as the install itself.
 *
 * For each queued wheel, in order: the cache beside the wheel is read; when it holds every
 * module's bytecode, the files are hashed and committed at once; else the modules are compiled
 * in slices of about SLICE_MS, yielding to the event loop between them, and kept in the cache
 * so a reload or another environment finds them. While a command runs (a shell line, `python`,
 * a pip command: `hold()`), compiling waits, and goes on after. Each wheel is committed whole
 * (src/install deferred-bytecode.ts: the same journal and containment rules, RECORD rewritten
 * as pip writes it), only if its RECORD is still the one installed.
 *
 * A command that runs Python first calls `settle()`: the bytecode the cache holds for queued
 * wheels is committed before it starts (writing it costs far less than the import compiling
 * every module from source), so `import sympy` typed right after the prompt still finds its
 * `.pyc`. A reload before a commit loses nothing but time: the rebuild queues the wheel again.
 */
import { commitBytecode, prepareBytecodeCommit, type BytecodeCommit, type BytecodeCompiler, type CompiledWheel, type FileSystem, type ModuleSource, type PendingBytecode } from '../install';
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

  later(pending: PendingBytecode): void {
    this.enqueue(pending, this.compiler);
  }

  private enqueue(pending: PendingBytecode, compiler: PyodideBytecodeCompiler): void {
    this.queue.push({ pending, compiler, epoch: this.epoch, superseded: false, cached: null, done: false });
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

  /**
   * Commits now, whether or not a command holds the queue, every queued wheel whose bytecode the
   * cache holds (what is left to compile waits for idle time, as before). Called by commands
   * that run Python, before they start: see the header.
   */
  async settle(): Promise<void> {
    for (const job of [...this.queue]) {
      if (job.done || job.superseded) continue;
      try {
        const commit = await this.cachedCommit(job);
        if (commit) this.commit(job, commit);
      } catch (error) {
        // Left without bytecode, as the idle loop leaves it (pip's compileall is quiet too); the command goes on.
        this.lastProblem = error;
      }
    }
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
          if (job.done) {
            // Committed by settle() meanwhile.
          } else if (!job.superseded && this.stillInstalled(job.pending)) await this.compileAndCommit(job);
          else {
            job.done = true;
            this.counts.dropped++;
          }
        } catch (error) {
          // Ctrl+C at the prompt reached Python mid-slice: the wheel is compiled again from the start.
          if (error instanceof DOMException && error.name === 'AbortError' && !job.done) {
            await this.between();
            continue;
          }
          this.lastProblem = error;
        }
        this.queue.splice(this.queue.indexOf(job), 1);
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.start();
      else for (const done of this.drainWaiters.splice(0)) done();
    }
  }

  private async compileAndCommit(job: Job): Promise<void> {
    const cached = await this.cachedCommit(job);
    if (cached) {
      await this.idle();
      this.commit(job, cached);
      return;
    }
    if (job.done) return;
    const { pending, compiler } = job;
    const output = await compiler.compile(pending.wheel, pending.modules, undefined, { budgetMs: SLICE_MS, between: () => this.between() });
    const commit = await prepareBytecodeCommit(pending, output);
    await this.idle();
    this.commit(job, commit);
  }

  /**
   * The job's commit from the cache beside the wheel (every module's bytecode there, for this
   * interpreter), hashed for RECORD; null when the cache lacks any of it. Looked up once per job:
   * the idle loop and settle() share it.
   */
  private cachedCommit(job: Job): Promise<BytecodeCommit | null> {
    job.cached ??= (async () => {
      const output = await job.compiler.fromCache(job.pending.wheel, job.pending.modules);
      return output ? prepareBytecodeCommit(job.pending, output) : null;
    })();
    return job.cached;
  }

  /** Synchronous: no command can start between the check of RECORD and the last write. */
  private commit(job: Job, commit: BytecodeCommit): void {
    if (job.done) return;
    job.done = true;
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
  /** The cache's bytecode for the wheel, ready to commit (null inside: not all cached); looked up once. */
  cached: Promise<BytecodeCommit | null> | null;
  /** Committed or dropped: nothing more to do. */
  done: boolean;
}
