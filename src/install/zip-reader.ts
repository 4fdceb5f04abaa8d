/**
 * The installer's limits on what it unpacks from a zip, over the one zip reader
 * (src/pep/zip-archive.ts: an archive as Python's zipfile, which pip uses, reads it): sizes
 * declared within a limit before anything is inflated, and every name once.
 */
import { decimalSize, readZipDirectory, readZipEntry, ZipFormatError, type ZipEntry } from '../pep';


/** What Pipette unpacks from one archive at most (declared sizes, summed before inflating). */
export const MAX_UNPACKED_BYTES = 1024 * 1024 * 1024;

/** The problem with an archive declaring more than `limit`, for the caller's message. */
export function declaresTooMuch(limit: number): string {
  return `declares more than ${decimalSize(limit)} of uncompressed content; refusing to unpack it (a damaged or hostile archive)`;
}

export interface UnzipOptions {
  /** Refuse archives whose entries to inflate declare more than this many uncompressed bytes in all. */
  readonly maxBytes: number;
  /** Thrown when they do (each caller words it for its file). */
  readonly tooLarge: () => Error;
  /** Only these entries are inflated, and count against `maxBytes` (all are checked). */
  readonly filter?: (entry: ZipEntry) => boolean;
}

/**
 * The checked directory of an archive a person is about to unpack: sizes declared within the
 * limit (summed before anything is inflated), and every name once. zipfile keeps both entries
 * of a name and pip writes both, the last winning; PyPI (since 2024) and uv refuse such
 * archives, and so does Pipette: a reader that keeps the first entry of a name (a scanner, a
 * reviewer's unzip that asks before overwriting) sees other content than is installed, and
 * RECORD can vouch for only one of them.
 */
export function checkedZipDirectory(bytes: Uint8Array, options: UnzipOptions): ZipEntry[] {
  const entries = readZipDirectory(bytes);
  let declared = 0;
  // By the file each name is written to: `pkg/./x.py` and `pkg//x.py` are `pkg/x.py` on disk.
  const names = new Map<string, string>();
  for (const entry of entries) {
    if (!options.filter || options.filter(entry)) declared += entry.size;
    if (declared > options.maxBytes) throw options.tooLarge();
    const file = entry.name.split('/').filter((s) => s !== '' && s !== '.').join('/') + (entry.name.endsWith('/') ? '/' : '');
    const first = names.get(file);
    if (first !== undefined) {
      throw new ZipFormatError('duplicate-name', `it holds ${JSON.stringify(first)} twice${first === entry.name ? '' : ` (again as ${JSON.stringify(entry.name)})`}`, entry.name);
    }
    names.set(file, entry.name);
  }
  return entries;
}

/** Every (filtered) entry by name, checked and bounded as {@link checkedZipDirectory} says. */
export function unzip(bytes: Uint8Array, options: UnzipOptions): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const entry of checkedZipDirectory(bytes, options)) {
    if (!options.filter || options.filter(entry)) files.set(entry.name, readZipEntry(bytes, entry));
  }
  return files;
}
