/**
 * `pip index versions NAME` (pip `commands/index.py`): the versions that would install here,
 * newest first, and the installed one.
 */
import { findInstalled } from '../../install';
import { normalizeName } from '../../pep';
import { availableVersions } from '../candidates';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { indexGroup, pre } from '../cmdoptions';
import { pyJsonDumps } from '../format';
import { prepareSource } from '../install-steps';
import { PipError, PipErrorCode } from '../pip-error';
import { rawVersion } from './install';

export const indexCommand: PipCommand = {
  name: 'index',
  summary: 'Inspect information available from package indexes.',
  usage: '%prog versions <package>',
  description: 'Inspect information available from package indexes.',
  groups: [
    {
      title: 'Index Options',
      options: [pre, { flags: ['--json'], dest: 'json', action: 'store_true', help: 'Output the versions as JSON.' }],
    },
    indexGroup,
  ],
  run: runIndex,
};

async function runIndex(run: CommandRun): Promise<number> {
  const { ctx, log } = run;
  const [action, ...rest] = run.args;
  if (action !== 'versions') {
    log.error('Need an action (versions) to perform.');
    return ExitStatus.Error;
  }
  if (rest.length !== 1) throw new PipError(PipErrorCode.Command, 'You need to specify exactly one argument');
  const query = rest[0]!;
  const { source } = prepareSource(run, null, new Map());
  const python = ctx.environment.markerEnvironment['python_full_version'] ?? ctx.environment.lockInfo.python;
  const { versions } = await availableVersions(
    source,
    normalizeName(query),
    { lockInfo: ctx.environment.lockInfo, python },
    { pre: run.options.flag('pre'), ...(ctx.signal ? { signal: ctx.signal } : {}) },
  );
  if (versions.length === 0) throw new PipError(PipErrorCode.NotFound, `No matching distribution found for ${query}`);
  const formatted = versions.map((v) => v.toString());
  const latest = formatted[0]!;
  const dist = findInstalled(ctx.fs, ctx.environment.scheme.purelib, query);
  if (run.options.flag('json')) {
    const data: Record<string, unknown> = { name: query, versions: formatted };
    if (dist) data['installed_version'] = rawVersion(dist);
    log.info(pyJsonDumps(data));
    return ExitStatus.Success;
  }
  log.info(`${query} (${latest})`);
  log.info(`Available versions: ${formatted.join(', ')}`);
  if (dist) {
    await log.indent(() => {
      const installed = dist.metadata.version.toString();
      if (installed === latest) log.info(`INSTALLED: ${rawVersion(dist)} (latest)`);
      else {
        log.info(`INSTALLED: ${rawVersion(dist)}`);
        if (versions[0]!.isPrerelease) log.info(`LATEST:    ${latest} (pre-release; install with \`pip install --pre\`)`);
        else log.info(`LATEST:    ${latest}`);
      }
    });
  }
  return ExitStatus.Success;
}
