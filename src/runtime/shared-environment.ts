// Over 400 lines: a restore is one all-or-nothing flow (check, fetch and verify, plan, files and builds in one journal), kept in one place so no step can be skipped.
/**
 * A shared environment (a share link, an imported pylock.toml) in and out of the session:
 *
 * - `preview`: what the link would do here, before the person says yes — which packages land in
 *   which site-packages (new, replacing a version, already there) and which files land where in
 *   the home folder (new, replacing a file) — or why it cannot be restored here at all;
 * - `restore`: the same lock records applied as an install plan (src/install: the containment
 *   rules, REQUESTED written from the record), the wheels from the cache or their URL and
 *   checked against the link's sha256, then the files written, all through one journal: a
 *   failure anywhere leaves the environment and the home folder as they were. No requirements
 *   file is written and nothing from the link is read back as text;
 * - a wheel the link names by file name only (v2 links leave out the URL an index gives back)
 *   is looked up on that distribution's own index, and nowhere else, before the preview: the
 *   index must list that very file name, with the link's sha256 when it gives one; the
 *   download is then checked against the link's sha256 like any other;
 * - a distribution built from source travels by its source (share's LockedBuild): an sdist by
 *   its sha256, a GitHub repository by its commit, a folder of the home folder by its path
 *   (its files travel as the link's files). The preview says what will be built from where,
 *   and that building runs the project's build backend; the restore fetches each sdist and
 *   checks its sha256 before anything is written, then, inside the same journal, has pip build
 *   and install each one (`pip install --no-deps` with the link's indexes, src/pip's source
 *   builds and install plan), and checks that what pip built came from the very sdist or
 *   commit the link names: any failure rolls everything back;
 * - `shareable`: the home folder's files a link may carry — hidden files and files that look
 *   like secrets are left out, and the person is told which and why.
 */
import type { PipettePackageSource } from '../index';
import { applyPlan, fileUrlPath, isWithin, JournalFs, listInstalled, planInstall, sameSource, type BytecodeCompiler, type FileSystem, type InstallPlan, type LockRecord } from '../install';
import { normalizeName, type NormalizedName, type ProjectResponse, sha256, toHex } from '../pep';
import { applyReporter, formatSize, PipLogger, summaryLine, type PipOutput } from '../pip';
import { checkLock, landingProblem, pickLockFields, recordOf, secretFileName, textCredentials, type EnvironmentLock as ShareLock, type LockedBuild, type LockedFile } from '../share';
import type { Environment, Environments } from './environments';
import { distributionFile, describe } from './rebuild';

/** What restoring a shared environment would do here, for the dialog (plain data over Comlink). */
export interface SharedPreview {
  readonly kind: 'ok' | 'refused';
  /** Why it cannot be restored here (nothing will be installed or written); null when it can. */
  readonly refusal: string | null;
  /** Where the packages go: the active environment. */
  readonly environment: { readonly name: string; readonly prefix: string; readonly sitePackages: string };
  readonly packages: readonly SharedPackage[];
  /** The distributions built here from their source, in the lock's order (none for most links). */
  readonly builds: readonly SharedBuild[];
  readonly files: readonly SharedFile[];
}

/** A distribution the restore builds from source, and from where. */
export interface SharedBuild {
  readonly name: string;
  readonly version: string;
  readonly action: 'install' | 'replace' | 'keep';
  readonly replaces: string | null;
  /**
   * Where the source comes from and how it is checked, as a sentence. Ex) `the sdist
   * hello-0.1.tar.gz from http://127.0.0.1:8080/simple/, checked against sha256 ab12...`.
   */
  readonly from: string;
}

export interface SharedPackage {
  readonly name: string;
  readonly version: string;
  /** `install` (new here), `replace` (another version or file is installed), `keep` (already this file). */
  readonly action: 'install' | 'replace' | 'keep';
  /** The version it replaces, for `replace`. */
  readonly replaces: string | null;
  /** The site-packages it lands in. */
  readonly where: string;
}

