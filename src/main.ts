// The page's entry point: registers the components; <pipette-app> in index.html does the rest.
import { appStarted } from './ui';
import { registerServiceWorker, unregisterServiceWorkers } from './sw';

// Boot trace (bench/playground.bench.ts): the page's entry is evaluated (the components' chunk
// follows: ui/index.ts).
performance.mark('pipette:page-script');

// Offline support (src/sw) in production builds only (`npm run build`, `npm run preview`, a
// deployment). Under `npm start` the dev server rewrites modules on every edit (HMR) and a
// cache-first service worker would answer with stale ones, so there is none; one left on this
// origin by a preview build is removed. Registered once the playground has started (the prompt
// shown, or Python failed to start: ui/app-started.ts), so precaching the app and Pyodide does
// not compete with the first boot for the network and the CPU.
const container = 'serviceWorker' in navigator ? navigator.serviceWorker : undefined;
if (import.meta.env.PROD) {
  void appStarted().then(() => registerServiceWorker(container, import.meta.env.BASE_URL));
} else {
  void unregisterServiceWorkers(container);
}
