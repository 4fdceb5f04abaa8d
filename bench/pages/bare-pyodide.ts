// The baseline of bench/playground.bench.ts: the bundled Pyodide loaded from the same server
// (`<base>pyodide/`, as the runtime worker loads it) on a page with nothing else. Times are
// performance.now(), i.e. milliseconds since the navigation started.
import { loadPyodide } from 'pyodide';

// Boot trace: when Pyodide's module is instantiated (its loader streams pyodide.asm.wasm through
// instantiateStreaming in a browser), the milestone the worker marks as `wasm-from-page`, so the
// two columns show whether a gap opens before or after it.
const instantiateStreaming = WebAssembly.instantiateStreaming.bind(WebAssembly);
WebAssembly.instantiateStreaming = async (source, imports) => {
  const result = await instantiateStreaming(source, imports);
  performance.mark('pipette:bare-instantiated');
  return result;
};

const started = performance.now();
const pyodide = await loadPyodide({ indexURL: new URL(`${import.meta.env.BASE_URL}pyodide/`, location.origin).href });
const ready = performance.now();
const result = { started, ready, version: pyodide.version };
Object.assign(window, { pipetteBench: result });
document.getElementById('status')!.textContent = `Pyodide ${result.version} ready ${Math.round(ready)} ms after navigation (loadPyodide: ${Math.round(ready - started)} ms).`;
