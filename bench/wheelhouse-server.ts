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
import { createServer, type Server, type ServerResponse } from 'node:http';
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
  /** The index through a link with `shape` (made once per shape, kept until close). */
  through(shape: NetworkShape): Promise<string>;
  close(): Promise<void>;
}

export interface WheelhouseServerOptions {
  readonly port?: number;
  /** Extra files at exact paths (e.g. `/bench/micropip.whl`), CORS open, not logged. */
  readonly files?: ReadonlyMap<string, Uint8Array>;
}

export async function startWheelhouseServer(dir: string, options: WheelhouseServerOptions = {}): Promise<WheelhouseServer> {
  const house = await Wheelhouse.open(dir, { onProblem: (p) => process.stderr.write(`wheelhouse: skipped ${p.filename}: ${p.reason}\n`) });
  const middleware = wheelhouseMiddleware(house);
  const requests: ServedRequest[] = [];
  const server: Server = createServer((req, res) => {
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
    res.end = ((...args: unknown[]) => (typeof args[0] !== 'function' && count(args[0]), end(...args))) as typeof res.end;
    res.on('finish', () => (entry.status = res.statusCode));
    res.on('close', () => (entry.end = performance.now()));
    middleware(req, res, () => {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Access-Control-Allow-Origin': '*' });
      res.end('404 Not Found\n');
    });
  });
  // Chromium keeps connections open between page loads; the link's idle ones must not pile up.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const links = new Map<string, Promise<NetworkLink>>();
  const indexPath = `${WHEELHOUSE_MOUNT}simple/`;
  return {
    house,
    simpleUrl: `http://127.0.0.1:${port}${indexPath}`,
    requests,
    resetRequests: () => void (requests.length = 0),
    async through(shape) {
      if (shape.latencyMs === 0 && shape.bandwidthBitsPerSecond === null) return `http://127.0.0.1:${port}${indexPath}`;
      const key = JSON.stringify(shape);
      if (!links.has(key)) links.set(key, startNetworkLink(port, shape));
      return `${(await links.get(key)!).url}${indexPath}`;
    },
    async close() {
      for (const link of links.values()) await (await link).close();
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
