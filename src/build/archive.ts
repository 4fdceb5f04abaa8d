/**
 * Source archives (sdists: `.tar.gz`, and `.zip` / `.tar` as pip accepts them) unpacked to a
 * list of plain files, with the same rules as wheels: every byte is hostile until checked.
 *
 * - Paths are relative and stay inside: no absolute paths, drive letters, `..` segments,
 *   backslashes, NUL or control characters.
 * - No links out: a symbolic or hard link whose target resolves outside the archive's tree is
 *   refused (Python's tarfile `data` filter, which pip uses, refuses the same); one that points
 *   at a regular file inside is materialized as a copy of it (the filesystem gets no links).
 * - No devices, FIFOs or other special files.
 * - Bounded: the decompressed size (gzip is read in slices and stopped at the cap, so a
 *   gzip bomb is never inflated whole), the number of entries, and each file.
 * - One leading directory (`name-1.0/`) is stripped, as pip's `unpack_file` does.
 */
import { Gunzip } from 'fflate';
import { isSymlink, readZipEntry } from '../pep';
import { checkedZipDirectory } from '../install';
import { BuildError, BuildErrorCode } from './build-error';
import { readTar, TarFormatError, type TarEntry } from './tar';

export interface ArchiveLimits {
  /** Uncompressed bytes in total. Default 256 MB. */
  readonly maxBytes?: number;
  /** Entries. Default 20 000. */
  readonly maxEntries?: number;
}

export interface SourceFile {
  /** Relative to the tree's root, `/`-separated. */
  readonly path: string;
  readonly data: Uint8Array;
  readonly executable: boolean;
}

const DEFAULT_MAX_BYTES = 256 * 1024 * 1024;
const DEFAULT_MAX_ENTRIES = 20_000;
/** gzip input is inflated this much at a time, so a bomb overshoots the cap by little. */
const GUNZIP_SLICE = 16 * 1024;

/** Which archive formats an sdist file name stands for; null when Pipette does not unpack it. */
export function archiveFormat(filename: string): 'tar.gz' | 'tar' | 'zip' | null {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.tar.gz') || lower.endsWith('.tgz')) return 'tar.gz';
  if (lower.endsWith('.tar')) return 'tar';
  if (lower.endsWith('.zip')) return 'zip';
  return null;
}

/** The files of a source archive, leading directory stripped, checked as the module says. */
export function unpackSourceArchive(filename: string, bytes: Uint8Array, limits: ArchiveLimits = {}): SourceFile[] {
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxEntries = limits.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const format = archiveFormat(filename);
  if (format === null) {
    throw new BuildError(
      BuildErrorCode.UnsupportedSource,
      filename,
      `Cannot unpack ${filename}: Pipette reads source distributions as .tar.gz (PEP 625) or .zip archives only. Use the project's .tar.gz sdist or a wheel.`,
    );
  }
  let files: SourceFile[];
  if (format === 'zip') {
    files = readZip(filename, bytes, maxBytes, maxEntries);
  } else {
    const tar = format === 'tar.gz' ? gunzipBounded(filename, bytes, maxBytes) : bytes;
    let entries: TarEntry[];
    try {
      entries = readTar(tar, maxEntries);
    } catch (error) {
      if (error instanceof TarFormatError) throw unsafe(filename, `it is not a readable tar archive: ${error.message}`);
      throw error;
    }
    return fromTarEntries(filename, entries, tarLeadingDirectory(entries));
  }
  return stripLeadingDirectory(files);
}

