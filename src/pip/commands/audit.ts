/**
 * `pip audit` (Pipette's, after pip-audit): the known vulnerabilities of the installed
 * distributions, from the `vulnerabilities` of PyPI's JSON API for each installed version
 * (`/pypi/<name>/<version>/json`, OSV data; withdrawn advisories are left out).
 *
 * Output as pip-audit's columns format: `Found 2 known vulnerabilities in 1 package` on stderr,
 * then `Name Version ID Fix Versions` on stdout, exit status 1; else `No known vulnerabilities
 * found`. Projects the JSON API does not know are listed as skipped.
 *
 * `--fix` finds, for each vulnerable distribution, pip-audit's fix version (the lowest version
 * above the installed one that every advisory lists as fixed, checked again in case it has
 * advisories of its own) and installs all of them in one `pip install` run, so either every
 * upgrade happens or none does.
 *
 * `-r FILE` (pip-audit's) audits what a requirements file resolves to, dependencies included,
 * without installing anything. When the vulnerability service cannot be reached, the audit says
 * so and fails: nothing checked is never reported as nothing found.
 */
import { Version, type NormalizedName } from '../../pep';
import { IndexError, isAbortError, jsonApiRootFor, type Vulnerability } from '../../index';
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus, sourceOptionsFrom } from '../command';
import { indexGroup } from '../cmdoptions';
import { tabulate } from '../format';
import { environmentDists, pathOption } from '../installed-env';
import { prepareSource, resolveStep } from '../install-steps';
import { PipError, PipErrorCode } from '../pip-error';
import { collectRequirements } from '../requirements';
import { installCommand } from './install';
import { installFlags, runCommandWith } from './sync';

/** How many rounds of "the fix version has advisories too" before giving up. */
const MAX_FIX_ROUNDS = 20;

export const auditCommand: PipCommand = {
  name: 'audit',
  summary: 'Find known vulnerabilities in installed packages.',
  usage: '%prog [options]',
  description:
    'Look up every installed distribution in the index\'s vulnerability data\n' +
    '(PyPI\'s JSON API) and list the known vulnerabilities with the versions that\n' +
    'fix them, like pip-audit. With --fix, upgrade each vulnerable distribution to\n' +
    'its first fixed version (all of them, or none).',
  groups: [
    {
      title: 'Audit Options',
      options: [
        { flags: ['--fix'], dest: 'fix', action: 'store_true', help: 'Upgrade each vulnerable package to the first version that fixes its vulnerabilities (all or nothing).' },
        { flags: ['--dry-run'], dest: 'dryRun', action: 'store_true', help: 'With --fix, say what would be upgraded without changing anything.' },
        { flags: ['--desc'], dest: 'desc', action: 'store_true', help: 'Include a description for each vulnerability.' },
        { flags: ['--aliases'], dest: 'aliases', action: 'store_true', help: 'Include alias IDs (CVE, GHSA, ...) for each vulnerability.' },
        {
          flags: ['-r', '--requirement'],
          dest: 'requirements',
          action: 'append',
          metavar: 'file',
          help: 'Audit what the given requirements file resolves to (dependencies included) instead of the environment; nothing is installed. This option can be used multiple times.',
        },
        { flags: ['--no-deps'], dest: 'noDeps', action: 'store_true', help: "With -r, audit the file's requirements only, not their dependencies." },
        { flags: ['--ignore-vuln'], dest: 'ignoreVulns', action: 'append', metavar: 'id', help: 'Ignore the vulnerability with this ID (or alias); may be used more than once.' },
        { flags: ['--strict'], dest: 'strict', action: 'store_true', help: 'Fail the whole audit if any package could not be audited.' },
        pathOption,
      ],
    },
    indexGroup,
  ],
  run: runAudit,
};

/** What is audited: an installed distribution, or a pin of what a requirements file resolves to. */
interface Target {
  readonly name: NormalizedName;
  readonly version: Version;
}

interface Audited {
  readonly target: Target;
  /** Null when the vulnerability service does not know the project (pip-audit skips it). */
  readonly vulns: readonly Vulnerability[] | null;
  /** Why it could not be audited: the service could not be reached (not the same as not knowing it). */
  readonly failure?: string;
}

type Fix = { readonly kind: 'upgrade'; readonly version: string } | { readonly kind: 'skipped'; readonly reason: string };

