import type { PyodideAPI } from 'pyodide';
import { createPackageSource, type CacheStore, type FetchFunction, type PyodideLock } from '../index';
import { schemeForPrefix } from '../install';
import type { PipContext, PipEnvironment, PipOutput } from '../pip/context';
import type { InterpreterInfo } from './interpreter';
import { PyodideFs } from './pyodide-fs';

export interface SessionConfig {
  /** `--index-url` default for this page (`?index-url=` in the page URL), PyPI when null. */
  readonly indexUrl: string | null;
  /** Where Pyodide's own WebAssembly packages are fetched from; the bundled release's CDN when null. */
  readonly pyodidePackagesUrl: string | null;
}

/**
 * One interpreter's pip state in the worker: its filesystem, the base environment, and the
 * cache shared by every pip command of the tab. The same class serves Node tests, with a
 * MemoryStore or FsStore and Node's fetch.
 */
export class RuntimeSession {
  readonly fs: PyodideFs;
  readonly environment: PipEnvironment;

  constructor(
    readonly pyodide: PyodideAPI,
    readonly info: InterpreterInfo,
    readonly config: SessionConfig,
    private readonly store: CacheStore,
    private readonly fetch: FetchFunction,
  ) {
    this.fs = new PyodideFs(pyodide);
    // The base environment is the interpreter's own prefix ('/' in Pyodide).
    const prefix = pyodide.runPython('import sys; sys.prefix') as string;
    this.environment = {
      name: 'base',
      prefix,
      scheme: schemeForPrefix(prefix, info.pythonVersion),
      markerEnvironment: info.markerEnvironment,
      lockInfo: info.lockInfo,
    };
  }

  /** A PipContext for one command; `out` streams to the terminal. */
  pipContext(out: PipOutput, signal?: AbortSignal): PipContext {
    const lock = this.pyodide.lockfile as unknown as PyodideLock;
    return {
      environment: this.environment,
      fs: this.fs,
      out,
      cwd: this.pyodide.runPython('import os; os.getcwd()') as string,
      env: {},
      ...(signal ? { signal } : {}),
      source: (options) =>
        createPackageSource({
          ...options,
          indexUrls: options.indexUrls ?? (this.config.indexUrl ? [this.config.indexUrl] : undefined),
          pyodideLock: { lock, ...(this.config.pyodidePackagesUrl ? { baseUrl: this.config.pyodidePackagesUrl } : {}) },
          fetch: this.fetch,
          cache: this.store,
        }),
      afterChange: () => {
        this.pyodide.runPython('import importlib; importlib.invalidate_caches()');
      },
    };
  }
}
