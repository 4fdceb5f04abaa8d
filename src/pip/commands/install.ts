// Over 400 lines: pip install's all-or-nothing order of work (resolve, fetch, check, commit) read top down.
/**
 * `pip install`: requirements -> resolution -> downloads -> one all-or-nothing change of the
 * environment, printed in pip's words (pip `commands/install.py`).
 *
 * Order of work, so that a failure anywhere leaves the environment byte for byte as it was:
 * 1. resolve (installed distributions are preferences: pip's only-if-needed strategy);
 * 2. read and verify every wheel (index hashes, `--hash` / `--require-hashes`);
 * 3. write: old versions out and new ones in through a journal, rolled back whole when any step
 *    fails (a bad wheel, a write error, a download that fails or is cancelled), then
 *    `afterChange()` so imports see it. Once the resolution is complete, each wheel is written as
 *    its download ends while the others still run (write-step.ts Downloads), and the journal is
 *    committed only when every download has ended well: the last byte leaves only the last
 *    wheel's own writing to do.
 */
import type { ArrivingWheel, BuiltFrom, InstalledDist, InstallScheme, LockRecord, StagedWheel } from '../../install';
import { listInstalled, satisfies, schemeForPrefix, sharedLibraryInstalled, stageWheel } from '../../install';
import { requestsPerHost } from '../../index';
import type { NormalizedName } from '../../pep';
import { normalizeName, terminalSafeJson } from '../../pep';
import { hostScheduler } from '../../resolver';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { indexGroup, requirementOptions } from '../cmdoptions';
import { affectedBy, checkPackageSet } from '../conflicts';
import { dirnameOf, resolvePath } from '../format';
import { digestHex, formatHashErrors, intersectHashes, parseHashOptions, type HashAlgorithm, type HashProblem } from '../hashes';
import { collectWithSources, downloadFiles, metadataOf, prepareSource, printCollecting, resolveStep, type NodeState, type RunSource } from '../install-steps';
import { FormatControl } from '../format-control';
import { PipBuilds } from '../source-builds';
import type { OptionGroup } from '../options';
import { PipError, PipErrorCode } from '../pip-error';
import { answerPipRequirements } from '../pip-package';
import { isInstalledCandidate, isLocalFile } from '../pip-source';
import { PrefetchDownloads } from '../prefetch-downloads';
import { installationReport, type ReportItem } from '../report';
import { isPinned, type CollectedRequirements } from '../requirements';
import { walkResolution, type WalkNode } from '../resolution-walk';
import { PIP_VERSION } from '../version';
import { rawVersion, summaryLine } from '../apply-output';
import { writeStep, type Downloads, type Location, type WriteOptions, type Written } from '../write-step';

export { rawVersion } from '../apply-output';

