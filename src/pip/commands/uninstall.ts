/**
 * `pip uninstall` (pip `commands/uninstall.py`, `req/req_uninstall.py`): by RECORD, with pip's
 * messages. Each distribution is removed through a journal, so one that fails midway is put back
 * whole; without `-y` the files are listed and the person is asked (`ctx.prompt`), and when
 * there is no one to ask the command stops and says to pass `-y`.
 */
import { findInstalled, recordPaths, uninstallDistribution, type InstalledDist } from '../../install';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { dirnameOf } from '../format';
import { JournalFs } from '../../install';
import { askToProceed, canAsk } from '../ask';
import { PipError, PipErrorCode } from '../pip-error';
import { collectContext, collectRequirements } from '../requirements';
import { rawVersion, warnKept } from '../apply-output';

export const uninstallCommand: PipCommand = {
  name: 'uninstall',
  summary: 'Uninstall packages.',
  usage: ['%prog [options] <package> ...', '%prog [options] -r <requirements file> ...'].join('\n'),
  description:
    'Uninstall packages.\n\npip is able to uninstall most installed packages. Known exceptions are:\n\n- Distributions without a RECORD file.',
  groups: [
    {
      title: 'Uninstall Options',
      options: [
        {
          flags: ['-r', '--requirement'],
          dest: 'requirements',
          action: 'append',
          metavar: 'file',
          help: 'Uninstall all the packages listed in the given requirements file. This option can be used multiple times.',
        },
        { flags: ['-y', '--yes'], dest: 'yes', action: 'store_true', help: "Don't ask for confirmation of uninstall deletions." },
        { flags: ['--root-user-action'], dest: 'rootUserAction', action: 'store', choices: ['warn', 'ignore'], metavar: 'root_user_action' },
        { flags: ['--break-system-packages'], dest: 'breakSystemPackages', action: 'store_true' },
      ],
    },
  ],
  run: runUninstall,
};

async function runUninstall(run: CommandRun): Promise<number> {
  const { ctx, log, options: o } = run;
  const names: string[] = [];
  const seen = new Set<string>();
  const collected = await collectRequirements(
    { args: run.args, requirementFiles: o.list('requirements'), constraintFiles: [], editables: [] },
    collectContext(ctx),
  );
  for (const r of collected.requirements) {
    if (seen.has(r.requirement.normalizedName)) continue;
    seen.add(r.requirement.normalizedName);
    names.push(r.requirement.name);
  }
  if (names.length === 0) {
    throw new PipError(PipErrorCode.Installation, `You must give at least one requirement to uninstall (see "pip help uninstall")`);
  }
  const scheme = ctx.environment.scheme;
  let changed = false;
  try {
    for (const name of names) {
      const dist = findInstalled(ctx.fs, scheme.purelib, name);
      if (!dist) {
        log.warning(`Skipping ${name} as it is not installed.`);
        continue;
      }
      log.info(`Found existing installation: ${dist.metadata.name} ${rawVersion(dist)}`);
      if (!dist.record) {
        throw new PipError(
          PipErrorCode.Installation,
          `Cannot uninstall ${dist.metadata.name} ${rawVersion(dist)}: no RECORD file was found for ${dist.name}. ` +
            `You might be able to recover from this via: 'pip install --force-reinstall --no-deps ${dist.name}==${rawVersion(dist)}'.`,
        );
      }
      const nameVersion = `${dist.metadata.name}-${rawVersion(dist)}`;
      log.info(`Uninstalling ${nameVersion}:`);
      const proceed = await log.indent(async () => (o.flag('yes') ? true : confirm(run, dist)));
      if (!proceed) continue;
      const journal = new JournalFs(ctx.fs, (p) => p.startsWith(`${scheme.scripts}/`));
      try {
        const result = uninstallDistribution(journal, scheme, dist.name);
        await log.indent(() => {
          for (const path of result.removed) log.verbose(`Removing file or directory ${path}`);
          warnKept(log, result);
        });
      } catch (error) {
        journal.rollback();
        throw error;
      }
      journal.commit();
      changed = true;
      await log.indent(() => log.info(`Successfully uninstalled ${nameVersion}`));
    }
  } finally {
    if (changed) await ctx.afterChange?.();
  }
  return ExitStatus.Success;
}

/** pip's `_allowed_to_proceed`: what would be removed, then `Proceed (Y/n)? `. */
async function confirm(run: CommandRun, dist: InstalledDist): Promise<boolean> {
  const { ctx, log } = run;
  const paths = recordPaths(ctx.fs, ctx.environment.scheme, dist);
  const { remove, skip } = compressForOutputListing(ctx, paths.remove);
  const show = (title: string, list: readonly string[]): void => {
    if (list.length === 0) return;
    log.info(title);
    log.indentSync(() => {
      for (const p of [...list].sort()) log.info(p);
    });
  };
  show('Would remove:', remove);
  show('Would not remove (might be manually added):', skip);
  show('Would not remove (outside of prefix):', paths.keep);
  if (!canAsk(ctx, run.options.flag('noInput'))) {
    log.info('Proceed (Y/n)? ');
    throw new PipError(
      PipErrorCode.Command,
      `Cannot ask for confirmation here: no one can answer "Proceed (Y/n)?". Run pip uninstall -y ${dist.name} to uninstall without asking.`,
    );
  }
  return askToProceed(ctx);
}

/**
 * pip's `compress_for_output_listing`: a package directory (one holding `__init__.py`, or the
 * `.dist-info`) is shown as `dir/*`; files in such directories that RECORD does not list are
 * shown as what would not be removed.
 */
function compressForOutputListing(run: { fs: CommandRun['ctx']['fs'] }, paths: readonly string[]): { remove: string[]; skip: string[] } {
  const files = new Set<string>();
  let folders = new Set<string>();
  for (const path of paths) {
    if (path.endsWith('.pyc')) continue;
    if (path.endsWith('__init__.py') || path.includes('.dist-info')) folders.add(dirnameOf(path));
    files.add(path);
  }
  folders = compact(folders);
  const skip: string[] = [];
  const walk = (dir: string): void => {
    for (const name of run.fs.readdir(dir)) {
      const p = `${dir}/${name}`;
      if (run.fs.isDirectory(p)) walk(p);
      else if (!name.endsWith('.pyc') && !files.has(p)) skip.push(p);
    }
  };
  for (const folder of folders) walk(folder);
  const remove = [...files].filter((f) => ![...folders].some((d) => f.startsWith(`${d}/`)));
  return { remove: [...compact(new Set([...remove, ...[...folders].map((d) => `${d}/*`)]))], skip };
}

/** pip's `compact`: drop paths inside another path of the set. */
function compact(paths: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const path of [...paths].sort((a, b) => a.length - b.length)) {
    const inside = [...out].some((short) => {
      const base = short.replace(/\*$/, '').replace(/\/$/, '');
      return path.startsWith(`${base}/`);
    });
    if (!inside) out.add(path);
  }
  return out;
}
