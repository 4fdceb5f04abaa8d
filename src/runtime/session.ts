// Over 400 lines: RuntimeSession is the RuntimeApi's one implementation; its methods are short delegations.
import type { PyodideAPI } from 'pyodide';
import { createPackageSource, IndexCache, MemoryStore, PRECONNECT_INTERVAL_MS, Preconnector, type CacheStore, type FetchFunction, type PyodideLock } from '../index';
import { configuredIndexes, runPip, terminalOutput, writePipPackage, type InstalledEvent, type PipContext, type PipEnvironment, type PipOutput } from '../pip';
import type {
  EnvironmentInfo,
  PipRunOptions,
  ReadFileResult,
  RestoreReport,
  RunResult,
  ShareLockAnswer,
  VenvCommand,
  VenvOutcome,
  WriteFileResult,
} from './api';
import { runtimeFailure, type RuntimeFailure, type RuntimeResult } from './failure';
import { Environments, type Environment } from './environments';
import type { InterpreterInfo } from './interpreter';
import type { InstalledLock } from './lock';
import { dirname, resolvePath } from './paths';
import { PyodideFs } from './pyodide-fs';
import type { LockRecord } from '../install';
import { PythonRunner } from './python-runner';
import { PyodideBytecodeCompiler } from './bytecode-compiler';
import { IdleBytecode } from './idle-bytecode';
import { PyodideBuildPython } from './build-python';
import { pythonRstRenderer, runBuildCommand, twineCheck, type BuildIo, type GitHubHosts, type RequirementInstaller } from '../build';
import { addIndexFacts, describeDistributions, diskEntries, projectVersions, type DiskEntry, type EnvironmentView, type VersionRow } from './machinery';
import { PYPI_INDEX, toLinkedWheel, type EnvironmentLock as ShareLock } from '../share';
import { lockedBuild, previewShared, restoreShared, shareableFiles, type SharedContext, type SharedPreview } from './shared-environment';
import { bestPlatform, normalizeName, supportedTags } from '../pep';
import { classifyVersions } from './classify-versions';
import type { ClassifyOptions, SpecLabResult } from './spec-lab';
import { InterpreterSwitch } from './python-switch';
import { trimTraceback } from './traceback';
import { parseVenvArgs, removeTree, type VenvCreateRequest } from '../shell';
import { Workspace, type RestoreProgress } from './workspace';
import type { WorkspaceStore } from './workspace-store';
import type { LockFileSource } from './rebuild';
import { invalidateImportCaches } from './import-caches';

export interface SessionConfig {
  /** `--index-url` default for this page (`?index-url=` in the page URL), PyPI when null. */
  readonly indexUrl: string | null;
  /** The page's address without query or fragment: what share links start with. */
  readonly pageUrl?: string;
  /** Where Pyodide's own WebAssembly packages are fetched from; the bundled release's CDN when null. */
  readonly pyodidePackagesUrl: string | null;
}

export interface SessionOptions {
  /** Where the workspace is kept (IndexedDB `pipette-workspace-v1` in the browser); memory by default. */
  readonly workspace?: WorkspaceStore;
  /** For `pip cache dir` (e.g. `IndexedDB pipette-cache-v1`). */
  readonly cacheLocation?: string;
  /** Where GitHub's API and raw host are (tests: a local stand-in); GitHub's own by default. */
  readonly githubHosts?: GitHubHosts;
  /** Wraps the source a restore reads wheels from (the worker's read-ahead, restore-read-ahead.ts). */
  readonly restoreSource?: (source: LockFileSource) => LockFileSource;
}

const encoder = new TextEncoder();

/** A shell line that runs a pip command reading the index: `pip install `, `python3 -m pip download `... */
const PIP_FETCHES = /^\s*(?:python(?:3(?:\.\d+)?)?\s+-m\s+)?pip(?:3(?:\.\d+)?)?\s+(install|download|wheel)\s/;
/** Indexes warmed at most while a line is typed (the configured one and its first extras). */
const MAX_WARMED_INDEXES = 4;

