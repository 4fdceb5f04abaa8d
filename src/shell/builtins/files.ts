import { describeFsError } from '../../pep';
import { decodeText, readFileChecked, statOf } from '../fs-text';
import type { ShellFs } from '../host';
import { baseName, joinChild, parentOf, resolvePath } from '../path';
import { shellQuote } from '../quote';
import { options, type Builtin } from './context';

/**
 * `cat [-n] [FILE|-]...`: files (or stdin) in order; one that cannot be read is reported with
 * its errno text and skipped (`cat: /dev/tty: Operation not supported`). The name is quoted as
 * coreutils quotes it (`cat: 'a b': No such file or directory`). What a file holds is printed as
 * it is: the person asked for it, as `cat` in any terminal.
 */
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
    const read = readFileChecked(ctx.shell.fs, resolvePath(ctx.cwd, name));
    if (!read.ok) {
      ctx.stderr(`cat: ${shellQuote(name)}: ${read.reason}\n`);
      status = 1;
      continue;
    }
    text += decodeText(read.data);
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
    ctx.stderr(`mkdir: cannot create directory ${shellQuote(name, 'always')}: ${why}\n`);
    status = 1;
  };
  for (const name of opts.operands) {
    const path = resolvePath(ctx.cwd, name);
    if (opts.flags.has('p')) {
      // Walk down so a file in the way is named, as GNU does (`'f': Not a directory`).
      const blocked = firstFileOnPath(fs, path);
      if (blocked !== null) fail(shownAncestor(name, path, blocked), fs.isDirectory(blocked) ? 'File exists' : 'Not a directory');
      else tryTo(() => fs.mkdirp(path), (why) => fail(name, why));
    } else if (fs.exists(path)) fail(name, 'File exists');
    else if (!fs.isDirectory(parentOf(path))) fail(name, fs.exists(parentOf(path)) ? 'Not a directory' : 'No such file or directory');
    else tryTo(() => fs.mkdirp(path), (why) => fail(name, why));
    if (status === 0 && opts.flags.has('v')) ctx.stdout(`mkdir: created directory ${shellQuote(name, 'always')}\n`);
  }
  return status;
};

/** Runs a filesystem change; a refusal goes to `failed` as its errno text. */
function tryTo(change: () => void, failed: (why: string) => void): boolean {
  try {
    change();
    return true;
  } catch (error) {
    failed(describeFsError(error));
    return false;
  }
}

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

/**
 * `rm [-r] [-f] PATH...`, with GNU's guards against `/`, `.` and `..`. A symbolic link is
 * removed itself, never what it points to, with or without `-r` (coreutils: `rm -r link`
 * unlinks the link and leaves the directory it names alone).
 */
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
      ctx.stderr(`rm: refusing to remove '.' or '..' directory: skipping ${shellQuote(name, 'always')}\n`);
      status = 1;
      continue;
    }
    const path = resolvePath(ctx.cwd, name);
    if (path === '/' && recursive) {
      ctx.stderr("rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n");
      status = 1;
      continue;
    }
    const shown = shellQuote(name, 'always');
    const link = isSymlink(fs, path);
    if (!link && !fs.exists(path)) {
      if (!force) {
        ctx.stderr(`rm: cannot remove ${shown}: No such file or directory\n`);
        status = 1;
      }
      continue;
    }
    if (!link && fs.isDirectory(path) && !recursive && !(opts.flags.has('d') && fs.readdir(path).length === 0)) {
      ctx.stderr(`rm: cannot remove ${shown}: Is a directory\n`);
      status = 1;
      continue;
    }
    if (!tryTo(() => removeTree(fs, path), (why) => ctx.stderr(`rm: cannot remove ${shown}: ${why}\n`))) {
      status = 1;
      continue;
    }
    if (opts.flags.has('v')) ctx.stdout(`removed ${shown}\n`);
  }
  return status;
};

/**
 * Removes a directory and everything under it, children first. A symbolic link is removed as
 * a link: nothing is ever deleted through one (a link to `~` inside the tree leaves `~` alone).
 */
export function removeTree(fs: ShellFs, path: string): void {
  if (!isSymlink(fs, path) && fs.isDirectory(path)) for (const name of fs.readdir(path)) removeTree(fs, joinChild(path, name));
  fs.remove(path);
}

/** True for a symbolic link (dangling or not), on filesystems that have them. */
export function isSymlink(fs: ShellFs, path: string): boolean {
  return fs.isSymlink?.(path) ?? false;
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
      ctx.stderr(`touch: cannot touch ${shellQuote(name, 'always')}: No such file or directory\n`);
      status = 1;
      continue;
    }
    fs.writeFile(path, data ?? new Uint8Array(), { executable: statOf(fs, path)?.executable ?? false });
  }
  return status;
};
