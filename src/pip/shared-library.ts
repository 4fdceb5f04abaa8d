/**
 * Shared libraries from Pyodide's lock (`package_type: shared_library`, `install_dir: dynlib`,
 * e.g. `libopenblas-0.3.31.zip`): not pip packages (no `.dist-info`, invisible to `pip list`),
 * but packages from the same lock link against them. They are unpacked where Pyodide's own
 * loader puts them (its DSO_DIR, `/usr/lib`, on LD_LIBRARY_PATH), and a small record of the
 * files is kept beside them so a later run knows they are there.
 */
import { unzipSync } from 'fflate';
import type { InstallFs } from '../install';
import { InstallError, InstallErrorCode } from '../install';
import type { PinnedDistribution } from '../resolver';
import { dirnameOf } from './format';

/** `/usr/lib/.pipette-dynlibs/libopenblas-0.3.31.txt`: the files unpacked, one per line. */
function recordPath(dir: string, pin: PinnedDistribution): string {
  return `${dir}/.pipette-dynlibs/${pin.name}-${pin.version.toString()}.txt`;
}

export function sharedLibraryInstalled(fs: InstallFs, dir: string, pin: PinnedDistribution): boolean {
  const record = fs.readFile(recordPath(dir, pin));
  if (!record) return false;
  const files = new TextDecoder().decode(record).split('\n').filter(Boolean);
  return files.every((f) => fs.exists(f));
}

/** Unpacks the archive into `dir` (refusing paths that leave it) and writes the record. */
export function installSharedLibrary(fs: InstallFs, dir: string, pin: PinnedDistribution, bytes: Uint8Array): string[] {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (error) {
    throw new InstallError(
      InstallErrorCode.NotAZip,
      pin.file.filename,
      `${pin.file.filename} is not a readable zip archive (${error instanceof Error ? error.message : String(error)}); it cannot be unpacked into ${dir}.`,
    );
  }
  const written: string[] = [];
  for (const [path, data] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    if (path.startsWith('/') || path.split('/').includes('..')) {
      throw new InstallError(InstallErrorCode.UnsafePath, pin.file.filename, `${pin.file.filename} contains the path ${JSON.stringify(path)}, which would be written outside ${dir}. Refusing to unpack it.`);
    }
    const target = `${dir}/${path}`;
    fs.mkdirp(dirnameOf(target));
    fs.writeFile(target, data);
    written.push(target);
  }
  const record = recordPath(dir, pin);
  fs.mkdirp(dirnameOf(record));
  fs.writeFile(record, new TextEncoder().encode(written.map((p) => `${p}\n`).join('')));
  return written;
}