const installOptions: OptionGroup = {
  title: 'Install Options',
  options: [
    ...requirementOptions,
    {
      flags: ['-e', '--editable'],
      dest: 'editables',
      action: 'append',
      metavar: 'path/url',
      help: 'Install a project in editable mode (i.e. setuptools "develop mode") from a local project path or a VCS url.',
    },
    {
      flags: ['--dry-run'],
      dest: 'dryRun',
      action: 'store_true',
      help: "Don't actually install anything, just print what would be. Can be used in combination with --ignore-installed to 'resolve' the requirements.",
    },
    {
      flags: ['-t', '--target'],
      dest: 'targetDir',
      action: 'store',
      metavar: 'dir',
      help: 'Install packages into <dir>. By default this will not replace existing files/folders in <dir>. Use --upgrade to replace existing packages in <dir> with new versions.',
    },
    { flags: ['--user'], dest: 'useUserSite', action: 'store_true', help: 'Install to the Python user install directory (not available here).' },
    { flags: ['--no-user'], dest: 'useUserSite', action: 'store_false' },
    {
      flags: ['--prefix'],
      dest: 'prefixPath',
      action: 'store',
      metavar: 'dir',
      help: 'Installation prefix where lib, bin and other top-level folders are placed.',
    },
    {
      flags: ['-U', '--upgrade'],
      dest: 'upgrade',
      action: 'store_true',
      help: 'Upgrade all specified packages to the newest available version. The handling of dependencies depends on the upgrade-strategy used.',
    },
    {
      flags: ['--upgrade-strategy'],
      dest: 'upgradeStrategy',
      action: 'store',
      default: 'only-if-needed',
      choices: ['only-if-needed', 'eager'],
      metavar: 'upgrade_strategy',
      help: 'Determines how dependency upgrading should be handled [default: only-if-needed]. "eager" - dependencies are upgraded regardless of whether the currently installed version satisfies the requirements of the upgraded package(s). "only-if-needed" - are upgraded only when they do not satisfy the requirements of the upgraded package(s).',
    },
    { flags: ['--force-reinstall'], dest: 'forceReinstall', action: 'store_true', help: 'Reinstall all packages even if they are already up-to-date.' },
    {
      flags: ['-I', '--ignore-installed'],
      dest: 'ignoreInstalled',
      action: 'store_true',
      help: 'Ignore the installed packages, overwriting them.',
    },
    // pip compiles by default; here the files are hash-based so they survive a reload (src/install/bytecode.ts).
    { flags: ['--compile'], dest: 'compile', action: 'store_true', default: true, help: 'Compile Python source files to bytecode' },
    { flags: ['--no-compile'], dest: 'compile', action: 'store_false', help: 'Do not compile Python source files to bytecode' },
    { flags: ['--no-warn-script-location'], dest: 'noWarnScriptLocation', action: 'store_true' },
    { flags: ['--no-warn-conflicts'], dest: 'noWarnConflicts', action: 'store_true', help: 'Do not warn about broken dependencies' },
    { flags: ['--break-system-packages'], dest: 'breakSystemPackages', action: 'store_true' },
    { flags: ['--root-user-action'], dest: 'rootUserAction', action: 'store', choices: ['warn', 'ignore'], metavar: 'root_user_action' },
    {
      flags: ['--report'],
      dest: 'reportFile',
      action: 'store',
      metavar: 'file',
      help: 'Generate a JSON file describing what pip did to install the provided requirements. Can be used in combination with --dry-run and --ignore-installed to \'resolve\' the requirements. When - is used as file name it writes to stdout.',
    },
  ],
};

export const installCommand: PipCommand = {
  name: 'install',
  summary: 'Install packages.',
  usage: [
    '%prog [options] <requirement specifier> [package-index-options] ...',
    '%prog [options] -r <requirements file> [package-index-options] ...',
    '%prog [options] <archive url/path> ...',
  ].join('\n'),
  description:
    'Install packages from:\n\n- PyPI (and other indexes) using requirement specifiers.\n- VCS project urls (git+https://github.com/...).\n- Local project directories.\n- Local or remote source archives.\n\npip also supports installing from "requirements files", which provide\nan easy way to specify a whole environment to be installed.',
  groups: [installOptions, indexGroup],
  run: runInstall,
};

