/**
 * `pip sync` (Pipette's, after pip-tools' `pip-sync`): make the environment exactly what a
 * requirements file (usually `pip compile`'s output) says. Installed distributions the file
 * does not list are uninstalled (except pip's own tooling), and the listed ones whose installed
 * version does not satisfy the file are installed, upgraded or downgraded, through the
 * uninstall and install commands' own code paths.
 *
 * All or nothing: both steps write through one journal, so when the install fails (nothing
 * resolves, a hash does not match, a wheel is broken) the uninstalls are undone too and the
 * environment is byte for byte what it was. `--dry-run` prints pip-sync's plan and exits with 1
 * when there is something to do, as pip-sync does.
 */
import { JournalFs, listInstalled, type InstalledDist } from '../../install';
import type { NormalizedName } from '../../pep';
import { generalOptions, indexGroup } from '../cmdoptions';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import type { PipContext } from '../context';
import { resolvePath } from '../format';
import { canAsk, confirm } from '../ask';
import { parseCommandLine } from '../options';
import { PipError, PipErrorCode } from '../pip-error';
import { collectContext, collectRequirements, type CollectedRequirements, type RootRequirement } from '../requirements';
import { commitInstall, installCommand, prepareInstall, recordInstalled, type PreparedInstall } from './install';
import { writeStep, type Written } from '../write-step';

const DEFAULT_REQUIREMENTS_FILE = 'requirements.txt';

/**
 * pip-tools' PACKAGES_TO_IGNORE (with pip's `stdlib_pkgs` and freeze's DEV_PKGS): never
 * uninstalled by a sync, nor what they depend on.
 */
const PACKAGES_TO_IGNORE = ['-markerlib', 'pip', 'pip-tools', 'pip-review', 'pkg-resources', 'python', 'wsgiref', 'argparse'];

export const syncCommand: PipCommand = {
  name: 'sync',
  summary: 'Make the environment match a requirements file.',
  usage: '%prog [options] [<requirements file> ...]',
  description:
    'Synchronize the environment with requirements.txt (or the files given), like\n' +
    'pip-sync: uninstall what they do not list; install, upgrade or downgrade what\n' +
    'they pin. All or nothing.',
  groups: [
    {
      title: 'Sync Options',
      options: [
        { flags: ['-n', '--dry-run'], dest: 'dryRun', action: 'store_true', help: "Only show what would happen, don't change anything" },
        { flags: ['-a', '--ask'], dest: 'ask', action: 'store_true', help: 'Show what would happen, then ask whether to continue' },
        { flags: ['--force'], dest: 'force', action: 'store_true', help: 'Proceed even if conflicts are found' },
      ],
    },
    indexGroup,
  ],
  run: runSync,
};

/**
 * Runs another pip command's code path (as pip-tools runs `pip install`) with `argv`, the
 * same logger, and `ctx` (e.g. one writing through a journal). Configured defaults are not
 * re-read: the caller passes what applies as explicit options (see `installFlags`).
 */
export async function runCommandWith(run: CommandRun, command: PipCommand, argv: readonly string[], ctx: PipContext = run.ctx): Promise<number> {
  const parsed = parseCommandLine(argv, [...command.groups, generalOptions], null);
  return command.run({ ctx, options: parsed.options, args: parsed.args, log: run.log, name: command.name });
}

/**
 * The index options of this run (command line and pip.conf) and of its requirements files,
 * as `pip install` flags (pip-tools' `_compose_install_flags`). A file's `--index-url` wins,
 * as it does in `pip install -r`.
 */
export function installFlags(run: CommandRun, collected: Pick<CollectedRequirements, 'indexUrl' | 'extraIndexUrls' | 'noIndex' | 'findLinks' | 'pre'> | null): string[] {
  const o = run.options;
  const flags: string[] = [];
  const indexUrl = collected?.indexUrl ?? o.string('indexUrl');
  if (indexUrl !== null) flags.push('--index-url', indexUrl);
  for (const url of [...o.list('extraIndexUrls'), ...(collected?.extraIndexUrls ?? [])]) flags.push('--extra-index-url', url);
  if (o.flag('noIndex') || collected?.noIndex) flags.push('--no-index');
  for (const link of [...o.list('findLinks'), ...(collected?.findLinks ?? [])]) flags.push('--find-links', resolvePath(run.ctx.cwd, link));
  if (o.flag('pre') || collected?.pre) flags.push('--pre');
  const timeout = o.number('timeout');
  if (timeout !== null) flags.push('--timeout', String(timeout));
  const retries = o.number('retries');
  if (retries !== null) flags.push('--retries', String(retries));
  if (o.flag('noCacheDir')) flags.push('--no-cache-dir');
  return flags;
}

