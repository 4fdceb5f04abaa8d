/**
 * `pip wheel` (pip `commands/wheel.py`): resolve as install would (ignoring what is installed),
 * save the wheels found into `-w DIR` (`Saved ./dist/x-1.0-py3-none-any.whl`), and build the
 * sources (`.`, an sdist, `git+https://`, sdist-only releases) into wheels there, with pip's
 * `Building wheels for collected packages: ...` lines. All or nothing: nothing is written to
 * the wheel folder when a build fails.
 */
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { indexGroup, requirementOptions } from '../cmdoptions';
import { resolvePath } from '../format';
import { FormatControl } from '../format-control';
import { collectWithSources, downloadFiles, metadataOf, prepareSource, printCollecting, resolveStep, saveFiles } from '../install-steps';
import { JournalFs } from '../../install';
import { PipError, PipErrorCode } from '../pip-error';
import { walkResolution } from '../resolution-walk';
import { PipBuilds } from '../source-builds';

export const wheelCommand: PipCommand = {
  name: 'wheel',
  summary: 'Build wheels from your requirements.',
  usage: [
    '%prog [options] <requirement specifier> ...',
    '%prog [options] -r <requirements file> ...',
    '%prog [options] [-e] <vcs project url> ...',
    '%prog [options] [-e] <local project path> ...',
    '%prog [options] <archive url/path> ...',
  ].join('\n'),
  description:
    'Build Wheel archives for your requirements and dependencies.\n\nWheel is a built-package format, and offers the advantage of not\nrecompiling your software during every install. For more details, see the\nwheel docs: https://wheel.readthedocs.io/en/latest/\n\n\'pip wheel\' uses the build system interface as described here:\nhttps://pip.pypa.io/en/stable/reference/build-system/',
  groups: [
    {
      title: 'Wheel Options',
      options: [
        {
          flags: ['-w', '--wheel-dir'],
          dest: 'wheelDir',
          action: 'store',
          metavar: 'dir',
          default: '.',
          help: 'Build wheels into <dir>, where the default is the current working directory.',
        },
        { flags: ['-e', '--editable'], dest: 'editables', action: 'append', metavar: 'path/url', help: 'Install a project in editable mode (i.e. setuptools "develop mode") from a local project path or a VCS url.' },
        ...requirementOptions,
      ],
    },
    indexGroup,
  ],
  run: runWheel,
};

async function runWheel(run: CommandRun): Promise<number> {
  const { ctx, options: o } = run;
  const unprepared = await collectWithSources(run, 'wheel');
  if (unprepared === null) return ExitStatus.Success;
  const dest = resolvePath(ctx.cwd, o.string('wheelDir') ?? '.');
  if (ctx.fs.exists(dest) && !ctx.fs.isDirectory(dest)) throw new PipError(PipErrorCode.Command, `${dest} exists and is not a directory.`);

  const rs = prepareSource(run, unprepared, new Map());
  const builds = ctx.python ? new PipBuilds(run, rs, unprepared) : null;
  if (builds) rs.builds = rs.source.builds = builds;
  try {
    // `pip wheel -e PATH` builds a regular wheel of the project (an editable wheel is for installing).
    const roots = builds ? await builds.prepareRoots(unprepared.sourceRoots.map((r) => ({ ...r, link: { ...r.link, editable: false } }))) : [];
    const collected = { ...unprepared, requirements: [...roots, ...unprepared.requirements] };
    const result = await resolveStep(run, rs, collected, {
      preferences: [],
      upgrade: false,
      upgradePackages: [],
      noDeps: o.flag('noDeps'),
      pre: o.flag('pre') || collected.pre,
      ...(builds ? { formats: FormatControl.from(o.list('noBinary'), o.list('onlyBinary')) } : {}),
    });
    if (result.kind === 'no-solution') return ExitStatus.Error;
    const nodes = await walkResolution(result, collected.requirements, metadataOf(rs.source), ctx.environment.markerEnvironment);
    const have = await printCollecting(run, rs, nodes, { states: new Map(), satisfiedBy: new Map(), fetch: true });
    const fromSource = builds ? nodes.filter((n) => builds.isSource(n.pin.file)) : [];
    const wheels = nodes.filter((n) => !fromSource.includes(n) && n.pin.file.pyodideLock?.packageType !== 'shared_library');
    await downloadFiles(run, rs, wheels, have);

    const journal = new JournalFs(ctx.fs);
    try {
      journal.mkdirp(dest);
      saveFiles(run, journal, dest, wheels, have);
      if (builds && fromSource.length > 0) {
        const built = await builds.buildWheels(fromSource);
        for (const b of built.values()) journal.writeFile(`${dest}/${b.file.filename}`, b.bytes);
      }
    } catch (error) {
      journal.rollback();
      throw error;
    }
    journal.commit();
    return ExitStatus.Success;
  } finally {
    builds?.close();
  }
}
