/**
 * The page's side of offline support: registering the build's service worker (src/sw/service-
 * worker.ts, built to `sw.js`), and removing one under the dev server.
 */
import { SERVICE_WORKER_FILE } from './manifest';

export type RegistrationOutcome =
  | { readonly kind: 'registered'; readonly scope: string }
  /** No service workers here: an insecure origin (plain http other than localhost), or a browser without them. */
  | { readonly kind: 'unsupported' }
  | { readonly kind: 'failed'; readonly message: string };

/**
 * Registers `<base>sw.js` with scope `<base>`. A classic script (the build makes it an IIFE), so
 * browsers without module service workers run it too.
 */
export async function registerServiceWorker(container: ServiceWorkerContainer | undefined, base: string): Promise<RegistrationOutcome> {
  if (!container) return { kind: 'unsupported' };
  try {
    const registration = await container.register(`${base}${SERVICE_WORKER_FILE}`, { scope: base });
    return { kind: 'registered', scope: registration.scope };
  } catch (e) {
    return { kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
}

/**
 * Unregisters every service worker of this origin; resolves to how many there were. The dev
 * server calls this: a worker left by a preview build on the same origin would answer the dev
 * server's navigations with the old build's cached page.
 */
export async function unregisterServiceWorkers(container: ServiceWorkerContainer | undefined): Promise<number> {
  if (!container) return 0;
  const registrations = await container.getRegistrations();
  await Promise.all(registrations.map((r) => r.unregister()));
  return registrations.length;
}
