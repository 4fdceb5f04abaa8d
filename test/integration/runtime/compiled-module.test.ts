import { expect, test } from 'vitest';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootPyodide } from '../../../src/runtime/boot';
import { fromCompiledModule, type CompiledModuleBoot, type WasmSource } from '../../../src/runtime/compiled-module';

// The worker's boot from a module of pyodide.asm.wasm compiled elsewhere (the page's, in the
// browser; test/e2e/wasm-handoff.test.ts shows it there), here with Node's WebAssembly and the
// real Pyodide of node_modules.
const pyodideDir = resolve(import.meta.dirname, '../../../node_modules/pyodide');
const factoryURL = pathToFileURL(resolve(pyodideDir, 'pyodide.asm.mjs')).href;
const wasmURL = pathToFileURL(resolve(pyodideDir, 'pyodide.asm.wasm')).href;

/** Python that calls into JavaScript and catches what JavaScript threw (Pyodide's JsvError_Check path). */
const JS_ERROR_ROUND_TRIP = `
from js import JSON
from pyodide.ffi import JsException
try:
    JSON.parse("{")
    caught = "nothing"
except JsException as e:
    caught = type(e).__name__ + ": " + e.name
caught
`;

/** The handoff's hold over a fetch that records what reaches it (and answers 204). */
function recordingFetch(handoff: CompiledModuleBoot): { fetch: typeof globalThis.fetch; requested: string[] } {
  const requested: string[] = [];
  const network: typeof globalThis.fetch = async (input) => (requested.push(String(input)), new Response(null, { status: 204 }));
  return { fetch: handoff.holdingFetch(network), requested };
}

test("Pyodide boots from a module compiled elsewhere, instantiated with Pyodide's own imports (a JavaScript error still reaches Python as JsException)", async () => {
  const module = await WebAssembly.compile(await readFile(resolve(pyodideDir, 'pyodide.asm.wasm')));
  const told: WasmSource[] = [];
  const handoff = fromCompiledModule({ factoryURL, wasmURL, compiled: Promise.resolve(module), onInstantiated: (s) => told.push(s) });
  const py = await bootPyodide({ createPyodideModule: handoff.createPyodideModule });
  expect(told).toEqual(['given']);
  expect(py.runPython('import sys; sys.version_info[:2]').toJs()).toEqual([3, 14]);
  expect(py.runPython(JS_ERROR_ROUND_TRIP)).toBe('JsException: SyntaxError');
  // The loader's own request for pyodide.asm.wasm is never made; any other goes through.
  const { fetch, requested } = recordingFetch(handoff);
  expect((await fetch(wasmURL)).type).toBe('error');
  await fetch('https://example.test/other');
  expect(requested).toEqual(['https://example.test/other']);
}, 120_000);

test('without a module (null), or with one that does not link, Pyodide compiles its own and boots as without the hook', async () => {
  // A module importing `env.nope`, which Emscripten's imports lack: instantiating it is a LinkError.
  const foreign = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 2, 12, 1, 3, 0x65, 0x6e, 0x76, 4, 0x6e, 0x6f, 0x70, 0x65, 0, 0]);
  for (const compiled of [Promise.resolve(null), WebAssembly.compile(foreign)]) {
    const told: WasmSource[] = [];
    const handoff = fromCompiledModule({ factoryURL, wasmURL, compiled, onInstantiated: (s) => told.push(s) });
    // Held until Pyodide's own instantiation needs it, then made.
    const { fetch, requested } = recordingFetch(handoff);
    const held = fetch(wasmURL);
    const py = await bootPyodide({ createPyodideModule: handoff.createPyodideModule });
    await held;
    expect(requested).toEqual([wasmURL]);
    expect(told).toEqual(['own']);
    expect(py.runPython('1 + 1')).toBe(2);
    expect(py.runPython(JS_ERROR_ROUND_TRIP)).toBe('JsException: SyntaxError');
  }
}, 180_000);
