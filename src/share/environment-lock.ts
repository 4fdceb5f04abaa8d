/**
 * The environment lock as a share link and an export carry it: plain data, no classes, so it
 * crosses Comlink, JSON and IndexedDB unchanged. The runtime produces exactly this from its
 * environment (design: "the lock is what persists across reloads and what a share link holds;
 * the files on disk are derived from it").
 *
 * Ex) { version: 1, python: '3.14.2', pyodide: '314.0.7', platform: 'pyemscripten_2026_0_wasm32',
 *       indexes: ['https://pypi.org/simple/'],
 *       distributions: [{ name: 'six', version: '1.17.0', filename: 'six-1.17.0-py2.py3-none-any.whl',
 *                         url: 'https://files.pythonhosted.org/.../six-1.17.0-py2.py3-none-any.whl',
 *                         sha256: '4721f391...', index: 'https://pypi.org/simple/', requested: true }],
 *       files: [{ path: 'main.py', content: 'import six\n' }] }
 */
import type { LockRecord } from '../install';

/**
 * One installed distribution as a link carries it: src/install's LockRecord without its
 * `directUrl` (a record without an index is a direct reference to its URL), and with the URL
 * left out (null) where the index gives it back: a v2 link names the file, and the restore
 * asks the record's index for it by that name ({@link recordOf}). Links of format v1 write the
 * six fields other than `filename` (it is the URL's last path segment there).
 */
export interface LockedWheel {
  readonly name: string;
  readonly version: string;
  /** The wheel's file name. Ex) `six-1.17.0-py2.py3-none-any.whl`. */
  readonly filename: string;
  /** Where the file is; null: wherever `index` lists `filename` (never for a direct reference). */
  readonly url: string | null;
  readonly sha256: string;
  readonly index: string | null;
  readonly requested: boolean;
}

/**
 * The full lock record of a link's entry, its file found at `url` (the entry's own URL, or
 * where its index lists its file name); no index = a direct URL.
 */
export function recordOf(wheel: LockedWheel, url: string): LockRecord {
  return { name: wheel.name, version: wheel.version, filename: wheel.filename, url, sha256: wheel.sha256, index: wheel.index, requested: wheel.requested, directUrl: wheel.index === null ? url : null };
}

/** A record as a lock carries it (the seven fields of {@link LockedWheel}, in this order). */
export function toLinkedWheel(record: LockRecord): LockedWheel {
  return {
    name: record.name,
    version: record.version,
    filename: record.filename,
    url: record.url,
    sha256: record.sha256,
    index: record.directUrl !== null ? null : record.index,
    requested: record.requested,
  };
}

/** A text file of the person's home folder (their code, a requirements.txt, pip.conf). */
export interface LockedFile {
  /** Relative to the home folder, `/`-separated, no `.`/`..` segments. Ex) `src/main.py`. */
  readonly path: string;
  readonly content: string;
}

/**
 * A distribution built in the tab from a source (src/build), carried by what identifies the
 * source's content, never by its wheel (a rebuild need not give the same bytes): the restore
 * fetches the source, checks it against this, builds it with its build backend and installs
 * the wheel (runtime/shared-environment.ts).
 * - `sdist`: an sdist by its file name and sha256, found on `index` by that name (url null) or
 *   at `url` (a direct reference `name @ URL`; index null);
 * - `git`: a GitHub repository at a full commit id (PEP 610 `vcs_info`), with the ref the person
 *   asked for (shown only) and the project's folder in the repository;
 * - `directory`: a folder of the home folder whose files the link carries (`pip install -e .`:
 *   path `''`, the home folder itself), built editable or not.
 */
export type LockedBuild =
  | {
      readonly kind: 'sdist';
      readonly name: string;
      readonly version: string;
      readonly requested: boolean;
      /** Ex) `hello-0.1.tar.gz`. */
      readonly filename: string;
      readonly url: string | null;
      readonly sha256: string;
      readonly index: string | null;
    }
  | {
      readonly kind: 'git';
      readonly name: string;
      readonly version: string;
      readonly requested: boolean;
      /** `https://github.com/OWNER/REPO`. */
      readonly repository: string;
      /** 40 lower-case hex digits. */
      readonly commit: string;
      readonly revision: string | null;
      readonly subdirectory: string | null;
    }
  | {
      readonly kind: 'directory';
      readonly name: string;
      readonly version: string;
      readonly requested: boolean;
      /** Relative to the home folder, `/`-separated; `''` is the home folder itself. */
      readonly path: string;
      readonly editable: boolean;
    };

export interface EnvironmentLock {
  readonly version: 1;
  /** The interpreter's Python version. Ex) `3.14.2`. */
  readonly python: string;
  /** The Pyodide release. Ex) `314.0.7`. */
  readonly pyodide: string;
  /** The best platform tag of that Pyodide build (PEP 783). Ex) `pyemscripten_2026_0_wasm32`. */
  readonly platform: string;
  /** Index URLs in pip's order (`--index-url` first, then `--extra-index-url`), never with credentials. */
  readonly indexes: readonly string[];
  readonly distributions: readonly LockedWheel[];
  readonly files: readonly LockedFile[];
  /** Distributions built from source (absent when there are none: such locks read as before). */
  readonly builds?: readonly LockedBuild[];
}

/** The version of the lock's data (its `version` field); links have their own format number (link.ts). */
export const LOCK_VERSION = 1;

/** PyPI's simple index, the one index trusted without asking. */
export const PYPI_INDEX = 'https://pypi.org/simple/';

/** Where PyPI's simple index points for the files themselves. */
export const PYPI_FILES_ORIGIN = 'https://files.pythonhosted.org';

/**
 * Bounds on what a lock may hold. A link is data from anyone, so every size is bounded before
 * it can cost memory; the figures leave room for real environments (a 200-package lock is
 * about 18 kB compressed, a 25 kB link: see bench/share.bench.ts).
 */
export const LockLimits = {
  /** Compressed payload of a link, in bytes. */
  compressedBytes: 256 * 1024,
  /** The lock's JSON once unpacked, in bytes (UTF-8). */
  jsonBytes: 2 * 1024 * 1024,
  distributions: 1000,
  indexes: 16,
  files: 500,
  /** Characters of one file's content. */
  fileChars: 1024 * 1024,
  /** Characters of a file path. */
  pathChars: 1024,
  /** Characters of a URL. */
  urlChars: 4096,
} as const;
