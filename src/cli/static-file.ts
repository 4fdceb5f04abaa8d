/**
 * One file from disk over HTTP, as a package index serves it: CORS open (`*`, as pypi.org) with
 * Cross-Origin-Resource-Policy so a cross-origin isolated page may load it, an ETag for
 * revalidation, and single byte ranges (RFC 9110 §14: `Range: bytes=first-last`, answered 206
 * with Content-Range; 416 when unsatisfiable), so clients can read a wheel's METADATA from its
 * central directory without downloading it (src/index/lazy-wheel.ts).
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'Content-Range, Content-Length, ETag',
  // The page may be cross-origin isolated (COEP require-corp); CORS covers fetch, this covers the rest.
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/** A single `bytes=first-last` (or `first-`, or `-suffix`) range within `size`, or null; `'unsatisfiable'` when outside it. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec((header ?? '').trim());
  if (!m || (m[1] === '' && m[2] === '')) return null;
  let start: number;
  let end: number;
  if (m[1] === '') {
    // The last N bytes.
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/**
 * Sends `path` (`size` bytes, tagged `etag`) with `headers`: 304 for a matching If-None-Match,
 * 206 for a range, 200 otherwise; HEAD sends the headers only.
 */
export function sendFile(req: IncomingMessage, res: ServerResponse, path: string, size: number, etag: string, headers: Readonly<Record<string, string>>): void {
  const tag = `"${etag}"`;
  const base = { ...CORS_HEADERS, ...headers, ETag: tag, 'Accept-Ranges': 'bytes' };
  if (req.headers['if-none-match'] === tag) {
    res.writeHead(304, base);
    res.end();
    return;
  }
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...base, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' });
    res.end();
    return;
  }
  const [status, start, end] = range ? [206, range.start, range.end] : [200, 0, size - 1];
  res.writeHead(status, {
    ...base,
    'Content-Length': String(size === 0 ? 0 : end - start + 1),
    ...(range ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || size === 0) return void res.end();
  createReadStream(path, { start, end })
    .on('error', () => res.destroy())
    .pipe(res);
}
