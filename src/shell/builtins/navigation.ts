import { resolvePath } from '../path';
import { shellQuote } from '../quote';
import type { Builtin } from './context';

/**
 * `cd [DIR]`: no DIR = HOME, `-` = OLDPWD (printed, as bash does); sets PWD and OLDPWD.
 * `~` arrives already expanded. Errors in bash's words: `bash: cd: x: No such file or directory`.
 */
export const cd: Builtin = (args, ctx) => {
  const operands = args.filter((a) => a !== '-L' && a !== '-P');
  if (operands.length > 1) {
    ctx.stderr('bash: cd: too many arguments\n');
    return 1;
  }
  const shell = ctx.shell;
  let target = operands[0];
  let print = false;
  if (target === undefined || target === '') {
    target = shell.getVar('HOME');
    if (target === undefined) {
      ctx.stderr('bash: cd: HOME not set\n');
      return 1;
    }
  } else if (target === '-') {
    target = shell.getVar('OLDPWD');
    if (target === undefined) {
      ctx.stderr('bash: cd: OLDPWD not set\n');
      return 1;
    }
    print = true;
  }
  const path = resolvePath(shell.cwd, target);
  const shown = shellQuote(target, 'unprintable');
  if (!shell.fs.exists(path)) {
    ctx.stderr(`bash: cd: ${shown}: No such file or directory\n`);
    return 1;
  }
  if (!shell.fs.isDirectory(path)) {
    ctx.stderr(`bash: cd: ${shown}: Not a directory\n`);
    return 1;
  }
  shell.setVar('OLDPWD', shell.cwd, { export: true });
  shell.chdir(path);
  shell.setVar('PWD', path, { export: true });
  if (print) ctx.stdout(`${path}\n`);
  return 0;
};

/** `pwd`: the working directory. */
export const pwd: Builtin = (_args, ctx) => {
  ctx.stdout(`${ctx.shell.cwd}\n`);
  return 0;
};
