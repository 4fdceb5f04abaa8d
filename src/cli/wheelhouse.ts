/**
 * A folder of wheels as a package index, for a classroom without internet:
 *
 *   WHEELHOUSE=~/wheels npm start     -> http://HOST:5173/wheelhouse/simple/
 *
 * vite.config.ts mounts `wheelhouseMiddleware` on the dev and preview servers and makes the
 * page's default index point here. Every `*.whl` and `*.tar.gz` in the folder is served as pip
 * expects an index to serve it: PEP 691 JSON and PEP 503 HTML pages (chosen by the Accept header
 * as Warehouse chooses, `?format=` too), the files with their sha256, and for wheels the
 * METADATA as a PEP 658 `.metadata` file, so the resolver reads dependencies without
 * downloading wheels. Names, versions and Requires-Python come from the files themselves
 * (src/pep parses them); a file that cannot be read is skipped and reported, never served.
 * The listing is kept between requests and the folder rescanned only when it changed (a stat per
 * file; only new or changed files are read again), so wheels copied in while the server runs
 * appear without a restart, and otherwise a page costs one stat of the folder.
 * CORS is open (`*`), as on pypi.org, so a playground on another origin can use it too.
 */
import { createHash } from 'node:crypto';
import { createReadStream, watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, strFromU8, unzipSync } from 'fflate';
import { PepError } from '../pep/error';
import { parseMetadata } from '../pep/metadata';
import { normalizeName, type NormalizedName } from '../pep/name';
import type { Version } from '../pep/version';
import { parseSdistFilename, parseWheelFilename } from '../pep/wheel';

/** Where the dev server mounts the wheelhouse; the index is `<mount>simple/`. */
export const WHEELHOUSE_MOUNT = '/wheelhouse/';

export const WheelhouseErrorCode = {
  /** WHEELHOUSE names something that is not a readable directory. */
  NotADirectory: 'not-a-directory',
} as const;
export type WheelhouseErrorCode = (typeof WheelhouseErrorCode)[keyof typeof WheelhouseErrorCode];

export class WheelhouseError extends PepError {
  override readonly name = 'WheelhouseError';
  constructor(code: WheelhouseErrorCode, reason: string, input: string) {
    super(code, reason, input);
  }
}

/** One distribution the wheelhouse serves. */
export interface WheelhouseFile {
  readonly filename: string;
  readonly kind: 'wheel' | 'sdist';
  readonly project: NormalizedName;
  /** The name as its metadata spells it (the index page shows it). */
  readonly displayName: string;
  readonly version: Version;
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
  /** Requires-Python as the metadata gives it, or null. */
  readonly requiresPython: string | null;
  /** The wheel's METADATA (served as `<file>.metadata`); null for sdists (PyPI serves none either). */
  readonly metadata: Uint8Array | null;
  readonly metadataSha256: string | null;
  /** PEP 700 `upload-time`: the file's modification time. */
  readonly uploadTime: string;
}

/** A file in the folder that is not served, and why. */
export interface WheelhouseProblem {
  readonly filename: string;
  readonly reason: string;
}

export interface WheelhouseListing {
  /** Sorted by project, then version, then file name. */
  readonly files: readonly WheelhouseFile[];
  readonly problems: readonly WheelhouseProblem[];
}

export interface WheelhouseOptions {
  /** Told once about each unreadable file (again only when the file changes). */
  readonly onProblem?: (problem: WheelhouseProblem) => void;
  /** Watch the folder for changes (default true); without, its modification time alone tells. */
  readonly watch?: boolean;
}

type Scanned = { readonly size: bigint; readonly mtimeNs: bigint } & ({ readonly file: WheelhouseFile } | { readonly problem: WheelhouseProblem });

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * A folder's modification time closer than this to the start of the scan that read it is not
 * trusted: the file system may have stamped a later change with the same (coarse) time. Git's
 * "racy clean" rule; 2 s covers FAT's granularity, ext4 and tmpfs stamp to the clock tick.
 */
const RACY_MS = 2000;

/**
 * The files of a folder, read and kept up to date as the folder changes.
 *
 * The listing is kept until the folder changes: each request costs one stat of the folder (and of
 * any unreadable file, which may still be being copied), and a rescan happens only when
 *
 * - the folder's modification time moved (a file added, removed or renamed), checked on every
 *   request, so a wheel copied in shows on the very next one; or
 * - a watcher (fs.watch) saw an event, which also catches a file rewritten in place (the
 *   folder's time does not move for that); or
 * - the last scan's folder time was too recent to trust (RACY_MS).
 *
 * With 10,000 wheels a page then costs well under 2 ms instead of 10,000 stats.
 */
