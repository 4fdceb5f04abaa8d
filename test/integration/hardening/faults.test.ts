/**
 * Faults in the middle of a 20-package install, as a classroom network or an impatient person
 * causes them: the network drops (a burst of 503s, a connection cut, a server that stops
 * answering) and Ctrl+C (during the downloads, and during the writes). Each install is either
 * retried to success or ends with the reason and the environment exactly as it was: never half
 * installed. The timings of the same faults are in bench/hardening.bench.ts.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import type { FileSystem } from '../../../src/install';
import { runPip } from '../../../src/pip';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { expectClearAndUnchanged, pipSubject, outcome, type CatalogueItem, type Outcome } from './catalogue';

const DEPS = 19;
let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'course', version: '1.0', requires: Array.from({ length: DEPS }, (_, i) => `lib${String(i).padStart(2, '0')}`) },
      ...Array.from({ length: DEPS }, (_, i) => ({ name: `lib${String(i).padStart(2, '0')}`, version: '1.0', entryPoints: { console_scripts: { [`lib${i}`]: `lib${String(i).padStart(2, '0')}:main` } } })),
      ...Array.from({ length: DEPS }, (_, i) => ({ name: `lib${String(i).padStart(2, '0')}`, version: '2.0' })),
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { retries: 3, timeoutMs: 300 } });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  server.setFaults({});
  await h.reset();
  // Some of the twenty are there already, at older versions: an install upgrades them.
  const r = await h.pip('install', 'lib03==1.0', 'lib11==1.0');
  expect(r.code).toBe(0);
});

const allTwenty = ['course==1.0', ...Array.from({ length: DEPS }, (_, i) => `lib${String(i).padStart(2, '0')}==2.0`)].join('\n') + '\n';
const install = async (s: PipHarness): Promise<Outcome> => outcome(await s.pip('install', '--no-cache-dir', '-U', 'course', 'lib03', 'lib11'));

/**
 * `pip install` with Ctrl+C pressed after `writes` files were written: the same context as the
 * harness gives pip, over a filesystem that counts writes and then aborts.
 */
async function cancelAfterWrites(s: PipHarness, writes: number): Promise<Outcome> {
  const controller = new AbortController();
  let count = 0;
  const fs = new Proxy(s.fs, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (key === 'writeFile') {
        return (...args: Parameters<FileSystem['writeFile']>) => {
          if (++count === writes) controller.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
          return target.writeFile(...args);
        };
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const out = { stdout: [] as string[], stderr: [] as string[] };
  const code = await runPip(['install', '-U', 'course', 'lib03', 'lib11'], { ...s.context(out), fs, signal: controller.signal });
  expect(count).toBeGreaterThanOrEqual(writes);
  return { code, output: out.stdout.join('') + out.stderr.join('') };
}

const catalogue: CatalogueItem<PipHarness>[] = [
  {
    input: 'the network drops for a burst (503 on the first 12 wheel requests): retried',
    setup: (s) => s.server.setFaults({ status: { match: /^\/files\/[^/]+\.whl$/, code: 503, times: 12 } }),
    cleanup: (s) => s.server.setFaults({}),
    run: install,
    expectedMessage: /Successfully installed course-1\.0 lib00-2\.0 [^\n]*lib18-2\.0/,
    freezeAfter: allTwenty,
  },
  {
    input: 'the network stays down for one wheel (503 on every retry)',
    setup: (s) => s.server.setFaults({ status: { match: /lib15-2\.0-py3-none-any\.whl$/, code: 503 } }),
    cleanup: (s) => s.server.setFaults({}),
    run: install,
    expectedMessage: /ERROR: HTTP error 503 Service Unavailable while getting http:\/\/127\.0\.0\.1:\d+\/files\/lib15-2\.0-py3-none-any\.whl/,
  },
  {
    input: 'the connection drops in the middle of a wheel (every retry)',
    setup: (s) => s.server.setFaults({ truncate: /lib07-2\.0-py3-none-any\.whl$/ }),
    cleanup: (s) => s.server.setFaults({}),
    run: install,
    expectedMessage: 'Connection broken while reading',
  },
  {
    input: 'the server stops answering in the middle of the downloads (timeout)',
    setup: (s) => s.server.setFaults({ hang: /lib12-2\.0-py3-none-any\.whl$/ }),
    cleanup: (s) => s.server.setFaults({}),
    run: install,
    expectedMessage: 'Read timed out after 0.3 s waiting for',
  },
  {
    input: 'Ctrl+C during the downloads',
    run: async (s) => {
      const controller = new AbortController();
      s.signal = controller.signal;
      s.onProgress = (filename) => {
        if (filename.startsWith('lib09')) controller.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
      };
      try {
        return await install(s);
      } finally {
        s.signal = null;
        s.onProgress = null;
      }
    },
    expectedMessage: 'ERROR: Operation cancelled by user',
  },
  {
    input: 'Ctrl+C during the writes (after the first packages were written)',
    run: (s) => cancelAfterWrites(s, 45),
    expectedMessage: 'ERROR: Operation cancelled by user',
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  const result = await expectClearAndUnchanged(pipSubject(h), item);
  // A Ctrl+C during the writes came after the old versions were taken out.
  if (item.input.includes('during the writes')) expect(result.output).toContain('Successfully uninstalled lib');
  if (item.freezeAfter === undefined) {
    // What the old versions were is what Python imports.
    expect(h.metadataVersion('lib03')).toBe('1.0');
    expect(h.canImport('course')).toBe(false);
  }
});
