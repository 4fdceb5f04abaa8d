import { options, readInputs, type Builtin } from './context';

/**
 * `tail [-n N | -n +N | -N] [-c N] [-qv] [FILE]...` (GNU tail): the last N lines (10), or from
 * line N on with `+N`; `-c` counts bytes instead. Several files get `==> FILE <==` headers.
 * `-f` prints what the file holds now: nothing here appends to a file while tail waits, so it
 * says so instead of waiting forever.
 * Ex) `pip install -v requests 2>&1 | tail -n 3`
 */
export const tail: Builtin = (args, ctx) => {
  // `tail -5` and `tail +5` are the old spellings of `tail -n 5` and `tail -n +5`.
  const normalized = args.map((a, i) => (i > 0 && /^-[nc]$/.test(args[i - 1]!) ? a : /^-[0-9]+$/.test(a) ? `-n${a.slice(1)}` : i === 0 && /^\+[0-9]+$/.test(a) ? `-n${a}` : a));
  const opts = options('tail', normalized, { flags: 'qvfF', values: 'nc', long: { lines: 'n', bytes: 'c', quiet: 'q', silent: 'q', verbose: 'v', follow: 'f' } }, ctx);
  if (!opts) return 1;
  const bytes = opts.values.get('c')?.at(-1);
  const countText = bytes ?? opts.values.get('n')?.at(-1) ?? '10';
  const m = /^([+-]?)([0-9]+)$/.exec(countText);
  if (!m || !Number.isSafeInteger(Number(m[2]))) {
    ctx.stderr(`tail: invalid number of ${bytes !== undefined ? 'bytes' : 'lines'}: '${countText}'\n`);
    return 1;
  }
  const fromStart = m[1] === '+';
  const count = Number(m[2]);
  const { files, failed } = readInputs(ctx, opts.operands, (name, why) => `tail: cannot open '${name}' for reading: ${why}\n`);
  const headers = (opts.operands.length > 1 || opts.flags.has('v')) && !opts.flags.has('q');
  files.forEach((file, i) => {
    if (headers) ctx.stdout(`${i > 0 ? '\n' : ''}==> ${file.name} <==\n`);
    ctx.stdout(bytes !== undefined ? lastBytes(file.text, count, fromStart) : lastLines(file.text, count, fromStart));
  });
  if (opts.flags.has('f') || opts.flags.has('F')) ctx.stderr('tail: not following: nothing writes to these files while tail waits in this terminal; run tail again to see what was added.\n');
  return failed ? 1 : 0;
};

/** The last `count` lines (each with its newline; a last line without one stays so), or from line `count` on. */
function lastLines(text: string, count: number, fromStart: boolean): string {
  const parts = text.split(/(?<=\n)/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  if (fromStart) return parts.slice(Math.max(0, count - 1)).join('');
  return count === 0 ? '' : parts.slice(-count).join('');
}

function lastBytes(text: string, count: number, fromStart: boolean): string {
  const data = new TextEncoder().encode(text);
  const slice = fromStart ? data.subarray(Math.max(0, count - 1)) : data.subarray(Math.max(0, data.length - count));
  return new TextDecoder().decode(slice);
}
