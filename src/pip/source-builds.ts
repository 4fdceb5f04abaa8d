// Over 400 lines: pip's prepare / wheel_builder / build_env steps for source trees over one build cache.
/**
 * pip's side of building from source (pip `operations/prepare.py`, `wheel_builder.py`,
 * `build_env.py`), over src/build:
 * - source roots (`.`, `-e ./proj`, `x.tar.gz`, `git+https://github.com/...`) are prepared
 *   before resolving, as pip prepares explicit links: `Processing ...` / `Obtaining ...` /
 *   `Collecting ...`, the build steps, and a named requirement `name @ url` for the resolver;
 * - an sdist the resolver picks from an index has its metadata prepared when the resolver asks
 *   (the step lines are held and printed under its `Collecting` line);
 * - after resolving, `Building wheels for collected packages: ...`, each wheel built (or taken
 *   from the built-wheel cache) and handed to the normal install path as a wheel file.
 *
 * Build requirements are installed by this same pip (`pip install --prefix ENV --ignore-installed
 * --only-binary :all: ...`, with the run's index options), as pip's BuildEnvironment runs a pip
 * subprocess; they must be wheels here (building a build dependency from source could recurse).
 */
import {
  BuildError,
  BuildErrorCode,
  SourceBuilder,
  type DirectUrlRecord,
  type PreparedMetadata,
  type SourceOrigin,
  type SourceTree,
  type SourceWheel,
} from '../build';
import { extractMetadata, IndexError, IndexErrorCode } from '../index';
import type { BuiltFrom } from '../install';
import { distributionMetadata, normalizeName, parseMetadata, parseSdistFilename, Requirement, type DistributionFile, type DistributionMetadata, sha256Hex } from '../pep';
import { PipBuildReporter, isSubprocessFailure } from './build-output';
import type { CommandRun } from './command';
import { basenameOf, displayPath, formatSize } from './format';
import type { RunSource } from './install-steps';
import { DiagnosticPipError, PipError, PipErrorCode } from './pip-error';
import { stripFragment } from './pip-source';
import { nestedInstaller, parseConfigSettings, pythonVersion } from './build-installer';
import type { CollectedRequirements, RootRequirement, SourceRoot } from './requirements';
import type { WalkNode } from './resolution-walk';

/** A source whose metadata is known: what the resolver sees of it, and how to get its wheel. */
interface Prepared {
  /** The file the resolver sees (an index sdist, or a stand-in named `name-version.tar.gz`). */
  readonly file: DistributionFile;
  /** Unpacked and ready to build; null when the cache answered without unpacking. */
  readonly tree: SourceTree | null;
  readonly metadata: DistributionMetadata;
  readonly metadataText: string;
  /** The wheel already built from this source (the cache), if any. */
  readonly cached: SourceWheel | null;
  /** direct_url.json for a direct reference; null for an index sdist. */
  readonly directUrl: DirectUrlRecord | null;
  /** Where the source came from, by its hash (the cache key's ingredients). */
  readonly origin: SourceOrigin | null;
  /** Step lines held while resolving, printed under the `Collecting` line. */
  held: string;
  /** The archive's bytes (an sdist), for hash-checking mode. */
  archive?: Uint8Array;
}

/**
 * A built (or cached) wheel, as the install plan takes it: a file whose URL is the source's
 * (PEP 610's `url` for a direct reference, the sdist's for one from an index) and whose name and
 * sha256 are the wheel's; its lock record says what it was built from (LockRecord.built), and
 * direct_url.json is written from that (src/install directUrlRecord).
 */
export interface BuiltSource {
  readonly file: DistributionFile;
  readonly bytes: Uint8Array;
  /** PEP 610's `url` of a direct reference (the folder, the archive, the repository); null for an index sdist. */
  readonly directUrl: string | null;
  /** What it was built from, for the environment's lock. */
  readonly built: BuiltFrom;
}

