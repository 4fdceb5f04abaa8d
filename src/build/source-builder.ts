/**
 * Everything one command builds: source trees made ready (a local folder as it is; an sdist
 * unpacked; a GitHub commit fetched), their metadata and wheels through Pep517Build, and the
 * built-wheel cache (pip's wheel cache, content-addressed by the source: an sdist's sha256, a
 * commit, a folder's digest), so a second install, a reload or another environment installs the
 * same wheel without building.
 *
 * Every folder it makes is under one throwaway folder in /tmp, removed by `close()`.
 */
import { sha256Hex } from '../pep';
import type { FileSystem } from '../install';
import { unpackSourceArchive } from './archive';
import { BuildError, BuildErrorCode } from './build-error';
import { BUILD_ROOT, BuildEnvironment, newWorkDir, type RequirementInstaller } from './build-environment';
import type { BuildPython } from './build-python';
import { fetchGitHubTree, parseGitHubUrl, resolveGitHubCommit, type GitHubHosts, type UrlFetcher } from './github';
import { Pep517Build, type BuildContext, type BuildReporter, type BuiltWheel, type PreparedMetadata } from './pep517';
import { PythonFrontend } from './python-frontend';
import { pathToFileUrl, TREE_DIGEST_LIMITS, writeSourceFiles, type SourceTree } from './source-tree';

/** Where built wheels are kept (IndexCache implements it). */
export interface BuiltWheelStore {
  getBuilt(sourceKeyDigest: string): Promise<{ filename: string; sha256: string; bytes: Uint8Array } | undefined>;
  putBuilt(sourceKeyDigest: string, filename: string, sha256: string, bytes: Uint8Array): Promise<void>;
}

export interface SourceBuilderOptions {
  readonly fs: FileSystem;
  readonly python: BuildPython;
  readonly install: RequirementInstaller;
  /** `3.14` */
  readonly pythonVersion: string;
  readonly reporter: BuildReporter;
  /** The built-wheel cache; null with `--no-cache-dir`. */
  readonly cache: BuiltWheelStore | null;
  /** GETs for GitHub's API and raw host. */
  readonly fetchUrl: UrlFetcher;
  /** Tests only: a local stand-in for GitHub's hosts. */
  readonly githubHosts?: GitHubHosts;
  readonly configSettings?: Readonly<Record<string, string | readonly string[]>>;
  readonly signal?: AbortSignal;
}

/** A wheel built from a source, or found in the cache for it. */
export interface SourceWheel extends BuiltWheel {
  readonly sha256: string;
  /** True when it came from the cache (nothing was built). */
  readonly cached: boolean;
}

const FRONTEND_PREFIX = `${BUILD_ROOT}/frontend`;

export class SourceBuilder {
  private workDir: string | null = null;
  private counter = 0;
  private readonly builds = new Map<SourceTree, Pep517Build>();
  private frontendEnv: Promise<BuildEnvironment> | null = null;
  readonly frontend: PythonFrontend;
  private readonly context: BuildContext;

  constructor(private readonly options: SourceBuilderOptions) {
    this.frontend = new PythonFrontend(options.fs, options.python);
    this.context = {
      fs: options.fs,
      frontend: this.frontend,
      install: options.install,
      pythonVersion: options.pythonVersion,
      reporter: options.reporter,
      newFolder: (kind) => this.newFolder(kind),
      frontendEnvironment: () => this.frontendEnvironment(),
      ...(options.configSettings ? { configSettings: options.configSettings } : {}),
    };
  }

  /** A local folder (`pip install .`, `-e ./proj`), built in place as pip builds it. */
  directory(path: string, editable: boolean): SourceTree {
    const { fs } = this.options;
    if (!fs.isDirectory(path)) throw new BuildError(BuildErrorCode.NotAProject, path, `${path} is not a folder.`);
    const digest = this.frontend.treeDigest(path, TREE_DIGEST_LIMITS);
    // An editable wheel points at the folder, so its path is part of what it is.
    const cacheKey = digest === null ? null : editable ? `editable:${path}:${digest}` : `dir:${digest}`;
    return {
      dir: path,
      display: path,
      editable,
      directUrl: { url: pathToFileUrl(path), dir_info: editable ? { editable: true } : {} },
      cacheKey,
      origin: { kind: 'directory', path },
    };
  }

  /** The cache key of an sdist, known from its sha256 before it is even downloaded. */
  static archiveKey(sha256: string): string {
    return `sdist:${sha256.toLowerCase()}`;
  }

  /** An sdist (`.tar.gz`, `.zip`) whose bytes the caller fetched and checked, unpacked. */
  async archive(filename: string, url: string, bytes: Uint8Array, direct: boolean): Promise<SourceTree> {
    const sha256 = await sha256Hex(bytes);
    const files = unpackSourceArchive(filename, bytes);
    const dir = this.newFolder('src');
    writeSourceFiles(this.options.fs, this.frontend, dir, files, filename);
    return {
      dir,
      display: direct ? url : filename,
      editable: false,
      directUrl: direct ? { url, archive_info: { hashes: { sha256 }, hash: `sha256=${sha256}` } } : null,
      cacheKey: SourceBuilder.archiveKey(sha256),
      origin: { kind: 'archive', url, filename, sha256 },
    };
  }

