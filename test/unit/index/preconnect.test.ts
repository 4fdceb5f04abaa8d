/**
 * Which hosts a `pip install` being typed warms (src/index/preconnect.ts): the index's (without
 * its credentials), PyPI's file host with PyPI, each at most once a minute; failures ignored.
 */
import { expect, it } from 'vitest';
import { Preconnector, PRECONNECT_INTERVAL_MS } from '../../../src/index';

function recorder() {
  const asked: Array<{ url: string; init: RequestInit | undefined }> = [];
  let now = 1_000;
  const preconnector = new Preconnector(
    async (url, init) => {
      asked.push({ url, init });
      return new Response(null);
    },
    () => now,
  );
  return { asked, preconnector, later: (ms: number) => void (now += ms) };
}

it("warms PyPI's index and file hosts with one HEAD each, no-cors, and again only after a minute", () => {
  const { asked, preconnector, later } = recorder();
  expect(preconnector.warm(['https://pypi.org/simple/'])).toEqual(['https://pypi.org/simple/', 'https://files.pythonhosted.org/']);
  expect(asked.map((a) => [a.url, a.init?.method, a.init?.mode])).toEqual([
    ['https://pypi.org/simple/', 'HEAD', 'no-cors'],
    ['https://files.pythonhosted.org/', 'HEAD', 'no-cors'],
  ]);
  later(PRECONNECT_INTERVAL_MS - 1);
  expect(preconnector.warm(['https://pypi.org/simple/'])).toEqual([]);
  later(1);
  expect(preconnector.warm(['https://pypi.org/simple/'])).toHaveLength(2);
});

it('asks an index with credentials without them, and ignores what is no http(s) URL', () => {
  const { asked, preconnector } = recorder();
  preconnector.warm(['https://alice:s3cret@devpi.example/root/pypi/+simple/#frag', 'file:///wheels/', 'not a url']);
  expect(asked.map((a) => a.url)).toEqual(['https://devpi.example/root/pypi/+simple/']);
});

it('a fetch that rejects, or throws, is no error', async () => {
  const throwing = new Preconnector(() => {
    throw new TypeError('no-cors is not supported');
  });
  expect(throwing.warm(['http://127.0.0.1:1/simple/'])).toEqual(Array(3).fill('http://127.0.0.1:1/simple/'));
  const rejecting = new Preconnector(() => Promise.reject(new TypeError('Failed to fetch')));
  // An http: host is HTTP/1.1: one connection per request, so three are opened for the first pages.
  rejecting.warm(['http://127.0.0.1:1/simple/']);
  await new Promise((r) => setTimeout(r, 0));
});
