/**
 * `runPip(argv, ctx)`: pip's command line (pip `cli/main.py`, `cli/main_parser.py`,
 * `cli/base_command.py`): general options, the command name (with pip's "maybe you meant"),
 * the command's own options, pip's logging and exit statuses:
 * 0 success, 1 error, 2 usage error or unexpected exception, 3 no virtualenv with
 * `--require-virtualenv`.
 */
import { isAbortError } from '../index';
import { PipetteError } from '../pep';
import { generalOptions } from './cmdoptions';
import type { CommandRun, PipCommand } from './command';
import { ExitStatus } from './command';
import { auditCommand } from './commands/audit';
import { cacheCommand } from './commands/cache';
import { checkCommand } from './commands/check';
import { compileCommand } from './commands/compile';
import { configCommand } from './commands/config';
import { downloadCommand } from './commands/download';
import { freezeCommand } from './commands/freeze';
import { hashCommand } from './commands/hash';
import { indexCommand } from './commands/index-versions';
import { inspectCommand } from './commands/inspect';
import { installCommand } from './commands/install';
import { listCommand } from './commands/list';
import { showCommand } from './commands/show';
import { syncCommand } from './commands/sync';
import { treeCommand } from './commands/tree';
import { uninstallCommand } from './commands/uninstall';
import { wheelCommand } from './commands/wheel';
import { whyCommand } from './commands/why';
import { ConfigurationError, loadConfiguration, type ConfigHost, type Configuration } from './configuration';
import type { PipContext } from './context';
import { PipLogger } from './logger';
import { terminalOutput } from './output';
import { ConfigValueError, formatOptionGroups, formatUsage, parseCommandLine, UsageError, type OptionValues } from './options';
import { DiagnosticPipError, PipError, PipErrorCode } from './pip-error';
import { describeOsError, resolvePath } from './format';
import { getCloseMatches } from './similar';
import { versionLine } from './version';

const helpCommand: PipCommand = {
  name: 'help',
  summary: 'Show help for commands.',
  usage: '%prog <command>',
  description: 'Show help for commands',
  groups: [],
  async run(run) {
    const name = run.args[0];
    if (name === undefined) {
      run.ctx.out.stdout(`${mainHelp()}\n`);
      return ExitStatus.Success;
    }
    const command = COMMANDS.get(name);
    if (!command) throw unknownCommand(name);
    run.ctx.out.stdout(`${commandHelp(command)}\n`);
    return ExitStatus.Success;
  },
};

/** pip's commands in pip's order; those Pipette cannot run say why. */
const ALL_COMMANDS: readonly (PipCommand | { readonly name: string; readonly summary: string; readonly unsupported: string })[] = [
  installCommand,
  { name: 'lock', summary: 'Generate a lock file.', unsupported: 'pip lock is not available in Pipette yet; share the environment instead, or write it down with pip freeze.' },
  downloadCommand,
  uninstallCommand,
  freezeCommand,
  inspectCommand,
  listCommand,
  showCommand,
  checkCommand,
  configCommand,
  {
    name: 'search',
    summary: 'Search PyPI for packages.',
    unsupported: "PyPI no longer supports 'pip search' (or XML-RPC search). Please use https://pypi.org/search (via a browser) instead. See https://warehouse.pypa.io/api-reference/xml-rpc.html#deprecated-methods for more information.",
  },
  cacheCommand,
  indexCommand,
  wheelCommand,
  hashCommand,
  { name: 'completion', summary: 'A helper command used for command completion.', unsupported: 'pip completion is for shells on your own computer; this terminal completes commands itself.' },
  { name: 'debug', summary: 'Show information useful for debugging.', unsupported: 'pip debug is not available in Pipette; pip --version and pip list -v show what runs here.' },
  helpCommand,
];

/** Pipette's additions, listed apart in `pip help`: what people reach for pipdeptree, pip-audit and pip-tools for. */
const PIPETTE_COMMANDS: readonly PipCommand[] = [treeCommand, whyCommand, auditCommand, compileCommand, syncCommand];

const COMMANDS = new Map<string, PipCommand>([...ALL_COMMANDS, ...PIPETTE_COMMANDS].filter((c): c is PipCommand => 'run' in c).map((c) => [c.name, c]));

function mainHelp(): string {
  const line = (c: { name: string; summary: string }): string => `  ${c.name.padEnd(27)} ${c.summary}`;
  return `${formatUsage('pip', '%prog <command> [options]')}\nCommands:\n${ALL_COMMANDS.map(line).join('\n')}\n\nPipette Commands:\n${PIPETTE_COMMANDS.map(line).join('\n')}\n${formatOptionGroups([generalOptions])}`;
}

