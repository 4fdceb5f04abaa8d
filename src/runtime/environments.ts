/**
 * The environments of the tab's interpreter: the base one (Pyodide's own prefix `/`, its
 * site-packages `/lib/python3.14/site-packages`), always there, and the virtual environments
 * made with `python -m venv`. One of them is active: pip installs into it, and Python imports
 * from it and from no other (python-switch.ts).
 *
 * Each environment keeps the provenance of its distributions (which file each came from), from
 * which its lock is computed after every change (lock.ts).
 */
import type { PipEnvironment } from '../pip';
import { pyRepr, type MarkerEnvironment, type PyodideLockInfo } from '../pep';
import { schemeForPrefix, type FileSystem, type LockRecord } from '../install';
import { computeLock, lockKey } from './lock';
import { basename, dirname, isWithin, resolvePath } from './paths';
import type { InterpreterSwitch } from './python-switch';
import { removeTree, type VenvCreateRequest } from '../shell';
import { isVenv, readPyvenvCfg, sitePackagesOf, writeVenvLayout, type BaseInterpreter } from './venv-layout';
import type { VenvOptions } from './workspace-store';

/** Whether an environment's packages are on disk, or could not be rebuilt after a reload. */
export type EnvironmentStatus = { readonly kind: 'ready' } | { readonly kind: 'restore-failed'; readonly message: string };

export class Environment {
  /** Provenance by `name==version` (lockKey); pruned to what is installed at each lock. */
  provenance = new Map<string, LockRecord>();
  status: EnvironmentStatus = { kind: 'ready' };
  /** The lock stored before a failed rebuild, kept as it was until the environment changes. */
  storedLock: readonly LockRecord[] = [];
  /** Which of `storedLock` were installed with `--no-compile` (lockKey). */
  storedWithoutBytecode: readonly string[] = [];

  constructor(
    readonly kind: 'base' | 'venv',
    readonly prefix: string,
    readonly sitePackages: string,
    public options: VenvOptions | null,
  ) {}

  /** `base`, or the venv's directory name (what `(venv)` in a prompt shows by default). */
  get name(): string {
    return this.kind === 'base' ? 'base' : basename(this.prefix);
  }

  /** The prompt bin/activate sets (`--prompt`, or the directory name). */
  get prompt(): string | null {
    return this.kind === 'base' ? null : (this.options?.prompt ?? this.name);
  }
}

/** What the interpreter the environments belong to says about itself. */
export interface InterpreterFacts extends BaseInterpreter {
  readonly markerEnvironment: MarkerEnvironment;
  readonly lockInfo: PyodideLockInfo;
  readonly dynlibDir?: string;
}

/** The result of `python -m venv`: venv's exit status and what it printed. */
export interface CreateResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly created: readonly Environment[];
}

export class Environments {
  readonly base: Environment;
  private readonly venvs = new Map<string, Environment>();
  private activeEnv: Environment;

  constructor(
    private readonly fs: FileSystem,
    private readonly python: InterpreterSwitch,
    readonly facts: InterpreterFacts,
  ) {
    this.base = new Environment('base', '/', sitePackagesOf('/', facts.pythonVersion), null);
    this.activeEnv = this.base;
  }

  get active(): Environment {
    return this.activeEnv;
  }

  /** The base environment first, then the venvs in creation order. */
  list(): Environment[] {
    return [this.base, ...this.venvs.values()];
  }

  get(prefix: string): Environment | null {
    return prefix === '/' ? this.base : (this.venvs.get(prefix) ?? null);
  }

  /** The environment as pip sees it (PipContext.environment). */
  pipEnvironment(env: Environment): PipEnvironment {
    // pip's --require-virtualenv tells a venv from the base one by name.
    const name = env.kind === 'venv' && env.name === 'base' ? env.prefix : env.name;
    return {
      name,
      prefix: env.prefix,
      scheme: schemeForPrefix(env.prefix, this.facts.pythonVersion),
      markerEnvironment: this.facts.markerEnvironment,
      lockInfo: this.facts.lockInfo,
      ...(this.facts.dynlibDir !== undefined ? { dynlibDir: this.facts.dynlibDir } : {}),
    };
  }

  /** Registers a venv already laid out at `prefix` (a restored one, or one found by activate). */
  register(prefix: string, options: VenvOptions): Environment {
    const existing = this.venvs.get(prefix);
    if (existing) {
      existing.options = options;
      return existing;
    }
    const env = new Environment('venv', prefix, sitePackagesOf(prefix, this.facts.pythonVersion), options);
    this.venvs.set(prefix, env);
    return env;
  }

  /** Forgets a venv whose directory is gone (deactivating it first when active). */
  forget(prefix: string): void {
    if (this.activeEnv.prefix === prefix) this.switchTo(this.base);
    this.venvs.delete(prefix);
  }

