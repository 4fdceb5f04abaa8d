import type { InterpreterInfo } from './interpreter';
import type { InstalledLock } from './lock';
import type { StdinBuffers } from './stdin-channel';
import type { DiskEntry, EnvironmentView, HomeEntry, VersionRow } from './machinery';
import type { ClassifyOptions, SpecLabResult } from './spec-lab';
import type { DownloadActivity } from './download-meter';
export type { DownloadActivity } from './download-meter';
import type { EnvironmentLock as ShareLock } from '../share';
import type { VenvCreateRequest } from '../shell';
import type { ProxyMarked } from 'comlink';
import type { RuntimeFailure, RuntimeResult } from './failure';

/**
 * Progress of the runtime's boot, streamed to the page: `loading` (Pyodide), `restoring` (the
 * saved workspace: files, then each environment rebuilt from its lock; `done` of `total`
 * distributions), `ready`.
 */
export interface BootProgress {
  readonly phase: 'loading' | 'restoring' | 'ready';
  readonly elapsedMs: number;
  /** `restoring`: distributions installed so far, of `total`. */
  readonly done?: number;
  readonly total?: number;
  /** `restoring`: the environment being rebuilt (its prefix). */
  readonly environment?: string;
  /** `ready`: what the restore did and what it could not do. */
  readonly restore?: RestoreReport;
}

/** What restoring the saved workspace did. */
export interface RestoreReport {
  readonly files: number;
  /** Environments rebuilt (the base one included when it had anything locked). */
  readonly environments: number;
  readonly distributions: number;
  /** Sentences for the person: environments that could not be rebuilt and why; damaged records. */
  readonly problems: readonly string[];
}

/** Page-level settings the worker is booted with. */
export interface RuntimeConfig {
  /** The index pip uses by default (`?index-url=` in the page URL); PyPI when null. */
  readonly indexUrl: string | null;
  /** The page's address without query or fragment: what share links start with. */
  readonly pageUrl?: string;
  /** Where Pyodide's own WebAssembly packages come from; the bundled release's CDN when null. */
  readonly pyodidePackagesUrl: string | null;
  /**
   * Shared with the page when it is cross-origin isolated: Ctrl+C writes 2 here to raise
   * KeyboardInterrupt in running Python (Pyodide's interrupt buffer), and `input()` waits on
   * the stdin buffers (see stdin-channel.ts).
   */
  readonly interruptBuffer?: Int32Array;
  readonly stdin?: StdinBuffers;
  /**
   * Where the page is not cross-origin isolated (no shared memory) but its server relays the
   * terminal (`<meta name="pipette-terminal-relay">`): this page's channel there, through which
   * `input()` gets its line and Ctrl+C reaches running Python (terminal-relay.ts).
   */
  readonly terminalRelay?: string;
  /** Lines entered before the reload, oldest first: the shell's `history` starts with them. */
  readonly history?: readonly string[];
}

/**
 * A line a running program asks for at a prompt of its own, edited like the shell's line:
 * the Python REPL's `>>> ` / `... `, pip's `Proceed (Y/n)? `.
 */
export interface LineRequest {
  /** Shown before the line. */
  readonly prompt: string;
  /** `python`: a REPL line (its own history; Tab completes Python names); `answer`: a reply to a question. */
  readonly kind: 'python' | 'answer';
}

/** The person's answer: a line (Enter), end of input (Ctrl+D on an empty line), or Ctrl+C. */
export type LineAnswer = { readonly kind: 'line'; readonly text: string } | { readonly kind: 'eof' } | { readonly kind: 'interrupt' };

/** What the terminal gives the shell while a line runs. */
export interface TerminalCallbacks {
  /** Output as it is written. */
  output(chunk: OutputChunk): void;
  /** `clear` / Ctrl+L. */
  clear(): void;
  /** `input()` wants a line: the page answers through the stdin buffers or the terminal relay. */
  askInput(): void;
  /** The running program shows its own prompt and waits for the line typed at it (the REPL, pip's questions). */
  readLine?(request: LineRequest): Promise<LineAnswer>;
  /** Downloads in progress (null when the command ends): the page's status line. */
  activity(activity: DownloadActivity | null): void;
}

export interface Completion {
  readonly replaceFrom: number;
  readonly candidates: readonly string[];
}

