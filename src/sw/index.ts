// Offline support: the page-side registration; the service worker itself (service-worker.ts) is
// a separate build entry (vite.config.ts, pipette:service-worker) and is not exported here.
export { registerServiceWorker, unregisterServiceWorkers, type RegistrationOutcome } from './register';
export { ISOLATION_HEADERS, hasIsolationHeaders, withIsolationHeaders } from './isolation';
export { APP_SHELL, CACHE_PREFIX, SERVICE_WORKER_FILE, cacheNameFor, isPrecacheable, precacheManifest, staleCaches, type BuildFiles, type PrecacheManifest } from './manifest';
export { routeRequest, type Route, type RoutedRequest } from './routing';
