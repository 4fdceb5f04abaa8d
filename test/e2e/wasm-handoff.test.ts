import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchChromium } from './browser';
import { openPlayground } from './playground';

// The page compiles Pyodide's pyodide.asm.wasm on its main thread, where Chromium keeps the
// compiled code between visits, and hands the module to the runtime worker
// (src/runtime/pyodide-wasm.ts, compiled-module.ts); without it, the worker compiles its own.
// Which one happened is told by the worker's boot-trace marks (`pipette:wasm-from-page`,
// `pipette:wasm-compiled-in-worker`).

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

/** The runtime worker's `pipette:*` marks about pyodide.asm.wasm. */
async function wasmMarks(page: Page): Promise<string[]> {
  for (const worker of page.workers()) {
    const marks: string[] = await worker.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name)).catch(() => []);
    if (marks.includes('pipette:worker-script')) return marks.filter((m) => /wasm|page-module/.test(m));
  }
  throw new Error('no runtime worker');
}

/** Python calling into JavaScript, which throws: the error comes back as a Python exception. */
const JS_ERROR = `python -c 'from js import JSON; JSON.parse("{")'`;

test("the worker instantiates the page's compile of pyodide.asm.wasm, fetched once, and Python runs on it", async () => {
  const context = await browser.newContext();
  const wasmRequests: string[] = [];
  context.on('request', (r) => void (r.url().includes('pyodide.asm.wasm') && wasmRequests.push(r.url())));
  const { page, run } = await openPlayground(context);
  const errors = collectErrors(page);
  expect(await wasmMarks(page)).toEqual(['pipette:page-module-received', 'pipette:wasm-from-page']);
  expect(await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((m) => m.startsWith('pipette:wasm')))).toEqual(['pipette:wasm-compile-start', 'pipette:wasm-compiled']);
  expect(wasmRequests).toHaveLength(1);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');
  expect(await run(JS_ERROR)).toMatch(/JsException: SyntaxError/);
  expect(errors).toEqual([]);
  await context.close();
});

test('a page that cannot compile it (no WebAssembly.compileStreaming) leaves the worker to compile its own, and the playground boots as before', async () => {
  const context = await browser.newContext();
  // The page only: init scripts do not run in workers, so the worker keeps its WebAssembly.
  await context.addInitScript(() => void Reflect.deleteProperty(WebAssembly, 'compileStreaming'));
  const wasmRequests: string[] = [];
  context.on('request', (r) => void (r.url().includes('pyodide.asm.wasm') && wasmRequests.push(r.url())));
  const { page, run } = await openPlayground(context);
  expect(await page.evaluate(() => typeof WebAssembly.compileStreaming)).toBe('undefined');
  expect(await wasmMarks(page)).toEqual(['pipette:page-module-received', 'pipette:wasm-compiled-in-worker']);
  expect(await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name).filter((m) => m.startsWith('pipette:wasm')))).toEqual(['pipette:wasm-compile-start', 'pipette:wasm-compile-failed']);
  expect(wasmRequests).toHaveLength(1);
  expect(await run(`python -c 'print(sum(range(10)))'`)).toBe('45');
  expect(await run(JS_ERROR)).toMatch(/JsException: SyntaxError/);
  await context.close();
});