export interface SharedFile {
  /** As the link names it, relative to the home folder. */
  readonly path: string;
  /** Where it is written. */
  readonly target: string;
  /** `create` a new file, or `replace` one of the person's files. */
  readonly action: 'create' | 'replace';
}

/** What the session lends: its filesystem, environments, cache and bookkeeping. */
export interface SharedContext {
  readonly fs: FileSystem;
  readonly home: string;
  readonly environments: Environments;
  /** Wheels by URL and sha256, cache first (no index is read). */
  source(): PipettePackageSource;
  /** A source reading `index` and no other (no extra index, no Pyodide lock): where a file named only is looked up. */
  indexSource(index: string): Pick<PipettePackageSource, 'getProject'>;
  /** After the environment changed (importlib's caches). */
  afterChange(): void;
  /** Compiles the wheels' modules as pip install does; none: no bytecode. */
  readonly compiler?: BytecodeCompiler | null;
  /** Keeps the records of what was installed in the environment's lock. */
  recordInstalled(sitePackages: string, distributions: readonly LockRecord[]): void;
  /**
   * `pip ARGV` in the active environment, writing through `fs` (the restore's journal), its
   * output to `out`; the records it installed are returned, not recorded (the restore records
   * them once everything is in).
   */
  pipInstall(argv: readonly string[], fs: FileSystem, out: PipOutput, signal?: AbortSignal): Promise<{ code: number; installed: readonly LockRecord[] }>;
}

/** The link's lock checked again here (the worker does not take the page's word for it). */
function checked(lock: ShareLock): { kind: 'ok'; lock: ShareLock } | { kind: 'refused'; reason: string } {
  const result = checkLock(pickLockFields(lock));
  return result.kind === 'ok' ? result : { kind: 'refused', reason: `This shared environment is not valid: ${result.reason}.` };
}

/**
 * Why a link's file cannot be written at `home/path` as the disk is now, or null: every folder
 * on the way is a real folder (not a link, not a file) and none is a virtual environment, and
 * the file itself is not a folder or a link.
 */
export function fileLandingProblem(fs: FileSystem, home: string, venvPrefixes: readonly string[], path: string): string | null {
  const parts = path.split('/');
  let dir = home;
  const isVenv = (d: string): boolean => venvPrefixes.includes(d) || fs.lstat(`${d}/pyvenv.cfg`) !== null;
  if (isVenv(dir)) return `would be written inside the virtual environment ${dir}`;
  for (const part of parts.slice(0, -1)) {
    dir = `${dir}/${part}`;
    const stat = fs.lstat(dir);
    if (stat === null) break;
    if (stat.kind === 'symlink') return `would be written through the symbolic link ${dir}`;
    if (stat.kind === 'file') return `needs the folder ${dir}, which is a file`;
    if (isVenv(dir)) return `would be written inside the virtual environment ${dir}`;
  }
  const target = `${home}/${path}`;
  const stat = fs.lstat(target);
  if (stat?.kind === 'directory') return `would replace the folder ${target}`;
  if (stat?.kind === 'symlink') return `would be written through the symbolic link ${target}`;
  return null;
}

/**
 * The lock records of `lock`'s distributions: each wheel at its own URL, or, for a wheel the
 * link names by file name only, at the URL its index lists for that file name. Only the
 * distribution's own index is asked (a link that says PyPI is looked up on PyPI, never on an
 * index configured here), and it must list the file under exactly that name; when it gives the
 * file's sha256, it must be the link's.
 */
