/**
 * The containment rules of the one door into an environment: whatever a wheel, a lock or a
 * RECORD file says, a write or a removal happens only inside the environment, never through a
 * link out of it, never over pip's configuration or the environment's own launchers.
 *
 * pip trusts the wheel's paths once they have no `..` and are relative, and trusts RECORD on
 * uninstall inside its prefix; in a browser playground the prefix of the base environment is
 * the filesystem root `/`, which holds the person's home folder and pip's configuration, so
 * Pipette is stricter than pip and says so:
 *
 * - Paths: every target lies in one of the scheme's folders (purelib, platlib, scripts, headers,
 *   data). `data` is the prefix for a virtual environment (a folder of its own); for an
 *   environment whose prefix is `/` (the base interpreter, `--prefix /`) it is only `/share` and
 *   `/etc`, the two places real wheels put data files (`share/jupyter/...`, `etc/jupyter/...`),
 *   so `.data/data/home/pyodide/...` can never reach the home folder.
 * - Never pip's configuration, inside the scheme or not: no file named `pip.conf` or `pip.ini`
 *   (pip reads `<prefix>/pip.conf` as its site configuration), nothing in a `pip` folder of
 *   `.config` or `xdg`, nothing in `.pip`.
 * - Never the environment's own files: `pyvenv.cfg` at its prefix, and in its scripts folder the
 *   interpreter's names (`python`, `python3`, `python3.N`, `pythonw`: uv's reserved script names)
 *   and the activation scripts (`activate`, `activate.*`, `activate_this.py`, `deactivate`).
 * - Script names (console_scripts, gui_scripts) are plain file names.
 * - A wheel writes its own `.dist-info` and nobody else's: at the top level of site-packages
 *   only its `<name>-<version>.dist-info` may appear, and no `.data` folder at all.
 * - Links: every folder on the way to a target, and the target itself, is followed with lstat;
 *   where that leads must still be inside the environment. A removal follows the folders only
 *   (unlinking a link inside the environment is fine; what it points at is never touched).
 */
import { InstallError, InstallErrorCode } from './errors';
import { MAX_SYMLINKS, type FileSystem } from './fs';
import { dirname, followLinks, isWithin, normalizePath } from './posix-path';
import type { InstallScheme } from './scheme';

/** The rules in words, quoted in every refusal so a person learns what holds and why. */
export const Rule = {
  scheme: "every file a wheel writes stays inside the environment's site-packages, bin, include and data folders",
  baseData:
    "every file a wheel writes stays inside the environment's site-packages, bin, include and data folders; for an environment whose prefix is '/', the data folders are /share and /etc only (never the home folder)",
  pipConfig: "a wheel never writes pip's configuration (pip.conf, pip.ini, ~/.config/pip, /etc/xdg/pip)",
  reserved: "a wheel never replaces the environment's own files (pyvenv.cfg, bin/python*, bin/activate*)",
  scriptName: 'a console or GUI script name is a plain file name: not empty, not "." or "..", without "/", "\\" or control characters',
  oneDistInfo: 'a wheel holds exactly one .dist-info directory, named for its project and version',
  foreignDistInfo: "a wheel writes only its own .dist-info: no other .dist-info or .data folder at the top of site-packages",
  symlink: 'nothing is written or removed through a symbolic link that leads out of the environment',
} as const;
export type Rule = (typeof Rule)[keyof typeof Rule];

/** The folders a scheme's files may be written in (data narrowed for a root prefix). */
export function writableRoots(scheme: InstallScheme): string[] {
  const data = normalizePath(scheme.data);
  const dataRoots = data === '/' ? ['/share', '/etc'] : [data];
  return [...new Set([scheme.purelib, scheme.platlib, scheme.scripts, scheme.headers, ...dataRoots].map(normalizePath))];
}

// Control characters (C0, DEL, C1): never part of a file name a person could read or type.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Why `name` cannot be a script's file name, or null. Ex) `../home/pyodide/main.py` -> 'it
 * contains "/"'. Entry point names may hold almost anything (the entry points specification);
 * what becomes a file in bin/ must be one file name.
 */
export function scriptNameProblem(name: string): string | null {
  if (name === '') return 'it is empty';
  if (name === '.' || name === '..') return `it is ${JSON.stringify(name)}`;
  if (name.includes('/')) return 'it contains "/"';
  if (name.includes('\\')) return 'it contains "\\"';
  if (CONTROL.test(name)) return 'it contains a control character';
  return null;
}

/** uv's reserved script names and the activation scripts of a venv's bin/. */
function isReservedScript(name: string): boolean {
  return /^python(?:w|3|3\.\d+)?$/.test(name) || name === 'activate' || name.startsWith('activate.') || name === 'activate_this.py' || name === 'deactivate';
}

/** Whether `path` is one of pip's configuration files or folders (see configuration.ts). */
function isPipConfig(path: string): boolean {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  if (name === 'pip.conf' || name === 'pip.ini') return true;
  for (let i = 1; i < parts.length - 1; i++) {
    if (parts[i] === '.pip') return true;
    if (parts[i] === 'pip' && (parts[i - 1] === '.config' || parts[i - 1] === 'xdg')) return true;
  }
  return false;
}