function chooseLocation(run: CommandRun): Location {
  const o = run.options;
  const env = run.ctx.environment;
  const target = o.string('targetDir');
  const prefix = o.string('prefixPath');
  if (o.flag('useUserSite')) {
    if (target !== null) throw new PipError(PipErrorCode.Command, "Can not combine '--user' and '--target'");
    if (prefix !== null) throw new PipError(PipErrorCode.Command, "Can not combine '--user' and '--prefix' as they imply different installation locations");
    const where = env.name === 'base' ? 'are disabled for this Python' : 'are not visible in this virtualenv';
    throw new PipError(
      PipErrorCode.Installation,
      `Can not perform a '--user' install. User site-packages ${where}. Install without --user: ${env.scheme.purelib} is writable here.`,
    );
  }
  if (target !== null) {
    const dir = resolvePath(run.ctx.cwd, target);
    if (run.ctx.fs.exists(dir) && !run.ctx.fs.isDirectory(dir)) {
      throw new PipError(PipErrorCode.Command, 'Target path exists but is not a directory, will not continue.');
    }
    const [major, minor] = pythonVersion(run).split('.');
    const scheme: InstallScheme = {
      purelib: dir,
      platlib: dir,
      scripts: `${dir}/bin`,
      data: dir,
      headers: `${dir}/include/python${major}.${minor}`,
      pythonExecutable: env.scheme.pythonExecutable,
    };
    return { scheme, targetDir: dir, ignoreInstalled: true };
  }
  if (prefix !== null) {
    const dir = resolvePath(run.ctx.cwd, prefix);
    const scheme = { ...schemeForPrefix(dir === '/' ? '' : dir, pythonVersion(run)), pythonExecutable: env.scheme.pythonExecutable };
    return { scheme, targetDir: null, ignoreInstalled: o.flag('ignoreInstalled') };
  }
  return { scheme: env.scheme, targetDir: null, ignoreInstalled: o.flag('ignoreInstalled') };
}

function pythonVersion(run: CommandRun): string {
  const m = run.ctx.environment.markerEnvironment;
  return m['python_full_version'] ?? m['python_version'] ?? run.ctx.environment.lockInfo.python;
}

async function runInstall(run: CommandRun): Promise<number> {
  const { ctx, options: o, log } = run;
  const location = chooseLocation(run);
  const collected = await collectWithSources(run, 'install');
  if (collected === null) return ExitStatus.Success;
  // pip itself is Pipette's own, built into the page: answered before anything is resolved.
  const onlyPip = answerPipRequirements(run, collected, location.scheme.purelib);
  if (onlyPip !== null && collected.sourceRoots.length === 0) return onlyPip;
  // Builds need the tab's Python (absent in the CLI): without it --no-binary has nothing to build with.
  if (!ctx.python && o.list('noBinary').length > 0) {
    log.warning('--no-binary is ignored: Pipette installs wheels only here (building from source needs the Python of a Pipette tab).');
  }
  const installedList = location.ignoreInstalled ? [] : listInstalled(ctx.fs, location.scheme.purelib);
  const dryRun = o.flag('dryRun');
  // Wheels are written as they come in, while the last downloads run (write-step.ts Downloads),
  // unless a report or --target's staging area wants them all first.
  const overlap = !dryRun && o.string('reportFile') === null && location.targetDir === null;
  const prepared = await prepareInstall(run, collected, location, installedList, { dryRun, sources: true, overlap });
  try {
    if (prepared === null) return ExitStatus.Error;
    const { rs, toInstall, have } = prepared;

    // A dry run and its report read the sources' prepared metadata: nothing is built (pip does the same).
    const reportFile = o.string('reportFile');
    if (reportFile !== null) await writeReport(run, rs, toInstall, have, reportFile);
    if (dryRun) {
      const items: (readonly [string, string])[] = [];
      for (const n of toInstall) items.push([await rawName(rs, n), n.pin.version.toString()]);
      items.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
      if (items.length > 0) log.info(`Would install ${items.map(([n, v]) => `${n}-${v}`).join(' ')}`);
      return ExitStatus.Success;
    }
    if (toInstall.length === 0) return ExitStatus.Success;
    await commitInstall(run, location, await buildSources(prepared), installedList, { force: o.flag('forceReinstall') });
    return ExitStatus.Success;
  } finally {
    prepared?.builds?.close();
  }
}

/**
 * The wheels of the sources to install, built (or taken from the built-wheel cache), in place
 * of the sources: from here on a built wheel is a wheel like any other, installed through the
 * install plan (write-step.ts) with what it was built from in its lock record.
 */
