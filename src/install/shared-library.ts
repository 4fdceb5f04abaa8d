/**
 * Shared libraries from Pyodide's lock (`package_type: shared_library`, `install_dir: dynlib`,
 * e.g. `libopenblas-0.3.31.zip`): not pip packages (no `.dist-info`, invisible to `pip list`),
 * but packages from the same lock link against them. They are unpacked where Pyodide's own
 * loader puts them (its DSO_DIR, `/usr/lib`, on LD_LIBRARY_PATH), and a small record of the
 * files is kept beside them so a later run knows they are there.
 *
 * The same containment holds as for wheels: every file inside `dir`, nothing through a link
 * out of it.
 */
import { linkViolation } from './containment';
import { InstallError, InstallErrorCode } from './errors';
import type { FileSystem } from './fs';
import type { LockRecord } from './lock-record';
import { dirname, isWithin, normalizePath } from './posix-path';
import { declaresTooMuch, MAX_UNPACKED_BYTES, unzip } from './zip-reader';

type Library = Pick<LockRecord, 'name' | 'version' | 'filename'>;

/** `/usr/lib/.pipette-dynlibs/libopenblas-0.3.31.txt`: the files unpacked, one per line. */
function recordPath(dir: string, lib: Library): string {
  return `${dir}/.pipette-dynlibs/${lib.name}-${lib.version}.txt`;
}

export function sharedLibraryInstalled(fs: FileSystem, dir: string, lib: Library): boolean {
  const record = fs.readFile(recordPath(dir, lib));
  if (!record) return false;
  const files = new TextDecoder().decode(record).split('\n').filter(Boolean);
  return files.every((f) => fs.exists(f));
}

/** Unpacks the archive into `dir` (refusing paths that leave it) and writes the record. */
export function installSharedLibrary(fs: FileSystem, dir: string, lib: Library, bytes: Uint8Array): string[] {
  let entries: Map<string, Uint8Array>;
  try {
    // Bounded like a wheel: declared sizes summed before anything is inflated.
    entries = unzip(bytes, { maxBytes: MAX_UNPACKED_BYTES, tooLarge: () => new InstallError(InstallErrorCode.TooLarge, lib.filename, `${lib.filename} ${declaresTooMuch(MAX_UNPACKED_BYTES)}.`) });
  } catch (error) {
    if (error instanceof InstallError) throw error;
    throw new InstallError(
      InstallErrorCode.NotAZip,
      lib.filename,
      `${lib.filename} is not a readable zip archive (${error instanceof Error ? error.message : String(error)}); it cannot be unpacked into ${dir}.`,
    );
  }
  const written: string[] = [];
  const links = new Map<string, string | null>();
  const write = (target: string, entry: string, data: Uint8Array): void => {
    const escape = linkViolation(fs, [dir], target, { cache: links });
    if (escape) throw new InstallError(InstallErrorCode.SymlinkEscape, lib.filename, `Refusing to unpack ${lib.filename}: its entry ${JSON.stringify(entry)} breaks a rule: ${escape.problem}. Rule: ${escape.rule}.`);
    fs.mkdirp(dirname(target));
    fs.writeFile(target, data);
  };
  for (const [path, data] of entries) {
    if (path.endsWith('/')) continue;
    const target = normalizePath(`${dir}/${path}`);
    if (path.startsWith('/') || path.split(/[\\/]/).includes('..') || !isWithin(target, dir)) {
      throw new InstallError(InstallErrorCode.UnsafePath, lib.filename, `${lib.filename} contains the path ${JSON.stringify(path)}, which would be written outside ${dir}. Refusing to unpack it.`);
    }
    write(target, path, data);
    written.push(target);
  }
  const record = recordPath(dir, lib);
  write(record, '.pipette-dynlibs', new TextEncoder().encode(written.map((p) => `${p}\n`).join('')));
  return written;
}
