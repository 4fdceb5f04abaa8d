/**
 * A source tree ready to build: a folder with pyproject.toml or setup.py, where it came from
 * (PEP 610's direct URL record, written as `direct_url.json` when the wheel is installed), and the
 * key its built wheel is cached under (content-addressed: the sdist's sha256, the git commit, or
 * a digest of the folder's files).
 */
import type { FileSystem } from '../install';
import { BuildError, BuildErrorCode } from './build-error';
import type { SourceFile } from './archive';
import type { PythonFrontend } from './python-frontend';

/** PEP 610 `direct_url.json`, as pip writes it for each kind of source. */
export type DirectUrlRecord =
  | { readonly url: string; readonly dir_info: { readonly editable?: true } }
  | { readonly url: string; readonly archive_info: { readonly hashes: { readonly sha256: string }; readonly hash: string } }
  | {
      readonly url: string;
      readonly vcs_info: { readonly vcs: 'git'; readonly commit_id: string; readonly requested_revision?: string };
      readonly subdirectory?: string;
    };

export interface SourceTree {
  /** The folder holding pyproject.toml / setup.py. */
  readonly dir: string;
  /** How pip names the source before the project's name is known (`/home/pyodide/proj`, a URL). */
  readonly display: string;
  /** PEP 660 editable build. */
  readonly editable: boolean;
  /** The record `direct_url.json` gets; null for an sdist chosen from an index. */
  readonly directUrl: DirectUrlRecord | null;
  /** The built-wheel cache key; null when the source cannot be identified by content. */
  readonly cacheKey: string | null;
  /** Where it came from, for messages and the lock: an sdist's sha256, a commit. */
  readonly origin: SourceOrigin;
}

export type SourceOrigin =
  | { readonly kind: 'directory'; readonly path: string }
  | { readonly kind: 'archive'; readonly url: string; readonly filename: string; readonly sha256: string }
  | { readonly kind: 'git'; readonly url: string; readonly commit: string; readonly requestedRevision: string | null; readonly subdirectory: string | null };

/** Bounds on a local folder hashed for the cache (beyond them, it is built without caching). */
export const TREE_DIGEST_LIMITS = { maxFiles: 10_000, maxBytes: 64 * 1024 * 1024 } as const;

/**
 * Writes unpacked files into `dir`, a folder this build just made. The folder is checked to be
 * where it says (no link on the way) before the first write.
 */
export function writeSourceFiles(fs: FileSystem, frontend: PythonFrontend, dir: string, files: readonly SourceFile[], subject: string): void {
  fs.mkdirp(dir);
  if (!frontend.isReal(dir)) {
    throw new BuildError(BuildErrorCode.UnsafeArchive, subject, `Cannot unpack ${subject} into ${dir}: the folder leads elsewhere through a link. Nothing was written.`);
  }
  const made = new Set<string>([dir]);
  for (const file of files) {
    const path = `${dir}/${file.path}`;
    const parent = path.slice(0, path.lastIndexOf('/'));
    if (!made.has(parent)) {
      if (fs.exists(parent) && !fs.isDirectory(parent)) {
        throw new BuildError(BuildErrorCode.UnsafeArchive, subject, `Cannot unpack ${subject}: ${file.path} needs a folder where the archive has a file. Refusing to use it.`);
      }
      fs.mkdirp(parent);
      made.add(parent);
    }
    if (fs.isDirectory(path)) {
      throw new BuildError(BuildErrorCode.UnsafeArchive, subject, `Cannot unpack ${subject}: ${file.path} is both a file and a folder in the archive. Refusing to use it.`);
    }
    fs.writeFile(path, file.data, { executable: file.executable });
  }
}

/** `file:///a/b%20c` for `/a/b c` (pip's `path_to_url`). */
export function pathToFileUrl(path: string): string {
  return `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}