/**
 * One interpreter's state in the worker: its filesystem, its environments (the base one and
 * the venvs, one of them active), the cache shared by every pip command of the tab, and the
 * workspace that keeps environments and files across reloads. The same class serves Node tests,
 * with a MemoryStore or FsStore and Node's fetch, without a Worker.
 */
export class RuntimeSession {
  readonly fs: PyodideFs;
  readonly environments: Environments;
  readonly workspace: Workspace;
  /** `$HOME` of the interpreter (`/home/pyodide`): the files kept across reloads. */
  readonly home: string;
  /** The interpreter's standard streams and the way programs are run (`python x.py`). */
  readonly runner: PythonRunner;
  /** Compiles installed modules to bytecode (pip's `--compile`), kept in the cache beside the wheels. */
  readonly bytecode: PyodideBytecodeCompiler;
  /**
   * What installs use: the cached bytecode at once, the rest compiled when the worker is idle
   * (idle-bytecode.ts). Every command of the session holds it while it runs.
   */
  readonly idleBytecode: IdleBytecode;
  /** PEP 517 backends run in this interpreter (src/build), output through the runner. */
  readonly buildPython: PyodideBuildPython;
  private readonly interpreterSwitch: InterpreterSwitch;
  /** Opens the index's connections while a `pip install` is typed (typing()). */
  private readonly preconnector: Preconnector;
  /** When typing() last decided whether to open them. */
  private typingLookedAt = -Infinity;
  /** The specifier lab's last project and its versions (null before it asked). */
  private labProject: { readonly name: string; readonly rows: Promise<VersionRow[] | null> } | null = null;

  constructor(
    readonly pyodide: PyodideAPI,
    readonly info: InterpreterInfo,
    readonly config: SessionConfig,
    private readonly store: CacheStore,
    private readonly fetch: FetchFunction,
    private readonly options: SessionOptions = {},
  ) {
    this.fs = new PyodideFs(pyodide);
    this.preconnector = new Preconnector(fetch);
    this.runner = new PythonRunner(pyodide);
    this.bytecode = PyodideBytecodeCompiler.create(pyodide, new IndexCache({ store, now: Date.now }));
    this.idleBytecode = new IdleBytecode(this.bytecode, this.fs);
    this.buildPython = new PyodideBuildPython(pyodide, this.runner);
    this.interpreterSwitch = new InterpreterSwitch(pyodide);
    const dynlibDir = this.python('import os\ntry:\n    from pyodide._package_loader import DSO_DIR\n    d = str(DSO_DIR)\nexcept Exception:\n    d = "/usr/lib"\nd');
    this.home = this.python('import os; os.environ.get("HOME", "/home/pyodide")');
    this.environments = new Environments(this.fs, this.interpreterSwitch, {
      pythonVersion: info.pythonVersion,
      pyodideVersion: info.pyodideVersion,
      markerEnvironment: info.markerEnvironment,
      lockInfo: info.lockInfo,
      dynlibDir,
    });
    // The base environment has pip as a package too, as a Python with ensurepip's pip does.
    writePipPackage(this.fs, this.environments.base.sitePackages);
    this.workspace = new Workspace({
      store: options.workspace ?? new MemoryStore(),
      fs: this.fs,
      environments: this.environments,
      home: this.home,
      dynlibDir,
      // Rebuilding reads wheels by URL and sha256 only: the cache, else the file's own URL; one
      // retry, so that a boot without network reports the missing wheels instead of waiting.
      source: () => {
        const source = createPackageSource({ noIndex: true, fetch: this.fetch, cache: this.store, retries: 1 });
        return options.restoreSource ? options.restoreSource(source) : source;
      },
      compiler: this.idleBytecode,
    });
    // A distribution whose bytecode is still to come was not installed with --no-compile.
    this.environments.bytecodePending = (distInfoPath) => this.idleBytecode.isPending(distInfoPath);
  }

  /** The active environment as pip sees it. */
  get environment(): PipEnvironment {
    return this.environments.pipEnvironment(this.environments.active);
  }

