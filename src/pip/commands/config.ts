/**
 * `pip config` (pip `commands/configuration.py`): list, get, set and unset pip.conf values in
 * the virtual filesystem, and `debug` to see every file and variable that counts. `edit` says
 * plainly that there is no editor program to open here.
 *
 * The files (see configuration.ts): `--global` is `/etc/pip.conf` (after
 * `/etc/xdg/pip/pip.conf`), `--user` is `~/.config/pip/pip.conf` (after the legacy
 * `~/.pip/pip.conf`; `~` = `/home/pyodide`), `--site` is `<sys.prefix>/pip.conf` (`/pip.conf`
 * for the base interpreter, `<venv>/pip.conf` in a venv). Without one of them, changes go to
 * the site file when it exists, else to the user file, as pip does.
 */
import type { CommandRun, PipCommand } from '../command';
import { ExitStatus } from '../command';
import { ConfigKind, Configuration, configurationFiles, type ConfigKind as Kind, type FileKind } from '../configuration';
import { pyRepr } from '../format';
import { PipError, PipErrorCode } from '../pip-error';

const ACTIONS = ['debug', 'edit', 'get', 'list', 'set', 'unset'] as const;
type Action = (typeof ACTIONS)[number];

export const configCommand: PipCommand = {
  name: 'config',
  summary: 'Manage local and global configuration.',
  usage: [
    '%prog [<file-option>] list',
    '%prog [<file-option>] [--editor <editor-path>] edit',
    '%prog [<file-option>] get command.option',
    '%prog [<file-option>] set command.option value',
    '%prog [<file-option>] unset command.option',
    '%prog [<file-option>] debug',
  ].join('\n'),
  description: [
    'Manage local and global configuration.',
    '',
    'Subcommands:',
    '',
    '- list: List the active configuration (or from the file specified)',
    '- edit: Edit the configuration file in an editor (not possible here: use set and unset)',
    '- get: Get the value associated with command.option',
    '- set: Set the command.option=value',
    '- unset: Unset the value associated with command.option',
    '- debug: List the configuration files and values defined under them',
    '',
    'Configuration keys should be dot separated command and option name,',
    'with the special prefix "global" affecting any command. For example,',
    '"pip config set global.index-url https://example.org/" would configure',
    'the index url for all commands, but "pip config set download.timeout 10"',
    'would configure a 10 second timeout only for "pip download" commands.',
    '',
    'If none of --user, --global and --site are passed, a virtual',
    'environment configuration file is used if one is active and the file',
    'exists. Otherwise, all modifications happen to the user file by',
    'default.',
    '',
    'Files here: --global /etc/pip.conf, --user /home/pyodide/.config/pip/pip.conf,',
    '--site <environment prefix>/pip.conf.',
  ].join('\n'),
  groups: [
    {
      title: 'Config Options',
      options: [
        {
          flags: ['--editor'],
          dest: 'editor',
          action: 'store',
          metavar: 'editor',
          help: 'Editor to use to edit the file. Uses VISUAL or EDITOR environment variables if not provided.',
        },
        { flags: ['--global'], dest: 'globalFile', action: 'store_true', help: 'Use the system-wide configuration file only' },
        { flags: ['--user'], dest: 'userFile', action: 'store_true', help: 'Use the user configuration file only' },
        { flags: ['--site'], dest: 'siteFile', action: 'store_true', help: 'Use the current environment configuration file only' },
      ],
    },
  ],
  run: runConfig,
};

