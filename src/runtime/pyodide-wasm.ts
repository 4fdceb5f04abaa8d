// Where the bundled Pyodide is served, and the page's compile of its WebAssembly.
//
// The page compiles pyodide.asm.wasm on its main thread and hands the module to the runtime
// worker (compiled-module.ts), because there Chromium keeps compiled code: a page's
// `WebAssembly.compileStreaming` of a file from the HTTP cache reuses the code compiled on the
// visit before, while a dedicated worker's compiles it again (bench/playground.bench.ts). A
// `WebAssembly.Module` can be posted to a dedicated worker of the same page.

/** Pyodide's files, under the app's base URL (vite.config.ts, pipette:pyodide-assets). */
export function pyodideIndexURL(origin: string): string {
  return new URL(`${import.meta.env.BASE_URL}pyodide/`, origin).href;
}

/** The WebAssembly of the interpreter, beside its loader under the indexURL. */
export const PYODIDE_WASM = 'pyodide.asm.wasm';

/**
 * Compiles `<indexURL>pyodide.asm.wasm` as it streams in; null when this browser can't
 * (no streaming compile, a failed fetch, a policy without 'wasm-unsafe-eval'): the worker then
 * compiles its own, as it would without the page.
 */
export async function compilePyodideWasm(indexURL: string): Promise<WebAssembly.Module | null> {
  if (typeof WebAssembly === 'undefined' || typeof WebAssembly.compileStreaming !== 'function') return null;
  try {
    return await WebAssembly.compileStreaming(fetch(new URL(PYODIDE_WASM, indexURL)));
  } catch {
    return null;
  }
}
