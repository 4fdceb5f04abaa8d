import { describeOsError, type Requirement, type SpecifierSet, sha256, toHex } from '../pep';
import { InstallError, InstallErrorCode } from './errors';
import { consoleScriptLauncher, parseEntryPoints } from './entry-points';
import { containmentError, linkViolation, Rule, scriptNameProblem, targetViolation } from './containment';
import type { FileSystem } from './fs';
import { JournalFs } from './journal-fs';
import { recordHash, writeRecord, type RecordEntry } from './record';
import type { InstallScheme } from './scheme';
import { openWheel, type WheelArchive } from './wheel-archive';
import { dirname } from './posix-path';
import { cacheFromSource, isUncheckedHashPyc, MAX_COMPILED_SOURCE_BYTES, type BytecodeCompiler, type CompiledWheel, type ModuleSource } from './bytecode';

export interface InstallOptions {
  /** The sha256 the index or lock promised; checked before anything is opened or written. */
  readonly expectedSha256?: string | null;
  /** Writes REQUESTED: the person asked for this distribution by name (PEP 376). */
  readonly requested: boolean;
  /**
   * For URL installs: written as direct_url.json (PEP 610). `record` is the whole record when the
   * caller has one (a wheel built from a folder, repository or sdist: `dir_info`, `vcs_info`,
   * `archive_info` of the source); else an `archive_info` with the wheel's hash is written.
   */
  readonly directUrl?: { readonly url: string; readonly record?: object } | null;
  /** INSTALLER contents (PEP 376). */
  readonly installer?: string;
  readonly maxUncompressedBytes?: number;
  /**
   * The dependencies the resolver read for this file elsewhere (the index's PEP 658
   * `.metadata` file): the wheel's own METADATA must say the same, or what was resolved is not
   * what would be installed. Checked before anything is written.
   */
  readonly expectedMetadata?: ExpectedMetadata | null;
  /**
   * Compiles the wheel's modules to `.pyc` files, written and recorded with its files (pip's
   * default; `--no-compile` passes none). See bytecode.ts.
   */
  readonly compiler?: BytecodeCompiler | null;
  /** Cancels compiling (Ctrl+C); nothing has been written then. */
  readonly signal?: AbortSignal;
  /** The same wheel staged ahead (stageWheel): its hash and opened archive are used instead of redoing them. */
  readonly prepared?: StagedWheel | null;
}

/**
 * A wheel read ahead of its install (staging: while other downloads and the resolution go on):
 * its sha256 and its archive opened and checked (wheel-archive.ts), in memory only. The hash
 * is compared and the files are placed by `installWheel`, when the plan is applied: staging
 * changes nothing on disk, and a staged wheel the plan does not install is simply dropped.
 */
export interface StagedWheel {
  readonly filename: string;
  /** The very bytes staged: `installWheel` uses the staging only for these. */
  readonly bytes: Uint8Array;
  readonly maxUncompressedBytes: number | undefined;
  readonly archive: Promise<PreparedArchive>;
}

interface PreparedArchive {
  readonly sha256: string;
  /** The opened archive, or why it cannot be installed (thrown after the hash check, as unstaged). */
  readonly archive: WheelArchive | Error;
}

/**
 * Stages `bytes` (see StagedWheel); the work starts now and never rejects. `pause` lets other
 * work run between slices of the unpacking (OpenOptions.pause): staging runs beside the
 * resolver, which must keep reading responses and sending requests meanwhile.
 */
export function stageWheel(filename: string, bytes: Uint8Array, maxUncompressedBytes?: number, pause?: () => Promise<void>): StagedWheel {
  const archive = prepareWheel(filename, bytes, maxUncompressedBytes, pause);
  return { filename, bytes, maxUncompressedBytes, archive };
}

