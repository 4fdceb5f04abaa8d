/**
 * The resolver's view of the host: a monotonic clock and a way to let the event loop run.
 *
 * Injected through ResolveOptions (tests drive time with a fake one); `hostScheduler` is the
 * default and the one place the resolver touches the host's timers. Its `yield` is a macrotask
 * (a microtask would not let a queued message in: Ctrl+C reaches the worker as a message):
 * `setImmediate` where there is one (Node), else a MessageChannel message, which unlike
 * `setTimeout(0)` is not clamped to 4 ms when repeated, else `setTimeout(0)`.
 */
export interface Scheduler {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves once the host has run the tasks queued before it. */
  yield(): Promise<void>;
}

interface Host {
  performance?: { now(): number };
  setImmediate?: (callback: () => void) => unknown;
  MessageChannel?: new () => { port1: MessagePortLike; port2: MessagePortLike };
  setTimeout(callback: () => void, ms: number): unknown;
}

interface MessagePortLike {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
  unref?(): void;
}

const host = globalThis as unknown as Host;

let channel: { port1: MessagePortLike; port2: MessagePortLike } | null = null;
const waiting: Array<() => void> = [];

function viaChannel(): Promise<void> {
  if (!channel) {
    channel = new (host.MessageChannel as NonNullable<Host['MessageChannel']>)();
    channel.port1.onmessage = () => waiting.shift()?.();
    channel.port1.unref?.();
  }
  const port = channel.port2;
  return new Promise((done) => {
    waiting.push(done);
    port.postMessage(null);
  });
}

export const hostScheduler: Scheduler = {
  now: host.performance ? () => (host.performance as { now(): number }).now() : () => Date.now(),
  yield: host.setImmediate
    ? () => new Promise((done) => (host.setImmediate as (callback: () => void) => unknown)(done))
    : host.MessageChannel
      ? viaChannel
      : () => new Promise((done) => host.setTimeout(done, 0)),
};
