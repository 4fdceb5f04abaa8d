/**
 * Small concurrency tools for the fetch layer, all cancellable with an AbortSignal.
 */

/** Resolve or reject with `promise`, or reject with the signal's reason as soon as it fires. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export const defaultSleep: (ms: number, signal?: AbortSignal) => Promise<void> = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Which queue a waiter stands in (Semaphore): a background one is a wheel downloaded ahead of
 * the install, a foreground one a page or metadata file the resolver waits on. Mutable: a
 * foreground caller that joins a queued background request promotes it.
 */
export interface SlotTicket {
  background: boolean;
}

/**
 * A counting semaphore whose waiters can be cancelled. A freed slot goes to the first
 * foreground waiter, except that one slot goes to a background waiter when no background
 * request holds one: the downlink is what an install waits on in the end, and a wheel that
 * waits out the resolver's burst of small requests leaves it idle meanwhile. So the resolver's
 * requests take every other slot first, and at most one background download runs beside
 * them unless slots are free (FIFO within each queue).
 */
export class Semaphore {
  private available: number;
  private readonly waiting: Array<{ readonly grant: () => void; readonly ticket: SlotTicket | undefined }> = [];
  /** Tickets holding a slot as background ones. */
  private readonly background = new Set<SlotTicket>();

  constructor(size: number) {
    this.available = Math.max(1, size);
  }

  acquire(signal: AbortSignal, ticket?: SlotTicket): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.available > 0) {
      this.available--;
      this.hold(ticket);
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter = {
        ticket,
        grant: (): void => {
          signal.removeEventListener('abort', onAbort);
          this.hold(ticket);
          resolve();
        },
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(waiter);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      this.waiting.push(waiter);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Gives back the slot `ticket` (the one acquire was given) holds. */
  release(ticket?: SlotTicket): void {
    if (ticket) this.background.delete(ticket);
    const foreground = this.waiting.findIndex((w) => !w.ticket?.background);
    const background = this.waiting.findIndex((w) => w.ticket?.background === true);
    const i = background >= 0 && (foreground < 0 || this.background.size === 0) ? background : foreground;
    const next = i >= 0 ? this.waiting.splice(i, 1)[0] : undefined;
    if (next) next.grant();
    else this.available++;
  }

  private hold(ticket: SlotTicket | undefined): void {
    if (ticket?.background) this.background.add(ticket);
  }
}