function gunzipBounded(filename: string, bytes: Uint8Array, maxBytes: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  const gunzip = new Gunzip((chunk, final) => {
    total += chunk.length;
    if (total > maxBytes) throw tooLarge(filename, maxBytes);
    chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < bytes.length; i += GUNZIP_SLICE) {
      gunzip.push(bytes.subarray(i, Math.min(bytes.length, i + GUNZIP_SLICE)), i + GUNZIP_SLICE >= bytes.length);
    }
  } catch (error) {
    if (error instanceof BuildError) throw error;
    throw unsafe(filename, `it is not a readable gzip file (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!ended) throw unsafe(filename, 'the gzip stream ends early (a truncated download?)');
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function readZip(filename: string, bytes: Uint8Array, maxBytes: number, maxEntries: number): SourceFile[] {
  const files: SourceFile[] = [];
  try {
    // The archive as Python's zipfile reads it (the one zip reader, src/pep/zip-archive.ts),
    // refusing what it refuses; sizes and names checked before anything is inflated.
    const entries = checkedZipDirectory(bytes, { maxBytes, tooLarge: () => tooLarge(filename, maxBytes) });
    if (entries.length > maxEntries) throw unsafe(filename, `it holds more than ${maxEntries} entries`);
    const link = entries.find(isSymlink);
    if (link) throw unsafe(filename, `it contains ${JSON.stringify(link.name)} as a symbolic link (zip source archives are unpacked without links)`);
    for (const entry of entries) {
      if (!entry.name.endsWith('/')) files.push({ path: checkedPath(filename, entry.name), data: readZipEntry(bytes, entry), executable: false });
    }
  } catch (error) {
    if (error instanceof BuildError) throw error;
    throw unsafe(filename, `it is not a readable zip archive (${error instanceof Error ? error.message : String(error)})`);
  }
  return files;
}

/**
 * The files pip's untar_file would write, in archive order as tarfile extracts them: a name given
 * twice is the last one's (a file written over a regular file is written into it, so a hard link
 * to that file sees the new bytes too, as on disk); a hard link copies a file from before it
 * (tarfile's `_find_link_target` looks no further); a symbolic link is read through, chains
 * included, once the whole archive is in. Refused where tarfile would write through a symbolic
 * link, or fails: a path that is both a file and a folder (IsADirectoryError / NotADirectoryError).
 */
function fromTarEntries(filename: string, entries: readonly TarEntry[], lead: string | null): SourceFile[] {
  interface Content {
    data: Uint8Array;
    executable: boolean;
  }
  type Node = { kind: 'file'; content: Content } | { kind: 'symlink'; entry: TarEntry };
  const nodes = new Map<string, Node>();
  const folders = new Set<string>();
  const both = (path: string): BuildError => unsafe(filename, `it contains ${JSON.stringify(path)} as both a file and a folder`);
  const twice = (path: string): BuildError => unsafe(filename, `it contains ${JSON.stringify(path)} more than once, as a link and as something else (tarfile would write through the link)`);
  for (const entry of entries) {
    if (entry.kind === 'other') {
      throw unsafe(filename, `it contains ${JSON.stringify(entry.path)}, a special file (tar type ${JSON.stringify(entry.typeflag)}); source archives hold regular files, directories and links only`);
    }
    // Checked as named, then as pip names it once the leading folder is gone (the data filter
    // drops the slash left by `p-1//x`). The leading folder itself (`p-1/`, or `./`) is no file.
    const rest = lead === null ? entry.path : splitLeadingDir(entry.path)[1].replace(/^\/+/, '');
    if (entry.kind === 'directory' && /^[./]*$/.test(rest) && !rest.includes('..')) continue;
    checkedPath(filename, entry.path);
    const path = checkedPath(filename, rest);
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (nodes.has(folder)) throw both(folder);
      folders.add(folder);
    }
    const existing = nodes.get(path);
    if (entry.kind === 'directory') {
      if (existing) throw both(path);
      folders.add(path);
      continue;
    }
    if (folders.has(path)) throw both(path);
    if (existing?.kind === 'symlink' || (existing && entry.kind !== 'file')) throw twice(path);
    if (entry.kind === 'file') {
      const executable = (entry.mode & 0o111) !== 0;
      if (existing?.kind === 'file') {
        existing.content.data = entry.data;
        existing.content.executable ||= executable; // pip sets no mode on a file without x bits
      } else nodes.set(path, { kind: 'file', content: { data: entry.data, executable } });
    } else if (entry.kind === 'hardlink') {
      // pip drops the leading folder from a hard link's target when it is the same one.
      const [linkLead, linkRest] = splitLeadingDir(entry.linkTarget);
      const linkTarget = lead !== null && linkLead === lead ? linkRest : entry.linkTarget;
      const target = nodes.get(checkedTarget(filename, entry.path, linkTarget, true, path));
      if (target?.kind !== 'file') {
        throw unsafe(filename, `it contains the link ${JSON.stringify(entry.path)} -> ${JSON.stringify(entry.linkTarget)}, whose target is not a file before it in the archive`);
      }
      nodes.set(path, target);
    } else {
      checkedTarget(filename, entry.path, entry.linkTarget, false, path);
      nodes.set(path, { kind: 'symlink', entry });
    }
  }
  const files: SourceFile[] = [];
  for (const [path, node] of nodes) {
    let at: Node | undefined = node;
    let atPath = path;
    // As the kernel resolves a chain of links: at most 40 of them.
    for (let hops = 0; at?.kind === 'symlink' && hops <= 40; hops++) {
      atPath = checkedTarget(filename, at.entry.path, at.entry.linkTarget, false, atPath);
      at = nodes.get(atPath);
    }
    if (at?.kind !== 'file') {
      const shown = node.kind === 'symlink' ? node.entry : { path, linkTarget: '' };
      throw unsafe(filename, `it contains the link ${JSON.stringify(shown.path)} -> ${JSON.stringify(shown.linkTarget)}, whose target is not a file in the archive`);
    }
    files.push({ path, data: at.content.data, executable: at.content.executable });
  }
  return files;
}

