import { expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground } from './playground';
import type { IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

// What a student following the pip tutorials does, typed as they type it: the Python REPL, pip's
// questions answered at the terminal, pip as a package, a venv's python without activation, and
// the tutorials' other commands; then what the page keeps across a reload.
const projects: WheelSpec[] = [
  { name: 'greeter', version: '2.0.0', requires: ['tinyjson'], files: { 'greeter/__init__.py': 'def greet(n):\n    return f"hello {n}"\n' } },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
  { name: 'pip', version: '24.0', files: { 'pip/__init__.py': '__version__ = "24.0"\n' } },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

/** Types a line and Enter, then waits until the transcript ends with `prompt` (`>>> `, `... `, `Proceed (Y/n)? `). */
async function typeLine(page: Page, transcript: () => Promise<string>, line: string, prompt: RegExp): Promise<string> {
  const before = (await transcript()).length;
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(async () => prompt.test((await transcript()).slice(before)), { timeout: 30_000 }).toBe(true);
  return (await transcript()).slice(before);
}

const PS1 = />>> $/;
const PS2 = /\.\.\. $/;
const SHELL = /\$ $/;

test('the Python REPL: a for block, values, Tab, history, Ctrl+C in a loop and at the prompt, exit() back to the shell', async () => {
  const context = await browser.newContext();
  const { page, transcript, run } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  expect(await run('pip install greeter')).toContain('Successfully installed greeter-2.0.0 tinyjson-0.3.0');
  await page.locator('pipette-app pipette-terminal').click();

  const started = await typeLine(page, transcript, 'python', PS1);
  expect(started).toMatch(/Python 3\.14\.\d+ \(.*\n?.*on emscripten\nType "help", "copyright", "credits" or "license" for more information\.\n>>> $/);
  await typeLine(page, transcript, 'for i in range(3):', PS2);
  await typeLine(page, transcript, '    print(i * 2)', PS2);
  expect(await typeLine(page, transcript, '', PS1)).toBe('\n0\n2\n4\n>>> ');
  // It runs in the active environment: what pip installed imports.
  expect(await typeLine(page, transcript, 'import greeter; greeter.greet("repl")', PS1)).toContain("'hello repl'\n>>> ");
  // Tab completes with rlcompleter's names: `gree` + Tab -> `greeter`, `greeter.gr` + Tab -> `greeter.greet(`.
  await page.keyboard.type('gree');
  await page.keyboard.press('Tab');
  await page.keyboard.type('.gr');
  await page.keyboard.press('Tab');
  await expect.poll(async () => (await transcript()).endsWith('>>> greeter.greet(')).toBe(true);
  expect(await typeLine(page, transcript, '"tab")', PS1)).toContain("'hello tab'\n>>> ");
  // Up recalls the REPL's own lines (not the shell's).
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await transcript()).endsWith('>>> greeter.greet("tab")')).toBe(true);
  await page.keyboard.press('Control+U');

  // Ctrl+C in a running loop: KeyboardInterrupt, and the REPL goes on.
  await typeLine(page, transcript, 'while True: pass', PS2);
  const before = (await transcript()).length;
  await page.keyboard.press('Enter');
  await new Promise((r) => setTimeout(r, 700));
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await transcript()).slice(before), { timeout: 30_000 }).toMatch(/Traceback \(most recent call last\):\n {2}File "<stdin>", line 1, in <module>\nKeyboardInterrupt\n>>> $/);
  expect(await typeLine(page, transcript, '6 * 7', PS1)).toContain('42\n>>> ');
  // Ctrl+C at the prompt drops the half-typed block.
  await typeLine(page, transcript, 'if True:', PS2);
  const interrupted = (await transcript()).length;
  await page.keyboard.press('Control+C');
  await expect.poll(async () => (await transcript()).slice(interrupted)).toMatch(/\^C\nKeyboardInterrupt\n>>> $/);
  // A traceback names <stdin>, nothing of Pipette's or Pyodide's.
  const error = await typeLine(page, transcript, '1/0', PS1);
  expect(error).toContain('File "<stdin>", line 1, in <module>\nZeroDivisionError: division by zero');
  expect(error).not.toMatch(/_pyodide|pipette|code\.py/);
  // help() on something prints its documentation; help() alone is pydoc's own help> prompt.
  expect(await typeLine(page, transcript, 'help(len)', PS1)).toContain('Return the number of items in a container.');
  expect(await typeLine(page, transcript, 'help()', /help> $/)).toContain('Welcome to Python 3.14');
  expect(await typeLine(page, transcript, 'len', /help> $/)).toContain('Return the number of items in a container.');
  expect(await typeLine(page, transcript, 'quit', PS1)).toContain('You are now leaving help and returning to the Python interpreter.');

  expect(await typeLine(page, transcript, 'exit()', SHELL)).toMatch(/^exit\(\)\n(\(.*\) )?pyodide@pipette:~\$ $/);
  expect(await run('echo $? back')).toBe('0 back');
  // Ctrl+D leaves it too; the shell's history does not hold the REPL's lines.
  await typeLine(page, transcript, 'python -q', PS1);
  const left = (await transcript()).length;
  await page.keyboard.press('Control+D');
  await expect.poll(async () => SHELL.test((await transcript()).slice(left))).toBe(true);
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await transcript()).endsWith('$ python -q')).toBe(true);
  await page.keyboard.press('Control+U');
  expect(errors).toEqual([]);
  await context.close();
});

