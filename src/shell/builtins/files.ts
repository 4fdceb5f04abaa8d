import { decodeText, statOf } from '../fs-text';
import type { ShellFs } from '../host';
import { baseName, joinChild, parentOf, resolvePath } from '../path';
import { options, type Builtin } from './context';

/** `cat [-n] [FILE|-]...`: files (or stdin) in order; a missing file is reported and skipped. */
export const cat: Builtin = (args, ctx) => {
  const opts = options('cat', args, { flags: 'n', long: { number: 'n' } }, ctx);
  if (!opts) return 1;
  let status = 0;
  let text = '';
  for (const name of opts.operands.length > 0 ? opts.operands : ['-']) {
    if (name === '-') {
      text += ctx.stdin ?? '';
      continue;
    }
    const path = resolvePath(ctx.cwd, name);
    if (ctx.shell.fs.isDirectory(path)) {
      ctx.stderr(`cat: ${name}: Is a directory\n`);
      status = 1;
      continue;
    }
    const data = ctx.shell.fs.readFile(path);
    if (data === null) {
      ctx.stderr(`cat: ${name}: No such file or directory\n`);
      status = 1;
      continue;
    }
    text += decodeText(data);
  }
  if (opts.flags.has('n')) {
    // GNU cat -n: six-wide right-aligned numbers and a tab; the last line keeps its (missing) newline.
    const parts = text.split('\n');
    const tail = parts.pop() ?? '';
    text = [...parts.map((line, i) => `${String(i + 1).padStart(6)}\t${line}\n`), tail ? `${String(parts.length + 1).padStart(6)}\t${tail}` : ''].join('');
  }
  ctx.stdout(text);
  return status;
};

/** `mkdir [-p] DIR...`: GNU's messages (`mkdir: cannot create directory 'a': File exists`). */
export const mkdir: Builtin = (args, ctx) => {
  const opts = options('mkdir', args, { flags: 'pv', long: { parents: 'p', verbose: 'v' } }, ctx);
  if (!opts) return 1;
  if (opts.operands.length === 0) {
    ctx.stderr("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
    return 1;
  }
  const fs = ctx.shell.fs;
  let status = 0;
  const fail = (name: string, why: string): void => {
    ctx.stderr(`mkdir: cannot create directory '${name}': ${why}\n`);
    status = 1;
  };
  for (const name of opts.operands) {
    const path = resolvePath(ctx.cwd, name);
    if (opts.flags.has('p')) {
      // Walk down so a file in the way is named, as GNU does (`'f': Not a directory`).
      const blocked = firstFileOnPath(fs, path);
      if (blocked !== null) fail(shownAncestor(name, path, blocked), fs.isDirectory(blocked) ? 'File exists' : 'Not a directory');
      else fs.mkdirp(path);
    } else if (fs.exists(path)) fail(name, 'File exists');
    else if (!fs.isDirectory(parentOf(path))) fail(name, fs.exists(parentOf(path)) ? 'Not a directory' : 'No such file or directory');
    else fs.mkdirp(path);
    if (status === 0 && opts.flags.has('v')) ctx.stdout(`mkdir: created directory '${name}'\n`);
  }
  return status;
};

/** The first path on the way to `path` (itself included) that exists and is not a directory. */
function firstFileOnPath(fs: ShellFs, path: string): string | null {
  let p = '';
  for (const segment of path.split('/').filter(Boolean)) {
    p = `${p}/${segment}`;
    if (!fs.exists(p)) return null;
    if (!fs.isDirectory(p)) return p;
  }
  return null;
}

/** The part of what the user typed that names `ancestor`. Ex) ('f/x', '/h/f/x', '/h/f') -> 'f' */
function shownAncestor(name: string, path: string, ancestor: string): string {
  const extra = path.slice(ancestor.length).split('/').filter(Boolean).length;
  let shown = name.replace(/\/+$/, '');
  for (let i = 0; i < extra; i++) shown = shown.slice(0, Math.max(0, shown.lastIndexOf('/')));
  return shown || name;
}

/** `rm [-r] [-f] PATH...`, with GNU's guards against `/`, `.` and `..`. */
export const rm: Builtin = (args, ctx) => {
  const opts = options('rm', args, { flags: 'rRfdv', long: { recursive: 'r', force: 'f', dir: 'd', verbose: 'v' } }, ctx);
  if (!opts) return 1;
  const force = opts.flags.has('f');
  const recursive = opts.flags.has('r') || opts.flags.has('R');
  if (opts.operands.length === 0) {
    if (force) return 0;
    ctx.stderr("rm: missing operand\nTry 'rm --help' for more information.\n");
    return 1;
  }
  const fs = ctx.shell.fs;
  let status = 0;
  for (const name of opts.operands) {
    const last = baseName(name);
    if (last === '.' || last === '..') {
      ctx.stderr(`rm: refusing to remove '.' or '..' directory: skipping '${name}'\n`);
      status = 1;
      continue;
    }
    const path = resolvePath(ctx.cwd, name);
    if (path === '/' && recursive) {
      ctx.stderr("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      status = 1;
      continue;
    }
    if (!fs.exists(path)) {
      if (!force) {
        ctx.stderr(`rm: cannot remove '${name}': No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (fs.isDirectory(path)) {
      if (!recursive && !(opts.flags.has('d') && fs.readdir(path).length === 0)) {
        ctx.stderr(`rm: cannot remove '${name}': Is a directory\n`);
        status = 1;
        continue;
      }
      removeTree(fs, path);
    } else {
      fs.remove(path);
    }
    if (opts.flags.has('v')) ctx.stdout(`removed '${name}'\n`);
  }
  return status;
};

/** Removes a directory and everything under it, children first. */
export function removeTree(fs: ShellFs, path: string): void {
  if (fs.isDirectory(path)) for (const name of fs.readdir(path)) removeTree(fs, joinChild(path, name));
  fs.remove(path);
}

/** `touch FILE...`: creates empty files; an existing file is rewritten unchanged to bump its time. */
export const touch: Builtin = (args, ctx) => {
  const opts = options('touch', args, { flags: 'c', long: { 'no-create': 'c' } }, ctx);
  if (!opts) return 1;
  if (opts.operands.length === 0) {
    ctx.stderr("touch: missing file operand\nTry 'touch --help' for more information.\n");
    return 1;
  }
  const fs = ctx.shell.fs;
  let status = 0;
  for (const name of opts.operands) {
    const path = resolvePath(ctx.cwd, name);
    if (fs.isDirectory(path)) continue;
    const data = fs.readFile(path);
    if (data === null && opts.flags.has('c')) continue;
    if (data === null && !fs.isDirectory(parentOf(path))) {
      ctx.stderr(`touch: cannot touch '${name}': No such file or directory\n`);
      status = 1;
      continue;
    }
    fs.writeFile(path, data ?? new Uint8Array(), { executable: statOf(fs, path)?.executable ?? false });
  }
  return status;
};
