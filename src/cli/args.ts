/**
 * Command-line arguments of `pipette`: a small parser in pip's style (`--opt VALUE` or
 * `--opt=VALUE`, repeatable `-r`/`-c`/`--extra-index-url`), with argparse's usage errors.
 */
import { PipetteError } from '../pep';

export const COMMANDS = ['resolve', 'lock', 'compile'] as const;
export type Command = (typeof COMMANDS)[number];

export interface CliArgs {
  readonly command: Command;
  /** Requirements given on the command line (`resolve`, `lock`) or `.in` files (`compile`). */
  readonly positional: readonly string[];
  readonly requirementFiles: readonly string[];
  readonly constraintFiles: readonly string[];
  readonly indexUrl: string | null;
  readonly extraIndexUrls: readonly string[];
  readonly pythonVersion: string | null;
  readonly pre: boolean;
  readonly noDeps: boolean;
  readonly excludeNewer: string | null;
  readonly generateHashes: boolean;
  readonly json: boolean;
  readonly output: string | null;
  /** Leave Pyodide's own packages (its lock file) out of the candidates. */
  readonly noPyodideLock: boolean;
  readonly verbose: boolean;
  readonly help: boolean;
}

/** A command line pipette cannot act on; exit status 2, as argparse. */
export class UsageError extends PipetteError<'usage'> {
  override readonly name = 'UsageError';
  /** The argument the error is about. */
  readonly input: string;
  constructor(reason: string, input: string) {
    super('usage', reason);
    this.input = input;
  }

  /** The problem (the message: a usage error has no caret lines). */
  get reason(): string {
    return this.message;
  }
}

export const USAGE = `Usage:
  pipette resolve [REQ...] [-r FILE] [-c FILE] [options]
  pipette lock [REQ...] [-r FILE] [-c FILE] -o pylock.toml [options]
  pipette compile requirements.in [-o requirements.txt] [options]

Resolves Python requirements for Pyodide (the bundled release unless --python-version says
otherwise), as pip would, with a PubGrub resolver; on failure explains why.

Options:
  -r, --requirement FILE     Requirements from FILE (repeatable).
  -c, --constraint FILE      Constrain versions with FILE (repeatable).
  -i, --index-url URL        Base URL of the Python Package Index (default https://pypi.org/simple/).
  --extra-index-url URL      Extra index to search (repeatable).
  --python-version X.Y[.Z]   Target interpreter for Requires-Python, markers and wheel tags.
  --pre                      Include pre-release and development versions.
  --no-deps                  Do not resolve dependencies.
  --exclude-newer TIME       Ignore files uploaded after TIME (ISO 8601).
  --generate-hashes          Add --hash=sha256:... lines (resolve, compile).
  --json                     Print {"resolved": [...]} or {"error": "..."} (resolve, lock).
  -o, --output FILE          Where to write the lock (lock) or the pinned file (compile).
  --no-pyodide-lock          Do not offer the packages Pyodide builds itself.
  -v, --verbose              Log decisions and backtracks on stderr.
  -h, --help                 Show this help.`;

const WITH_VALUE: Record<string, keyof CliArgs> = {
  '-r': 'requirementFiles',
  '--requirement': 'requirementFiles',
  '-c': 'constraintFiles',
  '--constraint': 'constraintFiles',
  '-i': 'indexUrl',
  '--index-url': 'indexUrl',
  '--extra-index-url': 'extraIndexUrls',
  '--python-version': 'pythonVersion',
  '--exclude-newer': 'excludeNewer',
  '-o': 'output',
  '--output': 'output',
};

const FLAGS: Record<string, keyof CliArgs> = {
  '--pre': 'pre',
  '--no-deps': 'noDeps',
  '--generate-hashes': 'generateHashes',
  '--json': 'json',
  '--no-pyodide-lock': 'noPyodideLock',
  '-v': 'verbose',
  '--verbose': 'verbose',
  '-h': 'help',
  '--help': 'help',
};

export function parseArgs(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    return { ...defaults('resolve'), help: true };
  }
  if (!(COMMANDS as readonly string[]).includes(command)) {
    throw new UsageError(`unknown command '${command}' (choose from ${COMMANDS.map((c) => `'${c}'`).join(', ')})`, argv.join(' '));
  }
  const args: Record<string, unknown> = { ...defaults(command as Command) };
  const lists = new Set(['requirementFiles', 'constraintFiles', 'extraIndexUrls']);
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    if (arg === '--') {
      for (const a of rest.slice(i + 1)) positional.push(a);
      break;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const key = WITH_VALUE[name];
    if (key) {
      const value = eq > 0 ? arg.slice(eq + 1) : rest[++i];
      if (value === undefined) throw new UsageError(`option ${name}: expected one argument`, arg);
      if (lists.has(key)) (args[key] as string[]).push(value);
      else args[key] = value;
      continue;
    }
    const flag = FLAGS[name];
    if (flag && eq < 0) {
      args[flag] = true;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw new UsageError(`no such option: ${name}`, arg);
    positional.push(arg);
  }
  args.positional = positional;
  return args as unknown as CliArgs;
}

function defaults(command: Command): CliArgs {
  return {
    command,
    positional: [],
    requirementFiles: [],
    constraintFiles: [],
    indexUrl: null,
    extraIndexUrls: [],
    pythonVersion: null,
    pre: false,
    noDeps: false,
    excludeNewer: null,
    generateHashes: false,
    json: false,
    output: null,
    noPyodideLock: false,
    verbose: false,
    help: false,
  };
}
