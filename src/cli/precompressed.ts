/**
 * The build's files compressed once, at build time, and served as such by `npm run preview` (the
 * server a classroom runs on one laptop: vite.config.ts).
 *
 * Vite's preview server gzips JavaScript and JSON again on every request, on the one Node thread
 * that also serves everything else (2.2 MB of the app's and Pyodide's scripts per visitor: the
 * boot trace of bench/playground.bench.ts shows the worker's files queued behind it), and sends
 * pyodide.asm.wasm uncompressed (9.6 MB, 3.6 MB gzipped), since it compresses only text types.
 * A static host serves the same files as its CDN compresses them; the `.gz` siblings do no harm
 * there. gzip, not brotli: Chromium offers `br` only over HTTPS, and a classroom's server is HTTP.
 */
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import { gzip as gzipCallback, constants } from 'node:zlib';

const gzip = promisify(gzipCallback);

/** What a compressed file is served as, by the extension of the file it stands for. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
};
/** Smaller files are sent as they are (one packet either way). */
const MIN_BYTES = 1024;
/** A sibling is written only when it saves at least this share of the bytes. */
const MIN_SAVING = 0.1;

/** The build's files (paths relative to `outDir`) worth a `.gz` sibling: compressible types, big enough. */
function compressibleFiles(outDir: string, files: readonly string[]): string[] {
  return files.filter((f) => CONTENT_TYPES[extname(f)] !== undefined && statSync(join(outDir, f)).size >= MIN_BYTES);
}

/**
 * Writes `<file>.gz` beside each of `files` (relative to `outDir`) that gzip makes at least 10 %
 * smaller. Returns the files it wrote a sibling for.
 */
export async function precompress(outDir: string, files: readonly string[]): Promise<string[]> {
  const written: string[] = [];
  await Promise.all(
    compressibleFiles(outDir, files).map(async (file) => {
      const data = await readFile(join(outDir, file));
      const packed = await gzip(data, { level: constants.Z_BEST_COMPRESSION });
      if (packed.length > data.length * (1 - MIN_SAVING)) return;
      await writeFile(join(outDir, `${file}.gz`), packed);
      written.push(file);
    }),
  );
  return written.sort();
}

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/**
 * Answers a GET or HEAD for a file of `outDir` that has a `.gz` sibling, from a client that
 * accepts gzip, with the sibling (`Content-Encoding: gzip`) and `headers` (the server's security
 * headers); everything else goes on to the next middleware (Vite's own file server). Revalidation
 * as Vite's: a weak ETag from size and mtime, 304 when it matches.
 *
 * The files are listed once, when the server starts (a preview serves one finished build): a
 * request is looked up in that list by its decoded path, never joined onto the folder, so no
 * path reaches a file the build did not write.
 */
export function precompressedMiddleware(outDir: string, base: string, headers: Readonly<Record<string, string>>): Middleware {
  const prefix = base.endsWith('/') ? base : `${base}/`;
  const served = new Set(
    existsSync(outDir)
      ? readdirSync(outDir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile() && e.name.endsWith('.gz'))
          .map((e) => relative(outDir, join(e.parentPath, e.name.slice(0, -'.gz'.length))).split('\\').join('/'))
          .filter((f) => CONTENT_TYPES[extname(f)] !== undefined && existsSync(join(outDir, f)))
      : [],
  );
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return next();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return next();
    }
    if (!pathname.startsWith(prefix)) return next();
    const file = pathname.slice(prefix.length);
    if (!served.has(file)) return next();
    const path = join(outDir, `${file}.gz`);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      return next();
    }
    const etag = `W/"${stats.size}-${stats.mtime.getTime()}"`;
    const common = { ...headers, Vary: 'Accept-Encoding', ETag: etag };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, common);
      return void res.end();
    }
    res.writeHead(200, {
      ...common,
      'Content-Type': CONTENT_TYPES[extname(file)]!,
      'Content-Encoding': 'gzip',
      'Content-Length': String(stats.size),
      'Last-Modified': stats.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(path)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