  /** A `git+https://github.com/...` reference: the commit resolved, its files fetched and checked. */
  async git(url: string, editable: boolean): Promise<SourceTree> {
    const ref = parseGitHubUrl(url);
    if (editable) {
      throw new BuildError(
        BuildErrorCode.UnsupportedSource,
        url,
        `Cannot install ${url} in editable mode: pip clones the repository into ./src for that, and a browser tab cannot run git. Install it without -e, or put the project's files in a folder and use pip install -e FOLDER.`,
      );
    }
    const fetchOptions = { fetch: this.options.fetchUrl, ...(this.options.githubHosts ? { hosts: this.options.githubHosts } : {}), ...(this.options.signal ? { signal: this.options.signal } : {}) };
    const commit = await resolveGitHubCommit(ref, fetchOptions);
    const files = await fetchGitHubTree(ref, commit, fetchOptions);
    const dir = this.newFolder('git');
    writeSourceFiles(this.options.fs, this.frontend, dir, files, url);
    return {
      dir,
      display: url,
      editable: false,
      directUrl: {
        url: ref.url,
        vcs_info: { vcs: 'git', commit_id: commit, ...(ref.ref !== null ? { requested_revision: ref.ref } : {}) },
        ...(ref.subdirectory !== null ? { subdirectory: ref.subdirectory } : {}),
      },
      cacheKey: `git:${ref.url}@${commit}${ref.subdirectory !== null ? `#subdirectory=${ref.subdirectory}` : ''}`,
      origin: { kind: 'git', url: ref.url, commit, requestedRevision: ref.ref, subdirectory: ref.subdirectory },
    };
  }

  /** The wheel built from `key` before (this tab or a reload ago), when the cache still holds it. */
  async cached(key: string | null): Promise<SourceWheel | null> {
    if (key === null || this.options.cache === null) return null;
    const hit = await this.options.cache.getBuilt(await this.keyDigest(key));
    return hit ? { filename: hit.filename, bytes: hit.bytes, sha256: hit.sha256, cached: true } : null;
  }

  /** The project's metadata, prepared by its backend (steps 1-5 of pep517.ts). */
  metadata(tree: SourceTree): Promise<PreparedMetadata> {
    return this.buildOf(tree).prepareMetadata();
  }

  /** The name the tree's metadata gives, once prepared (for messages). */
  nameOf(tree: SourceTree): string | null {
    return this.builds.get(tree)?.name ?? null;
  }

  /** The wheel: built (and cached under the tree's key), or the cached one. */
  async wheel(tree: SourceTree): Promise<SourceWheel> {
    const hit = await this.cached(tree.cacheKey);
    if (hit) return hit;
    const built = await this.buildOf(tree).buildWheel();
    const sha256 = await sha256Hex(built.bytes);
    if (tree.cacheKey !== null && this.options.cache !== null) {
      await this.options.cache.putBuilt(await this.keyDigest(tree.cacheKey), built.filename, sha256, built.bytes);
    }
    return { ...built, sha256, cached: false };
  }

  /** Removes the command's throwaway folder (sources, environments, wheels). */
  close(): void {
    if (this.workDir !== null) {
      this.frontend.removeTree(this.workDir);
      this.workDir = null;
    }
  }

  private buildOf(tree: SourceTree): Pep517Build {
    let build = this.builds.get(tree);
    if (!build) {
      build = new Pep517Build(this.context, tree);
      this.builds.set(tree, build);
    }
    return build;
  }

  private newFolder(kind: string): string {
    this.workDir ??= newWorkDir(this.options.fs);
    const dir = `${this.workDir}/${kind}-${++this.counter}`;
    this.options.fs.mkdirp(dir);
    return dir;
  }

  /** pyproject_hooks, installed once per tab into /tmp/pipette-build/frontend. */
  private frontendEnvironment(): Promise<BuildEnvironment> {
    this.frontendEnv ??= (async () => {
      const env = new BuildEnvironment(FRONTEND_PREFIX, this.options.pythonVersion);
      if (!env.installedNames(this.options.fs).has('pyproject-hooks')) {
        await env.install(this.options.install, ['pyproject_hooks>=1.1'], 'the build frontend', "pyproject_hooks (pip's PEP 517 hook caller, which Pipette runs from the configured index)");
      }
      return env;
    })();
    this.frontendEnv.catch(() => {
      this.frontendEnv = null;
    });
    return this.frontendEnv;
  }

  private keyDigest(key: string): Promise<string> {
    // pip keys its wheel cache by interpreter too: a wheel built for one Python may not suit another.
    return sha256Hex(new TextEncoder().encode(`${key}\npython=${this.options.pythonVersion}`));
  }
}
