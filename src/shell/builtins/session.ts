import { readTextChecked } from '../fs-text';
import { SHELL_HELP } from '../help';
import { baseName, joinChild, parentOf, resolvePath } from '../path';
import { shellQuote } from '../quote';
import type { Builtin } from './context';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `export [NAME[=VALUE]]...`; alone (or `-p`), lists exported variables as bash does. */
export const exportBuiltin: Builtin = (args, ctx) => {
  const operands = args.filter((a) => a !== '-p');
  if (operands.length === 0) {
    const vars = ctx.shell.exported();
    ctx.stdout(Object.keys(vars).map((k) => `declare -x ${k}="${vars[k]!.replace(/(["\\$`])/g, '\\$1')}"\n`).join(''));
    return 0;
  }
  let status = 0;
  for (const arg of operands) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!NAME.test(name)) {
      ctx.stderr(`bash: export: '${shellQuote(arg, 'unprintable')}': not a valid identifier\n`);
      status = 1;
    } else if (eq < 0) ctx.shell.exportVar(name);
    else ctx.shell.setVar(name, arg.slice(eq + 1), { export: true });
  }
  return status;
};

/** `unset NAME...`. */
export const unset: Builtin = (args, ctx) => {
  let status = 0;
  for (const name of args.filter((a) => a !== '-v')) {
    if (!NAME.test(name)) {
      ctx.stderr(`bash: unset: '${shellQuote(name, 'unprintable')}': not a valid identifier\n`);
      status = 1;
    } else ctx.shell.unsetVar(name);
  }
  return status;
};

/** `env`: the exported variables, `NAME=value` per line. */
export const env: Builtin = (args, ctx) => {
  if (args.length > 0) {
    ctx.stderr('env: running a command through env is not supported here; write NAME=value COMMAND instead\n');
    return 125;
  }
  const vars = ctx.shell.exported();
  ctx.stdout(Object.keys(vars).map((k) => `${k}=${vars[k]}\n`).join(''));
  return 0;
};

/** `history [N]` lists (the last N) entered lines numbered as bash does; `history -c` forgets them. */
export const history: Builtin = (args, ctx) => {
  const h = ctx.shell.history;
  if (args[0] === '-c') {
    h.clear();
    return 0;
  }
  const entries = h.entries;
  let from = 0;
  if (args[0] !== undefined) {
    if (!/^[0-9]+$/.test(args[0])) {
      ctx.stderr(`bash: history: ${shellQuote(args[0]!, 'unprintable')}: numeric argument required\n`);
      return 1;
    }
    from = Math.max(0, entries.length - Number(args[0]));
  }
  ctx.stdout(entries.slice(from).map((line, i) => `${String(from + i + 1).padStart(5)}  ${line}\n`).join(''));
  return 0;
};

export const help: Builtin = (_args, ctx) => {
  ctx.stdout(`${SHELL_HELP}\n`);
  return 0;
};

export const clear: Builtin = (_args, ctx) => {
  ctx.shell.host.clear();
  return 0;
};

export const trueBuiltin: Builtin = () => 0;
export const falseBuiltin: Builtin = () => 1;

/** `exit [N]`: N, or the last command's status; the rest of the line is not run. */
export const exit: Builtin = (args, ctx) => {
  const arg = args[0];
  if (arg !== undefined && !/^-?[0-9]+$/.test(arg)) {
    ctx.stderr(`bash: exit: ${shellQuote(arg, 'unprintable')}: numeric argument required\n`);
    ctx.shell.requestExit(2);
    return 2;
  }
  const status = arg === undefined ? ctx.shell.lastStatus : ((Number(arg) % 256) + 256) % 256;
  ctx.shell.requestExit(status);
  return status;
};

/**
 * `which NAME...`: where each command comes from. Builtins say so, as zsh's `which` does
 * (`cd: shell built-in command`); pip and python without a file on PATH are the Pipette
 * runtime's own. Status 1 when one is not found.
 */
