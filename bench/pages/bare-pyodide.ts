// The baseline of bench/playground.bench.ts: the bundled Pyodide loaded from the same server
// (`<base>pyodide/`, as the runtime worker loads it) on a page with nothing else. Times are
// performance.now(), i.e. milliseconds since the navigation started.
import { loadPyodide } from 'pyodide';

const started = performance.now();
const pyodide = await loadPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, location.origin).href });
const ready = performance.now();
const result = { started, ready, version: pyodide.version };
Object.assign(window, { pipetteBench: result });
document.getElementById('status')!.textContent = `Pyodide ${result.version} ready ${Math.round(ready)} ms after navigation (loadPyodide: ${Math.round(ready - started)} ms).`;
