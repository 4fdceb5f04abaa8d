/**
 * Did a host answer at all? Asked after a browser's fetch failed with a bare "Failed to fetch",
 * which it says alike for no network, a host that did not answer and a host that answered
 * without Access-Control-Allow-Origin (CORS): the Fetch standard hides the difference from the
 * page, so the message cannot say which unless something else finds out.
 *
 * What finds out: a request in `no-cors` mode, which a CORS refusal does not stop (its answer is
 * an opaque response, status 0) while no answer still fails. The runtime worker is cross-origin
 * isolated (COEP `require-corp`), which blocks opaque answers from hosts without
 * Cross-Origin-Resource-Policy, so the request is made from a small worker of its own, served
 * by the dev and preview servers with COEP `credentialless` (src/cli/cors-probe.ts): no-cors
 * requests are sent there without credentials and their opaque answers allowed. Where that
 * worker is not served (a host that does not send its header), it fails to start and the
 * answer is `unknown`: the message then names both causes, as before.
 */

/** `answered`: the host sent a response (the failure was CORS); `no-answer`: nothing came back. */
export type Reachability = 'answered' | 'no-answer' | 'unknown';

export type ReachabilityProbe = (url: string, signal?: AbortSignal) => Promise<Reachability>;

/** Where the dev and preview servers serve the probe worker (src/cli/cors-probe.ts). */
export const CORS_PROBE_PATH = '__pipette/cors-probe.js';

/** How long the probe may take before its answer is `unknown`. */
const PROBE_TIMEOUT_MS = 10_000;

export function isBrowserLike(): boolean {
  return 'document' in globalThis || 'WorkerGlobalScope' in globalThis;
}

/** True when the browser knows it has no network (`navigator.onLine`); false elsewhere. */
export function isOffline(): boolean {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  return nav?.onLine === false;
}

let shared: ReachabilityProbe | null = null;

/** The probe worker, started on first use and shared by every Fetcher of the page or worker. */
export function browserProbe(): ReachabilityProbe {
  return (shared ??= workerProbe(probeUrl()));
}

/** The probe worker's URL: beside the app (Vite's BASE_URL, else the origin's root). */
function probeUrl(): string {
  const meta = import.meta as ImportMeta & { env?: { BASE_URL?: unknown } };
  const base = typeof meta.env?.BASE_URL === 'string' ? meta.env.BASE_URL : '/';
  return new URL(`${base}${CORS_PROBE_PATH}`, (globalThis as { location?: { href: string } }).location?.href ?? 'http://localhost/').href;
}

/**
 * A probe over a Worker at `url` that answers `{ id, verdict }` to `{ id, url }`. When the
 * worker cannot start, every answer is `unknown`.
 */
export function workerProbe(url: string): ReachabilityProbe {
  const WorkerClass = (globalThis as { Worker?: typeof Worker }).Worker;
  let worker: Worker | null = null;
  let broken = WorkerClass === undefined;
  let next = 0;
  const pending = new Map<number, (verdict: Reachability) => void>();
  const start = (): Worker | null => {
    if (worker || broken || !WorkerClass) return worker;
    try {
      worker = new WorkerClass(url);
    } catch {
      broken = true;
      return null;
    }
    worker.onmessage = (event: MessageEvent<{ id?: unknown; verdict?: unknown }>) => {
      const { id, verdict } = event.data ?? {};
      const done = typeof id === 'number' ? pending.get(id) : undefined;
      if (!done) return;
      pending.delete(id as number);
      done(verdict === 'answered' || verdict === 'no-answer' ? verdict : 'unknown');
    };
    worker.onerror = () => {
      // Not served, or refused by the page's policies: it never will be.
      broken = true;
      for (const done of pending.values()) done('unknown');
      pending.clear();
    };
    return worker;
  };
  return (target, signal) =>
    new Promise<Reachability>((resolve) => {
      const w = start();
      if (!w) return resolve('unknown');
      const id = next++;
      const finish = (verdict: Reachability): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        pending.delete(id);
        resolve(verdict);
      };
      const onAbort = (): void => finish('unknown');
      const timer = setTimeout(() => finish('unknown'), PROBE_TIMEOUT_MS);
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.set(id, finish);
      w.postMessage({ id, url: target });
    });
}