test('pip uninstall asks Proceed (Y/n)?: n keeps the package, y removes it', async () => {
  const context = await browser.newContext();
  const { page, transcript, run } = await openPlayground(context, index.simpleUrl);
  expect(await run('pip install greeter')).toContain('Successfully installed');
  await page.locator('pipette-app pipette-terminal').click();
  const asked = await typeLine(page, transcript, 'pip uninstall greeter', /Proceed \(Y\/n\)\? $/);
  expect(asked).toContain('Found existing installation: greeter 2.0.0\nUninstalling greeter-2.0.0:\n  Would remove:\n');
  expect(await typeLine(page, transcript, 'n', SHELL)).not.toContain('Successfully uninstalled');
  expect(await run('pip freeze')).toBe('greeter==2.0.0\ntinyjson==0.3.0');
  await typeLine(page, transcript, 'pip uninstall greeter', /Proceed \(Y\/n\)\? $/);
  expect(await typeLine(page, transcript, 'y', SHELL)).toMatch(/^y\n {2}Successfully uninstalled greeter-2\.0\.0\n/);
  expect(await transcript()).toContain('Proceed (Y/n)? y\n');
  expect(await run('pip freeze')).toBe('tinyjson==0.3.0');
  // No y was left over for the shell to run as a command.
  expect(await transcript()).not.toContain('command not found');
  await context.close();
});

test('pip is a package of the environment; pip install --upgrade pip; venv/bin/python runs in its venv; the tutorials\' commands', async () => {
  const context = await browser.newContext();
  const { run } = await openPlayground(context, index.simpleUrl);
  const version = (await run('pip --version')).match(/^pip (\S+) \(pipette [^)]*\) from \/lib\/python3\.14\/site-packages\/pip \(python 3\.14\)$/)?.[1];
  expect(version).toBeDefined();
  expect(await run('pip list')).toMatch(new RegExp(`^pip +${version!.replace(/\./g, '\\.')}$`, 'm'));
  expect(await run('pip show pip')).toContain(`Name: pip\nVersion: ${version}\n`);
  expect(await run('python -m pip --version')).toBe(await run('pip --version'));
  expect(await run('pip install --upgrade pip')).toBe(
    `Requirement already satisfied: pip in /lib/python3.14/site-packages (${version})\npip ${version} is the newest pip Pipette provides: pip is built into this page, so there is nothing to upgrade.`,
  );
  expect(await run('pip install pip==24.0')).toContain("ERROR: Cannot install pip==24.0: the pip in this terminal is built into the page (Pipette's pip");
  expect(await run('pip show pip')).toContain(`Version: ${version}\n`);

  expect(await run('python -m venv venv')).toBe('');
  expect(await run('venv/bin/python -c "import sys; print(sys.prefix)"')).toBe('/home/pyodide/venv');
  expect(await run('python -c "import sys; print(sys.prefix)"')).toBe('/');
  expect(await run('venv/bin/pip list --format=freeze')).toBe(`pip==${version}`);

  expect(await run('pip freeze --all | wc -l')).toBe('1');
  expect(await run("echo -e 'b\\na\\nb' | sort | uniq -c")).toBe('      1 a\n      2 b');
  expect(await run('pip help | tail -n 1')).not.toContain('command not found');
  expect(await run('pip-compile --help | head -n 1')).toBe("pip-compile runs Pipette's pip compile, with these options:");
  expect(await run('pip-audit --index-url http://127.0.0.1:9/repo/')).toContain('ERROR: Could not audit: no vulnerability service is configured.');
  await context.close();
});

test('the open file, the terminal history and the active panel come back after a reload; Share says Link copied; whole names in the file list', async () => {
  const context = await browser.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const first = await openPlayground(context, index.simpleUrl);
  const page = first.page;
  const long = 'a_file_with_a_rather_long_name_for_the_list.py';
  await first.run(`echo 'print(1)' > ${long}`);
  await first.run('echo remembered-line');
  await page.locator(`pipette-files [part="row"][data-path="/home/pyodide/${long}"] .entry`).click();
  await expect.poll(() => page.locator('pipette-editor [part="path"]').innerText()).toBe(long);
  // The whole name is shown: nothing cut off.
  const name = page.locator(`pipette-files [part="row"][data-path="/home/pyodide/${long}"] .name`);
  expect(await name.innerText()).toBe(long);
  expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await page.locator('pipette-machinery #tab-disk').click();

  await page.locator('pipette-app button[part="share"]').click();
  await expect.poll(() => page.locator('pipette-app [part="shared"] [part="copied"]').innerText()).toBe('Link copied');
  const link = await page.locator('pipette-app [part="shared"] input').inputValue();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);

  await page.reload();
  const again = await attach(page);
  expect(await page.locator('pipette-machinery #tab-disk').getAttribute('aria-selected')).toBe('true');
  await expect.poll(() => page.locator('pipette-files [part="row"].active').getAttribute('data-path')).toBe(`/home/pyodide/${long}`);
  await page.locator('pipette-app pipette-terminal').click();
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await again.transcript()).endsWith('$ echo remembered-line')).toBe(true);
  await page.keyboard.press('Enter');
  await expect.poll(async () => /remembered-line\npyodide@pipette:~\$\s*$/.test(await again.transcript())).toBe(true);
  expect(await again.run('history | tail -n 2')).toMatch(/echo remembered-line\n.*history \| tail -n 2$/);
  await context.close();
});
