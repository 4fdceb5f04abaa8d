import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

test('the page boots Pyodide in a Web Worker and shows its Python version', async () => {
  const page = await browser.newPage();
  const errors = collectErrors(page);
  const workers: string[] = [];
  page.on('worker', (w) => workers.push(w.url()));
  const pyodideRequests: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('pyodide')) pyodideRequests.push(r.url());
  });

  await page.goto(inject('appUrl'));
  const status = page.locator('pipette-app').locator('[part="status"]');
  await expect.poll(() => status.textContent(), { timeout: 90_000 }).toMatch(/^Python 3\.\d+\.\d+ ready/);
  await expect(page.locator('pipette-app').locator('[part="output"]').textContent()).resolves.toMatch(/Python 3\.14\.\d+ \(Pyodide 314\.\d+\.\d+\) on emscripten/);
  await screenshot(page, 'boot');

  // The interpreter runs in a worker, and its files come from our own origin, not a CDN.
  expect(workers.some((u) => u.includes('worker'))).toBe(true);
  const origin = new URL(inject('appUrl')).origin;
  expect(pyodideRequests.filter((u) => u.includes('pyodide.asm.wasm'))).toHaveLength(1);
  expect(pyodideRequests.every((u) => u.startsWith(origin))).toBe(true);
  expect(errors).toEqual([]);
  await page.close();
});

test('python -c at the prompt runs in the worker; an error shows the traceback of the code, not Pyodide internals', async () => {
  const page = await browser.newPage();
  await page.goto(inject('appUrl'));
  const app = page.locator('pipette-app');
  const input = app.locator('input#command');
  const output = app.locator('[part="output"]');
  await expect.poll(() => input.isEnabled(), { timeout: 90_000 }).toBe(true);
  await input.fill(`python -c 'import sys; print(sys.platform, 6 * 7)'`);
  await input.press('Enter');
  await expect.poll(() => output.textContent()).toContain('emscripten 42');
  await input.fill(`python -c '1/0'`);
  await input.press('Enter');
  await expect.poll(() => output.textContent()).toContain('ZeroDivisionError: division by zero');
  expect(await output.textContent()).not.toContain('_pyodide/_base.py');
  await input.fill('frob');
  await input.press('Enter');
  await expect.poll(() => output.textContent()).toContain('pipette: command not found: frob');
  await screenshot(page, 'prompt');
  await page.close();
});
