import { resolvePath } from '../path';
import { lines, options, readInputs, type Builtin } from './context';

/**
 * `uniq [-cdDiu] [-f N] [-s N] [-w N] [INPUT [OUTPUT]]` (GNU uniq): adjacent equal lines once
 * (`sort | uniq` for all of them); `-c` prefixes each with its count, `-d` only repeated lines,
 * `-u` only unique ones, `-D` every repeated line; `-i` ignores case; `-f`/`-s` skip fields and
 * characters before comparing, `-w` compares at most N characters.
 * Ex) `pip freeze | cut -d= -f1 | sort | uniq -d` (a name twice)
 */
export const uniq: Builtin = (args, ctx) => {
  const opts = options(
    'uniq',
    args,
    {
      flags: 'cdDiu',
      values: 'fsw',
      long: { count: 'c', repeated: 'd', 'all-repeated': 'D', 'ignore-case': 'i', unique: 'u', 'skip-fields': 'f', 'skip-chars': 's', 'check-chars': 'w' },
    },
    ctx,
  );
  if (!opts) return 1;
  const number = (key: string, what: string): number | null => {
    const text = opts.values.get(key)?.at(-1);
    if (text === undefined) return 0;
    if (!/^[0-9]+$/.test(text)) {
      ctx.stderr(`uniq: ${text}: invalid number of ${what}\n`);
      return null;
    }
    return Number(text);
  };
  const skipFields = number('f', 'fields to skip');
  const skipChars = number('s', 'bytes to skip');
  const checkChars = opts.values.has('w') ? number('w', 'bytes to compare') : Infinity;
  if (skipFields === null || skipChars === null || checkChars === null) return 1;
  if (opts.operands.length > 2) {
    ctx.stderr(`uniq: extra operand '${opts.operands[2]}'\nTry 'uniq --help' for more information.\n`);
    return 1;
  }
  const f = opts.flags;
  if (f.has('c') && f.has('D')) {
    ctx.stderr("uniq: printing all duplicated lines and repeat counts is meaningless\nTry 'uniq --help' for more information.\n");
    return 1;
  }
  const { files, failed } = readInputs(ctx, opts.operands.slice(0, 1), (name, why) => `uniq: ${name}: ${why}\n`);
  if (failed) return 1;
  const key = (line: string): string => {
    let rest = line;
    for (let i = 0; i < skipFields; i++) rest = rest.replace(/^[ \t]*[^ \t]*/, '');
    rest = rest.slice(skipChars).slice(0, checkChars);
    return f.has('i') ? rest.toLowerCase() : rest;
  };
  const groups: string[][] = [];
  for (const line of lines(files[0]?.text ?? '')) {
    const last = groups[groups.length - 1];
    if (last && key(last[0]!) === key(line)) last.push(line);
    else groups.push([line]);
  }
  let out = '';
  for (const group of groups) {
    const repeated = group.length > 1;
    if ((f.has('d') || f.has('D')) && !repeated) continue;
    if (f.has('u') && repeated) continue;
    if (f.has('D')) out += group.map((l) => `${l}\n`).join('');
    else out += f.has('c') ? `${String(group.length).padStart(7)} ${group[0]}\n` : `${group[0]}\n`;
  }
  const output = opts.operands[1];
  if (output === undefined || output === '-') {
    ctx.stdout(out);
    return 0;
  }
  try {
    ctx.shell.fs.writeFile(resolvePath(ctx.cwd, output), new TextEncoder().encode(out));
  } catch (e) {
    ctx.stderr(`uniq: ${output}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return 0;
};
