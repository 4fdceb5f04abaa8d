/**
 * `python -m venv ARGS...`: CPython 3.14's command line for venv (`Lib/venv/__init__.py`
 * `main()`), with argparse's words for usage errors (exit status 2) and venv's `Error: ...` for
 * failures (exit status 1). Pyodide's standard library has no `venv` module (it cannot copy or
 * link an interpreter binary), so the shell parses the command and the runtime carries it out.
 */

/** What `python -m venv` was asked to do (directories as given, relative to the cwd). */
export interface VenvCreateRequest {
  readonly dirs: readonly string[];
  readonly clear: boolean;
  readonly withoutPip: boolean;
  readonly systemSitePackages: boolean;
  readonly upgradeDeps: boolean;
  /** `--prompt`; null = the directory's name. */
  readonly prompt: string | null;
  /** `--upgrade`: rewrite the configuration and launchers of an existing environment. */
  readonly upgrade?: boolean;
  /** `--without-scm-ignore-files`: no `.gitignore`. */
  readonly withoutScmIgnoreFiles?: boolean;
}

export type VenvArgs =
  | { readonly kind: 'request'; readonly request: VenvCreateRequest }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'usage-error'; readonly text: string };

export const VENV_USAGE = [
  'usage: venv [-h] [--system-site-packages] [--symlinks | --copies] [--clear]',
  '            [--upgrade] [--without-pip] [--prompt PROMPT] [--upgrade-deps]',
  '            [--without-scm-ignore-files]',
  '            ENV_DIR [ENV_DIR ...]',
].join('\n');

const HELP = `${VENV_USAGE}

Creates virtual Python environments in one or more target directories.

positional arguments:
  ENV_DIR               A directory to create the environment in.

options:
  -h, --help            show this help message and exit
  --system-site-packages
                        Give the virtual environment access to the system
                        site-packages dir.
  --symlinks            Try to use symlinks rather than copies, when symlinks
                        are not the default for the platform.
  --copies              Try to use copies rather than symlinks, even when
                        symlinks are the default for the platform.
  --clear               Delete the contents of the environment directory if it
                        already exists, before environment creation.
  --upgrade             Upgrade the environment directory to use this version
                        of Python, assuming Python has been upgraded in-place.
  --without-pip         Skips installing or upgrading pip in the virtual
                        environment (pip is bootstrapped by default)
  --prompt PROMPT       Provides an alternative prompt prefix for this
                        environment.
  --upgrade-deps        Upgrade core dependencies (pip) to the latest version in
                        PyPI
  --without-scm-ignore-files
                        Skips adding SCM ignore files to the environment
                        directory (Git is supported by default).

Once an environment has been created, you may wish to activate it, e.g. by
sourcing an activate script in its bin directory.
`;

const FLAGS = [
  '--help',
  '--system-site-packages',
  '--symlinks',
  '--copies',
  '--clear',
  '--upgrade',
  '--without-pip',
  '--prompt',
  '--upgrade-deps',
  '--without-scm-ignore-files',
] as const;
type Flag = (typeof FLAGS)[number];

/**
 * Parses venv's arguments as argparse does: long options by unambiguous prefix (`--sys`),
 * `--prompt X` or `--prompt=X`, `--` ending options, ENV_DIR one or more (one run of them).
 */
export function parseVenvArgs(argv: readonly string[]): VenvArgs {
  const usageError = (message: string): VenvArgs => ({ kind: 'usage-error', text: `${VENV_USAGE}\nvenv: error: ${message}\n` });
  const seen = new Set<Flag>();
  let prompt: string | null = null;
  const dirs: string[] = [];
  const extras: string[] = [];
  let dirsDone = false;
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!onlyPositionals && arg === '--') {
      onlyPositionals = true;
      continue;
    }
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      // nargs='+' takes one run of positionals; a later run is left over.
      if (dirsDone && dirs.length > 0) extras.push(arg);
      else dirs.push(arg);
      continue;
    }
    if (dirs.length > 0) dirsDone = true;
    if (arg === '-h') return { kind: 'help', text: HELP };
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    const matches = FLAGS.filter((f) => f === name || (name.startsWith('--') && name.length > 2 && f.startsWith(name)));
    const exact = FLAGS.find((f) => f === name);
    if (!exact && matches.length > 1) return usageError(`ambiguous option: ${name} could match ${matches.join(', ')}`);
    const flag = exact ?? matches[0];
    if (!flag) {
      extras.push(arg);
      continue;
    }
    if (flag === '--help') return { kind: 'help', text: HELP };
    if (flag === '--prompt') {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[i + 1];
      if (value === undefined || (eq < 0 && value.startsWith('-') && value !== '-')) return usageError('argument --prompt: expected one argument');
      if (eq < 0) i++;
      prompt = value;
      continue;
    }
    if (eq >= 0) return usageError(`argument ${flag}: ignored explicit argument '${arg.slice(eq + 1)}'`);
    if (flag === '--copies' && seen.has('--symlinks')) return usageError('argument --copies: not allowed with argument --symlinks');
    if (flag === '--symlinks' && seen.has('--copies')) return usageError('argument --symlinks: not allowed with argument --copies');
    seen.add(flag);
  }
  if (dirs.length === 0) return usageError('the following arguments are required: ENV_DIR');
  if (extras.length > 0) return usageError(`unrecognized arguments: ${extras.join(' ')}`);
  return {
    kind: 'request',
    request: {
      dirs,
      clear: seen.has('--clear'),
      upgrade: seen.has('--upgrade'),
      withoutPip: seen.has('--without-pip'),
      systemSitePackages: seen.has('--system-site-packages'),
      upgradeDeps: seen.has('--upgrade-deps'),
      prompt,
      withoutScmIgnoreFiles: seen.has('--without-scm-ignore-files'),
    },
  };
}