async function prepareWheel(filename: string, bytes: Uint8Array, maxUncompressedBytes: number | undefined, pause?: () => Promise<void>): Promise<PreparedArchive> {
  const hash = toHex(await sha256(bytes));
  try {
    return { sha256: hash, archive: await openWheel(filename, bytes, { ...(maxUncompressedBytes !== undefined ? { maxUncompressedBytes } : {}), ...(pause ? { pause } : {}) }) };
  } catch (error) {
    return { sha256: hash, archive: error instanceof Error ? error : new Error(String(error)) };
  }
}

export interface ExpectedMetadata {
  /** Where it was read, for the message. Ex) `the index's .metadata file`. */
  readonly source: string;
  readonly requiresDist: readonly Requirement[];
  readonly requiresPython: SpecifierSet | null;
}

export interface InstalledDistribution {
  readonly name: string;
  readonly version: string;
  /** Absolute path of the `.dist-info` directory. */
  readonly distInfoPath: string;
  /** Absolute paths of every file written, RECORD included. */
  readonly files: readonly string[];
  /** The `.pyc` files written among them (none without a compiler). */
  readonly compiled: readonly string[];
}

const encoder = new TextEncoder();

/**
 * Installs one wheel into `scheme`, all or nothing: the hash is checked and the archive fully
 * validated before the first write, and if a write fails midway every file written is removed
 * and every file overwritten is restored (the environment is left as it was).
 */
