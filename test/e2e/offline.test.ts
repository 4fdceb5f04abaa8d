import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { attach } from './playground';
import { buildAndPreview, type AppPreview } from '../fixtures/app-preview';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

// "A service worker precaches the app and the Pyodide runtime; with the wheel cache, a second
// visit works without a network." Against a production build (the service worker exists only
// there), served by `vite preview` with the project's config.
const projects: WheelSpec[] = [
  { name: 'greeter', version: '2.0.0', requires: ['tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
];

let browser: Browser;
let index: IndexServer;
let app: AppPreview;
let indexOpen = true;
beforeAll(async () => {
  [browser, index, app] = await Promise.all([launchChromium(), startIndexServer({ projects }), buildAndPreview()]);
});
afterAll(async () => {
  await browser?.close();
  if (indexOpen) await index?.close();
  await app?.close();
});

test('after one visit, the page boots, pip installs from the cache and imports work with no network at all', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(`${app.url}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  let playground = await attach(page);

  // The first visit registers the service worker, which precaches the whole build.
  const activeState = (): Promise<string | null> => page.evaluate(async () => (await navigator.serviceWorker.ready).active?.state ?? null);
  await expect.poll(activeState, { timeout: 60_000 }).toBe('activated');
  const cached = await page.evaluate(async () => {
    const names = (await caches.keys()).filter((n) => n.startsWith('pipette-app-'));
    const urls = await Promise.all(names.map(async (n) => (await (await caches.open(n)).keys()).map((r) => new URL(r.url).pathname)));
    return { names, paths: urls.flat().sort() };
  });
  expect(cached.names).toHaveLength(1);
  expect(cached.names[0]).toMatch(/^pipette-app-[0-9a-f]{16}$/);
  for (const path of ['/index.html', '/pyodide/pyodide.asm.wasm', '/pyodide/python_stdlib.zip', '/pyodide/pyodide.asm.mjs', '/pyodide/pyodide-lock.json']) {
    expect(cached.paths).toContain(path);
  }
  expect(cached.paths.some((p) => /^\/assets\/worker-[\w-]+\.js$/.test(p))).toBe(true);
  expect(cached.paths).not.toContain('/sw.js');

  expect(await playground.run('pip install greeter')).toMatch(/Successfully installed greeter-2\.0\.0 tinyjson-0\.3\.0/);

  // No network: the browser is offline, and neither the app's server nor the index exists.
  await context.setOffline(true);
  await app.close({ keep: true });
  await index.close();
  indexOpen = false;
  await page.reload();
  playground = await attach(page);
  const run = playground.run;

  const state = await page.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, isolated: crossOriginIsolated }));
  // Served by the service worker, with the COOP/COEP headers kept: still cross-origin isolated.
  expect(state).toEqual({ controlled: true, isolated: true });
  const progress = await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { progress: unknown }).progress);
  expect(progress).toMatchObject({ phase: 'ready', restore: { distributions: 2, problems: [] } });

  // Installed again from scratch, from the wheel cache alone.
  expect(await run('pip uninstall -y greeter tinyjson')).toMatch(/Successfully uninstalled greeter-2\.0\.0[\s\S]*Successfully uninstalled tinyjson-0\.3\.0/);
  expect(await run(`python -c 'import greeter'`)).toContain("ModuleNotFoundError: No module named 'greeter'");
  expect(await run('pip install greeter')).toMatch(/Successfully installed greeter-2\.0\.0 tinyjson-0\.3\.0/);
  expect(await run(`python -c 'import greeter; print(greeter.greet("offline"))'`)).toBe('{"hello": "offline"}');

  // input() works offline too: it needs the memory shared with the worker (isolation).
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(`python -c 'name = input("Name? "); print("Hello,", name)'`);
  await page.keyboard.press('Enter');
  await expect.poll(playground.transcript, { timeout: 30_000 }).toMatch(/Name\? $/m);
  await page.keyboard.type('Ada');
  await page.keyboard.press('Enter');
  await expect.poll(playground.transcript, { timeout: 30_000 }).toContain('Hello, Ada');
  await playground.waitForPrompt();

  await screenshot(page, 'offline');
  expect(errors).toEqual([]);
  await context.close();
});