export class PipBuilds {
  readonly reporter: PipBuildReporter;
  private readonly builder: SourceBuilder;
  /** By the URL the resolver knows the file by. */
  private readonly prepared = new Map<string, Prepared>();
  private readonly pendingSdists = new Map<string, Promise<Prepared>>();
  /** Step lines of index sdists prepared while resolving, by file URL. */
  private readonly heldLines = new Map<string, string>();
  /** One preparation at a time: Python runs one thing at once, and held lines must not mix. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly run: CommandRun,
    private readonly rs: RunSource,
    collected: Pick<CollectedRequirements, 'indexUrl' | 'extraIndexUrls' | 'noIndex' | 'findLinks'>,
  ) {
    const ctx = run.ctx;
    if (!ctx.python) throw new PipError(PipErrorCode.Unsupported, 'Building from source needs the Python of a Pipette tab.');
    this.reporter = new PipBuildReporter(run);
    const [major, minor] = pythonVersion(ctx).split('.');
    const configSettings = parseConfigSettings(run.options.list('configSettings'));
    this.builder = new SourceBuilder({
      fs: ctx.fs,
      python: ctx.python,
      install: nestedInstaller(run, collected),
      pythonVersion: `${major}.${minor}`,
      reporter: this.reporter,
      cache: run.options.flag('noCacheDir') ? null : rs.source.inner.cache,
      // GitHub's "no such ref" (422) and rate limit (403) are answers for src/build to word.
      fetchUrl: async (url, options) => {
        try {
          return await rs.source.inner.fetchUrl(url, { ...options, ...(ctx.signal ? { signal: ctx.signal } : {}) });
        } catch (error) {
          if (error instanceof IndexError && error.status !== null && error.status >= 400 && error.status < 500) return { status: error.status, bytes: new Uint8Array() };
          throw error;
        }
      },
      ...(ctx.githubHosts ? { githubHosts: ctx.githubHosts } : {}),
      ...(Object.keys(configSettings).length > 0 ? { configSettings } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
  }

  // ---- source roots, before resolving ------------------------------------------------------

  /** Prepares each source root (printing pip's lines) and names it: `hello[dev] @ file:///...`. */
  async prepareRoots(roots: readonly SourceRoot[]): Promise<RootRequirement[]> {
    const out: RootRequirement[] = [];
    for (const root of roots) out.push(await this.serial(() => this.prepareRoot(root)));
    return out;
  }