async function buildSources(prepared: PreparedInstall): Promise<PreparedInstall> {
  const { builds, toInstall, have } = prepared;
  const fromSource = builds ? toInstall.filter((n) => builds.isSource(n.pin.file)) : [];
  if (fromSource.length === 0) return prepared;
  const built = await builds!.buildWheels(fromSource);
  const builtFrom = new Map<string, BuiltFrom>();
  const nodes = toInstall.map((n) => {
    const b = built.get(n.pin.file.url);
    if (!b) return n;
    have.set(b.file.url, b.bytes);
    builtFrom.set(b.file.url, b.built);
    return { ...n, pin: { ...n.pin, file: b.file, directUrl: b.directUrl } };
  });
  return { ...prepared, toInstall: nodes, builtFrom };
}

/** What an install decided before its first write. */
export interface PreparedInstall {
  readonly rs: RunSource;
  /** The distributions to install (not already satisfied), in walk order. */
  readonly toInstall: readonly WalkNode[];
  /** Their files, by URL (empty for a dry run). */
  readonly have: Map<string, Uint8Array>;
  /** The run's builds from source (folders, sdists, repositories), when it may build; closed by the caller. */
  readonly builds?: PipBuilds | null;
  /** For wheels built from a source: what from, by the built file's URL (buildSources). */
  readonly builtFrom?: ReadonlyMap<string, BuiltFrom>;
  /** Wheels staged as they were downloaded (hashed and opened), by file URL. */
  readonly staged?: ReadonlyMap<string, StagedWheel>;
  /** Downloads still running (then `have` lacks their files until they end): the write step writes each wheel as it comes in. */
  readonly downloads?: Downloads;
}

/**
 * Everything `pip install` does before writing: resolve (installed distributions are
 * preferences: pip's only-if-needed strategy), print pip's Collecting lines, read every wheel
 * and verify it (index hashes, `--hash` / `--require-hashes`). Null when nothing resolves
 * (pip's explanation is printed). `pip sync` prepares its installs with it too.
 */
export async function prepareInstall(
  run: CommandRun,
  unprepared: CollectedRequirements,
  location: Location,
  installedList: readonly InstalledDist[],
  options: { dryRun: boolean; sources?: boolean; overlap?: boolean },
): Promise<PreparedInstall | null> {
  const { ctx } = run;
  const installed = new Map<NormalizedName, InstalledDist>(installedList.map((d) => [d.name, d]));
  const rs = prepareSource(run, unprepared, installed);
  // Sources are built with the tab's Python; the CLI has none (collectWithSources refused them).
  const builds = options.sources && ctx.python ? new PipBuilds(run, rs, unprepared) : null;
  if (builds) rs.builds = rs.source.builds = builds;
  try {
    // pip prepares explicit links (folders, archives, repositories) before resolving.
    const roots = builds ? await builds.prepareRoots(unprepared.sourceRoots) : [];
    const collected = roots.length > 0 ? { ...unprepared, requirements: [...roots, ...unprepared.requirements] } : unprepared;
    const prepared = await resolveAndFetch(run, collected, installedList, installed, rs, builds, options.dryRun, options.overlap ?? false);
    if (prepared === null) builds?.close();
    return prepared;
  } catch (error) {
    builds?.close();
    throw error;
  }
}

/** prepareInstall once every requirement is named: resolve, say what is collected, fetch and check. */
async function resolveAndFetch(
  run: CommandRun,
  collected: CollectedRequirements,
  installedList: readonly InstalledDist[],
  installed: ReadonlyMap<NormalizedName, InstalledDist>,
  rs: RunSource,
  builds: PipBuilds | null,
  dryRun: boolean,
  overlap: boolean,
): Promise<PreparedInstall | null> {
  const force = run.options.flag('forceReinstall');
  // Wheels start downloading as the resolver decides them (a dry run downloads none).
  const prefetch = dryRun ? null : startPrefetch(run, rs, installed, builds, force);
  rs.prefetch = prefetch;
  let running: Promise<unknown> | null = null;
  try {
    const prepared = await resolveAndCheck(run, collected, installedList, installed, rs, builds, dryRun, prefetch, overlap);
    running = prepared?.downloads?.done ?? null;
    return prepared;
  } finally {
    const close = (): void => {
      prefetch?.close();
      rs.prefetch = null;
    };
    // Downloads still running are the write step's: closed once they have ended.
    if (running) void running.then(close, close);
    else close();
  }
}

