import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

// A small graph served by a real local index (PEP 691 JSON, PEP 658 .metadata, CORS headers).
const projects: WheelSpec[] = [
  { name: 'greeter', version: '1.0.0', requires: ['colorama>=0.4', 'tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
  { name: 'greeter', version: '2.0.0', requires: ['colorama>=0.4', 'tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n, "v": 2})\n' } },
  { name: 'colorama', version: '0.4.6' },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
];

let browser: Browser;
let index: IndexServer;
beforeAll(async () => {
  [browser, index] = await Promise.all([launchChromium(), startIndexServer({ projects })]);
});
afterAll(async () => {
  await browser?.close();
  await index?.close();
});

async function openPlayground(context: BrowserContext, indexUrl: string): Promise<{ page: Page; run: (line: string) => Promise<string> }> {
  const page = await context.newPage();
  await page.goto(`${inject('appUrl')}?index-url=${encodeURIComponent(indexUrl)}`);
  const app = page.locator('pipette-app');
  const input = app.locator('input#command');
  const output = app.locator('[part="output"]');
  await expect.poll(() => input.isEnabled(), { timeout: 90_000 }).toBe(true);
  const run = async (line: string): Promise<string> => {
    const before = (await output.textContent()) ?? '';
    await input.fill(line);
    await input.press('Enter');
    // The prompt is disabled while a command runs and enabled again when it ends.
    await expect.poll(async () => (await input.isEnabled()) && ((await output.textContent()) ?? '') !== before, { timeout: 60_000 }).toBe(true);
    return ((await output.textContent()) ?? '').slice(before.length);
  };
  return { page, run };
}

test('pip install resolves and installs from the index; a second page load answers from IndexedDB with zero requests', async () => {
  const context = await browser.newContext();
  const first = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(first.page);
  index.resetRequests();
  const installed = await first.run('pip install greeter');
  expect(installed).toContain('Collecting greeter');
  expect(installed).toMatch(/Successfully installed colorama-0\.4\.6 greeter-2\.0\.0 tinyjson-0\.3\.0/);
  const greeting = await first.run(`python -c 'import greeter; print(greeter.greet("tab"))'`);
  expect(greeting).toContain('{"hello": "tab", "v": 2}');
  // Dependencies came from PEP 658 .metadata files, and each wheel was fetched once.
  const wheelRequests = index.requests.filter((r) => r.path.endsWith('.whl'));
  expect(wheelRequests.map((r) => r.path).sort()).toEqual(['/files/colorama-0.4.6-py3-none-any.whl', '/files/greeter-2.0.0-py3-none-any.whl', '/files/tinyjson-0.3.0-py3-none-any.whl']);
  expect(index.requests.length).toBeGreaterThan(0);
  await screenshot(first.page, 'pip-install');
  await first.page.close();

  // A reload is a fresh interpreter with nothing installed; pages, metadata and wheels all come
  // from IndexedDB (index pages are fresh for 10 minutes), so the index sees no request at all.
  index.resetRequests();
  const second = await openPlayground(context, index.simpleUrl);
  const again = await second.run('pip install greeter');
  expect(again).toMatch(/Successfully installed colorama-0\.4\.6 greeter-2\.0\.0 tinyjson-0\.3\.0/);
  // pip names the whole URL for hosts other than files.pythonhosted.org.
  expect(again).toContain(`Using cached ${index.url}/files/greeter-2.0.0-py3-none-any.whl`);
  expect(await second.run(`python -c 'import greeter; print(greeter.greet("again"))'`)).toContain('{"hello": "again", "v": 2}');
  expect(index.requests).toEqual([]);
  await screenshot(second.page, 'pip-install-cached');
  expect(errors).toEqual([]);
  await context.close();
});

test('an index that does not allow cross-origin requests gets a message naming CORS, and nothing is installed', async () => {
  const context = await browser.newContext();
  const blocked = await startIndexServer({ projects, faults: { noCors: true } });
  try {
    const { page, run } = await openPlayground(context, blocked.simpleUrl);
    const output = await run('pip install --retries 0 tinyjson');
    expect(output).toMatch(/cross-origin|CORS/);
    expect(output).toContain('127.0.0.1');
    expect(await run('pip list --format freeze')).not.toContain('tinyjson');
    await screenshot(page, 'pip-cors');
  } finally {
    await blocked.close();
    await context.close();
  }
});
