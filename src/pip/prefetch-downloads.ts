/**
 * Wheel downloads that start while the resolver is still working: as soon as it decides a
 * project's version, that version's file is fetched (and staged: hashed and opened in memory,
 * ready for the install plan), so on a real connection the bytes flow during the round trips
 * the resolution still waits on, as micropip and uv do. Nothing here writes to an environment:
 * the install plan is applied, all or nothing, only once the resolution is complete.
 *
 * - A version the resolver only expects (`likely`: a pending package's page is here and it is
 *   what the solver would choose) starts downloading too, behind every decided one: the solver
 *   reaches a package several round trips after its page, and the link would idle
 *   meanwhile. It is cancelled when its package is decided at another version, when another
 *   version becomes the likely one, or when the resolution ends without the install taking it;
 *   in a resolution without conflicts, the likely version is the decided one and no byte is spent
 *   that would not have been.
 * - A decision that backtracking discards has its download cancelled (its AbortSignal), unless
 *   the same file is decided again before the host's next task: PubGrub often backjumps and
 *   re-decides the same version in one synchronous run, and that must not cost a new download.
 * - At most so many downloads at once per host (`limits`), so the resolver's own page and
 *   metadata requests keep connections of their own where connections are few (a browser opens
 *   6 per HTTP/1.1 host); the rest queue, the largest first (the bandwidth is what limits: the
 *   longest transfer should start first), a likely one as a decided one: without conflicts it is
 *   the decided one, and holding a large wheel back until its decision made it the last to end.
 * - One download per file URL, however often it is decided.
 * - The failure of a download nobody wants any more is no error; one the install takes that
 *   failed while read ahead is tried once more then (as it would have been started then), and
 *   a failure after that is the install's error.
 *
 * Pure of the DOM: the fetch and the staging are injected; `defer` is the host's next task.
 */
import type { DistributionFile } from '../pep';
import type { DecisionListener } from '../resolver';
import type { NormalizedName, Version } from '../pep';

export interface PrefetchOptions<S> {
  /** Reads a file (the run's source: cache first, verified against the index's digest). */
  readonly fetch: (file: DistributionFile, signal: AbortSignal) => Promise<Uint8Array>;
  /** Whether a decided file is worth reading ahead (not installed already, not a source to build...). */
  readonly wants: (name: NormalizedName, version: Version, file: DistributionFile) => boolean;
  /** Work on the bytes once read (stageWheel); its result is handed out with them. */
  readonly stage?: (file: DistributionFile, bytes: Uint8Array) => S;
  /** Downloads at once per host while the resolver still makes requests of its own (default 3: the other 3 of a host's 6 connections stay the resolver's). */
  readonly concurrency?: number;
  /** Downloads at once per host once the resolution is over (settle(); default 6, a browser's connections per HTTP/1.1 host). */
  readonly concurrencyAfter?: number;
  /** The limits of a host (an origin, `https://files.example`), when they differ from host to host (default: the two above). */
  readonly limits?: (origin: string) => HostLimits;
  /** The run's Ctrl+C: everything stops with it. */
  readonly signal?: AbortSignal;
  /** Runs `task` on the host's next turn (default setTimeout 0). */
  readonly defer?: (task: () => void) => void;
}

/** Downloads at once from one host: while the resolver still makes requests of its own, and after. */
export interface HostLimits {
  readonly resolving: number;
  readonly settled: number;
}

/** A file read ahead: its bytes, and what staging made of them. */
export interface Prefetched<S> {
  readonly bytes: Uint8Array;
  readonly staged: S | null;
}

type State = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

interface Entry<S> {
  readonly file: DistributionFile;
  /** The host it is downloaded from (`limits` are per host). */
  readonly host: string;
  readonly controller: AbortController;
  state: State;
  /** Decisions holding it (0: discarded, cancelled on the next turn unless decided again). */
  holders: number;
  /** Taken by the install: never cancelled from then on. */
  taken: boolean;
  /** Started on a decision, before the install asked for it (see take()). */
  readonly speculative: boolean;
  /** What take() hands out, once. */
  handed: Promise<Prefetched<S>> | null;
  readonly result: Promise<Prefetched<S>>;
  start: () => void;
}