export async function installWheel(fs: FileSystem, scheme: InstallScheme, filename: string, bytes: Uint8Array, options: InstallOptions): Promise<InstalledDistribution> {
  const given = options.prepared;
  const limit = options.maxUncompressedBytes;
  const prepared = given && given.bytes === bytes && given.filename === filename && given.maxUncompressedBytes === limit ? await given.archive : await prepareWheel(filename, bytes, limit);
  if (options.expectedSha256) {
    const actual = prepared.sha256;
    if (actual !== options.expectedSha256.toLowerCase()) {
      throw new InstallError(InstallErrorCode.HashMismatch, filename, `THESE PACKAGES DO NOT MATCH THE HASHES FROM THE INDEX OR LOCK. ${filename}:\n    Expected sha256 ${options.expectedSha256}\n         Got        ${actual}\nThe file was changed or damaged in transit; nothing was installed. Try again, or clear it from the cache with \`pip cache remove\`.`);
    }
  }
  // A wheel that cannot be opened is refused only here, after its hash: as before staging.
  if (prepared.archive instanceof Error) throw prepared.archive;
  const archive = prepared.archive;
  if (options.expectedMetadata) checkExpectedMetadata(archive, options.expectedMetadata);
  let plan = planFiles(archive, scheme);
  let compiled: PlannedFile[] = [];
  const compiler = options.compiler;
  const wheel = { filename: archive.filename, sha256: prepared.sha256 };
  let deferred: ModuleSource[] | null = null;
  if (compiler) {
    const modules = modulesOf(archive, plan);
    if (modules.length === 0) compiled = [];
    // Bytecode leaves the install's critical path: written when the worker is idle (from the
    // cache when it holds the wheel's, else compiled then), all or nothing, RECORD rewritten.
    else if (compiler.later) deferred = modules;
    else compiled = await compileModules(archive, modules, scheme, compiler, wheel, options.signal);
    // A compiled file replaces one the wheel itself ships at the same path (pip's compileall
    // runs with force=True over what was unpacked).
    const replaced = new Set(compiled.map((f) => f.target));
    if (replaced.size > 0) plan = plan.filter((f) => !replaced.has(f.target));
  }
  // Every write goes through a journal, so a failure midway puts back what this wheel changed:
  // the caller's when it writes through one (an install plan's: its owner rolls back), else
  // one of this wheel's own.
  const outer = fs instanceof JournalFs;
  const journal = outer ? fs : new JournalFs(fs, (path) => path.startsWith(`${scheme.scripts}/`));
  const links = new Map<string, string | null>();
  const written: string[] = [];
  // Folders made (or found) by this install: a wheel of 3,000 files has a few hundred, and making
  // one again costs a lookup per path component.
  const folders = new Set<string>();
  const write = (target: string, entry: string, data: Uint8Array, executable: boolean): void => {
    const escape = linkViolation(fs, scheme, target, { cache: links });
    if (escape) throw containmentError(filename, entry, escape);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      journal.mkdirp(folder);
      folders.add(folder);
    }
    journal.writeFile(target, data, { executable });
    written.push(target);
  };
  const root = archive.rootIsPurelib ? scheme.purelib : scheme.platlib;
  let fileRows = 0;
  try {
    const record: RecordEntry[] = [];
    for (const file of [...plan, ...compiled]) {
      write(file.target, file.entry, file.data, file.executable);
      // The archive's RECORD hash was checked against these very bytes (wheel-archive.ts).
      record.push({ path: relativeTo(root, file.target), hash: file.recordHash ?? recordHash(await sha256(file.data)), size: file.data.length });
    }
    fileRows = record.length;
    const distInfoPath = `${root}/${archive.distInfo}`;
    const extra: Array<[string, string]> = [['INSTALLER', `${options.installer ?? 'pipette'}\n`]];
    if (options.requested) extra.push(['REQUESTED', '']);
    if (options.directUrl) {
      const hash = options.expectedSha256 ?? prepared.sha256;
      extra.push(['direct_url.json', options.directUrl.record ? JSON.stringify(options.directUrl.record) : JSON.stringify({ url: options.directUrl.url, archive_info: { hashes: { sha256: hash }, hash: `sha256=${hash}` } })]);
    }
    for (const [name, content] of extra) {
      const data = encoder.encode(content);
      const target = `${distInfoPath}/${name}`;
      write(target, `${archive.distInfo}/${name}`, data, false);
      record.push({ path: relativeTo(root, target), hash: recordHash(await sha256(data)), size: data.length });
    }
    const recordPath = `${distInfoPath}/RECORD`;
    record.push({ path: relativeTo(root, recordPath), hash: '', size: null });
    const recordBytes = encoder.encode(writeRecord(record));
    write(recordPath, `${archive.distInfo}/RECORD`, recordBytes, false);
    if (!outer) journal.commit();
    // Handed over once written: the commit later checks this very RECORD is still installed (a
    // plan rolled back, an uninstall, a reinstall in between: nothing is written then).
    if (deferred && compiler?.later) {
      compiler.later({ wheel, name: archive.metadata.name, scheme, distInfo: archive.distInfo, distInfoPath, root, cacheTag: compiler.cacheTag, modules: deferred, fileRows: record.slice(0, fileRows), extraRows: record.slice(fileRows, -1), record: recordBytes });
    }
    return { name: archive.metadata.name, version: archive.metadata.version.toString(), distInfoPath, files: written, compiled: compiled.map((f) => f.target) };
  } catch (e) {
    if (!outer) journal.rollback();
    if (e instanceof InstallError) throw e;
    throw new InstallError(InstallErrorCode.WriteFailed, filename, `Could not install ${filename}: ${describeError(e)}. Nothing was changed.`);
  }
}

/**
 * The `.pyc` files of the wheel's modules, planned like its other files (bytecode.ts): every
 * `.py` the wheel itself installs (not the launchers made for its entry points, as pip), to its
 * `__pycache__`, under the same containment rules. Compiling happens before the first write, so
 * a cancelled compile leaves nothing behind.
 */
async function compileModules(archive: WheelArchive, modules: readonly ModuleSource[], scheme: InstallScheme, compiler: BytecodeCompiler, wheel: CompiledWheel, signal: AbortSignal | undefined): Promise<PlannedFile[]> {
  let output: ReadonlyMap<string, Uint8Array>;
  try {
    output = await compiler.compile(wheel, modules, signal);
  } catch (error) {
    if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw error;
    throw new InstallError(InstallErrorCode.CompileFailed, archive.filename, `Could not compile the modules of ${archive.filename} to bytecode: ${describeError(error)}. Nothing was installed; try again, or install with --no-compile.`);
  }
  return compiledFiles(archive, scheme, compiler.cacheTag, modules, output);
}