function commandHelp(command: PipCommand): string {
  const description = command.description
    .split('\n')
    .map((l) => (l ? `  ${l}` : ''))
    .join('\n');
  return `${formatUsage(`pip ${command.name}`, command.usage)}\nDescription:\n${description}\n${formatOptionGroups([...command.groups, generalOptions])}`;
}

/** pip's `unknown command "frob" - maybe you meant "freeze"` (difflib's closest command). */
function unknownCommand(name: string): PipError {
  const guess = getCloseMatches(name.toLowerCase(), [...ALL_COMMANDS, ...PIPETTE_COMMANDS].map((c) => c.name))[0];
  const parts = [`unknown command "${name}"`];
  if (guess) parts.push(`maybe you meant "${guess}"`);
  return new PipError(PipErrorCode.Command, parts.join(' - '), name);
}

/**
 * Runs `pip <argv...>` against `ctx` and resolves to pip's exit status. Never throws: every
 * failure is printed the way pip prints it.
 */
export async function runPip(argv: readonly string[], givenCtx: PipContext): Promise<number> {
  const ctx = withTerminalOutput(withNormalizedScheme(givenCtx));
  const isolated = argv.includes('--isolated');
  const env = isolated ? null : ctx.env;

  // pip.conf files and PIP_* variables, read before any option (pip's ConfigOptionParser
  // loads them in get_default_values): a file pip cannot read stops every command, `pip
  // config` included, with optparse's exit (the message alone, status 2).
  let configuration: Configuration;
  try {
    configuration = loadConfiguration({ fs: ctx.fs, env: ctx.env, prefix: ctx.environment.prefix, cwd: ctx.cwd }, isolated);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      ctx.out.stderr(error.message.endsWith('\n') ? error.message : `${error.message}\n`);
      return ExitStatus.UnknownError;
    }
    throw error;
  }

  // The main parser: general options up to the command name.
  let general: { options: OptionValues; args: string[] };
  try {
    general = parseCommandLine(argv, [generalOptions], env, { interspersed: false, config: configuration.optionItems('global') });
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.out.stderr(`${formatUsage('pip', '%prog <command> [options]')}\n${error.message}\n`);
      return ExitStatus.UnknownError;
    }
    if (error instanceof ConfigValueError) return configValueError(ctx, error);
    throw error;
  }
  if (general.options.flag('version')) {
    ctx.out.stdout(`${versionLine(ctx.environment.scheme.purelib, pythonVersion(ctx))}\n`);
    return ExitStatus.Success;
  }
  const name = general.args[0];
  const earlyLog = new PipLogger(ctx.out, general.options.count('verbose') - general.options.count('quiet'));
  if (name === undefined || (name === 'help' && general.args.length === 1)) {
    ctx.out.stdout(`${mainHelp()}\n`);
    return ExitStatus.Success;
  }
  const entry = [...ALL_COMMANDS, ...PIPETTE_COMMANDS].find((c) => c.name === name);
  if (!entry) {
    earlyLog.error(unknownCommand(name).message);
    return ExitStatus.Error;
  }
  if (!('run' in entry)) {
    earlyLog.error(entry.unsupported);
    return ExitStatus.Error;
  }
  const command = entry;

  // The command's parser sees everything but the command name (pip: `cmd_args.remove(cmd_name)`).
  const cmdArgs = [...argv];
  cmdArgs.splice(cmdArgs.indexOf(name), 1);
  let parsed: { options: OptionValues; args: string[] };
  try {
    parsed = parseCommandLine(cmdArgs, [...command.groups, generalOptions], env, { config: configuration.optionItems(command.name) });
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.out.stderr(`${formatUsage(`pip ${command.name}`, command.usage)}\n${error.message}\n`);
      return ExitStatus.UnknownError;
    }
    if (error instanceof ConfigValueError) return configValueError(ctx, error);
    throw error;
  }
  if (parsed.options.flag('help')) {
    ctx.out.stdout(`${commandHelp(command)}\n`);
    return ExitStatus.Success;
  }
  const log = new PipLogger(ctx.out, parsed.options.count('verbose') - parsed.options.count('quiet'));
  const run: CommandRun = { ctx, options: parsed.options, args: parsed.args, log, name: command.name };

  const changesEnvironment = ['install', 'uninstall', 'sync'].includes(command.name) || (command.name === 'audit' && parsed.options.flag('fix'));
  if (parsed.options.flag('requireVenv') && ctx.environment.name === 'base' && changesEnvironment) {
    log.critical('Could not find an activated virtualenv (required).');
    return ExitStatus.VirtualenvNotFound;
  }
  for (const [dest, flag] of [
    ['proxy', '--proxy'],
    ['cert', '--cert'],
    ['clientCert', '--client-cert'],
    ['cacheDir', '--cache-dir'],
  ] as const) {
    if (parsed.options.string(dest) !== null) log.warning(`${flag} is ignored here: the browser's own network settings and Pipette's cache apply.`);
  }

  // pip install -v: `Using pip 25.3 from ... (python 3.14)`.
  if (command.name === 'install') log.verbose(`Using ${versionLine(ctx.environment.scheme.purelib, pythonVersion(ctx))}`);
  try {
    return await command.run(run);
  } catch (error) {
    return reportError(run, error);
  }
}

