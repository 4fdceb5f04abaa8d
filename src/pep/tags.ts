/**
 * Platform compatibility tags (PEP 425) and the ranked list of tags a Pyodide build accepts.
 *
 * A tag is `interpreter-abi-platform`, e.g. `cp314-abi3-pyemscripten_2026_0_wasm32`. A wheel
 * file name carries a *compressed tag set* where each component may list alternatives joined
 * by dots (`py2.py3-none-any` = `py2-none-any` and `py3-none-any`).
 *
 * The supported list mirrors `packaging.tags.sys_tags()` run inside Pyodide: `cpython_tags()`
 * then `compatible_tags()` (pypa/packaging `src/packaging/tags.py`), with Pyodide's platforms
 * `pyemscripten_<abi>_<arch>` (PEP 783) and `emscripten_<x_y_z>_<arch>`, plus the older
 * `pyodide_<abi>_<arch>` spelling that PyPI still carries, ranked right after the PEP 783 one.
 */
import { PepError } from './error';

/** One tag triple; components are lower case, as packaging's `Tag` stores them. */
export interface Tag {
  readonly interpreter: string;
  readonly abi: string;
  readonly platform: string;
}

/** Raised for a tag string that is not `interpreter-abi-platform` with non-empty parts. */
export class InvalidTag extends PepError<'invalid-tag'> {
  override readonly name = 'InvalidTag';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-tag', reason, input, span);
  }
}

/** `cp314-abi3-pyemscripten_2026_0_wasm32` */
export function tagToString(t: Tag): string {
  return `${t.interpreter}-${t.abi}-${t.platform}`;
}

// Python's str.isidentifier(): an XID_Start (or `_`) then XID_Continue characters.
const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/**
 * Parse a (possibly compressed) tag set into every tag it stands for, in
 * interpreter x abi x platform order, duplicates dropped.
 *
 * Grammar (PEP 425, packaging `parse_tag`):
 *   tagset    = component '-' component '-' component
 *   component = part ('.' part)*      ; every part non-empty
 * and each interpreter part must be a Python identifier. Components are lower-cased.
 *
 * Ex) `py2.py3-none-any` -> py2-none-any, py3-none-any
 */
export function parseTag(s: string): Tag[] {
  const components = s.split('-');
  let offset = 0;
  const parts: string[][] = [];
  for (const component of components) {
    const pieces = component.split('.');
    if (pieces.includes('')) {
      throw new InvalidTag(`Tag '${s}' has an empty component: '${component}'`, s, {
        start: offset,
        end: offset + Math.max(component.length, 1),
      });
    }
    parts.push(pieces);
    offset += component.length + 1;
  }
  const [interpreters, abis, platforms] = parts;
  if (parts.length !== 3 || !interpreters || !abis || !platforms) {
    throw new InvalidTag(`Tag '${s}' must have exactly three components`, s);
  }
  let start = 0;
  for (const interpreter of interpreters) {
    if (!IDENTIFIER.test(interpreter)) {
      throw new InvalidTag(`Tag '${s}' has an invalid interpreter: '${interpreter}'`, s, {
        start,
        end: start + interpreter.length,
      });
    }
    start += interpreter.length + 1;
  }
  const seen = new Set<string>();
  const tags: Tag[] = [];
  for (const interpreter of interpreters) {
    for (const abi of abis) {
      for (const platform of platforms) {
        const tag = { interpreter: interpreter.toLowerCase(), abi: abi.toLowerCase(), platform: platform.toLowerCase() };
        const key = tagToString(tag);
        if (!seen.has(key)) {
          seen.add(key);
          tags.push(tag);
        }
      }
    }
  }
  return tags;
}

/**
 * The `info` table of a Pyodide `pyodide-lock.json`.
 * Ex) {"abi_version":"2026_0","arch":"wasm32","platform":"emscripten_5_0_3","python":"3.14.2"}
 */
export interface PyodideLockInfo {
  readonly abi_version: string;
  readonly platform: string;
  readonly python: string;
  readonly arch?: string;
}

