import { parseVenvArgs } from './venv-args';
import type { PythonInvocation, VenvRequest } from './host';
import { resolvePath } from './path';

/** Where `python ARGV...` goes: pip, venv, the interpreter, or a usage error. */
export type PythonRoute =
  | { readonly kind: 'pip'; readonly argv: readonly string[] }
  | { readonly kind: 'venv'; readonly request: VenvRequest }
  | { readonly kind: 'python'; readonly invocation: PythonInvocation }
  /** A usage error: `stderr` is CPython's (or argparse's) text, `stdout` for `venv -h`. */
  | { readonly kind: 'usage'; readonly status: number; readonly stdout: string; readonly stderr: string };

/** CPython's flags that take no value (`python --help`). */
const FLAGS = 'bBdEiIOPqsSuvx';
const USAGE = 'usage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...\n';
const TRY = "Try `python -h' for more information.\n";

/**
 * Reads a python command line as CPython does: options up to `-c CMD`, `-m MOD`, a script or
 * `-`; what follows is the program's. `-m pip` and `-m venv` go to the host's pip and venv.
 * Ex) ['-B', '-m', 'pip', 'list'] -> { kind: 'pip', argv: ['list'] }
 * Ex) ['tool.py', '-v'] (cwd /home/u) -> script /home/u/tool.py with args ['-v']
 */
export function routePython(argv: readonly string[], cwd: string, stdinPiped: boolean): PythonRoute {
  const options: string[] = [];
  const usage = (message: string): PythonRoute => ({ kind: 'usage', status: 2, stdout: '', stderr: `${message}\n${USAGE}${TRY}` });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--version' || arg === '-V' || arg === '-VV') return { kind: 'python', invocation: { kind: 'version' } };
    if (arg === '--help' || arg === '-h' || arg === '-?') return { kind: 'python', invocation: { kind: 'help' } };
    if (arg === '-' ) return { kind: 'python', invocation: { kind: 'stdin', args: argv.slice(i + 1), options } };
    if (!arg.startsWith('-')) {
      return { kind: 'python', invocation: { kind: 'script', path: resolvePath(cwd, arg), args: argv.slice(i + 1), options } };
    }
    if (arg.startsWith('--')) return usage(`unknown option ${arg}`);
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      if (c === 'c' || c === 'm' || c === 'W' || c === 'X') {
        const value = j + 1 < arg.length ? arg.slice(j + 1) : argv[++i];
        if (value === undefined) return usage(`Argument expected for the -${c} option`);
        const rest = argv.slice(i + 1);
        if (c === 'c') return { kind: 'python', invocation: { kind: 'code', code: value, args: rest, options } };
        if (c === 'm') {
          if (value === 'pip') return { kind: 'pip', argv: rest };
          if (value === 'venv') return routeVenv(rest, cwd);
          return { kind: 'python', invocation: { kind: 'module', module: value, args: rest, options } };
        }
        options.push(`-${c}`, value);
        break;
      }
      if (!FLAGS.includes(c)) return usage(`Unknown option: -${c}`);
      options.push(`-${c}`);
    }
  }
  return { kind: 'python', invocation: stdinPiped ? { kind: 'stdin', args: [], options } : { kind: 'repl', options } };
}

export function routeVenv(argv: readonly string[], cwd: string): PythonRoute {
  const parsed = parseVenvArgs(argv);
  if (parsed.kind === 'help') return { kind: 'usage', status: 0, stdout: parsed.text, stderr: '' };
  if (parsed.kind === 'usage-error') return { kind: 'usage', status: 2, stdout: '', stderr: parsed.text };
  return { kind: 'venv', request: { ...parsed.request, dirs: parsed.request.dirs.map((d) => resolvePath(cwd, d)) } };
}
