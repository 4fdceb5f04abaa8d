/**
 * The bytecode compiler the installer is given (src/install/bytecode.ts): the running Pyodide
 * compiles a wheel's modules as py_compile does in `PycInvalidationMode.UNCHECKED_HASH` mode,
 * and the results are kept in the cache beside the wheel (IndexCache `bytecode`, keyed by the
 * wheel's sha256 and the interpreter: cache tag, magic number, Python and Pyodide versions), so
 * the rebuild after a reload, a second environment or another install of the same wheel writes
 * them without compiling anything.
 *
 * What is compiled is what pip's compileall would compile, less what would crash the
 * interpreter: a module whose syntax tree may be deep enough to exhaust the JavaScript stack
 * (source-nesting.ts) is left to Python's own compile at first import, as it would be without
 * bytecode. A module that does not compile is left out silently (pip: `compileall.compile_file`
 * with `quiet=2`, warnings ignored).
 */
import type { PyodideAPI } from 'pyodide';
import type { PyProxy } from 'pyodide/ffi';
import type { IndexCache } from '../index';
import { isUncheckedHashPyc, type BytecodeCompiler, type CompiledWheel, type ModuleSource } from '../install';
import { decodeBundle, encodeBundle } from './bytecode-bundle';
import { nestingBound } from './source-nesting';
import { macrotask } from './macrotask';
import { PYTHON_FULL_VERSION_PY } from './interpreter';
import { execIn, newNamespace } from './py-namespace';

/**
 * Modules whose syntax tree may be deeper than this are not compiled at install. Pyodide in
 * Node dies between 1,000 and 2,000 levels (Chromium's workers pass 2,000); the bound is an
 * over-estimate, and the deepest module of sympy, boto3, black, bokeh and celery bounds at 385.
 */
export const COMPILE_NESTING_LIMIT = 500;

/** Source bytes per call into Python: between two calls the worker reads its messages (Ctrl+C). */
const CHUNK_BYTES = 512 * 1024;

// py_compile's UNCHECKED_HASH output byte for byte (`importlib._bootstrap_external._code_to_hash_pyc`):
// the magic number, flags 0b01 (hash-based, unchecked; PEP 552), the source's SipHash, the code.
// The builtins are taken once, at boot: code a person runs later cannot swap them under pip.
const COMPILER_PY = `
import importlib.util, marshal, sys, time, warnings
_compile = compile
_clock = time.perf_counter
_dumps = marshal.dumps
_source_hash = importlib.util.source_hash
_magic = importlib.util.MAGIC_NUMBER
_flags = (0b01).to_bytes(4, "little")
_catch = warnings.catch_warnings
_ignore = warnings.simplefilter

def compile_modules(items, deadline=None):
    # With a deadline (time.perf_counter()): the modules compiled before it passed, at least one;
    # the caller passes the rest in its next slice (idle-bytecode.ts).
    out = []
    with _catch():
        _ignore("ignore")
        for path, source in items:
            if deadline is not None and out and _clock() > deadline:
                break
            data = source.to_bytes()
            try:
                code = _compile(data, path, "exec", dont_inherit=True, optimize=0)
            except Exception:
                # SyntaxError, ValueError (a NUL byte), MemoryError (parser stack), RecursionError
                out.append(None)
                continue
            out.append(_magic + _flags + _source_hash(data) + _dumps(code))
    return out

${PYTHON_FULL_VERSION_PY}
interpreter = f"{sys.implementation.cache_tag}-{_magic.hex()}-{_python_full_version()}"
cache_tag = sys.implementation.cache_tag
`;

/** How an idle compile is paced (idle-bytecode.ts). */
export interface CompilePace {
  /** Milliseconds of compiling per slice (a module is never split: one may take longer). */
  readonly budgetMs: number;
  /** Awaited between two slices: yields to the event loop, and waits while a command runs. */
  between(): Promise<void>;
}

