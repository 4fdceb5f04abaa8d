/**
 * `WHEELHOUSE=DIR npm start` serves DIR as an index (src/cli/wheelhouse.ts). Checked three ways
 * against a folder of wheels built by the fixtures: the protocol with plain fetch, our own index
 * client and resolver, and pip itself (`python3 -m pip`), the independent reference.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexHtml, indexJson, selectContentType } from '../../../src/cli/simple-pages';
import { Wheelhouse, WheelhouseError, wheelhouseMiddleware, type WheelhouseProblem } from '../../../src/cli/wheelhouse';
import { targetFor } from '../../../src/cli/environment';
import { createPackageSource, parseSimpleHtml, parseSimpleJson, SIMPLE_ACCEPT, type PyodideLock } from '../../../src/index';
import { normalizeName } from '../../../src/pep/name';
import { resolve } from '../../../src/resolver';
import { buildSdist, buildWheel, sha256Hex, type BuiltDist, type WheelSpec } from '../../fixtures/wheel-builder';

const specs: WheelSpec[] = [
  { name: 'House.App', version: '1.0', requires: ['house-lib>=2'], requiresPython: '>=3.8', summary: 'An app.' },
  { name: 'house-lib', version: '1.0' },
  { name: 'house-lib', version: '2.1', requiresPython: '>=3.8' },
  { name: 'house-lib', version: '3.0', requiresPython: '>=3.99' },
];
const dir = mkdtempSync(join(tmpdir(), 'pipette-wheelhouse-'));
const built = new Map<string, BuiltDist>();
const problems: WheelhouseProblem[] = [];
const requests: string[] = [];
let server: Server;
let base: string;
let house: Wheelhouse;

function put(dist: BuiltDist): void {
  built.set(dist.filename, dist);
  writeFileSync(join(dir, dist.filename), dist.bytes);
}

beforeAll(async () => {
  for (const spec of specs) put(buildWheel(spec));
  put(buildSdist({ name: 'src-only', version: '0.1', requiresPython: '>=3.9' }));
  // Not served: a wheel that is not a zip, one whose METADATA names another version, other files.
  writeFileSync(join(dir, 'broken-1.0-py3-none-any.whl'), buildWheel({ name: 'broken', version: '1.0' }, { corrupt: 'not-zip' }).bytes);
  writeFileSync(join(dir, 'liar-1.0-py3-none-any.whl'), buildWheel({ name: 'liar', version: '1.0' }, { corrupt: 'metadata-mismatch' }).bytes);
  writeFileSync(join(dir, 'README.txt'), 'not a distribution\n');
  // Seconds as a float, exactly representable (.5), so the file system stores what we check.
  utimesSync(join(dir, 'house_lib-2.1-py3-none-any.whl'), 1714979289.5, 1714979289.5);

  house = await Wheelhouse.open(dir, { onProblem: (p) => problems.push(p) });
  const middleware = wheelhouseMiddleware(house);
  server = createServer((req, res) => {
    requests.push(req.url ?? '');
    middleware(req, res, () => {
      res.writeHead(418);
      res.end('not the wheelhouse\n');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((done) => server.close(done));
  rmSync(dir, { recursive: true, force: true });
});

const get = (path: string, accept?: string, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${base}${path}`, { headers: { ...(accept ? { Accept: accept } : {}), ...headers }, redirect: 'manual' });

interface JsonFile {
  filename: string;
  url: string;
  hashes: { sha256: string };
  'requires-python': string | null;
  'core-metadata': false | { sha256: string };
  'dist-info-metadata': false | { sha256: string };
  size: number;
  'upload-time': string;
  yanked: boolean;
}

describe('the folder', () => {
  it('serves every readable distribution and reports the others once each', async () => {
    const listing = await house.listing();
    expect(listing.files.map((f) => f.filename)).toEqual([
      'house_app-1.0-py3-none-any.whl',
      'house_lib-1.0-py3-none-any.whl',
      'house_lib-2.1-py3-none-any.whl',
      'house_lib-3.0-py3-none-any.whl',
      'src_only-0.1.tar.gz',
    ]);
    expect(listing.problems).toEqual([
      { filename: 'broken-1.0-py3-none-any.whl', reason: expect.stringMatching(/zip|end of central directory|invalid/i) },
      { filename: 'liar-1.0-py3-none-any.whl', reason: 'METADATA says liar 1.0.post999, the file name says liar 1.0' },
    ]);
    await house.listing();
    // Reads run in parallel, so the callback fires in completion order: once each, in any order.
    const byName = (a: WheelhouseProblem, b: WheelhouseProblem): number => (a.filename < b.filename ? -1 : 1);
    expect([...problems].sort(byName)).toEqual(listing.problems);
  });

  it('refuses a WHEELHOUSE that is not a directory, saying what to do', async () => {
    const missing = join(dir, 'nope');
    const error = await Wheelhouse.open(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WheelhouseError);
    expect(error).toMatchObject({ code: 'not-a-directory', message: `WHEELHOUSE=${missing} is not a directory. Point it at a folder of .whl files, e.g. one filled by \`pip download -d DIR\`.` });
  });

  it('picks up wheels copied in and removed while it runs', async () => {
    const late = buildWheel({ name: 'late-comer', version: '0.1' });
    writeFileSync(join(dir, late.filename), late.bytes);
    const listed = await (await get('/wheelhouse/simple/', SIMPLE_ACCEPT)).json();
    expect(listed.projects.map((p: { name: string }) => p.name)).toContain('late-comer');
    expect((await get('/wheelhouse/simple/late-comer/', SIMPLE_ACCEPT)).status).toBe(200);
    unlinkSync(join(dir, late.filename));
    expect((await get('/wheelhouse/simple/late-comer/', SIMPLE_ACCEPT)).status).toBe(404);
    expect((await get(`/wheelhouse/files/${late.filename}`)).status).toBe(404);
  });
});

describe('the index protocol', () => {
  it('lists the projects as PEP 691 JSON and PEP 503 HTML', async () => {
    const json = await get('/wheelhouse/simple/', SIMPLE_ACCEPT);
    expect(json.headers.get('content-type')).toBe('application/vnd.pypi.simple.v1+json');
    expect(await json.json()).toEqual({ meta: { 'api-version': '1.1' }, projects: [{ name: 'House.App' }, { name: 'house-lib' }, { name: 'src-only' }] });
    const html = await get('/wheelhouse/simple/', 'text/html');
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const text = await html.text();
    expect(text).toContain('<a href="house-app/">House.App</a>');
    expect(text).toContain('<meta name="pypi:repository-version" content="1.1">');
    expect(indexJson(await house.listing())).toBe(JSON.stringify({ meta: { 'api-version': '1.1' }, projects: [{ name: 'House.App' }, { name: 'house-lib' }, { name: 'src-only' }] }));
    expect(indexHtml(await house.listing())).toBe(text);
  });

  it('gives each file its sha256, size, upload time, requires-python and PEP 658 metadata hash', async () => {
    const res = await get('/wheelhouse/simple/house-lib/', SIMPLE_ACCEPT);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const page = (await res.json()) as { meta: unknown; name: string; versions: string[]; files: JsonFile[] };
    expect(page.meta).toEqual({ 'api-version': '1.1' });
    expect(page.name).toBe('house-lib');
    expect(page.versions).toEqual(['1.0', '2.1', '3.0']);
    expect(page.files.map((f) => f.filename)).toEqual(['house_lib-1.0-py3-none-any.whl', 'house_lib-2.1-py3-none-any.whl', 'house_lib-3.0-py3-none-any.whl']);
    for (const file of page.files) {
      const dist = built.get(file.filename)!;
      expect(file.url).toBe(`../../files/${file.filename}`);
      expect(file.hashes).toEqual({ sha256: dist.sha256 });
      expect(file.size).toBe(dist.bytes.length);
      expect(file['core-metadata']).toEqual({ sha256: dist.metadataSha256 });
      expect(file['dist-info-metadata']).toEqual(file['core-metadata']);
      expect(file.yanked).toBe(false);
      expect(file['upload-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    }
    expect(page.files.map((f) => f['requires-python'])).toEqual([null, '>=3.8', '>=3.99']);
    expect(page.files[1]!['upload-time']).toBe('2024-05-06T07:08:09.500000Z');
  });

  it('serves the files and their METADATA, byte for byte', async () => {
    const dist = built.get('house_app-1.0-py3-none-any.whl')!;
    const file = await get(`/wheelhouse/files/${dist.filename}`);
    expect(file.status).toBe(200);
    expect(sha256Hex(new Uint8Array(await file.arrayBuffer()))).toBe(dist.sha256);
    const metadata = await get(`/wheelhouse/files/${dist.filename}.metadata`);
    expect(await metadata.text()).toBe(dist.metadata);
    // sdists: listed, but no .metadata (PyPI serves none for them either).
    const sdist = (await (await get('/wheelhouse/simple/src-only/', SIMPLE_ACCEPT)).json()) as { files: JsonFile[] };
    expect(sdist.files).toMatchObject([{ filename: 'src_only-0.1.tar.gz', 'requires-python': '>=3.9', 'core-metadata': false }]);
    expect((await get('/wheelhouse/files/src_only-0.1.tar.gz.metadata')).status).toBe(404);
    // HEAD: headers only.
    const head = await fetch(`${base}/wheelhouse/files/${dist.filename}`, { method: 'HEAD' });
    expect(head.headers.get('content-length')).toBe(String(dist.bytes.length));
  });

  it('the HTML page says what the JSON page says, read by our own index client', async () => {
    const url = `${base}/wheelhouse/simple/house-lib/`;
    const context = { url, index: `${base}/wheelhouse/simple/`, name: normalizeName('house-lib') };
    const fromJson = parseSimpleJson(await (await get('/wheelhouse/simple/house-lib/', SIMPLE_ACCEPT)).text(), context);
    const html = await get('/wheelhouse/simple/house-lib/', 'text/html');
    const fromHtml = parseSimpleHtml(await html.text(), context);
    const essentials = (files: typeof fromJson.files) => files.map((f) => ({ filename: f.filename, url: f.url, hashes: f.hashes, requiresPython: f.requiresPython, coreMetadata: f.coreMetadata }));
    expect(essentials(fromHtml.files)).toEqual(essentials(fromJson.files));
    expect(fromJson.files[0]!.url).toBe(`${base}/wheelhouse/files/house_lib-1.0-py3-none-any.whl`);
  });

  it('redirects other spellings to the normalized page, and answers unknown paths with 404', async () => {
    for (const [path, location] of [
      ['/wheelhouse/simple/House_App/', '/wheelhouse/simple/house-app/'],
      ['/wheelhouse/simple/house-app', '/wheelhouse/simple/house-app/'],
      ['/wheelhouse/simple', '/wheelhouse/simple/'],
      ['/wheelhouse/', '/wheelhouse/simple/'],
    ] as const) {
      const res = await get(path, SIMPLE_ACCEPT);
      expect([path, res.status, res.headers.get('location')]).toEqual([path, 301, location]);
    }
    for (const path of ['/wheelhouse/simple/nothing-here/', '/wheelhouse/files/README.txt', '/wheelhouse/files/..%2FREADME.txt', '/wheelhouse/files/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/wheelhouse/files/broken-1.0-py3-none-any.whl', '/wheelhouse/other']) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
    // Outside the mount: the next handler (the dev server's own).
    expect((await get('/simple/house-app/')).status).toBe(418);
    expect((await fetch(`${base}/wheelhouse/simple/`, { method: 'POST' })).status).toBe(405);
  });

  it('answers CORS preflights and revalidations', async () => {
    const preflight = await fetch(`${base}/wheelhouse/simple/house-app/`, { method: 'OPTIONS', headers: { Origin: 'http://elsewhere', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'accept' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    const first = await get('/wheelhouse/simple/house-app/', SIMPLE_ACCEPT);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await get('/wheelhouse/simple/house-app/', SIMPLE_ACCEPT, { 'If-None-Match': etag })).status).toBe(304);
    // A different representation has a different tag.
    expect((await get('/wheelhouse/simple/house-app/', 'text/html')).headers.get('etag')).not.toBe(etag);
  });

  it('chooses the format the way PEP 691 and Warehouse do', () => {
    expect(selectContentType('application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01')).toBe('application/vnd.pypi.simple.v1+json');
    expect(selectContentType('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8')).toBe('text/html');
    expect(selectContentType(undefined)).toBe('text/html');
    expect(selectContentType('application/vnd.pypi.simple.v1+json;q=0, */*')).toBe('text/html');
    expect(selectContentType('application/vnd.pypi.simple.latest+json')).toBe('text/html');
    expect(selectContentType('text/html', 'application/vnd.pypi.simple.v1+json')).toBe('application/vnd.pypi.simple.v1+json');
  });
});