async function runSync(run: CommandRun): Promise<number> {
  const { ctx, log, options: o } = run;
  let srcs = [...run.args];
  if (srcs.length === 0) {
    if (!ctx.fs.exists(resolvePath(ctx.cwd, DEFAULT_REQUIREMENTS_FILE))) {
      log.error(`No requirement files given and no ${DEFAULT_REQUIREMENTS_FILE} found in the current directory`);
      return ExitStatus.UnknownError;
    }
    srcs = [DEFAULT_REQUIREMENTS_FILE];
  }
  if (srcs.some((s) => s.endsWith('.in'))) {
    const msg =
      'Some input files have the .in extension, which is most likely an error and can cause weird behaviour. You probably meant to use the corresponding *.txt file?';
    if (!o.flag('force')) {
      log.error(msg);
      return ExitStatus.UnknownError;
    }
    log.warning(msg);
  }
  const collected = await collectRequirements(
    { args: [], requirementFiles: srcs, constraintFiles: [], editables: [] },
    collectContext(ctx),
  );
  for (const w of collected.warnings) log.warning(w);

  // pip-tools' merge(): one requirement per project; two different ones are a conflict.
  const wanted = new Map<NormalizedName, RootRequirement>();
  for (const r of collected.requirements) {
    const key = r.requirement.normalizedName;
    const existing = wanted.get(key);
    if (existing && !o.flag('force') && specOf(existing) !== specOf(r)) {
      log.error(`Incompatible requirements found: ${describe(r)} and ${describe(existing)}`);
      return ExitStatus.UnknownError;
    }
    wanted.set(key, r);
  }

  // pip-tools' diff().
  const scheme = ctx.environment.scheme;
  const installed = listInstalled(ctx.fs, scheme.purelib);
  const ignore = dependencyClosure(run, installed, PACKAGES_TO_IGNORE);
  const satisfied = new Set<NormalizedName>();
  const toUninstall: NormalizedName[] = [];
  for (const dist of installed) {
    const req = wanted.get(dist.name);
    if (!req) {
      if (!ignore.has(dist.name)) toUninstall.push(dist.name);
    } else if (satisfies(req, dist)) satisfied.add(dist.name);
  }
  const toInstall = [...wanted.values()].filter((r) => !satisfied.has(r.requirement.normalizedName));
  toUninstall.sort();
  toInstall.sort((a, b) => (a.requirement.normalizedName < b.requirement.normalizedName ? -1 : a.requirement.normalizedName > b.requirement.normalizedName ? 1 : 0));

  if (toUninstall.length === 0 && toInstall.length === 0) {
    log.info('Everything up-to-date');
    return ExitStatus.Success;
  }
  if (o.flag('dryRun') || o.flag('ask')) {
    if (toUninstall.length > 0) {
      log.info('Would uninstall:');
      for (const name of toUninstall) log.info(`  ${name}`);
    }
    if (toInstall.length > 0) {
      log.info('Would install:');
      for (const r of toInstall) log.info(`  ${requirementLine(r)}`);
    }
    if (!o.flag('ask') || !(await ask(run))) return ExitStatus.Error;
  }

  // One all-or-nothing change: pip install's preparation (resolution, downloads, hashes) on the
  // file's requirements as they are (pip-sync writes them to a temporary requirements file for
  // `pip install -r`; here they stay data), then one install plan: what the file does not list
  // removed, the rest installed, through one journal.
  const journal = new JournalFs(ctx.fs, (p) => p.startsWith(`${scheme.scripts}/`));
  const removing = new Set<NormalizedName>(toUninstall);
  const keep = new Set(installed.map((d) => d.name).filter((n) => !removing.has(n)));
  const location = { scheme, targetDir: null, ignoreInstalled: false };
  try {
    let prepared: PreparedInstall | null = null;
    let installRun = run;
    if (toInstall.length > 0) {
      const parsed = parseCommandLine(installFlags(run, collected), [...installCommand.groups, generalOptions], null);
      installRun = { ...run, options: parsed.options, args: [], name: installCommand.name };
      const requirements: CollectedRequirements = {
        ...collected,
        requirements: toInstall,
        constraints: [],
        // Carried by the install flags above.
        indexUrl: null,
        extraIndexUrls: [],
        noIndex: false,
        findLinks: [],
        pre: false,
        requireHashes: toInstall.some((r) => r.hashes.length > 0),
        warnings: [],
        ignored: [],
      };
      // As if the uninstalls had happened first (pip-sync's order): what goes is no preference.
      prepared = await prepareInstall(installRun, requirements, location, installed.filter((d) => !removing.has(d.name)), { dryRun: false });
      if (prepared === null) throw new PipError(PipErrorCode.Installation, 'pip install did not finish (see above).');
    }
    let written: Written | null = null;
    if (prepared !== null && prepared.toInstall.length > 0) {
      written = await commitInstall(installRun, location, prepared, installed, { force: false, journal, keepOthers: keep });
    } else {
      await writeStep(installRun, location, [], new Map(), installed, { force: false, journal, keepOthers: keep });
      await ctx.afterChange?.();
    }
    journal.commit();
    if (written) await recordInstalled(run, location, written);
  } catch (error) {
    journal.rollback();
    await ctx.afterChange?.();
    const undone = toUninstall.length > 0 ? ' (what was uninstalled above is back)' : '';
    const detail = error instanceof Error ? error.message : String(error);
    throw new PipError(PipErrorCode.Installation, `${detail}\nNothing was changed: the environment is as it was before pip sync${undone}.`);
  }
  return ExitStatus.Success;
}