export const which: Builtin = (args, ctx) => {
  let status = 0;
  for (const name of args.filter((a) => !a.startsWith('-'))) {
    const found = ctx.shell.lookup(name);
    switch (found.kind) {
      case 'builtin':
        ctx.stdout(`${name}: shell built-in command\n`);
        break;
      case 'pip':
      case 'python':
        ctx.stdout(found.program !== null ? `${found.program}\n` : `${name}: Pipette's own ${found.kind} (the active environment's)\n`);
        break;
      case 'program':
        ctx.stdout(`${found.path}\n`);
        break;
      case 'tool':
        ctx.stdout(`${name}: Pipette's own ${name} (none is installed in the active environment)\n`);
        break;
      case 'missing':
        ctx.stderr(`${shellQuote(name, 'unprintable')} not found\n`);
        status = 1;
    }
  }
  return status;
};

/**
 * `source FILE` / `. FILE`. A venv's `bin/activate` (its prefix holds `pyvenv.cfg`, PEP 405) is
 * what the activate script would do: the host switches environments, then VIRTUAL_ENV and PATH
 * are set as the script sets them. Any other file runs as shell commands here.
 */
export const source: Builtin = async (args, ctx) => {
  const name = args[0];
  if (name === undefined) {
    ctx.stderr('bash: source: filename argument required\nsource: usage: source filename [arguments]\n');
    return 2;
  }
  const shell = ctx.shell;
  const path = resolvePath(ctx.cwd, name);
  const shown = shellQuote(name, 'unprintable');
  if (shell.fs.isDirectory(path)) {
    ctx.stderr(`bash: ${shown}: is a directory\n`);
    return 1;
  }
  const read = readTextChecked(shell.fs, path);
  if (!read.ok) {
    ctx.stderr(`bash: ${shown}: ${read.reason}\n`);
    return 1;
  }
  const text = read.text;
  const bin = parentOf(path);
  const prefix = parentOf(bin);
  if (/^activate(\.(sh|bash|fish|csh))?$/.test(baseName(path)) && baseName(bin) === 'bin' && shell.fs.exists(joinChild(prefix, 'pyvenv.cfg'))) {
    const status = await shell.host.activate(prefix, ctx);
    if (status !== 0) return status;
    // The activate script runs `deactivate nondestructive` first: the old venv's bin leaves PATH.
    const oldPath = shell.getVar('_OLD_VIRTUAL_PATH') ?? shell.getVar('PATH') ?? '';
    shell.setVar('_OLD_VIRTUAL_PATH', oldPath);
    shell.setVar('PATH', oldPath === '' ? `${prefix}/bin` : `${prefix}/bin:${oldPath}`, { export: true });
    shell.setVar('VIRTUAL_ENV', prefix, { export: true });
    shell.setVar('VIRTUAL_ENV_PROMPT', shell.host.activeVenv()?.name ?? baseName(prefix), { export: true });
    return 0;
  }
  // A file that sources itself (or a cycle of them) stops here, as bash's SOURCENEST_MAX does,
  // instead of never returning.
  if (shell.sourceDepth >= SOURCE_NEST_MAX) {
    ctx.stderr(`bash: ${shown}: maximum source nesting level exceeded (${SOURCE_NEST_MAX})\n`);
    return 1;
  }
  return shell.runText(text, ctx, { sourced: true });
};

/** How deep `source` may nest (bash's `SOURCENEST_MAX` when set; bash itself has no default limit and crashes). */
export const SOURCE_NEST_MAX = 100;

/** `deactivate`: defined only inside a venv, as the activate script defines it. */
export const deactivate: Builtin = async (_args, ctx) => {
  const shell = ctx.shell;
  if (shell.getVar('VIRTUAL_ENV') === undefined && shell.host.activeVenv() === null) {
    ctx.stderr('bash: deactivate: command not found\n');
    return 127;
  }
  const status = await shell.host.deactivate(ctx);
  if (status !== 0) return status;
  const oldPath = shell.getVar('_OLD_VIRTUAL_PATH');
  if (oldPath !== undefined) shell.setVar('PATH', oldPath, { export: true });
  for (const name of ['_OLD_VIRTUAL_PATH', 'VIRTUAL_ENV', 'VIRTUAL_ENV_PROMPT']) shell.unsetVar(name);
  return 0;
};
