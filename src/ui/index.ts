// The runtime worker first (start-runtime.ts), then the components. The components (Lit,
// xterm.js, CodeMirror: nearly all of the page's script) come in a chunk of their own, imported
// from here: the page's entry chunk stays small, so the worker and the page's compile of
// pyodide.asm.wasm start as soon as it is in, instead of after the whole app is fetched and
// evaluated (bench/playground.bench.ts, boot trace); <pipette-app> is defined when it arrives.
import './start-runtime';

export type { PipetteApp } from './pipette-app';
export { appStarted } from './app-started';
void import('./pipette-app');
