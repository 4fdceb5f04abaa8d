import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { attach, openPlayground } from './playground';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../fixtures/machine-wheels';

// The development and publishing workflow of the packaging tutorials, in Chromium, as a person
// does it: write pyproject.toml and src/hello/__init__.py in the editor, `pip install -e .`,
// import it, edit it, run again and see the change, `python -m build`, `ls dist`,
// `pip install dist/*.whl` into a new venv, `twine check dist/*`, and save a built file to disk.
// The backends, `build`, pyproject_hooks and docutils are the real PyPI wheels this machine
// carries, served by the fixture index the page is pointed at.
let browser: Browser;
let index: IndexServer;

beforeAll(async () => {
  [browser, index] = await Promise.all([
    launchChromium(),
    // (greetlib: a dependency Pyodide's own package list does not have, so the page fetches it from the index.)
    startIndexServer({ projects: [{ name: 'greetlib', version: '1.0', files: { 'greetlib/__init__.py': 'def shout(s):\n    return s.upper()\n' } }], dists: machineDists(BUILD_TOOLS) }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await index?.close();
});

/** `+ New file` in the files panel, the name typed, then the content typed into the editor. */
async function newFileInEditor(page: Page, name: string, content: string): Promise<void> {
  await page.locator('pipette-files [part="new"]').click();
  await page.locator('pipette-files [part="name-input"]').fill(name);
  await page.locator('pipette-files [part="name-input"]').press('Enter');
  await expect.poll(() => page.locator('pipette-editor [part="path"]').innerText()).toBe(name);
  await typeInEditor(page, content);
}

async function typeInEditor(page: Page, content: string): Promise<void> {
  await page.locator('pipette-editor .cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(content);
}

/** The file as the worker has it (the editor saves a moment after the last keystroke). */
async function fileText(page: Page, path: string): Promise<string> {
  return page.evaluate(async (p) => {
    const app = document.querySelector('pipette-app') as unknown as { runtime: { readFile(path: string): Promise<{ kind: string; data?: Uint8Array }> } };
    const file = await app.runtime.readFile(p);
    return file.kind === 'ok' ? new TextDecoder().decode(file.data) : '';
  }, path);
}

test('pip install -e ., edit and run again, python -m build, a new venv, twine check', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const { page, run } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  const slow = { timeoutMs: 300_000 };

  const pyproject = '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello"\nversion = "0.1"\ndescription = "Says hello"\nreadme = "README.md"\ndependencies = ["greetlib"]\n';
  await newFileInEditor(page, 'hello/pyproject.toml', pyproject);
  await newFileInEditor(page, 'hello/README.md', '# hello\n\nSays hello.\n');
  await newFileInEditor(page, 'hello/src/hello/__init__.py', 'from greetlib import shout\n\ndef greet():\n    return shout("hello from the editor")\n');
  await expect.poll(() => fileText(page, 'hello/src/hello/__init__.py')).toContain('hello from the editor');
  await expect.poll(() => fileText(page, 'hello/pyproject.toml')).toBe(pyproject);

  const editable = await run('cd hello && pip install -e .', slow);
  expect(editable).toContain('Obtaining file:///home/pyodide/hello');
  expect(editable).toContain('Installing build dependencies ... done');
  expect(editable).toContain('Building editable for hello (pyproject.toml) ... done');
  expect(editable).toContain('Successfully installed greetlib-1.0 hello-0.1');
  expect(await run(`python -c 'import hello; print(hello.greet())'`)).toBe('HELLO FROM THE EDITOR');
  await screenshot(page, 'build-editable');

  // Edit in the editor (the file is still open there); the next run sees the change.
  await typeInEditor(page, 'from greetlib import shout\n\ndef greet():\n    return shout("edited, no reinstall")\n');
  await expect.poll(() => fileText(page, 'hello/src/hello/__init__.py')).toContain('edited, no reinstall');
  expect(await run(`python -c 'import hello; print(hello.greet())'`)).toBe('EDITED, NO REINSTALL');
  expect(await run('pip freeze')).toBe('greetlib==1.0\n# Editable install with no version control (hello==0.1)\n-e /home/pyodide/hello');

  expect(await run('pip install build', slow)).toContain('Successfully installed build-1.6.1');
  const built = await run('python -m build', slow);
  expect(built).toContain('* Creating isolated environment: pipette...');
  expect(built).toContain('* Building sdist...');
  expect(built).toContain('* Building wheel from sdist');
  expect(built).toContain('Successfully built hello-0.1.tar.gz and hello-0.1-py3-none-any.whl');
  expect(await run('ls dist')).toBe('hello-0.1-py3-none-any.whl  hello-0.1.tar.gz');
  await screenshot(page, 'build-python-m-build');

  const venv = await run('python -m venv /home/pyodide/fresh && source /home/pyodide/fresh/bin/activate && pip install dist/*.whl', slow);
  expect(venv).toContain('Processing ./dist/hello-0.1-py3-none-any.whl');
  expect(venv).toContain('Successfully installed greetlib-1.0 hello-0.1');
  expect(await run(`python -c 'import hello; print(hello.__file__)'`)).toBe('/home/pyodide/fresh/lib/python3.14/site-packages/hello/__init__.py');
  await run('deactivate');

  const checked = await run('twine check dist/*', slow);
  expect(checked).toContain('Checking dist/hello-0.1-py3-none-any.whl: PASSED');
  expect(checked).toContain('Checking dist/hello-0.1.tar.gz: PASSED');
  await screenshot(page, 'build-twine-check');

  // The files panel offers the built files for download.
  const row = page.locator('pipette-files li[data-path="/home/pyodide/hello/dist/hello-0.1.tar.gz"]');
  await expect.poll(() => row.count()).toBe(1);
  await row.locator('button.entry').click(); // select the row: its actions show
  const [download] = await Promise.all([page.waitForEvent('download'), row.locator('button[data-action="save"]').click()]);
  expect(download.suggestedFilename()).toBe('hello-0.1.tar.gz');
  const { readFile } = await import('node:fs/promises');
  const saved = new Uint8Array(await readFile((await download.path())!));
  const inTab = await page.evaluate(async () => {
    const app = document.querySelector('pipette-app') as unknown as { runtime: { readFile(path: string): Promise<{ kind: string; data?: Uint8Array }> } };
    const file = await app.runtime.readFile('/home/pyodide/hello/dist/hello-0.1.tar.gz');
    return file.kind === 'ok' ? [...file.data!] : [];
  });
  expect([...saved]).toEqual(inTab);
  expect(saved.length).toBeGreaterThan(500);

  expect(errors).toEqual([]);
  await context.close();
}, 900_000);

test('a share link of `pip install -e .`: the dialog says what is built from where; the restore rebuilds it and it imports', async () => {
  const slow = { timeoutMs: 300_000 };
  const origin = await browser.newContext();
  const made = await openPlayground(origin, index.simpleUrl);
  // The project's files, as the editor saves them.
  await made.page.evaluate(async (files) => {
    const app = document.querySelector('pipette-app') as unknown as { runtime: { writeFile(path: string, text: string): Promise<unknown> } };
    for (const [path, text] of files) await app.runtime.writeFile(path!, text!);
  }, [
    ['hello/pyproject.toml', '[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello"\nversion = "0.1"\ndependencies = ["greetlib"]\n'],
    ['hello/src/hello/__init__.py', 'from greetlib import shout\n\ndef greet():\n    return shout("shared project")\n'],
  ]);
  expect(await made.run('cd hello && pip install -e .', slow)).toContain('Successfully installed greetlib-1.0 hello-0.1');
  await made.page.locator('pipette-app button[part="share"]').click();
  const link = await made.page.locator('pipette-app [part="shared"] input').inputValue();
  expect(link).toMatch(/#env=v2\./);
  await origin.close();

  const context = await browser.newContext();
  const mine = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(mine.page);
  await mine.page.goto(link);
  const dialog = mine.page.locator('pipette-restore-dialog');
  await expect.poll(() => dialog.locator('[part="builds"]').innerText().catch(() => ''), { timeout: 90_000 }).toMatch(
    /hello==0\.1\s*built from your project folder \(editable\) \/home\/pyodide\/hello, with the files this link writes\s*→\s*new/,
  );
  expect(await dialog.locator('[part="build-warning"]').innerText()).toContain("Building runs each project's build backend");
  expect(await dialog.locator('[part="restore"]').innerText()).toBe('Install 2 packages');
  await screenshot(mine.page, 'share-dialog-built-from-source');
  await dialog.locator('[part="restore"]').click();
  const restored = await attach(mine.page);
  await expect.poll(() => restored.transcript(), { timeout: 300_000 }).toContain('Successfully installed hello-0.1');
  expect(await restored.run(`python -c 'import hello; print(hello.greet())'`)).toBe('SHARED PROJECT');
  expect(await restored.run('pip freeze')).toBe('greetlib==1.0\n# Editable install with no version control (hello==0.1)\n-e /home/pyodide/hello');
  expect(errors).toEqual([]);
  await context.close();
}, 900_000);