/** The wheel's modules to compile: every `.py` it installs itself, by target (the last entry written there wins). */
function modulesOf(archive: WheelArchive, plan: readonly PlannedFile[]): ModuleSource[] {
  const modules = new Map<string, ModuleSource>();
  for (const file of plan) {
    if (!file.target.endsWith('.py') || !archive.entries.has(file.entry)) continue;
    if (file.data.length > MAX_COMPILED_SOURCE_BYTES) continue;
    // Two entries installed to one path (the root and a .data folder): the last one written wins.
    modules.delete(file.target);
    modules.set(file.target, { entry: file.entry, path: file.target, source: file.data });
  }
  return [...modules.values()];
}

/** The `.pyc` files to write for `output`, each checked against the containment rules. */
export function compiledFiles(archive: { readonly filename: string; readonly distInfo: string }, scheme: InstallScheme, cacheTag: string, modules: readonly ModuleSource[], output: ReadonlyMap<string, Uint8Array>): PlannedFile[] {
  const compiled: PlannedFile[] = [];
  for (const module of modules) {
    const pyc = output.get(module.entry);
    if (!pyc || !isUncheckedHashPyc(pyc)) continue;
    const target = cacheFromSource(module.path, cacheTag);
    const entry = `${module.entry} (compiled)`;
    const violation = targetViolation(scheme, target, archive.distInfo);
    if (violation) throw containmentError(archive.filename, entry, violation);
    compiled.push({ target, entry, data: pyc, executable: false });
  }
  return compiled;
}

/**
 * pip compares only name and version between a `.metadata` file and the wheel
 * (`MetadataInconsistent`); the dependencies matter as much here, since they were resolved
 * from the `.metadata` file: a wheel needing more than it said would be installed without it.
 */
function checkExpectedMetadata(archive: WheelArchive, expected: ExpectedMetadata): void {
  const spell = (list: readonly Requirement[]): string[] => [...new Set(list.map((r) => r.toString()))].sort();
  const fields: Array<[string, string[], string[]]> = [
    ['Requires-Dist', spell(expected.requiresDist), spell(archive.metadata.requiresDist)],
    ['Requires-Python', [expected.requiresPython?.toString() ?? ''].filter(Boolean), [archive.metadata.requiresPython?.toString() ?? ''].filter(Boolean)],
  ];
  for (const [field, said, has] of fields) {
    if (said.join('\n') === has.join('\n')) continue;
    throw new InstallError(
      InstallErrorCode.MetadataMismatch,
      archive.filename,
      `${archive.filename} has inconsistent ${field}: ${expected.source} says ${JSON.stringify(said)}, but the wheel's METADATA has ${JSON.stringify(has)}. ` +
        'The dependencies were resolved from the first, so this wheel is not what was resolved. Refusing to install it; report it to the index.',
    );
  }
}

export interface PlannedFile {
  readonly target: string;
  /** The archive member (or entry point) it comes from, for messages. */
  readonly entry: string;
  readonly data: Uint8Array;
  readonly executable: boolean;
  /** RECORD's `sha256=` for `data` when the archive's RECORD vouched for exactly these bytes. */
  readonly recordHash?: string;
}

/**
 * Where every archive member goes; console-script launchers added; RECORD is rewritten later.
 * Every target is checked against the containment rules here, before anything is written.
 */
