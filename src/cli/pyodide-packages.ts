/**
 * A folder holding an unpacked Pyodide distribution, served beside the page, so a classroom
 * without internet has Pyodide's own wasm builds (numpy, pyyaml, markupsafe...) too:
 *
 *   PYODIDE_PACKAGES=~/pyodide-314.0.7 npm start   -> http://HOST:5173/pyodide-packages/
 *
 * The folder is what Pyodide publishes for a release (the `pyodide-*.tar.bz2` of its GitHub
 * release, unpacked, or a copy of the CDN folder): `pyodide-lock.json` beside the wheels and
 * zips it lists. vite.config.ts mounts `pyodidePackagesMiddleware` on the dev and preview
 * servers and names the mount in the page (`<meta name="pipette-pyodide-packages">`), which
 * makes it pip's default `--pyodide-packages`. Files are served as they are, with byte ranges
 * (the resolver reads a wheel's METADATA from its central directory), CORS open and
 * Cross-Origin-Resource-Policy for the cross-origin isolated page.
 */
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { PipetteError } from '../pep';
import { CORS_HEADERS, sendFile } from './static-file';

/** Where the dev server mounts the folder. */
export const PYODIDE_PACKAGES_MOUNT = '/pyodide-packages/';

export const PyodidePackagesErrorCode = {
  /** PYODIDE_PACKAGES names something that is not a folder with a readable pyodide-lock.json. */
  NotADistribution: 'not-a-distribution',
} as const;
export type PyodidePackagesErrorCode = (typeof PyodidePackagesErrorCode)[keyof typeof PyodidePackagesErrorCode];

export class PyodidePackagesError extends PipetteError<PyodidePackagesErrorCode> {
  override readonly name = 'PyodidePackagesError';
  /** The path or value the error is about. */
  readonly input: string;
  constructor(code: PyodidePackagesErrorCode, reason: string, input: string) {
    super(code, reason);
    this.input = input;
  }
}

/** What the folder holds, for the server's log line and its warnings. */
export interface PyodidePackagesFolder {
  readonly dir: string;
  /** The lock's `info`. */
  readonly info: Readonly<Record<string, unknown>>;
  /** Entries the lock lists. */
  readonly entries: number;
  /** Of those, files present in the folder. */
  readonly present: number;
  /** Differences from the Pyodide the page runs (`abi_version`, `platform`, `python`), as sentences; empty when none. */
  readonly mismatches: readonly string[];
}

/**
 * Reads `dir/pyodide-lock.json` and checks it against the lock of the Pyodide the page runs
 * (`expected`, the bundled one): a folder for another release would offer wheels that do not load.
 */
export async function openPyodidePackages(dir: string, expected: Readonly<Record<string, unknown>>): Promise<PyodidePackagesFolder> {
  const fail = (why: string): never => {
    throw new PyodidePackagesError(
      PyodidePackagesErrorCode.NotADistribution,
      `PYODIDE_PACKAGES=${dir} ${why}. Point it at an unpacked Pyodide distribution: the folder with pyodide-lock.json and the wheels it lists (the pyodide-${String(expected['version'] ?? '')}.tar.bz2 of Pyodide's release, unpacked).`,
      dir,
    );
  };
  const info = await stat(dir).catch(() => null);
  if (!info?.isDirectory()) return fail('is not a directory');
  let lock: { info?: Record<string, unknown>; packages?: Record<string, { file_name?: unknown }> };
  try {
    lock = JSON.parse(await readFile(join(dir, 'pyodide-lock.json'), 'utf8')) as typeof lock;
  } catch {
    return fail('has no readable pyodide-lock.json');
  }
  if (typeof lock.packages !== 'object' || lock.packages === null) return fail('has a pyodide-lock.json without "packages"');
  const names = Object.values(lock.packages).map((e) => e?.file_name).filter((f): f is string => typeof f === 'string');
  const present = (await Promise.all(names.map((f) => stat(join(dir, f)).then((s) => s.isFile(), () => false)))).filter(Boolean).length;
  const theirs = lock.info ?? {};
  const mismatches = (['abi_version', 'platform', 'python'] as const)
    .filter((k) => String(theirs[k] ?? '') !== String(expected[k] ?? ''))
    .map((k) => `${k} is ${String(theirs[k] ?? 'missing')}, the page's Pyodide has ${String(expected[k] ?? '?')}`);
  return { dir, info: theirs, entries: names.length, present, mismatches };
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Serves the files of `dir` under `mount`: `<mount><file>`, one level, no other paths (no `..`,
 * no subfolders, nothing that is not a regular file); other paths go to `next`.
 */
export function pyodidePackagesMiddleware(dir: string, mount: string = PYODIDE_PACKAGES_MOUNT): Middleware {
  const root = mount.endsWith('/') ? mount : `${mount}/`;
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://pyodide-packages.invalid');
    if (!url.pathname.startsWith(root)) return next();
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS_HEADERS, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*', 'Access-Control-Max-Age': '86400' });
      return void res.end();
    }
    const notFound = (status = 404, text = 'Not Found'): void => {
      res.writeHead(status, { ...CORS_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${status} ${text}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return notFound(405, 'Method Not Allowed');
    let name: string;
    try {
      name = decodeURIComponent(url.pathname.slice(root.length));
    } catch {
      return notFound();
    }
    if (name === '' || name.includes('/') || name.includes('\\') || name === '.' || name === '..' || name.includes('\0')) return notFound();
    const path = join(dir, name);
    stat(path).then(
      (info) => {
        if (!info.isFile()) return notFound();
        const type = name.endsWith('.json') ? 'application/json' : name.endsWith('.whl') || name.endsWith('.zip') ? 'application/zip' : 'application/octet-stream';
        sendFile(req, res, path, info.size, `${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}`, { 'Content-Type': type, 'Cache-Control': 'no-cache' });
      },
      () => notFound(),
    );
  };
}
