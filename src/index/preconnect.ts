/**
 * Opens the connections a `pip install` is about to need while the person is still typing it,
 * as a browser does for an address being typed: the handshakes to a host (TCP, then TLS: two
 * round trips before its first request; 200 ms and more on a phone) then overlap the typing,
 * not the wait after Enter. `<link rel=preconnect>` does nothing for a worker's requests, and
 * headless Chromium opened no connection for one even on the page.
 *
 * One HEAD request per host, `no-cors` (nothing is read from it; it needs no CORS answer), with
 * the credentials mode of the index's own requests, so the connection it leaves open is the one
 * they reuse. At most once a minute per host; a failure is ignored (the install reports its own).
 * Only hosts the install will contact anyway: the configured index, and the host a known index
 * serves its files from.
 */
import type { FetchFunction } from './fetcher';

/** Indexes whose files live on another host, known ahead (PyPI's pages link to this one). */
const FILE_HOSTS: Readonly<Record<string, string>> = {
  'https://pypi.org': 'https://files.pythonhosted.org/',
};

/**
 * HEAD requests sent at once to an `http:` host: HTTP/1.1 carries one request per connection,
 * and an install's first pages go out together (one per requirement), so several connections are
 * opened; over HTTP/2 (`https:`) one connection carries them all, and one request opens it.
 */
const HTTP1_CONNECTIONS = 3;

/** How long a warmed host is left alone (browsers keep an idle HTTP/2 connection for minutes). */
export const PRECONNECT_INTERVAL_MS = 60_000;

export class Preconnector {
  private readonly warmedAt = new Map<string, number>();

  constructor(
    private readonly fetch: FetchFunction,
    private readonly now: () => number = Date.now,
  ) {}

  /** Warms the hosts of `indexUrls` (and their known file hosts); returns the URLs asked. */
  warm(indexUrls: readonly string[]): string[] {
    const asked: string[] = [];
    for (const index of indexUrls) {
      let url: URL;
      try {
        url = new URL(index);
      } catch {
        continue;
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
      // A URL with credentials cannot be fetched as it is, and they are not needed to connect.
      url.username = '';
      url.password = '';
      url.hash = '';
      for (const target of [url.href, FILE_HOSTS[url.origin]]) {
        if (target === undefined) continue;
        const origin = new URL(target).origin;
        const last = this.warmedAt.get(origin);
        if (last !== undefined && this.now() - last < PRECONNECT_INTERVAL_MS) continue;
        this.warmedAt.set(origin, this.now());
        const connections = origin.startsWith('http:') ? HTTP1_CONNECTIONS : 1;
        for (let i = 0; i < connections; i++) {
          asked.push(target);
          try {
            this.fetch(target, { method: 'HEAD', mode: 'no-cors', cache: 'no-store' }).then(
              (response) => void response.body?.cancel(),
              () => undefined,
            );
          } catch {
            // A fetch that refuses the request outright (no `no-cors` outside browsers): nothing to warm.
          }
        }
      }
    }
    return asked;
  }
}