/** One chunk of a command's output, in order. */
export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/** An environment as the page shows it (prompt, environment list). */
export interface EnvironmentInfo {
  readonly kind: 'base' | 'venv';
  /** `base`, or the venv's directory name. */
  readonly name: string;
  readonly prefix: string;
  readonly sitePackages: string;
  /** What the prompt shows in parentheses for an active venv; null for the base environment. */
  readonly prompt: string | null;
  readonly active: boolean;
  readonly systemSitePackages: boolean;
  /** Distributions in its lock. */
  readonly distributions: number;
  /** `restore-failed`: its packages could not be rebuilt after the reload (see `problem`). */
  readonly status: 'ready' | 'restore-failed';
  readonly problem: string | null;
}

/** `python -m venv ...`, `source .../bin/activate`, `deactivate`, and the list of environments. */
export type VenvCommand =
  /** `python -m venv ARGV...`, parsed here as CPython's venv parses it. */
  | { readonly kind: 'create'; readonly argv: readonly string[] }
  /** The same, already parsed (directories relative to the cwd or absolute). */
  | { readonly kind: 'create'; readonly request: VenvCreateRequest }
  /** The venv's directory, or its `bin/activate` script. */
  | { readonly kind: 'activate'; readonly path: string }
  | { readonly kind: 'deactivate' }
  | { readonly kind: 'list' };

export interface VenvOutcome {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly active: EnvironmentInfo;
  readonly environments: readonly EnvironmentInfo[];
}

/** Options of one pip run. */
export interface PipRunOptions {
  /** The environment to act on (its prefix, e.g. for `venv/bin/pip`); default the active one. */
  readonly environment?: string;
  /** `PIP_*` variables and `${VAR}` values for requirements files. */
  readonly env?: Readonly<Record<string, string>>;
  /** The directory relative paths start from (the shell's); default Python's `os.getcwd()`. */
  readonly cwd?: string;
}

export type { RuntimeErrorCode, RuntimeFailure, RuntimeResult } from './failure';

export type ReadFileResult = RuntimeResult<{ readonly path: string; readonly data: Uint8Array }>;
export type WriteFileResult = RuntimeResult<{ readonly path: string; /** Saved to the workspace store (false: only in memory, see `warning`). */ readonly saved: boolean; readonly warning: string | null }>;

/**
 * The active environment as a share link carries it, and what cannot travel: distributions
 * from local files, built ones, binary or large files, and files left out as hidden or secret (with why).
 */
export interface ShareLockAnswer {
  readonly lock: ShareLock;
  readonly unlocked: readonly string[];
  readonly built: readonly string[];
  readonly skippedFiles: readonly string[];
  readonly leftOut: readonly { path: string; reason: string }[];
  /** Where each sdist found on an index by name was downloaded from, by file name: a pylock.toml names it by URL (PEP 751). */
  readonly sdistUrls: ReadonlyMap<string, string>;
}

/** A shared environment (a link, an imported pylock.toml) checked and previewed, waiting for the person's yes. */
export interface RestoreOffer {
  readonly kind: 'offer';
  readonly lock: ShareLock;
  /** What the person must read before saying yes (other indexes, another Python, skipped packages). */
  readonly warnings: readonly { readonly message: string }[];
  /** What restoring would install and write here, and where; or why it cannot be restored here. */
  readonly preview: SharedPreview;
}

/** The lock exports the page offers for download. */
export type LockFormat = 'pylock' | 'requirements';

/**
 * The worker as the page first sees it through Comlink: `boot` resolves, once Python is up and
 * the saved workspace is back, to the booted runtime, so nothing can be asked of a half-started one.
 */
export interface RuntimeBoot {
  /** Boots Pyodide, then restores the saved workspace (files, environments), then resolves. */
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<RuntimeApi & ProxyMarked>;
  /**
   * The page's compile of pyodide.asm.wasm (pyodide-wasm.ts), called once, as soon as it is done:
   * the worker's loadPyodide instantiates it; null: the page could not, the worker compiles its own.
   */
  pyodideModule(module: WebAssembly.Module | null): void;
}

/**
 * The booted runtime's API as the page sees it through Comlink. Everything crossing it is plain
 * data, and a method that can fail resolves to a `RuntimeResult` (see failure.ts), never throws.
 */