/**
 * Reads ahead the wheels the resolver decides (prefetch-downloads.ts), staged for the install
 * plan; not what is already installed at that version (kept, unless --force-reinstall), nor a
 * source to build, a local file, an installed candidate or a shared library.
 */
function startPrefetch(run: CommandRun, rs: RunSource, installed: ReadonlyMap<NormalizedName, InstalledDist>, builds: PipBuilds | null, force: boolean): PrefetchDownloads<StagedWheel> {
  return new PrefetchDownloads<StagedWheel>({
    // In the background: a page or metadata file the resolver waits on goes first (FetchRequest.background).
    fetch: (file, signal) => rs.source.getWheel(file, signal, { background: true }),
    // Unpacked in slices with a macrotask between them, so the resolver, on the same thread, keeps
    // reading responses and sending requests while a large wheel is staged.
    stage: (file, bytes) => stageWheel(file.filename, bytes, undefined, hostScheduler.yield),
    wants: (name, version, file) => {
      if (!file.filename.endsWith('.whl') || isLocalFile(file) || isInstalledCandidate(file) || builds?.isSource(file)) return false;
      if (file.pyodideLock?.packageType === 'shared_library') return false;
      const existing = installed.get(name);
      return force || !existing || !satisfies(existing, { version: version.toString(), sha256: '', directUrl: null }, null, 'version');
    },
    // Half of a host's requests while the resolver still makes its own, all of them after: 3 and
    // 6 on an HTTP/1.1 host, 8 and 16 where requests are multiplexed (requestsPerHost).
    limits: (origin) => {
      const n = requestsPerHost(origin);
      return { resolving: Math.floor(n / 2), settled: n };
    },
    ...(run.ctx.signal ? { signal: run.ctx.signal } : {}),
  });
}

