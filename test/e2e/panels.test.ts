import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { HOSTILE_SUMMARY } from './pages/sample-data';

// The panels on a test page (test/e2e/pages/panels.html, served by the Vite dev server) fed
// with sample data; the page records the events they dispatch in window.panelEvents.

let browser: Browser;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

interface Opened {
  page: Page;
  errors: string[];
  dialogs: string[];
  events: () => Promise<{ type: string; detail: unknown }[]>;
}

async function open(panel?: string, query = ''): Promise<Opened> {
  const page = await context.newPage();
  const errors = collectErrors(page);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const response = await page.goto(`${inject('appUrl')}test/e2e/pages/panels.html${panel ? `?panel=${panel}${query}` : ''}`);
  expect(response?.status()).toBe(200);
  await page.waitForFunction(() => window.panelsReady === true);
  return { page, errors, dialogs, events: () => page.evaluate(() => window.panelEvents) };
}

test('every panel renders its data', async () => {
  const { page, errors, dialogs } = await open();
  await expect.poll(() => page.locator('pipette-packages tr[part="row"]').count()).toBe(9);
  expect(await page.locator('pipette-graph g[part="node"]').count()).toBe(9);
  // requests -> 4, rich -> 2, markdown-it-py -> 1: the requirements naming an installed distribution.
  expect(await page.locator('pipette-graph g[part="edge"]').count()).toBe(7);
  expect(await page.locator('pipette-disk li[part="row"]').first().innerText()).toContain('/home/pyodide/.venv/');
  expect(await page.locator('pipette-files li[part="row"]').count()).toBeGreaterThanOrEqual(6);
  expect(await page.locator('pipette-spec-lab p.empty').innerText()).toContain('Type a project name');
  await screenshot(page, 'panel-all');
  expect(errors).toEqual([]);
  expect(dialogs).toEqual([]);
  await page.close();
});

test('packages: summaries are text, hostile links are not links, buttons ask for pip commands', async () => {
  const { page, errors, dialogs, events } = await open('packages');
  const table = page.locator('pipette-packages');
  const mdurl = table.locator('tr[data-name="mdurl"]');
  expect(await mdurl.locator('td.summary').innerText()).toBe(HOSTILE_SUMMARY);
  expect(await table.locator('img').count()).toBe(0);
  const requests = table.locator('tr[data-name="requests"]');
  expect(await requests.innerText()).toContain('update available: 2.32.3');
  expect(await requests.locator('a[href="https://osv.dev/vulnerability/GHSA-9wx4-h78v-vm56"]').getAttribute('rel')).toBe('noopener noreferrer');
  expect(await table.locator('a[href^="javascript:"]').count()).toBe(0);
  expect(await requests.innerText()).toContain('PYSEC-TEST-0001');
  expect(await table.locator('tr[data-name="idna"]').innerText()).toContain('pulled in by requests');
  expect(await table.locator('tr[data-name="urllib3"]').innerText()).toContain('not checked');

  await requests.locator('button[data-action="uninstall"]').click();
  await table.locator('tr[data-name="pygments"] button[data-action="upgrade"]').click();
  await table.locator('tr[data-name="idna"] button[data-action="show"]').click();
  expect(await events()).toEqual([
    { type: 'pipette-pip-command', detail: { argv: ['uninstall', '-y', 'requests'] } },
    { type: 'pipette-pip-command', detail: { argv: ['install', '-U', 'Pygments'] } },
    { type: 'pipette-pip-command', detail: { argv: ['show', 'idna'] } },
  ]);

  // The name opens the requirements; the filter narrows the rows.
  await requests.locator('button.name').click();
  expect(await table.locator('tr.details').innerText()).toContain('PySocks !=1.5.7,>=1.5.6; extra == "socks"');
  await screenshot(page, 'panel-packages');
  await table.locator('input[part="filter"]').fill('http');
  await expect.poll(() => table.locator('tr[part="row"]').count()).toBe(2);
  await table.locator('input[part="filter"]').fill('charset_normalizer');
  await expect.poll(() => table.locator('tr[part="row"]').count()).toBe(1);

  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('graph: a clicked node asks for pip show, the wheel and the buttons zoom, dragging pans', async () => {
  const { page, errors, events } = await open('graph');
  const graph = page.locator('pipette-graph');
  const svg = graph.locator('svg[part="canvas"]');
  const viewBox = async (): Promise<number[]> => ((await svg.getAttribute('viewBox')) ?? '').split(' ').map(Number);
  await screenshot(page, 'panel-graph');

  // Nodes do not overlap on screen.
  expectApart(await nodeBoxes(page));
  expect(await graph.locator('g[data-name="requests"]').getAttribute('class')).toContain('vulnerable');
  expect(await graph.locator('g[data-name="rich"]').getAttribute('class')).toContain('requested');
  expect(await graph.locator('g[data-name="idna"]').getAttribute('class')).toContain('dependency');
  expect(await graph.locator('g[data-from="requests"][data-to="urllib3"] title').textContent()).toBe('requests → urllib3 <3,>=1.21.1');

  await graph.locator('g[data-name="urllib3"]').click();
  expect(await events()).toEqual([{ type: 'pipette-pip-command', detail: { argv: ['show', 'urllib3'] } }]);

  const fitted = await viewBox();
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => (await viewBox())[2]!).toBeLessThan(fitted[2]!);
  const zoomed = await viewBox();
  await graph.locator('[part="zoom-out"]').click();
  expect((await viewBox())[2]).toBeGreaterThan(zoomed[2]!);
  await graph.locator('[part="zoom-in"]').click();
  await graph.locator('[part="zoom-in"]').click();
  await screenshot(page, 'panel-graph-zoomed');

  // Dragging from a node pans and does not open it.
  const before = await viewBox();
  const node = (await graph.locator('g[data-name="idna"] rect').boundingBox())!;
  await page.mouse.move(node.x + 10, node.y + 10);
  await page.mouse.down();
  await page.mouse.move(node.x + 110, node.y + 60, { steps: 5 });
  await page.mouse.up();
  const after = await viewBox();
  expect(after[0]).toBeLessThan(before[0]!);
  expect(after[1]).toBeLessThan(before[1]!);
  expect(after[2]).toBe(before[2]);
  expect(await events()).toHaveLength(1);

  await graph.locator('[part="fit"]').click();
  expect(await viewBox()).toEqual(fitted);
  expect(errors).toEqual([]);
  await page.close();
});

/** The on-screen boxes of the graph's nodes. */
async function nodeBoxes(page: Page): Promise<DOMRect[]> {
  return page.locator('pipette-graph g[part="node"] rect').evaluateAll((rects) => rects.map((r) => r.getBoundingClientRect().toJSON() as DOMRect));
}

function expectApart(boxes: readonly DOMRect[]): void {
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [a, b] = [boxes[i]!, boxes[j]!];
      expect(a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top).toBe(true);
    }
  }
}