export function planFiles(archive: WheelArchive, scheme: InstallScheme): PlannedFile[] {
  const root = archive.rootIsPurelib ? scheme.purelib : scheme.platlib;
  const planned: PlannedFile[] = [];
  const schemes: Record<string, string> = { purelib: scheme.purelib, platlib: scheme.platlib, scripts: scheme.scripts, data: scheme.data, headers: scheme.headers };
  const checked = new Map(archive.record.filter((r) => r.hash.startsWith('sha256=')).map((r) => [r.path, r] as const));
  const verified = (path: string, data: Uint8Array): { recordHash?: string } => {
    const row = checked.get(path);
    return row && row.size === data.length && archive.entries.get(path) === data ? { recordHash: row.hash } : {};
  };
  const add = (file: PlannedFile): void => {
    const violation = targetViolation(scheme, file.target, archive.distInfo);
    if (violation) throw containmentError(archive.filename, file.entry, violation);
    planned.push(file);
  };
  for (const [path, data] of archive.entries) {
    if (path === `${archive.distInfo}/RECORD` || path === `${archive.distInfo}/INSTALLER` || path === `${archive.distInfo}/REQUESTED`) continue;
    if (path.startsWith(`${archive.dataDir}/`)) {
      const [key = '', ...rest] = path.slice(archive.dataDir.length + 1).split('/');
      const base = schemes[key];
      if (!base || rest.length === 0) {
        throw new InstallError(InstallErrorCode.UnsupportedWheel, archive.filename, `${archive.filename} has ${path} in an unknown .data scheme "${key}" (expected purelib, platlib, scripts, data or headers).`);
      }
      const isScript = key === 'scripts';
      // Ex) `x-1.0.data/data/share/x/a.txt` -> `<prefix>/share/x/a.txt`; '/' prefix: `/share/x/a.txt`.
      const target = base === '/' ? `/${rest.join('/')}` : `${base}/${rest.join('/')}`;
      const written = isScript ? rewriteShebang(data, scheme.pythonExecutable) : data;
      add({ target, entry: path, data: written, executable: isScript, ...verified(path, written) });
    } else {
      add({ target: `${root}/${path}`, entry: path, data, executable: false, ...verified(path, data) });
    }
  }
  const entryPoints = archive.entries.get(`${archive.distInfo}/entry_points.txt`);
  if (entryPoints) {
    for (const ep of parseEntryPoints(new TextDecoder().decode(entryPoints))) {
      if (ep.group !== 'console_scripts' && ep.group !== 'gui_scripts') continue;
      const entry = `${archive.distInfo}/entry_points.txt [${ep.group}] ${ep.name}`;
      const problem = scriptNameProblem(ep.name);
      if (problem) {
        throw new InstallError(
          InstallErrorCode.UnsafeScriptName,
          archive.filename,
          `Refusing to install ${archive.filename}: its ${ep.group === 'gui_scripts' ? 'GUI' : 'console'} script ${JSON.stringify(ep.name)} (${archive.distInfo}/entry_points.txt) is not a plain file name: ${problem}. Rule: ${Rule.scriptName}.`,
        );
      }
      add({ target: `${scheme.scripts}/${ep.name}`, entry, data: encoder.encode(consoleScriptLauncher(ep, scheme.pythonExecutable)), executable: true });
    }
  }
  return planned;
}

/** `#!python` / `#!pythonw` in `.data/scripts` is rewritten to the environment's interpreter. */
function rewriteShebang(data: Uint8Array, python: string): Uint8Array {
  const head = new TextDecoder().decode(data.subarray(0, Math.min(data.length, 128)));
  const m = /^#!pythonw?(\r?\n)/.exec(head);
  if (!m) return data;
  const rest = data.subarray(m[0].length);
  const line = encoder.encode(`#!${python}${m[1]}`);
  const out = new Uint8Array(line.length + rest.length);
  out.set(line);
  out.set(rest, line.length);
  return out;
}

/** A path as RECORD spells it: relative to the root (site-packages), `../../../bin/x` for scripts. */
export function relativeTo(root: string, target: string): string {
  const from = root.split('/').filter(Boolean);
  const to = target.split('/').filter(Boolean);
  let i = 0;
  while (i < from.length && i < to.length && from[i] === to[i]) i++;
  return [...Array<string>(from.length - i).fill('..'), ...to.slice(i)].join('/');
}

/**
 * A thrown value as text: Pyodide's FS throws ErrnoError objects that carry only an errno, so
 * pep's one errno rule words it. Ex) `{ errno: 44 }` -> "[Errno 2] No such file or directory".
 */
function describeError(e: unknown): string {
  return describeOsError(e);
}