async function resolveAndCheck(
  run: CommandRun,
  collected: CollectedRequirements,
  installedList: readonly InstalledDist[],
  installed: ReadonlyMap<NormalizedName, InstalledDist>,
  rs: RunSource,
  builds: PipBuilds | null,
  dryRun: boolean,
  prefetch: PrefetchDownloads<StagedWheel> | null,
  overlap: boolean,
): Promise<PreparedInstall | null> {
  const { ctx, options: o } = run;
  const upgrade = o.flag('upgrade');
  const eager = upgrade && o.string('upgradeStrategy') === 'eager';
  const force = o.flag('forceReinstall');
  const result = await resolveStep(run, rs, collected, {
    ...(prefetch ? { decisions: prefetch } : {}),
    preferences: installedList.map((d) => ({ name: d.name, version: d.metadata.version.toString() })),
    // pip's --force-reinstall does not keep installed versions: it takes the best candidate.
    upgrade: eager || force,
    upgradePackages: upgrade ? collected.requirements.map((r) => r.requirement.normalizedName) : [],
    noDeps: o.flag('noDeps'),
    pre: o.flag('pre') || collected.pre,
    ...(builds ? { formats: FormatControl.from(o.list('noBinary'), o.list('onlyBinary')) } : {}),
  });
  if (result.kind === 'no-solution') return null;

  const nodes = await walkResolution(result, collected.requirements, metadataOf(rs.source), ctx.environment.markerEnvironment);
  const dynlibDir = ctx.environment.dynlibDir ?? '/usr/lib';

  // What each pinned distribution needs: nothing (already there) or an install.
  const states = new Map<NormalizedName, NodeState>();
  const satisfiedBy = new Map<NormalizedName, { location: string; version: string }>();
  for (const node of nodes) {
    const pin = node.pin;
    if (pin.file.pyodideLock?.packageType === 'shared_library') {
      if (!force && sharedLibraryInstalled(ctx.fs, dynlibDir, { name: pin.name, version: pin.version.toString(), filename: pin.file.filename })) {
        states.set(pin.name, 'satisfied');
        satisfiedBy.set(pin.name, { location: dynlibDir, version: pin.version.toString() });
      } else states.set(pin.name, 'install');
      continue;
    }
    const existing = installed.get(pin.name);
    // A source tree pip always builds and reinstalls; a repository or archive only when the
    // installed one came from elsewhere (its direct_url.json differs).
    const sourceKept = builds?.isSource(pin.file) ? builds.alreadyInstalled(pin.file, existing ?? null) : null;
    if (sourceKept === false || (sourceKept === null && builds?.isSource(pin.file) && pin.directUrl !== null)) {
      states.set(pin.name, 'install');
      continue;
    }
    // pip's resolver: the same version installed is kept (for a local wheel with a note saying
    // so); --force-reinstall replaces it. The install plan applies the same rule (satisfies).
    if (existing && !force && satisfies(existing, { version: pin.version.toString(), sha256: '', directUrl: null }, null, 'version')) {
      states.set(pin.name, isLocalFile(pin.file) ? 'same-wheel' : 'satisfied');
      satisfiedBy.set(pin.name, { location: dirnameOf(existing.distInfoPath), version: rawVersion(existing) });
    } else states.set(pin.name, 'install');
  }
  const toInstall = nodes.filter((n) => states.get(n.pin.name) === 'install');
  if (prefetch) {
    // What the install takes is kept; every other download read ahead stops now.
    for (const n of toInstall) if (!builds?.isSource(n.pin.file) && !isLocalFile(n.pin.file)) void prefetch.take(n.pin.file).catch(() => undefined);
    prefetch.settle();
  }
  const have = await printCollecting(run, rs, nodes, { states, satisfiedBy, fetch: !dryRun });
  if (!dryRun) {
    const fromSource = builds ? toInstall.filter((n) => builds.isSource(n.pin.file)) : [];
    const hashMode = o.flag('requireHashes') || collected.requireHashes;
    // Every wheel's hash options are checked together before anything is written; a source is built first.
    if (overlap && prefetch && !hashMode && fromSource.length === 0) {
      const downloads = startDownloads(run, rs, prefetch, toInstall, have);
      // The wheels read during the resolution (pip reads them to learn their dependencies) are here already.
      return { rs, toInstall, have, builds, downloads, staged: await stagedOf(prefetch, toInstall.filter((n) => have.has(n.pin.file.url)), have) };
    }
    await downloadFiles(run, rs, toInstall.filter((n) => !fromSource.includes(n)), have);
    // Sources are checked by their archive's bytes (pip cannot hash a folder or a repository).
    if (hashMode) for (const n of fromSource) have.set(n.pin.file.url, await builds!.archiveBytes(n.pin.file));
    const problems = await checkHashes(collected, toInstall, have, hashMode);
    if (problems.length > 0) throw new PipError(PipErrorCode.Hashes, formatHashErrors(problems));
  }
  return { rs, toInstall, have, builds, ...(prefetch ? { staged: await stagedOf(prefetch, toInstall, have) } : {}) };
}

/**
 * The downloads of `nodes` the install still waits on, left running for the write step; `have`
 * gets their bytes once they all have ended (downloadFiles). Each wheel comes with its staging
 * when its bytes are the ones read ahead.
 */
