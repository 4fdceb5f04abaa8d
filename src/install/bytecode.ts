/**
 * Bytecode compiled at install time, as pip does (`pip install` compiles by default,
 * `--no-compile` skips it): each `.py` file a wheel installs gets its
 * `__pycache__/<stem>.<cache_tag>.pyc` (PEP 3147), written with the wheel's other files through
 * the same journal and the same containment rules, and listed in RECORD with its hash and size
 * (pip's `_install_wheel` compiles every installed `.py` with `compileall.compile_file` and
 * records each `.pyc` it made; a module that does not compile is skipped without a word).
 *
 * Compiling needs Python, so the compiler is injected (the runtime's Pyodide, which keeps the
 * results in the cache beside the wheel); this module and the installer stay pure.
 *
 * The files are hash-based and unchecked (PEP 552; py_compile's
 * `PycInvalidationMode.UNCHECKED_HASH`): Pyodide's filesystem is rebuilt at every reload, so
 * every source gets a new mtime and pip's default timestamp-based files would all be stale at
 * the next import. An unchecked hash-based file is used as it is, without reading the source.
 */

import type { RecordEntry } from './record';
import type { InstallScheme } from './scheme';

/** One module of a wheel to compile. */
export interface ModuleSource {
  /** Its path in the wheel (`six.py`, `pkg/mod.py`): the same in every environment, so a cache can key on it. */
  readonly entry: string;
  /** Where it is installed (`/lib/python3.14/site-packages/six.py`): the name errors and tracebacks show. */
  readonly path: string;
  readonly source: Uint8Array;
}

/** The wheel being compiled: what a cache of compiled files keys on. */
export interface CompiledWheel {
  readonly filename: string;
  /** Lower-case hex sha256 of the wheel file. */
  readonly sha256: string;
}

/**
 * Turns a wheel's modules into `.pyc` files. Injected through the install options; the runtime's
 * compiles in Pyodide and reuses what its cache holds for the same wheel and interpreter.
 */
export interface BytecodeCompiler {
  /** `sys.implementation.cache_tag` of the interpreter the files are for. Ex) `cpython-314`. */
  readonly cacheTag: string;
  /**
   * The `.pyc` bytes of each module that compiles, by {@link ModuleSource.entry}. A module that
   * does not (a syntax error, Python 2 code, a tree too deep to compile safely) is left out, as
   * pip leaves out what compileall cannot compile. Throws only when the work was cancelled
   * (AbortError: Ctrl+C), or the interpreter could not run.
   */
  compile(wheel: CompiledWheel, modules: readonly ModuleSource[], signal?: AbortSignal): Promise<ReadonlyMap<string, Uint8Array>>;
  /**
   * With `later`, bytecode leaves the install's critical path: every wheel is installed without
   * it and handed to `later`, which writes its `.pyc` files when the worker is idle (from the
   * cache beside the wheel when it holds them, else compiled then) and commits them with RECORD
   * rewritten (deferred-bytecode.ts). Without `later`, `compile` runs in the install.
   */
  later?(pending: PendingBytecode): void;
}

/**
 * A wheel installed without its bytecode, to be compiled later (deferred-bytecode.ts): what
 * the install wrote, so the compiled files and RECORD are then exactly what an install that
 * compiled would have written, and only if the distribution is still the one installed.
 */
export interface PendingBytecode {
  readonly wheel: CompiledWheel;
  /** The distribution's name (its METADATA's). */
  readonly name: string;
  readonly scheme: InstallScheme;
  /** The `.dist-info` folder's name, and its absolute path. */
  readonly distInfo: string;
  readonly distInfoPath: string;
  /** site-packages (purelib or platlib): RECORD's paths are relative to it. */
  readonly root: string;
  readonly cacheTag: string;
  readonly modules: readonly ModuleSource[];
  /** RECORD's rows for the wheel's files, then for INSTALLER, REQUESTED, direct_url.json (RECORD's own row last, not here). */
  readonly fileRows: readonly RecordEntry[];
  readonly extraRows: readonly RecordEntry[];
  /** The RECORD written: the commit happens only if it is still there, byte for byte. */
  readonly record: Uint8Array;
}

/**
 * Sources larger than this are not compiled at install (Python compiles them at first import,
 * as it would without bytecode): a wheel from a stranger could hold one module of hundreds of
 * megabytes, and compiling it would hold the install that long.
 */
export const MAX_COMPILED_SOURCE_BYTES = 16 * 1024 * 1024;

/**
 * `importlib.util.cache_from_source` at optimization level 0.
 * Ex) `/sp/pkg/mod.py`, `cpython-314` -> `/sp/pkg/__pycache__/mod.cpython-314.pyc`.
 */
export function cacheFromSource(path: string, cacheTag: string): string {
  const slash = path.lastIndexOf('/');
  const stem = path.slice(slash + 1).replace(/\.py$/, '');
  return `${path.slice(0, slash)}/__pycache__/${stem}.${cacheTag}.pyc`;
}

/**
 * Whether `pyc` is a hash-based, unchecked `.pyc` (PEP 552): after the 4-byte magic number,
 * flags 0b01 (hash-based, not checked), an 8-byte source hash, then the marshalled code.
 * Anything else would not survive a reload here, and is not written.
 */
export function isUncheckedHashPyc(pyc: Uint8Array): boolean {
  return pyc.length > 16 && pyc[2] === 0x0d && pyc[3] === 0x0a && pyc[4] === 1 && pyc[5] === 0 && pyc[6] === 0 && pyc[7] === 0;
}
