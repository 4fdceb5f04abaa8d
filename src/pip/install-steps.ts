/**
 * The steps `pip install` and `pip download` share: a package source for the run, the
 * resolution (or pip's explanation of why there is none), the `Collecting` lines, and the
 * downloads with pip's `Downloading ... (62 kB)` / `Using cached ...` lines
 * (pip `operations/prepare.py` `_log_preparing_link`, `network/download.py` `_log_download`).
 */
import type { InstalledDist, JournalFs, StagedWheel } from '../install';
import type { DistributionFile, DistributionMetadata, NormalizedName } from '../pep';
import { resolve, type DecisionListener, type NoSolution, type PinnedDistribution, type Resolution, type ResolverEvent } from '../resolver';
import type { PrefetchDownloads } from './prefetch-downloads';
import type { CommandRun } from './command';
import { sourceOptionsFrom } from './command';
import { displayPath, formatSize, resolvePath } from './format';
import { fileUrlToPath, IndexActivity, isInstalledCandidate, isLocalFile, PipSource } from './pip-source';
import { PipError, PipErrorCode } from './pip-error';
import { collectContext, collectRequirements, refuseSource, type CollectedRequirements, type RootRequirement } from './requirements';
import { intersectHashes, parseHashOptions, type AllowedHashes } from './hashes';
import type { FormatControl } from './format-control';
import type { PipBuilds } from './source-builds';
import type { WalkNode } from './resolution-walk';

/** The source of one run and the activity it reports. */
export interface RunSource {
  readonly source: PipSource;
  readonly activity: IndexActivity;
  /** Builds from source, when the command builds (install, wheel). */
  builds?: PipBuilds;
  /** Wheels read while resolving (pip install): the downloads take them from here. */
  prefetch?: PrefetchDownloads<StagedWheel> | null;
}

/** A wheel's bytes: read ahead during the resolution when the run does that, else read now. */
export function readWheel(run: CommandRun, rs: RunSource, file: DistributionFile): Promise<Uint8Array> {
  if (rs.prefetch && !isLocalFile(file)) return rs.prefetch.take(file).then((p) => p.bytes);
  return rs.source.getWheel(file, run.ctx.signal);
}

