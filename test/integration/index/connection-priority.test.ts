/**
 * A host's connections while wheels are read ahead (src/index/fetcher.ts `background`,
 * concurrency.ts `Semaphore`): against the fixture index behind a link with 40 ms round trips
 * and 20 Mbit/s shared, with 2 connections per host so that the queue is easy to see.
 *
 * - A project page or metadata file the resolver waits on gets the next free connection before
 *   any wheel queued ahead of it: it is never queued behind a wheel download.
 * - One wheel download keeps going beside the resolver's requests (when none runs, the next free
 *   connection is a wheel's): the link is what an install waits on, and it must not stand idle.
 * - A caller in the foreground that asks for a wheel queued in the background (the resolver
 *   reading a whole wheel for its metadata) takes it out of the background.
 *
 * What is compared is the order in which requests reached fetch (the connection they got), not
 * times: the link's latency makes the queue real, the order makes the test hold under load.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { Fetcher, requestsPerHost } from '../../../src/index';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { incompressibleBytes } from '../../fixtures/noise';

let server: IndexServer;
/** The URL path of each request as it reached fetch, in order. */
let issued: string[] = [];

beforeAll(async () => {
  server = await startIndexServer({
    network: { latencyMs: 40, bandwidthBitsPerSecond: 20e6 },
    projects: [
      // 1 MB and 300 kB: 400 and 120 ms on the link alone, far longer than a page's round trip;
      // big-a outlasts everything else a test asks for at the same time.
      { name: 'big-a', version: '1.0', files: { 'big_a/data.bin': incompressibleBytes(1_000_000, 1) } },
      { name: 'big-b', version: '1.0', files: { 'big_b/data.bin': incompressibleBytes(300_000, 2) } },
      { name: 'big-c', version: '1.0', files: { 'big_c/data.bin': incompressibleBytes(300_000, 3) } },
      ...['p1', 'p2', 'p3', 'p4'].map((name) => ({ name, version: '1.0', files: { [`${name}/__init__.py`]: '' } })),
    ],
  });
}, 60_000);

afterAll(() => server?.close());

function fetcher(): Fetcher {
  issued = [];
  return new Fetcher({
    fetch: (input, init) => {
      issued.push(new URL(input).pathname);
      return fetch(input, init);
    },
    perHost: 2,
    corsHint: false,
  });
}

const wheelUrl = (project: string): string => `${server.url}/files/${server.dists.find((d) => d.filename.startsWith(`${project.replace('-', '_')}-`))!.filename}`;
const pageUrl = (project: string): string => `${server.simpleUrl}${project}/`;
const position = (part: string): number => issued.findIndex((p) => p.includes(part));

/** Both connections busy with wheels, a third wheel queued behind them, then a page. */
function wheelsThenPage(f: Fetcher): Promise<Awaited<ReturnType<Fetcher['request']>>>[] {
  return [...['big-a', 'big-b', 'big-c'].map((p) => f.request({ url: wheelUrl(p), background: true })), f.request({ url: pageUrl('p1') })];
}

test('a page the resolver waits on gets the next connection before a wheel queued ahead of it', async () => {
  const responses = await Promise.all(wheelsThenPage(fetcher()));
  expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  expect(responses[0]!.bytes.length).toBeGreaterThan(1_000_000);
  // FIFO would send big-c first and the page only after another wheel ended.
  expect(position('/simple/p1/')).toBeLessThan(position('big_c-'));
  expect(position('/simple/p1/')).toBe(2);
});

test('one wheel keeps the link busy beside a burst of pages; the other pages go before a second wheel', async () => {
  const f = fetcher();
  const pages = ['p1', 'p2', 'p3', 'p4'].map((p) => f.request({ url: pageUrl(p) }));
  const wheels = ['big-a', 'big-b'].map((p) => f.request({ url: wheelUrl(p), background: true }));
  await Promise.all([...pages, ...wheels]);
  // p1 and p2 hold both connections; the first one freed goes to big-a (no wheel was running),
  // the next ones to p3 and p4, and big-b waits for them although it was queued before them.
  expect(issued.map((p) => /\/simple\/([^/]+)\//.exec(p)?.[1] ?? /\/files\/([^-]+)-/.exec(p)?.[1])).toEqual(['p1', 'p2', 'big_a', 'p3', 'p4', 'big_b']);
});

test('the resolver asking for a wheel queued in the background takes it out of the background', async () => {
  const f = fetcher();
  const queued = wheelsThenPage(f);
  // The same file, asked for in the foreground: one request, now ahead of the page.
  const cAgain = f.request({ url: wheelUrl('big-c') });
  await Promise.all([...queued, cAgain]);
  expect(issued.filter((p) => p.includes('big_c-'))).toHaveLength(1);
  expect(position('big_c-')).toBeLessThan(position('/simple/p1/'));
});

test('by default an http: host takes 6 requests at once (HTTP/1.1: a browser opens 6), an https: one 16 (HTTP/2 multiplexes); downloads go at low priority', async () => {
  expect(requestsPerHost('http://127.0.0.1:8000/simple/')).toBe(6);
  expect(requestsPerHost('https://files.pythonhosted.org/packages/x.whl')).toBe(16);
  let inFlight = 0;
  let peak = 0;
  const priorities: Array<string | undefined> = [];
  const f = new Fetcher({
    fetch: async (input, init) => {
      priorities.push(init?.priority);
      inFlight++;
      peak = Math.max(peak, inFlight);
      try {
        return await fetch(input, init);
      } finally {
        inFlight--;
      }
    },
    corsHint: false,
  });
  const pages = ['p1', 'p2', 'p3', 'p4'].map((p) => f.request({ url: pageUrl(p) }));
  const wheels = ['big-a', 'big-b', 'big-c'].map((p) => f.request({ url: wheelUrl(p), background: true }));
  await Promise.all([...pages, ...wheels, ...['p1', 'p2'].map((p) => f.request({ url: `${pageUrl(p)}?again` }))]);
  expect(peak).toBe(6);
  expect(priorities.filter((p) => p === 'low')).toHaveLength(3);
  expect(priorities.filter((p) => p === undefined)).toHaveLength(6);
});