function startDownloads(run: CommandRun, rs: RunSource, prefetch: PrefetchDownloads<StagedWheel>, nodes: readonly WalkNode[], have: Map<string, Uint8Array>): Downloads {
  const arriving = new Map<string, Promise<ArrivingWheel>>();
  const done = downloadFiles(run, rs, nodes, have, (node, read) => {
    const wheel = read.then(async (bytes) => {
      const ahead = await prefetch.peek(node.pin.file)?.catch(() => null);
      const staged = ahead?.staged && ahead.bytes === bytes ? ahead.staged : null;
      // Ready once unpacked (staging never rejects): a large wheel still being unpacked does
      // not hold back the writing of a small one that came in after it.
      if (staged) await staged.archive;
      return { bytes, staged };
    });
    // Its failure is the download's (reported through `done`): an apply that stopped before
    // waiting on this wheel leaves it unobserved.
    wheel.catch(() => undefined);
    arriving.set(node.pin.file.url, wheel);
  });
  done.catch(() => undefined);
  return { arriving, done };
}

/** The staged wheels of the nodes whose bytes are the prefetched ones, by file URL. */
async function stagedOf(prefetch: PrefetchDownloads<StagedWheel>, nodes: readonly WalkNode[], have: ReadonlyMap<string, Uint8Array>): Promise<Map<string, StagedWheel>> {
  const staged = new Map<string, StagedWheel>();
  for (const n of nodes) {
    const read = prefetch.peek(n.pin.file);
    const got = read ? await read.catch(() => null) : null;
    if (got?.staged && got.bytes === have.get(n.pin.file.url)) staged.set(n.pin.file.url, got.staged);
  }
  return staged;
}

/**
 * The write step (an install plan applied all or nothing: write-step.ts), then what pip says
 * after it: the conflict warning and `Successfully installed`.
 */
export async function commitInstall(run: CommandRun, location: Location, prepared: PreparedInstall, installedList: readonly InstalledDist[], options: WriteOptions): Promise<Written> {
  const { ctx, options: o, log } = run;
  const written = await writeStep(run, location, prepared.toInstall, prepared.have, installedList, {
    ...options,
    ...(prepared.builtFrom ? { builtFrom: prepared.builtFrom } : {}),
    ...(prepared.staged ? { staged: prepared.staged } : {}),
    ...(prepared.downloads ? { downloads: prepared.downloads } : {}),
  });
  if (!options.journal) await recordInstalled(run, location, written);
  await ctx.afterChange?.();
  const after = location.targetDir === null ? listInstalled(ctx.fs, location.scheme.purelib) : [];
  if (!o.flag('noDeps') && !o.flag('noWarnConflicts') && location.targetDir === null) warnAboutConflicts(run, after, written.order);
  const versions = new Map(after.map((d) => [d.name, d.metadata.version.toString()]));
  log.info(summaryLine(written.order.map((n) => [n.displayName, versions.get(n.pin.name) ?? n.pin.version.toString()] as const)));
  return written;
}

/** Tells the runtime what was committed (its lock keeps the records). */
export async function recordInstalled(run: CommandRun, location: Location, written: { readonly distributions: readonly LockRecord[]; readonly sharedLibraries: readonly LockRecord[] }): Promise<void> {
  if (run.ctx.onInstalled) await run.ctx.onInstalled({ sitePackages: location.scheme.purelib, distributions: written.distributions, sharedLibraries: written.sharedLibraries });
}