async function runConfig(run: CommandRun): Promise<number> {
  const { ctx, log, options: o } = run;
  const action = run.args[0] as Action | undefined;
  if (action === undefined || !ACTIONS.includes(action)) {
    log.error(`Need an action (${ACTIONS.join(', ')}) to perform.`);
    return ExitStatus.Error;
  }
  const host = { fs: ctx.fs, env: ctx.env, prefix: ctx.environment.prefix, cwd: ctx.cwd };
  let loadOnly: FileKind | null;
  try {
    loadOnly = determineFile(run, action === 'get' || action === 'set' || action === 'unset' || action === 'edit');
  } catch (error) {
    if (!(error instanceof PipError)) throw error;
    log.error(error.message);
    return ExitStatus.Error;
  }
  const configuration = new Configuration(host, { isolated: o.flag('isolated'), loadOnly }).load();
  const rest = run.args.slice(1);
  const say = (line: string): void => log.info(line);

  switch (action) {
    case 'list': {
      nArgs(rest, 'list', 0);
      for (const [, values] of [...configuration.items()].sort(([a], [b]) => compare(a, b))) {
        for (const [key, value] of [...values].sort(([a], [b]) => compare(a, b))) say(`${key}=${pyRepr(value)}`);
      }
      break;
    }
    case 'get': {
      const [key] = nArgs(rest, 'get [name]', 1);
      say(configuration.getValue(key!));
      break;
    }
    case 'set': {
      const [key, value] = nArgs(rest, 'set [name] [value]', 2);
      configuration.setValue(key!, value!);
      configuration.save(say);
      break;
    }
    case 'unset': {
      const [key] = nArgs(rest, 'unset [name]', 1);
      configuration.unsetValue(key!);
      configuration.save(say);
      break;
    }
    case 'debug':
      nArgs(rest, 'debug', 0);
      debug(run, configuration);
      break;
    case 'edit': {
      const file = configuration.fileToEdit();
      if (file === null) throw new PipError(PipErrorCode.Command, 'Could not determine appropriate file.');
      const editor = o.string('editor') ?? ctx.env['VISUAL'] ?? ctx.env['EDITOR'] ?? null;
      throw new PipError(
        PipErrorCode.Unsupported,
        `Cannot open an editor${editor ? ` (${editor})` : ''} here: this terminal has no editor programs to run. ` +
          `Change ${file} with "pip config${fileOption(loadOnly)} set command.option value" and "pip config${fileOption(loadOnly)} unset command.option", ` +
          `and see what it holds with "pip config${fileOption(loadOnly)} list".`,
      );
    }
  }
  return ExitStatus.Success;
}

/**
 * pip's `_determine_file`: the one file `--user`/`--global`/`--site` names; for changes without
 * one, the site file when it exists, else the user file; for reading, every file.
 */
function determineFile(run: CommandRun, needValue: boolean): FileKind | null {
  const o = run.options;
  const chosen: FileKind[] = [];
  if (o.flag('userFile')) chosen.push(ConfigKind.User);
  if (o.flag('globalFile')) chosen.push(ConfigKind.Global);
  if (o.flag('siteFile')) chosen.push(ConfigKind.Site);
  if (chosen.length === 1) return chosen[0]!;
  if (chosen.length > 1) throw new PipError(PipErrorCode.Command, 'Need exactly one file to operate upon (--user, --site, --global) to perform.');
  if (!needValue) return null;
  const files = configurationFiles({ env: run.ctx.env, prefix: run.ctx.environment.prefix });
  return files.site.some((f) => run.ctx.fs.exists(f)) ? ConfigKind.Site : ConfigKind.User;
}

/** pip's `_get_n_args`. */
function nArgs(args: readonly string[], example: string, n: number): readonly string[] {
  if (args.length !== n) {
    throw new PipError(PipErrorCode.Command, `Got unexpected number of arguments, expected ${n}. (example: "pip config ${example}")`);
  }
  return args;
}

/** pip's `list_config_values`: the variables, then every kind's files, whether each exists, and its values. */
function debug(run: CommandRun, configuration: Configuration): void {
  const { ctx, log } = run;
  log.info('env_var:');
  log.indentSync(() => {
    for (const [name, value] of [...configuration.environVars()].sort(([a], [b]) => compare(a, b))) log.info(`PIP_${name.toUpperCase()}=${pyRepr(value)}`);
  });
  const kinds = [...configuration.iterConfigFiles()].sort(([a], [b]) => compare(a, b));
  for (const [kind, files] of kinds) {
    log.info(`${kind}:`);
    for (const file of files) {
      log.indentSync(() => {
        const exists = ctx.fs.exists(file);
        log.info(`${file}, exists: ${exists ? 'True' : 'False'}`);
        if (!exists) return;
        const values = configuration.valuesIn(kind as Kind).get(file);
        log.indentSync(() => {
          for (const [name, value] of values ?? []) log.info(`${name}: ${value}`);
        });
      });
    }
  }
}

function fileOption(kind: FileKind | null): string {
  return kind === null ? '' : ` --${kind}`;
}

/** Python's default string order (code points). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