/** What a compiler did since it was made, for tests and benchmarks. */
export interface CompileCounts {
  /** Modules compiled by Python. */
  compiled: number;
  /** Modules whose `.pyc` came from the cache. */
  fromCache: number;
  /** Modules left to their first import (too deep to compile safely). */
  tooDeep: number;
}

interface PythonSide {
  readonly compileModules: PyProxy & ((items: Array<[string, Uint8Array]>, deadline?: number) => PyProxy);
  readonly clock: PyProxy & (() => number);
  readonly cacheTag: string;
  readonly interpreter: string;
  readonly magic: Uint8Array;
}

export class PyodideBytecodeCompiler implements BytecodeCompiler {
  readonly cacheTag: string;
  /** The cache key's interpreter part. Ex) `cpython-314-2b0e0d0a-3.14.2-pyodide-314.0.7`. */
  readonly interpreter: string;
  readonly counts: CompileCounts = { compiled: 0, fromCache: 0, tooDeep: 0 };

  private constructor(
    private readonly python: PythonSide,
    private readonly cache: IndexCache | null,
    private readonly pyodideVersion: string,
  ) {
    this.cacheTag = python.cacheTag;
    this.interpreter = `${python.interpreter}-pyodide-${pyodideVersion}`;
  }

  /** A compiler in `pyodide`, keeping what it compiles in `cache` (none: `--no-cache-dir`). */
  static create(pyodide: PyodideAPI, cache: IndexCache | null): PyodideBytecodeCompiler {
    const namespace = newNamespace(pyodide);
    try {
      execIn(pyodide, COMPILER_PY, namespace);
      const get = (name: string): unknown => (namespace as unknown as { get(k: string): unknown }).get(name);
      const magic = pyodide.runPython('import importlib.util; importlib.util.MAGIC_NUMBER') as PyProxy & { toJs(): Uint8Array };
      const python: PythonSide = {
        compileModules: get('compile_modules') as PythonSide['compileModules'],
        clock: get('_clock') as PythonSide['clock'],
        cacheTag: get('cache_tag') as string,
        interpreter: get('interpreter') as string,
        magic: magic.toJs(),
      };
      magic.destroy();
      return new PyodideBytecodeCompiler(python, cache, pyodide.version);
    } finally {
      namespace.destroy();
    }
  }

  /** The same interpreter's compiler, without the cache (`pip install --no-cache-dir`). */
  withoutCache(): PyodideBytecodeCompiler {
    return new PyodideBytecodeCompiler(this.python, null, this.pyodideVersion);
  }

  /**
   * The `.pyc` files of `modules` when the cache holds every one of them (compiled, or known not
   * to compile), else null: what an install writes at once, leaving the rest to idle time.
   */
  async fromCache(wheel: CompiledWheel, modules: readonly ModuleSource[]): Promise<ReadonlyMap<string, Uint8Array> | null> {
    const bundle = await this.storedBundle(wheel);
    const result = new Map<string, Uint8Array>();
    for (const module of modules) {
      if (!bundle.has(module.entry)) return null;
      const pyc = bundle.get(module.entry) ?? null;
      if (pyc !== null && !this.isOurs(pyc)) return null;
      if (pyc !== null) result.set(module.entry, pyc);
    }
    this.counts.fromCache += modules.length;
    return result;
  }

  private async storedBundle(wheel: CompiledWheel): Promise<Map<string, Uint8Array | null>> {
    const stored = this.cache ? await this.cache.getBytecode(wheel.sha256, this.interpreter, wheel.filename) : undefined;
    return new Map<string, Uint8Array | null>(stored ? (decodeBundle(stored) ?? []) : []);
  }

