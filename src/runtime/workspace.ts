/**
 * The workspace kept across reloads: every environment's lock, the active environment, the
 * shared libraries, and the home directory's files (workspace-store.ts for the layout).
 *
 * Saving happens after every change (a pip command, a venv command, a file written through the
 * API, Python code run); saves are queued one after the other, and calls that arrive while one
 * waits join it, so a burst of edits costs one save. Restoring happens once, at boot, before
 * the page gets the prompt: files first (a venv's pyvenv.cfg, wheels in the home directory),
 * then the shared libraries, then each environment rebuilt from its lock (rebuild.ts), all or
 * nothing per environment. An environment that cannot be rebuilt (a wheel neither cached nor
 * reachable) keeps its stored lock untouched and is reported.
 */
import { lockKey, sharedLibraryInstalled, type BytecodeCompiler, type LockRecord } from '../install';
import { describeFsError } from '../pep';
import { shellQuote } from '../shell';
import type { InstalledEvent } from '../pip';
import type { Environment, Environments } from './environments';
import { HomeFiles } from './home-files';
import { normalizePath } from './paths';
import type { PyodideFs } from './pyodide-fs';
import { rebuildEnvironment, rebuildSharedLibraries, type LockFileSource } from './rebuild';
import type { RestoreReport } from './api';
import { isVenv, writeVenvLayout } from './venv-layout';
import { decodeState, encodeState, STATE_KEY, WORKSPACE_SCHEMA_VERSION, type StoredEnvironment, type WorkspaceState, type WorkspaceStore } from './workspace-store';

export interface RestoreProgress {
  readonly done: number;
  readonly total: number;
  /** The prefix of the environment being rebuilt. */
  readonly environment: string | null;
}

export interface WorkspaceOptions {
  readonly store: WorkspaceStore;
  readonly fs: PyodideFs;
  readonly environments: Environments;
  /** The home directory whose files are kept. */
  readonly home: string;
  /** Where shared libraries go (Pyodide's DSO_DIR). */
  readonly dynlibDir: string;
  /** A source for the wheels of a lock (the tab's cache, then the network). */
  readonly source: () => LockFileSource;
  /** Writes the wheels' bytecode again, as pip install did (from the cache beside them). */
  readonly compiler?: BytecodeCompiler | null;
}

export class Workspace {
  private readonly files: HomeFiles;
  /** Shared libraries by `name==version`. */
  private readonly sharedLibraries = new Map<string, LockRecord>();
  private chain: Promise<unknown> = Promise.resolve();
  private queued: Promise<string | null> | null = null;
  private lastState: string | null = null;

  constructor(private readonly options: WorkspaceOptions) {
    this.files = new HomeFiles(options.fs, options.home, options.store, () => options.environments.derivedDirectories());
  }

  /**
   * Records what pip installed, in the environment whose site-packages received it (the
   * active one, or another named by `--prefix`); `--target` directories belong to none.
   */
  recordInstalled(event: InstalledEvent): void {
    const where = normalizePath(event.sitePackages);
    const env = this.options.environments.list().find((e) => e.sitePackages === where) ?? null;
    for (const lib of event.sharedLibraries) this.sharedLibraries.set(lockKey(lib.name, lib.version), lib);
    if (env) for (const record of event.distributions) env.provenance.set(lockKey(record.name, record.version), record);
    // Changing an environment that could not be rebuilt makes what is on disk its lock.
    if (env && env.status.kind === 'restore-failed' && event.distributions.length > 0) env.status = { kind: 'ready' };
  }

  /** Saves the state and the home directory; resolves to a sentence when saving failed or left something out (a symbolic link). */
  save(): Promise<string | null> {
    if (this.queued) return this.queued;
    const run = this.chain.then(() => {
      this.queued = null;
      return this.saveNow();
    });
    this.queued = run;
    this.chain = run;
    return run;
  }

  /** The state as it would be saved now. */
  state(): WorkspaceState {
    const { environments, fs, dynlibDir } = this.options;
    return {
      schema: WORKSPACE_SCHEMA_VERSION,
      active: environments.active.kind === 'venv' ? environments.active.prefix : null,
      environments: environments.list().map((env): StoredEnvironment => {
        const { distributions, withoutBytecode } = environments.lockOf(env);
        return { kind: env.kind, prefix: env.prefix, options: env.options, lock: distributions, ...(withoutBytecode.length > 0 ? { withoutBytecode } : {}) };
      }),
      sharedLibraries: [...this.sharedLibraries.values()].filter((lib) => sharedLibraryInstalled(fs, dynlibDir, lib)),
    };
  }

