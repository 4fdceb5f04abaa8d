// The moment the playground has started, for what should wait until the boot is over:
// <pipette-app> dispatches it on the document once the prompt is shown, or once Python failed to
// start. src/main.ts registers the service worker then, so its precache (the app and Pyodide,
// 15 MB) does not compete with a first visit's boot for the network and the CPU.

const APP_STARTED = 'pipette-app-started';

/** Called once by <pipette-app>. */
export function announceAppStarted(): void {
  document.dispatchEvent(new Event(APP_STARTED));
}

/** Resolves once <pipette-app> has started (it never resolves on a page without one). */
export function appStarted(): Promise<void> {
  return new Promise((resolve) => document.addEventListener(APP_STARTED, () => resolve(), { once: true }));
}
