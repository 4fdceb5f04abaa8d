/**
 * POSIX path arithmetic for the shell: every path the shell hands to the filesystem is absolute
 * and normalized, so the filesystem never sees `.`, `..` or `//`.
 */

export { normalizePath, resolvePath, dirname as parentOf, basename as baseName } from '../install';


/** Joins a directory and a name without doubling the slash. Ex) joinChild('/', 'a') -> '/a' */
export function joinChild(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/** The prompt's spelling of a directory: HOME and below as `~`. Ex) ('/home/u/p', '/home/u') -> '~/p' */
export function tildePath(path: string, home: string): string {
  if (home !== '/' && (path === home || path.startsWith(`${home}/`))) return `~${path.slice(home.length)}`;
  return path;
}