test('graph: a larger environment with a cycle is drawn without overlaps, the cycle dashed', async () => {
  const { page, errors } = await open('graph', '&env=big');
  const graph = page.locator('pipette-graph');
  expect(await graph.locator('g[part="node"]').count()).toBe(36);
  expectApart(await nodeBoxes(page));
  // DFS from jupyterlab reaches ipykernel before comm, so comm -> ipykernel closes the cycle.
  expect(await graph.locator('g[data-from="comm"][data-to="ipykernel"]').getAttribute('class')).toContain('reversed');
  expect(await graph.locator('g.edge.reversed').count()).toBe(1);
  await screenshot(page, 'panel-graph-big');
  expect(errors).toEqual([]);
  await page.close();
});

test('disk: the venv drawn as a tree, .dist-info highlighted, folders fold', async () => {
  const { page, errors } = await open('disk');
  const disk = page.locator('pipette-disk');
  const rows = disk.locator('li[part="row"]');
  const text = await disk.locator('[part="tree"]').innerText();
  expect(text).toContain('lib/python3.14/site-packages/');
  expect(text).toContain('bin/');
  expect(text).toContain('pyvenv.cfg');
  const info = disk.locator(`li[data-path="/home/pyodide/.venv/lib/python3.14/site-packages/requests-2.31.0.dist-info"]`);
  expect(await info.getAttribute('class')).toContain('dist-info');
  const count = await rows.count();
  await info.click();
  await expect.poll(() => rows.count()).toBe(count + 5);
  expect(await disk.locator('[part="tree"]').innerText()).toContain('REQUESTED');
  await screenshot(page, 'panel-disk');
  await disk.locator('li[data-path="/home/pyodide/.venv/bin"]').click();
  await expect.poll(() => rows.count()).toBe(count + 5 - 6);
  expect(errors).toEqual([]);
  await page.close();
});

