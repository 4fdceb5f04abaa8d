/**
 * Real PyPI wheels for benchmarks, served as an index without copying them: the wheels this
 * machine carries (read-only, PEP 503 pages beside them; `pip config list` names the folders)
 * are linked (symlinks) into a temporary folder that src/cli/wheelhouse.ts serves. Only the
 * projects a benchmark can reach are linked (every file of each, so resolvers see every version
 * there is): opening the whole 7 GB would have the wheelhouse hash every byte of it first.
 *
 * Reach: from the requested names, every Requires-Dist of every file of a reached project whose
 * marker does not name an extra (markers are not evaluated: more is linked than installed,
 * never less).
 *
 * Two projects flask and requests need have only CPython x86-64 builds here, none Pyodide can
 * install, where PyPI also has a way that works in Pyodide: MarkupSafe falls back to its
 * pure-Python `_native` module when its `_speedups` extension is missing, and charset-normalizer's
 * compiled `md`/`cd` are mypyc builds of the `md.py`/`cd.py` beside them (PyPI carries its
 * py3-none-any wheel too). For those (PURE_FALLBACK) a py3-none-any wheel is added to the
 * temporary folder: the same files without the compiled modules, WHEEL and RECORD rewritten.
 * Every tool under test installs the same repacked file; nothing is committed.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, strToU8, unzipSync } from 'fflate';
import { recordHash } from '../test/fixtures/wheel-builder';
import { makeZip } from '../test/fixtures/zip';

/** Projects whose compiled modules have a pure-Python fallback in the same wheel (see above). */
const PURE_FALLBACK = new Set(['markupsafe', 'charset-normalizer']);

/** Where the wheels are: PIPETTE_PYPI_FILES (colon-separated), else this machine image's folders. */
export function pypiFolders(): string[] {
  const given = process.env.PIPETTE_PYPI_FILES;
  const folders = given ? given.split(':').filter(Boolean) : ['/opt/pypi/files', '/opt/pypi-more/files'];
  return folders.map((f) => resolve(f)).filter((f) => existsSync(f));
}

const normalize = (name: string): string => name.toLowerCase().replace(/[-_.]+/g, '-');

export interface LinkedWheelhouse {
  readonly dir: string;
  /** Projects reached and linked, normalized. */
  readonly projects: readonly string[];
  /** Requested or required names no folder has a wheel for. */
  readonly missing: readonly string[];
  /** py3-none-any wheels repacked from CPython builds (PURE_FALLBACK), by file name. */
  readonly repacked: readonly string[];
  readonly files: number;
  remove(): void;
}

/** Requires-Dist names of a wheel's METADATA, leaving out those only an extra asks for. */
function requiredNames(path: string): string[] {
  const entries = unzipSync(new Uint8Array(readFileSync(path)), { filter: (f) => /^[^/]+\.dist-info\/METADATA$/.test(f.name) });
  const metadata = Object.values(entries)[0];
  if (!metadata) return [];
  const names: string[] = [];
  for (const line of strFromU8(metadata).split(/\r?\n/)) {
    if (line === '') break;
    const m = /^Requires-Dist:\s*([A-Za-z0-9][A-Za-z0-9._-]*)(.*)$/i.exec(line);
    if (!m) continue;
    const marker = m[2]!.includes(';') ? m[2]!.slice(m[2]!.indexOf(';') + 1) : '';
    if (/\bextra\b/.test(marker)) continue;
    names.push(normalize(m[1]!));
  }
  return names;
}

/** Links every wheel of the projects reachable from `roots` into a new temporary folder. */
export function linkReachableWheels(roots: readonly string[], folders: readonly string[] = pypiFolders()): LinkedWheelhouse {
  const byProject = new Map<string, string[]>();
  for (const folder of folders) {
    for (const file of readdirSync(folder)) {
      if (!file.endsWith('.whl')) continue;
      const project = normalize(file.split('-')[0]!);
      byProject.set(project, [...(byProject.get(project) ?? []), join(folder, file)]);
    }
  }
  const reached = new Set<string>();
  const missing = new Set<string>();
  const queue = roots.map(normalize);
  while (queue.length > 0) {
    const project = queue.shift()!;
    if (reached.has(project) || missing.has(project)) continue;
    const files = byProject.get(project);
    if (!files) {
      missing.add(project);
      continue;
    }
    reached.add(project);
    for (const file of files) queue.push(...requiredNames(file));
  }
  const dir = mkdtempSync(join(tmpdir(), 'pipette-pypi-wheelhouse-'));
  let count = 0;
  const seen = new Set<string>();
  const repacked: string[] = [];
  for (const project of reached) {
    const files = byProject.get(project)!;
    for (const path of files) {
      const name = path.slice(path.lastIndexOf('/') + 1);
      if (seen.has(name)) continue; // the same file in two folders
      seen.add(name);
      symlinkSync(path, join(dir, name));
      count++;
    }
    if (PURE_FALLBACK.has(project) && !files.some((f) => f.endsWith('-none-any.whl'))) {
      for (const path of files.filter((f) => /-cp3\d+-cp3\d+-manylinux[^/]*x86_64\.whl$/.test(f))) {
        const pure = repackPure(path);
        if (seen.has(pure.filename)) continue;
        seen.add(pure.filename);
        writeFileSync(join(dir, pure.filename), pure.bytes);
        repacked.push(pure.filename);
        count++;
      }
    }
  }
  return {
    dir,
    projects: [...reached].sort(),
    missing: [...missing].sort(),
    repacked,
    files: count,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The py3-none-any wheel of a CPython build whose compiled modules have pure-Python twins: the
 * same entries minus extension modules and their C sources, WHEEL saying purelib and
 * py3-none-any, RECORD rewritten for what is left.
 */
function repackPure(path: string): { filename: string; bytes: Uint8Array } {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const [dist, version] = name.split('-') as [string, string];
  const entries = Object.entries(unzipSync(new Uint8Array(readFileSync(path)))).filter(([p]) => !p.endsWith('/') && !/\.(so|pyd|c)$/.test(p));
  const distInfo = `${dist}-${version}.dist-info`;
  const kept: [string, Uint8Array][] = [];
  for (const [p, data] of entries) {
    if (p === `${distInfo}/RECORD`) continue;
    if (p === `${distInfo}/WHEEL`) {
      const wheel = strFromU8(data)
        .split(/\r?\n/)
        .filter((l) => l !== '' && !l.startsWith('Tag:') && !l.startsWith('Root-Is-Purelib:'));
      kept.push([p, strToU8([...wheel, 'Root-Is-Purelib: true', 'Tag: py3-none-any', '', ''].join('\n'))]);
    } else {
      kept.push([p, data]);
    }
  }
  const record = [...kept.map(([p, data]) => `${p},${recordHash(data)},${data.length}`), `${distInfo}/RECORD,,`, ''].join('\n');
  kept.push([`${distInfo}/RECORD`, strToU8(record)]);
  return { filename: `${dist}-${version}-py3-none-any.whl`, bytes: makeZip(kept) };
}
