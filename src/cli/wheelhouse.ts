// Over 400 lines: a folder as an index: scan, lazy reads and the HTTP handler share one listing's state.
/**
 * A folder of wheels as a package index, for a classroom without internet:
 *
 *   WHEELHOUSE=~/wheels npm start     -> http://HOST:5173/wheelhouse/simple/
 *
 * vite.config.ts mounts `wheelhouseMiddleware` on the dev and preview servers and makes the
 * page's default index point here. Every `*.whl` and `*.tar.gz` in the folder is served as pip
 * expects an index to serve it: PEP 691 JSON and PEP 503 HTML pages (chosen by the Accept header
 * as Warehouse chooses, `?format=` too), the files with their sha256 (and byte ranges, so a
 * client may read a wheel's central directory alone), and for wheels the METADATA as a PEP 658
 * `.metadata` file, so the resolver reads dependencies without downloading wheels. Names,
 * versions and Requires-Python come from the files themselves (src/pep parses them); a file
 * that cannot be read is skipped and reported, never served.
 * A file is read (hashed, its METADATA taken from its central directory) only when a page of its
 * project is first asked for, or again when it changed: a folder of thousands of wheels,
 * gigabytes of them, opens at once. The listing of names and stats is kept between requests and
 * the folder rescanned only when it changed, so a page costs one stat of the folder, and wheels
 * copied in while the server runs still appear on the next request without a restart.
 * CORS is open (`*`), as on pypi.org, so a playground on another origin can use it too.
 */
import { createHash } from 'node:crypto';
import { createReadStream, watch, type FSWatcher } from 'node:fs';
import { open as openFile, readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, strFromU8 } from 'fflate';
import { metadataFromZip } from '../index';
import {
  PepError,
  PipetteError,
  parseMetadata,
  normalizeName,
  type NormalizedName,
  type Version,
  parseSdistFilename,
  parseWheelFilename,
} from '../pep';
import { indexHtml, indexJson, projectHtml, projectJson, selectContentType, SIMPLE_JSON } from './simple-pages';
import { CORS_HEADERS, sendFile } from './static-file';

/** Where the dev server mounts the wheelhouse; the index is `<mount>simple/`. */
export const WHEELHOUSE_MOUNT = '/wheelhouse/';

export const WheelhouseErrorCode = {
  /** WHEELHOUSE names something that is not a readable directory. */
  NotADirectory: 'not-a-directory',
} as const;
export type WheelhouseErrorCode = (typeof WheelhouseErrorCode)[keyof typeof WheelhouseErrorCode];