  /**
   * Compiles `modules` (what the cache holds is reused). Without `pace`, in calls of about
   * CHUNK_BYTES of source with a macrotask turn between them (Ctrl+C is read there); with it,
   * in slices of about `pace.budgetMs` of compiling, awaiting `pace.between()` after each one
   * (idle-bytecode.ts: a command the person runs goes first).
   */
  async compile(wheel: CompiledWheel, modules: readonly ModuleSource[], signal?: AbortSignal, pace?: CompilePace): Promise<ReadonlyMap<string, Uint8Array>> {
    const bundle = await this.storedBundle(wheel);
    const result = new Map<string, Uint8Array>();
    const todo: ModuleSource[] = [];
    for (const module of modules) {
      if (!bundle.has(module.entry)) {
        todo.push(module);
        continue;
      }
      const pyc = bundle.get(module.entry) ?? null;
      if (pyc !== null && !this.isOurs(pyc)) {
        todo.push(module);
        continue;
      }
      this.counts.fromCache++;
      if (pyc !== null) result.set(module.entry, pyc);
    }
    if (todo.length === 0) return result;

    const safe: ModuleSource[] = [];
    for (const module of todo) {
      if (nestingBound(module.source) <= COMPILE_NESTING_LIMIT) safe.push(module);
      else {
        this.counts.tooDeep++;
        bundle.set(module.entry, null);
      }
    }
    // A slice's modules are passed to Python a few at a time (passing all that is left at every
    // slice would cost quadratic time in proxies): about what fits in the budget at the rate seen.
    let bytesPerMs = 64 * 1024;
    for (let start = 0; start < safe.length; ) {
      signal?.throwIfAborted();
      let end = start;
      let bytes = 0;
      const limit = pace ? Math.max(1, bytesPerMs * pace.budgetMs * 2) : CHUNK_BYTES;
      while (end < safe.length && (end === start || bytes + safe[end]!.source.length <= limit)) bytes += safe[end++]!.source.length;
      const chunk = safe.slice(start, end);
      const began = performance.now();
      const compiled = this.compileChunk(chunk, pace ? this.python.clock() + pace.budgetMs / 1000 : undefined);
      const elapsed = performance.now() - began;
      let done = 0;
      for (let i = 0; i < compiled.length; i++) {
        const pyc = compiled[i] ?? null;
        bundle.set(chunk[i]!.entry, pyc);
        if (pyc !== null) result.set(chunk[i]!.entry, pyc);
        done += chunk[i]!.source.length;
      }
      this.counts.compiled += compiled.length;
      if (elapsed > 0) bytesPerMs = Math.max(1024, done / elapsed);
      start += compiled.length;
      if (pace) await pace.between();
      else await macrotask();
    }
    signal?.throwIfAborted();
    if (this.cache) await this.cache.putBytecode(wheel.sha256, this.interpreter, wheel.filename, encodeBundle(bundle));
    return result;
  }

  /** One call into Python; Ctrl+C there (KeyboardInterrupt) is an AbortError here. */
  private compileChunk(chunk: readonly ModuleSource[], deadline: number | undefined): Array<Uint8Array | null> {
    let out: PyProxy | null = null;
    try {
      const items = chunk.map((m): [string, Uint8Array] => [m.path, m.source]);
      out = deadline === undefined ? this.python.compileModules(items) : this.python.compileModules(items, deadline);
      const list = (out as PyProxy & { toJs(): Array<Uint8Array | undefined> }).toJs();
      return list.map((pyc: Uint8Array | undefined) => pyc ?? null);
    } catch (error) {
      if ((error as { type?: unknown } | null)?.type === 'KeyboardInterrupt') throw new DOMException('Interrupted by Ctrl+C', 'AbortError');
      throw error;
    } finally {
      out?.destroy();
    }
  }

  /**
   * A `.pyc` this compiler would write: this interpreter's magic number, then unchecked-hash
   * flags (anything else in the cache, another Python's or a hand-made entry's, is compiled
   * again rather than left out by the installer, which writes no other kind).
   */
  private isOurs(pyc: Uint8Array): boolean {
    const magic = this.python.magic;
    return isUncheckedHashPyc(pyc) && magic.every((b, i) => pyc[i] === b);
  }
}
