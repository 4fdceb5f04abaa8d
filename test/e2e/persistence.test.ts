import { expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, screenshot } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground } from './playground';
import type { IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

// The workspace survives a reload: packages in the base environment and in a venv, the active
// venv, and the person's files come back from IndexedDB, rebuilt from the locks with the wheels
// from the cache: the index sees no request at all.
const projects: WheelSpec[] = [
  { name: 'greeter', version: '2.0.0', requires: ['tinyjson'], files: { 'greeter/__init__.py': 'from tinyjson import dumps\ndef greet(n):\n    return dumps({"hello": n})\n' } },
  { name: 'tinyjson', version: '0.3.0', files: { 'tinyjson/__init__.py': 'import json\ndumps = json.dumps\n' } },
  { name: 'colorama', version: '0.4.6' },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

test('packages in base and in a venv, the active venv and a file come back after a reload, from the cache with zero requests', async () => {
  const context = await browser.newContext();
  const first = await openPlayground(context, index.simpleUrl);
  const page = first.page;
  const errors = collectErrors(page);
  let run = first.run;

  expect(await run('pip install greeter')).toMatch(/Successfully installed greeter-2\.0\.0 tinyjson-0\.3\.0/);
  expect(await run('python -m venv env1')).toBe('');
  expect(await run('source env1/bin/activate && echo $VIRTUAL_ENV')).toBe('/home/pyodide/env1');
  expect(await first.transcript()).toMatch(/\(env1\) pyodide@pipette:~\$\s*$/);
  expect(await run('pip install colorama')).toMatch(/Successfully installed colorama-0\.4\.6/);
  expect(await run(`python -c 'import greeter'`)).toContain("ModuleNotFoundError: No module named 'greeter'");
  await run(`python -c 'open("notes.txt", "w").write("kept across reloads")'`);
  await screenshot(page, 'persistence-before-reload');

  index.resetRequests();
  await page.reload();
  ({ run } = await attach(page));
  const progress = await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { progress: unknown }).progress);
  expect(progress).toMatchObject({ phase: 'ready', restore: { files: 4, environments: 2, distributions: 3, problems: [] } });

  // The venv is active again, with its package and only it.
  expect(await run('pip freeze')).toBe('colorama==0.4.6');
  expect(await run(`python -c 'import sys, colorama; print(sys.prefix, colorama.__version__)'`)).toBe('/home/pyodide/env1 0.4.6');
  expect(await run(`python -c 'print(open("notes.txt").read())'`)).toBe('kept across reloads');
  expect(await run(`python -c 'import greeter'`)).toContain("ModuleNotFoundError: No module named 'greeter'");
  // And the base environment has its own.
  expect(await run('deactivate && pip --version')).toMatch(/from \/lib\/python3\.14\/site-packages\/pip/);
  expect(await run(`python -c 'import greeter; print(greeter.greet("again"))'`)).toBe('{"hello": "again"}');
  expect(await run('pip freeze')).toBe('greeter==2.0.0\ntinyjson==0.3.0');
  await screenshot(page, 'persistence-after-reload');

  // No index page, no metadata file, no wheel: everything came from IndexedDB.
  expect(index.requests).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});
