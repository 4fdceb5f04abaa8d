/**
 * Pipelining on a real (shaped) network: `pip install` starts reading a wheel as soon as the
 * resolver decides its version, while the resolution still waits on index round trips, and
 * keeps the all-or-nothing commit: nothing reaches the environment before the resolution is
 * complete and the plan applied, so a resolution that fails, or Ctrl+C, while wheels are
 * downloading leaves it byte for byte as it was. A version that backtracking discards has its
 * download stopped.
 *
 * The fixture index sits behind a link with 40 ms round trips and 20 Mbit/s shared
 * (test/fixtures/network-link.ts); every request pip makes is timed by the fetch it is given.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { performance } from 'node:perf_hooks';
import { runPip } from '../../../src/pip';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { incompressibleBytes } from '../../fixtures/noise';
import { PipHarness } from '../../fixtures/pip-harness';
import { DownloadMeter, type DownloadActivity } from '../../../src/runtime/download-meter';

interface Timed {
  readonly url: string;
  readonly start: number;
  end: number | null;
  bytes: number;
  aborted: boolean;
}

let server: IndexServer;
let h: PipHarness;
let requests: Timed[] = [];
let t0 = 0;

async function timedFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const entry: Timed = { url: String(input instanceof Request ? input.url : input), start: performance.now() - t0, end: null, bytes: 0, aborted: false };
  requests.push(entry);
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    entry.aborted = true;
    throw error;
  }
  if (!response.body) {
    entry.end = performance.now() - t0;
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          entry.end = performance.now() - t0;
          controller.close();
        } else {
          entry.bytes += value.length;
          controller.enqueue(value);
        }
      } catch (error) {
        entry.aborted = true;
        controller.error(error);
      }
    },
    cancel(reason) {
      entry.aborted = true;
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** `pip install` with the moment each output line was printed (ms from the start). */
async function install(args: string[], signal?: AbortSignal, meter?: DownloadMeter): Promise<{ code: number; lines: { at: number; text: string }[]; stderr: string }> {
  requests = [];
  const lines: { at: number; text: string }[] = [];
  const stderr: string[] = [];
  const ctx = h.context({ stdout: [], stderr: [] });
  t0 = performance.now();
  const code = await runPip(['install', ...args], {
    ...ctx,
    out: {
      ...ctx.out,
      stdout: (text) => lines.push({ at: performance.now() - t0, text }),
      stderr: (text) => stderr.push(text),
      // The terminal's progress line (src/runtime/download-meter.ts), fed as the worker feeds it.
      ...(meter ? { progress: (event) => meter.update(event) } : {}),
    },
    ...(signal ? { signal } : {}),
  });
  return { code, lines, stderr: stderr.join('') };
}

const wheelRequests = (): Timed[] => requests.filter((r) => /\.whl$/.test(r.url));
const metadataRequests = (): Timed[] => requests.filter((r) => r.url.endsWith('.metadata'));
const named = (part: string): Timed | undefined => wheelRequests().find((r) => r.url.includes(part));