/** A refusal: which wheel (or distribution), which entry, which rule. */
export interface Violation {
  readonly rule: Rule;
  /** What is wrong with the entry, in words. Ex) `it would be written to /home/pyodide/main.py`. */
  readonly problem: string;
}

/**
 * Why a write to `target` is not allowed in `scheme`, or null. `distInfo` is the installing
 * wheel's own `.dist-info` name (null when not installing a wheel).
 */
export function targetViolation(scheme: InstallScheme, target: string, distInfo: string | null): Violation | null {
  const path = normalizePath(target);
  if (isPipConfig(path)) return { rule: Rule.pipConfig, problem: `it would write ${path}, which is pip's configuration` };
  const roots = writableRoots(scheme);
  if (!roots.some((root) => isWithin(path, root))) {
    const rule = normalizePath(scheme.data) === '/' ? Rule.baseData : Rule.scheme;
    return { rule, problem: `it would be written to ${path}, outside the environment (${roots.join(', ')})` };
  }
  if (normalizePath(scheme.data) !== '/' && path === `${normalizePath(scheme.data)}/pyvenv.cfg`) {
    return { rule: Rule.reserved, problem: `it would replace the environment's ${path}` };
  }
  if (dirname(path) === normalizePath(scheme.scripts) && isReservedScript(path.slice(path.lastIndexOf('/') + 1))) {
    return { rule: Rule.reserved, problem: `it would replace the environment's ${path}` };
  }
  for (const lib of new Set([normalizePath(scheme.purelib), normalizePath(scheme.platlib)])) {
    if (!isWithin(path, lib) || path === lib) continue;
    const top = path.slice(lib.length + 1).split('/')[0]!;
    if (top.endsWith('.data') || (top.endsWith('.dist-info') && top !== distInfo)) {
      return { rule: Rule.foreignDistInfo, problem: `it would write into ${lib}/${top}${distInfo ? `, which is not its own ${distInfo}` : ''}` };
    }
  }
  return null;
}

/**
 * Where `path` really is once every link on the way is followed, as realpath(3) would say,
 * without needing the path to exist. Null for a loop (more than MAX_SYMLINKS links).
 * `cache` remembers resolved folders for the run of one plan.
 */
export function realPath(fs: Pick<FileSystem, 'lstat' | 'readlink'>, path: string, cache?: Map<string, string | null>): string | null {
  return followLinks(path, (here) => (fs.lstat(here)?.kind === 'symlink' ? (fs.readlink(here) ?? '') : null), MAX_SYMLINKS, cache);
}

/**
 * Why writing (or, with `removal`, unlinking) `target` would go through a link out of the
 * environment, or null. Links above a scheme folder are the system's layout and are followed (a
 * venv reached through a link of the person's own is still that venv); a scheme folder itself,
 * and everything inside it, must not lead anywhere but into the scheme's folders: `/bin ->
 * /home/pyodide` makes every script a file of the home folder, and is refused.
 */
export function linkViolation(fs: Pick<FileSystem, 'lstat' | 'readlink'>, within: InstallScheme | readonly string[], target: string, options: { removal?: boolean; cache?: Map<string, string | null> } = {}): Violation | null {
  const path = normalizePath(target);
  const parent = realPath(fs, dirname(path), options.cache);
  const name = path.slice(path.lastIndexOf('/') + 1);
  let real = parent === null ? null : parent === '/' ? `/${name}` : `${parent}/${name}`;
  if (real !== null && !options.removal && fs.lstat(real)?.kind === 'symlink') real = realPath(fs, real, options.cache);
  if (real === null) return { rule: Rule.symlink, problem: `${path} goes through a loop of symbolic links` };
  if (real === path) return null;
  const roots = ('purelib' in within ? writableRoots(within) : within).map((root) => {
    const above = realPath(fs, dirname(root), options.cache) ?? dirname(root);
    return `${above === '/' ? '' : above}/${root.slice(root.lastIndexOf('/') + 1)}`;
  });
  if (roots.some((root) => isWithin(real, root)) && !isPipConfig(real)) return null;
  return { rule: Rule.symlink, problem: `${path} leads through a symbolic link to ${real}, outside the environment` };
}

const CODES: ReadonlyMap<string, InstallErrorCode> = new Map([
  [Rule.scriptName, InstallErrorCode.UnsafeScriptName],
  [Rule.oneDistInfo, InstallErrorCode.DistInfoMismatch],
  [Rule.foreignDistInfo, InstallErrorCode.ForeignDistInfo],
  [Rule.symlink, InstallErrorCode.SymlinkEscape],
]);

/** An InstallError for a wheel's entry that breaks a rule; the message names all three. */
export function containmentError(subject: string, entry: string, violation: Violation): InstallError {
  const code = CODES.get(violation.rule) ?? InstallErrorCode.OutsideEnvironment;
  return new InstallError(code, subject, `Refusing to install ${subject}: its entry ${JSON.stringify(entry)} breaks a rule: ${violation.problem}. Rule: ${violation.rule}.`);
}