export interface PrefetchStats {
  /** Downloads started (a file decided again while running or done is not counted twice). */
  readonly started: number;
  readonly cancelled: number;
  /** Most downloads running at once. */
  readonly peak: number;
  /** Downloads started on a likely version, before its decision. */
  readonly likely: number;
}

export class PrefetchDownloads<S = never> implements DecisionListener {
  private readonly entries = new Map<string, Entry<S>>();
  private readonly queue: Entry<S>[] = [];
  /** Whether the resolution is over (settle()): the hosts' `settled` limits apply. */
  private settled = false;
  private readonly defer: (task: () => void) => void;
  private running = 0;
  private readonly runningOn = new Map<string, number>();
  private closed = false;
  private counts = { started: 0, cancelled: 0, peak: 0, likely: 0 };
  /** Per project: the entry started on its likely version, until the project is decided. */
  private readonly expected = new Map<NormalizedName, Entry<S>>();
  /** Per project: the file of its current decision (told, not discarded since). */
  private readonly current = new Map<NormalizedName, string>();
  private readonly onAbort = (): void => this.close();

  constructor(private readonly options: PrefetchOptions<S>) {
    this.defer = options.defer ?? ((task) => void setTimeout(task, 0));
    options.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  get stats(): PrefetchStats {
    return { ...this.counts };
  }

  decided(name: NormalizedName, version: Version, file: DistributionFile): void {
    this.current.set(name, file.url);
    this.unexpect(name, file);
    if (this.closed || !this.options.wants(name, version, file)) return;
    const entry = this.entries.get(file.url) ?? this.add(file, true);
    entry.holders++;
    this.pump();
  }

  likely(name: NormalizedName, version: Version, file: DistributionFile): void {
    if (this.closed || this.current.has(name) || !this.options.wants(name, version, file)) return;
    this.unexpect(name, file);
    let entry = this.entries.get(file.url);
    if (!entry) {
      entry = this.add(file, true);
      this.counts.likely++;
    }
    this.expected.set(name, entry);
    this.pump();
  }

  /** `name`'s likely download, unless it is `file`'s, is no longer expected: cancelled unless decided or taken. */
  private unexpect(name: NormalizedName, file: DistributionFile): void {
    const before = this.expected.get(name);
    if (!before) return;
    this.expected.delete(name);
    if (before.file.url !== file.url) this.dropIfUnheld(before);
  }

  discarded(name: NormalizedName, _version: Version, file: DistributionFile): void {
    if (this.current.get(name) === file.url) this.current.delete(name);
    const entry = this.entries.get(file.url);
    if (!entry || entry.holders === 0) return;
    entry.holders--;
    if (entry.holders === 0) this.defer(() => this.dropIfUnheld(entry));
  }

  /**
   * The file, read ahead or (when it never was, or its download was cancelled) read now; from
   * here on it is the install's and is never cancelled by the scheduler (the run's signal still
   * stops it).
   */
  take(file: DistributionFile): Promise<Prefetched<S>> {
    let entry = this.entries.get(file.url);
    if (!entry || entry.state === 'cancelled') {
      if (this.closed) throw new Error('PrefetchDownloads: take() after close()');
      entry = this.add(file, false);
    }
    if (!entry.handed) {
      entry.taken = true;
      // A download started ahead that failed is tried once more, with its full retries, as it
      // would have been had it been started only now: reading ahead never makes an install fail
      // where it would not have.
      entry.handed = entry.speculative ? entry.result.catch((error: unknown) => this.again(file, error)) : entry.result;
    }
    this.pump();
    return entry.handed;
  }

  private again(file: DistributionFile, error: unknown): Promise<Prefetched<S>> {
    if (this.closed || this.options.signal?.aborted) throw error;
    const fresh = this.add(file, false);
    fresh.taken = true;
    fresh.handed = fresh.result;
    this.pump();
    return fresh.result;
  }

  /** What was read ahead for `file` (taken or not), without starting anything; null when nothing. */
  peek(file: DistributionFile): Promise<Prefetched<S>> | null {
    const entry = this.entries.get(file.url);
    return entry ? (entry.handed ?? entry.result) : null;
  }

  /** The resolution is over: every download the install did not take is cancelled. */
  settle(): void {
    this.settled = true;
    for (const entry of this.entries.values()) if (!entry.taken) this.cancel(entry);
    this.pump();
  }

  /** Cancels everything still running (the install failed, was cancelled, or is done). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.signal?.removeEventListener('abort', this.onAbort);
    for (const entry of this.entries.values()) this.cancel(entry, true);
  }

  private add(file: DistributionFile, speculative: boolean): Entry<S> {
    const controller = new AbortController();
    let start!: () => void;
    const started = new Promise<void>((resolve) => (start = resolve));
    const entry: Entry<S> = {
      file,
      host: hostOf(file.url),
      controller,
      state: 'queued',
      holders: 0,
      taken: false,
      speculative,
      handed: null,
      start,
      result: started.then(async () => {
        controller.signal.throwIfAborted();
        const bytes = await this.options.fetch(file, controller.signal);
        return { bytes, staged: this.options.stage ? this.options.stage(file, bytes) : null };
      }),
    };
    entry.result.then(
      () => this.finish(entry, 'done'),
      () => this.finish(entry, 'failed'),
    );
    this.entries.set(file.url, entry);
    this.queue.push(entry);
    return entry;
  }

  private finish(entry: Entry<S>, state: 'done' | 'failed'): void {
    if (entry.state === 'running') this.stopped(entry);
    if (entry.state !== 'cancelled') entry.state = state;
    this.pump();
  }

  private pump(): void {
    while (!this.closed) {
      const i = this.next();
      if (i < 0) return;
      const entry = this.queue.splice(i, 1)[0]!;
      if (entry.state !== 'queued') continue;
      entry.state = 'running';
      this.running++;
      this.runningOn.set(entry.host, (this.runningOn.get(entry.host) ?? 0) + 1);
      this.counts.started++;
      this.counts.peak = Math.max(this.counts.peak, this.running);
      entry.start();
    }
  }

  /**
   * Which queued download goes next: one the install waits on before one it may not take, then
   * the largest (the index's declared size), likely or decided: the link is what limits, and the
   * longest transfer started first ends the last one soonest (LPT); then the order they came in.
   */
  private next(): number {
    let best = -1;
    for (let i = 0; i < this.queue.length; i++) {
      const a = this.queue[i]!;
      if (!this.hasRoom(a.host)) continue;
      const b = best < 0 ? null : this.queue[best]!;
      const before = b === null || (a.taken !== b.taken ? a.taken : (a.file.size ?? 0) > (b.file.size ?? 0));
      if (before) best = i;
    }
    return best;
  }

  /** Whether `host` may start one more download now. */
  private hasRoom(host: string): boolean {
    const o = this.options;
    const limits = o.limits?.(host) ?? { resolving: o.concurrency ?? 3, settled: o.concurrencyAfter ?? 6 };
    const limit = Math.max(1, this.settled ? Math.max(limits.settled, limits.resolving) : limits.resolving);
    return (this.runningOn.get(host) ?? 0) < limit;
  }

  private stopped(entry: Entry<S>): void {
    this.running--;
    this.runningOn.set(entry.host, (this.runningOn.get(entry.host) ?? 1) - 1);
  }

  private dropIfUnheld(entry: Entry<S>): void {
    if (entry.holders === 0 && !entry.taken) this.cancel(entry);
  }

  private cancel(entry: Entry<S>, evenTaken = false): void {
    if ((entry.taken && !evenTaken) || entry.state === 'done' || entry.state === 'failed' || entry.state === 'cancelled') return;
    const wasRunning = entry.state === 'running';
    entry.state = 'cancelled';
    this.counts.cancelled++;
    if (wasRunning) this.stopped(entry);
    else {
      const i = this.queue.indexOf(entry);
      if (i >= 0) this.queue.splice(i, 1);
      // Never started: settle its promise so nothing waits on it for ever.
      entry.start();
    }
    entry.controller.abort(new DOMException('The download is no longer needed', 'AbortError'));
    if (this.entries.get(entry.file.url) === entry) this.entries.delete(entry.file.url);
    this.pump();
  }
}

/** The origin of `url` (scheme, host and port: what a browser keeps connections per); '' when it has none. */
function hostOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
