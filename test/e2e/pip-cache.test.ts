import { expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, screenshot } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { openPlayground } from './playground';
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
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));


test('pip install resolves and installs from the index; a second page load answers from IndexedDB with zero requests', async () => {
  const context = await browser.newContext();
  const first = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(first.page);
  index.resetRequests();
  const installed = await first.run('pip install greeter');
  expect(installed).toContain('Collecting greeter');
  expect(installed).toMatch(/Successfully installed colorama-0\.4\.6 greeter-2\.0\.0 tinyjson-0\.3\.0/);
  // pip's lines, one per line, in pip's order.
  expect(installed).toMatch(/Collecting greeter\n[\s\S]*Collecting colorama>=0\.4 \(from greeter\)\n[\s\S]*Installing collected packages: tinyjson, colorama, greeter\n/);
  const greeting = await first.run(`python -c 'import greeter; print(greeter.greet("tab"))'`);
  expect(greeting).toContain('{"hello": "tab", "v": 2}');
  // Dependencies came from PEP 658 .metadata files, and each wheel was fetched once.
  const wheelRequests = index.requests.filter((r) => r.path.endsWith('.whl'));
  expect(wheelRequests.map((r) => r.path).sort()).toEqual(['/files/colorama-0.4.6-py3-none-any.whl', '/files/greeter-2.0.0-py3-none-any.whl', '/files/tinyjson-0.3.0-py3-none-any.whl']);
  expect(index.requests.length).toBeGreaterThan(0);
  await screenshot(first.page, 'pip-install');
  await first.page.close();

  // A reload is a fresh interpreter: the environment is rebuilt from its saved lock with the
  // wheels from IndexedDB. Uninstalled, pip installs it again with pages, metadata and wheels all
  // from IndexedDB (index pages are fresh for 10 minutes), so the index sees no request at all.
  index.resetRequests();
  const second = await openPlayground(context, index.simpleUrl);
  expect(await second.run('pip freeze')).toContain('colorama==0.4.6\ngreeter==2.0.0\ntinyjson==0.3.0');
  expect(await second.run('pip uninstall -y greeter colorama tinyjson')).toContain('Successfully uninstalled greeter-2.0.0');
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

test('typing `pip install ` opens the index connection before Enter; not for other lines, nor when the cache was filled from it just now', async () => {
  const context = await browser.newContext();
  const fresh = await startIndexServer({ projects });
  try {
    const { page, run } = await openPlayground(context, fresh.simpleUrl);
    const heads = (): string[] => fresh.requests.filter((r) => r.method === 'HEAD').map((r) => r.path);
    fresh.resetRequests();
    await page.locator('pipette-app').locator('pipette-terminal').click();
    await page.keyboard.type('echo pip install x');
    await page.waitForTimeout(1_000);
    expect(fresh.requests).toEqual([]);
    await page.keyboard.press('Control+U');
    await page.keyboard.type('pip install ');
    // HEADs of the index page, sent while the line is still being typed: three, an HTTP/1.1
    // connection each (the install's first pages go out together).
    const index = new URL(fresh.simpleUrl).pathname;
    await expect.poll(heads, { timeout: 10_000 }).toEqual([index, index, index]);
    await page.keyboard.type('greeter');
    await page.waitForTimeout(300);
    expect(heads()).toHaveLength(3);
    await page.keyboard.press('Control+U');
    expect(await run('pip install greeter')).toContain('Successfully installed colorama-0.4.6 greeter-2.0.0 tinyjson-0.3.0');
    // Another tab within the pages' freshness: its install may make no request at all, so typing one contacts nobody.
    const again = await openPlayground(context, fresh.simpleUrl);
    fresh.resetRequests();
    await again.page.locator('pipette-app').locator('pipette-terminal').click();
    await again.page.keyboard.type('pip install ');
    await again.page.waitForTimeout(1_000);
    expect(fresh.requests).toEqual([]);
  } finally {
    await fresh.close();
    await context.close();
  }
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

test('two tabs installing at once share the cache without corrupting it', async () => {
  const context = await browser.newContext();
  const fresh = await startIndexServer({ projects });
  try {
    const [a, b] = await Promise.all([openPlayground(context, fresh.simpleUrl), openPlayground(context, fresh.simpleUrl)]);
    const [outA, outB] = await Promise.all([a.run('pip install greeter'), b.run('pip install greeter==1.0.0')]);
    expect(outA).toContain('Successfully installed colorama-0.4.6 greeter-2.0.0 tinyjson-0.3.0');
    expect(outB).toContain('Successfully installed colorama-0.4.6 greeter-1.0.0 tinyjson-0.3.0');
    // A third tab finds every file both wrote, intact (hashes are checked on every read).
    fresh.resetRequests();
    const c = await openPlayground(context, fresh.simpleUrl);
    // The third tab starts with the environment the last of the two saved; start it empty.
    expect(await c.run('pip uninstall -y greeter colorama tinyjson')).toContain('Successfully uninstalled colorama-0.4.6');
    expect(await c.run('pip install greeter==1.0.0')).toContain('Successfully installed colorama-0.4.6 greeter-1.0.0 tinyjson-0.3.0');
    expect(await c.run('pip install -U greeter')).toContain('Successfully installed greeter-2.0.0');
    expect(fresh.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
  } finally {
    await fresh.close();
    await context.close();
  }
});

test('a conflict is explained in the page, in pip\'s words, and nothing is installed', async () => {
  const context = await browser.newContext();
  const conflict = await startIndexServer({
    projects: [
      { name: 'app', version: '1.0', requires: ['lib>=2'] },
      { name: 'tool', version: '1.0', requires: ['lib<2'] },
      { name: 'lib', version: '1.5' },
      { name: 'lib', version: '2.1' },
    ],
  });
  try {
    const { page, run, transcript } = await openPlayground(context, conflict.simpleUrl);
    const output = await run('pip install app tool');
    // Prefetches still landing after the failed resolution leave no progress line behind.
    expect(await transcript()).not.toMatch(/Downloading \d+ of \d+ files/);
    expect(output).toContain('ERROR: Cannot install app and tool because these package versions have conflicting dependencies.');
    expect(output).toMatch(/Because .*app.* depends on lib>=2/);
    expect(await run('pip freeze')).not.toMatch(/app|tool|lib/);
    await screenshot(page, 'pip-conflict');
  } finally {
    await conflict.close();
    await context.close();
  }
});