export class Wheelhouse {
  private readonly seen = new Map<string, Scanned>();
  private scanning: Promise<WheelhouseListing> | null = null;
  private current: { listing: WheelhouseListing; dirMtimeNs: bigint; trusted: boolean } | null = null;
  private changed = true;
  private watcher: FSWatcher | null = null;

  private constructor(
    readonly dir: string,
    private readonly options: WheelhouseOptions,
  ) {}

  /** Opens `dir` (it must be a directory) and reads it once. */
  static async open(dir: string, options: WheelhouseOptions = {}): Promise<Wheelhouse> {
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) {
      throw new WheelhouseError(WheelhouseErrorCode.NotADirectory, `WHEELHOUSE=${dir} is not a directory. Point it at a folder of .whl files, e.g. one filled by \`pip download -d DIR\`.`, dir);
    }
    const house = new Wheelhouse(dir, options);
    if (options.watch !== false) house.watch();
    await house.listing();
    return house;
  }

  /** The folder as it is now. Concurrent callers share one scan. */
  async listing(): Promise<WheelhouseListing> {
    if (this.scanning) return this.scanning;
    const current = this.current;
    if (current && !this.changed && current.trusted && !(await this.moved(current.dirMtimeNs, current.listing.problems))) return current.listing;
    this.scanning ??= this.scan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  /** Stops watching the folder (the listing then follows the folder's time alone). */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /**
   * Marks the listing stale on any event in the folder. Not persistent: it never keeps a process
   * alive. Where watching fails (inotify limits, some network file systems) the folder's time
   * still catches files added and removed.
   */
  private watch(): void {
    try {
      this.watcher = watch(this.dir, { persistent: false }, () => (this.changed = true));
      this.watcher.on('error', () => this.close());
    } catch {
      this.watcher = null;
    }
  }

  /** The folder's time moved, or an unreadable file changed (it may have been mid-copy). */
  private async moved(dirMtimeNs: bigint, problems: readonly WheelhouseProblem[]): Promise<boolean> {
    const info = await stat(this.dir, { bigint: true }).catch(() => null);
    if (!info || info.mtimeNs !== dirMtimeNs) return true;
    for (const { filename } of problems) {
      const seen = this.seen.get(filename);
      const now = await stat(join(this.dir, filename), { bigint: true }).catch(() => null);
      if (!seen || !now || now.size !== seen.size || now.mtimeNs !== seen.mtimeNs) return true;
    }
    return false;
  }

  private async scan(): Promise<WheelhouseListing> {
    // Taken before reading: a change during the scan then shows as a newer time next request.
    this.changed = false;
    const started = Date.now();
    const dirMtimeNs = (await stat(this.dir, { bigint: true })).mtimeNs;
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.whl') || n.endsWith('.tar.gz')).sort();
    const present = new Set(names);
    for (const gone of [...this.seen.keys()].filter((n) => !present.has(n))) this.seen.delete(gone);
    const files: WheelhouseFile[] = [];
    const problems: WheelhouseProblem[] = [];
    for (const filename of names) {
      const info = await stat(join(this.dir, filename), { bigint: true }).catch(() => null);
      if (!info?.isFile()) continue;
      let entry = this.seen.get(filename);
      if (!entry || entry.size !== info.size || entry.mtimeNs !== info.mtimeNs) {
        entry = { size: info.size, mtimeNs: info.mtimeNs, ...(await readDistribution(filename, await readFile(join(this.dir, filename)), info.mtimeNs)) };
        this.seen.set(filename, entry);
        if ('problem' in entry) this.options.onProblem?.(entry.problem);
      }
      if ('file' in entry) files.push(entry.file);
      else problems.push(entry.problem);
    }
    files.sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : a.version.compare(b.version) || (a.filename < b.filename ? -1 : 1)));
    const listing = { files, problems };
    this.current = { listing, dirMtimeNs, trusted: started - Number(dirMtimeNs / 1_000_000n) >= RACY_MS };
    return listing;
  }
}