export interface RuntimeApi {
  /** The interpreter (versions, marker environment, Pyodide's lock info). */
  readonly info: InterpreterInfo;
  /** Files: paths absolute, or relative to the home directory. Only the home directory is saved. */
  readFile(path: string): Promise<ReadFileResult>;
  writeFile(path: string, data: Uint8Array | string): Promise<WriteFileResult>;
  /** Removes a file or folder of the home directory (the files list's delete). */
  removePath(path: string): Promise<RuntimeResult>;
  /** Renames a file of the home directory, never over another. */
  renamePath(from: string, to: string): Promise<RuntimeResult>;
  /** The lock of the active environment. */
  lock(): Promise<InstalledLock>;

  /** The terminal's shell (src/shell over this session): the prompt to show now. */
  shellPrompt(): Promise<string>;
  /** Runs one typed line; resolves to its exit status when it ends (130 after Ctrl+C). */
  shellRun(line: string, callbacks: TerminalCallbacks): Promise<number>;
  /**
   * Runs one command given as argv, never parsed as shell text (the page's buttons and Import…
   * pass names they did not type this way: a file named `a; rm -rf ~` stays one argument).
   * Recorded in the history as the quoted line that would run it.
   */
  shellRunArgv(argv: string[], callbacks: TerminalCallbacks): Promise<number>;
  shellComplete(line: string, cursor: number): Promise<Completion>;
  /** The line being typed at the shell's prompt (each edit, before Enter): lets a `pip install` get its connections ready. */
  shellTyping(line: string): Promise<void>;
  /** Tab at the Python REPL's prompt: rlcompleter's candidates for the name before `cursor`. */
  pythonComplete(line: string, cursor: number): Promise<Completion>;
  /** Ctrl+C: stops what the running line waits for (downloads, resolution). */
  interrupt(): Promise<void>;

  /** The active environment's distributions for the panels; `online` asks the index for updates and vulnerabilities. */
  describeEnvironment(options?: { online?: boolean }): Promise<EnvironmentView>;
  /** The active environment's files on disk. */
  diskEntries(): Promise<{ root: string; entries: DiskEntry[] }>;
  /** Changes when what the panels show of the active environment changes (cheap: listings only). */
  environmentStamp(): Promise<string>;
  /** The home folder's files for the side list, in one call (a venv is one entry). */
  homeEntries(): Promise<HomeEntry[]>;
  /** A project's versions on the index (the specifier lab). */
  projectVersions(name: string): Promise<RuntimeResult<{ readonly versions: VersionRow[] }>>;
  /**
   * The specifier lab's question: what pip does with `project<specifier>` and the project's
   * versions on the configured index, version by version, decided by the resolver's own
   * pre-release and yank policies (classify-versions.ts). With no project, or one that cannot be
   * read (projectVersions says why), the specifier alone.
   */
  classifyVersions(project: string, specifier: string, options?: ClassifyOptions): Promise<SpecLabResult>;

  /** The active environment as a share link carries it, and what cannot travel. */
  shareLock(): Promise<ShareLockAnswer>;
  /** A link (starting with `pageUrl`) that reinstalls the active environment, with notes on what cannot travel. */
  shareLink(pageUrl: string): Promise<RuntimeResult<{ readonly link: string; readonly notes: readonly string[] }>>;
  /** The environment a page address carries (`#env=...`), checked and previewed; `none` when it carries none. */
  openShareLink(url: string): Promise<RestoreOffer | { readonly kind: 'none' } | RuntimeFailure>;
  /**
   * A lock file the person picked: a `pylock.toml` is checked and previewed like a share link;
   * a requirements file is saved under its name in the home directory, for `pip install -r`.
   */
  importLock(name: string, text: string): Promise<RestoreOffer | { readonly kind: 'saved'; readonly path: string } | RuntimeFailure>;
  /** The active environment as a file to download: `pylock.toml` (PEP 751) or `requirements.txt` with hashes. */
  exportLock(format: LockFormat): Promise<RuntimeResult<{ readonly name: string; readonly text: string; readonly type: string }>>;
  /** Installs a shared environment's exact wheels (hash-checked) and writes its files; pip's exit code. */
  restoreShared(lock: ShareLock, onOutput: (chunk: OutputChunk) => void): Promise<number>;
}

export type { DistributionView, EnvironmentView, DiskEntry, HomeEntry, VersionRow } from './machinery';
export type { SharedPreview, SharedPackage, SharedFile } from './shared-environment';
import type { SharedPreview } from './shared-environment';

export type RunResult =
  | { readonly kind: 'ok'; readonly stdout: string; readonly stderr: string; readonly value: string | null }
  | { readonly kind: 'error'; readonly code: 'python-exception'; readonly message: string; readonly stdout: string; readonly stderr: string };
