// Imported first by ui/index.ts, so first of the page's modules: the runtime worker starts (and
// with it loadPyodide, most of a boot) before the components' modules (Lit, xterm.js,
// CodeMirror) are evaluated, defined and drawn; <pipette-app> takes the same worker
// (startRuntime gives one per page).
import { startRuntime } from '../runtime';

startRuntime();
// Boot trace (bench/playground.bench.ts).
performance.mark('pipette:worker-started');
