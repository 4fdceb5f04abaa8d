/**
 * `pip list` (pip `commands/list.py`): installed distributions in columns, as `name==version`
 * lines or as JSON; `--outdated` / `--uptodate` ask the index for the newest installable
 * version; `--not-required` keeps what nothing else installed depends on.
 */
import type { InstalledDist } from '../../install';
import { normalizeName } from '../../pep';
import { availableVersions } from '../candidates';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { indexGroup, pre } from '../cmdoptions';
import { installedDependencies } from '../conflicts';
import { dirnameOf, pyJsonDumps, tabulate } from '../format';
import { prepareSource } from '../install-steps';
import { environmentDists, pathOption } from '../installed-env';
import { PipError, PipErrorCode } from '../pip-error';
import { isPipettePip } from '../pip-package';
import { rawVersion } from './install';
import { readDirectUrl } from './freeze';

/** The project folder of an editable install (PEP 610 `dir_info.editable`), else null. */
function editableLocation(run: CommandRun, dist: InstalledDist): string | null {
  const direct = readDirectUrl(run, dist);
  if (direct?.dir_info?.editable !== true || !/^file:/i.test(direct.url)) return null;
  return decodeURIComponent(new URL(direct.url).pathname);
}

export const listCommand: PipCommand = {
  name: 'list',
  summary: 'List installed packages.',
  usage: '%prog [options]',
  description: 'List installed packages, including editables.\n\nPackages are listed in a case-insensitive sorted order.',
  groups: [
    {
      title: 'List Options',
      options: [
        { flags: ['-o', '--outdated'], dest: 'outdated', action: 'store_true', help: 'List outdated packages' },
        { flags: ['-u', '--uptodate'], dest: 'uptodate', action: 'store_true', help: 'List uptodate packages' },
        { flags: ['-e', '--editable'], dest: 'editable', action: 'store_true', help: 'List editable projects.' },
        { flags: ['-l', '--local'], dest: 'local', action: 'store_true', help: 'If in a virtualenv that has global access, do not list globally-installed packages.' },
        { flags: ['--user'], dest: 'user', action: 'store_true', help: 'Only output packages installed in user-site.' },
        pathOption,
        pre,
        {
          flags: ['--format'],
          dest: 'listFormat',
          action: 'store',
          default: 'columns',
          choices: ['columns', 'freeze', 'json'],
          metavar: 'list_format',
          help: 'Select the output format among: columns (default), freeze, or json. With --outdated, freeze lists the outdated packages as name==installed (as pip did before 22.3).',
        },
        { flags: ['--not-required'], dest: 'notRequired', action: 'store_true', help: 'List packages that are not dependencies of installed packages.' },
        { flags: ['--exclude-editable'], dest: 'includeEditable', action: 'store_false', help: 'Exclude editable package from output.' },
        { flags: ['--include-editable'], dest: 'includeEditable', action: 'store_true', help: 'Include editable package in output.' },
        { flags: ['--exclude'], dest: 'excludes', action: 'append', metavar: 'package', help: 'Exclude specified package from the output' },
      ],
    },
    indexGroup,
  ],
  run: runList,
};

interface Row {
  readonly dist: InstalledDist;
  latest?: string;
}

