/**
 * The order in which a plan's wheels can be written while their downloads still run: the
 * earliest (in the plan's order) of those whose bytes are in, each once. The first download
 * that fails ends it: `next()` then rejects with that failure, even if other wheels are ready,
 * so the apply stops and rolls back at once instead of writing more it will have to undo; so
 * does the run's signal (Ctrl+C), even while a download has not yet noticed it.
 */
export class Arrivals<T> {
  private readonly values: (T | undefined)[];
  private readonly arrived: boolean[];
  private readonly taken: boolean[];
  private failure: { readonly error: unknown } | null = null;
  private wake: (() => void) | null = null;

  constructor(promises: readonly Promise<T>[], signal?: AbortSignal) {
    this.values = promises.map(() => undefined);
    this.arrived = promises.map(() => false);
    this.taken = promises.map(() => false);
    signal?.addEventListener(
      'abort',
      () => {
        this.failure ??= { error: signal.reason };
        this.notify();
      },
      { once: true },
    );
    if (signal?.aborted) this.failure = { error: signal.reason };
    promises.forEach((promise, i) => {
      promise.then(
        (value) => {
          this.values[i] = value;
          this.arrived[i] = true;
          this.notify();
        },
        (error: unknown) => {
          this.failure ??= { error };
          this.notify();
        },
      );
    });
  }

  /** The index of the earliest arrived, untaken value, with it (waits for one); rejects with the first failure. */
  async next(): Promise<{ readonly index: number; readonly value: T }> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const index = this.arrived.findIndex((a, i) => a && !this.taken[i]);
      if (index >= 0) {
        this.taken[index] = true;
        return { index, value: this.values[index]! };
      }
      if (this.taken.every(Boolean)) throw new Error('Arrivals.next(): every value was taken');
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}

/** `promise`, or the signal's reason as soon as it is aborted (a download that has not noticed yet). */
export function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', abort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(error);
      },
    );
  });
}
