/**
 * micropip built from its source, for bench/micropip.bench.ts: pyodide/micropip with the
 * pypa/packaging it vendors as a git submodule (micropip/_vendored/packaging, at the commit the
 * submodule pins), assembled into a py3-none-any wheel (METADATA, WHEEL, RECORD) by
 * test/fixtures/wheel-builder.ts, in memory. Hatchling (micropip's backend) is not needed: the
 * wheel holds what hatchling's would, the `micropip/` folder with the vendored packaging's
 * `src/` and licences (what micropip's sdist keeps of it) and hatch-vcs's `_version.py`.
 *
 * The sources are not in this repository and are not fetched at bench time (CI has no network).
 * Provide them as
 *
 *   MICROPIP_SRC=DIR   a clone of https://github.com/pyodide/micropip: its git directory (bare
 *                      or `.git`) or its work tree (with the submodule checked out, or not);
 *   PACKAGING_SRC=DIR  a clone of https://github.com/pypa/packaging holding the pinned commit,
 *                      when MICROPIP_SRC has no checked-out submodule.
 *
 * e.g. `git clone --recurse-submodules https://github.com/pyodide/micropip /tmp/micropip` and
 * `MICROPIP_SRC=/tmp/micropip npm run bench`. Without them, the snapshots the search tool's
 * `fetch` leaves beside the worktrees (`../.mirror/pyodide+micropip/repo`,
 * `../.mirror/pypa+packaging/repo`) are used when present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { strToU8, unzipSync } from 'fflate';
import { buildWheel, type BuiltDist } from '../test/fixtures/wheel-builder';

const repoRoot = resolve(import.meta.dirname, '..');
const SUBMODULE = 'micropip/_vendored/packaging';

export interface MicropipBuild {
  readonly wheel: BuiltDist;
  /** Where it came from, for the bench's header: micropip's commit and describe, packaging's commit. */
  readonly provenance: string;
}

export class MissingSources extends Error {
  override readonly name = 'MissingSources';
}

function git(dir: { gitDir?: string; workTree?: string }, args: string[]): Buffer | null {
  const where = dir.gitDir ? ['--git-dir', dir.gitDir] : ['-C', dir.workTree!];
  const run = spawnSync('git', [...where, ...args], { maxBuffer: 256 * 1024 * 1024 });
  return run.status === 0 ? run.stdout : null;
}

const isGitDir = (p: string): boolean => existsSync(join(p, 'HEAD')) && existsSync(join(p, 'objects'));

/** A clone as a git directory, or a work tree (which may be a git checkout too). */
function locate(envName: string, fallback: string): { gitDir?: string; workTree?: string; from: string } | null {
  const given = process.env[envName];
  const path = given ? resolve(given) : resolve(repoRoot, fallback);
  if (!existsSync(path)) {
    if (given) throw new MissingSources(`${envName}=${given} does not exist. ${howTo}`);
    return null;
  }
  if (isGitDir(path)) return { gitDir: path, from: path };
  if (isGitDir(join(path, '.git'))) return { gitDir: join(path, '.git'), workTree: path, from: path };
  return { workTree: path, from: path };
}

/** Files under `dir` (relative paths, `/`), read from disk. */
function readTree(dir: string, prefix: string, skip: (rel: string) => boolean): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, e.name);
      const rel = relative(dir, full).split('\\').join('/');
      if (skip(rel) || e.name === '__pycache__' || e.name === '.git') continue;
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) out.set(`${prefix}${rel}`, new Uint8Array(readFileSync(full)));
    }
  };
  walk(dir);
  return out;
}

/** `paths` of `rev` from a git directory, as `prefix + path`. */
function archive(gitDir: string, rev: string, paths: string[], prefix: string): Map<string, Uint8Array> | null {
  const zip = git({ gitDir }, ['archive', '--format=zip', rev, ...paths]);
  if (!zip) return null;
  const out = new Map<string, Uint8Array>();
  for (const [path, data] of Object.entries(unzipSync(new Uint8Array(zip)))) {
    if (!path.endsWith('/')) out.set(`${prefix}${path}`, data);
  }
  return out;
}

/** What micropip's sdist keeps of the vendored packaging (pyproject.toml's excludes): src/ and the licences. */
const PACKAGING_PATHS = ['src/packaging', 'LICENSE', 'LICENSE.APACHE', 'LICENSE.BSD'];
const keepPackaging = (rel: string): boolean => rel === 'src' || rel.startsWith('src/packaging') || /^LICENSE(\.\w+)?$/.test(rel);

/** hatch-vcs's default (setuptools-scm guess-next-dev): `0.11.1-10-g75ec72b` -> `0.11.2.dev10+g75ec72b`. */
export function vcsVersion(describe: string | null, commit: string): string {
  const m = describe ? /^v?(\d+(?:\.\d+)*)-(\d+)-g([0-9a-f]+)$/.exec(describe.trim()) : null;
  if (!m) return /^[0-9a-f]{7,}$/.test(commit) ? `0+g${commit.slice(0, 7)}` : '0+local';
  if (m[2] === '0') return m[1]!;
  const parts = m[1]!.split('.').map(Number);
  parts[parts.length - 1]! += 1;
  return `${parts.join('.')}.dev${m[2]}+g${m[3]}`;
}