  /** Restores the saved workspace (files, environments, the active one); see workspace.ts. */
  async restore(onProgress?: (p: RestoreProgress) => void): Promise<RestoreReport> {
    const release = this.idleBytecode.hold();
    try {
      return await this.workspace.restore(onProgress);
    } finally {
      release();
    }
  }

  /** Holds the idle compile while a command runs (the shell's lines, the page's actions). */
  hold(): () => void {
    return this.idleBytecode.hold();
  }

  /**
   * The line being typed at the shell's prompt, before Enter. Once it reads `pip install ` (or
   * `download`, `wheel`, also as `python -m pip`), the connections of the indexes that command
   * would read are opened (src/index/preconnect.ts), so their handshakes overlap the typing.
   * Those are the indexes pip.conf and the shell's `PIP_*` variables configure for the command,
   * as pip applies them (configuredIndexes), else the session's: a person who configured another
   * index has nobody else contacted, and `no-index` contacts none. The command's own `-i` is not
   * read from a half-typed line (a pasted line's host is not contacted before Enter). An index
   * this browser asked within its pages' freshness (10 minutes) is not contacted either: the
   * cache may answer the whole install, which then makes no request at all.
   */
  async typing(line: string, shell: { readonly env: Readonly<Record<string, string>>; readonly cwd: string }): Promise<void> {
    const command = PIP_FETCHES.exec(line)?.[1];
    if (command === undefined) return;
    // One look a minute (every key typed after `pip install ` lands here).
    const now = Date.now();
    if (now - this.typingLookedAt < PRECONNECT_INTERVAL_MS) return;
    this.typingLookedAt = now;
    const configured = configuredIndexes(command, { fs: this.fs, env: shell.env, prefix: this.environments.active.prefix, cwd: shell.cwd });
    if (configured === null || configured.noIndex) return;
    const indexes = [configured.indexUrl ?? this.config.indexUrl ?? PYPI_INDEX, ...configured.extraIndexUrls].slice(0, MAX_WARMED_INDEXES);
    const cache = new IndexCache({ store: this.store, now: Date.now });
    const stale: string[] = [];
    for (const index of indexes) {
      const last = await cache.lastContact(index);
      if (last === null || now - last >= cache.maxAgeMs) stale.push(index);
    }
    this.preconnector.warm(stale);
  }

  /** A PipContext for one command in `env` (default: the active one); `out` streams to the terminal. */
  pipContext(out: PipOutput, signal?: AbortSignal, options: { environment?: Environment; env?: Readonly<Record<string, string>>; cwd?: string; prompt?: PipContext['prompt'] } = {}): PipContext {
    const lock = this.pyodide.lockfile as unknown as PyodideLock;
    const env = options.environment ?? this.environments.active;
    return {
      environment: this.environments.pipEnvironment(env),
      fs: this.fs,
      out,
      cwd: options.cwd ?? this.cwd(),
      env: options.env ?? {},
      ...(signal ? { signal } : {}),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      ...(this.options.cacheLocation ? { cacheLocation: this.options.cacheLocation } : {}),
      ...(this.options.githubHosts ? { githubHosts: this.options.githubHosts } : {}),
      source: (sourceOptions) =>
        createPackageSource({
          ...sourceOptions,
          indexUrls: sourceOptions.indexUrls ?? (this.config.indexUrl ? [this.config.indexUrl] : undefined),
          pyodideLock: { lock, ...(this.config.pyodidePackagesUrl ? { baseUrl: this.config.pyodidePackagesUrl } : {}) },
          fetch: this.fetch,
          cache: this.store,
        }),
      onInstalled: (event) => {
        this.idleBytecode.superseded(event.sitePackages, event.distributions.map((d) => d.name));
        this.workspace.recordInstalled(event);
      },
      bytecode: ({ noCache }) => (noCache ? this.idleBytecode.withoutCache() : this.idleBytecode),
      afterChange: () => {
        invalidateImportCaches(this.pyodide);
        // An editable install's .pth (or one uninstalled) takes effect now, as at a restart.
        this.interpreterSwitch.refreshSite();
      },
      python: this.buildPython,
    };
  }