test('files: open, create with an inline name (checked), rename, delete after confirming', async () => {
  const { page, errors, dialogs, events } = await open('files');
  const list = page.locator('pipette-files');
  await list.locator('li[data-path="/home/pyodide/notes.md"] button.entry').click();
  expect(await list.locator('li[data-path="/home/pyodide/notes.md"]').getAttribute('class')).toContain('active');

  await list.locator('[part="new"]').click();
  const input = list.locator('input[part="name-input"]');
  await expect.poll(() => input.evaluate((el) => el.matches(':focus'))).toBe(true);
  await input.fill('../outside.py');
  await input.press('Enter');
  expect(await list.locator('[part="error"]').innerText()).toContain('".." parts are not allowed');
  await input.fill('main.py');
  await input.press('Enter');
  expect(await list.locator('[part="error"]').innerText()).toBe('main.py already exists.');
  await screenshot(page, 'panel-files-error');
  await input.fill('src/app/util.py');
  await input.press('Enter');
  await expect.poll(() => list.locator('li[data-path="/home/pyodide/src/app/util.py"]').count()).toBe(1);

  const main = list.locator('li[data-path="/home/pyodide/main.py"]');
  await main.hover();
  await main.locator('button[data-action="rename"]').click();
  await input.fill('app.py');
  await input.press('Enter');
  const notes = list.locator('li[data-path="/home/pyodide/notes.md"]');
  await notes.locator('button[data-action="delete"]').click();
  expect(await notes.locator('[part="confirm"]').innerText()).toContain('Delete notes.md?');
  await screenshot(page, 'panel-files');
  await notes.locator('button[data-action="confirm-delete"]').click();
  await expect.poll(() => notes.count()).toBe(0);

  expect(await events()).toEqual([
    { type: 'pipette-open-file', detail: { path: '/home/pyodide/notes.md' } },
    { type: 'pipette-file-action', detail: { action: 'create', path: '/home/pyodide/src/app/util.py' } },
    { type: 'pipette-file-action', detail: { action: 'rename', path: '/home/pyodide/main.py', newPath: '/home/pyodide/app.py' } },
    { type: 'pipette-file-action', detail: { action: 'delete', path: '/home/pyodide/notes.md' } },
  ]);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('spec lab: asks for the versions, colours them, spells out ~=, shows the caret for a bad specifier', async () => {
  const { page, errors, events } = await open('spec-lab');
  const lab = page.locator('pipette-spec-lab');
  await lab.locator('input[part="project"]').fill('requests');
  await expect.poll(() => lab.locator('li[part="version"]').count()).toBe(23);
  expect((await events()).filter((e) => e.type === 'pipette-spec-lab-query')).toEqual([{ type: 'pipette-spec-lab-query', detail: { project: 'requests' } }]);
  const verdict = (v: string): Promise<string | null> => lab.locator(`li[data-version="${v}"]`).getAttribute('data-verdict');

  await lab.locator('input[part="specifier"]').fill('~=2.28.0');
  const explain = lab.locator('[part="explain"]');
  await expect.poll(() => explain.innerText()).toContain('~=2.28.0 means >=2.28.0, ==2.28.*');
  expect(await explain.innerText()).toContain('>=2.28.0, <2.29');
  expect(await explain.innerText()).toContain('pip would install requests 2.28.2');
  expect([await verdict('2.28.2'), await verdict('2.28.1'), await verdict('2.29.0')]).toEqual(['chosen', 'match', 'no-match']);
  // Colours differ by verdict.
  const colour = (v: string): Promise<string> => lab.locator(`li[data-version="${v}"]`).evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(new Set([await colour('2.28.2'), await colour('2.28.1'), await colour('2.29.0')]).size).toBe(3);
  await screenshot(page, 'panel-spec-lab');

  await lab.locator('input[part="specifier"]').fill('>=2.32');
  await expect.poll(() => verdict('2.32.3')).toBe('chosen');
  expect([await verdict('2.32.0'), await verdict('3.0.0rc1')]).toEqual(['yanked-skipped', 'prerelease-skipped']);
  expect(await explain.innerText()).toContain('2 matching pre-releases are skipped');
  await lab.locator('input[part="pre"]').check();
  await expect.poll(() => verdict('3.0.0rc1')).toBe('chosen');
  expect(await explain.innerText()).toContain('--pre');
  await screenshot(page, 'panel-spec-lab-pre');

  await lab.locator('input[part="specifier"]').fill('>=1.0.*');
  const error = lab.locator('[part="error"]');
  await expect.poll(() => error.count()).toBe(1);
  expect((await error.innerText()).split('\n')).toEqual([
    "Invalid specifier: '>=1.0.*': wildcards are only allowed with == and != (write '==1.0.*', or '>=1.0' without the wildcard)",
    '    >=1.0.*',
    '         ^^',
  ]);
  await screenshot(page, 'panel-spec-lab-error');
  expect(errors).toEqual([]);
  await page.close();
});