/** PEP 700 wants `yyyy-mm-ddThh:mm:ss.ffffffZ`: the modification time to the microsecond. */
function uploadTime(mtimeNs: bigint): string {
  const seconds = new Date(Number(mtimeNs / 1_000_000_000n) * 1000).toISOString().slice(0, 19);
  const micros = String((mtimeNs / 1000n) % 1_000_000n).padStart(6, '0');
  return `${seconds}.${micros}Z`;
}

const message = (e: unknown): string => (e instanceof PepError ? e.reason : e instanceof Error ? e.message : String(e));

/** A distribution read from its bytes: what the index says about it, or why it is skipped. */
export function readDistribution(filename: string, bytes: Uint8Array, mtimeNs: bigint): { file: WheelhouseFile } | { problem: WheelhouseProblem } {
  const skip = (reason: string): { problem: WheelhouseProblem } => ({ problem: { filename, reason } });
  try {
    if (filename.endsWith('.whl')) {
      const name = parseWheelFilename(filename);
      const entries = unzipSync(bytes, { filter: (f) => /^[^/]+\.dist-info\/METADATA$/.test(f.name) });
      const found = Object.entries(entries);
      if (found.length !== 1) return skip(found.length === 0 ? 'no .dist-info/METADATA in the wheel' : 'more than one .dist-info directory in the wheel');
      const metadata = found[0]![1];
      const meta = parseMetadata(strFromU8(metadata));
      // The binary distribution format: the file name and METADATA must agree (pip refuses otherwise).
      if (normalizeName(meta.name) !== name.name || !meta.version.equals(name.version)) {
        return skip(`METADATA says ${meta.name} ${meta.version}, the file name says ${name.name} ${name.version}`);
      }
      return {
        file: {
          filename, kind: 'wheel', project: name.name, displayName: meta.name, version: name.version,
          size: bytes.length, sha256: sha256(bytes), requiresPython: meta.fields.get('requires-python')?.[0]?.trim() ?? null,
          metadata, metadataSha256: sha256(metadata), uploadTime: uploadTime(mtimeNs),
        },
      };
    }
    const name = parseSdistFilename(filename);
    if (!name) return skip('not a source distribution name (NAME-VERSION.tar.gz)');
    const pkgInfo = readTarMember(gunzipSync(bytes), /^[^/]+\/PKG-INFO$/);
    if (!pkgInfo) return skip('no PKG-INFO at the root of the source distribution');
    const meta = parseMetadata(strFromU8(pkgInfo));
    return {
      file: {
        filename, kind: 'sdist', project: name.name, displayName: meta.name, version: name.version,
        size: bytes.length, sha256: sha256(bytes), requiresPython: meta.fields.get('requires-python')?.[0]?.trim() ?? null,
        metadata: null, metadataSha256: null, uploadTime: uploadTime(mtimeNs),
      },
    };
  } catch (e) {
    return skip(message(e));
  }
}