/**
 * pip's leading folder for tars (`untar_file`): decided over every member's name, folders and
 * links included (`has_leading_dir`), the first segment as `split_leading_dir` cuts it (so
 * `./p-1/x` has `.`, not `p-1`). Null when there is none.
 */
function tarLeadingDirectory(entries: readonly TarEntry[]): string | null {
  const lead = entries.length > 0 ? splitLeadingDir(entries[0]!.path)[0] : '';
  return lead !== '' && entries.every((e) => splitLeadingDir(e.path)[0] === lead) ? lead : null;
}

/** pip's `split_leading_dir` (a backslash never gets this far: checkedPath refuses it). */
function splitLeadingDir(path: string): [string, string] {
  const p = path.replace(/^\/+/, '');
  const slash = p.indexOf('/');
  return slash < 0 ? [p, ''] : [p.slice(0, slash), p.slice(slash + 1)];
}

/** A normalized relative path, or a refusal naming the entry. */
function checkedPath(filename: string, raw: string): string {
  // eslint-disable-next-line no-control-regex
  if (raw.includes('\\') || /[\x00-\x1f\x7f]/.test(raw) || raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw unsafe(filename, `it contains the path ${JSON.stringify(raw)}, which is absolute or holds characters a path may not (backslash, control characters)`);
  }
  const parts = raw.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..') || parts.length === 0) {
    throw unsafe(filename, `it contains the path ${JSON.stringify(raw)}, which would be written outside the folder it is unpacked into`);
  }
  return parts.join('/');
}

/**
 * Where a link points, as a path relative to the archive root; refused when outside it.
 * Symbolic links are relative to the link's folder, hard links to the archive root (tar's rule).
 */
function checkedTarget(filename: string, linkPath: string, target: string, fromRoot: boolean, at = linkPath): string {
  if (target.startsWith('/') || target.includes('\\') || target.includes('\0')) {
    throw unsafe(filename, `it contains the link ${JSON.stringify(linkPath)} -> ${JSON.stringify(target)}, which points outside the archive`);
  }
  const base = fromRoot ? [] : at.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (base.length === 0) throw unsafe(filename, `it contains the link ${JSON.stringify(linkPath)} -> ${JSON.stringify(target)}, which points outside the archive`);
      base.pop();
    } else base.push(part);
  }
  return base.join('/');
}

/** pip's `split_leading_dir`: when every path starts with the same folder, drop it. */
function stripLeadingDirectory(files: SourceFile[]): SourceFile[] {
  if (files.length === 0) return files;
  const first = files[0]!.path.split('/', 1)[0]!;
  const shared = files.every((f) => f.path.startsWith(`${first}/`));
  if (!shared) return files;
  return files.map((f) => ({ ...f, path: f.path.slice(first.length + 1) }));
}

function unsafe(filename: string, why: string): BuildError {
  return new BuildError(BuildErrorCode.UnsafeArchive, filename, `Cannot unpack ${filename}: ${why}. Refusing to use it.`);
}

function tooLarge(filename: string, maxBytes: number): BuildError {
  return new BuildError(BuildErrorCode.TooLarge, filename, `Cannot unpack ${filename}: it holds more than ${Math.round(maxBytes / (1024 * 1024))} MB once uncompressed (a damaged or hostile archive). Refusing to unpack it.`);
}
