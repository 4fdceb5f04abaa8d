import type { BuildPython, GitHubHosts } from '../build';
import type { CreatePackageSourceOptions, PipettePackageSource } from '../index';
import type { BytecodeCompiler, FileSystem, InstallScheme, LockRecord } from '../install';
import type { MarkerEnvironment, PyodideLockInfo } from '../pep';

/**
 * The environment a pip command acts on: the base interpreter's, or a virtual environment's
 * (`NAME/lib/python3.14/site-packages`, `NAME/bin`, ...).
 */
export interface PipEnvironment {
  /** 'base' or the venv's directory name. */
  readonly name: string;
  /** The prefix (`sys.prefix`): `/` style absolute path. */
  readonly prefix: string;
  readonly scheme: InstallScheme;
  /** The PEP 508 environment read from the running Pyodide (never hard-coded). */
  readonly markerEnvironment: MarkerEnvironment;
  /** The Pyodide lock `info`: which wheel tags install here. */
  readonly lockInfo: PyodideLockInfo;
  /**
   * Where shared libraries from Pyodide's lock (`install_dir: dynlib`) are unpacked: Pyodide's
   * `pyodide._package_loader.DSO_DIR`, on LD_LIBRARY_PATH. Default `/usr/lib`.
   */
  readonly dynlibDir?: string;
}

/** What a running pip command prints; `runPip` puts it behind output.ts's choke point (escaping, redaction). */
export interface PipOutput {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Download progress, for a progress bar; `total` null when unknown. */
  progress?(event: { readonly filename: string; readonly loaded: number; readonly total: number | null; readonly done: boolean; readonly dropped?: boolean }): void;
  /**
   * A value that must never be printed (what `${VAR}` expanded to where it stood for a
   * credential): the output redacts it from everything written after (see output.ts).
   */
  secret?(value: string): void;
}

/**
 * What one `pip install` (or `pip sync`) wrote, reported after it is committed: the lock
 * records of what was installed, so that the environment's lock can install the same files
 * again (after a reload, from a share link) and check them.
 */
export interface InstalledEvent {
  /** Where the wheels went: the environment's site-packages, or `--target` / `--prefix`'s. */
  readonly sitePackages: string;
  readonly distributions: readonly LockRecord[];
  /** Shared libraries from Pyodide's lock, unpacked into `dynlibDir` rather than site-packages. */
  readonly sharedLibraries: readonly LockRecord[];
}

/** Options pip passes to the package source (index URLs, cache bypass, timeouts). */
export type SourceOptions = Pick<
  CreatePackageSourceOptions,
  'indexUrls' | 'extraIndexUrls' | 'noIndex' | 'noCache' | 'timeoutMs' | 'retries' | 'reporter' | 'pyodidePackages'
>;

/**
 * Everything a pip command needs from outside, injected so the same commands run in the worker
 * (Pyodide FS, IndexedDB cache, the page's fetch) and in Node tests (Pyodide in Node, a folder
 * or memory cache, the local fixture index).
 */
export interface PipContext {
  readonly environment: PipEnvironment;
  readonly fs: FileSystem;
  readonly out: PipOutput;
  /** The working directory, for relative paths (`-r requirements.txt`, `-d dist`). */
  readonly cwd: string;
  /** Environment variables (`PIP_*`, `${VAR}` in requirements files). */
  readonly env: Readonly<Record<string, string>>;
  /** A package source for these options; the cache behind it is shared across calls. */
  source(options: SourceOptions): PipettePackageSource;
  /**
   * The interpreter's bytecode compiler, for pip's default `--compile` (src/install/bytecode.ts);
   * `noCache` for `--no-cache-dir` (what it compiles is then not kept). Without it nothing is
   * compiled at install.
   */
  bytecode?(options: { readonly noCache: boolean }): BytecodeCompiler;
  /** Called after site-packages changed, so a fresh `import` sees it (importlib caches). */
  afterChange?(): void | Promise<void>;
  /**
   * Called once an install is committed (before `afterChange`), with the provenance of every
   * distribution written: the runtime keeps it in the environment's lock.
   */
  onInstalled?(event: InstalledEvent): void | Promise<void>;
  readonly signal?: AbortSignal;
  /**
   * Shows `text` (a question: `Proceed (Y/n)? ` of `pip uninstall` without `-y`) and reads the
   * line the person types, as pip's `input()` reads stdin; null at end of input or Ctrl+C.
   * Without it no one can answer: commands that would ask stop and say what to pass instead.
   */
  prompt?(text: string): Promise<string | null>;
  /** Where the cache lives, for `pip cache dir` (e.g. `IndexedDB pipette-cache-v1`). */
  readonly cacheLocation?: string;
  /**
   * The interpreter, for PEP 517 build backends (`pip install .`, sdists, `git+https://`).
   * Absent where there is none (the CLI in Node): builds from source are then refused.
   */
  readonly python?: BuildPython;
  /** Tests only: a local stand-in for api.github.com and raw.githubusercontent.com. */
  readonly githubHosts?: GitHubHosts;
}