  private async prepareRoot(root: SourceRoot): Promise<RootRequirement> {
    const { run } = this;
    const log = run.log;
    const link = root.link;
    const from = root.comesFrom ? ` (from ${root.comesFrom})` : '';
    let tree: SourceTree;
    let archive: Uint8Array | undefined;
    try {
      switch (link.kind) {
        case 'directory':
          log.info(link.editable ? `Obtaining ${link.url}${from}` : `Processing ${displayPath(run.ctx.cwd, link.path!)}${from}`);
          tree = this.builder.directory(link.path!, link.editable);
          break;
        case 'archive':
          if (link.path !== null) {
            log.info(`Processing ${displayPath(run.ctx.cwd, link.path)}${from}`);
            const bytes = run.ctx.fs.readFile(link.path);
            if (bytes === null) throw new PipError(PipErrorCode.File, `Could not read ${link.path}: the file does not exist.`);
            await this.checkArchiveHash(root, bytes);
            archive = bytes;
            tree = await this.builder.archive(basenameOf(link.path), link.url, bytes, true);
          } else {
            log.info(`Collecting ${root.name ? `${root.name}@ ` : ''}${link.url}${from}`);
            const file: DistributionFile = { ...urlFile(link.url), hashes: fragmentHashes(link.url) };
            const bytes = await this.rs.source.getWheel(file, run.ctx.signal);
            const fetched = this.rs.activity.fetched(file.url);
            await log.indent(() => log.info(`${fetched !== null ? 'Downloading' : 'Using cached'} ${file.filename} (${formatSize(bytes.length)})`));
            await this.checkArchiveHash(root, bytes);
            archive = bytes;
            tree = await this.builder.archive(file.filename, stripFragment(link.url), bytes, true);
          }
          break;
        case 'git':
          log.info(`Collecting ${root.name ? `${root.name}@ ` : ''}${link.url}${from}`);
          tree = await this.builder.git(link.url, link.editable);
          if (tree.origin.kind === 'git') {
            const { url, commit } = tree.origin;
            await log.indent(() => log.info(`Resolved ${url} to commit ${commit} (through GitHub's API)`));
          }
          break;
      }
    } catch (error) {
      throw this.failure(error);
    }
    const prepared = await this.prepareTree(tree, null);
    const name = prepared.metadata.name;
    if (root.name !== null && normalizeName(root.name) !== name) {
      throw new PipError(
        PipErrorCode.Installation,
        `Generating metadata for package ${root.name} produced metadata for project name ${prepared.metadataText.match(/^Name:\s*(.+)$/m)?.[1]?.trim() ?? name}. Fix your #egg=${root.name} fragments.`,
        link.written,
      );
    }
    const displayName = /^Name:\s*(.+?)\s*$/m.exec(prepared.metadataText)?.[1] ?? name;
    const extras = root.extras.length > 0 ? `[${root.extras.join(',')}]` : '';
    const requirement = Requirement.parse(`${displayName}${extras} @ ${link.url}${root.marker ? ` ; ${root.marker}` : ''}`);
    const url = requirement.url!;
    const file: DistributionFile = {
      filename: `${displayName.replace(/[-_.]+/g, '_').toLowerCase()}-${prepared.metadata.version.toString()}.tar.gz`,
      url,
      hashes: tree.origin.kind === 'archive' ? { sha256: tree.origin.sha256 } : {},
      size: null,
      requiresPython: prepared.metadata.requiresPython?.toString() ?? null,
      yanked: false,
      uploadTime: '1970-01-01T00:00:00Z',
      coreMetadata: false,
      index: '',
      origin: 'index',
    };
    this.prepared.set(url, { ...prepared, file, ...(archive ? { archive } : {}) });
    return {
      requirement,
      display: `${displayName}${extras}==${prepared.metadata.version.toString()}`,
      comesFrom: root.comesFrom,
      hashes: root.hashes,
      localPath: null,
      link: link.written,
      source: link,
    };
  }

  /** `--hash` on a local or URL sdist: checked as pip checks any archive. */
  private async checkArchiveHash(root: SourceRoot, bytes: Uint8Array): Promise<void> {
    if (root.hashes.length === 0) return;
    const got = await sha256Hex(bytes);
    const allowed = root.hashes.filter((h) => h.startsWith('sha256:')).map((h) => h.slice(7).toLowerCase());
    if (allowed.length > 0 && !allowed.includes(got)) {
      throw new PipError(
        PipErrorCode.Hashes,
        `THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE. If you have updated the package versions, please update the hashes. Otherwise, examine the package contents carefully; someone may have tampered with them.\n    ${root.link.written}:\n        Expected sha256 ${allowed.join('\n             or ')}\n             Got        ${got}`,
      );
    }
  }

  // ---- the resolver's hooks (PipSource) ------------------------------------------------------

  /** Files that are sources: sdists (from an index or stand-ins for prepared roots). */
  isSource(file: DistributionFile): boolean {
    return file.pyodideLock === undefined && !file.filename.endsWith('.whl') && (this.prepared.has(file.url) || parseSdistFilename(file.filename) !== null);
  }

  /** The stand-in file of a prepared root, by its URL. */
  directFile(url: string): DistributionFile | undefined {
    return this.prepared.get(url)?.file;
  }

  /** The metadata of a source: prepared before (roots), or now (an sdist from an index). */
  async metadata(file: DistributionFile): Promise<DistributionMetadata> {
    const known = this.prepared.get(file.url);
    if (known) return known.metadata;
    let pending = this.pendingSdists.get(file.url);
    if (!pending) {
      pending = this.serial(() => this.prepareSdist(file));
      this.pendingSdists.set(file.url, pending);
    }
    return (await pending).metadata;
  }

  metadataText(file: DistributionFile): string | null {
    return this.prepared.get(file.url)?.metadataText ?? null;
  }