export async function locateFiles(ctx: SharedContext, lock: ShareLock, signal?: AbortSignal): Promise<{ kind: 'ok'; records: LockRecord[] } | { kind: 'refused'; reason: string }> {
  const unchanged = 'Nothing was installed or written.';
  const pages = new Map<string, Promise<ProjectResponse>>();
  const sources = new Map<string, Pick<PipettePackageSource, 'getProject'>>();
  const pageOf = (index: string, name: string): Promise<ProjectResponse> => {
    const key = `${index} ${normalizeName(name)}`;
    let page = pages.get(key);
    if (!page) {
      let source = sources.get(index);
      if (!source) sources.set(index, (source = ctx.indexSource(index)));
      page = source.getProject(normalizeName(name), signal);
      pages.set(key, page);
    }
    return page;
  };
  const found = await Promise.allSettled(
    lock.distributions.map(async (d): Promise<LockRecord | string> => {
      if (d.url !== null) return recordOf(d, d.url);
      const index = d.index!;
      const response = await pageOf(index, d.name);
      const file = response.kind === 'found' ? response.project.files.find((f) => f.filename === d.filename && f.origin === 'index') : undefined;
      if (!file) return `${index} does not list ${d.filename}, the file this link installs for ${d.name} ${d.version}; the link names no other place to get it from. ${unchanged}`;
      const listed = file.hashes['sha256']?.toLowerCase();
      if (listed !== undefined && listed !== d.sha256) {
        return `${index} lists ${d.filename} with sha256 ${listed}, but the link says ${d.sha256}: the file there is not the one that was shared. Ask for a new link. ${unchanged}`;
      }
      return recordOf(d, file.url.split('#', 1)[0]!);
    }),
  );
  const records: LockRecord[] = [];
  for (const [i, result] of found.entries()) {
    if (result.status === 'rejected') {
      if (signal?.aborted) throw result.reason;
      const d = lock.distributions[i]!;
      return { kind: 'refused', reason: `Could not read ${d.index}'s page for ${d.name}, to find ${d.filename}: ${describe(result.reason)}. ${unchanged}` };
    }
    if (typeof result.value === 'string') return { kind: 'refused', reason: result.value };
    records.push(result.value);
  }
  return { kind: 'ok', records };
}

/** What `lock` would do to the active environment and the home folder (its files named only are looked up first). */
export async function previewShared(ctx: SharedContext, lock: ShareLock, signal?: AbortSignal): Promise<SharedPreview> {
  return (await prepareShared(ctx, lock, signal)).preview;
}

/** The preview, and when the lock can be restored, its records and plan. */
async function prepareShared(
  ctx: SharedContext,
  lock: ShareLock,
  signal?: AbortSignal,
): Promise<{ preview: SharedPreview; records: LockRecord[]; plan: InstallPlan | null; sources: readonly BuildSource[] }> {
  const env = ctx.environments.active;
  const environment = { name: env.name, prefix: env.prefix, sitePackages: env.sitePackages };
  const refused = (refusal: string) => ({ preview: { kind: 'refused', refusal, environment, packages: [], builds: [], files: [] } as SharedPreview, records: [], plan: null, sources: [] });
  const valid = checked(lock);
  if (valid.kind === 'refused') return refused(valid.reason);
  const located = await locateFiles(ctx, valid.lock, signal);
  if (located.kind === 'refused') return refused(located.reason);
  const sources = await locateSources(ctx, valid.lock, signal);
  if (sources.kind === 'refused') return refused(sources.reason);
  let plan: InstallPlan;
  try {
    plan = planShared(ctx, env, located.records);
  } catch (error) {
    return refused(describe(error));
  }
  const replaced = new Map(plan.reinstalls.map((d) => [d.name, d.metadata.version.toString()]));
  const packages: SharedPackage[] = valid.lock.distributions.map((d) => {
    const name = normalizeName(d.name);
    const kept = plan.installed.some((i) => i.name === name);
    return { name: d.name, version: d.version, action: kept ? 'keep' : replaced.has(name) ? 'replace' : 'install', replaces: replaced.get(name) ?? null, where: env.sitePackages };
  });
  const venvs = ctx.environments.list().filter((e) => e.kind === 'venv').map((e) => e.prefix);
  const files: SharedFile[] = [];
  for (const [i, file] of valid.lock.files.entries()) {
    const problem = fileLandingProblem(ctx.fs, ctx.home, venvs, file.path);
    if (problem) return refused(`This shared environment cannot be restored here: files[${i}] (${JSON.stringify(file.path)}) ${problem}. Nothing was installed or written.`);
    const target = `${ctx.home}/${file.path}`;
    files.push({ path: file.path, target, action: ctx.fs.lstat(target) === null ? 'create' : 'replace' });
  }
  const builds: SharedBuild[] = [];
  const installed = listInstalled(ctx.fs, env.sitePackages);
  const known = new Map(ctx.environments.lockOf(env).distributions.map((r) => [normalizeName(r.name), r]));
  for (const [i, source] of sources.sources.entries()) {
    const b = source.build;
    if (b.kind === 'directory') {
      const folder = b.path === '' ? ctx.home : `${ctx.home}/${b.path}`;
      const carried = b.path === '' ? valid.lock.files.length > 0 : valid.lock.files.some((f) => f.path.startsWith(`${b.path}/`));
      const stat = ctx.fs.lstat(folder);
      if (!carried && stat?.kind !== 'directory') return refused(`This shared environment cannot be restored here: builds[${i}] (${b.name}) is built from the folder ${folder}, and neither the link nor this tab has it. Nothing was installed or written.`);
      if (stat !== null && stat.kind !== 'directory') return refused(`This shared environment cannot be restored here: builds[${i}] (${b.name}) is built from the folder ${folder}, which is ${stat.kind === 'symlink' ? 'a symbolic link' : 'a file'} here. Nothing was installed or written.`);
    }
    const name = normalizeName(b.name);
    const dist = installed.find((d) => d.name === name);
    const record = known.get(name);
    const same = dist !== undefined && record?.built !== undefined && dist.metadata.version.toString() === b.version && builtFromOf(b) !== null && sameSource(record.built, builtFromOf(b)!);
    builds.push({
      name: b.name,
      version: b.version,
      action: same ? 'keep' : dist ? 'replace' : 'install',
      replaces: !same && dist ? dist.metadata.version.toString() : null,
      from: describeSource(ctx.home, b),
    });
  }
  return { preview: { kind: 'ok', refusal: null, environment, packages, builds, files }, records: located.records, plan, sources: sources.sources };
}

