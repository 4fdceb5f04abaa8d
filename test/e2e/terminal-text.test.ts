/**
 * What reaches the page's terminal, in Chromium: a hostile file name given to Import… runs
 * nothing (the page passes argv, and shows the command quoted), and escape sequences in an
 * index's Summary are shown as text in xterm instead of clearing its screen.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot } from './browser';
import { openPlayground } from './playground';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';

const ESC = '\x1b';
const HOSTILE_NAME = 'requirements.txt; rm -rf ~; echo x.txt';

let browser: Browser;
let index: IndexServer;
beforeAll(async () => {
  [browser, index] = await Promise.all([
    launchChromium(),
    startIndexServer({
      projects: [
        { name: 'plain', version: '1.0.0' },
        { name: 'evil', version: '1.0', summary: `${ESC}[2J${ESC}[HSuccessfully installed evil-1.0` },
      ],
    }),
  ]);
});
afterAll(async () => {
  await browser?.close();
  await index?.close();
});

test('Import… of a file named "requirements.txt; rm -rf ~; echo x.txt": pip install -r gets the name as one argument, nothing else runs', async () => {
  const context = await browser.newContext();
  const { page, run, transcript, waitForPrompt } = await openPlayground(context, index.simpleUrl);
  expect(await run('mkdir -p work && echo mine > work/notes.txt && ls')).toContain('work');

  const before = Number(await page.locator('pipette-app').getAttribute('data-commands'));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('pipette-app button[title^="Open a pylock.toml"]').click()]);
  await chooser.setFiles({ name: HOSTILE_NAME, mimeType: 'text/plain', buffer: Buffer.from('plain==1.0.0\n') });
  await expect.poll(async () => Number(await page.locator('pipette-app').getAttribute('data-commands')), { timeout: 60_000 }).toBeGreaterThan(before);
  await waitForPrompt();

  const text = await transcript();
  // Shown as the shell would need it typed: one quoted word.
  expect(text).toContain(`$ pip install -r ~/'${HOSTILE_NAME}'`);
  expect(text).toContain('Successfully installed plain-1.0.0');
  // `echo x.txt` did not run, and the home folder is all there.
  expect(text).not.toMatch(/^x\.txt$/m);
  expect(await run('cat work/notes.txt')).toBe('mine');
  expect(await run('ls')).toContain('work');
  expect(await run('pip freeze')).toBe('plain==1.0.0');
  await screenshot(page, 'terminal-text-import-hostile-name');
  await context.close();
});

test('escape sequences in an index Summary are shown escaped by pip show; the screen is not cleared', async () => {
  const context = await browser.newContext();
  const { page, run, transcript } = await openPlayground(context, index.simpleUrl);
  expect(await run('echo marker-before-pip-show')).toBe('marker-before-pip-show');
  expect(await run('pip install evil')).toContain('Successfully installed evil-1.0');

  const shown = await run('pip show evil');
  // The escape sequences are text on the screen: a backslash, x, 1, b.
  expect(shown).toContain('Summary: \\x1b[2J\\x1b[HSuccessfully installed evil-1.0');
  // Not cleared: the lines before `pip show` are still in xterm's buffer, and the forged
  // "Successfully installed" never starts a line of its own.
  const text = await transcript();
  expect(text).toContain('marker-before-pip-show');
  expect(text.indexOf('marker-before-pip-show')).toBeLessThan(text.indexOf('$ pip show evil'));
  expect(text.split('\n').filter((line) => line.startsWith('Successfully installed evil-1.0'))).toHaveLength(1);
  // On screen (xterm's viewport, not only its buffer): pip show's lines in order, none erased.
  const rows = await page.evaluate(() => {
    type Xterm = { rows: number; buffer: { active: { viewportY: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } } };
    const element = document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal') as unknown as { terminal: Xterm };
    const { rows: count, buffer } = element.terminal;
    const out: string[] = [];
    for (let i = buffer.active.viewportY; i < buffer.active.viewportY + count; i++) out.push(buffer.active.getLine(i)?.translateToString(true) ?? '');
    return out;
  });
  const name = rows.indexOf('Name: evil');
  expect(name, rows.join('\n')).toBeGreaterThan(0);
  expect(rows[name - 1]).toMatch(/\$ pip show evil$/);
  expect(rows[name + 2]).toBe('Summary: \\x1b[2J\\x1b[HSuccessfully installed evil-1.0');
  await screenshot(page, 'terminal-text-summary-escaped');
  await context.close();
});
