/**
 * `pip install`'s write step, and `pip sync`'s: the resolved, downloaded, hash-checked
 * distributions become lock records, the records and the environment an install plan, and the
 * plan is applied all or nothing by src/install (the one door into an environment, where the
 * containment rules are), printed in pip's words (apply-output.ts).
 *
 * `--target` is the one exception to the plan, as it is in pip: a directory that is not an
 * environment, filled by installing into a staging area (the same installer, the same rules)
 * and moving its top-level items over.
 */
import {
  applyPlan,
  directUrlOf,
  InstallError,
  InstallErrorCode,
  installWheel,
  JournalFs,
  linkViolation,
  MemoryFs,
  planInstall,
  type ApplyEvent,
  type BuiltFrom,
  type BytecodeCompiler,
  type InstalledDist,
  type InstallScheme,
  type LockRecord,
  type ArrivingWheel,
  type StagedWheel,
} from '../install';
import { hostScheduler } from '../resolver';
import { PipetteError, type NormalizedName } from '../pep';
import { applyReporter } from './apply-output';
import type { CommandRun } from './command';
import { describeOsError, dirnameOf } from './format';
import { digestHex } from './hashes';
import { PipError, PipErrorCode } from './pip-error';
import { installationOrder, type WalkNode } from './resolution-walk';

/** Where a run installs (pip's scheme, or `--target`'s directory). */
export interface Location {
  readonly scheme: InstallScheme;
  /** `--target`: install into a staging area, then move top-level items like pip. */
  readonly targetDir: string | null;
  readonly ignoreInstalled: boolean;
}

/**
 * The lock record of a resolved node whose file was read (`have`, by file URL); `built` for a
 * wheel built from a source (its file's URL is the source's).
 */
export async function lockRecordOf(node: WalkNode, bytes: Uint8Array | null, built?: BuiltFrom): Promise<LockRecord> {
  const { pin } = node;
  const given = pin.file.hashes['sha256']?.toLowerCase();
  // A wheel still downloading has no bytes yet: only the index's digest can stand for them.
  if (given === undefined && bytes === null) throw new Error(`lockRecordOf: ${pin.file.filename} has neither an index sha256 nor its bytes yet`);
  const direct = pin.directUrl !== null ? pin.directUrl.split('#', 1)[0]! : null;
  return {
    name: pin.name,
    version: pin.version.toString(),
    filename: pin.file.filename,
    url: pin.file.url.split('#', 1)[0]!,
    sha256: given ?? (await digestHex('sha256', bytes!)),
    // A direct reference is found by its URL, not on an index: its origin is no index (a share
    // link or an export made from this record must not turn it into an --extra-index-url).
    index: direct !== null ? null : pin.file.index || null,
    requested: pin.requested,
    directUrl: direct,
    ...(built ? { built } : {}),
  };
}

export interface WriteOptions {
  /** `--force-reinstall`: install even what is already there. */
  readonly force: boolean;
  /** The journal of a larger change (pip sync's); committed or rolled back by the caller. */
  readonly journal?: JournalFs;
  /** pip sync: remove the installed distributions that are neither installed now nor kept. */
  readonly keepOthers?: ReadonlySet<NormalizedName>;
  /** Wheels built from a source (pip install of a folder, an sdist, a repository): what from, by file URL. */
  readonly builtFrom?: ReadonlyMap<string, BuiltFrom>;
  /** Wheels staged as they were downloaded (prefetch-downloads.ts), by file URL. */
  readonly staged?: ReadonlyMap<string, StagedWheel>;
  /** Downloads still running: the plan is applied as their wheels come in (not with --target). */
  readonly downloads?: Downloads;
}

/**
 * Downloads still running when the write step starts: each wheel is written as it comes in
 * (applyPlan's `arriving`), all or nothing as ever. `done` settles once every download has
 * and pip's lines about them are printed: pip's install lines come after those, and a
 * download's failure (Ctrl+C included) is the command's error, the environment as it was.
 */
export interface Downloads {
  /** Each wheel still downloading, by file URL: its bytes and staging. */
  readonly arriving: ReadonlyMap<string, Promise<ArrivingWheel>>;
  readonly done: Promise<unknown>;
}

/** What the write step installed: its records, for `ctx.onInstalled`, in installation order. */
export interface Written {
  readonly order: readonly WalkNode[];
  readonly distributions: readonly LockRecord[];
  readonly sharedLibraries: readonly LockRecord[];
}