  /** `pip ARGV...` in the active environment (or `options.environment`), then the workspace is saved. */
  async pip(argv: readonly string[], given: PipOutput, options: PipRunOptions & { signal?: AbortSignal; prompt?: PipContext['prompt'] } = {}): Promise<number> {
    const release = this.idleBytecode.hold();
    try {
      return await this.pipHeld(argv, given, options);
    } finally {
      release();
    }
  }

  private async pipHeld(argv: readonly string[], given: PipOutput, options: PipRunOptions & { signal?: AbortSignal; prompt?: PipContext['prompt'] }): Promise<number> {
    // The session's own lines (a path the person typed, a storage error) pass the same choke point as pip's.
    const out = terminalOutput(given);
    const cwd = options.cwd ?? this.cwd();
    const env = options.environment !== undefined ? this.environments.get(resolvePath(cwd, options.environment)) : this.environments.active;
    if (!env) {
      out.stderr(`ERROR: ${options.environment} is not an environment here (no pyvenv.cfg was made there by python -m venv).\n`);
      return 1;
    }
    if (env.status.kind === 'restore-failed' && !(await this.workspace.retry(env))) {
      out.stderr(`WARNING: This environment could not be rebuilt after the reload (${env.status.message}); its packages are missing. Installing into it now replaces its saved lock.\n`);
    }
    const code = await runPip(argv, this.pipContext(out, options.signal, { environment: env, cwd, ...(options.env ? { env: options.env } : {}), ...(options.prompt ? { prompt: options.prompt } : {}) }));
    const problem = await this.workspace.save();
    if (problem) out.stderr(`WARNING: ${problem}\n`);
    return code;
  }