const howTo =
  'Provide the sources: MICROPIP_SRC=<clone of https://github.com/pyodide/micropip> ' +
  '(e.g. git clone --recurse-submodules https://github.com/pyodide/micropip), and PACKAGING_SRC=<clone of https://github.com/pypa/packaging> ' +
  'when its micropip/_vendored/packaging submodule is not checked out. See bench/micropip-wheel.ts.';

/** Builds the wheel, or throws MissingSources saying what to provide. */
export function buildMicropipWheel(): MicropipBuild {
  const micropip = locate('MICROPIP_SRC', '../.mirror/pyodide+micropip/repo');
  if (!micropip) throw new MissingSources(`micropip's source is not on this machine. ${howTo}`);

  const files = new Map<string, Uint8Array>();
  let commit = 'unknown';
  let describe: string | null = null;
  let pinned: string | null = null;
  if (micropip.gitDir) {
    commit = git(micropip, ['rev-parse', 'HEAD'])?.toString().trim() ?? commit;
    describe = git(micropip, ['describe', '--tags', '--long', 'HEAD'])?.toString().trim() ?? null;
    // The gitlink: `160000 commit <sha>\tmicropip/_vendored/packaging`.
    pinned = /^160000 commit ([0-9a-f]{40})\t/.exec(git(micropip, ['ls-tree', 'HEAD', SUBMODULE])?.toString() ?? '')?.[1] ?? null;
  }
  if (micropip.workTree) {
    if (!existsSync(join(micropip.workTree, 'micropip', '__init__.py'))) throw new MissingSources(`${micropip.from} has no micropip/__init__.py: not a micropip work tree. ${howTo}`);
    for (const [p, d] of readTree(join(micropip.workTree, 'micropip'), 'micropip/', (rel) => rel === '_vendored/packaging' || rel === '_version.py')) files.set(p, d);
  } else {
    const tree = archive(micropip.gitDir!, 'HEAD', ['micropip'], '');
    if (!tree) throw new MissingSources(`git archive of micropip/ failed in ${micropip.from}. ${howTo}`);
    for (const [p, d] of tree) files.set(p, d);
  }
  if (!files.has('micropip/__init__.py')) throw new MissingSources(`${micropip.from} holds no micropip/__init__.py. ${howTo}`);

  // The vendored packaging: a checked-out submodule, else pypa/packaging at the pinned commit.
  const checkedOut = micropip.workTree ? join(micropip.workTree, SUBMODULE) : null;
  let packagingFrom: string;
  if (checkedOut && existsSync(join(checkedOut, 'src', 'packaging', '__init__.py'))) {
    for (const [p, d] of readTree(checkedOut, `${SUBMODULE}/`, (rel) => !keepPackaging(rel))) files.set(p, d);
    packagingFrom = `${SUBMODULE} (checked out)`;
  } else {
    const packaging = locate('PACKAGING_SRC', '../.mirror/pypa+packaging/repo');
    if (!packaging?.gitDir) throw new MissingSources(`micropip vendors pypa/packaging${pinned ? ` at ${pinned}` : ''} (a git submodule) and it is not checked out. ${howTo}`);
    if (!pinned) throw new MissingSources(`cannot tell which pypa/packaging commit ${micropip.from} pins (no gitlink at ${SUBMODULE}). ${howTo}`);
    const tree = archive(packaging.gitDir, pinned, PACKAGING_PATHS, `${SUBMODULE}/`);
    if (!tree) throw new MissingSources(`${packaging.from} does not hold pypa/packaging commit ${pinned}, the one micropip pins. Fetch it there (git fetch origin ${pinned}). ${howTo}`);
    for (const [p, d] of tree) files.set(p, d);
    packagingFrom = `pypa/packaging ${pinned.slice(0, 12)}`;
  }
  if (![...files.keys()].some((p) => p.startsWith(`${SUBMODULE}/src/packaging/`))) throw new MissingSources(`no packaging sources found for ${SUBMODULE}. ${howTo}`);

  const version = vcsVersion(describe, commit);
  files.set('micropip/_version.py', strToU8(`# file generated by bench/micropip-wheel.ts, as hatch-vcs writes it\n__version__ = version = ${JSON.stringify(version)}\n`));
  const wheel = buildWheel({
    name: 'micropip',
    version,
    requiresPython: '>=3.13',
    summary: 'A lightweight Python package installer for the web',
    license: 'MPL-2.0',
    files: Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  return { wheel, provenance: `micropip ${version} (pyodide/micropip ${commit.slice(0, 12)}${describe ? `, ${describe}` : ''}) with ${packagingFrom}, ${files.size} files, from ${micropip.from}` };
}

/** The micropip Pyodide's own distribution lists (its lock), for the bench's note; null when none. */
export function bundledMicropip(): { version: string; fileName: string; shipped: boolean } | null {
  const dir = resolve(repoRoot, 'node_modules/pyodide');
  const lock = JSON.parse(readFileSync(join(dir, 'pyodide-lock.json'), 'utf8')) as { packages: Record<string, { version: string; file_name: string }> };
  const entry = lock.packages['micropip'];
  if (!entry) return null;
  const path = join(dir, entry.file_name);
  return { version: entry.version, fileName: entry.file_name, shipped: existsSync(path) && statSync(path).isFile() };
}