async function runList(run: CommandRun): Promise<number> {
  const { ctx, options: o, log } = run;
  const outdated = o.flag('outdated');
  const uptodate = o.flag('uptodate');
  const format = o.string('listFormat') ?? 'columns';
  if (outdated && uptodate) throw new PipError(PipErrorCode.Command, 'Options --outdated and --uptodate cannot be combined.');
  // pip 22.3 refused `--outdated --format=freeze`; earlier pips printed the outdated packages as
  // `name==installed`, and that is what the classic upgrade-all one-liner of every tutorial
  // (`pip list --outdated --format=freeze | grep -v '^-e' | cut -d = -f 1 | xargs -n1 pip install -U`)
  // reads. Pipette keeps it working, as the older pip did.
  if (o.flag('user')) {
    // No user site-packages exist here (site.ENABLE_USER_SITE is false in Pyodide).
    return ExitStatus.Success;
  }

  const skip = new Set(o.list('excludes').map(normalizeName));
  const all = environmentDists(run);
  // PEP 660 editable installs: the project's folder from direct_url.json (pip's
  // `editable_project_location`); `-e` lists only them, `--exclude-editable` leaves them out.
  const editableAt = new Map(all.map((d) => [d.name, editableLocation(run, d)] as const));
  let dists = all.filter((d) => !skip.has(d.name));
  if (o.flag('editable')) dists = dists.filter((d) => editableAt.get(d.name) !== null);
  if (o.get('includeEditable') === false) dists = dists.filter((d) => editableAt.get(d.name) === null);

  // Before --outdated, so that what an excluded package requires still counts as required.
  if (o.flag('notRequired')) {
    const env = ctx.environment.markerEnvironment;
    const required = new Set(dists.flatMap((d) => installedDependencies(d, env).map((r) => r.normalizedName)));
    dists = dists.filter((d) => !required.has(d.name));
  }

  let rows: Row[] = dists.map((dist) => ({ dist }));
  if (outdated || uptodate) {
    const { source } = prepareSource(run, null, new Map());
    const python = ctx.environment.markerEnvironment['python_full_version'] ?? ctx.environment.lockInfo.python;
    const latest = await Promise.all(
      rows.map(async (row) => {
        // Pipette's pip is the newest pip it provides (pip-package.ts): up to date, nothing to ask the index.
        if (isPipettePip(row.dist)) return row.dist.metadata.version;
        const answer = await availableVersions(source, row.dist.name, { lockInfo: ctx.environment.lockInfo, python }, { pre: o.flag('pre'), ...(ctx.signal ? { signal: ctx.signal } : {}) });
        return answer.versions[0] ?? null;
      }),
    );
    rows = rows.flatMap((row, i) => {
      const best = latest[i];
      if (!best) return [];
      const cmp = best.compare(row.dist.metadata.version);
      if ((outdated && cmp > 0) || (uptodate && cmp === 0)) return [{ ...row, latest: best.toString() }];
      return [];
    });
  }
  rows.sort((a, b) => (a.dist.name < b.dist.name ? -1 : a.dist.name > b.dist.name ? 1 : 0));

  const verbose = log.verbosity >= 1;
  if (format === 'columns') {
    if (rows.length === 0) return ExitStatus.Success;
    const header = ['Package', 'Version'];
    if (outdated) header.push('Latest', 'Type');
    const editables = rows.some((r) => editableAt.get(r.dist.name) !== null);
    if (editables) header.push('Editable project location');
    if (verbose) header.push('Location', 'Installer');
    const data = rows.map((r) => {
      const row = [r.dist.metadata.name, rawVersion(r.dist)];
      if (outdated) row.push(r.latest ?? '', 'wheel');
      if (editables) row.push(editableAt.get(r.dist.name) ?? '');
      if (verbose) row.push(dirnameOf(r.dist.distInfoPath), r.dist.installer ?? '');
      return row;
    });
    const { lines, sizes } = tabulate([header, ...data]);
    lines.splice(1, 0, sizes.map((n) => '-'.repeat(n)).join(' '));
    for (const line of lines) log.info(line);
  } else if (format === 'freeze') {
    for (const r of rows) {
      const line = `${r.dist.metadata.name}==${r.dist.metadata.version.toString()}`;
      log.info(verbose ? `${line} (${dirnameOf(r.dist.distInfoPath)})` : line);
    }
  } else {
    const data = rows.map((r) => {
      const info: Record<string, string> = { name: r.dist.metadata.name, version: r.dist.metadata.version.toString() };
      const editable = editableAt.get(r.dist.name);
      if (editable) info['editable_project_location'] = editable;
      if (verbose) {
        info['location'] = dirnameOf(r.dist.distInfoPath);
        info['installer'] = r.dist.installer ?? '';
      }
      if (outdated) {
        info['latest_version'] = r.latest ?? '';
        info['latest_filetype'] = 'wheel';
      }
      return info;
    });
    log.info(pyJsonDumps(data));
  }
  return ExitStatus.Success;
}
