import { compileWildcard } from '../pep';
import type { ShellFs } from './host';
import { joinChild, resolvePath } from './path';

/**
 * Pathname expansion (XCU 2.13): `*`, `?` and `[...]` in a word match names on the filesystem.
 * The pattern marks quoted characters with a backslash (`"*".txt` arrives as `\*.txt`), so only
 * unquoted ones are wild. Returns the matches as written (relative stays relative), sorted; []
 * when nothing matches (the caller keeps the word, as bash does without nullglob).
 * Ex) globPaths('src/*.py', '/home/u', fs) -> ['src/a.py', 'src/b.py']
 */
export function globPaths(pattern: string, cwd: string, fs: ShellFs): string[] {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/');
  const dirOnly = segments.length > 1 && segments[segments.length - 1] === '';
  const parts = segments.filter((s) => s !== '');
  let found: { shown: string | null; path: string }[] = [{ shown: absolute ? '' : null, path: absolute ? '/' : cwd }];
  for (const part of parts) {
    const next: { shown: string | null; path: string }[] = [];
    const matcher = segmentMatcher(part);
    for (const { shown, path } of found) {
      const names = matcher ? fs.readdir(path).filter(matcher) : [unescapeGlob(part)];
      for (const name of names) {
        const child = joinChild(path, name);
        if (!matcher && !fs.exists(child)) continue;
        next.push({ shown: shown === null ? name : `${shown}/${name}`, path: child });
      }
    }
    found = next;
  }
  return found
    .filter(({ path }) => !dirOnly || fs.isDirectory(resolvePath(cwd, path)))
    .map(({ shown }) => `${shown ?? ''}${dirOnly ? '/' : ''}`)
    .sort();
}

/** True when the (escaped) pattern has an unquoted `*`, `?` or `[`. */
export function hasGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Marks every glob-special character of literal text as quoted. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

function unescapeGlob(pattern: string): string {
  return pattern.replace(/\\(.)/g, '$1');
}

/**
 * A name test for one path segment, or null when the segment has nothing wild. Matched by
 * pep's wildcard matcher, never a RegExp: a backtracking `.*` per star made `*a*a*…*b` take
 * minutes.
 */
function segmentMatcher(segment: string): ((name: string) => boolean) | null {
  if (!hasGlob(segment)) return null;
  const pattern = compileWildcard(segment, 'shell');
  // A leading dot must be matched literally (`*` does not list hidden files).
  const dotOk = segment.startsWith('.') || segment.startsWith('\\.');
  return (name) => (dotOk || !name.startsWith('.')) && pattern.test(name);
}
