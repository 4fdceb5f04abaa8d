/**
 * What a build's service worker precaches: every file the build emitted (the app's chunks,
 * index.html, the public files and the bundled Pyodide under `pyodide/`), as paths relative to
 * the service worker's scope, and the cache they go in. The cache name carries a hash of the
 * build's files, so a new build fills a new cache and the old one is deleted once the new
 * worker activates; a build that changed nothing keeps its cache.
 */
export interface PrecacheManifest {
  /** `pipette-app-<build hash>`. */
  readonly cacheName: string;
  /** Paths relative to the scope, e.g. `index.html`, `assets/index-KNy58WZo.js`, `pyodide/pyodide.asm.wasm`. */
  readonly files: readonly string[];
}

/** What the build plugin (vite.config.ts, pipette:service-worker) tells the service worker. */
export interface BuildFiles {
  /** Hex digest over every emitted file's path and contents. */
  readonly hash: string;
  /** Every emitted file and public file, relative to the base URL. */
  readonly files: readonly string[];
}

/** Every Pipette precache starts with this; caches with it and another hash are old builds'. */
export const CACHE_PREFIX = 'pipette-app-';

/** The file navigations to the scope itself (`/`, `/?index-url=...`) are answered with. */
export const APP_SHELL = 'index.html';

export function cacheNameFor(buildHash: string): string {
  return `${CACHE_PREFIX}${buildHash}`;
}

/** The precache of a build: its files less the ones not worth keeping, in a cache named after it. */
export function precacheManifest(build: BuildFiles): PrecacheManifest {
  return { cacheName: cacheNameFor(build.hash), files: build.files.filter(isPrecacheable) };
}

/** Caches a worker with `current` should delete when it activates: older builds' precaches. */
export function staleCaches(names: readonly string[], current: string): string[] {
  return names.filter((n) => n.startsWith(CACHE_PREFIX) && n !== current);
}

/** Files not worth precaching: source maps (devtools fetch them on demand) and the worker itself. */
export function isPrecacheable(path: string): boolean {
  return !path.endsWith('.map') && path !== SERVICE_WORKER_FILE;
}

/** Where the build puts the service worker, relative to the base URL (its scope). */
export const SERVICE_WORKER_FILE = 'sw.js';