/** Python (major, minor) from a version such as `3.14.2`; throws InvalidTag when unreadable. */
function pythonVersion(python: string): readonly [number, number] {
  const m = /^(\d+)\.(\d+)/.exec(python.trim());
  if (!m) {
    throw new InvalidTag(
      `Cannot read a Python version from the lock file's info.python: '${python}' (expected e.g. '3.14.2')`,
      python,
    );
  }
  return [Number(m[1]), Number(m[2])];
}

// packaging `_normalize_string`: `.`, `-` and spaces become `_`.
function normalizePlatform(s: string): string {
  return s.replace(/[.\- ]/g, '_').toLowerCase();
}

/**
 * The platform tags of a Pyodide build, best first (packaging `_emscripten_platforms`):
 * `pyemscripten_<abi>_<arch>`, then the older `pyodide_<abi>_<arch>` spelling, then the
 * generic `emscripten_<version>_<arch>` from sysconfig's platform.
 */
export function pyodidePlatforms(info: PyodideLockInfo): string[] {
  const arch = normalizePlatform(info.arch ?? 'wasm32');
  const platforms: string[] = [];
  const abi = normalizePlatform(info.abi_version ?? '');
  if (abi) platforms.push(`pyemscripten_${abi}_${arch}`, `pyodide_${abi}_${arch}`);
  const generic = normalizePlatform(info.platform);
  platforms.push(generic.endsWith(`_${arch}`) ? generic : `${generic}_${arch}`);
  return platforms;
}

/**
 * The build's own platform tag, the best of `pyodidePlatforms` (`pyemscripten_2026_0_wasm32`):
 * what a lock records as the platform it was made on (PEP 751 `environments`, share links).
 */
export function bestPlatform(info: PyodideLockInfo): string {
  return pyodidePlatforms(info)[0]!;
}

/**
 * Every tag the Pyodide build described by `info` installs, best first: the index of a tag
 * is its rank (packaging `sys_tags()` for CPython = `cpython_tags()` + `compatible_tags()`).
 *
 * For Python 3.14 on platforms P (in order):
 *   cp314-cp314-P, cp314-abi3-P, cp314-none-P, cp313-abi3-P ... cp32-abi3-P,
 *   py314-none-P, py3-none-P, py313-none-P ... py30-none-P,
 *   cp314-none-any, py314-none-any, py3-none-any, py313-none-any ... py30-none-any
 * Pyodide is a release build without free-threading, so the ABI is plain `cp3X`
 * (no `d`/`t` flags; `m` only existed before 3.8, which Pyodide never shipped).
 */
export function supportedTags(info: PyodideLockInfo): string[] {
  const [major, minor] = pythonVersion(info.python);
  const platforms = pyodidePlatforms(info);
  const nodot = (mi: number): string => `${major}${mi}`;
  const interpreter = `cp${nodot(minor)}`;
  const out: string[] = [];
  const add = (i: string, a: string, p: string): void => {
    out.push(`${i}-${a}-${p}`);
  };

  // cpython_tags(): the interpreter's own ABI, the stable ABI, no ABI, then older stable ABIs.
  const useAbi3 = major > 3 || (major === 3 && minor >= 2);
  for (const p of platforms) add(interpreter, interpreter, p);
  if (useAbi3) for (const p of platforms) add(interpreter, 'abi3', p);
  for (const p of platforms) add(interpreter, 'none', p);
  if (useAbi3) {
    for (let mi = minor - 1; mi > 1; mi--) for (const p of platforms) add(`cp${nodot(mi)}`, 'abi3', p);
  }

  // compatible_tags(): py<ver>-none-<platform> for the interpreter range, then `-any`.
  const pyRange = [`py${nodot(minor)}`, `py${major}`];
  for (let mi = minor - 1; mi >= 0; mi--) pyRange.push(`py${nodot(mi)}`);
  for (const py of pyRange) for (const p of platforms) add(py, 'none', p);
  add(interpreter, 'none', 'any');
  for (const py of pyRange) add(py, 'none', 'any');

  // packaging drops duplicates when ranking (first occurrence wins); so do we.
  return [...new Set(out)];
}