  /** Puts the saved workspace back; never throws (what fails is in `problems`). */
  async restore(onProgress?: (p: RestoreProgress) => void): Promise<RestoreReport> {
    const { store, environments, fs } = this.options;
    const problems: string[] = [];
    let stored: Uint8Array | undefined;
    let fileCount = 0;
    try {
      stored = await store.get(STATE_KEY);
      const files = await this.files.restore();
      fileCount = files.files;
      for (const p of files.problems) problems.push(p);
    } catch (error) {
      return { files: 0, environments: 0, distributions: 0, problems: [`The saved workspace could not be read (${describe(error)}); starting with an empty one.`] };
    }
    const decoded = stored ? decodeState(stored) : { state: null, problems: [] };
    for (const p of decoded.problems) problems.push(p);
    const state = decoded.state;
    if (!state) return { files: fileCount, environments: 0, distributions: 0, problems };

    const total = state.environments.reduce((n, e) => n + e.lock.length, 0);
    let done = 0;
    onProgress?.({ done, total, environment: null });
    const source = this.options.source();
    for (const lib of state.sharedLibraries) this.sharedLibraries.set(lockKey(lib.name, lib.version), lib);
    const libs = await rebuildSharedLibraries(fs, environments.pipEnvironment(environments.base).scheme, this.options.dynlibDir, state.sharedLibraries, source);
    if (libs.kind === 'failed') problems.push(`The shared libraries could not be unpacked again: ${libs.message}`);

    let rebuilt = 0;
    let distributions = 0;
    for (const saved of state.environments) {
      const env = saved.kind === 'base' ? environments.base : this.layOut(saved);
      if (!env) continue;
      if (saved.lock.length === 0) continue;
      const result = await rebuildEnvironment({
        fs,
        scheme: environments.pipEnvironment(env).scheme,
        lock: saved.lock,
        source,
        compiler: this.options.compiler ?? null,
        withoutBytecode: new Set(saved.withoutBytecode ?? []),
        onInstalled: () => onProgress?.({ done: ++done, total, environment: env.prefix }),
      });
      if (result.kind === 'ok') {
        env.provenance = new Map(saved.lock.map((d) => [lockKey(d.name, d.version), d]));
        rebuilt++;
        distributions += result.installed;
      } else {
        env.status = { kind: 'restore-failed', message: result.message };
        env.storedLock = saved.lock;
        env.storedWithoutBytecode = saved.withoutBytecode ?? [];
        done += saved.lock.length;
        onProgress?.({ done, total, environment: env.prefix });
        problems.push(`The environment ${env.kind === 'base' ? 'base' : env.prefix} could not be rebuilt from its lock: ${result.message}. Its packages are missing in this tab; its lock is kept until it is changed.`);
      }
    }
    const active = state.active !== null ? environments.get(state.active) : null;
    environments.switchTo(active ?? environments.base);
    // What was just restored is what the store holds: the first save has nothing to write.
    this.lastState = new TextDecoder().decode(encodeState(this.state()));
    return { files: fileCount, environments: rebuilt, distributions, problems };
  }

  /** Tries again to rebuild an environment whose rebuild failed at boot (e.g. the network is back). */
  async retry(env: Environment): Promise<boolean> {
    if (env.status.kind !== 'restore-failed') return true;
    const result = await rebuildEnvironment({ fs: this.options.fs, scheme: this.options.environments.pipEnvironment(env).scheme, lock: env.storedLock, source: this.options.source(), compiler: this.options.compiler ?? null, withoutBytecode: new Set(env.storedWithoutBytecode) });
    if (result.kind === 'failed') {
      env.status = { kind: 'restore-failed', message: result.message };
      return false;
    }
    env.provenance = new Map(env.storedLock.map((d) => [lockKey(d.name, d.version), d]));
    env.status = { kind: 'ready' };
    this.options.environments.switchTo(this.options.environments.active);
    return true;
  }

  /** A saved venv's directory: laid out again where files are missing, and registered. */
  private layOut(saved: StoredEnvironment): Environment | null {
    const { fs, environments } = this.options;
    const options = saved.options ?? { systemSitePackages: false, prompt: null, withPip: true, scmIgnoreFiles: true };
    try {
      writeVenvLayout(fs, saved.prefix, environments.facts, options, { onlyMissing: true });
    } catch {
      return null;
    }
    return isVenv(fs, saved.prefix) ? environments.register(saved.prefix, options) : null;
  }

  private async saveNow(): Promise<string | null> {
    const { environments, fs, store } = this.options;
    try {
      // A venv whose directory was removed is no longer an environment.
      for (const env of environments.list()) if (env.kind === 'venv' && !isVenv(fs, env.prefix)) environments.forget(env.prefix);
      const text = new TextDecoder().decode(encodeState(this.state()));
      if (text !== this.lastState) {
        await store.set(STATE_KEY, new TextEncoder().encode(text));
        this.lastState = text;
      }
      const links = await this.files.sync();
      return links.length === 0 ? null : linksLeftOut(links);
    } catch (error) {
      return `The workspace could not be saved (${describe(error)}); the latest changes are in this tab only.`;
    }
  }
}

function describe(error: unknown): string {
  return describeFsError(error);
}

/** What the save says of symbolic links it left out (once per link). */
function linksLeftOut(links: readonly string[]): string {
  const names = links.map((l) => shellQuote(l)).join(', ');
  return `${links.length === 1 ? `${names} is a symbolic link` : `${names} are symbolic links`}: links are not kept after a reload (the workspace saves files and folders, never through a link).`;
}
