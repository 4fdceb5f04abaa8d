/**
 * `pip show` (pip `commands/show.py`): RFC 822-style fields of installed distributions, `---`
 * between them; `-f` lists RECORD's files, `-v` adds classifiers, entry points and URLs.
 */
import type { InstalledDist } from '../../install';
import { normalizeName } from '../../pep';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { installedDependencies } from '../conflicts';
import { dirnameOf } from '../format';
import { environmentDists } from '../installed-env';
import { rawVersion } from './install';

export const showCommand: PipCommand = {
  name: 'show',
  summary: 'Show information about installed packages.',
  usage: '%prog [options] <package> ...',
  description: 'Show information about one or more installed packages.\n\nThe output is in RFC-compliant mail header format.',
  groups: [
    {
      title: 'Show Options',
      options: [{ flags: ['-f', '--files'], dest: 'files', action: 'store_true', help: 'Show the full list of installed files for each package.' }],
    },
  ],
  run: runShow,
};

const byLower = (a: string, b: string): number => {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
};

async function runShow(run: CommandRun): Promise<number> {
  const { ctx, log } = run;
  if (run.args.length === 0) {
    log.warning('ERROR: Please provide a package name or names.');
    return ExitStatus.Error;
  }
  const env = ctx.environment.markerEnvironment;
  const installed = new Map(environmentDists(run).map((d) => [d.name, d] as const));
  const missing = run.args.filter((a) => !installed.has(normalizeName(a))).sort();
  if (missing.length > 0) log.warning(`Package(s) not found: ${missing.join(', ')}`);

  let printed = 0;
  for (const query of run.args) {
    const dist = installed.get(normalizeName(query));
    if (!dist) continue;
    if (printed > 0) log.info('---');
    printed++;
    const field = (name: string): string => dist.metadata.fields.get(name)?.[0] ?? '';
    const requires = [...new Set(installedDependencies(dist, env).map((r) => r.name))].sort(byLower);
    const requiredBy = [...installed.values()]
      .filter((other) => installedDependencies(other, env).some((r) => r.normalizedName === dist.name))
      .map((other) => other.metadata.name)
      .sort(byLower);
    const metadataVersion = field('metadata-version');
    const mv = metadataVersion.split('.').map(Number);

    log.info(`Name: ${dist.metadata.name}`);
    log.info(`Version: ${rawVersion(dist)}`);
    log.info(`Summary: ${field('summary')}`);
    log.info(`Home-page: ${homepage(dist)}`);
    log.info(`Author: ${field('author')}`);
    log.info(`Author-email: ${field('author-email')}`);
    const licenseExpression = field('license-expression');
    if (((mv[0] ?? 0) > 2 || ((mv[0] ?? 0) === 2 && (mv[1] ?? 0) >= 4)) && licenseExpression) log.info(`License-Expression: ${licenseExpression}`);
    else log.info(`License: ${field('license')}`);
    log.info(`Location: ${dirnameOf(dist.distInfoPath)}`);
    log.info(`Requires: ${requires.join(', ')}`);
    log.info(`Required-by: ${requiredBy.join(', ')}`);
    if (log.verbosity >= 1) {
      log.info(`Metadata-Version: ${metadataVersion}`);
      log.info(`Installer: ${dist.installer ?? ''}`);
      log.info('Classifiers:');
      for (const c of dist.metadata.fields.get('classifier') ?? []) log.info(`  ${c}`);
      log.info('Entry-points:');
      const ep = ctx.fs.readFile(`${dist.distInfoPath}/entry_points.txt`);
      const lines = ep ? new TextDecoder().decode(ep).split(/\r?\n/) : [];
      if (lines.at(-1) === '') lines.pop(); // str.splitlines(): no empty line after the last newline
      for (const line of lines) log.info(`  ${line.trim()}`);
      log.info('Project-URLs:');
      for (const u of dist.metadata.fields.get('project-url') ?? []) log.info(`  ${u}`);
    }
    if (run.options.flag('files')) {
      log.info('Files:');
      if (!dist.record) log.info('Cannot locate RECORD or installed-files.txt');
      else for (const path of dist.record.map((e) => e.path).sort()) log.info(`  ${path.trim()}`);
    }
  }
  return printed > 0 ? ExitStatus.Success : ExitStatus.Error;
}

/** Home-page, or the Project-URL labelled "homepage" in PEP 753's normalization. */
function homepage(dist: InstalledDist): string {
  const home = dist.metadata.fields.get('home-page')?.[0];
  if (home) return home;
  for (const entry of dist.metadata.fields.get('project-url') ?? []) {
    const comma = entry.indexOf(',');
    if (comma < 0) continue;
    const label = entry.slice(0, comma).replace(/[\s!-/:-@[-`{-~]/g, '').toLowerCase();
    if (label === 'homepage') return entry.slice(comma + 1).trim();
  }
  return '';
}
