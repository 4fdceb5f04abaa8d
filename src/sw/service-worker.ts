/// <reference lib="webworker" />
/**
 * The service worker of a production build (vite.config.ts builds this file into `sw.js` with the
 * build's manifest; src/main.ts registers it). It precaches the app and the bundled Pyodide when
 * it installs, so a second visit boots without a network; with the runtime's wheel cache in
 * IndexedDB, `pip install` of what was installed before works offline too.
 *
 * - Install: fetch every file of the build into a cache named after the build's hash.
 *   `skipWaiting`, so the next load after a new build runs the new build (a page already open
 *   keeps what it loaded).
 * - Activate: delete older builds' caches.
 * - Fetch: build files and navigations to the app are answered cache-first (the app shell
 *   model: index.html and the files it names always come from the same build), every response
 *   with the COOP/COEP headers (rebuilt when it lacks them) so the page stays cross-origin
 *   isolated offline.
 *   Everything else (package indexes, wheels, the wheelhouse) passes through untouched.
 */
import { withIsolationHeaders } from './isolation';
import { precacheManifest, staleCaches, type BuildFiles, type PrecacheManifest } from './manifest';
import { routeRequest } from './routing';

// Replaced at build time by the pipette:service-worker plugin in vite.config.ts.
declare const __PIPETTE_BUILD__: BuildFiles;

const sw = self as unknown as ServiceWorkerGlobalScope;
const manifest: PrecacheManifest = precacheManifest(__PIPETTE_BUILD__);
const files: ReadonlySet<string> = new Set(manifest.files);
const scope = (): string => sw.registration.scope;

async function precache(): Promise<void> {
  const cache = await caches.open(manifest.cacheName);
  const cached = new Set((await cache.keys()).map((r) => r.url));
  await Promise.all(
    manifest.files.map(async (path) => {
      const url = new URL(path, scope()).href;
      if (cached.has(url)) return;
      // `no-cache`: revalidate with the server (ETag), so an HTTP-cached copy of an unhashed
      // file (index.html, pyodide/*) from an older build is not taken for this build's.
      const response = await fetch(url, { cache: 'no-cache' });
      if (!response.ok) throw new Error(`${url}: ${response.status} ${response.statusText}`);
      await cache.put(url, response);
    }),
  );
}

async function removeStaleCaches(): Promise<void> {
  for (const name of staleCaches(await caches.keys(), manifest.cacheName)) await caches.delete(name);
}

async function fromPrecache(request: Request, key: string): Promise<Response> {
  const cache = await caches.open(manifest.cacheName);
  const hit = await cache.match(new URL(key, scope()).href);
  if (hit) return withIsolationHeaders(hit);
  // Not there (install still running, or the browser evicted the cache): the network, with the
  // isolation headers added in case the server does not send them.
  return withIsolationHeaders(await fetch(request));
}

sw.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (event) => {
  event.waitUntil(removeStaleCaches());
});

sw.addEventListener('fetch', (event) => {
  const route = routeRequest(event.request, scope(), files);
  if (route.kind === 'pass') return;
  event.respondWith(fromPrecache(event.request, route.key));
});
