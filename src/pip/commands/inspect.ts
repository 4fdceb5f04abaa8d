/**
 * `pip inspect` (pip `commands/inspect.py`): the environment as pip's JSON inspection report,
 * format version 1 — each installed distribution's core metadata as JSON (`metadata/_json.py`),
 * where its `.dist-info` is, PEP 610 `direct_url` for URL installs, `installer` and `requested`,
 * and the PEP 508 marker environment of the running Pyodide.
 */
import { terminalSafeJson } from '../../pep';
import type { InstalledDist } from '../../install';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { environmentDists, pathOption } from '../installed-env';
import { PipError, PipErrorCode } from '../pip-error';
import { metadataToJson } from '../report';
import { PIP_VERSION } from '../version';

/** pip's `stdlib_pkgs`: never reported. */
const STDLIB_PKGS = new Set(['python', 'wsgiref', 'argparse']);

export const inspectCommand: PipCommand = {
  name: 'inspect',
  summary: 'Inspect the python environment.',
  usage: '%prog [options]',
  description: 'Inspect the content of a Python environment and produce a report in JSON format.',
  groups: [
    {
      title: 'Inspect Options',
      options: [
        { flags: ['--local'], dest: 'local', action: 'store_true', help: 'If in a virtualenv that has global access, do not list globally-installed packages.' },
        { flags: ['--user'], dest: 'user', action: 'store_true', help: 'Only output packages installed in user-site.' },
        pathOption,
      ],
    },
  ],
  run: runInspect,
};

async function runInspect(run: CommandRun): Promise<number> {
  const o = run.options;
  // pip's check_list_path_option.
  if (o.list('paths').length > 0 && (o.flag('user') || o.flag('local'))) {
    throw new PipError(PipErrorCode.Command, "Cannot combine '--path' with '--user' or '--local'");
  }
  // No user site-packages exist here (site.ENABLE_USER_SITE is false in Pyodide).
  const dists = o.flag('user') ? [] : environmentDists(run).filter((d) => !STDLIB_PKGS.has(d.name));
  const output = {
    version: '1',
    pip_version: PIP_VERSION,
    installed: dists.map((d) => distToDict(run, d)),
    environment: run.ctx.environment.markerEnvironment,
  };
  // rich's print_json: json.dumps(indent=2, ensure_ascii=False); control characters from
  // metadata as JSON escapes, so the output stays JSON behind the terminal's escaping.
  run.log.raw(`${terminalSafeJson(output, 2)}\n`);
  return ExitStatus.Success;
}

function distToDict(run: CommandRun, dist: InstalledDist): Record<string, unknown> {
  const fs = run.ctx.fs;
  const text = (name: string): string | null => {
    const bytes = fs.readFile(`${dist.distInfoPath}/${name}`);
    return bytes === null ? null : new TextDecoder().decode(bytes);
  };
  const res: Record<string, unknown> = {
    metadata: metadataToJson(text('METADATA') ?? ''),
    metadata_location: dist.distInfoPath,
  };
  const direct = text('direct_url.json');
  if (direct !== null) {
    try {
      res['direct_url'] = JSON.parse(direct) as unknown;
    } catch {
      // pip ignores a direct_url.json it cannot read (with a warning in its log).
    }
  }
  if (dist.installer) res['installer'] = dist.installer;
  res['requested'] = dist.requested;
  return res;
}
