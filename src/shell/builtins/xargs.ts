import { lastValue } from '../options';
import { shellQuote } from '../quote';
import { options, type Builtin } from './context';

/**
 * `xargs [-n N] [-L N] [-I R] [-d D] [-0] [-r] [-t] [COMMAND [ARG]...]` (GNU findutils): builds
 * command lines from stdin and runs them in turn, as
 * `pip list --outdated --format=freeze | cut -d = -f 1 | xargs -n1 pip install -U` does.
 * Status: 123 when a run exited 1-125, 124 when one exited 255 (then it stops), 127 when the
 * command does not exist; the command's stdin is empty (GNU gives it /dev/null).
 */
export const xargs: Builtin = async (args, ctx) => {
  const opts = options(
    'xargs',
    args,
    {
      flags: 'rt0',
      values: 'nLId',
      long: { 'max-args': 'n', 'max-lines': 'L', replace: 'I', delimiter: 'd', 'no-run-if-empty': 'r', verbose: 't', null: '0' },
      stopAtOperand: true,
    },
    ctx,
  );
  if (!opts) return 1;
  const command = opts.operands.length > 0 ? opts.operands : ['echo'];
  const replace = lastValue(opts, 'I');
  const perRun = Number(lastValue(opts, 'n') ?? lastValue(opts, 'L') ?? (replace !== undefined ? 1 : Infinity));
  if (!(perRun >= 1)) {
    ctx.stderr(`xargs: value ${lastValue(opts, 'n') ?? lastValue(opts, 'L')} for -n option should be >= 1\n`);
    return 1;
  }
  const input = ctx.stdin ?? '';
  let items: string[];
  if (opts.flags.has('0')) items = input.split('\0').filter((s, i, all) => s !== '' || i < all.length - 1);
  else if (opts.values.has('d')) items = splitDelimited(input, delimiterOf(lastValue(opts, 'd')!));
  else if (replace !== undefined || opts.values.has('L')) items = input.split('\n').map((l) => l.replace(/^[ \t]+/, '')).filter((l) => l !== '');
  else {
    const parsed = splitQuoted(input);
    if (typeof parsed === 'string') {
      ctx.stderr(`xargs: ${parsed}\n`);
      return 1;
    }
    items = parsed;
  }
  const runs: string[][] = [];
  if (opts.values.has('L') && replace === undefined) {
    // -L N: N input lines per run, each line's words all in.
    for (let i = 0; i < items.length; i += perRun) runs.push(items.slice(i, i + perRun).flatMap((line) => line.split(/[ \t]+/).filter(Boolean)));
  } else {
    for (let i = 0; i < items.length; i += perRun) runs.push(items.slice(i, i + perRun));
  }
  if (runs.length === 0 && !opts.flags.has('r') && replace === undefined) runs.push([]);

  const lookup = ctx.shell.lookup(command[0]!);
  if (lookup.kind === 'missing' && runs.length > 0) {
    ctx.stderr(`xargs: ${shellQuote(command[0]!)}: No such file or directory\n`);
    return 127;
  }
  let status = 0;
  for (const run of runs) {
    if (ctx.signal.aborted) return 130;
    const argv = replace !== undefined ? command.map((a) => a.split(replace).join(run[0] ?? '')) : [...command, ...run];
    if (opts.flags.has('t')) ctx.stderr(`${argv.map((a) => shellQuote(a, 'unprintable')).join(' ')}\n`);
    const code = await ctx.shell.runArgv(argv, { ...ctx, stdin: '' });
    if (code === 255) {
      ctx.stderr(`xargs: ${shellQuote(command[0]!)}: exited with status 255; aborting\n`);
      return 124;
    }
    if (code >= 1 && code <= 125) status = 123;
    else if (code > 128) return code;
  }
  return status;
};

/** GNU xargs's default input: blanks separate; quotes and backslashes as in the shell, one line per quote. */
function splitQuoted(input: string): string[] | string {
  const items: string[] = [];
  let item = '';
  let inItem = false;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === "'" || c === '"') {
      const close = input.indexOf(c, i + 1);
      const newline = input.indexOf('\n', i + 1);
      if (close < 0 || (newline >= 0 && newline < close)) {
        return `unmatched ${c === "'" ? 'single' : 'double'} quote; by default quotes are special to xargs unless you use the -0 option`;
      }
      item += input.slice(i + 1, close);
      inItem = true;
      i = close;
    } else if (c === '\\' && i + 1 < input.length) {
      item += input[++i];
      inItem = true;
    } else if (/[ \t\n]/.test(c)) {
      if (inItem) items.push(item);
      item = '';
      inItem = false;
    } else {
      item += c;
      inItem = true;
    }
  }
  if (inItem) items.push(item);
  return items;
}

function delimiterOf(spec: string): string {
  const escapes: Record<string, string> = { '\\n': '\n', '\\t': '\t', '\\0': '\0', '\\\\': '\\' };
  return escapes[spec] ?? spec[0] ?? '\n';
}

function splitDelimited(input: string, delimiter: string): string[] {
  const items = input.split(delimiter);
  // A final delimiter (a trailing newline) ends the last item rather than starting an empty one.
  if (items[items.length - 1] === '') items.pop();
  return items;
}