/**
 * Prints `Installing collected packages`, applies the plan of `nodes` (everything they replace
 * uninstalled first), and says nothing was changed when anything fails.
 */
export async function writeStep(run: CommandRun, location: Location, nodes: readonly WalkNode[], have: ReadonlyMap<string, Uint8Array>, installed: readonly InstalledDist[], options: WriteOptions): Promise<Written> {
  const { ctx, log } = run;
  const order = installationOrder(nodes, (n) => n.pin.name);
  const distributions: LockRecord[] = [];
  const sharedLibraries: LockRecord[] = [];
  const display = new Map<string, WalkNode>();
  const wheels = new Map<string, Uint8Array>();
  const staged = new Map<string, StagedWheel>();
  const arriving = new Map<string, Promise<ArrivingWheel>>();
  let downloads = options.downloads;
  // A file the index gave no sha256 for is hashed for its lock record, before the plan is made:
  // then every download is waited for first (`have` holds them all then, as downloadFiles fills it).
  // So is `--target`'s staging area, filled from `have`.
  if (downloads && (location.targetDir !== null || order.some((n) => !have.has(n.pin.file.url) && !n.pin.file.hashes['sha256']))) {
    await downloads.done;
    downloads = undefined;
  }
  for (const node of order) {
    const url = node.pin.file.url;
    const bytes = have.get(url);
    const coming = bytes ? undefined : downloads?.arriving.get(url);
    const record = await lockRecordOf(node, bytes ?? null, options.builtFrom?.get(url));
    display.set(record.url, node);
    if (bytes) wheels.set(record.url, bytes);
    else if (coming) arriving.set(record.url, coming);
    const stagedWheel = options.staged?.get(url);
    if (stagedWheel) staged.set(record.url, stagedWheel);
    if (node.pin.file.pyodideLock?.packageType === 'shared_library') sharedLibraries.push(record);
    else distributions.push(record);
  }
  const header = order.length > 0 ? `Installing collected packages: ${order.map((n) => n.displayName).join(', ')}` : null;
  const keep = options.keepOthers;
  const plan = planInstall({ distributions, sharedLibraries }, { installed }, { reinstall: options.force, ...(keep ? { removeExtraneous: { keep } } : {}) });
  const reporter = applyReporter(log, { header, displayName: (r) => display.get(r.url)?.displayName ?? r.name });
  // While downloads run, pip's install lines wait for theirs (Downloading ..., then Installing ...).
  const gate = new ReportGate(reporter, downloads === undefined);
  const report = gate.report;
  // pip install's `--compile` (its default) and `--no-compile`; other commands do not compile.
  const compiler = run.options.flag('compile') ? (ctx.bytecode?.({ noCache: run.options.flag('noCacheDir') }) ?? null) : null;
  let downloadFailure: { readonly error: unknown } | null = null;
  // While downloads run, the plan is applied through a journal kept here, committed only once
  // they have all ended well: a download failing after the last wheel was written still leaves
  // the environment as it was.
  const journal = options.journal ?? (downloads ? new JournalFs(ctx.fs, (path) => path.startsWith(`${location.scheme.scripts}/`)) : undefined);
  try {
    if (location.targetDir !== null) {
      if (header) log.info(header);
      await installIntoTarget(run, location, order, have, options.journal, options.builtFrom, compiler);
    } else {
      const applying = applyPlan(
        { fs: journal ?? ctx.fs, scheme: location.scheme, dynlibDir: ctx.environment.dynlibDir ?? '/usr/lib' },
        plan,
        {
          wheels,
          staged,
          ...(arriving.size > 0 ? { arriving, pause: hostScheduler.yield } : {}),
          reporter: report,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          ...(journal ? { journal } : {}),
          compiler,
          expectedMetadata: (record) => {
            const node = display.get(record.url);
            // Dependencies resolved from the index's PEP 658 file must be the wheel's own.
            if (!node || node.pin.file.coreMetadata === false || node.pin.file.origin !== 'index' || node.metadata === null) return null;
            return { source: `the index's ${node.pin.file.filename}.metadata file`, requiresDist: node.metadata.requiresDist, requiresPython: node.metadata.requiresPython };
          },
        },
      ).then(
        () => null,
        (error: unknown) => ({ error }),
      );
      if (downloads) {
        // A failed download stops the apply (its wheel's promise rejects): it rolls back, and the
        // download's error is the command's, as when nothing was written before the downloads ended.
        const failed = await downloads.done.then(
          () => null,
          (error: unknown) => ({ error }),
        );
        if (failed) {
          await applying;
          downloadFailure = failed;
          throw failed.error;
        }
        gate.open();
      }
      const failure = await applying;
      if (failure) throw failure.error;
      if (!options.journal) journal?.commit();
    }
  } catch (error) {
    journal?.rollback();
    await ctx.afterChange?.();
    if (downloadFailure) throw downloadFailure.error;
    if (ctx.signal?.aborted) throw error;
    const unchanged = 'Nothing was installed: the environment is as it was before this command.';
    if (error instanceof PipetteError) throw new PipError(PipErrorCode.Installation, `${error.message}\n${unchanged}`);
    // pip's create_os_error_message for what the filesystem refused.
    throw new PipError(PipErrorCode.Installation, `Could not install packages due to an OSError: ${describeOsError(error)}\n${unchanged}`);
  }
  return { order, distributions, sharedLibraries };
}