  /** An sdist from an index: the cached wheel's metadata, or downloaded, unpacked and prepared. */
  private async prepareSdist(file: DistributionFile): Promise<Prepared> {
    const sdist = parseSdistFilename(file.filename);
    const sha256 = file.hashes['sha256'];
    const cached = sha256 ? await this.builder.cached(SourceBuilder.archiveKey(sha256)) : null;
    let prepared: Prepared;
    if (cached) {
      const text = new TextDecoder().decode(extractMetadata(cached.bytes, { filename: cached.filename, url: file.url }));
      prepared = {
        file,
        tree: null,
        metadata: distributionMetadata(parseMetadata(text)),
        metadataText: text,
        cached,
        directUrl: null,
        origin: { kind: 'archive', url: file.url, filename: file.filename, sha256: sha256! },
        held: '',
      };
    } else {
      const bytes = await this.rs.source.getWheel(file, this.run.ctx.signal);
      let tree: SourceTree;
      try {
        tree = await this.builder.archive(file.filename, file.url, bytes, false);
      } catch (error) {
        throw this.failure(error);
      }
      this.reporter.hold();
      try {
        prepared = { ...(await this.prepareTree(tree, file)), held: '', archive: bytes };
      } finally {
        const held = this.reporter.release();
        this.heldLines.set(file.url, held);
      }
    }
    if (sdist && (sdist.name !== prepared.metadata.name || !sdist.version.equals(prepared.metadata.version))) {
      throw new IndexError(
        IndexErrorCode.MetadataMismatch,
        `Requested ${sdist.name} from ${file.url} has inconsistent ${sdist.name !== prepared.metadata.name ? 'name' : 'version'}: expected '${sdist.name !== prepared.metadata.name ? sdist.name : sdist.version.toString()}', but metadata has '${sdist.name !== prepared.metadata.name ? prepared.metadata.name : prepared.metadata.version.toString()}'`,
        { url: file.url, filename: file.filename },
      );
    }
    prepared.held = this.heldLines.get(file.url) ?? '';
    this.prepared.set(file.url, prepared);
    return prepared;
  }

  /** Prints what preparing an index sdist printed, under its `Collecting` line. */
  printPrepared(file: DistributionFile): void {
    const prepared = this.prepared.get(file.url);
    const log = this.run.log;
    const fetched = this.rs.activity.fetched(file.url);
    if (prepared?.cached) {
      log.indentSync(() => log.info(`Using cached ${prepared.cached!.filename} (built from ${file.filename} before)`));
      return;
    }
    if (fetched !== null) log.indentSync(() => log.info(`Downloading ${file.filename} (${formatSize(file.size ?? fetched)})`));
    else log.indentSync(() => log.info(`Using cached ${file.filename} (${formatSize(file.size ?? 0)})`));
    if (prepared?.held) this.run.ctx.out.stdout(prepared.held);
  }

  /**
   * Whether the installed distribution already is this source (pip keeps it): a repository at
   * the same commit, an archive with the same hash. A folder never is (pip rebuilds it); null
   * for an sdist from an index (the usual same-version rule applies).
   */
  alreadyInstalled(file: DistributionFile, existing: { readonly distInfoPath: string } | null): boolean | null {
    const prepared = this.prepared.get(file.url);
    if (!prepared || prepared.directUrl === null) return null;
    if (existing === null || 'dir_info' in prepared.directUrl) return false;
    const text = this.run.ctx.fs.readFile(`${existing.distInfoPath}/direct_url.json`);
    if (text === null) return false;
    try {
      const installed = JSON.parse(new TextDecoder().decode(text)) as Record<string, unknown>;
      return JSON.stringify(sortedKeys(installed)) === JSON.stringify(sortedKeys(prepared.directUrl as unknown as Record<string, unknown>));
    } catch {
      return false;
    }
  }

