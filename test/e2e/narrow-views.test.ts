import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { openPlayground, type Playground } from './playground';
import { inside, placeOf, type Box } from './placement';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import { machineDists } from '../fixtures/machine-wheels';

// A narrow window (a phone, a classroom laptop split with the projector) shows the workspace's
// columns one at a time under a tab bar: the editor over the terminal (the view the page opens
// with), the files, the machinery's panels. Each is reached by mouse and by keyboard alone, lies
// inside the window with nothing over it, and switching loses nothing. The package installed is
// a real PyPI wheel (python-dateutil, with six) served by the fixture index.

const TABS = ['Editor & terminal', 'Files', 'Packages'];
const VIEW_OF: Record<string, string> = { 'Editor & terminal': 'code', Files: 'files', Packages: 'machinery' };
const OTHER = '/home/pyodide/other.py';

let browser: Browser;
let index: IndexServer;
beforeAll(async () => {
  [browser, index] = await Promise.all([launchChromium(), startIndexServer({ projects: [], dists: machineDists(['python-dateutil', 'six']) })]);
});
afterAll(async () => {
  await browser?.close();
  await index?.close();
});

/** The playground at `size`, python-dateutil installed from the index by typing in the terminal, and a second file written. */
async function openWithPackage(size: { width: number; height: number }, deviceScaleFactor = 1): Promise<Playground & { errors: string[] }> {
  const context = await browser.newContext({ viewport: size, deviceScaleFactor });
  const playground = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(playground.page);
  const installed = await playground.run('pip install python-dateutil');
  expect(installed).toContain('Successfully installed python-dateutil-2.9.0.post0 six-1.17.0');
  // The download line is drawn in place and cleared; on a terminal narrower than it, nothing of it stays.
  expect(installed).not.toMatch(/Downloading \d+ of \d+ file/);
  expect(await playground.run(`echo "x = 'the other file'" > other.py`)).toBe('');
  return { ...playground, errors };
}

/** The tab bar's tabs: label, aria-selected, tabindex (only the selected one is in the Tab order). */
function tabs(page: Page): Promise<{ label: string; selected: string | null; tabindex: string | null }[]> {
  return page.evaluate(() =>
    [...document.querySelector('pipette-app')!.shadowRoot!.querySelectorAll('[part="views"][role="tablist"] [role="tab"]')].map((t) => ({
      label: t.textContent!.trim(),
      selected: t.getAttribute('aria-selected'),
      tabindex: t.getAttribute('tabindex'),
    })),
  );
}

async function selectedTab(page: Page): Promise<string | undefined> {
  return (await tabs(page)).find((t) => t.selected === 'true')?.label;
}

/** What has the focus, through the shadow roots: the chain of elements' tags, and the innermost's role, text and whether its focus ring shows. */
function focused(page: Page): Promise<{ chain: string[]; role: string | null; text: string; focusVisible: boolean; outline: string }> {
  return page.evaluate(() => {
    const chain: string[] = [];
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) {
      chain.push(element.localName);
      element = element.shadowRoot.activeElement;
    }
    if (!element) return { chain, role: null, text: '', focusVisible: false, outline: 'none' };
    chain.push(element.localName);
    const style = getComputedStyle(element);
    return { chain, role: element.getAttribute('role'), text: element.textContent!.trim(), focusVisible: element.matches(':focus-visible'), outline: `${style.outlineStyle} ${style.outlineWidth}` };
  });
}

/**
 * The view `label` names is shown, whole and uncovered, under the tab bar (itself whole and
 * uncovered), and is the only one: the others take no room. For the editor and terminal's view,
 * each of the two is checked.
 */
async function expectShown(page: Page, label: string): Promise<void> {
  await expect.poll(() => selectedTab(page)).toBe(label);
  const view = VIEW_OF[label]!;
  const parts = view === 'code' ? ['[part="views"]', '#view-code', 'pipette-editor', 'pipette-terminal'] : ['[part="views"]', `#view-${view}`];
  for (const selector of parts) {
    const p = await placeOf(page, selector);
    expect({ selector, inside: inside(p.box, p.window), uncovered: p.uncovered }).toEqual({ selector, inside: true, uncovered: true });
  }
  for (const other of Object.values(VIEW_OF).filter((v) => v !== view)) expect((await placeOf(page, `#view-${other}`)).box.width).toBe(0);
}

