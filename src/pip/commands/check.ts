/**
 * `pip check` (pip `commands/check.py`): installed distributions whose requirements are
 * missing or not satisfied, and those built for another platform.
 */
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { checkPackageSet, unsupportedDistributions } from '../conflicts';
import { environmentDists } from '../installed-env';

export const checkCommand: PipCommand = {
  name: 'check',
  summary: 'Verify installed packages have compatible dependencies.',
  usage: '%prog [options]',
  description: 'Verify installed packages have compatible dependencies.',
  groups: [],
  run: runCheck,
};

async function runCheck(run: CommandRun): Promise<number> {
  const { ctx, log } = run;
  const dists = environmentDists(run);
  const versions = new Map(dists.map((d) => [d.name, d.metadata.version.toString()]));
  const { missing, conflicting } = checkPackageSet(dists, ctx.environment.markerEnvironment);
  const unsupported = unsupportedDistributions(ctx.fs, dists, ctx.environment.lockInfo);
  for (const [name, deps] of missing) {
    for (const [dep] of deps) log.info(`${name} ${versions.get(name)} requires ${dep}, which is not installed.`);
  }
  for (const [name, deps] of conflicting) {
    for (const [dep, version, req] of deps) log.info(`${name} ${versions.get(name)} has requirement ${req.toString()}, but you have ${dep} ${version}.`);
  }
  for (const dist of unsupported) log.info(`${dist.name} ${dist.metadata.version.toString()} is not supported on this platform`);
  if (missing.size > 0 || conflicting.size > 0 || unsupported.length > 0) return ExitStatus.Error;
  log.info('No broken requirements found.');
  return ExitStatus.Success;
}