describe('clients', () => {
  it('our index client and resolver resolve from it, reading dependencies from .metadata files', async () => {
    const lock = JSON.parse(readFileSync(resolvePath(import.meta.dirname, '../../../node_modules/pyodide/pyodide-lock.json'), 'utf8')) as PyodideLock;
    const target = targetFor(lock.info, null);
    const source = createPackageSource({ indexUrls: [`${base}/wheelhouse/simple/`], pyodideLock: null, fetch: (input, init) => fetch(input, init), corsHint: false });
    requests.length = 0;
    const result = await resolve({ requirements: ['house-app'] }, source, { environment: target.environment, pyodide: target.info });
    expect(result.kind).toBe('resolution');
    if (result.kind !== 'resolution') return;
    expect(result.distributions.map((d) => `${d.name}==${d.version}`)).toEqual(['house-app==1.0', 'house-lib==2.1']);
    expect(result.distributions.map((d) => d.file.hashes.sha256)).toEqual([built.get('house_app-1.0-py3-none-any.whl')!.sha256, built.get('house_lib-2.1-py3-none-any.whl')!.sha256]);
    expect(requests.filter((r) => r.endsWith('.whl'))).toEqual([]);
    expect(requests).toContain('/wheelhouse/files/house_app-1.0-py3-none-any.whl.metadata');
    // And the wheel itself, hash-checked by the client.
    const wheel = await source.getWheel(result.distributions[0]!.file);
    expect(sha256Hex(wheel)).toBe(built.get('house_app-1.0-py3-none-any.whl')!.sha256);
  });

  it('pip resolves from it (python3 -m pip, the reference client)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PIP_CONFIG_FILE: '/dev/null', PIP_NO_CACHE_DIR: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', NO_PROXY: '127.0.0.1' };
    delete env.PIP_FIND_LINKS;
    delete env.PIP_EXTRA_INDEX_URL;
    delete env.PIP_INDEX_URL;
    const args = ['-m', 'pip', 'install', '--dry-run', '--ignore-installed', '--quiet', '--report', '-', '--index-url', `${base}/wheelhouse/simple/`, 'house-app'];
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn('python3', args, { env });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (c) => done({ code: c, stdout: out, stderr: err }));
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { install: { metadata: { name: string; version: string } }[] };
    expect(report.install.map((i) => `${i.metadata.name}==${i.metadata.version}`).sort()).toEqual(['House.App==1.0', 'house-lib==2.1']);
  });
});
