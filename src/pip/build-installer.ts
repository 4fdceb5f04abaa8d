/**
 * The build environment's requirements installed by this same pip, as pip's BuildEnvironment
 * runs a pip subprocess (pip `build_env.py`): `pip install --prefix ENV --ignore-installed
 * --only-binary :all: ...` with the run's index options, quietly (the output is shown when it
 * fails). They must be wheels here: building a build dependency from source could recurse.
 * Also pip's `-C/--config-settings` for the backends.
 */
import type { RequirementInstaller } from '../build';
import type { CommandRun } from './command';
import type { PipContext } from './context';
import { pyRepr } from './format';
import { PipError, PipErrorCode } from './pip-error';
import type { CollectedRequirements } from './requirements';

/**
 * Build requirements installed by this pip into the build environment's prefix, quietly
 * (shown when it fails), with the run's index options (pip passes its finder's options to the
 * build environment's pip subprocess).
 */
export function nestedInstaller(run: CommandRun, collected: Pick<CollectedRequirements, 'indexUrl' | 'extraIndexUrls' | 'noIndex' | 'findLinks'>): RequirementInstaller {
  const o = run.options;
  const args: string[] = [];
  const indexUrl = collected.indexUrl ?? o.string('indexUrl');
  if (indexUrl !== null) args.push('--index-url', indexUrl);
  for (const url of [...o.list('extraIndexUrls'), ...collected.extraIndexUrls]) args.push('--extra-index-url', url);
  if (o.flag('noIndex') || collected.noIndex) args.push('--no-index');
  for (const link of [...o.list('findLinks'), ...collected.findLinks]) args.push('--find-links', link);
  if (o.flag('noCacheDir')) args.push('--no-cache-dir');
  const timeout = o.number('timeout');
  if (timeout !== null) args.push('--timeout', String(timeout));
  const retries = o.number('retries');
  if (retries !== null) args.push('--retries', String(retries));
  // pip's subprocess would not see these: they are about the person's environment, not the build's.
  const env = Object.fromEntries(Object.entries(run.ctx.env).filter(([k]) => !/^PIP_(REQUIRE_VIRTUALENV|TARGET|PREFIX|USER|ROOT|EDITABLE|NO_BINARY|ONLY_BINARY|REQUIREMENT|CONSTRAINT|UPGRADE|FORCE_REINSTALL|NO_DEPS|DRY_RUN|REPORT)$/.test(k)));
  return async (prefix, requirements, options) => {
    const { runPip } = await import('./main');
    let output = '';
    const ctx: PipContext = {
      environment: run.ctx.environment,
      fs: run.ctx.fs,
      cwd: run.ctx.cwd,
      env,
      source: run.ctx.source,
      out: { stdout: (t) => (output += t), stderr: (t) => (output += t) },
      ...(run.ctx.signal ? { signal: run.ctx.signal } : {}),
      ...(run.ctx.cacheLocation ? { cacheLocation: run.ctx.cacheLocation } : {}),
    };
    const argv = ['install', '--prefix', prefix, '--ignore-installed', '--no-warn-script-location', '--disable-pip-version-check', '--only-binary', ':all:', ...args];
    // Constraints (build's --dependency-constraints-txt) apply to the build environment's requirements.
    const constraintArgs: string[] = [];
    if ((options.constraints ?? []).length > 0) {
      const path = `${prefix}.constraints.txt`;
      run.ctx.fs.writeFile(path, new TextEncoder().encode(`${options.constraints!.join('\n')}\n`));
      constraintArgs.push('--constraint', path);
    }
    const code = await runPip([...argv, ...constraintArgs, ...requirements], ctx);
    return { ok: code === 0, output };
  };
}

/** `-C key=value` (pip's `--config-settings`): repeated keys become lists. */
export function parseConfigSettings(values: readonly string[]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new PipError(PipErrorCode.Command, `Arguments to --config-settings must be of the form KEY=VAL (got ${pyRepr(item)}).`);
    const key = item.slice(0, eq);
    const value = item.slice(eq + 1);
    const existing = out[key];
    out[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

export function pythonVersion(ctx: PipContext): string {
  const m = ctx.environment.markerEnvironment;
  return m['python_full_version'] ?? m['python_version'] ?? ctx.environment.lockInfo.python;
}