async function runAudit(run: CommandRun): Promise<number> {
  const { ctx, log, options: o } = run;
  const fromFiles = o.list('requirements').length > 0;
  if (fromFiles && o.flag('fix')) {
    throw new PipError(PipErrorCode.Command, '--fix upgrades what is installed; with -r, fix the requirements file instead (pip compile --upgrade-package NAME), then audit it again.');
  }
  const targets = fromFiles ? await resolvedTargets(run) : environmentDists(run).map((d) => ({ name: d.name, version: d.metadata.version }));
  if (targets === null) return ExitStatus.Error;
  if (o.flag('dryRun') && !o.flag('fix')) {
    log.info(`Dry run: would have audited ${targets.length} packages`);
    return ExitStatus.Success;
  }
  const source = ctx.source(sourceOptionsFrom(run));
  const service = source.indexes.map(jsonApiRootFor).find((root) => root !== null) ?? null;
  if (service === null && targets.length > 0) {
    log.error(
      `Could not audit: no vulnerability service is configured. The index${source.indexes.length === 1 ? '' : 'es'} in use (${source.indexes.join(', ')}) ` +
        "offer no PyPI JSON API, where the vulnerability data comes from. Nothing was checked; audit with PyPI as the index (--index-url https://pypi.org/simple/).",
    );
    return ExitStatus.Error;
  }
  const ignored = new Set(o.list('ignoreVulns'));
  const query = async (name: NormalizedName, version: string): Promise<readonly Vulnerability[] | null> => {
    const info = await source.projectInfo(name, { version, ...(ctx.signal ? { signal: ctx.signal } : {}) });
    return info === null ? null : info.vulnerabilities.filter((v) => v.withdrawn === null && !ignored.has(v.id) && !v.aliases.some((a) => ignored.has(a)));
  };
  const audited: Audited[] = await Promise.all(
    targets.map(async (target): Promise<Audited> => {
      try {
        return { target, vulns: await query(target.name, target.version.toString()) };
      } catch (error) {
        if (isAbortError(error) || !(error instanceof IndexError)) throw error;
        return { target, vulns: null, failure: error.message };
      }
    }),
  );
  const vulnerable = audited.filter((a) => (a.vulns?.length ?? 0) > 0);
  const vulnCount = vulnerable.reduce((n, a) => n + a.vulns!.length, 0);
  const unreachable = audited.filter((a) => a.failure !== undefined);

  const fixes = new Map<NormalizedName, Fix>();
  if (o.flag('fix') && vulnerable.length > 0) {
    for (const a of vulnerable) fixes.set(a.target.name, await fixVersion(a, query));
    const upgrades = [...fixes].filter((e): e is [NormalizedName, Extract<Fix, { kind: 'upgrade' }>] => e[1].kind === 'upgrade');
    if (o.flag('dryRun')) {
      for (const [name, fix] of fixes) {
        log.info(fix.kind === 'upgrade' ? `Dry run: would have upgraded ${name} to ${fix.version}` : `Dry run: would have skipped ${name} upgrade because ${fix.reason}`);
      }
      fixes.clear();
    } else if (upgrades.length > 0) {
      let code: number;
      try {
        code = await runCommandWith(run, installCommand, [...upgrades.map(([name, fix]) => `${name}==${fix.version}`), ...installFlags(run, null)]);
      } catch (error) {
        // A wheel that fails to install: install has put everything back; report it and go on to the table.
        if (isAbortError(error) || ctx.signal?.aborted) throw error;
        log.error(error instanceof Error ? error.message : String(error));
        code = ExitStatus.Error;
      }
      if (code !== ExitStatus.Success) {
        for (const [name] of upgrades) fixes.set(name, { kind: 'skipped', reason: 'pip install failed (see above); nothing was upgraded' });
      }
    }
  }
  const fixedPackages = [...fixes.values()].filter((f) => f.kind === 'upgrade').length;
  const fixedVulns = vulnerable.filter((a) => fixes.get(a.target.name)?.kind === 'upgrade').reduce((n, a) => n + a.vulns!.length, 0);

  const table = formatTables(run, audited, fixes);
  let status: number = ExitStatus.Success;
  if (vulnCount > 0) {
    let summary = `Found ${vulnCount} known ${plural(vulnCount, 'vulnerability', 'vulnerabilities')} in ${vulnerable.length} ${plural(vulnerable.length, 'package', 'packages')}`;
    if (o.flag('fix') && !o.flag('dryRun')) {
      summary += ` and fixed ${fixedVulns} ${plural(fixedVulns, 'vulnerability', 'vulnerabilities')} in ${fixedPackages} ${plural(fixedPackages, 'package', 'packages')}`;
    }
    ctx.out.stderr(`${summary}\n`);
    ctx.out.stdout(`${table}\n`);
    if (vulnerable.length !== fixedPackages) status = ExitStatus.Error;
  } else if (unreachable.length === 0) {
    ctx.out.stderr('No known vulnerabilities found\n');
    if (audited.some((a) => a.vulns === null)) ctx.out.stdout(`${table}\n`);
  } else if (audited.some((a) => a.vulns === null)) {
    ctx.out.stdout(`${table}\n`);
  }
  if (unreachable.length > 0) {
    // pip-audit stops on a connection error; what it could not ask about is not known to be safe.
    log.error(
      `Could not reach the vulnerability service (${service}) for ${unreachable.length} of ${audited.length} ${plural(audited.length, 'package', 'packages')} ` +
        `(${unreachable[0]!.failure}). ${vulnCount > 0 ? 'The others are listed above; these' : 'These'} were not checked: run pip audit again when the network is back.`,
    );
    return ExitStatus.Error;
  }
  if (o.flag('strict') && audited.some((a) => a.vulns === null)) {
    log.error('--strict: some packages could not be audited (listed above as skipped).');
    return ExitStatus.Error;
  }
  return status;
}