/** The indexes a command reads (configuredIndexes). */
export interface ConfiguredIndexes {
  readonly indexUrl: string | null;
  readonly extraIndexUrls: readonly string[];
  readonly noIndex: boolean;
}

/**
 * The indexes `pip <command>` would read when given no option of its own: pip.conf and the
 * `PIP_*` variables applied as runPip applies them (a `[command]` section over `[global]`, a
 * variable over a file). For opening connections before the command runs (the session's
 * `typing`). Null for a command that is not pip's, or when a file pip would reject or a value
 * it cannot parse is in the way: the command itself will say so when it runs.
 */
export function configuredIndexes(commandName: string, host: ConfigHost): ConfiguredIndexes | null {
  const command = COMMANDS.get(commandName);
  if (!command) return null;
  try {
    const configuration = loadConfiguration(host, false);
    const { options } = parseCommandLine([], [...command.groups, generalOptions], host.env, { config: configuration.optionItems(command.name) });
    return { indexUrl: options.string('indexUrl'), extraIndexUrls: options.list('extraIndexUrls'), noIndex: options.flag('noIndex') };
  } catch (error) {
    if (error instanceof ConfigurationError || error instanceof ConfigValueError || error instanceof UsageError) return null;
    throw error;
  }
}

/** pip's `check_default`: `print(f"An error occurred during configuration: {exc}")`, exit status 3. */
function configValueError(ctx: PipContext, error: ConfigValueError): number {
  ctx.out.stdout(`An error occurred during configuration: ${error.message}\n`);
  return 3;
}

function reportError(run: CommandRun, error: unknown): number {
  const { log, ctx } = run;
  if (isAbortError(error) || ctx.signal?.aborted) {
    log.critical('Operation cancelled by user');
    return ExitStatus.Error;
  }
  if (error instanceof DiagnosticPipError) {
    ctx.out.stderr(error.render());
    return ExitStatus.Error;
  }
  if (error instanceof PipetteError) {
    log.error(error.message);
    return ExitStatus.Error;
  }
  // pip: `logger.critical("Exception:", exc_info=True)` and status 2.
  const trace = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : describeOsError(error);
  log.critical(`Exception:\n${trace}`);
  return ExitStatus.UnknownError;
}

function pythonVersion(ctx: PipContext): string {
  const m = ctx.environment.markerEnvironment;
  return m['python_full_version'] ?? m['python_version'] ?? ctx.environment.lockInfo.python;
}

/** Everything the command prints goes through output.ts's choke point (escaping, redaction). */
function withTerminalOutput(ctx: PipContext): PipContext {
  const out = terminalOutput(ctx.out);
  if (out === ctx.out) return ctx;
  return Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as PipContext, ctx, { out });
}

/** Scheme paths with `//` or `.` segments (`schemeForPrefix('/')`) compared and printed as pip would: normalized. */
function withNormalizedScheme(ctx: PipContext): PipContext {
  const s = ctx.environment.scheme;
  const scheme = {
    ...s,
    purelib: resolvePath('/', s.purelib),
    platlib: resolvePath('/', s.platlib),
    scripts: resolvePath('/', s.scripts),
    data: resolvePath('/', s.data),
    headers: resolvePath('/', s.headers),
    pythonExecutable: resolvePath('/', s.pythonExecutable),
  };
  if (Object.entries(scheme).every(([k, v]) => s[k as keyof typeof s] === v)) return ctx;
  return Object.assign(Object.create(Object.getPrototypeOf(ctx) as object) as PipContext, ctx, { environment: { ...ctx.environment, scheme } });
}