  /** The sdist's bytes, for `--require-hashes` (pip cannot hash a folder or a repository either). */
  async archiveBytes(file: DistributionFile): Promise<Uint8Array> {
    const prepared = this.prepared.get(file.url);
    if (prepared?.archive) return prepared.archive;
    if (prepared?.directUrl && 'dir_info' in prepared.directUrl) {
      throw new PipError(PipErrorCode.Hashes, `Can't verify hashes for these file:// requirements because they point to directories:\n    ${prepared.directUrl.url}`);
    }
    if (prepared?.directUrl && 'vcs_info' in prepared.directUrl) {
      throw new PipError(PipErrorCode.Hashes, `Can't verify hashes for these requirements because we don't have a way to hash version control repositories:\n    ${prepared.directUrl.url}`);
    }
    return this.rs.source.getWheel(file, this.run.ctx.signal);
  }

  // ---- after resolving: the wheels ------------------------------------------------------------

  /**
   * Builds the wheels of the source nodes (the cached ones are taken as they are), in pip's
   * words; all or nothing: a failure is pip's `failed-wheel-build-for-install` after every
   * build was tried. Returns the wheels by the source file's URL.
   */
  async buildWheels(nodes: readonly WalkNode[]): Promise<Map<string, BuiltSource>> {
    const log = this.run.log;
    const out = new Map<string, BuiltSource>();
    const toBuild: { node: WalkNode; prepared: Prepared }[] = [];
    for (const node of nodes) {
      if (!this.isSource(node.pin.file)) continue;
      const prepared = this.prepared.get(node.pin.file.url);
      if (!prepared) throw new PipError(PipErrorCode.Installation, `${node.displayName} was not prepared for building.`);
      if (prepared.cached) out.set(node.pin.file.url, this.builtSource(prepared, prepared.cached));
      else toBuild.push({ node, prepared });
    }
    if (toBuild.length === 0) return out;
    log.info(`Building wheels for collected packages: ${toBuild.map((b) => b.node.displayName).join(', ')}`);
    const built: string[] = [];
    const failed: string[] = [];
    for (const { node, prepared } of toBuild) {
      this.run.ctx.signal?.throwIfAborted();
      const name = node.displayName;
      try {
        const wheel = await this.serial(() => this.builder.wheel(prepared.tree!));
        await log.indent(() => {
          log.info(`Created wheel for ${name}: filename=${wheel.filename} size=${wheel.bytes.length} sha256=${wheel.sha256}`);
          log.info(`Stored in directory: ${this.storedIn(wheel)}`);
        });
        out.set(node.pin.file.url, this.builtSource(prepared, wheel));
        built.push(name);
      } catch (error) {
        if (this.run.ctx.signal?.aborted || !(error instanceof BuildError)) throw error;
        await log.indent(() => {
          if (!isSubprocessFailure(error)) log.error(error.message);
          log.error(`Failed building wheel for ${name}`);
        });
        failed.push(name);
      }
    }
    if (built.length > 0) log.info(`Successfully built ${built.join(' ')}`);
    if (failed.length > 0) {
      log.info(`Failed to build ${failed.join(' ')}`);
      throw new DiagnosticPipError('failed-wheel-build-for-install', 'Failed to build installable wheels for some pyproject.toml based projects', [failed.join(', ')], null, null);
    }
    return out;
  }

  /** Removes this command's throwaway build folder. */
  close(): void {
    try {
      this.builder.close();
    } catch {
      // Cleaning /tmp must never hide the command's own outcome.
    }
  }

  private builtSource(prepared: Prepared, wheel: SourceWheel): BuiltSource {
    const source = prepared.file;
    const directUrl = prepared.directUrl?.url ?? null;
    return {
      file: {
        filename: wheel.filename,
        url: directUrl ?? stripFragment(source.url),
        hashes: { sha256: wheel.sha256 },
        size: wheel.bytes.length,
        requiresPython: source.requiresPython,
        yanked: false,
        uploadTime: source.uploadTime,
        coreMetadata: false,
        index: source.index,
        origin: 'index',
      },
      bytes: wheel.bytes,
      directUrl,
      built: builtFrom(prepared.origin, prepared.directUrl, source),
    };
  }

  private storedIn(wheel: SourceWheel): string {
    const where = this.run.options.flag('noCacheDir') ? 'memory (--no-cache-dir: not kept)' : (this.run.ctx.cacheLocation ?? 'memory (this session only)');
    const d = wheel.sha256;
    return `${where}/wheels/${d.slice(0, 2)}/${d.slice(2, 4)}/${d.slice(4, 6)}/${d.slice(6)}`;
  }

