import { APP_SHELL } from './manifest';

/** The parts of a fetch the service worker decides on. */
export interface RoutedRequest {
  readonly method: string;
  readonly url: string;
  /** `navigate` for a page load; anything else for subresources. */
  readonly mode: string;
}

/**
 * `precached`: answer from the precache (`key`, a path relative to the scope), falling back to
 * the network when it is missing. `pass`: don't answer; the browser fetches as if there were no
 * service worker.
 */
export type Route = { readonly kind: 'precached'; readonly key: string } | { readonly kind: 'pass' };

const PASS: Route = { kind: 'pass' };

/**
 * Which requests the service worker answers: GETs in its scope for files of the build, and
 * navigations to the scope itself, whatever their query (`/?index-url=...` is the same page).
 * Everything else passes through untouched, in particular package indexes and wheel hosts on
 * other origins and the dev wheelhouse under `/wheelhouse/`: the runtime's own IndexedDB cache
 * keeps those, with its freshness rules and sha256 checks.
 *
 * Ex) scope `http://h/`: `GET http://h/?index-url=x` (navigate) -> index.html;
 *     `GET http://h/pyodide/pyodide.asm.wasm` -> pyodide/pyodide.asm.wasm;
 *     `GET https://pypi.org/simple/six/` -> pass.
 */
export function routeRequest(request: RoutedRequest, scope: string, files: ReadonlySet<string>): Route {
  if (request.method !== 'GET') return PASS;
  const url = new URL(request.url);
  const base = new URL(scope);
  if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) return PASS;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname.slice(base.pathname.length));
  } catch {
    return PASS;
  }
  if (request.mode === 'navigate' && path === '') return { kind: 'precached', key: APP_SHELL };
  // Build files are fetched without a query; one with a query is something else (a dev URL,
  // a cache-buster) and goes to the network.
  if (url.search === '' && files.has(path)) return { kind: 'precached', key: path };
  return PASS;
}
