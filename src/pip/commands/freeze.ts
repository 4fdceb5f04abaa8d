/**
 * `pip freeze` (pip `commands/freeze.py`, `operations/freeze.py`): installed distributions as
 * requirements, `name==version` or `name @ url#sha256=...` for URL installs (PEP 610
 * direct_url.json). With `-r FILE`, the file's lines come first in its order, comments and
 * options kept, then `## The following requirements were added by pip freeze:` and the rest.
 */
import type { InstalledDist } from '../../install';
import { normalizeName, parseWheelFilename, Requirement, type NormalizedName } from '../../pep';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { pyRepr, resolvePath } from '../format';
import { environmentDists, pathOption } from '../installed-env';
import { PipError, PipErrorCode } from '../pip-error';

/** pip freeze leaves these out unless `--all` (only pip itself from Python 3.12 on). */
const DEV_PKGS = ['pip'];

export const freezeCommand: PipCommand = {
  name: 'freeze',
  summary: 'Output installed packages in requirements format.',
  usage: '%prog [options]',
  description: 'Output installed packages in requirements format.\n\npackages are listed in a case-insensitive sorted order.',
  groups: [
    {
      title: 'Freeze Options',
      options: [
        {
          flags: ['-r', '--requirement'],
          dest: 'requirements',
          action: 'append',
          metavar: 'file',
          help: 'Use the order in the given requirements file and its comments when generating output. This option can be used multiple times.',
        },
        { flags: ['-l', '--local'], dest: 'local', action: 'store_true', help: 'If in a virtualenv that has global access, do not output globally-installed packages.' },
        { flags: ['--user'], dest: 'user', action: 'store_true', help: 'Only output packages installed in user-site.' },
        pathOption,
        { flags: ['--all'], dest: 'all', action: 'store_true', help: `Do not skip these packages in the output: ${DEV_PKGS.join(', ')}` },
        { flags: ['--exclude-editable'], dest: 'excludeEditable', action: 'store_true', help: 'Exclude editable package from output.' },
        { flags: ['--exclude'], dest: 'excludes', action: 'append', metavar: 'package', help: 'Exclude specified package from the output' },
      ],
    },
  ],
  run: runFreeze,
};

const COMMENT = /(^|\s+)#.*$/;
const OPTION_PREFIXES = ['-r', '--requirement', '-f', '--find-links', '-i', '--index-url', '--pre', '--trusted-host', '--process-dependency-links', '--extra-index-url', '--use-feature'];

/** One installed distribution as freeze prints it (pip's FrozenRequirement). */
export function frozenRequirement(run: Pick<CommandRun, 'ctx'>, dist: InstalledDist): string {
  const direct = readDirectUrl(run, dist);
  if (direct) {
    // pip's `direct_url_as_pep440_direct_reference`, and for an editable folder without
    // version control the comment and `-e PATH` line of `FrozenRequirement._from_dist`.
    const fragments: string[] = [];
    let requirement: string;
    if (direct.dir_info?.editable === true && /^file:/i.test(direct.url)) {
      const path = decodeURIComponent(new URL(direct.url).pathname);
      return `# Editable install with no version control (${dist.metadata.name}==${dist.metadata.version.toString()})\n-e ${path}`;
    }
    if (direct.vcs_info && typeof direct.vcs_info.vcs === 'string' && typeof direct.vcs_info.commit_id === 'string') {
      requirement = `${dist.metadata.name} @ ${direct.vcs_info.vcs}+${direct.url}@${direct.vcs_info.commit_id}`;
    } else if (direct.archive_info) {
      const info = direct.archive_info;
      requirement = `${dist.metadata.name} @ ${direct.url}`;
      const hash = info.hash ?? (info.hashes?.['sha256'] ? `sha256=${info.hashes['sha256']}` : null);
      if (hash) fragments.push(hash);
    } else {
      requirement = `${dist.metadata.name} @ ${direct.url}`;
    }
    if (typeof direct.subdirectory === 'string' && direct.subdirectory !== '') fragments.push(`subdirectory=${direct.subdirectory}`);
    return fragments.length > 0 ? `${requirement}#${fragments.join('&')}` : requirement;
  }
  return `${dist.metadata.name}==${dist.metadata.version.toString()}`;
}

/** PEP 610 `direct_url.json`, as far as freeze needs it. */
interface DirectUrl {
  readonly url: string;
  readonly archive_info?: { readonly hash?: string; readonly hashes?: Readonly<Record<string, string>> };
  readonly dir_info?: { readonly editable?: boolean };
  readonly vcs_info?: { readonly vcs?: unknown; readonly commit_id?: unknown };
  readonly subdirectory?: unknown;
}