beforeAll(async () => {
  server = await startIndexServer({
    network: { latencyMs: 40, bandwidthBitsPerSecond: 20e6 },
    projects: [
      // A chain four deep: the resolution needs at least 4 x 2 round trips.
      { name: 'top', version: '1.0', requires: ['mid1'], files: { 'top/__init__.py': '', 'top/data.bin': incompressibleBytes(150_000, 1) } },
      { name: 'mid1', version: '1.0', requires: ['mid2'], files: { 'mid1/__init__.py': '', 'mid1/data.bin': incompressibleBytes(60_000, 2) } },
      { name: 'mid2', version: '1.0', requires: ['leaf'], files: { 'mid2/__init__.py': '', 'mid2/data.bin': incompressibleBytes(60_000, 3) } },
      { name: 'leaf', version: '1.0', files: { 'leaf/__init__.py': '__version__ = "1.0"\n', 'leaf/data.bin': incompressibleBytes(20_000, 4) } },
      // Fails only at the bottom: its chain's wheels are downloading when it does.
      { name: 'doomed', version: '1.0', requires: ['mid1', 'doomed-dep'], files: { 'doomed/__init__.py': '', 'doomed/data.bin': incompressibleBytes(400_000, 5) } },
      { name: 'doomed-dep', version: '1.0', requires: ['no-such-project-anywhere>=9'] },
      // The newest version needs something that does not resolve: decided, then discarded.
      { name: 'fickle', version: '1.0', requires: ['leaf'], files: { 'fickle/__init__.py': '__version__ = "1.0"\n' } },
      { name: 'fickle', version: '2.0', requires: ['fickle-dep>=2'], files: { 'fickle/__init__.py': '__version__ = "2.0"\n', 'fickle/data.bin': incompressibleBytes(2_000_000, 6) } },
      { name: 'fickle-dep', version: '2.0', requires: ['mid2', 'no-such-project-anywhere>=9'] },
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { fetch: timedFetch as typeof fetch } });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
  await h.pip('cache', 'purge');
});

test('wheels download while the resolution still waits on the index; the install is the same', async () => {
  const r = await install(['top']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const resolved = r.lines.find((l) => l.text.startsWith('Collecting'))!.at;
  const top = named('top-1.0')!;
  const leafMetadata = metadataRequests().find((m) => m.url.includes('leaf-1.0'))!;
  // top's wheel was asked for before the resolver even asked for leaf's metadata (two levels
  // further down), and long before the resolution ended.
  expect(top.start).toBeLessThan(leafMetadata.start);
  expect(top.start).toBeLessThan(resolved - 80);
  // One download per wheel, all four, none cancelled.
  expect(wheelRequests().map((w) => w.url.replace(/^.*\//, '')).sort()).toEqual([
    'leaf-1.0-py3-none-any.whl',
    'mid1-1.0-py3-none-any.whl',
    'mid2-1.0-py3-none-any.whl',
    'top-1.0-py3-none-any.whl',
  ]);
  expect(wheelRequests().every((w) => !w.aborted && w.end !== null)).toBe(true);
  expect(r.lines.map((l) => l.text).join('')).toContain('Successfully installed leaf-1.0 mid1-1.0 mid2-1.0 top-1.0');
  expect(h.importVersion('leaf')).toBe('1.0');
  // pip's lines are the same as without pipelining.
  expect(r.lines.map((l) => l.text).join('')).toMatch(/Collecting top\n {2}Downloading .*top-1\.0-py3-none-any\.whl\.metadata/);
});

test('a resolution that fails while wheels are downloading: nothing changes, the downloads stop', async () => {
  expect((await h.pip('install', 'leaf')).code).toBe(0);
  const before = await h.snapshot();
  const r = await install(['doomed']);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('no-such-project-anywhere');
  // doomed's wheel had started before the resolver found out.
  const doomed = named('doomed-1.0')!;
  expect(doomed).toBeDefined();
  await new Promise((resolve) => setTimeout(resolve, 50));
  // 400 kB at 20 Mbit/s takes 160 ms; it was stopped, or it ended, but nothing was installed.
  expect(await h.snapshot()).toEqual(before);
  expect(r.lines.map((l) => l.text).join('')).not.toContain('Installing collected packages');
});

test('Ctrl+C while wheels download during the resolution: "Operation cancelled by user", nothing changes', async () => {
  const before = await h.snapshot();
  const controller = new AbortController();
  h.onProgress = (filename) => {
    if (filename.endsWith('.whl')) controller.abort();
  };
  try {
    const r = await install(['top'], controller.signal);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('ERROR: Operation cancelled by user\n');
    // It was cancelled before the resolution ended: no Collecting line was printed.
    expect(r.lines.map((l) => l.text).join('')).not.toContain('Collecting');
  } finally {
    h.onProgress = null;
  }
  expect(wheelRequests().length).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  // Nothing left running: every wheel request was stopped or had ended.
  expect(wheelRequests().every((w) => w.aborted || w.end !== null)).toBe(true);
  expect(await h.snapshot()).toEqual(before);
});

test('a version backtracking discards: its download is stopped part way, the older one installed', async () => {
  const r = await install(['fickle']);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(h.importVersion('fickle')).toBe('1.0');
  const discarded = named('fickle-2.0')!;
  // Started when fickle 2.0 was decided; 2 MB take 800 ms here: stopped long before the end.
  expect(discarded).toBeDefined();
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(discarded.aborted).toBe(true);
  expect(discarded.bytes).toBeLessThan(1_000_000);
  expect(named('fickle-1.0')!.end).not.toBeNull();
});

test('the progress line: a download backtracking stopped leaves the count, the finished ones add up to their sizes', async () => {
  const seen: DownloadActivity[] = [];
  const meter = new DownloadMeter(null, (a) => a && seen.push(a));
  const r = await install(['fickle'], undefined, meter);
  expect(r.code).toBe(0);
  const discarded = named('fickle-2.0')!;
  expect(discarded.aborted).toBe(true);
  // While it ran, its bytes were counted (real bytes while downloads overlap the resolution)...
  expect(seen.some((a) => a.total !== null && a.total > 2_000_000)).toBe(true);
  // ...and once it stopped they were not: what ended (pages, metadata files, the two wheels
  // installed and any other decided on the way whose download ended before it was discarded),
  // all done, every byte of them and no other.
  const ended = requests.filter((q) => !q.aborted && q.end !== null && q.bytes > 0);
  expect(ended.map((w) => w.url.replace(/^.*\//, ''))).toEqual(expect.arrayContaining(['fickle-1.0-py3-none-any.whl', 'leaf-1.0-py3-none-any.whl']));
  const bytes = ended.reduce((sum, w) => sum + w.bytes, 0);
  expect(meter.activity()).toEqual({ files: ended.length, done: ended.length, loaded: bytes, total: bytes });
});