/** Holds a reporter's events until open() (then passes them on as they come). */
class ReportGate {
  private readonly held: ApplyEvent[] = [];
  constructor(
    private readonly reporter: (event: ApplyEvent) => void,
    private opened: boolean,
  ) {}

  readonly report = (event: ApplyEvent): void => {
    if (this.opened) this.reporter(event);
    else this.held.push(event);
  };

  open(): void {
    this.opened = true;
    for (const event of this.held.splice(0)) this.reporter(event);
  }
}

/**
 * `--target`: install into a staging area laid out like the target, then move each top-level
 * item over, skipping (with pip's warning) those that exist unless `--upgrade` replaces them.
 */
async function installIntoTarget(
  run: CommandRun,
  location: Location,
  order: readonly WalkNode[],
  have: ReadonlyMap<string, Uint8Array>,
  outer: JournalFs | undefined,
  builtFrom: ReadonlyMap<string, BuiltFrom> | undefined,
  compiler: BytecodeCompiler | null,
): Promise<void> {
  const dir = location.targetDir!;
  const fs = outer ?? new JournalFs(run.ctx.fs);
  try {
    for (const node of order) {
      run.ctx.signal?.throwIfAborted();
      const staging = new MemoryFs();
      const record = await lockRecordOf(node, have.get(node.pin.file.url)!, builtFrom?.get(node.pin.file.url));
      await installWheel(staging, location.scheme, record.filename, have.get(node.pin.file.url)!, {
        expectedSha256: record.sha256,
        requested: record.requested,
        directUrl: directUrlOf(record),
        compiler,
        ...(run.ctx.signal ? { signal: run.ctx.signal } : {}),
      });
      const items = new Map<string, string[]>();
      for (const path of staging.listFiles()) {
        const top = path.slice(dir.length + 1).split('/')[0]!;
        const list = items.get(top) ?? [];
        list.push(path);
        items.set(top, list);
      }
      for (const [top, files] of [...items].sort(([a], [b]) => (a < b ? -1 : 1))) {
        const item = `${dir}/${top}`;
        if (run.ctx.fs.lstat(item) !== null) {
          if (!run.options.flag('upgrade')) {
            run.log.warning(`Target directory ${item} already exists. Specify --upgrade to force replacement.`);
            continue;
          }
          removeTree(fs, item);
        }
        for (const path of files) {
          const escape = linkViolation(fs, [dir], path);
          if (escape) throw new InstallError(InstallErrorCode.SymlinkEscape, record.filename, `Refusing to install ${record.filename} into ${dir}: ${escape.problem}. Rule: ${escape.rule}.`);
          fs.mkdirp(dirnameOf(path));
          fs.writeFile(path, staging.readFile(path)!, { executable: staging.isExecutable(path) });
        }
      }
    }
  } catch (error) {
    if (!outer) fs.rollback();
    throw error;
  }
  if (!outer) fs.commit();
}

/** Removes a file or a folder with what it holds; a link is unlinked, never followed. */
function removeTree(fs: JournalFs, path: string): void {
  if (fs.lstat(path)?.kind === 'directory') for (const child of fs.readdir(path)) removeTree(fs, `${path}/${child}`);
  fs.remove(path);
}
