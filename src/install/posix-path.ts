/**
 * POSIX path arithmetic, as Python's `os.path` does it, for every layer above (pip, the shell,
 * the runtime): paths handed to a filesystem are absolute and normalized.
 * Ex) resolvePath('/home/pyodide', '../x/./venv/') -> '/home/x/venv'
 */

/** `os.path.normpath` of an absolute path: no `.`, `..`, `//` or trailing `/`. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/** `os.path.abspath(os.path.join(cwd, path))`. */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

/** Ex) dirname('/home/u/a.txt') -> '/home/u'; dirname('/a') -> '/' */
export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Ex) basename('/home/u/a.txt') -> 'a.txt'; basename('dir/') -> 'dir' */
export function basename(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

/** Whether `path` is `dir` or inside it. */
export function isWithin(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/**
 * `path` with every symbolic link on the way followed, as realpath(3) does, the path need not
 * exist. `linkAt(p)` says what the link at `p` (a path whose folders are already resolved)
 * holds, or null when `p` is no link. Null for a loop: more than `maxLinks` links followed
 * (Linux's MAXSYMLINKS is 40). `cache` remembers resolved prefixes across calls.
 * Ex) with /a/b -> ../c: '/a/b/x' -> '/c/x'
 */
export function followLinks(path: string, linkAt: (path: string) => string | null, maxLinks: number, cache?: Map<string, string | null>): string | null {
  let todo = path.split('/').filter((p) => p !== '' && p !== '.');
  let done: string[] = [];
  let hops = 0;
  while (todo.length > 0) {
    const part = todo.shift()!;
    if (part === '..') {
      done.pop();
      continue;
    }
    const here = `/${[...done, part].join('/')}`;
    const cached = cache?.get(here);
    if (cached !== undefined) {
      if (cached === null) return null;
      done = cached.split('/').filter(Boolean);
      continue;
    }
    const target = linkAt(here);
    if (target === null) {
      // No link here: what resolves to `here` stays `here` (the installer makes folders, never links).
      cache?.set(here, here);
      done.push(part);
      continue;
    }
    if (++hops > maxLinks) return null;
    todo = [...target.split('/').filter((p) => p !== '' && p !== '.'), ...todo];
    if (target.startsWith('/')) done = [];
  }
  return `/${done.join('/')}`;
}
