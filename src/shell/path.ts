/**
 * POSIX path arithmetic for the shell: every path the shell hands to the filesystem is absolute
 * and normalized, so the filesystem never sees `.`, `..` or `//`.
 */

/** Ex) normalizePath('/home/u/./a/../b//c/') -> '/home/u/b/c' */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') out.pop();
    else out.push(segment);
  }
  return `/${out.join('/')}`;
}

/** Ex) resolvePath('/home/u', '../v/x.txt') -> '/home/v/x.txt' */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}

/** Ex) parentOf('/home/u/a.txt') -> '/home/u'; parentOf('/') -> '/' */
export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** Ex) baseName('/home/u/a.txt') -> 'a.txt'; baseName('dir/') -> 'dir' */
export function baseName(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || trimmed;
}

/** Joins a directory and a name without doubling the slash. Ex) joinChild('/', 'a') -> '/a' */
export function joinChild(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The prompt's spelling of a directory: HOME and below as `~`. Ex) ('/home/u/p', '/home/u') -> '~/p' */
export function tildePath(path: string, home: string): string {
  if (home !== '/' && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
  return path;
}
