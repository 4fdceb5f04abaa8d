/**
 * A folder of wheels served as an index (src/cli/wheelhouse.ts, the classroom server) on
 * 127.0.0.1 for benchmarks, with every request logged (path, status, body bytes) and any number
 * of slow networks in front of it (test/fixtures/network-link.ts):
 *
 *   npx tsx bench/wheelhouse-server.ts DIR [--port N] [--latency 50ms] [--bandwidth 20mbit]
 *
 * prints `INDEX http://127.0.0.1:PORT/wheelhouse/simple/` (through the slow link when one is
 * asked for) and serves until killed.
 */
import { performance } from 'node:perf_hooks';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type Http2ServerRequest, type Http2ServerResponse, type Http2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { Wheelhouse, WHEELHOUSE_MOUNT, wheelhouseMiddleware } from '../src/cli/wheelhouse';
import { describeShape, parseBandwidth, parseLatency, startNetworkLink, type NetworkLink, type NetworkShape } from '../test/fixtures/network-link';

export interface ServedRequest {
  readonly method: string;
  readonly path: string;
  status: number;
  /** Body bytes written (404 and redirect texts included; 0 for 304s and HEAD). */
  bytes: number;
  /** performance.now() when the request reached the server and when its response finished (or closed). */
  readonly at: number;
  end: number;
}