/** The distribution's direct_url.json, or null (absent or unreadable: pip falls back to name==version). */
export function readDirectUrl(run: Pick<CommandRun, 'ctx'>, dist: InstalledDist): DirectUrl | null {
  const text = run.ctx.fs.readFile(`${dist.distInfoPath}/direct_url.json`);
  if (!text) return null;
  try {
    const direct = JSON.parse(new TextDecoder().decode(text)) as DirectUrl;
    return typeof direct.url === 'string' ? direct : null;
  } catch {
    return null;
  }
}

/** Installed in editable mode (PEP 660 / PEP 610 `dir_info.editable`). */
export function isEditable(run: Pick<CommandRun, 'ctx'>, dist: InstalledDist): boolean {
  return readDirectUrl(run, dist)?.dir_info?.editable === true;
}

async function runFreeze(run: CommandRun): Promise<number> {
  const { ctx, options: o, log } = run;
  const out = (line: string): void => log.raw(`${line}\n`);
  if (o.flag('user')) return ExitStatus.Success; // no user site-packages here
  const skip = new Set<NormalizedName>(o.list('excludes').map(normalizeName));
  if (!o.flag('all')) for (const p of DEV_PKGS) skip.add(normalizeName(p));

  const installations = new Map<NormalizedName, { name: string; line: string }>();
  for (const dist of environmentDists(run)) {
    if (o.flag('excludeEditable') && isEditable(run, dist)) continue;
    installations.set(dist.name, { name: dist.metadata.name, line: frozenRequirement(run, dist) });
  }

  const files = o.list('requirements');
  if (files.length > 0) {
    const emitted = new Set<string>();
    const reqFiles = new Map<string, string[]>();
    for (const path of files) {
      const data = ctx.fs.readFile(resolvePath(ctx.cwd, path));
      if (data === null) throw new PipError(PipErrorCode.File, `Could not open requirements file: [Errno 2] No such file or directory: ${pyRepr(path)}`);
      const lines = new TextDecoder().decode(data).split(/(?<=\n)/);
      for (const line of lines) {
        const stripped = line.trim();
        if (!stripped || stripped.startsWith('#') || OPTION_PREFIXES.some((p) => line.startsWith(p)) || /^-(c|-constraint)\b/.test(line)) {
          const kept = line.trimEnd();
          if (!emitted.has(kept)) {
            emitted.add(kept);
            out(kept);
          }
          continue;
        }
        const text = line.replace(/\r?\n$/, '').replace(COMMENT, '').trim();
        const name = requirementName(text.replace(/^(-e|--editable)[\s=]*/, ''));
        if (name === null) {
          log.info(`Skipping line in requirement file [${path}] because it's not clear what it would install: ${stripped}`);
          log.info('  (add #egg=PackageName to the URL to avoid this warning)');
          continue;
        }
        const key = normalizeName(name);
        const seenIn = reqFiles.get(name) ?? [];
        const frozen = installations.get(key);
        if (!frozen) {
          if (seenIn.length === 0) log.warning(`Requirement file [${path}] contains ${text}, but package ${pyRepr(name)} is not installed`);
          else seenIn.push(path);
        } else {
          out(frozen.line);
          installations.delete(key);
          seenIn.push(path);
        }
        reqFiles.set(name, seenIn);
      }
    }
    for (const [name, where] of reqFiles) {
      if (where.length > 1) log.warning(`Requirement ${name} included multiple times [${[...new Set(where)].sort().join(', ')}]`);
    }
    out('## The following requirements were added by pip freeze:');
  }
  const rest = [...installations.entries()]
    .filter(([key]) => !skip.has(key))
    .map(([, v]) => v)
    .sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : a.name.toLowerCase() > b.name.toLowerCase() ? 1 : 0));
  for (const r of rest) out(r.line);
  return ExitStatus.Success;
}

/** The project a requirements line names: PEP 508, a wheel file name, or `#egg=`. */
function requirementName(text: string): string | null {
  try {
    return Requirement.parse(text).name;
  } catch {
    // not PEP 508: a path or URL
  }
  const file = decodeURIComponent((text.split(/[?#]/, 1)[0] ?? '').split('/').at(-1) ?? '');
  if (file.endsWith('.whl')) {
    try {
      return parseWheelFilename(file.replace(/\[[^\]]*\]$/, '')).name;
    } catch {
      return null;
    }
  }
  return /[#&]egg=([^&\s]+)/.exec(text)?.[1] ?? null;
}
