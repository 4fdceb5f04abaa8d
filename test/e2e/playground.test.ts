import { expect, inject, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, screenshot } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground } from './playground';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

// The playground as a person uses it: the terminal, the editor, the panels, freeze and venvs,
// and a share link opened in a fresh browser.
const projects: WheelSpec[] = [
  { name: 'greeter', version: '1.0.0', requires: ['tinyjson>=0.3'], summary: 'Says hello <b>loudly</b>', files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
  { name: 'greeter', version: '2.0.0', requires: ['tinyjson>=0.3'], summary: 'Says hello <b>loudly</b>', files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n, "v": 2})\n' } },
  { name: 'greeter', version: '3.0.0rc1', requires: ['tinyjson>=0.3'] },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

async function setEditorCode(page: Page, code: string): Promise<void> {
  const content = page.locator('pipette-editor .cm-content');
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

test('install, see it in the panels, run it from the editor, freeze it into a venv, and share it', async () => {
  const context = await browser.newContext();
  const { page, run, transcript } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);

  // pip install with dependencies; the packages panel shows who was requested and who pulled in.
  expect(await run('pip install greeter')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  // greeter, tinyjson, and pip itself (a package of every environment, as in a real venv).
  const rows = page.locator('pipette-packages tr[part="row"]');
  await expect.poll(() => rows.count()).toBe(3);
  await expect.poll(() => page.locator('pipette-packages tr[data-name="tinyjson"]').innerText()).toMatch(/greeter/);
  // A summary is text from a stranger: shown as text, never as HTML.
  expect(await page.locator('pipette-packages tr[data-name="greeter"]').innerText()).toContain('Says hello <b>loudly</b>');
  await screenshot(page, 'playground-packages');

  // The editor runs the file in the active environment; output streams into the terminal.
  await setEditorCode(page, 'import greeter\nprint(greeter.greet("editor"))\n');
  await page.keyboard.press('Control+Enter');
  await expect.poll(transcript, { timeout: 30_000 }).toContain('{"hello": "editor", "v": 2}');
  await screenshot(page, 'playground-editor-run');

  // A missing import offers the install.
  await setEditorCode(page, 'import yaml\n');
  await page.locator('pipette-editor [part="run"]').click();
  await expect.poll(() => page.locator('pipette-app [part="offer"] button').first().innerText(), { timeout: 30_000 }).toBe('pip install pyyaml');
  expect(await page.locator('pipette-app [part="offer"]').innerText()).toContain("No module named 'yaml'");
  // The traceback shows the person's file, not the runner's frames.
  expect(await transcript()).toMatch(/File "\/home\/pyodide\/main\.py", line 1, in <module>/);
  expect(await transcript()).not.toContain('runpy');

  // The graph and the on-disk view.
  await page.locator('pipette-machinery #tab-graph').click();
  await expect.poll(() => page.locator('pipette-graph [part="node"]').count()).toBe(3);
  await page.locator('pipette-machinery #tab-disk').click();
  await expect.poll(() => page.locator('pipette-disk [part="tree"]').innerText()).toContain('greeter-2.0.0.dist-info');
  await screenshot(page, 'playground-disk');

  // The specifier lab against the real index.
  await page.locator('pipette-machinery #tab-spec-lab').click();
  await page.locator('pipette-spec-lab input[part="project"]').fill('greeter');
  await page.locator('pipette-spec-lab input[part="project"]').press('Enter');
  await page.locator('pipette-spec-lab input[part="specifier"]').fill('~=1.0');
  await expect.poll(() => page.locator('pipette-spec-lab [part="version"]').count(), { timeout: 30_000 }).toBe(3);
  expect(await page.locator('pipette-spec-lab [data-version="1.0.0"]').getAttribute('data-verdict')).not.toBe(await page.locator('pipette-spec-lab [data-version="2.0.0"]').getAttribute('data-verdict'));
  await screenshot(page, 'playground-spec-lab');

  // pip freeze > requirements.txt writes a real file the files panel and editor open.
  expect(await run('pip freeze > requirements.txt')).toBe('');
  await expect.poll(() => page.locator('pipette-files li[data-path="/home/pyodide/requirements.txt"]').count()).toBe(1);
  await page.locator('pipette-files li[data-path="/home/pyodide/requirements.txt"] button.entry').click();
  await expect.poll(() => page.locator('pipette-editor .cm-content').innerText()).toContain('greeter==2.0.0');
  // ... and reproduces in a fresh venv.
  expect(await run('python -m venv env2 && source env2/bin/activate')).toBe('');
  expect(await run('pip install -r requirements.txt')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(await transcript()).toMatch(/\(env2\) pyodide@pipette:~\$\s*$/);
  expect(await run('deactivate && pip uninstall -y greeter')).toContain('Successfully uninstalled greeter-2.0.0');
  await page.locator('pipette-machinery #tab-packages').click();
  await expect.poll(() => rows.count()).toBe(2);
  expect(await run('pip install greeter==2.0.0')).toContain('Successfully installed greeter-2.0.0');

  // Share: the link carries the exact wheels; a fresh browser shows what it will install, then does it.
  await page.locator('pipette-app button[part="share"]').click();
  const link = await page.locator('pipette-app [part="shared"] input').inputValue();
  expect(link).toMatch(/#env=v2\./);
  await screenshot(page, 'playground-share');
  const shaOf = (p: Page) =>
    p.evaluate(async () => {
      const app = document.querySelector('pipette-app') as unknown as { runtime: { shareLock(): Promise<{ lock: { distributions: { name: string; sha256: string; requested: boolean }[] } }> } };
      return (await app.runtime.shareLock()).lock.distributions.map((d) => `${d.name} ${d.sha256} ${d.requested ? 'requested' : 'dependency'}`).sort();
    });
  const expected = await shaOf(page);
  expect(expected.some((line) => line.startsWith('tinyjson ') && line.endsWith(' dependency'))).toBe(true);

  const elsewhere = await browser.newContext();
  const other = await elsewhere.newPage();
  await other.goto(link);
  const dialog = other.locator('pipette-restore-dialog');
  await expect.poll(() => dialog.locator('[part="packages"]').innerText(), { timeout: 90_000 }).toContain('greeter==2.0.0');
  expect(await dialog.locator('[part="warnings"]').innerText()).toContain(index.simpleUrl);
  await screenshot(other, 'playground-restore-dialog');
  // Nothing is installed before the person says yes.
  expect(await shaOf(other)).toEqual([]);
  await dialog.locator('[part="restore"]').click();
  const restored = await attach(other);
  await expect.poll(() => restored.transcript(), { timeout: 60_000 }).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  expect(await shaOf(other)).toEqual(expected);
  expect(await restored.run(`python -c 'import greeter; print(greeter.greet("shared"))'`)).toBe('{"hello": "shared", "v": 2}');
  await screenshot(other, 'playground-restored');
  await elsewhere.close();

  expect(errors).toEqual([]);
  await context.close();
});

test('a damaged share link is refused with the reason, and nothing is installed', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${inject('appUrl')}#env=v1.AAAAAAAA.0123456789abcdef`);
  const dialog = page.locator('pipette-restore-dialog');
  await expect.poll(() => dialog.locator('[part="refusal"]').innerText(), { timeout: 90_000 }).toMatch(/link/i);
  expect(await dialog.locator('[part="restore"]').count()).toBe(0);
  await screenshot(page, 'playground-link-refused');
  await dialog.locator('[part="cancel"]').click();
  const { run } = await attach(page);
  expect(await run('pip freeze')).toBe('');
  await context.close();
});

test('downloads show one progress line in the terminal and in the status line, gone when the install ends', async () => {
  const context = await browser.newContext();
  const slow = await startIndexServer({ projects, faults: { latencyMs: 250 } });
  try {
    const { page, run, transcript } = await openPlayground(context, slow.simpleUrl);
    // Record every status-line text the page shows while the command runs.
    await page.evaluate(() => {
      const app = document.querySelector('pipette-app')!;
      const seen: string[] = ((window as unknown as { seenActivity: string[] }).seenActivity = []);
      new MutationObserver(() => {
        const text = app.shadowRoot!.querySelector('[part="activity"]')?.textContent;
        if (text) seen.push(text);
      }).observe(app.shadowRoot!, { subtree: true, childList: true, characterData: true });
    });
    expect(await run('pip install greeter')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
    const seen = await page.evaluate(() => (window as unknown as { seenActivity: string[] }).seenActivity);
    expect(seen.some((t) => /^Downloading \d of 2 files/.test(t))).toBe(true);
    expect(await page.locator('pipette-app [part="activity"]').innerText()).toBe('');
    // The terminal's progress line was cleared before pip's own lines: none is left behind.
    expect(await transcript()).not.toMatch(/Downloading \d of \d files/);
  } finally {
    await slow.close();
    await context.close();
  }
});

test('pip download -d writes wheels the person can save to their own disk', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const { page, run } = await openPlayground(context, index.simpleUrl);
    expect(await run('pip download -d dist greeter')).toContain('Successfully downloaded greeter tinyjson');
    const row = page.locator('pipette-files li[data-path="/home/pyodide/dist/greeter-2.0.0-py3-none-any.whl"]');
    await expect.poll(() => row.count()).toBe(1);
    await row.locator('button.entry').click(); // select the row: its actions show
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-action="save"]').click()]);
    expect(download.suggestedFilename()).toBe('greeter-2.0.0-py3-none-any.whl');
    const { readFile } = await import('node:fs/promises');
    const { createHash } = await import('node:crypto');
    const saved = await readFile((await download.path())!);
    const served = index.dists.find((d) => d.filename === 'greeter-2.0.0-py3-none-any.whl')!;
    expect(createHash('sha256').update(saved).digest('hex')).toBe(served.sha256);
  } finally {
    await context.close();
  }
});

test("the upgrade-all one-liner, tab completion, and pylock.toml out and back in", async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const { page, run, transcript } = await openPlayground(context, index.simpleUrl);
    expect(await run('pip install greeter==1.0.0')).toContain('Successfully installed greeter-1.0.0 tinyjson-0.3.0');
    // The seeds' one-liner: pipes, grep -v, cut, xargs -n1, each pip run for real.
    const upgraded = await run("pip list --outdated --format=freeze | grep -v '^-e' | cut -d = -f 1 | xargs -n1 pip install -U");
    expect(upgraded).toContain('Successfully installed greeter-2.0.0');
    expect(await run('pip freeze')).toBe('greeter==2.0.0\ntinyjson==0.3.0');

    // Tab completes a pip subcommand and an installed name.
    await page.locator('pipette-app pipette-terminal').click();
    await page.keyboard.type('pip sh');
    await page.keyboard.press('Tab');
    await page.keyboard.type('gree');
    await page.keyboard.press('Tab');
    await expect.poll(transcript).toMatch(/\$ pip show greeter\s*$/);
    await page.keyboard.press('Control+C');

    // pylock.toml out (a download) ...
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('pipette-app button[title^="Download pylock.toml"]').click()]);
    expect(download.suggestedFilename()).toBe('pylock.toml');
    const { readFile } = await import('node:fs/promises');
    const pylock = await readFile((await download.path())!, 'utf8');
    expect(pylock).toContain('lock-version = "1.0"');
    expect(pylock).toContain('name = "greeter"');

    // ... and back in, in a fresh browser: shown first, then installed hash-checked.
    const elsewhere = await browser.newContext();
    const other = await openPlayground(elsewhere, index.simpleUrl);
    const [chooser] = await Promise.all([other.page.waitForEvent('filechooser'), other.page.locator('pipette-app button[title^="Open a pylock.toml"]').click()]);
    await chooser.setFiles({ name: 'pylock.toml', mimeType: 'application/toml', buffer: Buffer.from(pylock) });
    const dialog = other.page.locator('pipette-restore-dialog');
    await expect.poll(() => dialog.locator('[part="packages"]').innerText()).toContain('greeter==2.0.0');
    await dialog.locator('[part="restore"]').click();
    await expect.poll(() => other.transcript(), { timeout: 60_000 }).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
    await other.waitForPrompt();
    expect(await other.run('pip freeze')).toBe('greeter==2.0.0\ntinyjson==0.3.0');
    await elsewhere.close();
  } finally {
    await context.close();
  }
});