/** pip-sync's `--ask`: `Would you like to proceed with these changes?`. */
async function ask(run: CommandRun): Promise<boolean> {
  if (!canAsk(run.ctx, run.options.flag('noInput'))) {
    throw new PipError(PipErrorCode.Command, 'Cannot ask for confirmation here: no one can answer. Run pip sync without --ask to make these changes.');
  }
  return confirm(run.ctx, 'Would you like to proceed with these changes?');
}

/** A requirement as pip-tools' `format_requirement` writes it: the name canonicalized. */
function requirementLine(r: RootRequirement): string {
  const req = r.requirement;
  return `${req.normalizedName}${req.toString().slice(req.name.length)}`;
}

function specOf(r: RootRequirement): string {
  return `${r.requirement.specifier.toString()} ${r.requirement.url ?? ''}`;
}

function describe(r: RootRequirement): string {
  return `${requirementLine(r)}${r.comesFrom ? ` (from ${r.comesFrom})` : ''}`;
}

/** Whether what is installed is what the file asks for (a URL: the same URL, per PEP 610). */
function satisfies(r: RootRequirement, dist: InstalledDist): boolean {
  const req = r.requirement;
  if (req.url !== null) return dist.directUrl !== null && dist.directUrl.split('#')[0] === req.url.split('#')[0];
  return req.specifier.contains(dist.metadata.version, { prereleases: true });
}

/** pip-tools' `get_dists_to_ignore`: these projects and, when installed, everything they require. */
function dependencyClosure(run: CommandRun, installed: readonly InstalledDist[], names: readonly string[]): Set<NormalizedName> {
  const env = run.ctx.environment.markerEnvironment;
  const byName = new Map(installed.map((d) => [d.name, d] as const));
  const out = new Set<NormalizedName>();
  const queue = names.map((n) => byName.get(n as NormalizedName)).filter((d): d is InstalledDist => d !== undefined);
  while (queue.length > 0) {
    const dist = queue.shift()!;
    if (out.has(dist.name)) continue;
    out.add(dist.name);
    for (const req of dist.metadata.requiresDist) {
      if (req.marker !== null && !safeEvaluate(() => req.marker!.evaluate(env, ''))) continue;
      const dep = byName.get(req.normalizedName);
      if (dep && req.specifier.contains(dep.metadata.version, { prereleases: true })) queue.push(dep);
    }
  }
  return out;
}

function safeEvaluate(f: () => boolean): boolean {
  try {
    return f();
  } catch {
    return false;
  }
}