/** The Packages view lists the installed distributions, each row inside the window. */
async function expectPackagesListed(page: Page): Promise<void> {
  for (const name of ['python-dateutil', 'six']) {
    const row = page.locator(`pipette-app pipette-machinery pipette-packages tr[part="row"][data-name="${name}"]`);
    await expect.poll(() => row.isVisible(), { timeout: 10_000 }).toBe(true);
    const box = (await row.boundingBox())!;
    expect(inside(box, { x: 0, y: 0, ...page.viewportSize()! })).toBe(true);
  }
}

function editorState(page: Page): Promise<{ path: string; code: string }> {
  return page.evaluate(() => {
    const editor = document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-editor')!;
    return { path: editor.path, code: editor.code };
  });
}

/**
 * The terminal's text grid (xterm's screen: columns x cell width, rows x cell height) against
 * its box as it is now: inside it, and short of it by less than a cell plus the box's padding and
 * the scrollbar FitAddon leaves room for. A grid fitted to another size (the terminal's width
 * before the window changed) is far off.
 */
async function expectTerminalFits(page: Page): Promise<void> {
  const { box, grid } = await page.evaluate(() => {
    const terminal = document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal')!.shadowRoot!;
    const rect = (b: DOMRect) => ({ x: b.x, y: b.y, width: b.width, height: b.height });
    return { box: rect(terminal.querySelector('[part="screen"]')!.getBoundingClientRect()), grid: rect(terminal.querySelector('.xterm-screen')!.getBoundingClientRect()) };
  });
  expect(inside(grid, box)).toBe(true);
  // A cell is about 8.4 x 16.8 px (14 px font, line height 1.2); the padding 16 px across and
  // about 9 px down; the scrollbar 14 px.
  expect(box.width - grid.width).toBeLessThan(8.5 + 16 + 15);
  expect(box.height - grid.height).toBeLessThan(17 + 10);
}