/** The plan of a link's records against `env`: the same files (by sha256) are kept, others replaced. */
function planShared(ctx: SharedContext, env: Environment, records: readonly LockRecord[]): InstallPlan {
  const installed = listInstalled(ctx.fs, env.sitePackages);
  const known = new Map<NormalizedName, LockRecord>();
  for (const record of ctx.environments.lockOf(env).distributions) known.set(normalizeName(record.name), record);
  return planInstall({ distributions: records }, { installed, records: known }, { match: 'file' });
}

const UNCHANGED = 'Nothing was installed: the environment is as it was before.';

/**
 * Restores `lock` into the active environment and the home folder, all or nothing; pip's exit
 * status. Files last, through the same journal: a failed restore writes none of them, and a
 * pip.conf could never steer the install (the link may not carry one anyway).
 */
export async function restoreShared(ctx: SharedContext, lock: ShareLock, out: PipOutput, signal?: AbortSignal): Promise<number> {
  const log = new PipLogger(out, 0);
  const filesNote = (): void => {
    if (lock.files.length > 0) out.stderr(`The link's ${lock.files.length === 1 ? 'file was' : `${lock.files.length} files were`} not written either: your files are as they were.\n`);
  };
  const { preview, plan, sources } = await prepareShared(ctx, lock, signal);
  if (preview.kind === 'refused' || plan === null) {
    log.error(preview.refusal ?? 'This shared environment cannot be restored here.');
    return 1;
  }
  const env = ctx.environments.active;
  const scheme = ctx.environments.pipEnvironment(env).scheme;
  for (const dist of plan.installed) log.info(`Requirement already satisfied: ${dist.metadata.name}==${dist.metadata.version} in ${env.sitePackages}`);

  const fetched = await fetchWheels(ctx.source(), plan.install, log, signal);
  if (fetched.kind === 'failed') {
    filesNote();
    return 1;
  }
  // Every sdist checked against the link's sha256 before anything is written (pip then reads it from the cache).
  const toBuild = sources.filter((s) => preview.builds.find((b) => b.name === s.build.name)?.action !== 'keep');
  if (!(await fetchSdists(ctx.source(), toBuild, log, signal))) {
    filesNote();
    return 1;
  }
  const journal = new JournalFs(ctx.fs, (path) => path.startsWith(`${scheme.scripts}/`));
  const header = plan.install.length > 0 ? `Installing collected packages: ${plan.install.map((r) => r.name).join(', ')}` : null;
  try {
    await applyPlan({ fs: ctx.fs, scheme }, plan, { wheels: fetched.bytes, journal, reporter: applyReporter(log, { header }), compiler: ctx.compiler ?? null, ...(signal ? { signal } : {}) });
    const encoder = new TextEncoder();
    for (const file of lock.files) {
      const target = `${ctx.home}/${file.path}`;
      if (!isWithin(target, ctx.home)) continue;
      journal.mkdirp(target.slice(0, target.lastIndexOf('/')));
      journal.writeFile(target, encoder.encode(file.content));
    }
  } catch (error) {
    journal.rollback();
    ctx.afterChange();
    if (signal?.aborted) throw error;
    log.error(`${describe(error)}\n${UNCHANGED}`);
    filesNote();
    return 1;
  }
  // Built last: a folder's files are in place now, and the wheels it may need at build time too.
  const builtRecords: LockRecord[] = [];
  for (const source of toBuild) {
    const b = source.build;
    let failure: string | null = null;
    try {
      const result = await ctx.pipInstall(pipArguments(ctx.home, source, lock.indexes), journal, out, signal);
      const record = result.installed.find((r) => normalizeName(r.name) === normalizeName(b.name));
      if (result.code !== 0) failure = `Building ${b.name} ${b.version} from ${describeSource(ctx.home, b)} failed (see above).`;
      else if (!record || record.built === undefined || record.version !== b.version) failure = `Building ${b.name} from ${describeSource(ctx.home, b)} did not install ${b.name} ${b.version}${record ? ` (it installed ${record.name} ${record.version})` : ''}.`;
      else if (builtFromOf(b) !== null && !sameSource(record.built, builtFromOf(b)!)) failure = `${b.name} was built from ${builtDescription(record)}, not from the source the link names (${describeSource(ctx.home, b)}): the source there is not the one that was shared. Ask for a new link.`;
      else builtRecords.push({ ...record, requested: b.requested });
    } catch (error) {
      if (signal?.aborted) {
        journal.rollback();
        ctx.afterChange();
        throw error;
      }
      failure = describe(error);
    }
    if (failure !== null) {
      journal.rollback();
      ctx.afterChange();
      log.error(`${failure}\n${UNCHANGED}`);
      filesNote();
      return 1;
    }
  }
  journal.commit();
  ctx.recordInstalled(env.sitePackages, [...plan.install, ...builtRecords]);
  ctx.afterChange();
  if (plan.install.length > 0) log.info(summaryLine(plan.install.map((r) => [r.name, r.version] as const)));
  if (lock.files.length > 0) log.info(`Wrote ${lock.files.map((f) => f.path).join(', ')} in ${ctx.home}`);
  return 0;
}

