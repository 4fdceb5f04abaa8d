/**
 * The build's `.gz` siblings and the preview server that sends them (src/cli/precompressed.ts):
 * first the two functions on a folder the test writes, over a real HTTP server; then a real
 * production build served by Vite's preview server, as `npm run build && npm run preview` runs.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompress, precompressedMiddleware } from '../../../src/cli/precompressed';
import { buildAndPreview, repoRoot, type AppPreview } from '../../fixtures/app-preview';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A raw request (fetch would decode the body and hide Content-Encoding's effect). */
function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    // A path as sent, not normalized by URL parsing: `/../x` must reach the server as it is.
    const { host, port } = new URL(url);
    const path = url.slice(url.indexOf('/', url.indexOf('//') + 2));
    const req = request({ host: host.split(':')[0], port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const GZIP = { 'Accept-Encoding': 'gzip, deflate' };
const script = Buffer.from('export const answer = 42;\n'.repeat(400));
const lock = Buffer.from(JSON.stringify({ packages: Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`p${i}`, { version: '1.0' }])) }));

describe('precompress and precompressedMiddleware', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pipette-precompressed-'));
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    mkdirSync(join(dir, 'app/assets'), { recursive: true });
    mkdirSync(join(dir, 'app/pyodide'), { recursive: true });
    writeFileSync(join(dir, 'app/assets/index.js'), script);
    writeFileSync(join(dir, 'app/pyodide/lock.json'), lock);
    writeFileSync(join(dir, 'app/assets/tiny.js'), 'export {};\n');
    writeFileSync(join(dir, 'app/assets/noise.wasm'), randomBytes(64 * 1024));
    writeFileSync(join(dir, 'app/assets/picture.png'), Buffer.alloc(8192));
    // A sibling the build did not pair with a file, and a file beside the folder served.
    writeFileSync(join(dir, 'app/assets/orphan.js.gz'), Buffer.from('not gzip'));
    writeFileSync(join(dir, 'secret.json'), lock);
    writeFileSync(join(dir, 'secret.json.gz'), Buffer.from('outside the build'));
    const written = await precompress(join(dir, 'app'), ['assets/index.js', 'pyodide/lock.json', 'assets/tiny.js', 'assets/noise.wasm', 'assets/picture.png']);
    expect(written).toEqual(['assets/index.js', 'pyodide/lock.json']);
    const middleware = precompressedMiddleware(join(dir, 'app'), '/base/', { 'Cross-Origin-Embedder-Policy': 'require-corp' });
    server = createServer((req, res) =>
      middleware(req, res, () => {
        res.writeHead(200, { 'X-Next': '1' });
        res.end('next');
      }),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a sibling only where gzip saves bytes, and it holds the same bytes', () => {
    expect(gunzipSync(readFileSync(join(dir, 'app/assets/index.js.gz')))).toEqual(script);
    expect(gunzipSync(readFileSync(join(dir, 'app/pyodide/lock.json.gz')))).toEqual(lock);
    expect(readFileSync(join(dir, 'app/assets/index.js.gz')).length).toBeLessThan(script.length / 10);
    for (const f of ['tiny.js', 'noise.wasm', 'picture.png']) expect(() => readFileSync(join(dir, `app/assets/${f}.gz`))).toThrow();
  });

  it('sends the sibling to a client that accepts gzip, with the type of the file and the given headers', async () => {
    const a = await get(`${origin}/base/assets/index.js`, GZIP);
    expect(a.status).toBe(200);
    expect(a.headers['content-encoding']).toBe('gzip');
    expect(a.headers['content-type']).toBe('text/javascript');
    expect(a.headers['vary']).toBe('Accept-Encoding');
    expect(a.headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(Number(a.headers['content-length'])).toBe(a.body.length);
    expect(gunzipSync(a.body)).toEqual(script);
    const json = await get(`${origin}/base/pyodide/lock.json`, GZIP);
    expect(json.headers['content-type']).toBe('application/json');
    expect(gunzipSync(json.body)).toEqual(lock);
  });

  it('revalidates (304 for its ETag) and answers HEAD without a body', async () => {
    const first = await get(`${origin}/base/assets/index.js`, GZIP);
    const etag = String(first.headers['etag']);
    expect(etag).toMatch(/^W\/"\d+-\d+"$/);
    const again = await get(`${origin}/base/assets/index.js`, { ...GZIP, 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const head = await get(`${origin}/base/assets/index.js`, GZIP, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-encoding']).toBe('gzip');
    expect(head.body.length).toBe(0);
  });

  it('leaves to the next server what it has no sibling for, and a client without gzip', async () => {
    const passed = async (path: string, headers: Record<string, string> = GZIP, method = 'GET'): Promise<boolean> =>
      (await get(`${origin}${path}`, headers, method)).headers['x-next'] === '1';
    expect(await passed('/base/assets/index.js', {})).toBe(true);
    expect(await passed('/base/assets/index.js', { 'Accept-Encoding': 'identity' })).toBe(true);
    expect(await passed('/base/assets/index.js', GZIP, 'POST')).toBe(true);
    expect(await passed('/base/assets/tiny.js')).toBe(true);
    expect(await passed('/base/assets/orphan.js')).toBe(true);
    expect(await passed('/base/assets/index.js.gz')).toBe(true);
    expect(await passed('/assets/index.js')).toBe(true);
    expect(await passed('/base/assets/missing.js')).toBe(true);
  });

  it('never sends a file outside the build, whatever the path says', async () => {
    for (const path of ['/base/../secret.json', '/base/%2e%2e/secret.json', '/base/..%2fsecret.json', '/base/assets/../../secret.json', '/base/%E0%A4%A', '/base/assets/index.js%00', '/base//assets/index.js']) {
      const a = await get(`${origin}${path}`, GZIP);
      expect(a.headers['x-next'], path).toBe('1');
    }
  });
});

describe('npm run build && npm run preview', () => {
  let app: AppPreview;

  beforeAll(async () => {
    app = await buildAndPreview();
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  it("sends Pyodide's wasm and scripts gzipped from the build's siblings, and each decodes to the file", async () => {
    const wasm = await get(`${app.url}pyodide/pyodide.asm.wasm`, GZIP);
    expect(wasm.status).toBe(200);
    expect(wasm.headers['content-encoding']).toBe('gzip');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(wasm.headers['cross-origin-opener-policy']).toBe('same-origin');
    const original = readFileSync(join(repoRoot, 'node_modules/pyodide/pyodide.asm.wasm'));
    expect(wasm.body.length).toBeLessThan(original.length / 2);
    expect(gunzipSync(wasm.body).equals(original)).toBe(true);
    const factory = await get(`${app.url}pyodide/pyodide.asm.mjs`, GZIP);
    expect(factory.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(factory.body).equals(readFileSync(join(repoRoot, 'node_modules/pyodide/pyodide.asm.mjs')))).toBe(true);
  });

  it('still sends every file as it is to a client that does not accept gzip', async () => {
    const wasm = await get(`${app.url}pyodide/pyodide.asm.wasm`);
    expect(wasm.headers['content-encoding']).toBeUndefined();
    expect(wasm.body.equals(readFileSync(join(repoRoot, 'node_modules/pyodide/pyodide.asm.wasm')))).toBe(true);
  });
});