for (const [width, height] of [
  [390, 844],
  [800, 600],
] as const) {
  const [otherWidth, otherHeight] = width === 390 ? [800, 600] : [390, 844];

  test(`${width}x${height}, by mouse: each view shown whole; Packages lists what pip installed; a file chosen in Files opens in the editor; switching keeps the terminal and the editor`, async () => {
    const { page, transcript, run, errors } = await openWithPackage({ width, height });
    expect(await tabs(page)).toEqual([
      { label: 'Editor & terminal', selected: 'true', tabindex: '0' },
      { label: 'Files', selected: 'false', tabindex: '-1' },
      { label: 'Packages', selected: 'false', tabindex: '-1' },
    ]);
    await expectShown(page, 'Editor & terminal');

    // Text typed in the editor, and the terminal's scrollback, are there again after the other views.
    await page.locator('pipette-app pipette-editor .cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('\n# typed before switching');
    const typed = await editorState(page);
    expect(typed.code).toContain('# typed before switching');
    const scrollback = await transcript();

    const tab = (label: string) => page.locator('pipette-app [part="views"] [role="tab"]', { hasText: label });
    await tab('Packages').click();
    await expectShown(page, 'Packages');
    await expectPackagesListed(page);
    await tab('Files').click();
    await expectShown(page, 'Files');
    await tab('Editor & terminal').click();
    await expectShown(page, 'Editor & terminal');
    expect(await editorState(page)).toEqual(typed);
    expect(await transcript()).toBe(scrollback);
    await expectTerminalFits(page);

    // A file chosen in the list opens in the editor, whose view comes to the front with the focus.
    await tab('Files').click();
    await expectShown(page, 'Files');
    await page.locator(`pipette-app pipette-files li[data-path="${OTHER}"] button.entry`).click();
    await expectShown(page, 'Editor & terminal');
    await expect.poll(() => editorState(page)).toEqual({ path: 'other.py', code: "x = 'the other file'\n" });
    expect((await focused(page)).chain).toContain('pipette-editor');
    // And main.py again, with what was typed in it (saved when the other file opened).
    await tab('Files').click();
    await page.locator('pipette-app pipette-files li[data-path="/home/pyodide/main.py"] button.entry').click();
    await expect.poll(() => editorState(page)).toEqual(typed);

    // The window resized while the terminal was out of sight: shown again, it fits its new box.
    await tab('Files').click();
    await expectShown(page, 'Files');
    await page.setViewportSize({ width: otherWidth, height: otherHeight });
    await tab('Editor & terminal').click();
    await expectShown(page, 'Editor & terminal');
    await expectTerminalFits(page);
    expect(await run('echo still here')).toBe('still here');

    // A command a panel starts prints in the terminal: its view comes to the front.
    await tab('Packages').click();
    await page.locator('pipette-app pipette-packages tr[data-name="six"] button[data-action="show"]').click();
    await expectShown(page, 'Editor & terminal');
    await expect.poll(transcript).toMatch(/\$ pip show six\nName: six\nVersion: 1\.17\.0\n/);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test(`${width}x${height}, by keyboard alone: Shift+Tab out of the terminal to the tab bar, the arrow keys through the views, Enter on a file opens it in the editor`, async () => {
    const { page, transcript, errors } = await openWithPackage({ width, height });
    // The focus is in the terminal, as when the page has started; Shift+Tab walks back out of it
    // (Tab completes there), past the editor and Run, to the selected tab.
    expect((await focused(page)).chain).toContain('pipette-terminal');
    for (let i = 0; i < 6 && (await focused(page)).role !== 'tab'; i++) await page.keyboard.press('Shift+Tab');
    const onTab = await focused(page);
    expect(onTab).toMatchObject({ role: 'tab', text: 'Editor & terminal', focusVisible: true });
    expect(onTab.outline).not.toMatch(/^none/);

    // Right: the next tab, selected and shown, the focus on it (visible).
    await page.keyboard.press('ArrowRight');
    await expectShown(page, 'Files');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Files', focusVisible: true });
    await screenshot(page, `narrow-views-${width}x${height}-keyboard-on-files-tab`);
    expect(await tabs(page)).toEqual([
      { label: 'Editor & terminal', selected: 'false', tabindex: '-1' },
      { label: 'Files', selected: 'true', tabindex: '0' },
      { label: 'Packages', selected: 'false', tabindex: '-1' },
    ]);
    // Tab goes into the view: to the file, Enter opens it in the editor, which gets the focus.
    for (let i = 0; i < 10 && !(await focused(page)).text.endsWith('other.py'); i++) await page.keyboard.press('Tab');
    expect((await focused(page)).text).toMatch(/other\.py$/);
    await page.keyboard.press('Enter');
    await expectShown(page, 'Editor & terminal');
    await expect.poll(() => editorState(page)).toEqual({ path: 'other.py', code: "x = 'the other file'\n" });
    expect((await focused(page)).chain).toContain('pipette-editor');

    // Back to the tab bar; End, Home, and the arrows wrapping around.
    for (let i = 0; i < 4 && (await focused(page)).role !== 'tab'; i++) await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Editor & terminal' });
    await page.keyboard.press('End');
    await expectShown(page, 'Packages');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Packages', focusVisible: true });
    await expectPackagesListed(page);
    await page.keyboard.press('Home');
    await expectShown(page, 'Editor & terminal');
    await page.keyboard.press('ArrowLeft');
    await expectShown(page, 'Packages');
    await page.keyboard.press('ArrowRight');
    await expectShown(page, 'Editor & terminal');
    expect(await focused(page)).toMatchObject({ role: 'tab', text: 'Editor & terminal' });

    // Tab from the tab bar reaches the terminal (through Run and the editor); typing runs there.
    for (let i = 0; i < 6 && !(await focused(page)).chain.includes('pipette-terminal'); i++) await page.keyboard.press('Tab');
    expect((await focused(page)).chain).toContain('pipette-terminal');
    await page.keyboard.type('echo typed by keyboard');
    await page.keyboard.press('Enter');
    await expect.poll(transcript).toMatch(/\$ echo typed by keyboard\ntyped by keyboard\n/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
}

// Screenshots to look at (test-results/e2e/narrow-views-*.png): each view at three narrow sizes,
// and the wide windows (1280x800, where nothing changed: no tab bar, the three columns; 1024x700).
for (const dpr of [1, 2]) {
  test(`screenshots at DPR ${dpr}: 1280x800 three columns and no tab bar; 320x640, 390x844, 800x600 every view shown whole, every tab whole`, async () => {
    const { page, errors } = await openWithPackage({ width: 1280, height: 800 }, dpr);
    await screenshot(page, `narrow-views-1280x800-dpr${dpr}`);
    // No tab bar shown, no tabpanels: three columns.
    const tabbed = await page.evaluate(() => {
      const app = document.querySelector('pipette-app')!.shadowRoot!;
      return { bar: app.querySelector('[part="views"]')?.getBoundingClientRect().height ?? 0, tabpanels: app.querySelectorAll('[role="tabpanel"]').length };
    });
    expect(tabbed).toEqual({ bar: 0, tabpanels: 0 });
    for (const selector of ['pipette-files', 'main', 'pipette-machinery']) {
      const p = await placeOf(page, selector);
      expect({ selector, inside: inside(p.box, p.window), uncovered: p.uncovered }).toEqual({ selector, inside: true, uncovered: true });
    }
    // The side column (32rem) shows cards: a summary wraps between words, never inside one
    // (its table squeezed "recommended" to "recomme / nded").
    const split = await page.evaluate(() => {
      const all = (root: Document | ShadowRoot): Element[] => [...root.querySelectorAll('*')].flatMap((e) => [e, ...(e.shadowRoot ? all(e.shadowRoot) : [])]);
      const out = { words: 0, split: [] as string[] };
      for (const summary of all(document).filter((e) => e.classList.contains('summary'))) {
        const texts = document.createTreeWalker(summary, NodeFilter.SHOW_TEXT);
        for (let text = texts.nextNode(); text; text = texts.nextNode()) {
          for (const m of (text.textContent ?? '').matchAll(/\S+/g)) {
            const range = document.createRange();
            range.setStart(text, m.index);
            range.setEnd(text, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            out.words++;
            if (lines.size > 1) out.split.push(m[0]);
          }
        }
      }
      return out;
    });
    expect(split.words).toBeGreaterThan(10);
    expect(split.split).toEqual([]);
    // A small wide window: the Packages column is under 30rem there, its rows are cards.
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect.poll(async () => (await placeOf(page, 'pipette-machinery')).box.x + (await placeOf(page, 'pipette-machinery')).box.width).toBe(1024);
    await screenshot(page, `narrow-views-1024x700-dpr${dpr}`);
    for (const [width, height] of [
      [320, 640],
      [390, 844],
      [800, 600],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect.poll(async () => (await tabs(page)).map((t) => t.label)).toEqual(TABS);
      for (const label of TABS) {
        await page.locator('pipette-app [part="views"] [role="tab"]', { hasText: label }).click();
        await expectShown(page, label);
        // Every tab whole: the bar does not cut or scroll one away, even at 320 px.
        for (const t of TABS) {
          const box = (await page.locator('pipette-app [part="views"] [role="tab"]', { hasText: t }).boundingBox())!;
          const bar = (await page.locator('pipette-app [part="views"]').boundingBox())!;
          expect({ t, inside: inside(box, bar) }).toEqual({ t, inside: true });
        }
        await screenshot(page, `narrow-views-${width}x${height}-dpr${dpr}-${VIEW_OF[label]}`);
      }
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });
}