/** A source for the run: index options from the command line and the requirements files. */
export function prepareSource(
  run: CommandRun,
  collected: (Pick<CollectedRequirements, 'indexUrl' | 'extraIndexUrls' | 'noIndex' | 'findLinks'> & Partial<Pick<CollectedRequirements, 'requirements' | 'constraints'>>) | null,
  installed: ReadonlyMap<NormalizedName, InstalledDist>,
): RunSource {
  const activity = new IndexActivity(run.ctx.out);
  const options = {
    ...sourceOptionsFrom(run, collected ? { indexUrl: collected.indexUrl, extraIndexUrls: collected.extraIndexUrls, noIndex: collected.noIndex } : {}),
    reporter: activity.reporter,
  };
  const findLinks: string[] = [];
  for (const link of [...run.options.list('findLinks'), ...(collected?.findLinks ?? [])]) {
    if (/^https?:/i.test(link)) {
      throw new PipError(
        PipErrorCode.Unsupported,
        `Cannot use --find-links ${link}: Pipette reads --find-links from directories in its virtual filesystem only. Put the wheels in a directory and pass its path, or use --extra-index-url for an index.`,
        link,
      );
    }
    const path = resolvePath(run.ctx.cwd, link.replace(/^file:\/\//i, ''));
    if (!run.ctx.fs.isDirectory(path)) {
      run.log.warning(`Location '${link}' is ignored: it is either a non-existing path or lacks a specific scheme.`);
      continue;
    }
    findLinks.push(path);
  }
  const inner = run.ctx.source(options);
  const allowedHashes = allowedHashesOf([...(collected?.requirements ?? []), ...(collected?.constraints ?? [])]);
  const source = new PipSource({ inner, fs: run.ctx.fs, findLinks, installed, warn: (m) => run.log.warning(m), allowedHashes });
  return { source, activity };
}

/**
 * Per project, the digests its requirements and constraints allow: pip's `Hashes` of each
 * `InstallRequirement` (`trust_internet=False`), intersected (`Hashes.__and__`, where an empty
 * side allows everything).
 */
function allowedHashesOf(roots: readonly RootRequirement[]): Map<NormalizedName, AllowedHashes> {
  const out = new Map<NormalizedName, AllowedHashes>();
  for (const root of roots) {
    if (root.hashes.length === 0) continue;
    const name = root.requirement.normalizedName;
    out.set(name, intersectHashes(out.get(name) ?? new Map(), parseHashOptions(root.hashes)));
  }
  return out;
}

export interface ResolveStepOptions {
  readonly preferences: readonly { readonly name: string; readonly version: string }[];
  /** Which kinds of files may be used per project (`--no-binary` / `--only-binary`); wheels only when absent. */
  readonly formats?: FormatControl;
  readonly upgrade: boolean;
  readonly upgradePackages: readonly string[];
  readonly noDeps: boolean;
  readonly pre: boolean;
  /** Told of each decision as it is made (downloads that start during the resolution). */
  readonly decisions?: DecisionListener;
}

/** Resolve, or print pip's explanation (ERROR lines) and return the NoSolution. */
export async function resolveStep(run: CommandRun, rs: RunSource, collected: CollectedRequirements, options: ResolveStepOptions): Promise<Resolution | NoSolution> {
  const env = run.ctx.environment;
  const excludeNewer = run.options.string('excludeNewer');
  const result = await resolve(
    {
      requirements: collected.requirements.map((r) => r.requirement),
      constraints: collected.constraints.map((r) => r.requirement),
      preferences: options.preferences,
    },
    rs.source,
    {
      environment: env.markerEnvironment,
      pyodide: env.lockInfo,
      pre: options.pre,
      noDeps: options.noDeps,
      upgrade: options.upgrade,
      upgradePackages: options.upgradePackages,
      ...(options.formats ? { formats: (name: NormalizedName) => options.formats!.allowed(name) } : {}),
      ...(excludeNewer !== null ? { excludeNewer } : {}),
      ...(run.ctx.signal ? { signal: run.ctx.signal } : {}),
      ...(options.decisions ? { decisions: options.decisions } : {}),
      // -v: the resolver's decisions and backtracks in order (what `pip install --dry-run -v`
      // is for when teaching); -vv adds every index request.
      ...(run.log.verbosity >= 1 ? { reporter: (event: ResolverEvent) => logResolverEvent(run, event) } : {}),
    },
  );
  flushWarnings(run, rs);
  for (const w of result.warnings) {
    // The yanked notice is printed where pip prints it (once the candidate is chosen); every
    // other resolver notice is a warning now.
    if (w.code !== 'yanked' || result.kind === 'resolution') run.log.warning(w.message);
  }
  if (result.kind === 'no-solution') {
    run.ctx.out.stderr(`${result.explanation.replace(/\n+$/, '')}\n`);
  }
  return result;
}

/** The metadata of a pin, as the resolver saw it (null for shared libraries and failures). */
export function metadataOf(source: PipSource): (pin: PinnedDistribution) => Promise<DistributionMetadata | null> {
  return (pin) => source.getMetadata(pin.file).catch(() => null);
}

/** How pip shows a download: the file name for PyPI's file host, else the URL without fragment. */
export function displayUrl(url: string): string {
  const bare = url.split('#', 1)[0]!;
  try {
    const parsed = new URL(bare);
    if (parsed.host === 'files.pythonhosted.org') {
      return decodeURIComponent(parsed.pathname.slice(parsed.pathname.lastIndexOf('/') + 1));
    }
  } catch {
    // not a URL: shown as is
  }
  return bare;
}

/** Whether the wheel had to be read during resolution (no PEP 658 metadata file). */
function fetchedDuringResolution(file: DistributionFile): boolean {
  return file.coreMetadata === false && file.origin === 'index' && !isLocalFile(file) && !isInstalledCandidate(file);
}

/** `same-wheel`: a local wheel of the version already installed (pip keeps it, and says so). */
export type NodeState = 'satisfied' | 'same-wheel' | 'install';

export interface CollectingOptions {
  /** Where each node stands; a missing entry means `install`. */
  readonly states: ReadonlyMap<NormalizedName, NodeState>;
  /** For `satisfied` nodes: where and which version (`in /lib/python3.14/site-packages (3.7)`). */
  readonly satisfiedBy: ReadonlyMap<NormalizedName, { readonly location: string; readonly version: string }>;
  /** Read wheels as pip would at this point (false for a dry run). */
  readonly fetch: boolean;
}

/**
 * Prints `Collecting` / `Processing` / `Requirement already satisfied` for every node in walk
 * order, with the `.metadata` download and, for wheels pip reads whole to learn their
 * dependencies, the wheel download right under it. Returns the wheels read so far, by URL.
 */
export async function printCollecting(run: CommandRun, rs: RunSource, nodes: readonly WalkNode[], options: CollectingOptions): Promise<Map<string, Uint8Array>> {
  const log = run.log;
  const bytesByUrl = new Map<string, Uint8Array>();
  for (const node of nodes) {
    const name = node.pin.name;
    const from = node.comesFrom ? ` (from ${node.comesFrom})` : '';
    const state = options.states.get(name) ?? 'install';
    if (state === 'satisfied') {
      const by = options.satisfiedBy.get(name);
      log.info(`Requirement already satisfied: ${node.requirementText} in ${by?.location ?? '?'}${from} (${by?.version ?? node.pin.version.toString()})`);
      continue;
    }
    const file = node.pin.file;
    // A source root said `Processing` / `Obtaining` / `Collecting` when it was prepared.
    if (node.root?.source) continue;
    if (node.root?.localPath) log.info(`Processing ${node.root.localPath}${from}`);
    else log.info(`Collecting ${node.requirementText}${from}`);
    if (rs.builds?.isSource(file)) {
      rs.builds.printPrepared(file);
      continue;
    }
    if (state === 'same-wheel') {
      log.info(`${node.displayName} is already installed with the same version as the provided wheel. Use --force-reinstall to force an installation of the wheel.`);
      continue;
    }
    const metadataBytes = file.coreMetadata ? rs.activity.fetched(`${file.url}.metadata`) : null;
    if (metadataBytes !== null) {
      await log.indent(() => log.info(`Downloading ${displayUrl(file.url)}.metadata (${formatSize(metadataBytes)})`));
    }
    if (fetchedDuringResolution(file)) {
      // pip read the whole wheel to learn its dependencies: its download belongs here.
      if (options.fetch) {
        const bytes = await readWheel(run, rs, file);
        bytesByUrl.set(file.url, bytes);
        await log.indent(() => log.info(downloadLine(rs, file, bytes)));
      } else {
        const fetched = rs.activity.fetched(file.url);
        if (fetched !== null) await log.indent(() => log.info(`Downloading ${displayUrl(file.url)} (${formatSize(file.size ?? fetched)})`));
      }
    }
  }
  return bytesByUrl;
}

function downloadLine(rs: RunSource, file: DistributionFile, bytes: Uint8Array): string {
  const size = formatSize(file.size ?? bytes.length);
  return rs.activity.fetched(file.url) !== null ? `Downloading ${displayUrl(file.url)} (${size})` : `Using cached ${displayUrl(file.url)} (${size})`;
}

/**
 * Reads every file not read yet (in parallel; the fetch layer limits concurrency) and prints
 * pip's download lines in order. All or nothing: the first failure is thrown, after the
 * lines of the files before it.
 */
export async function downloadFiles(run: CommandRun, rs: RunSource, nodes: readonly WalkNode[], have: Map<string, Uint8Array>, onRead?: (node: WalkNode, read: Promise<Uint8Array>) => void): Promise<Map<string, Uint8Array>> {
  const pending = nodes.filter((n) => !have.has(n.pin.file.url));
  const results = await Promise.allSettled(
    pending.map((n) => {
      const read = readWheel(run, rs, n.pin.file);
      onRead?.(n, read);
      return read;
    }),
  );
  for (let i = 0; i < pending.length; i++) {
    const node = pending[i]!;
    const result = results[i]!;
    if (result.status === 'rejected') throw result.reason;
    have.set(node.pin.file.url, result.value);
    if (!isLocalFile(node.pin.file)) run.log.info(downloadLine(rs, node.pin.file, result.value));
  }
  // What the cache said while the files were read and stored (a full store, say), pages and
  // metadata files written behind included.
  await rs.source.inner.cache.settled();
  flushWarnings(run, rs);
  return have;
}

/** Prints the index's and the cache's warnings gathered so far, once. */
function flushWarnings(run: CommandRun, rs: RunSource): void {
  for (const message of rs.activity.warnings) run.log.warning(message);
  rs.activity.warnings.length = 0;
}

function logResolverEvent(run: CommandRun, event: ResolverEvent): void {
  switch (event.kind) {
    case 'decision':
      run.log.verbose(`Resolver: pinned ${event.package}==${event.version} (level ${event.level})`);
      break;
    case 'rejected':
      run.log.verbose(`Resolver: rejected ${event.package}==${event.version}: its dependencies conflict with what is already decided`);
      break;
    case 'backtrack':
      run.log.verbose(`Resolver: backtracking from level ${event.fromLevel} to ${event.toLevel}: ${event.cause}`);
      break;
    case 'unavailable':
      run.log.verbose(`Resolver: ${event.package} ${event.versions}: ${event.reason}`);
      break;
    case 'fetch-project':
      run.log.debug(`Fetching the index page of ${event.name}${event.prefetch ? ' (prefetch)' : ''}`);
      break;
    case 'fetch-metadata':
      run.log.debug(`Fetching the metadata of ${event.filename}${event.prefetch ? ' (prefetch)' : ''}`);
      break;
    default:
      break;
  }
}

/**
 * Writes each node's file into `dest` through `journal` with pip's lines: `Saved ./dist/x.whl`,
 * or `File was already downloaded ...` when the same bytes are there (pip download, pip wheel).
 */
export function saveFiles(run: CommandRun, journal: JournalFs, dest: string, nodes: readonly WalkNode[], have: ReadonlyMap<string, Uint8Array>): void {
  const { ctx, log } = run;
  for (const node of nodes) {
    const file = node.pin.file;
    const target = `${dest}/${file.filename}`;
    const bytes = have.get(file.url)!;
    const existing = ctx.fs.readFile(target);
    if ((existing && sameBytes(existing, bytes)) || (isLocalFile(file) && fileUrlToPath(file.url) === target)) {
      log.info(`File was already downloaded ${displayPath(ctx.cwd, target)}`);
    } else {
      journal.writeFile(target, bytes);
      log.info(`Saved ${displayPath(ctx.cwd, target)}`);
    }
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The requirements of `pip install` / `pip wheel` with sources allowed (folders, sdists, `-e`,
 * `git+https://`), pip's notes printed; null when nothing is left to do (every requirement's
 * marker excluded it). Without the tab's Python, a source is refused here, before anything else.
 */
export async function collectWithSources(run: CommandRun, verb: string): Promise<CollectedRequirements | null> {
  const { ctx, options: o, log } = run;
  const collected = await collectRequirements(
    { args: run.args, requirementFiles: o.list('requirements'), constraintFiles: o.list('constraints'), editables: o.list('editables'), allowSources: true },
    collectContext(ctx),
  );
  for (const w of collected.warnings) log.warning(w);
  for (const line of collected.ignored) log.info(line);
  if (collected.requirements.length === 0 && collected.sourceRoots.length === 0) {
    if (collected.ignored.length > 0) return null;
    throw new PipError(PipErrorCode.Command, `You must give at least one requirement to ${verb} (see "pip help ${verb}")`);
  }
  if (!ctx.python && collected.sourceRoots.length > 0) throw refuseSource(collected.sourceRoots[0]!);
  return collected;
}
