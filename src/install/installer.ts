import { describeOsError, type Requirement, type SpecifierSet } from '../pep';
import { sha256, toHex } from './digest';
import { InstallError, InstallErrorCode } from './errors';
import { consoleScriptLauncher, parseEntryPoints } from './entry-points';
import { dirname, type InstallFs } from './fs';
import { recordHash, writeRecord, type RecordEntry } from './record';
import type { InstallScheme } from './scheme';
import { openWheel, type WheelArchive } from './wheel-archive';

export interface InstallOptions {
  /** The sha256 the index or lock promised; checked before anything is opened or written. */
  readonly expectedSha256?: string | null;
  /** Writes REQUESTED: the person asked for this distribution by name (PEP 376). */
  readonly requested: boolean;
  /** For URL installs: written as direct_url.json (PEP 610). */
  readonly directUrl?: { readonly url: string } | null;
  /** INSTALLER contents (PEP 376). */
  readonly installer?: string;
  readonly maxUncompressedBytes?: number;
  /**
   * The dependencies the resolver read for this file elsewhere (the index's PEP 658
   * `.metadata` file): the wheel's own METADATA must say the same, or what was resolved is not
   * what would be installed. Checked before anything is written.
   */
  readonly expectedMetadata?: ExpectedMetadata | null;
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
}

const encoder = new TextEncoder();

/**
 * Installs one wheel into `scheme`, all or nothing: the hash is checked and the archive fully
 * validated before the first write, and if a write fails midway every file written is removed
 * and every file overwritten is restored (the environment is left as it was).
 */
