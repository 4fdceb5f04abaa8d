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

export type CreatePyodideModule = NonNullable<PyodideConfig['createPyodideModule']>;
type EmscriptenSettings = Parameters<CreatePyodideModule>[0];
type InstantiateWasm = NonNullable<EmscriptenSettings['instantiateWasm']>;
type WasmImports = Parameters<InstantiateWasm>[0];
type Fetch = typeof globalThis.fetch;

/** Where the instance came from: the module given, or Pyodide's own fetch and compile. */
export type WasmSource = 'given' | 'own';

export interface CompiledModuleOptions {
  /** URL of pyodide.asm.mjs (beside pyodide.asm.wasm under the indexURL). */
  readonly factoryURL: string;
  /** URL of pyodide.asm.wasm as Pyodide's loader fetches it: `<indexURL>pyodide.asm.wasm`. */
  readonly wasmURL: string;
  /** The module, or null when there is none (the page could not compile it): Pyodide compiles its own. */
  readonly compiled: Promise<WebAssembly.Module | null>;
  /** Told once, when the instance exists. */
  readonly onInstantiated?: (source: WasmSource) => void;
}

export interface CompiledModuleBoot {
  /** For loadPyodide's `createPyodideModule` option. */
  readonly createPyodideModule: CreatePyodideModule;
  /**
   * `fetch` as Pyodide's loader should see it (the worker's global): the loader requests
   * pyodide.asm.wasm the moment loadPyodide starts, before anything asks whether it is needed;
   * that request waits here until it is known, and is never made when the given module is used
   * (it answers a network error nobody reads). Every other request goes straight through.
   */
  holdingFetch(fetch: Fetch): Fetch;
}

/**
 * Instantiates `compiled` when it resolves to a module, and falls back to Pyodide's own
 * instantiation (its fetch and compile) when it resolves to null or the module does not link
 * (a page and worker from different builds, say).
 */
export function fromCompiledModule(options: CompiledModuleOptions): CompiledModuleBoot {
  let decide: (source: WasmSource) => void = () => {};
  const decided = new Promise<WasmSource>((resolve) => (decide = resolve));
  const instantiated = (source: WasmSource): void => {
    decide(source);
    options.onInstantiated?.(source);
  };
  // Imported at once, not when loadPyodide asks for the factory: a boot from a memory snapshot
  // (interpreter-snapshot.ts) asks only once the snapshot is read, and the import would wait
  // behind it. A failed import fails the boot when the factory is asked for, as before.
  const factoryImport = import(/* @vite-ignore */ options.factoryURL) as Promise<{ default: CreatePyodideModule }>;
  factoryImport.catch(() => {});
  return {
    async createPyodideModule(settings) {
      const factory = (await factoryImport).default;
      const own = settings.instantiateWasm;
      // Pyodide leaves instantiateWasm unset in its source-map and sanitizer builds (Emscripten's
      // own instantiation then, which fetches for itself); nothing to replace there.
      if (!own) {
        decide('own');
        return factory(settings);
      }
      const instantiateWasm: InstantiateWasm = (imports, success) => {
        void instantiate(options.compiled, own, imports, success, instantiated, decide);
        return {}; // Emscripten: instantiating asynchronously, no exports yet.
      };
      // A copy: the loader keeps reading its own settings object (exitCode is set through a
      // closure over it), and Emscripten makes the object it is given the module.
      return factory({ ...settings, instantiateWasm });
    },
    holdingFetch(fetch) {
      return (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (url !== options.wasmURL) return fetch(input, init);
        return decided.then((source) => (source === 'own' ? fetch(input, init) : Response.error()));
      };
    },
  };
}

async function instantiate(
  compiled: Promise<WebAssembly.Module | null>,
  own: InstantiateWasm,
  imports: WasmImports,
  success: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void,
  instantiated: (source: WasmSource) => void,
  decide: (source: WasmSource) => void,
): Promise<void> {
  const module = await compiled.catch(() => null);
  if (module) {
    let instance: WebAssembly.Instance | null = null;
    try {
      // The two imports Pyodide's own instantiateWasm adds to Emscripten's (its jsverror.ts);
      // the rest of `imports` is Emscripten's.
      Object.assign((imports as { env: Record<string, unknown> }).env, await jsvErrorImports());
      instance = await WebAssembly.instantiate(module, imports);
    } catch {
      // Not this build's module (a LinkError): Pyodide's own, below, fetches and compiles it.
    }
    if (instance) {
      instantiated('given');
      success(instance, module);
      return;
    }
  }
  // Pyodide's own waits for its request of pyodide.asm.wasm, released here (holdingFetch).
  decide('own');
  own(imports, (instance, compiledHere) => {
    instantiated('own');
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
