/**
 * Downloads are bounded and checked as pip checks them (src/index/fetcher.ts, metadata-client.ts,
 * hash.ts), against the fixture index with its faults switched on:
 * - a body is read up to the size the index declared (PEP 700 `size`), or a cap when it declares
 *   none, and then refused with a message saying which;
 * - the digest checked is the link's first (pip's `Link.hash`): md5, sha1 and sha224 from old
 *   indexes too, not only the SHA-2 digests WebCrypto computes;
 * - a failure that got no answer says so, in Node by the error's cause, in a browser by the probe
 *   (here a real one over Node's fetch: the host did or did not answer).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import type { ReachabilityProbe } from '../../../src/index/reachability';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { incompressibleBytes } from '../../fixtures/noise';
import { harness, kinds, firstFile } from './helpers';

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'small', version: '1.0', files: { 'small/__init__.py': 'x = 1\n' } },
      // Incompressible, so the wheel is as large as its payload.
      { name: 'big', version: '1.0', files: { 'big/data.bin': incompressibleBytes(200_000) } },
    ],
  });
});
afterAll(() => server.close());
beforeEach(() => {
  server.setFaults({});
  server.resetRequests();
});


async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  return promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as { code: string; message: string },
  );
}

describe('bounded downloads', () => {
  it('stops reading at the size the index declared, and says the file is larger than listed', async () => {
    const { source, events } = harness(server, { retries: 0 });
    const file = await firstFile(source, 'small');
    expect(file.size).toBeGreaterThan(0);
    server.setFaults({ endless: /^\/files\/small-/ });
    const error = await failure(source.getWheel(file));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`${file.filename} is larger than its index said: ${file.size} bytes declared, and the server sent more than ${file.size} bytes`);
    // Nothing past the declared size reached the caller.
    const loaded = kinds(events, 'progress').map((e) => (e as { loaded: number }).loaded);
    expect(Math.max(0, ...loaded)).toBeLessThanOrEqual(file.size!);
  });

  it('refuses a Content-Length over the declared size before reading the body', async () => {
    const { source, events } = harness(server, { retries: 0 });
    const small = await firstFile(source, 'small');
    const big = await firstFile(source, 'big');
    // The index lists the big file under the small one's size.
    const error = await failure(source.getWheel({ ...big, size: small.size, hashes: {} }));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`${small.size} bytes declared, and the server announces ${(big.size! / 1000).toFixed(1)} kB`);
    expect(kinds(events, 'progress').filter((e) => (e as { url: string }).url === big.url)).toEqual([]);
  });

  it('caps a body whose size nobody declared', async () => {
    const { source } = harness(server, { retries: 0, maxBytes: 100_000 });
    expect((await firstFile(source, 'big')).size).toBeGreaterThan(100_000);
    const big = await firstFile(source, 'big');
    const error = await failure(source.getWheel({ ...big, size: null }));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`${big.filename} is larger than the 100.0 kB Pipette reads for a file whose size the index does not declare`);
  });

  it('keeps a metadata file within its own cap', async () => {
    const { source } = harness(server, { retries: 0 });
    const file = await firstFile(source, 'small');
    server.setFaults({ endless: /\.metadata$/ });
    const error = await failure(source.getMetadata(file));
    expect(error.code).toBe('too-large');
    expect(error.message).toContain(`${file.filename}.metadata is larger than the 16.8 MB Pipette reads`);
  });
});

describe("the digest checked is the link's, md5 and sha1 included (pip's Link.hash)", () => {
  for (const digest of ['md5', 'sha1', 'sha224'] as const) {
    it(`checks ${digest}, from the JSON page and from an HTML page's fragment`, async () => {
      for (const htmlOnly of [false, true]) {
        server.setFaults({ digest, htmlOnly });
        const { source } = harness(server, { retries: 0 });
        const file = await firstFile(source, 'small');
        expect(Object.keys(file.hashes)).toEqual([digest]);
        expect((await source.getWheel(file)).length).toBe(file.size ?? (await source.getWheel(file)).length);

        server.setFaults({ digest, htmlOnly, wrongHash: /small/ });
        const spoiled = harness(server, { retries: 0 });
        const wrong = await firstFile(spoiled.source, 'small');
        const error = await failure(spoiled.source.getWheel(wrong));
        expect(error.code).toBe('hash-mismatch');
        expect(error.message).toContain(`Expected ${digest} ${wrong.hashes[digest]}`);
      }
    });
  }

  it('checks the first digest the index gives, in its order, as pip does', async () => {
    const { source } = harness(server, { retries: 0 });
    const file = await firstFile(source, 'small');
    const bytes = await source.getWheel(file);
    // md5 first and wrong: refused, although the sha256 after it is right.
    const first = { ...file, url: `${file.url}?again`, hashes: { md5: '0'.repeat(32), sha256: file.hashes['sha256']! } };
    const error = await failure(harness(server, { retries: 0 }).source.getWheel(first));
    expect(error.message).toContain(`Expected md5 ${'0'.repeat(32)}`);
    // sha256 first and right: accepted, whatever the md5 after it says.
    const second = { ...file, hashes: { sha256: file.hashes['sha256']!, md5: '0'.repeat(32) } };
    expect(await harness(server, { retries: 0 }).source.getWheel(second)).toEqual(bytes);
  });
});

describe('a request that got no answer, told apart from one that got an unusable one', () => {
  /** A real reachability check: did the host send any response at all? */
  const nodeProbe: ReachabilityProbe = async (url) => {
    try {
      await fetch(url, { method: 'HEAD' });
      return 'answered';
    } catch {
      return 'no-answer';
    }
  };

  it('in Node, a refused connection: no network, or the host did not answer', async () => {
    const { source } = harness(server, { indexUrls: ['http://127.0.0.1:9/simple/'], retries: 0 });
    const error = await failure(source.getProject(normalizeName('small')));
    expect(error.code).toBe('network');
    expect(error.message).toContain('Could not connect to 127.0.0.1:9 to get http://127.0.0.1:9/simple/small/');
    expect(error.message).toContain('there is no network, or 127.0.0.1:9 did not answer');
    expect(error.message).not.toContain('CORS');
  });

  it('in a browser, a host that answered without CORS is named as such, and not retried', async () => {
    // What a browser's fetch does to a CORS refusal: it rejects as if nothing came back.
    const browserFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!response.headers.get('access-control-allow-origin')) throw new TypeError('Failed to fetch');
      return response;
    };
    server.setFaults({ noCors: true });
    const { source, events } = harness(server, { fetch: browserFetch, corsHint: true, probe: nodeProbe, retries: 3 });
    const error = await failure(source.getProject(normalizeName('small')));
    expect(error.code).toBe('cors');
    expect(error.message).toContain(`${new URL(server.url).host} answered, but it does not allow cross-origin requests (CORS)`);
    expect(error.message).toContain('Access-Control-Allow-Origin');
    expect(kinds(events, 'retry')).toEqual([]);
  });

  it('in a browser, a host that did not answer is named as such (after the retries)', async () => {
    const browserFetch: typeof fetch = async (input, init) => {
      try {
        return await fetch(input, init);
      } catch {
        throw new TypeError('Failed to fetch');
      }
    };
    const { source, events } = harness(server, { indexUrls: ['http://127.0.0.1:9/simple/'], fetch: browserFetch, corsHint: true, probe: nodeProbe, retries: 2 });
    const error = await failure(source.getProject(normalizeName('small')));
    expect(error.code).toBe('network');
    expect(error.message).toContain('Could not connect to 127.0.0.1:9 to get http://127.0.0.1:9/simple/small/ (Failed to fetch): there is no network, or 127.0.0.1:9 did not answer.');
    expect(error.message).not.toContain('CORS');
    expect(kinds(events, 'retry')).toHaveLength(2);
  });

  it('in a browser without a probe, names both causes', async () => {
    const browserFetch: typeof fetch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const { source } = harness(server, { fetch: browserFetch, corsHint: true, probe: null, retries: 0 });
    const error = await failure(source.getProject(normalizeName('small')));
    expect(error.code).toBe('network');
    expect(error.message).toContain('there is no network, 127.0.0.1');
    expect(error.message).toContain('or it does not allow cross-origin requests (CORS)');
  });

  it('a 404 for a listed file says the host answered and does not serve it', async () => {
    const { source } = harness(server, { retries: 0 });
    const file = await firstFile(source, 'small');
    const error = await failure(source.getWheel({ ...file, url: `${server.url}/files/gone-1.0-py3-none-any.whl`, filename: 'gone-1.0-py3-none-any.whl', hashes: {} }));
    expect(error.code).toBe('http-status');
    expect(error.message).toContain('HTTP error 404 while getting');
    expect(error.message).toContain('the host answered, but it does not serve gone-1.0-py3-none-any.whl, which the index lists');
  });
});
