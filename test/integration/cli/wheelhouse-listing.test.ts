/**
 * The wheelhouse keeps its listing between requests (a classroom server with thousands of wheels
 * must not stat every file for every page: bench/wheelhouse.bench.ts) and still shows every
 * change to the folder: a wheel copied in is on the very next page, a removed one gone, a file
 * rewritten in place or finished copying picked up.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Wheelhouse, wheelhouseMiddleware, type WheelhouseOptions } from '../../../src/cli/wheelhouse';
import { SIMPLE_ACCEPT } from '../../../src/index';
import { buildWheel } from '../../fixtures/wheel-builder';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A folder with two wheels, last changed an hour ago (past the racy window), served over HTTP. */
async function serve(options: WheelhouseOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pipette-wheelhouse-listing-'));
  for (const spec of [{ name: 'alpha', version: '1.0' }, { name: 'beta', version: '2.0' }]) {
    const wheel = buildWheel(spec);
    writeFileSync(join(dir, wheel.filename), wheel.bytes);
  }
  // Always the same whole second, so putting it back leaves the folder's time exactly unchanged.
  const anHourAgo = Math.floor(Date.now() / 1000) - 3600;
  const settle = (secondsEarlier = 0): void => utimesSync(dir, anHourAgo - secondsEarlier, anHourAgo - secondsEarlier);
  settle();
  const house = await Wheelhouse.open(dir, options);
  const middleware = wheelhouseMiddleware(house);
  const server: Server = createServer((req, res) => middleware(req, res, () => res.writeHead(404).end()));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/wheelhouse/`;
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => house.close());
  cleanups.push(() => new Promise<void>((done) => server.close(() => done())));
  const page = (project: string): Promise<Response> => fetch(`${base}simple/${project}/`, { headers: { Accept: SIMPLE_ACCEPT } });
  return { dir, house, page, settle };
}

interface JsonPage {
  files: { filename: string; hashes: { sha256: string } }[];
}

describe('the kept listing', () => {
  it('is the same listing from request to request while the folder does not change', async () => {
    const { house, page } = await serve();
    const first = await house.listing();
    expect((await page('alpha')).status).toBe(200);
    expect((await page('beta')).status).toBe(200);
    expect(await house.listing()).toBe(first);
  });

  it('is read again while the folder was changed too recently to trust its time (racy)', async () => {
    const { dir, house } = await serve({ watch: false });
    const now = Date.now() / 1000;
    utimesSync(dir, now, now);
    const first = await house.listing();
    const second = await house.listing();
    expect(second).not.toBe(first);
    expect(second.files.map((f) => f.filename)).toEqual(first.files.map((f) => f.filename));
  });

  // The folder's time alone (no watcher) must show a copy on the next request: the watcher's
  // event may arrive after it.
  for (const watch of [true, false]) {
    it(`shows a wheel copied in on the very next request, and drops a removed one (watcher ${watch ? 'on' : 'off'})`, async () => {
      const { dir, house, page, settle } = await serve({ watch });
      expect((await page('gamma')).status).toBe(404);
      const before = await house.listing();
      const gamma = buildWheel({ name: 'gamma', version: '0.1' });
      writeFileSync(join(dir, gamma.filename), gamma.bytes);
      const res = await page('gamma');
      expect(res.status).toBe(200);
      expect(((await res.json()) as JsonPage).files).toEqual([expect.objectContaining({ filename: gamma.filename, hashes: { sha256: gamma.sha256 } })]);
      expect(await house.listing()).not.toBe(before);

      settle();
      unlinkSync(join(dir, gamma.filename));
      expect((await page('gamma')).status).toBe(404);
    });
  }

  it('picks up a wheel rewritten in place (same name, the folder time unchanged) through the watcher', async () => {
    const { dir, page, settle } = await serve();
    const path = join(dir, 'alpha-1.0-py3-none-any.whl');
    const old = (((await (await page('alpha')).json()) as JsonPage).files[0]!.hashes.sha256);
    const rebuilt = buildWheel({ name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': 'REBUILT = True\n' } });
    expect(rebuilt.sha256).not.toBe(old);
    writeFileSync(path, rebuilt.bytes);
    settle();
    let served = old;
    for (let i = 0; i < 100 && served !== rebuilt.sha256; i++) {
      await new Promise((r) => setTimeout(r, 20));
      served = ((await (await page('alpha')).json()) as JsonPage).files[0]!.hashes.sha256;
    }
    expect(served).toBe(rebuilt.sha256);
  });

  it('serves a wheel that was unreadable (still being copied) once it is complete, without a watcher', async () => {
    const { dir, house, page, settle } = await serve({ watch: false });
    const delta = buildWheel({ name: 'delta', version: '1.0' });
    const path = join(dir, delta.filename);
    writeFileSync(path, delta.bytes.subarray(0, 100));
    settle(10);
    expect((await page('delta')).status).toBe(404);
    expect((await house.listing()).problems.map((p) => p.filename)).toEqual([delta.filename]);
    // The rest of the copy: same file, the folder's time does not move.
    writeFileSync(path, delta.bytes);
    settle(10);
    expect((await page('delta')).status).toBe(200);
    expect((await house.listing()).problems).toEqual([]);
  });
});
