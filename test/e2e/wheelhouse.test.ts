import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { collectErrors, launchChromium, screenshot } from './browser';
import { attach } from './playground';
import { buildWheel, type WheelSpec } from '../fixtures/wheel-builder';

// "`npm start` with `WHEELHOUSE=DIR` serves a folder of wheels as a PEP 691 index, for a
// classroom without internet": a second dev server, started as `npm start` starts it (the
// project's vite.config.ts) with WHEELHOUSE set, and the page's default index is that folder.
const specs: WheelSpec[] = [
  { name: 'classroom-kit', version: '1.2.0', requires: ['tinyjson>=0.3'], files: { 'classroom_kit/__init__.py': 'from tinyjson import dumps\ndef hello():\n    return dumps({"from": "the wheelhouse"})\n' } },
  { name: 'tinyjson', version: '0.2.0' },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
];

const dir = mkdtempSync(join(tmpdir(), 'pipette-wheelhouse-e2e-'));
let browser: Browser;
let server: ViteDevServer;
let appUrl: string;

beforeAll(async () => {
  for (const spec of specs) {
    const wheel = buildWheel(spec);
    writeFileSync(join(dir, wheel.filename), wheel.bytes);
  }
  const before = process.env.WHEELHOUSE;
  process.env.WHEELHOUSE = dir;
  try {
    // No HMR and no file watching: other people's edits must not reload the page mid-test.
    server = await createServer({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn', server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, watch: null } });
  } finally {
    if (before === undefined) delete process.env.WHEELHOUSE;
    else process.env.WHEELHOUSE = before;
  }
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server did not report a port');
  appUrl = `http://127.0.0.1:${address.port}/`;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the page defaults to the wheelhouse and pip installs from it', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(appUrl);
  const { run } = await attach(page);

  const index = `${appUrl}wheelhouse/simple/`;
  await expect.poll(() => page.locator('pipette-app').locator('[part="index"]').textContent()).toBe(`index: ${index}`);

  const installed = await run('pip install classroom-kit');
  expect(installed).toMatch(/Successfully installed classroom-kit-1\.2\.0 tinyjson-0\.3\.0/);
  expect(await run(`python -c 'import classroom_kit; print(classroom_kit.hello())'`)).toBe('{"from": "the wheelhouse"}');
  expect(await run('pip index versions tinyjson')).toMatch(/tinyjson \(0\.3\.0\)\nAvailable versions: 0\.3\.0, 0\.2\.0/);
  // Dependencies came from the PEP 658 .metadata files; only the two chosen wheels were fetched.
  const fetched = requests.filter((u) => u.startsWith(`${appUrl}wheelhouse/files/`)).map((u) => u.slice(`${appUrl}wheelhouse/files/`.length)).sort();
  expect(fetched.filter((f) => f.endsWith('.whl'))).toEqual(['classroom_kit-1.2.0-py3-none-any.whl', 'tinyjson-0.3.0-py3-none-any.whl']);
  expect(fetched).toContain('classroom_kit-1.2.0-py3-none-any.whl.metadata');
  await screenshot(page, 'wheelhouse');

  // `?index-url=` still wins over the default.
  await page.goto(`${appUrl}?index-url=${encodeURIComponent('http://127.0.0.1:9/simple/')}`);
  await attach(page);
  expect(await page.locator('pipette-app').locator('[part="index"]').textContent()).toBe('index: http://127.0.0.1:9/simple/');
  expect(errors).toEqual([]);
  await context.close();
});
