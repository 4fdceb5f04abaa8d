import type { PyodideConfig } from 'pyodide';

// Booting Pyodide from a `WebAssembly.Module` of pyodide.asm.wasm compiled elsewhere: the page
// compiles it on its main thread (pyodide-wasm.ts) and hands it to the runtime worker, because
// Chromium gives a dedicated worker no compiled-code cache for a file from the HTTP cache, while
// the page gets one on its first reload (bench/playground.bench.ts: a worker recompiles the
// 9.6 MB module on every load until the service worker's copy has its own cache).
//
// The hook is the loader's `createPyodideModule` option (the factory of pyodide.asm.mjs, which
// loadPyodide otherwise imports itself): the settings it is called with carry Emscripten's
// `instantiateWasm`, which Pyodide sets to fetch and compile pyodide.asm.wasm; ours instantiates
// the given module instead, and leaves the work to Pyodide's when there is none.

type CreatePyodideModule = NonNullable<PyodideConfig['createPyodideModule']>;
type EmscriptenSettings = Parameters<CreatePyodideModule>[0];
type InstantiateWasm = NonNullable<EmscriptenSettings['instantiateWasm']>;
type WasmImports = Parameters<InstantiateWasm>[0];

/** Where the instance came from: the module given, or Pyodide's own fetch and compile. */
export type WasmSource = 'given' | 'own';

export interface CompiledModuleOptions {
  /** URL of pyodide.asm.mjs (beside pyodide.asm.wasm under the indexURL). */
  readonly factoryURL: string;
  /** The module, or null when there is none (the page could not compile it): Pyodide compiles its own. */
  readonly compiled: Promise<WebAssembly.Module | null>;
  /** Told once, when the instance exists. */
  readonly onInstantiated?: (source: WasmSource) => void;
}

/**
 * A `createPyodideModule` for loadPyodide that instantiates `compiled` when it resolves to a
 * module, and falls back to Pyodide's own instantiation when it resolves to null or the module
 * does not link (a page and worker from different builds, say).
 */
export function fromCompiledModule(options: CompiledModuleOptions): CreatePyodideModule {
  return async (settings) => {
    const factory = ((await import(/* @vite-ignore */ options.factoryURL)) as { default: CreatePyodideModule }).default;
    const own = settings.instantiateWasm;
    // Pyodide leaves instantiateWasm unset in its source-map and sanitizer builds (Emscripten's
    // own instantiation then); nothing to replace there.
    if (!own) return factory(settings);
    const instantiateWasm: InstantiateWasm = (imports, success) => {
      void instantiate(options, own, imports, success);
      return {}; // Emscripten: instantiating asynchronously, no exports yet.
    };
    // A copy: the loader keeps reading its own settings object (exitCode is set through a
    // closure over it), and Emscripten makes the object it is given the module.
    return factory({ ...settings, instantiateWasm });
  };
}

async function instantiate(options: CompiledModuleOptions, own: InstantiateWasm, imports: WasmImports, success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void): Promise<void> {
  const module = await options.compiled.catch(() => null);
  if (module) {
    try {
      // The two imports Pyodide's own instantiateWasm adds to Emscripten's (its jsverror.ts);
      // the rest of `imports` is Emscripten's.
      Object.assign((imports as { env: Record<string, unknown> }).env, await jsvErrorImports());
      const instance = await WebAssembly.instantiate(module, imports);
      options.onInstantiated?.('given');
      success(instance, module);
      return;
    } catch {
      // Not this build's module (a LinkError): Pyodide's own, below, fetches and compiles it.
    }
  }
  own(imports, (instance, compiledHere) => {
    options.onInstantiated?.('own');
    success(instance, compiledHere);
  });
}

/** What pyodide.asm.wasm imports as `env.Jsv_GetError_import` and `env.JsvError_Check`. */
interface JsvErrorImports {
  readonly Jsv_GetError_import: () => unknown;
  readonly JsvError_Check: (value: unknown) => boolean;
}

/**
 * Pyodide's jsverror module (src/core/jsverror.ts in pyodide/pyodide), byte for byte: the marker a
 * JavaScript call that threw returns to C, and the test for it, as WebAssembly so the test (made
 * after every call into JavaScript) is a call from WebAssembly to WebAssembly:
 *
 *   (module
 *     (type $error (struct))
 *     (func (export "Jsv_GetError_import") (result externref) (extern.convert_any (struct.new $error)))
 *     (func (export "JsvError_Check") (param externref) (result i32)
 *       (ref.test (ref $error) (any.convert_extern (local.get 0)))))
 *
 * Where WebAssembly GC is missing (a CompileError), and on iOS and iPadOS (whose WebKit breaks
 * that call: WebKit bug 293113), Pyodide's own fallback: a symbol and an identity test.
 */
const JSV_ERROR_WASM = 'AGFzbQEAAAABDANfAGAAAW9gAW8BfwMDAgECBygCE0pzdl9HZXRFcnJvcl9pbXBvcnQAAA5Kc3ZFcnJvcl9DaGVjawABChMCBwD7AQD7GwsJACAA+xr7FAAL';

async function jsvErrorImports(): Promise<JsvErrorImports> {
  const marker = Symbol('error marker');
  const fallback: JsvErrorImports = { Jsv_GetError_import: () => marker, JsvError_Check: (value) => value === marker };
  if (onIOS()) return fallback;
  try {
    const bytes = Uint8Array.from(atob(JSV_ERROR_WASM), (c) => c.charCodeAt(0));
    const { instance } = await WebAssembly.instantiate(bytes);
    return instance.exports as unknown as JsvErrorImports;
  } catch (e) {
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    return fallback;
  }
}

/** Pyodide's test (jsverror.ts): an iPhone, iPod or iPad, including iPads that say MacIntel. */
function onIOS(): boolean {
  const nav = globalThis.navigator as Navigator | undefined;
  if (!nav) return false;
  return /iPad|iPhone|iPod/.test(nav.userAgent) || (nav.platform === 'MacIntel' && nav.maxTouchPoints > 1);
}