/** The first regular file of a ustar archive whose path matches (POSIX ustar headers, 512-byte blocks). */
function readTarMember(tar: Uint8Array, path: RegExp): Uint8Array | null {
  const field = (at: number, length: number): string => strFromU8(tar.subarray(at, at + length)).replace(/\0.*$/s, '');
  for (let at = 0; at + 512 <= tar.length; ) {
    const name = field(at, 100);
    if (name === '') return null; // the two zero blocks that end the archive
    const prefix = field(at + 345, 155);
    const size = parseInt(field(at + 124, 12).trim() || '0', 8);
    const type = field(at + 156, 1);
    const full = prefix ? `${prefix}/${name}` : name;
    if ((type === '0' || type === '') && path.test(full)) return tar.subarray(at + 512, at + 512 + size);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return null;
}

// --- pages ------------------------------------------------------------------------------------

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
const TEXT_HTML = 'text/html';
/** The offers in the order Warehouse breaks ties in (HTML first). */
const OFFERS = [TEXT_HTML, SIMPLE_HTML, SIMPLE_JSON] as const;

/**
 * The content type to answer with (PEP 691 "Version + Format Selection"): each offer takes the q
 * of the most specific media range that matches it, q=0 refuses, ties go to the earlier offer,
 * no acceptable offer means text/html. `?format=` overrides the header, as on PyPI.
 * Ex) pip's `application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01` -> JSON
 */
export function selectContentType(accept: string | undefined, format: string | null = null): string {
  if (format && (OFFERS as readonly string[]).includes(format)) return format;
  let best: { offer: string; q: number } | null = null;
  for (const offer of OFFERS) {
    const [type, subtype] = offer.split('/') as [string, string];
    let match: { specificity: number; q: number } | null = null;
    for (const part of (accept ?? '').split(',')) {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const [t, s] = range.split('/');
      const specificity = t === type && s === subtype ? 3 : t === type && s === '*' ? 2 : t === '*' && s === '*' ? 1 : 0;
      if (specificity === 0 || (match && match.specificity >= specificity)) continue;
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      match = { specificity, q: Number.isFinite(q) ? q : 0 };
    }
    if (match && match.q > 0 && (!best || match.q > best.q)) best = { offer, q: match.q };
  }
  return best?.offer ?? TEXT_HTML;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Relative to `<mount>simple/<project>/`, so the pages work behind any host name or proxy. */
const fileHref = (filename: string): string => `../../files/${encodeURIComponent(filename)}`;

function projects(listing: WheelhouseListing): Map<NormalizedName, WheelhouseFile[]> {
  const byProject = new Map<NormalizedName, WheelhouseFile[]>();
  for (const f of listing.files) byProject.set(f.project, [...(byProject.get(f.project) ?? []), f]);
  return byProject;
}

/** PEP 691 root page (api-version 1.1). */
export function indexJson(listing: WheelhouseListing): string {
  const list = [...projects(listing).values()].map((files) => ({ name: files[0]!.displayName }));
  return JSON.stringify({ meta: { 'api-version': '1.1' }, projects: list });
}

/** PEP 503 root page. */
export function indexHtml(listing: WheelhouseListing): string {
  const links = [...projects(listing)].map(([name, files]) => `    <a href="${name}/">${escapeHtml(files[0]!.displayName)}</a><br/>`);
  return page('Simple index', links);
}

/** PEP 691 project page with PEP 700 `versions`, `size`, `upload-time` and PEP 714 `core-metadata`. */
export function projectJson(project: NormalizedName, files: readonly WheelhouseFile[]): string {
  const versions = [...new Map(files.map((f) => [f.version.toString(), f.version])).values()].sort((a, b) => a.compare(b));
  return JSON.stringify({
    meta: { 'api-version': '1.1' },
    name: project,
    versions: versions.map((v) => v.toString()),
    files: files.map((f) => {
      const metadata = f.metadataSha256 ? { sha256: f.metadataSha256 } : false;
      return {
        filename: f.filename,
        url: fileHref(f.filename),
        hashes: { sha256: f.sha256 },
        'requires-python': f.requiresPython,
        'core-metadata': metadata,
        'dist-info-metadata': metadata,
        size: f.size,
        'upload-time': f.uploadTime,
        yanked: false,
      };
    }),
  });
}

/** PEP 503 project page with PEP 658/714 metadata attributes. */
export function projectHtml(project: NormalizedName, files: readonly WheelhouseFile[]): string {
  const links = files.map((f) => {
    const attrs = [`href="${fileHref(f.filename)}#sha256=${f.sha256}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${escapeHtml(f.requiresPython)}"`);
    if (f.metadataSha256) attrs.push(`data-core-metadata="sha256=${f.metadataSha256}"`, `data-dist-info-metadata="sha256=${f.metadataSha256}"`);
    return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br/>`;
  });
  return page(`Links for ${project}`, links);
}

function page(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.1">',
    `    <title>${escapeHtml(title)}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>${escapeHtml(title)}</h1>`,
    ...body,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}

// --- HTTP ---------------------------------------------------------------------------------------

/** Connect-style middleware, as Vite's dev and preview servers take it. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const CORS: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  // The page may be cross-origin isolated (COEP require-corp); CORS covers fetch, this covers the rest.
  'Cross-Origin-Resource-Policy': 'cross-origin',
};

/**
 * Serves `house` under `mount` (default `/wheelhouse/`); other paths go to `next`.
 *
 *   <mount>simple/                 project list (JSON or HTML)
 *   <mount>simple/<project>/       project page; other spellings redirect to the normalized one
 *   <mount>files/<file>            the file
 *   <mount>files/<wheel>.metadata  its METADATA (PEP 658)
 */
export function wheelhouseMiddleware(house: Wheelhouse, mount: string = WHEELHOUSE_MOUNT): Middleware {
  const root = mount.endsWith('/') ? mount : `${mount}/`;
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://wheelhouse.invalid');
    if (url.pathname !== root.slice(0, -1) && !url.pathname.startsWith(root)) return next();
    handle(house, root, req, res, url).catch((e: unknown) => {
      if (!res.headersSent) send(req, res, 500, { 'Content-Type': 'text/plain; charset=utf-8' }, `wheelhouse: ${message(e)}\n`);
      else res.destroy();
    });
  };
}

function send(req: IncomingMessage, res: ServerResponse, status: number, headers: Record<string, string>, body: string | Uint8Array = ''): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...CORS, ...headers, 'Content-Length': String(bytes.length) });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

function sendCached(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>, body: string | Uint8Array, etag: string): void {
  const tagged = { ...headers, ETag: `"${etag}"` };
  if (req.headers['if-none-match'] === `"${etag}"`) {
    res.writeHead(304, { ...CORS, ...tagged });
    res.end();
    return;
  }
  send(req, res, 200, tagged, body);
}

const notFound = (req: IncomingMessage, res: ServerResponse): void => send(req, res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, '404 Not Found\n');
const redirect = (req: IncomingMessage, res: ServerResponse, location: string): void =>
  send(req, res, 301, { Location: location, 'Content-Type': 'text/plain; charset=utf-8' }, `Moved to ${location}\n`);

async function handle(house: Wheelhouse, root: string, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS', 'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*', 'Access-Control-Max-Age': '86400' });
    res.end();
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(req, res, 405, { Allow: 'GET, HEAD, OPTIONS', 'Content-Type': 'text/plain; charset=utf-8' }, 'Method Not Allowed\n');
  let segments: string[];
  try {
    segments = url.pathname.slice(root.length).split('/').map(decodeURIComponent);
  } catch {
    return notFound(req, res);
  }
  const [area, name, rest] = segments;
  if (url.pathname.length < root.length || area === '' || (area === 'simple' && segments.length === 1)) return redirect(req, res, `${root}simple/${url.search}`);

  if (area === 'simple') {
    const listing = await house.listing();
    const type = selectContentType(req.headers.accept, url.searchParams.get('format'));
    const headers = { 'Content-Type': type === SIMPLE_JSON ? SIMPLE_JSON : `${type}; charset=utf-8`, Vary: 'Accept', 'Cache-Control': 'no-cache' };
    if (name === '' && segments.length === 2) {
      const body = type === SIMPLE_JSON ? indexJson(listing) : indexHtml(listing);
      return sendCached(req, res, headers, body, sha256(Buffer.from(body)).slice(0, 32));
    }
    if (name === undefined || segments.length > 3 || (rest !== undefined && rest !== '')) return notFound(req, res);
    const project = normalizeName(name);
    const files = listing.files.filter((f) => f.project === project);
    if (files.length === 0) return notFound(req, res);
    // Like PyPI: every other spelling, and the URL without its slash, redirect to the normalized page.
    if (name !== project || rest === undefined) return redirect(req, res, `${root}simple/${project}/${url.search}`);
    const body = type === SIMPLE_JSON ? projectJson(project, files) : projectHtml(project, files);
    return sendCached(req, res, headers, body, sha256(Buffer.from(body)).slice(0, 32));
  }

  if (area === 'files' && name !== undefined && segments.length === 2) {
    const listing = await house.listing();
    const file = listing.files.find((f) => f.filename === name);
    if (file) {
      const headers = { 'Content-Type': 'application/octet-stream', 'Content-Length': String(file.size), 'Cache-Control': 'no-cache', ETag: `"${file.sha256}"` };
      if (req.headers['if-none-match'] === headers.ETag) {
        res.writeHead(304, { ...CORS, ETag: headers.ETag });
        res.end();
        return;
      }
      res.writeHead(200, { ...CORS, ...headers });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(join(house.dir, file.filename)).on('error', () => res.destroy()).pipe(res);
      return;
    }
    const wheel = name.endsWith('.metadata') ? listing.files.find((f) => f.filename === name.slice(0, -'.metadata'.length)) : undefined;
    if (wheel?.metadata && wheel.metadataSha256) {
      return sendCached(req, res, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' }, wheel.metadata, wheel.metadataSha256);
    }
  }
  return notFound(req, res);
}
