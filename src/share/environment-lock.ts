/**
 * The environment lock as a share link and an export carry it: plain data, no classes, so it
 * crosses Comlink, JSON and IndexedDB unchanged. The runtime produces exactly this from its
 * environment (design: "the lock is what persists across reloads and what a share link holds;
 * the files on disk are derived from it").
 *
 * Ex) { version: 1, python: '3.14.2', pyodide: '314.0.7', platform: 'pyemscripten_2026_0_wasm32',
 *       indexes: ['https://pypi.org/simple/'],
 *       distributions: [{ name: 'six', version: '1.17.0', url: 'https://files.pythonhosted.org/.../six-1.17.0-py2.py3-none-any.whl',
 *                         sha256: '4721f391...', index: 'https://pypi.org/simple/', requested: true }],
 *       files: [{ path: 'main.py', content: 'import six\n' }] }
 */

/** One installed distribution: enough to fetch the very same wheel again and check it. */
export interface LockedWheel {
  /** The project name as its METADATA spells it (`Jinja2`); valid under PEP 508. */
  readonly name: string;
  /** PEP 440 version. */
  readonly version: string;
  /** The wheel's URL: https, or http on the loopback only; its last path segment is the wheel file name. */
  readonly url: string;
  /** Lower-case hex sha256 of the wheel; the restore refuses a download that does not match. */
  readonly sha256: string;
  /** The index the wheel was found on; null for a direct reference (`name @ URL`). */
  readonly index: string | null;
  /** Named by the person (pip's REQUESTED), not only pulled in as a dependency. */
  readonly requested: boolean;
}

/** A text file of the person's home folder (their code, a requirements.txt, pip.conf). */
export interface LockedFile {
  /** Relative to the home folder, `/`-separated, no `.`/`..` segments. Ex) `src/main.py`. */
  readonly path: string;
  readonly content: string;
}

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
}

/** The format version this code writes and reads (the `version` field and the link's `v1.`). */
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