export async function installWheel(fs: InstallFs, scheme: InstallScheme, filename: string, bytes: Uint8Array, options: InstallOptions): Promise<InstalledDistribution> {
  if (options.expectedSha256) {
    const actual = toHex(await sha256(bytes));
    if (actual !== options.expectedSha256.toLowerCase()) {
      throw new InstallError(InstallErrorCode.HashMismatch, filename, `THESE PACKAGES DO NOT MATCH THE HASHES FROM THE INDEX OR LOCK. ${filename}:\n    Expected sha256 ${options.expectedSha256}\n         Got        ${actual}\nThe file was changed or damaged in transit; nothing was installed. Try again, or clear it from the cache with \`pip cache remove\`.`);
    }
  }
  const archive = await openWheel(filename, bytes, options.maxUncompressedBytes !== undefined ? { maxUncompressedBytes: options.maxUncompressedBytes } : {});
  if (options.expectedMetadata) checkExpectedMetadata(archive, options.expectedMetadata);
  const plan = planFiles(archive, scheme);
  const transaction = new WriteTransaction(fs);
  try {
    const record: RecordEntry[] = [];
    const root = archive.rootIsPurelib ? scheme.purelib : scheme.platlib;
    for (const file of plan) {
      transaction.write(file.target, file.data, file.executable);
      record.push({ path: relativeTo(root, file.target), hash: recordHash(await sha256(file.data)), size: file.data.length });
    }
    const distInfoPath = `${root}/${archive.distInfo}`;
    const extra: Array<[string, string]> = [['INSTALLER', `${options.installer ?? 'pipette'}\n`]];
    if (options.requested) extra.push(['REQUESTED', '']);
    if (options.directUrl) {
      const hash = options.expectedSha256 ?? toHex(await sha256(bytes));
      extra.push(['direct_url.json', JSON.stringify({ url: options.directUrl.url, archive_info: { hashes: { sha256: hash }, hash: `sha256=${hash}` } })]);
    }
    for (const [name, content] of extra) {
      const data = encoder.encode(content);
      const target = `${distInfoPath}/${name}`;
      transaction.write(target, data, false);
      record.push({ path: relativeTo(root, target), hash: recordHash(await sha256(data)), size: data.length });
    }
    const recordPath = `${distInfoPath}/RECORD`;
    record.push({ path: relativeTo(root, recordPath), hash: '', size: null });
    transaction.write(recordPath, encoder.encode(writeRecord(record)), false);
    return { name: archive.metadata.name, version: archive.metadata.version.toString(), distInfoPath, files: transaction.written() };
  } catch (e) {
    transaction.rollback();
    if (e instanceof InstallError) throw e;
    throw new InstallError(InstallErrorCode.WriteFailed, filename, `Could not install ${filename}: ${describeError(e)}. Nothing was changed.`);
  }
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

interface PlannedFile {
  readonly target: string;
  readonly data: Uint8Array;
  readonly executable: boolean;
}

/** Where every archive member goes; console-script launchers added; RECORD is rewritten later. */
export function planFiles(archive: WheelArchive, scheme: InstallScheme): PlannedFile[] {
  const root = archive.rootIsPurelib ? scheme.purelib : scheme.platlib;
  const planned: PlannedFile[] = [];
  const schemes: Record<string, string> = { purelib: scheme.purelib, platlib: scheme.platlib, scripts: scheme.scripts, data: scheme.data, headers: scheme.headers };
  for (const [path, data] of archive.entries) {
    if (path === `${archive.distInfo}/RECORD` || path === `${archive.distInfo}/INSTALLER` || path === `${archive.distInfo}/REQUESTED`) continue;
    if (path.startsWith(`${archive.dataDir}/`)) {
      const [key = '', ...rest] = path.slice(archive.dataDir.length + 1).split('/');
      const base = schemes[key];
      if (!base || rest.length === 0) {
        throw new InstallError(InstallErrorCode.UnsupportedWheel, archive.filename, `${archive.filename} has ${path} in an unknown .data scheme "${key}" (expected purelib, platlib, scripts, data or headers).`);
      }
      const isScript = key === 'scripts';
      planned.push({ target: `${base}/${rest.join('/')}`, data: isScript ? rewriteShebang(data, scheme.pythonExecutable) : data, executable: isScript });
    } else {
      planned.push({ target: `${root}/${path}`, data, executable: false });
    }
  }
  const entryPoints = archive.entries.get(`${archive.distInfo}/entry_points.txt`);
  if (entryPoints) {
    for (const ep of parseEntryPoints(new TextDecoder().decode(entryPoints))) {
      if (ep.group !== 'console_scripts' && ep.group !== 'gui_scripts') continue;
      planned.push({ target: `${scheme.scripts}/${ep.name}`, data: encoder.encode(consoleScriptLauncher(ep, scheme.pythonExecutable)), executable: true });
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

/** Writes that can be undone: new files removed, overwritten files restored, new dirs removed. */
class WriteTransaction {
  private readonly created: string[] = [];
  private readonly createdDirs: string[] = [];
  private readonly overwritten = new Map<string, Uint8Array>();

  constructor(private readonly fs: InstallFs) {}

  write(path: string, data: Uint8Array, executable: boolean): void {
    const existing = this.fs.readFile(path);
    if (existing !== null && !this.overwritten.has(path) && !this.created.includes(path)) this.overwritten.set(path, existing);
    this.mkdirs(dirname(path));
    this.fs.writeFile(path, data, { executable });
    if (existing === null) this.created.push(path);
  }

  written(): string[] {
    return [...this.created, ...this.overwritten.keys()];
  }

  rollback(): void {
    for (const path of this.created.reverse()) safely(() => this.fs.remove(path));
    for (const [path, data] of this.overwritten) safely(() => this.fs.writeFile(path, data));
    for (const dir of this.createdDirs.reverse()) safely(() => this.fs.readdir(dir).length === 0 && this.fs.remove(dir));
  }

  private mkdirs(dir: string): void {
    const missing: string[] = [];
    for (let d = dir; d !== '/' && !this.fs.exists(d); d = dirname(d)) missing.push(d);
    if (missing.length === 0) return;
    this.fs.mkdirp(dir);
    for (const d of missing.reverse()) this.createdDirs.push(d);
  }
}

function safely(f: () => unknown): void {
  try {
    f();
  } catch {
    // Rollback goes on past a file that is already gone.
  }
}

/**
 * A thrown value as text: Pyodide's FS throws ErrnoError objects that carry only an errno, so
 * pep's one errno rule words it. Ex) `{ errno: 44 }` -> "[Errno 2] No such file or directory".
 */
function describeError(e: unknown): string {
  return describeOsError(e);
}