/** pip's hash-checking mode over the wheels about to be installed. */
async function checkHashes(collected: CollectedRequirements, nodes: readonly WalkNode[], have: ReadonlyMap<string, Uint8Array>, required: boolean): Promise<HashProblem[]> {
  if (!required) return [];
  const problems: HashProblem[] = [];
  for (const node of nodes) {
    const name = node.pin.name;
    const roots = [...collected.requirements, ...collected.constraints].filter((r) => r.requirement.normalizedName === name);
    let allowed = new Map<HashAlgorithm, string[]>();
    for (const r of roots) allowed = intersectHashes(allowed, parseHashOptions(r.hashes));
    const bytes = have.get(node.pin.file.url)!;
    const direct = node.pin.directUrl !== null;
    const subject = `${node.requirementText}${direct ? '' : ` from ${node.pin.file.url}`}${node.comesFrom ? ` (from ${node.comesFrom})` : ''}`;
    if (!direct && !roots.some((r) => isPinned(r.requirement))) {
      problems.push({ kind: 'unpinned', subject });
      continue;
    }
    if (allowed.size === 0 || [...allowed.values()].every((v) => v.length === 0)) {
      const link = node.root?.link;
      problems.push({ kind: 'missing', subject: direct && link ? link : node.requirementText, sha256: await digestHex('sha256', bytes) });
      continue;
    }
    const got = new Map<HashAlgorithm, string>();
    let ok = false;
    for (const [algorithm, values] of allowed) {
      const digest = await digestHex(algorithm, bytes);
      got.set(algorithm, digest);
      if (values.includes(digest)) ok = true;
    }
    if (!ok) problems.push({ kind: 'mismatch', subject, allowed, got });
  }
  return problems;
}

async function writeReport(run: CommandRun, rs: RunSource, nodes: readonly WalkNode[], have: ReadonlyMap<string, Uint8Array>, path: string): Promise<void> {
  const items: ReportItem[] = [];
  for (const node of nodes) {
    const file = node.pin.file;
    const bytes = have.get(file.url);
    const sha256 = file.hashes['sha256'] ?? (bytes ? await digestHex('sha256', bytes) : null);
    items.push({
      url: (node.pin.directUrl ?? file.url).split('#', 1)[0]!,
      sha256,
      isDirect: node.pin.directUrl !== null,
      isYanked: node.pin.yanked !== false,
      requested: node.pin.requested,
      requestedExtras: node.root ? node.root.requirement.extras : null,
      metadataText: await rs.source.metadataText(file, run.ctx.signal),
    });
  }
  const report = installationReport(items, PIP_VERSION, run.ctx.environment.markerEnvironment);
  const text = `${terminalSafeJson(report, 2)}\n`;
  if (path === '-') {
    run.ctx.out.stdout(text);
    return;
  }
  const abs = resolvePath(run.ctx.cwd, path);
  run.ctx.fs.mkdirp(dirnameOf(abs));
  run.ctx.fs.writeFile(abs, new TextEncoder().encode(text));
}

/** pip's post-install conflict warning (logged at CRITICAL: `ERROR: pip's dependency resolver ...`). */
function warnAboutConflicts(run: CommandRun, after: readonly InstalledDist[], installedNow: readonly WalkNode[]): void {
  const env = run.ctx.environment.markerEnvironment;
  const names = new Set(installedNow.map((n) => normalizeName(n.pin.name)));
  const { missing, conflicting } = checkPackageSet(after, env, affectedBy(names, after, env));
  if (missing.size === 0 && conflicting.size === 0) return;
  const versionOf = new Map(after.map((d) => [d.name, d.metadata.version.toString()]));
  const parts = [
    "pip's dependency resolver does not currently take into account all the packages that are installed. This behaviour is the source of the following dependency conflicts.",
  ];
  for (const [name, deps] of missing) for (const [, req] of deps) parts.push(`${name} ${versionOf.get(name)} requires ${req.toString()}, which is not installed.`);
  for (const [name, deps] of conflicting) {
    for (const [dep, version, req] of deps) parts.push(`${name} ${versionOf.get(name)} requires ${req.toString()}, but you have ${dep} ${version} which is incompatible.`);
  }
  run.log.critical(parts.join('\n'));
}

/** The project name as its METADATA spells it (pip's `metadata["name"]`). */
async function rawName(rs: RunSource, node: WalkNode): Promise<string> {
  if (node.pin.file.pyodideLock) return node.pin.file.pyodideLock.name;
  try {
    const text = await rs.source.metadataText(node.pin.file);
    const m = text ? /^Name:[ \t]*(.+?)[ \t]*$/im.exec(text) : null;
    if (m) return m[1]!;
  } catch {
    // fall back to the name as requested
  }
  return node.displayName;
}