  /** Cache first; else the backend's metadata (steps 1-5). */
  private async prepareTree(tree: SourceTree, file: DistributionFile | null): Promise<Omit<Prepared, 'file'> & { file: DistributionFile }> {
    const cached = await this.builder.cached(tree.cacheKey);
    let text: string;
    if (cached) {
      text = new TextDecoder().decode(extractMetadata(cached.bytes, { filename: cached.filename, url: tree.display }));
    } else {
      let prepared: PreparedMetadata;
      try {
        prepared = await this.builder.metadata(tree);
      } catch (error) {
        throw this.failure(error);
      }
      text = prepared.text;
    }
    return {
      file: file ?? urlFile(tree.display),
      tree,
      metadata: distributionMetadata(parseMetadata(text)),
      metadataText: text,
      cached,
      directUrl: tree.directUrl,
      origin: tree.origin,
      held: '',
    };
  }

  /** A build failure as pip reports it (see build-output.ts for the block already printed). */
  private failure(error: unknown): unknown {
    if (!(error instanceof BuildError)) return error;
    if (isSubprocessFailure(error)) {
      const step = this.reporter.lastFailedStep ?? 'Preparing metadata (pyproject.toml)';
      if (/metadata/.test(step)) {
        return new DiagnosticPipError('metadata-generation-failed', 'Encountered error while generating package metadata.', ['See above for output.'], 'This is an issue with the package mentioned above, not pip.', 'See above for details.');
      }
      const what = error.code === BuildErrorCode.BuildDependencies ? `pip subprocess to ${step.charAt(0).toLowerCase()}${step.slice(1)}` : step;
      return new DiagnosticPipError('subprocess-exited-with-error', `${what} did not run successfully.`, ['exit code: 1', 'See above for output.'], 'This error originates from a subprocess, and is likely not a problem with pip.', null);
    }
    return new PipError(error.code === BuildErrorCode.NeedsCompiler || error.code === BuildErrorCode.UnsupportedSource ? PipErrorCode.Unsupported : PipErrorCode.Installation, error.message, error.subject);
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const next = this.queue.then(f, f);
    this.queue = next.catch(() => {});
    return next;
  }
}

/** A JSON object with its keys sorted at every level, for comparing records. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value as object).sort().map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]));
}

/** A DistributionFile for a URL (name from its last segment). */
function urlFile(url: string): DistributionFile {
  const bare = stripFragment(url);
  return {
    filename: decodeURIComponent(bare.split('?', 1)[0]!.replace(/\/+$/, '').split('/').at(-1) ?? bare),
    url: bare,
    hashes: {},
    size: null,
    requiresPython: null,
    yanked: false,
    uploadTime: null,
    coreMetadata: false,
    index: '',
    origin: 'index',
  };
}

function fragmentOf(url: string): string {
  const i = url.indexOf('#');
  return i < 0 ? '' : url.slice(i);
}

/** `#sha256=...` on a URL (pip's hash fragments). */
function fragmentHashes(url: string): Record<string, string> {
  const params = new URLSearchParams(fragmentOf(url).slice(1));
  const out: Record<string, string> = {};
  for (const algorithm of ['sha256', 'sha384', 'sha512']) {
    const v = params.get(algorithm);
    if (v) out[algorithm] = v.toLowerCase();
  }
  return out;
}


/** A source's origin as the lock records it (src/install's BuiltFrom). */
function builtFrom(origin: SourceOrigin | null, directUrl: DirectUrlRecord | null, source: DistributionFile): BuiltFrom {
  if (origin?.kind === 'git') return { kind: 'git', commit: origin.commit, requestedRevision: origin.requestedRevision, subdirectory: origin.subdirectory };
  if (origin?.kind === 'directory') return { kind: 'directory', editable: directUrl !== null && 'dir_info' in directUrl && directUrl.dir_info.editable === true };
  return { kind: 'sdist', sha256: origin?.kind === 'archive' ? origin.sha256 : (source.hashes['sha256'] ?? '') };
}