/** pip-audit -r: the pins a resolution of the files gives (what `pip install -r` would install into an empty environment). */
async function resolvedTargets(run: CommandRun): Promise<Target[] | null> {
  const { ctx, options: o } = run;
  const collected = await collectRequirements(
    { args: [], requirementFiles: o.list('requirements'), constraintFiles: [], editables: [] },
    { fs: ctx.fs, cwd: ctx.cwd, env: ctx.env, markerEnvironment: ctx.environment.markerEnvironment },
  );
  for (const w of collected.warnings) run.log.warning(w);
  if (collected.requirements.length === 0) return [];
  const rs = prepareSource(run, collected, new Map());
  const result = await resolveStep(run, rs, collected, { preferences: [], upgrade: false, upgradePackages: [], noDeps: o.flag('noDeps'), pre: collected.pre });
  if (result.kind === 'no-solution') return null;
  return result.distributions.map((pin) => ({ name: pin.name, version: pin.version }));
}

/**
 * pip-audit's `_resolve_fix_version`: the highest of each advisory's earliest fixed version
 * above the current one, then the same again for that version's own advisories, until none.
 */
async function fixVersion(a: Audited, query: (name: NormalizedName, version: string) => Promise<readonly Vulnerability[] | null>): Promise<Fix> {
  let current = a.target.version;
  let vulns = a.vulns ?? [];
  for (let round = 0; round < MAX_FIX_ROUNDS && vulns.length > 0; round++) {
    let target: Version | null = null;
    for (const v of vulns) {
      const earliest = fixedVersions(v).find((f) => f.compare(current) > 0);
      if (!earliest) {
        return { kind: 'skipped', reason: `failed to fix dependency ${a.target.name} (${versionOf(a.target)}), unable to find fix version for vulnerability ${v.id}` };
      }
      if (target === null || earliest.compare(target) > 0) target = earliest;
    }
    current = target!;
    vulns = (await query(a.target.name, current.toString())) ?? [];
  }
  if (vulns.length > 0) return { kind: 'skipped', reason: `no version of ${a.target.name} without known vulnerabilities was found` };
  return { kind: 'upgrade', version: current.toString() };
}

/** `fixed_in`, parsed and sorted (pip-audit drops what is not a valid version). */
function fixedVersions(v: Vulnerability): Version[] {
  const out: Version[] = [];
  for (const text of v.fixedIn) {
    try {
      out.push(Version.parse(text));
    } catch {
      // not a PEP 440 version: pip-audit cannot compare it either
    }
  }
  return out.sort((x, y) => x.compare(y));
}

/** pip-audit's ColumnsFormat: the vulnerability table, then the skipped dependencies. */
function formatTables(run: CommandRun, audited: readonly Audited[], fixes: ReadonlyMap<NormalizedName, Fix>): string {
  const o = run.options;
  const header = ['Name', 'Version', 'ID', 'Fix Versions'];
  if (fixes.size > 0) header.push('Applied Fix');
  if (o.flag('aliases')) header.push('Aliases');
  if (o.flag('desc')) header.push('Description');
  const rows: string[][] = [header];
  for (const a of audited) {
    for (const v of a.vulns ?? []) {
      const row = [a.target.name, versionOf(a.target), v.id, fixedVersions(v).map(String).join(',')];
      const fix = fixes.get(a.target.name);
      if (fixes.size > 0) {
        row.push(
          fix === undefined
            ? ''
            : fix.kind === 'upgrade'
              ? `Successfully upgraded ${a.target.name} (${versionOf(a.target)} => ${fix.version})`
              : `Failed to fix ${a.target.name} (${versionOf(a.target)}): ${fix.reason}`,
        );
      }
      if (o.flag('aliases')) row.push(v.aliases.join(', '));
      if (o.flag('desc')) row.push((v.details ?? v.summary ?? '').replace(/\s+/g, ' ').trim());
      rows.push(row);
    }
  }
  const parts: string[] = [];
  if (rows.length > 1) for (const p of withSeparator(rows)) parts.push(p);
  const skipped = audited.filter((a) => a.vulns === null);
  if (skipped.length > 0) {
    const reason = (a: Audited): string =>
      a.failure !== undefined ? `Could not reach the vulnerability service: ${a.target.name} (${versionOf(a.target)}) was not audited` : `Dependency not found on PyPI and could not be audited: ${a.target.name} (${versionOf(a.target)})`;
    const skipRows = [['Name', 'Skip Reason'], ...skipped.map((a) => [a.target.name, reason(a)])];
    for (const p of withSeparator(skipRows)) parts.push(p);
  }
  return parts.join('\n');
}

function withSeparator(rows: readonly string[][]): string[] {
  const { lines, sizes } = tabulate(rows);
  lines.splice(1, 0, sizes.map((n) => '-'.repeat(n)).join(' '));
  return lines;
}

/** The version as packaging prints it (pip-audit's `dep.version`). */
function versionOf(target: Target): string {
  return target.version.toString();
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}
