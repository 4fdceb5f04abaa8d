/**
 * The headers that make the page cross-origin isolated (`crossOriginIsolated === true`), which
 * the playground needs for memory shared with the runtime worker: Ctrl+C reaching running
 * Python (Pyodide's interrupt buffer) and `input()` waiting for the terminal. The servers send
 * them (vite.config.ts `server.headers` / `preview.headers`); a response the service worker
 * serves from its cache must carry them too, or the page loses isolation exactly when offline.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Statuses whose responses have no body (Fetch standard, "null body status"). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/** True when `response` already carries every isolation header with its value. */
export function hasIsolationHeaders(response: Response): boolean {
  return Object.entries(ISOLATION_HEADERS).every(([name, value]) => response.headers.get(name) === value);
}

/**
 * `response` with the isolation headers: itself when it has them already (the usual case: the
 * server sent them when the file was precached), else a new Response with them set and its other
 * headers kept. Returning the cached Response itself matters for speed: Chromium keeps compiled
 * WebAssembly and JavaScript for Cache Storage entries, and a rebuilt Response loses that link
 * (the 9.6 MB pyodide.asm.wasm is compiled again on every load). A `redirected` one is rebuilt
 * anyway: the browser refuses it as the answer to a navigation. Opaque responses (status 0)
 * cannot be rebuilt and are returned as they are.
 */
export function withIsolationHeaders(response: Response): Response {
  if (response.status === 0 || (hasIsolationHeaders(response) && !response.redirected)) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  const body = NULL_BODY_STATUSES.has(response.status) ? null : response.body;
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}