/** A build of the link, with the URL its sdist is fetched from (null: not an sdist). */
interface BuildSource {
  readonly build: LockedBuild;
  readonly sdistUrl: string | null;
}

/**
 * Each build's source, located: an sdist named by file name only must be listed on its own
 * index under exactly that name, with the link's sha256 when the index gives one (as for
 * wheels, {@link locateFiles}); the bytes are checked before anything is written.
 */
async function locateSources(ctx: SharedContext, lock: ShareLock, signal?: AbortSignal): Promise<{ kind: 'ok'; sources: BuildSource[] } | { kind: 'refused'; reason: string }> {
  const unchanged = 'Nothing was installed or written.';
  const sources: BuildSource[] = [];
  for (const b of lock.builds ?? []) {
    if (b.kind !== 'sdist') {
      sources.push({ build: b, sdistUrl: null });
      continue;
    }
    if (b.url !== null) {
      sources.push({ build: b, sdistUrl: b.url });
      continue;
    }
    let response: ProjectResponse;
    try {
      response = await ctx.indexSource(b.index!).getProject(normalizeName(b.name), signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      return { kind: 'refused', reason: `Could not read ${b.index}'s page for ${b.name}, to find ${b.filename}: ${describe(error)}. ${unchanged}` };
    }
    const file = response.kind === 'found' ? response.project.files.find((f) => f.filename === b.filename && f.origin === 'index') : undefined;
    if (!file) return { kind: 'refused', reason: `${b.index} does not list ${b.filename}, the sdist this link builds ${b.name} ${b.version} from. ${unchanged}` };
    const listed = file.hashes['sha256']?.toLowerCase();
    if (listed !== undefined && listed !== b.sha256) {
      return { kind: 'refused', reason: `${b.index} lists ${b.filename} with sha256 ${listed}, but the link says ${b.sha256}: the sdist there is not the one that was shared. Ask for a new link. ${unchanged}` };
    }
    sources.push({ build: b, sdistUrl: file.url.split('#', 1)[0]! });
  }
  return { kind: 'ok', sources };
}

/** What a link's build is recorded as once built (src/install's BuiltFrom); null for a folder (never the same twice). */
function builtFromOf(b: LockedBuild): LockRecord['built'] | null {
  if (b.kind === 'sdist') return { kind: 'sdist', sha256: b.sha256 };
  if (b.kind === 'git') return { kind: 'git', commit: b.commit, requestedRevision: b.revision, subdirectory: b.subdirectory };
  return null;
}

/** The dialog's and the messages' words for where a build's source comes from, and how it is checked. */
export function describeSource(home: string, b: LockedBuild): string {
  switch (b.kind) {
    case 'sdist':
      return `the sdist ${b.filename} ${b.index !== null ? `listed on ${b.index}` : `at ${b.url}`}, checked against sha256 ${b.sha256}`;
    case 'git':
      return `${b.repository} at commit ${b.commit}${b.revision !== null && b.revision !== b.commit ? ` (${b.revision})` : ''}${b.subdirectory !== null ? `, folder ${b.subdirectory}` : ''}`;
    case 'directory':
      return `${b.editable ? 'your project folder (editable) ' : 'the folder '}${b.path === '' ? home : `${home}/${b.path}`}, with the files this link writes`;
  }
}

function builtDescription(record: LockRecord): string {
  const built = record.built!;
  if (built.kind === 'sdist') return `an sdist with sha256 ${built.sha256}`;
  if (built.kind === 'git') return `commit ${built.commit}`;
  return record.url;
}

/**
 * pip's arguments for one build, every value a separate argument (never a command line): the
 * link's name, version, URL and path were checked (share's checkLock), and go to pip as they are.
 * The indexes are the link's, in its order (the person accepted them in the dialog): the build
 * requirements (setuptools, hatchling, ...) come from where the sharer's came from, and an
 * sdist from the index the link names for it.
 */
function pipArguments(home: string, source: BuildSource, linkIndexes: readonly string[]): string[] {
  const b = source.build;
  const indexes = b.kind === 'sdist' && b.index !== null ? [b.index, ...linkIndexes.filter((i) => i !== b.index)] : [...linkIndexes];
  const base = ['install', '--no-deps', '--disable-pip-version-check'];
  indexes.forEach((index, i) => base.push(i === 0 ? '--index-url' : '--extra-index-url', index));
  switch (b.kind) {
    case 'sdist':
      return b.index !== null ? [...base, '--no-binary', b.name, `${b.name}==${b.version}`] : [...base, `${b.name} @ ${b.url}#sha256=${b.sha256}`];
    case 'git':
      return [...base, `${b.name} @ git+${b.repository}@${b.commit}${b.subdirectory !== null ? `#subdirectory=${b.subdirectory}` : ''}`];
    case 'directory':
      return [...base, ...(b.editable ? ['-e'] : []), b.path === '' ? home : `${home}/${b.path}`];
  }
}

/**
 * The sdist of each build, fetched (or from the cache) and checked against the link's sha256
 * before anything is written; kept in the cache, where pip's build reads it.
 */
async function fetchSdists(source: PipettePackageSource, sources: readonly BuildSource[], log: PipLogger, signal?: AbortSignal): Promise<boolean> {
  const mismatches: string[] = [];
  for (const s of sources) {
    const b = s.build;
    if (b.kind !== 'sdist' || s.sdistUrl === null) continue;
    let data: Uint8Array;
    const cached = await source.cache.getFile(b.sha256, b.filename);
    try {
      data = cached ?? (await source.getWheel({ ...distributionFile({ name: b.name, version: b.version, filename: b.filename, url: s.sdistUrl, sha256: b.sha256, index: b.index, requested: b.requested, directUrl: null }), hashes: {} }, signal));
    } catch (error) {
      if (signal?.aborted) throw error;
      log.error(`Could not get ${b.filename} from ${s.sdistUrl}: ${describe(error)}`);
      return false;
    }
    const got = toHex(await sha256(data));
    if (got !== b.sha256) {
      mismatches.push(`    ${b.name}==${b.version} from ${s.sdistUrl}:\n        Expected sha256 ${b.sha256}\n             Got        ${got}\n`);
      continue;
    }
    if (!cached) await source.cache.putFile(b.sha256, b.filename, data, true);
    log.info(`${cached ? 'Using cached' : 'Downloading'} ${s.sdistUrl} (${formatSize(data.length)})`);
  }
  if (mismatches.length > 0) {
    log.error(
      'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE SHARE LINK. If the link was made for other versions, ask for a new one. ' +
        `Otherwise, examine the package contents carefully; someone may have tampered with them.\n${mismatches.join('\n')}${UNCHANGED}`,
    );
    return false;
  }
  return true;
}

/**
 * A built record as a link carries it, or null when it cannot travel: a folder outside the
 * home folder (the link carries only the home folder's files).
 */
export function lockedBuild(record: LockRecord, home: string): LockedBuild | null {
  const built = record.built;
  if (built === undefined) return null;
  const common = { name: record.name, version: record.version, requested: record.requested };
  switch (built.kind) {
    case 'sdist': {
      const filename = urlFilenameOf(record.url);
      return record.directUrl === null && record.index !== null
        ? { kind: 'sdist', ...common, filename, url: null, sha256: built.sha256, index: record.index }
        : /^https?:/.test(record.url)
          ? { kind: 'sdist', ...common, filename, url: record.url, sha256: built.sha256, index: null }
          : null;
    }
    case 'git':
      return { kind: 'git', ...common, repository: record.url, commit: built.commit, revision: built.requestedRevision, subdirectory: built.subdirectory };
    case 'directory': {
      const path = fileUrlPath(record.url);
      if (path === null || (path !== home && !path.startsWith(`${home}/`))) return null;
      return { kind: 'directory', ...common, path: path === home ? '' : path.slice(home.length + 1), editable: built.editable };
    }
  }
}

function urlFilenameOf(url: string): string {
  const path = url.split(/[?#]/, 1)[0]!;
  try {
    return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    return path.slice(path.lastIndexOf('/') + 1);
  }
}

/**
 * Every wheel of `records`, from the cache (`Using cached`) or its URL (`Downloading`), each
 * checked against the record's sha256; on failure pip's words say which and why.
 */
async function fetchWheels(source: PipettePackageSource, records: readonly LockRecord[], log: PipLogger, signal?: AbortSignal): Promise<{ kind: 'ok'; bytes: Map<string, Uint8Array> } | { kind: 'failed' }> {
  const results = await Promise.allSettled(
    records.map(async (record) => {
      const cached = await source.cache.getFile(record.sha256, record.filename);
      if (cached) return { record, bytes: cached, fromCache: true };
      // Read without the index layer's check, to say what arrived instead (pip's hash report).
      const bytes = await source.getWheel({ ...distributionFile(record), hashes: {} }, signal);
      return { record, bytes, fromCache: false };
    }),
  );
  const bytes = new Map<string, Uint8Array>();
  const mismatches: string[] = [];
  let failed = false;
  for (let i = 0; i < records.length; i++) {
    const result = results[i]!;
    const record = records[i]!;
    if (result.status === 'rejected') {
      failed = true;
      const status = (result.reason as { status?: unknown } | null)?.status;
      log.error(`Could not get ${record.filename} from ${record.url}: ${describe(result.reason)}`);
      // pip's words for a pinned file that is not there, as `pip install --require-hashes` says it.
      if (status === 404 || status === 410) log.error(`No matching distribution found for ${record.name}==${record.version}`);
      continue;
    }
    const { bytes: data, fromCache } = result.value;
    const got = toHex(await sha256(data));
    if (got !== record.sha256) {
      mismatches.push(`    ${record.name}==${record.version} from ${record.url}:\n        Expected sha256 ${record.sha256}\n             Got        ${got}\n`);
      continue;
    }
    if (!fromCache) await source.cache.putFile(record.sha256, record.filename, data, true);
    log.info(`${fromCache ? 'Using cached' : 'Downloading'} ${record.url} (${formatSize(data.length)})`);
    bytes.set(record.url, data);
  }
  if (mismatches.length > 0) {
    log.error(
      'THESE PACKAGES DO NOT MATCH THE HASHES FROM THE SHARE LINK. If the link was made for other versions, ask for a new one. ' +
        `Otherwise, examine the package contents carefully; someone may have tampered with them.\n${mismatches.join('\n')}`,
    );
    failed = true;
  }
  return failed ? { kind: 'failed' } : { kind: 'ok', bytes };
}

/** A file of the home folder a link may carry, or why not. */
export type Shareable = { readonly kind: 'text'; readonly file: LockedFile } | { readonly kind: 'skipped'; readonly path: string } | { readonly kind: 'left-out'; readonly path: string; readonly reason: string };

/**
 * The text files under `home` a link carries (venvs and caches left out): hidden files and
 * folders, files named like credentials (`.env`, `.netrc`, `id_rsa`, ...) and files whose text
 * holds a secret (a private key, a token of a known shape, a URL with a password) are left out
 * with the reason; binary or large files are skipped.
 */
export function shareableFiles(fs: FileSystem, home: string, derived: ReadonlySet<string>): { files: LockedFile[]; skipped: string[]; leftOut: { path: string; reason: string }[] } {
  const files: LockedFile[] = [];
  const skipped: string[] = [];
  const leftOut: { path: string; reason: string }[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const walk = (dir: string): void => {
    for (const name of fs.readdir(dir)) {
      const path = `${dir}/${name}`;
      const relative = path.slice(home.length + 1);
      if (derived.has(path) || name === '__pycache__') continue;
      const kind = fs.lstat(path)?.kind;
      if (kind === 'symlink') {
        // Never through a link: a loop would never end, and a link to a folder would copy it.
        skipped.push(relative);
        continue;
      }
      if (name.startsWith('.')) {
        leftOut.push({ path: kind === 'directory' ? `${relative}/` : relative, reason: secretFileName(relative) ?? 'a hidden file or folder (dotfiles often hold settings and secrets)' });
        continue;
      }
      // What a link may never write (a project's `.egg-info` that setuptools leaves beside it,
      // a `pip.conf`, a `site-packages`): left out with the reason, so the rest still travels.
      const landing = landingProblem(relative);
      if (landing) {
        leftOut.push({
          path: kind === 'directory' ? `${relative}/` : relative,
          reason: name.endsWith('.egg-info') ? 'metadata setuptools writes beside a project it builds (pip install -e . writes it again)' : `a link never carries a file that ${landing}`,
        });
        continue;
      }
      if (kind === 'directory') {
        walk(path);
        continue;
      }
      const byName = secretFileName(relative);
      if (byName) {
        leftOut.push({ path: relative, reason: byName });
        continue;
      }
      const data = fs.readFile(path);
      if (!data || data.length > 256 * 1024) {
        skipped.push(relative);
        continue;
      }
      let text: string;
      try {
        text = decoder.decode(data);
      } catch {
        skipped.push(relative);
        continue;
      }
      const secret = textCredentials(text);
      if (secret) {
        leftOut.push({ path: relative, reason: `line ${secret.line} holds ${secret.what}` });
        continue;
      }
      files.push({ path: relative, content: text });
    }
  };
  if (fs.isDirectory(home)) walk(home);
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : 1)), skipped, leftOut };
}