export class WheelhouseError extends PipetteError<WheelhouseErrorCode> {
  override readonly name = 'WheelhouseError';
  /** The path or value the error is about. */
  readonly input: string;
  constructor(code: WheelhouseErrorCode, reason: string, input: string) {
    super(code, reason);
    this.input = input;
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

type Read = { readonly file: WheelhouseFile } | { readonly problem: WheelhouseProblem };

/** A file of the folder as listed: its project by its name, and its reading once asked for. */
interface Entry {
  readonly filename: string;
  /** From the file name alone; null when it does not parse (read, it becomes a problem). */
  readonly project: NormalizedName | null;
  readonly size: bigint;
  readonly mtimeNs: bigint;
  read?: Promise<Read>;
}

/** What the folder holds, by its names alone (nothing read). */
export interface WheelhouseDirectory {
  /** Distribution files (wheels and sdists). */
  readonly files: number;
  /** Projects, by the names in the file names. */
  readonly projects: number;
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** Files read whole (sdists, and wheels up to this size); larger wheels are read in parts. */
const READ_WHOLE = 64 * 1024 * 1024;

/**
 * A folder's modification time closer than this to the start of the scan that read it is not
 * trusted: the file system may have stamped a later change with the same (coarse) time. Git's
 * "racy clean" rule; 2 s covers FAT's granularity, ext4 and tmpfs stamp to the clock tick.
 */
const RACY_MS = 2000;

/**
 * The files of a folder: names and stats kept between requests, each file read when first needed.
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
  private readonly entries = new Map<string, Entry>();
  /** Files whose reading failed: stat-ed on each request (they may still be being copied). */
  private readonly unreadable = new Set<string>();
  private scanning: Promise<Map<string, Entry>> | null = null;
  private current: { readonly dirMtimeNs: bigint; readonly trusted: boolean } | null = null;
  private changed = true;
  private watcher: FSWatcher | null = null;
  /** The whole folder read (the root page), kept until the next scan. */
  private whole: Promise<WheelhouseListing> | null = null;

  private constructor(
    readonly dir: string,
    private readonly options: WheelhouseOptions,
  ) {}

  /** Opens `dir` (it must be a directory) and lists it once. */
  static async open(dir: string, options: WheelhouseOptions = {}): Promise<Wheelhouse> {
    const info = await stat(dir).catch(() => null);
    if (!info?.isDirectory()) {
      throw new WheelhouseError(WheelhouseErrorCode.NotADirectory, `WHEELHOUSE=${dir} is not a directory. Point it at a folder of .whl files, e.g. one filled by \`pip download -d DIR\`.`, dir);
    }
    const house = new Wheelhouse(dir, options);
    if (options.watch !== false) house.watch();
    await house.list();
    return house;
  }

  /** Stops watching the folder (the listing then follows the folder's time alone). */
  close(): void {
    this.watcher?.close();
    this.watcher = null;
  }

  /** Counts by file name, without reading any file. */
  async directory(): Promise<WheelhouseDirectory> {
    const entries = [...(await this.list()).values()];
    return { files: entries.length, projects: new Set(entries.map((e) => e.project ?? e.filename)).size };
  }

  /** The project's files (read now when new or changed), sorted by version then name; null when it has none. */
  async project(name: string): Promise<WheelhouseFile[] | null> {
    const project = normalizeName(name);
    const entries = [...(await this.list()).values()].filter((e) => e.project === project);
    const files = await this.readAll(entries);
    return files.length === 0 ? null : files;
  }

  /** One served file, read when needed; null when the folder has no such readable file. */
  async file(filename: string): Promise<WheelhouseFile | null> {
    const entry = (await this.list()).get(filename);
    if (!entry) return null;
    const read = await this.read(entry);
    return 'file' in read ? read.file : null;
  }

  /** The whole folder, every file read (the root page; tests); the same object until the folder changes. */
  async listing(): Promise<WheelhouseListing> {
    const entries = [...(await this.list()).values()];
    this.whole ??= Promise.all(entries.map((e) => this.read(e))).then((reads) => ({
      files: sortFiles(reads.flatMap((r) => ('file' in r ? [r.file] : []))),
      problems: reads.flatMap((r) => ('problem' in r ? [r.problem] : [])),
    }));
    return this.whole;
  }

  private async readAll(entries: readonly Entry[]): Promise<WheelhouseFile[]> {
    const reads = await Promise.all(entries.map((e) => this.read(e)));
    return sortFiles(reads.flatMap((r) => ('file' in r ? [r.file] : [])));
  }

  private read(entry: Entry): Promise<Read> {
    entry.read ??= readDistributionFile(join(this.dir, entry.filename), entry.filename, entry.mtimeNs).then((read) => {
      if ('problem' in read) {
        this.unreadable.add(entry.filename);
        this.options.onProblem?.(read.problem);
      }
      return read;
    });
    return entry.read;
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

  /** The folder as it is now: names and stats; unchanged files keep their reading. Concurrent callers share one scan. */
  private async list(): Promise<Map<string, Entry>> {
    if (this.scanning) return this.scanning;
    const current = this.current;
    if (current && !this.changed && current.trusted && !(await this.moved(current.dirMtimeNs))) return this.entries;
    this.scanning ??= this.scan().finally(() => (this.scanning = null));
    return this.scanning;
  }

  /** The folder's time moved, or an unreadable file changed (it may have been mid-copy). */
  private async moved(dirMtimeNs: bigint): Promise<boolean> {
    const info = await stat(this.dir, { bigint: true }).catch(() => null);
    if (!info || info.mtimeNs !== dirMtimeNs) return true;
    for (const filename of this.unreadable) {
      const known = this.entries.get(filename);
      const now = await stat(join(this.dir, filename), { bigint: true }).catch(() => null);
      if (!known || !now || now.size !== known.size || now.mtimeNs !== known.mtimeNs) return true;
    }
    return false;
  }

  private async scan(): Promise<Map<string, Entry>> {
    // Taken before reading: a change during the scan then shows as a newer time next request.
    this.changed = false;
    this.whole = null;
    const started = Date.now();
    const dirMtimeNs = (await stat(this.dir, { bigint: true })).mtimeNs;
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.whl') || n.endsWith('.tar.gz')).sort();
    const present = new Set(names);
    for (const gone of [...this.entries.keys()].filter((n) => !present.has(n))) this.forget(gone);
    await Promise.all(
      names.map(async (filename) => {
        const info = await stat(join(this.dir, filename), { bigint: true }).catch(() => null);
        if (!info?.isFile()) {
          this.forget(filename);
          return;
        }
        const known = this.entries.get(filename);
        if (known && known.size === info.size && known.mtimeNs === info.mtimeNs) return;
        this.unreadable.delete(filename);
        this.entries.set(filename, { filename, project: projectOfName(filename), size: info.size, mtimeNs: info.mtimeNs });
      }),
    );
    this.current = { dirMtimeNs, trusted: started - Number(dirMtimeNs / 1_000_000n) >= RACY_MS };
    return this.entries;
  }

  private forget(filename: string): void {
    this.entries.delete(filename);
    this.unreadable.delete(filename);
  }
}

function sortFiles(files: WheelhouseFile[]): WheelhouseFile[] {
  return files.sort((a, b) => (a.project < b.project ? -1 : a.project > b.project ? 1 : a.version.compare(b.version) || (a.filename < b.filename ? -1 : 1)));
}

/** The project a file name says, PEP 503 normalized; null when it does not parse. */
function projectOfName(filename: string): NormalizedName | null {
  try {
    if (filename.endsWith('.whl')) return parseWheelFilename(filename).name;
    return parseSdistFilename(filename)?.name ?? null;
  } catch {
    return null;
  }
}

/**
 * A distribution on disk: read whole when small (or an sdist), else hashed as a stream with its
 * METADATA taken from the zip's central directory, so a 700 MB wheel never sits in memory.
 */
export async function readDistributionFile(path: string, filename: string, mtimeNs: bigint): Promise<Read> {
  try {
    const size = (await stat(path)).size;
    if (size <= READ_WHOLE || !filename.endsWith('.whl')) return await readDistribution(filename, await readFile(path), mtimeNs);
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    const handle = await openFile(path, 'r');
    let metadata: Uint8Array;
    try {
      metadata = await metadataFromZip({ filename, url: path }, size, async (start, end) => {
        const buffer = new Uint8Array(end - start);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      });
    } finally {
      await handle.close();
    }
    return wheelFrom(filename, size, hash.digest('hex'), metadata, mtimeNs);
  } catch (e) {
    return { problem: { filename, reason: message(e) } };
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
export async function readDistribution(filename: string, bytes: Uint8Array, mtimeNs: bigint): Promise<Read> {
  const skip = (reason: string): { problem: WheelhouseProblem } => ({ problem: { filename, reason } });
  try {
    if (filename.endsWith('.whl')) {
      const metadata = await metadataFromZip({ filename, url: filename }, bytes.length, async (start, end) => bytes.subarray(start, end));
      return wheelFrom(filename, bytes.length, sha256(bytes), metadata, mtimeNs);
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

/** A wheel's index facts from its size, digest and METADATA, when the METADATA agrees with the file name. */
function wheelFrom(filename: string, size: number, digest: string, metadata: Uint8Array, mtimeNs: bigint): Read {
  const name = parseWheelFilename(filename);
  const meta = parseMetadata(strFromU8(metadata));
  // The binary distribution format: the file name and METADATA must agree (pip refuses otherwise).
  if (normalizeName(meta.name) !== name.name || !meta.version.equals(name.version)) {
    return { problem: { filename, reason: `METADATA says ${meta.name} ${meta.version}, the file name says ${name.name} ${name.version}` } };
  }
  return {
    file: {
      filename, kind: 'wheel', project: name.name, displayName: meta.name, version: name.version,
      size, sha256: digest, requiresPython: meta.fields.get('requires-python')?.[0]?.trim() ?? null,
      metadata, metadataSha256: sha256(metadata), uploadTime: uploadTime(mtimeNs),
    },
  };
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

// --- HTTP ---------------------------------------------------------------------------------------

/** Connect-style middleware, as Vite's dev and preview servers take it. */
export type Middleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

const CORS = CORS_HEADERS;

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
    const type = selectContentType(req.headers.accept, url.searchParams.get('format'));
    const headers = { 'Content-Type': type === SIMPLE_JSON ? SIMPLE_JSON : `${type}; charset=utf-8`, Vary: 'Accept', 'Cache-Control': 'no-cache' };
    if (name === '' && segments.length === 2) {
      const listing = await house.listing();
      const body = type === SIMPLE_JSON ? indexJson(listing) : indexHtml(listing);
      return sendCached(req, res, headers, body, sha256(Buffer.from(body)).slice(0, 32));
    }
    if (name === undefined || segments.length > 3 || (rest !== undefined && rest !== '')) return notFound(req, res);
    const project = normalizeName(name);
    const files = await house.project(project);
    if (!files) return notFound(req, res);
    // Like PyPI: every other spelling, and the URL without its slash, redirect to the normalized page.
    if (name !== project || rest === undefined) return redirect(req, res, `${root}simple/${project}/${url.search}`);
    const body = type === SIMPLE_JSON ? projectJson(project, files) : projectHtml(project, files);
    return sendCached(req, res, headers, body, sha256(Buffer.from(body)).slice(0, 32));
  }

  if (area === 'files' && name !== undefined && segments.length === 2) {
    const file = await house.file(name);
    if (file) return sendFile(req, res, join(house.dir, file.filename), file.size, file.sha256, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' });
    const wheel = name.endsWith('.metadata') ? await house.file(name.slice(0, -'.metadata'.length)) : null;
    if (wheel?.metadata && wheel.metadataSha256) {
      return sendCached(req, res, { 'Content-Type': 'application/octet-stream', 'Cache-Control': 'no-cache' }, wheel.metadata, wheel.metadataSha256);
    }
  }
  return notFound(req, res);
}