export interface WheelhouseServer {
  readonly house: Wheelhouse;
  /** The index with no added latency: http://127.0.0.1:PORT/wheelhouse/simple/ */
  readonly simpleUrl: string;
  readonly requests: ServedRequest[];
  resetRequests(): void;
  /**
   * The index through a link with `shape` (made once per shape, kept until close). `h2`: the
   * same index over HTTPS with HTTP/2, as PyPI serves it (a self-signed certificate: the
   * browser must be launched with `--ignore-certificate-errors`, see H2_BROWSER_FLAGS).
   */
  through(shape: NetworkShape, options?: { readonly h2?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export interface WheelhouseServerOptions {
  readonly port?: number;
  /** Extra files at exact paths (e.g. `/bench/micropip.whl`), CORS open, not logged. */
  readonly files?: ReadonlyMap<string, Uint8Array>;
  /**
   * Serve the files from a second host name, as PyPI does (project pages on pypi.org, wheels
   * and their PEP 658 metadata on files.pythonhosted.org): a project page asked for at
   * `127.0.0.1:PORT` links its files at `localhost:PORT`, the same server through the same link.
   * A browser keeps a pool of connections per host (6 for HTTP/1.1), so pages then stop queuing
   * behind metadata and wheels for connections, as they do not on PyPI.
   */
  readonly filesHost?: boolean;
}

/** Chromium flags the HTTPS (HTTP/2) index needs: its certificate is self-signed. */
export const H2_BROWSER_FLAGS: readonly string[] = ['--ignore-certificate-errors'];

/** A self-signed certificate for 127.0.0.1 and localhost (openssl, made once per server). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'pipette-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The host a page asked for at `127.0.0.1:PORT` names for its files (see filesHost). */
export const FILES_HOST = 'localhost';

/**
 * `res` with the body of a project page rewritten so its relative file links (`../../files/`,
 * src/cli/simple-pages.ts) become absolute ones at `filesOrigin`. Buffers the page (a few kB)
 * and sets its Content-Length again.
 */
function linkFilesAt(res: ServerResponse | Http2ServerResponse, filesOrigin: string): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers?: Record<string, string>) => ServerResponse;
  const end = res.end.bind(res) as (body?: Uint8Array | string) => ServerResponse;
  let held: { status: number; headers: Record<string, string> } | null = null;
  res.writeHead = ((status: number, headers?: Record<string, string>) => ((held = { status, headers: { ...(headers ?? {}) } }), res)) as typeof res.writeHead;
  res.end = ((body?: Uint8Array | string) => {
    const head = held ?? { status: res.statusCode, headers: {} };
    if (body === undefined || head.status !== 200) {
      writeHead(head.status, head.headers);
      return end(body);
    }
    const text = Buffer.from(body).toString('utf8').replaceAll('../../files/', `${filesOrigin}${WHEELHOUSE_MOUNT}files/`);
    const bytes = Buffer.from(text);
    writeHead(head.status, { ...head.headers, 'Content-Length': String(bytes.length) });
    return end(bytes);
  }) as typeof res.end;
}

export async function startWheelhouseServer(dir: string, options: WheelhouseServerOptions = {}): Promise<WheelhouseServer> {
  const house = await Wheelhouse.open(dir, { onProblem: (p) => process.stderr.write(`wheelhouse: skipped ${p.filename}: ${p.reason}\n`) });
  const middleware = wheelhouseMiddleware(house);
  const requests: ServedRequest[] = [];
  const handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, scheme: 'http' | 'https'): void => {
    const path = req.url ?? '/';
    const extra = options.files?.get(path);
    if (extra) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(extra.length), 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' });
      res.end(extra);
      return;
    }
    const entry: ServedRequest = { method: req.method ?? 'GET', path, status: 0, bytes: 0, at: performance.now(), end: 0 };
    requests.push(entry);
    // Body bytes as written (the wheelhouse streams files with pipe(), which calls write()).
    const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const count = (chunk: unknown): void => {
      if (typeof chunk === 'string') entry.bytes += Buffer.byteLength(chunk);
      else if (chunk instanceof Uint8Array) entry.bytes += chunk.length;
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => (count(chunk), write(chunk, ...rest))) as typeof res.write;
    // HTTP/2's end(chunk) writes the chunk through write(), counted there already; node:http's does not.
    res.end = ((...args: unknown[]) => {
      const before = entry.bytes;
      const result = end(...args);
      if (entry.bytes === before && typeof args[0] !== 'function') count(args[0]);
      return result;
    }) as typeof res.end;
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => (entry.end = performance.now()));
    const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? '';
    if (options.filesHost && path.startsWith(`${WHEELHOUSE_MOUNT}simple/`) && host.startsWith('127.0.0.1:')) {
      linkFilesAt(res, `${scheme}://${FILES_HOST}:${host.slice('127.0.0.1:'.length)}`);
    }
    // The middleware speaks node:http's request and response; HTTP/2's compatibility API has
    // the same methods for what it uses (url, headers, method; writeHead, write, end).
    middleware(req as IncomingMessage, res as ServerResponse, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
      res.end('404 Not Found\n');
    });
  };
  const server: Server = createServer((req, res) => handler(req, res, 'http'));
  // Chromium keeps connections open between page loads; the link's idle ones must not pile up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  // The HTTPS (HTTP/2) server, started when a link first asks for it.
  let secure: Promise<{ server: Http2SecureServer; port: number; sessions: Set<Http2Session> }> | null = null;
  const secureServer = (): NonNullable<typeof secure> =>
    (secure ??= new Promise((resolve, reject) => {
      const sessions = new Set<Http2Session>();
      const h2 = createSecureServer({ ...selfSignedCertificate(), allowHTTP1: true }, (req, res) => handler(req, res, 'https'));
      h2.on('session', (session: Http2Session) => (sessions.add(session), session.on('close', () => sessions.delete(session))));
      h2.once('error', reject);
      h2.listen(0, '127.0.0.1', () => resolve({ server: h2, port: (h2.address() as AddressInfo).port, sessions }));
    }));
  const links = new Map<string, Promise<NetworkLink>>();
  const indexPath = `${WHEELHOUSE_MOUNT}simple/`;
  return {
    house,
    simpleUrl: `http://127.0.0.1:${port}${indexPath}`,
    requests,
    resetRequests: () => void (requests.length = 0),
    async through(shape, { h2 = false } = {}) {
      const target = h2 ? (await secureServer()).port : port;
      const scheme = h2 ? 'https' : 'http';
      if (shape.latencyMs === 0 && shape.bandwidthBitsPerSecond === null) return `${scheme}://127.0.0.1:${target}${indexPath}`;
      const key = JSON.stringify({ shape, h2 });
      if (!links.has(key)) links.set(key, startNetworkLink(target, shape));
      return `${(await links.get(key)!).url.replace(/^http:/, `${scheme}:`)}${indexPath}`;
    },
    async close() {
      for (const link of links.values()) await (await link).close();
      if (secure) {
        const { server: h2, sessions } = await secure;
        for (const session of sessions) session.destroy();
        await new Promise<void>((resolve) => h2.close(() => resolve()));
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      house.close();
    },
  };
}

async function main(argv: string[]): Promise<void> {
  const usage = (message: string): never => {
    process.stderr.write(`${message}\nusage: wheelhouse-server.ts DIR [--port N] [--latency 50ms] [--bandwidth 20mbit]\n`);
    process.exit(2);
  };
  let dir: string | null = null;
  let port = 0;
  let latencyMs = 0;
  let bandwidth: number | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => argv[++i] ?? usage(`${a} needs a value`);
    try {
      if (a === '--port') port = Number(value());
      else if (a === '--latency') latencyMs = parseLatency(value());
      else if (a === '--bandwidth') bandwidth = parseBandwidth(value());
      else if (a.startsWith('-')) usage(`unknown option ${a}`);
      else dir = a;
    } catch (e) {
      usage(`${a}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!dir) return usage('name the folder of wheels');
  const served = await startWheelhouseServer(dir, { port });
  const shape: NetworkShape = { latencyMs, bandwidthBitsPerSecond: bandwidth };
  process.stdout.write(`INDEX ${await served.through(shape)}\n`);
  process.stderr.write(`network: ${describeShape(shape)}\n`);
  const stop = (): void => void served.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && /wheelhouse-server\.[cm]?[jt]s$/.test(process.argv[1])) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`wheelhouse-server: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