  /**
   * `python -m venv` for each directory, as CPython's EnvBuilder: relative to `cwd`; an existing
   * directory is used (its files stay, its environment is refreshed); a file in the way, or a
   * path with the PATH separator, is venv's `Error: ...` and stops there (exit status 1).
   */
  create(request: VenvCreateRequest, cwd: string): CreateResult {
    const created: Environment[] = [];
    const fail = (message: string): CreateResult => ({ exitCode: 1, stdout: '', stderr: `Error: ${message}\n`, created });
    if (request.upgrade && request.clear) return fail('you cannot supply --upgrade and --clear together.');
    const notes: string[] = [];
    for (const dir of request.dirs) {
      const prefix = resolvePath(cwd, dir);
      if (prefix.includes(':')) return fail(`Refusing to create a venv in ${prefix} because it contains the PATH separator :.`);
      if (this.holdsBaseFiles(prefix)) return fail(`Refusing to create a venv in ${prefix} because it holds the interpreter's own files.`);
      if (request.clear && this.fs.isDirectory(prefix)) this.clearDirectory(prefix);
      const sitePackages = sitePackagesOf(prefix, this.facts.pythonVersion);
      // EnvBuilder.ensure_directories: create_if_needed() refuses a file where a directory goes.
      for (const d of [prefix, `${prefix}/include`, `${prefix}/lib`, dirname(sitePackages), sitePackages, `${prefix}/bin`]) {
        if (this.fs.exists(d) && !this.fs.isDirectory(d)) return fail(`Unable to create directory ${pyRepr(d)}`);
      }
      // CPython: `--prompt .` means the current directory's name (bpo-38901).
      const prompt = request.prompt === '.' ? basename(cwd) : request.prompt;
      const options: VenvOptions = {
        systemSitePackages: request.systemSitePackages,
        prompt,
        withPip: !request.withoutPip,
        scmIgnoreFiles: !request.withoutScmIgnoreFiles,
      };
      writeVenvLayout(this.fs, prefix, this.facts, options, { ...(request.upgrade ? { upgrade: true } : {}), ...(request.clear ? { clear: true } : {}) });
      const env = this.register(prefix, options);
      if (request.clear) env.provenance.clear();
      env.status = { kind: 'ready' };
      created.push(env);
    }
    if (request.upgradeDeps) notes.push("Note: --upgrade-deps has nothing to upgrade here: the environment's pip is Pipette's own, built into the page, and already the newest it provides.\n");
    // A cleared or refreshed active environment: drop what was imported from it.
    if (created.includes(this.activeEnv)) this.switchTo(this.activeEnv);
    return { exitCode: 0, stdout: '', stderr: notes.join(''), created };
  }

  /**
   * Makes the venv at `prefix` the active environment (`source PREFIX/bin/activate`). A directory
   * with a pyvenv.cfg that was not made here is taken in as it is. Null when there is no venv.
   */
  activate(prefix: string): Environment | null {
    let env = this.venvs.get(prefix) ?? null;
    if (!isVenv(this.fs, prefix)) return null;
    if (!env) {
      const cfg = readPyvenvCfg(this.fs, prefix);
      const prompt = cfg?.get('prompt') ?? null;
      env = this.register(prefix, {
        systemSitePackages: cfg?.get('include-system-site-packages')?.toLowerCase() === 'true',
        prompt: prompt === null ? null : prompt.replace(/^(['"])(.*)\1$/, '$2'),
        withPip: this.fs.exists(`${prefix}/bin/pip`),
        scmIgnoreFiles: this.fs.exists(`${prefix}/.gitignore`),
      });
    }
    this.switchTo(env);
    return env;
  }

  /** Back to the base environment (`deactivate`). False when no venv was active. */
  deactivate(): boolean {
    if (this.activeEnv === this.base) return false;
    this.switchTo(this.base);
    return true;
  }

  /** The lock of `env` now: what is installed, with the provenance known for each. */
  /** Whether a distribution (its `.dist-info` path) has bytecode still to be compiled (idle-bytecode.ts). */
  bytecodePending: (distInfoPath: string) => boolean = () => false;

  lockOf(env: Environment): { distributions: LockRecord[]; unlocked: string[]; withoutBytecode: string[] } {
    if (env.status.kind === 'restore-failed') return { distributions: [...env.storedLock], unlocked: [], withoutBytecode: [...env.storedWithoutBytecode] };
    const lock = computeLock(this.fs, env.sitePackages, env.provenance, this.bytecodePending);
    env.provenance = new Map(lock.distributions.map((d) => [lockKey(d.name, d.version), d]));
    return lock;
  }

  /** Points the interpreter at `env` (see python-switch.ts). */
  switchTo(env: Environment): void {
    // site.py reads include-system-site-packages from pyvenv.cfg at startup; so do we, at activation.
    const cfg = env.kind === 'venv' ? readPyvenvCfg(this.fs, env.prefix) : null;
    const system = env.kind === 'venv' && (cfg?.get('include-system-site-packages')?.toLowerCase() ?? String(env.options?.systemSitePackages ?? false)) === 'true';
    this.python.apply({
      prefix: env.prefix,
      visible: env.kind === 'base' ? [env.sitePackages] : system ? [env.sitePackages, this.base.sitePackages] : [env.sitePackages],
      every: this.list().map((e) => e.sitePackages),
      venv: env.kind === 'venv',
      prompt: env.prompt ?? '',
      system,
    });
    this.activeEnv = env;
  }

  /** The directories derived from the environments' locks and layouts (not the person's files). */
  derivedDirectories(): string[] {
    return [...this.venvs.values()].flatMap((e) => [`${e.prefix}/lib`, `${e.prefix}/bin`, `${e.prefix}/include`]);
  }

  /** `/`, `/lib`, ...: a venv there would overwrite the base environment. */
  private holdsBaseFiles(prefix: string): boolean {
    return isWithin(this.base.sitePackages, prefix);
  }

  /** EnvBuilder.clear_directory: everything inside goes, the directory stays. */
  private clearDirectory(dir: string): void {
    for (const name of this.fs.readdir(dir)) this.removeTree(`${dir}/${name}`);
  }

  /** The shell's `rm -r`: a symbolic link inside goes as a link, never what it points to. */
  private removeTree(path: string): void {
    removeTree(this.fs, path);
  }
}
