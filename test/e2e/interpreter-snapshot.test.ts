import { expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground, type Playground } from './playground';
import { SNAPSHOT_DATABASE, snapshotKept, snapshotMadeFor } from './snapshot';
import type { IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';
import { packZeroPages } from '../../src/runtime/zero-pages';

// A reload starts Python from the memory snapshot the first visit kept in IndexedDB, instead of
// starting CPython again (src/runtime/interpreter-snapshot.ts): the runtime worker's boot-trace
// marks (`pipette:snapshot-*`) tell which happened.

const projects: WheelSpec[] = [
  { name: 'greeter', version: '2.0.0', files: { 'greeter/__init__.py': 'def greet(n):\n    return f"hello {n}"\n' } },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

/** The runtime worker's `pipette:snapshot-*` marks, in order. */
async function snapshotMarks(page: Page): Promise<string[]> {
  for (const worker of page.workers()) {
    const marks: string[] = await worker.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name)).catch(() => []);
    if (marks.includes('pipette:worker-script')) return marks.filter((m) => m.startsWith('pipette:snapshot-')).map((m) => m.slice('pipette:snapshot-'.length));
  }
  throw new Error('no runtime worker');
}

async function reload(page: Page): Promise<Playground> {
  await page.reload();
  return attach(page);
}

/** Replaces what the origin's IndexedDB keeps of the snapshot, as any script of the page could. */
function overwriteSnapshot(page: Page, entries: Record<string, string | number[]>): Promise<void> {
  return page.evaluate(
    ({ name, entries }) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('keyval', 'readwrite');
          for (const [key, value] of Object.entries(entries)) tx.objectStore('keyval').put(typeof value === 'string' ? value : new Blob([new Uint8Array(value)]), key);
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
      }),
    { name: SNAPSHOT_DATABASE, entries },
  );
}

const RANDOM = `python -c 'import random; print(random.random())'`;
/** JavaScript from Python: the first visit's interpreter is the one that made the snapshot (its `js` module records paths). */
const JS_FROM_PYTHON = `python -c 'import js; from js import Uint8Array, Array, Object, JSON; a = Uint8Array.new(3); a[1] = 7; o = Object.new(); o.k = a[1]; print(a.length, Array.isArray(Array.new()), JSON.stringify(o), js.Object == Object)'`;
const JS_ANSWER = '3 True {"k":7} True';

test('a reload starts Python from the snapshot the first visit kept: packages and files come back over it, and random numbers differ', async () => {
  const context = await browser.newContext();
  let { page, run } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  expect(await snapshotMarks(page)).toEqual(['looked-up', 'made']);
  const draws = [await run(RANDOM)];
  expect(await run(JS_FROM_PYTHON)).toBe(JS_ANSWER);
  expect(await run('pip install greeter')).toMatch(/Successfully installed greeter-2\.0\.0/);
  expect(await run(`python -c 'import builtins; builtins.left_by_the_first_visit = 1'`)).toBe('');
  await snapshotKept(page);
  expect(await snapshotMadeFor(page)).toMatch(/^pyodide 314\.\d+\.\d+ http:\/\/127\.0\.0\.1:\d+\/pyodide\/$/);

  for (let i = 0; i < 2; i++) {
    ({ run } = await reload(page));
    expect(await snapshotMarks(page)).toEqual(['looked-up', 'read', 'restored']);
    expect(await run(`python -c 'import greeter; print(greeter.greet("reload"))'`)).toBe('hello reload');
    expect(await run(`python -c 'import decimal, sys; print(decimal.Decimal(1) / 8, sys.version_info[:2])'`)).toBe('0.125 (3, 14)');
    // Made before the first visit ran anything: nothing of its session is in it.
    expect(await run(`python -c 'import builtins; print(hasattr(builtins, "left_by_the_first_visit"))'`)).toBe('False');
    expect(await run('pip list')).toMatch(/greeter\s+2\.0\.0/);
    expect(await run(JS_FROM_PYTHON)).toBe(JS_ANSWER);
    draws.push(await run(RANDOM));
  }
  for (const draw of draws) expect(draw).toMatch(/^0\.\d+$/);
  expect(new Set(draws).size).toBe(3);
  expect(errors).toEqual([]);
  await context.close();
});

test('a kept snapshot that does not restore is deleted and Python starts afresh, keeping a good one; one made for another Pyodide is not read', async () => {
  const context = await browser.newContext();
  const { page } = await openPlayground(context);
  const errors = collectErrors(page);
  await snapshotKept(page);
  const madeFor = (await snapshotMadeFor(page))!;

  // Bytes kept as the store keeps them (zero-pages.ts) that are no snapshot of this build: Pyodide refuses them.
  const noSnapshot = Uint8Array.from({ length: 3 * 4096 + 5 }, (_, i) => i % 251);
  await overwriteSnapshot(page, { snapshot: [...packZeroPages(noSnapshot)] });
  let { run } = await reload(page);
  expect(await snapshotMarks(page)).toEqual(['looked-up', 'read', 'refused', 'made']);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');
  await snapshotKept(page);
  // Bytes the store did not write: refused before Pyodide sees them.
  await overwriteSnapshot(page, { snapshot: [...noSnapshot] });
  ({ run } = await reload(page));
  expect(await snapshotMarks(page)).toEqual(['looked-up', 'refused', 'made']);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');
  await snapshotKept(page);
  ({ run } = await reload(page));
  expect(await snapshotMarks(page)).toEqual(['looked-up', 'read', 'restored']);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');

  // Made for another Pyodide: not even read; replaced by this one's.
  await overwriteSnapshot(page, { 'made-for': 'pyodide 0.0.1 http://127.0.0.1:1/pyodide/' });
  ({ run } = await reload(page));
  expect(await snapshotMarks(page)).toEqual(['looked-up', 'made']);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');
  await expect.poll(() => snapshotMadeFor(page), { timeout: 30_000 }).toBe(madeFor);
  expect(errors).toEqual([]);
  await context.close();
});
