/**
 * `pip download` (pip `commands/download.py`): resolve as install would (ignoring what is
 * installed), read every wheel, then save them all into `-d DIR` in the virtual filesystem:
 * `Saved ./dist/x-1.0-py3-none-any.whl`, `Successfully downloaded x y`.
 */
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { indexGroup, requirementOptions } from '../cmdoptions';
import { resolvePath } from '../format';
import { downloadFiles, metadataOf, prepareSource, printCollecting, resolveStep, saveFiles } from '../install-steps';
import { JournalFs } from '../../install';
import { PipError, PipErrorCode } from '../pip-error';
import { collectContext, collectRequirements } from '../requirements';
import { walkResolution } from '../resolution-walk';

export const downloadCommand: PipCommand = {
  name: 'download',
  summary: 'Download packages.',
  usage: ['%prog [options] <requirement specifier> [package-index-options] ...', '%prog [options] -r <requirements file> [package-index-options] ...', '%prog [options] <archive url/path> ...'].join('\n'),
  description: 'Download packages from:\n\n- PyPI (and other indexes) using requirement specifiers.\n- Local wheel files and wheel URLs.\n\npip also supports downloading from "requirements files", which provide\nan easy way to specify a whole environment to be downloaded.',
  groups: [
    {
      title: 'Download Options',
      options: [
        ...requirementOptions,
        { flags: ['-d', '--dest', '--destination-dir', '--destination-directory'], dest: 'downloadDir', action: 'store', metavar: 'dir', default: '.', help: 'Download packages into <dir>.' },
      ],
    },
    indexGroup,
  ],
  run: runDownload,
};

async function runDownload(run: CommandRun): Promise<number> {
  const { ctx, options: o, log } = run;
  const collected = await collectRequirements(
    { args: run.args, requirementFiles: o.list('requirements'), constraintFiles: o.list('constraints'), editables: [] },
    collectContext(ctx),
  );
  for (const w of collected.warnings) log.warning(w);
  for (const line of collected.ignored) log.info(line);
  if (collected.requirements.length === 0) {
    if (collected.ignored.length > 0) return ExitStatus.Success;
    throw new PipError(PipErrorCode.Command, `You must give at least one requirement to download (see "pip help download")`);
  }
  const dest = resolvePath(ctx.cwd, o.string('downloadDir') ?? '.');
  if (ctx.fs.exists(dest) && !ctx.fs.isDirectory(dest)) throw new PipError(PipErrorCode.Command, `${dest} exists and is not a directory.`);

  const rs = prepareSource(run, collected, new Map());
  const result = await resolveStep(run, rs, collected, { preferences: [], upgrade: false, upgradePackages: [], noDeps: o.flag('noDeps'), pre: o.flag('pre') || collected.pre });
  if (result.kind === 'no-solution') return ExitStatus.Error;
  const nodes = await walkResolution(result, collected.requirements, metadataOf(rs.source), ctx.environment.markerEnvironment);
  const have = await printCollecting(run, rs, nodes, { states: new Map(), satisfiedBy: new Map(), fetch: true });
  await downloadFiles(run, rs, nodes, have);

  const journal = new JournalFs(ctx.fs);
  const saved: string[] = [];
  try {
    journal.mkdirp(dest);
    saveFiles(run, journal, dest, nodes, have);
    for (const node of nodes) saved.push(node.displayName);
  } catch (error) {
    journal.rollback();
    throw error;
  }
  journal.commit();
  if (saved.length > 0) log.info(`Successfully downloaded ${saved.join(' ')}`);
  return ExitStatus.Success;
}