  /**
   * Installs build requirements into a throwaway prefix with Pipette's pip (the active
   * environment's index settings), quietly: src/build's RequirementInstaller.
   */
  requirementInstaller(options: { cwd: string; env?: Readonly<Record<string, string>>; signal?: AbortSignal }): RequirementInstaller {
    return async (prefix, requirements, installOptions) => {
      let output = '';
      const out = { stdout: (t: string) => (output += t), stderr: (t: string) => (output += t) };
      // A build environment is not the person's: nothing of it is recorded or saved.
      const { onInstalled: _recorded, afterChange: _refreshed, ...ctx } = this.pipContext(out, options.signal, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) });
      const constraints: string[] = [];
      if ((installOptions.constraints ?? []).length > 0) {
        const path = `${prefix}.constraints.txt`;
        this.fs.mkdirp(dirname(path));
        this.fs.writeFile(path, encoder.encode(`${installOptions.constraints!.join('\n')}\n`));
        constraints.push('--constraint', path);
      }
      const argv = ['install', '--prefix', prefix, '--ignore-installed', '--no-warn-script-location', '--disable-pip-version-check', '--only-binary', ':all:', ...constraints, ...requirements];
      const code = await runPip(argv, ctx);
      return { ok: code === 0, output };
    };
  }

  /** Whether `module` is importable in the active environment as a regular package (`build`). */
  hasModule(module: string): boolean {
    return this.python(`import importlib.util\ntry:\n    s = importlib.util.find_spec(${JSON.stringify(module)})\nexcept (ImportError, ValueError):\n    s = None\nstr(bool(s and s.origin and s.origin != "namespace"))`) === 'True';
  }

  /**
   * `python -m build ARGS` with the `build` package of the active environment (src/build). What
   * the backends print is outside text: it reaches the terminal through pip's output choke point
   * (escaped, secrets redacted), as it does under `pip install .`.
   */
  buildCommand(argv: readonly string[], io: BuildIo, options: { cwd: string; env?: Readonly<Record<string, string>>; signal?: AbortSignal }): Promise<number> {
    const [major, minor] = this.info.pythonVersion.split('.');
    return runBuildCommand({
      fs: this.fs,
      python: this.buildPython,
      install: this.requirementInstaller(options),
      pythonVersion: `${major}.${minor}`,
      argv,
      cwd: options.cwd,
      io: terminalOutput(io),
    });
  }

  /** `twine check ...`: twine's rules, run by Pipette (twine-check.ts in src/build). */
  async twine(argv: readonly string[], given: BuildIo, options: { cwd: string; env?: Readonly<Record<string, string>>; signal?: AbortSignal }): Promise<number> {
    // File names, metadata and docutils' messages are outside text (pip's output choke point).
    const io = terminalOutput(given);
    const [command, ...rest] = argv;
    if (command === '--version' || command === '-v') {
      io.stdout("twine check by Pipette (twine's checks and readme_renderer's rules, run in this tab)\n");
      return 0;
    }
    if (command !== 'check') {
      if (command === 'upload' || command === 'register') {
        io.stderr(`ERROR    twine ${command} cannot run in a browser tab: PyPI's upload endpoint sends no CORS headers, so a page cannot reach it. Download the files (the files panel offers them) and upload them with twine on your own machine.\n`);
        return 1;
      }
      io.stdout("usage: twine check [--strict] dist [dist ...]\n\nPipette's twine: only `check` runs here (twine's checks, with the real docutils for reStructuredText); `upload` needs a machine of your own.\n");
      return command === undefined || command === '-h' || command === '--help' ? 0 : 2;
    }
    const [major, minor] = this.info.pythonVersion.split('.');
    return twineCheck({
      args: rest,
      readFile: (path) => {
        const abs = resolvePath(options.cwd, path);
        return this.fs.isDirectory(abs) ? null : this.fs.readFile(abs);
      },
      renderRst: pythonRstRenderer(this.fs, this.buildPython, this.requirementInstaller(options), `${major}.${minor}`),
      stdout: io.stdout,
      stderr: io.stderr,
    });
  }

  /** Runs Python code in the active environment; files it writes in the home directory are saved. */
  async runPython(code: string): Promise<RunResult> {
    // The .pyc files the cache holds for wheels just installed or restored go in first (idle-bytecode.ts).
    await this.idleBytecode.settle();
    const release = this.idleBytecode.hold();
    try {
      return await this.runPythonHeld(code);
    } finally {
      release();
    }
  }

  private async runPythonHeld(code: string): Promise<RunResult> {
    const out: string[] = [];
    const err: string[] = [];
    const previous = this.runner.swapIo({ stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    this.runner.forgetProgramModules();
    const text = (chunks: string[]): string => chunks.join('').replace(/\n$/, '');
    let result: RunResult;
    try {
      const value: unknown = await this.pyodide.runPythonAsync(code);
      result = { kind: 'ok', stdout: text(out), stderr: text(err), value: describeValue(value) };
    } catch (e) {
      result = { kind: 'error', code: 'python-exception', message: trimTraceback(e instanceof Error ? e.message : String(e)).trimEnd(), stdout: text(out), stderr: text(err) };
    } finally {
      this.runner.swapIo(previous);
    }
    await this.workspace.save();
    return result;
  }

  /** `python -m venv`, `source .../bin/activate`, `deactivate`, or the list. */
  async venv(command: VenvCommand): Promise<VenvOutcome> {
    let exitCode = 0;
    let stdout = '';
    let stderr = '';
    const cwd = this.cwd();
    if (command.kind === 'create') {
      let request: VenvCreateRequest | null = null;
      if ('argv' in command) {
        const parsed = parseVenvArgs(command.argv);
        if (parsed.kind === 'help') stdout = parsed.text;
        else if (parsed.kind === 'usage-error') [exitCode, stderr] = [2, parsed.text];
        else request = parsed.request;
      } else request = command.request;
      if (request) ({ exitCode, stdout, stderr } = this.environments.create(request, cwd));
    } else if (command.kind === 'activate') {
      const given = resolvePath(cwd, command.path);
      const prefix = given.endsWith('/bin/activate') ? given.slice(0, -'/bin/activate'.length) || '/' : given;
      const env = this.environments.activate(prefix);
      if (!env) {
        const script = command.path.endsWith('activate') ? command.path : `${command.path.replace(/\/+$/, '')}/bin/activate`;
        [exitCode, stderr] = [1, `bash: ${script}: No such file or directory\n`];
      } else if (env.status.kind === 'restore-failed') {
        await this.workspace.retry(env);
      }
    } else if (command.kind === 'deactivate') {
      if (!this.environments.deactivate()) [exitCode, stderr] = [127, 'bash: deactivate: command not found\n'];
    }
    if (command.kind !== 'list') {
      const problem = await this.workspace.save();
      if (problem) stderr += `WARNING: ${problem}\n`;
    }
    return { exitCode, stdout, stderr, active: this.describe(this.environments.active), environments: this.environments.list().map((e) => this.describe(e)) };
  }

  activeEnvironment(): EnvironmentInfo {
    return this.describe(this.environments.active);
  }

  /** The lock of the active environment, or of the one at `prefix`. */
  lock(prefix?: string): InstalledLock | null {
    const env = prefix === undefined ? this.environments.active : this.environments.get(resolvePath(this.cwd(), prefix));
    if (!env) return null;
    const { distributions, unlocked } = this.environments.lockOf(env);
    return { prefix: env.prefix, name: env.name, distributions, unlocked };
  }

  readFile(path: string): ReadFileResult {
    const abs = resolvePath(this.home, path);
    const stat = this.fs.stat(abs);
    if (!stat) return failure('not-found', abs, `${abs}: No such file or directory`);
    if (stat.kind === 'directory') return failure('is-a-directory', abs, `${abs}: Is a directory`);
    return { kind: 'ok', path: abs, data: this.fs.readFile(abs) ?? new Uint8Array() };
  }

  /** Writes a file (parents made as needed) and saves the workspace. */
  async writeFile(path: string, data: Uint8Array | string): Promise<WriteFileResult> {
    const abs = resolvePath(this.home, path);
    if (this.fs.isDirectory(abs)) return failure('is-a-directory', abs, `${abs}: Is a directory`);
    for (let d = dirname(abs); d !== '/'; d = dirname(d)) {
      if (this.fs.exists(d) && !this.fs.isDirectory(d)) return failure('not-a-directory', abs, `${abs}: Not a directory (${d} is a file)`);
    }
    try {
      this.fs.mkdirp(dirname(abs));
      this.fs.writeFile(abs, typeof data === 'string' ? encoder.encode(data) : data);
    } catch (error) {
      return failure('write-failed', abs, `${abs} could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
    const warning = await this.workspace.save();
    return { kind: 'ok', path: abs, saved: warning === null, warning };
  }

  /** The active environment's distributions for the panels; `online` adds updates and vulnerabilities from the index. */
  async describeEnvironment(options: { online?: boolean } = {}): Promise<EnvironmentView> {
    const env = this.environments.active;
    let distributions = describeDistributions(this.fs, env.sitePackages, this.info.markerEnvironment);
    if (options.online) distributions = await addIndexFacts(distributions, this.pipContext({ stdout: () => {}, stderr: () => {} }).source({}));
    return { name: env.name, prefix: env.prefix, sitePackages: env.sitePackages, distributions };
  }

  /** The files of the active environment as they lie on disk: a venv whole; for the base one, site-packages and bin/. */
  diskEntries(): { root: string; entries: DiskEntry[] } {
    const env = this.environments.active;
    if (env.kind === 'venv') return { root: env.prefix, entries: diskEntries(this.fs, [env.prefix]) };
    const scheme = this.environments.pipEnvironment(env).scheme;
    return { root: env.prefix, entries: diskEntries(this.fs, [scheme.scripts, env.sitePackages]) };
  }

  /** A project's versions on the configured index (the specifier lab); null when not found. */
  async projectVersions(name: string): Promise<VersionRow[] | null> {
    const rows = projectVersions(this.pipContext({ stdout: () => {}, stderr: () => {} }).source({}), name);
    this.labProject = { name: normalizeName(name), rows };
    return rows;
  }

  /** The specifier lab's question (asked at every keystroke: the project's versions are kept from its query). */
  async classifyVersions(project: string, specifier: string, options: ClassifyOptions = {}): Promise<SpecLabResult> {
    const name = project.trim();
    let rows: VersionRow[] | null = null;
    if (name !== '') {
      const known = this.labProject?.name === normalizeName(name) ? this.labProject.rows : this.projectVersions(name);
      rows = await known.catch(() => null);
    }
    return classifyVersions(specifier, rows ?? [], options);
  }

  /** Removes a file or a directory tree under the home directory, and saves. */
  async removePath(path: string): Promise<RuntimeResult> {
    const abs = resolvePath(this.home, path);
    if (!isUnder(this.home, abs)) return failure('write-failed', abs, `${abs} is outside your home directory (${this.home}); only your own files can be removed here.`);
    if (!this.fs.exists(abs)) return failure('not-found', abs, `${abs}: No such file or directory`);
    // The shell's `rm -r`: through a symbolic link nothing is deleted but the link.
    removeTree(this.fs, abs);
    await this.workspace.save();
    return { kind: 'ok' };
  }

  /** Renames a file under the home directory (like `mv`, refusing to overwrite), and saves. */
  async renamePath(from: string, to: string): Promise<RuntimeResult> {
    const src = resolvePath(this.home, from);
    const dst = resolvePath(this.home, to);
    if (!isUnder(this.home, src) || !isUnder(this.home, dst)) return failure('write-failed', dst, `Only files in your home directory (${this.home}) can be renamed here.`);
    const data = this.fs.readFile(src);
    if (data === null) return failure('not-found', src, `${src}: No such file`);
    if (this.fs.exists(dst)) return failure('write-failed', dst, `${dst} already exists; choose another name.`);
    this.fs.mkdirp(dirname(dst));
    this.fs.writeFile(dst, data);
    this.fs.remove(src);
    await this.workspace.save();
    return { kind: 'ok' };
  }

  /**
   * The active environment as a share link carries it: every installed wheel (URL + sha256),
   * the indexes, and the text files of the home directory (venvs excluded: they are rebuilt).
   * Distributions with no known file (installed by hand) cannot travel: they are named in
   * `unlocked`. Hidden files and anything that looks like a secret are left out, with the reason.
   */
  shareLock(): ShareLockAnswer {
    const runtimeLock = this.lock()!;
    // A wheel built here travels by its source's identity (an sdist's sha256, a commit, or, for a
    // folder of the home folder, the project's files the link carries anyway); a folder elsewhere
    // cannot travel, and is named.
    const builtRecords = runtimeLock.distributions.filter((d) => d.built !== undefined);
    const builds = builtRecords.map((d) => ({ record: d, build: lockedBuild(d, this.home) }));
    const distributions = runtimeLock.distributions.filter((d) => d.built === undefined && /^https?:/.test(d.url));
    const indexes = [this.config.indexUrl ?? PYPI_INDEX];
    // A direct reference's URL is no index: its origin is never listed as one.
    for (const d of distributions) if (d.index && d.directUrl === null && !indexes.includes(d.index)) indexes.push(d.index);
    const derived = new Set(this.environments.list().filter((e) => e.kind === 'venv').map((e) => e.prefix));
    const { files, skipped, leftOut } = shareableFiles(this.fs, this.home, derived);
    const platform = bestPlatform(this.info.lockInfo);
    const travelling = builds.flatMap((b) => (b.build ? [b.build] : []));
    return {
      lock: {
        version: 1,
        python: this.info.pythonVersion,
        pyodide: this.info.pyodideVersion,
        platform,
        indexes,
        distributions: distributions.map(toLinkedWheel),
        files,
        ...(travelling.length > 0 ? { builds: travelling } : {}),
      },
      unlocked: [...runtimeLock.unlocked, ...runtimeLock.distributions.filter((d) => d.built === undefined && !/^https?:/.test(d.url)).map((d) => `${d.name}==${d.version}`)],
      built: builds.filter((b) => b.build === null).map((b) => `${b.record.name}==${b.record.version}`),
      skippedFiles: skipped,
      leftOut,
      sdistUrls: new Map(builds.flatMap((b) => (b.build?.kind === 'sdist' && b.build.url === null ? [[b.build.filename, b.record.url] as const] : []))),
    };
  }

  /**
   * What restoring `lock` would do here (packages and files, and where they land), or why it
   * cannot; wheels the link names by file name only are looked up on their index first.
   */
  previewShared(lock: ShareLock): Promise<SharedPreview> {
    return previewShared(this.sharedContext(), lock);
  }

  /**
   * Restores a shared environment into the active one: exactly its wheels, each checked against
   * the link's sha256, applied as an install plan, all or nothing; then, in the same journal, its
   * files into the home directory (see shared-environment.ts).
   */
  async restoreShared(lock: ShareLock, out: PipOutput, signal?: AbortSignal): Promise<number> {
    const release = this.idleBytecode.hold();
    try {
      return await this.restoreSharedHeld(lock, out, signal);
    } finally {
      release();
    }
  }

  private async restoreSharedHeld(lock: ShareLock, out: PipOutput, signal?: AbortSignal): Promise<number> {
    const env = this.environments.active;
    if (env.status.kind === 'restore-failed' && !(await this.workspace.retry(env))) {
      out.stderr(`WARNING: This environment could not be rebuilt after the reload (${env.status.message}); its packages are missing. Restoring into it now replaces its saved lock.\n`);
    }
    const code = await restoreShared(this.sharedContext(), lock, out, signal);
    const problem = await this.workspace.save();
    if (problem) out.stderr(`WARNING: ${problem}\n`);
    return code;
  }

  private sharedContext(): SharedContext {
    return {
      fs: this.fs,
      home: this.home,
      environments: this.environments,
      // Wheels by URL and sha256 only: the tab's cache, else the file's own URL; no index is read.
      source: () => createPackageSource({ noIndex: true, fetch: this.fetch, cache: this.store }),
      // Exactly the link's index: no page-configured index, no extra one, no Pyodide lock.
      indexSource: (index) => createPackageSource({ indexUrls: [index], fetch: this.fetch, cache: this.store }),
      compiler: this.idleBytecode,
      afterChange: () => {
        invalidateImportCaches(this.pyodide);
      },
      recordInstalled: (sitePackages, distributions) => {
        this.idleBytecode.superseded(sitePackages, distributions.map((d) => d.name));
        this.workspace.recordInstalled({ sitePackages, distributions, sharedLibraries: [] });
      },
      pipInstall: async (argv, fs, out, signal) => {
        const installed: LockRecord[] = [];
        // pip writes through the restore's journal, and what it installed is recorded by the restore once all is in.
        const ctx = { ...this.pipContext(terminalOutput(out), signal, { cwd: this.home }), fs, onInstalled: (event: InstalledEvent) => {
            for (const record of event.distributions) installed.push(record);
          },
        };
        const code = await runPip(argv, ctx);
        return { code, installed };
      },
    };
  }

  /** The interpreter's current directory (`os.getcwd()`): relative paths of commands start here. */
  cwd(): string {
    return this.python('import os; os.getcwd()');
  }

  private describe(env: Environment): EnvironmentInfo {
    const { distributions } = this.environments.lockOf(env);
    return {
      kind: env.kind,
      name: env.name,
      prefix: env.prefix,
      sitePackages: env.sitePackages,
      prompt: env.prompt,
      active: env === this.environments.active,
      systemSitePackages: env.options?.systemSitePackages ?? false,
      distributions: distributions.length,
      status: env.status.kind,
      problem: env.status.kind === 'restore-failed' ? env.status.message : null,
    };
  }

  private python(code: string): string {
    return this.pyodide.runPython(code) as string;
  }
}

function isUnder(root: string, path: string): boolean {
  return path === root || path.startsWith(`${root}/`);
}

function failure(code: RuntimeFailure['code'], path: string, message: string): RuntimeFailure & { readonly path: string } {
  return { ...runtimeFailure(code, message, path), path };
}

/** A Python result as text (`None` comes back as undefined); proxies are released after use. */
function describeValue(value: unknown): string | null {
  if (value === undefined) return null;
  const text = String(value);
  const destroy = (value as { destroy?: () => void } | null)?.destroy;
  if (typeof destroy === 'function') destroy.call(value);
  return text;
}
