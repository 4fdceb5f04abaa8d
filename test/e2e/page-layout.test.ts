import { afterAll, beforeAll, expect, test } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { openPlayground } from './playground';
import { inside, type Box } from './placement';

// The page as it is drawn: the terminal's glyphs at device pixel ratios 1 and 2 (an underscore
// is pixels under `a_b`, not a gap), and the workspace filling the window at four sizes with
// a header that downloads in progress never make taller. Screenshots go to SCREENS to be looked at.
const SCREENS = process.env['PIPETTE_SCREENS'] ?? '/tmp/pipette-learner-screens';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
  mkdirSync(SCREENS, { recursive: true });
});
afterAll(async () => {
  await browser?.close();
});

/** The rectangle of character `index` in the last terminal row whose text is `text` (the DOM renderer's spans). */
async function cellOf(page: Page, text: string, index: number): Promise<Box & { rowTop: number; rowHeight: number }> {
  // xterm's DOM renderer draws on the next animation frame: the command's output can be read
  // from the terminal's buffer before its row is in the DOM (seen on a busy machine).
  await page.waitForFunction(
    (text) => [...document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal')!.shadowRoot!.querySelectorAll('.xterm-rows > div')].some((r) => r.textContent?.trim() === text),
    text,
  );
  return page.evaluate(
    ({ text, index }) => {
      const terminal = document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal')!.shadowRoot!;
      const rows = [...terminal.querySelectorAll('.xterm-rows > div')].filter((r) => r.textContent?.trim() === text);
      const row = rows[rows.length - 1]!;
      const walker = document.createTreeWalker(row, NodeFilter.SHOW_TEXT);
      let seen = 0;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent!.length;
        if (index < seen + length) {
          const range = document.createRange();
          range.setStart(node, index - seen);
          range.setEnd(node, index - seen + 1);
          const b = range.getBoundingClientRect();
          const r = row.getBoundingClientRect();
          return { x: b.x, y: r.y, width: b.width, height: r.height, rowTop: r.y, rowHeight: r.height };
        }
        seen += length;
      }
      throw new Error(`no character ${index} in ${text}`);
    },
    { text, index },
  );
}

/**
 * Bright (foreground) pixels of a region of the page, row by row, cut out of a screenshot of the
 * whole viewport (what the person sees: a screenshot clipped at a fractional offset would be
 * rasterized again at that offset), read back in the page.
 */
async function brightRows(page: Page, region: Box, dpr: number): Promise<number[][]> {
  const png = await page.screenshot();
  return page.evaluate(
    async ({ b64, region, dpr }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(image.width, image.height);
      const g = canvas.getContext('2d')!;
      g.drawImage(image, 0, 0);
      const left = Math.floor(region.x * dpr);
      const top = Math.floor(region.y * dpr);
      const width = Math.ceil((region.x + region.width) * dpr) - left;
      const height = Math.ceil((region.y + region.height) * dpr) - top;
      const d = g.getImageData(left, top, width, height).data;
      const rows: number[][] = [];
      for (let y = 0; y < height; y++) {
        const bright: number[] = [];
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          // The background is #0f1419 (luminance ~19); the text #e6e1cf (~224).
          if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! > 100) bright.push(x);
        }
        rows.push(bright);
      }
      return rows;
    },
    { b64: png.toString('base64'), region, dpr },
  );
}

/** Saves `region` of the page as it is on screen, enlarged `zoom` times without smoothing (to look at the pixels). */
async function saveZoomed(page: Page, region: Box, dpr: number, zoom: number, path: string): Promise<void> {
  const png = await page.screenshot();
  const b64 = await page.evaluate(
    async ({ b64, region, dpr, zoom }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const image = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const [x, y, w, h] = [Math.floor(region.x * dpr), Math.floor(region.y * dpr), Math.ceil(region.width * dpr), Math.ceil(region.height * dpr)];
      const canvas = new OffscreenCanvas(w * zoom, h * zoom);
      const g = canvas.getContext('2d')!;
      g.imageSmoothingEnabled = false;
      g.drawImage(image, x, y, w, h, 0, 0, w * zoom, h * zoom);
      const out = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let text = '';
      for (const b of out) text += String.fromCharCode(b);
      return btoa(text);
    },
    { b64: png.toString('base64'), region, dpr, zoom },
  );
  writeFileSync(path, Buffer.from(b64, 'base64'));
}

for (const dpr of [1, 2]) {
  test(`an underscore is drawn under a_b at device pixel ratio ${dpr}`, async () => {
    const context = await browser.newContext({ deviceScaleFactor: dpr, viewport: { width: 1280, height: 800 } });
    const { page, run } = await openPlayground(context);
    expect(await run('echo a_b')).toBe('a_b');
    const a = await cellOf(page, 'a_b', 0);
    const underscore = await cellOf(page, 'a_b', 1);
    // The whole row, from the top of `a`'s cell to its bottom, so nothing clipped at the edge is missed.
    // The cell itself, not its neighbours: the columns shared with `a` and `b` at fractional x are left out.
    const inner = (c: Box & { rowTop: number; rowHeight: number }): Box => ({ x: Math.ceil(c.x), y: c.rowTop, width: Math.floor(c.x + c.width) - Math.ceil(c.x), height: c.rowHeight });
    const rowsA = await brightRows(page, inner(a), dpr);
    const rowsU = await brightRows(page, inner(underscore), dpr);
    await saveZoomed(page, { x: a.x - 8, y: a.rowTop - 4, width: 48, height: a.rowHeight + 8 }, dpr, 8 / dpr, `${SCREENS}/underscore-dpr${dpr}-zoomed.png`);
    const inked = (rows: number[][]): number[] => rows.flatMap((r, y) => (r.length > 0 ? [y] : []));
    const aRows = inked(rowsA);
    const uRows = inked(rowsU);
    expect(aRows.length).toBeGreaterThan(0);
    // The underscore's pixels exist, below the bottom of `a` (under the baseline), as a horizontal bar.
    expect(uRows.length).toBeGreaterThan(0);
    expect(Math.min(...uRows)).toBeGreaterThan(Math.max(...aRows));
    const widest = Math.max(...rowsU.map((r) => r.length));
    expect(widest).toBeGreaterThanOrEqual(Math.floor(inner(underscore).width * dpr * 0.6));
    await context.close();
  });
}

// Wide windows, then a small laptop window or a split screen (800x600) and a phone (390x844,
// 320x640): below 960 px the workspace is one column (the editor over the terminal, the view a
// tab bar opens with; narrow-views.test.ts goes through the others) and the header keeps Share
// in its row, the other actions in its More menu.
const SIZES = [
  [1024, 700],
  [1400, 900],
  [1920, 1080],
  [2560, 1440],
  [800, 600],
  [390, 844],
  [320, 640],
] as const;
const NARROW = 960;

/** What the header offers, each of which a person must be able to see whole and click at every size. */
const HEADER_ACTIONS = ['Share', 'pylock.toml', 'requirements.txt', 'Import…'];

interface Placement {
  label: string;
  /** In the More menu (a popover), not in the header's row. */
  inMenu: boolean;
  box: Box;
  /** The header's box (for a control in its row) or the viewport's (for one in the open menu). */
  within: Box;
  /** What the page has at the control's centre: itself (nothing covers it). */
  hit: boolean;
}

/** Where each header control is drawn: those in the row as they are, those in the More menu with the menu open. */
async function placeHeaderControls(page: Page): Promise<Placement[]> {
  const read = (inMenu: boolean): Promise<Placement[]> =>
    page.evaluate((inMenu) => {
      const app = document.querySelector('pipette-app')!.shadowRoot!;
      const header = app.querySelector('header')!.getBoundingClientRect();
      const box = (b: DOMRect) => ({ x: b.x, y: b.y, width: b.width, height: b.height });
      return [...app.querySelectorAll('header button')]
        .filter((button) => (button.closest('[popover]') !== null) === inMenu)
        .map((button) => {
          const b = button.getBoundingClientRect();
          const hit = app.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
          return {
            label: button.textContent!.trim(),
            inMenu,
            box: box(b),
            within: inMenu ? { x: 0, y: 0, width: window.innerWidth, height: window.innerHeight } : box(header),
            hit: hit === button || button.contains(hit),
          };
        });
    }, inMenu);
  const row = await read(false);
  const more = page.locator('pipette-app header button[part="more"]');
  if ((await more.count()) === 0) return row;
  await more.click();
  await expect.poll(() => page.locator('pipette-app [part="more-actions"]').evaluate((m) => m.matches(':popover-open'))).toBe(true);
  const menu = await read(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => page.locator('pipette-app [part="more-actions"]').evaluate((m) => m.matches(':popover-open'))).toBe(false);
  return [...row, ...menu];
}

for (const dpr of [1, 2]) {
  test(`the workspace fills the window at ${SIZES.map(([w, h]) => `${w}x${h}`).join(', ')} (DPR ${dpr}); progress never moves it; every header button is whole and clickable`, async () => {
    const context = await browser.newContext({ deviceScaleFactor: dpr, viewport: { width: SIZES[0][0], height: SIZES[0][1] } });
    const { page, run } = await openPlayground(context);
    expect(await run('echo ready')).toBe('ready');
    const measure = (): Promise<Record<string, Box>> =>
      page.evaluate(() => {
        const app = document.querySelector('pipette-app')!.shadowRoot!;
        const out: Record<string, Box> = {};
        for (const [key, selector] of Object.entries({ header: 'header', workspace: '.workspace', files: 'pipette-files', main: 'main', editor: 'pipette-editor', terminal: 'pipette-terminal', machinery: 'pipette-machinery' })) {
          const b = app.querySelector(selector)!.getBoundingClientRect();
          out[key] = { x: b.x, y: b.y, width: b.width, height: b.height };
        }
        return out;
      });
    for (const [width, height] of SIZES) {
      await page.setViewportSize({ width, height });
      await expect.poll(async () => Math.round((await measure()).workspace!.width)).toBe(width);
      const m = await measure();
      await page.screenshot({ path: `${SCREENS}/layout-${width}x${height}-dpr${dpr}.png` });
      // The header on one row; the workspace from under it to the bottom of the window, every column used.
      expect(m.header!.height).toBeLessThan(50);
      expect(m.workspace!.y).toBeCloseTo(m.header!.y + m.header!.height, 0);
      expect(m.workspace!.y + m.workspace!.height).toBeCloseTo(height, 0);
      if (width > NARROW) {
        expect(m.machinery!.x + m.machinery!.width).toBeCloseTo(width, 0);
        expect(m.files!.height).toBeCloseTo(m.workspace!.height, 0);
      } else {
        // One column: the editor over the terminal across the whole window.
        expect(m.main!.x).toBeCloseTo(0, 0);
        expect(m.main!.width).toBeCloseTo(width, 0);
      }
      expect(m.terminal!.y + m.terminal!.height).toBeCloseTo(height, 0);
      expect(m.editor!.height).toBeGreaterThan(150);
      expect(m.terminal!.height).toBeGreaterThan(250);

      // Every action of the header, whole and uncovered: in its row (inside the header's box,
      // which clips what overflows it), or in the More menu once opened (inside the window).
      const placed = await placeHeaderControls(page);
      for (const p of placed) expect({ ...p, inside: inside(p.box, p.within) }).toMatchObject({ label: p.label, inside: true, hit: true });
      expect(placed.map((p) => p.label).sort()).toEqual([...HEADER_ACTIONS, ...(width > NARROW ? [] : ['More ▾'])].sort());
      expect(placed.filter((p) => p.inMenu).map((p) => p.label)).toEqual(width > NARROW ? [] : ['pylock.toml', 'requirements.txt', 'Import…']);

      // A long download line in the header (what the download meter shows during pip install):
      // the header keeps its height and nothing below it moves.
      await page.evaluate(() => {
        (document.querySelector('pipette-app') as unknown as { activity: string | null }).activity = `Downloading ${'numpy-2.3.1-cp314-cp314-pyemscripten_2026_0_wasm32.whl '.repeat(4)}3.2/14.5 MB, 2 of 9 files`;
      });
      await expect.poll(async () => (await page.locator('pipette-app [part="activity"]').innerText()).length).toBeGreaterThan(0);
      const busy = await measure();
      expect(busy).toEqual(m);
      if (width === 1400) await page.screenshot({ path: `${SCREENS}/layout-${width}x${height}-dpr${dpr}-downloading.png` });
      await page.evaluate(() => {
        (document.querySelector('pipette-app') as unknown as { activity: string | null }).activity = null;
      });
    }
    await context.close();
  });
}

// A person with a keyboard on a phone: Tab from the top of the page reaches Share, then More;
// Enter opens the menu and Tab walks into it; Enter on requirements.txt downloads it and closes
// the menu; Escape closes it and gives focus back to More.
test('on a phone (390x844) every header action is reached with Tab and Enter; requirements.txt downloads from the More menu', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const { page, run } = await openPlayground(context);
  expect(await run('echo ready')).toBe('ready');
  const focused = (): Promise<string> => page.evaluate(() => document.querySelector('pipette-app')!.shadowRoot!.activeElement?.textContent?.trim() ?? '');
  const menuOpen = (): Promise<boolean> => page.locator('pipette-app [part="more-actions"]').evaluate((m) => m.matches(':popover-open'));
  // A click on the title moves the focus out of the terminal and starts Tab there (the
  // sequential focus navigation starting point), as at the top of a freshly opened page.
  await page.locator('pipette-app h1').click();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('Share');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('More ▾');
  await page.keyboard.press('Enter');
  await expect.poll(menuOpen).toBe(true);
  await page.screenshot({ path: `${SCREENS}/header-390x844-more-open.png` });
  const reached: string[] = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    reached.push(await focused());
  }
  expect(reached).toEqual(['pylock.toml', 'requirements.txt', 'Import…']);
  await page.keyboard.press('Escape');
  await expect.poll(menuOpen).toBe(false);
  expect(await focused()).toBe('More ▾');

  await page.keyboard.press('Enter');
  await expect.poll(menuOpen).toBe(true);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('requirements.txt');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toBe('requirements.txt');
  await expect.poll(menuOpen).toBe(false);
  expect(await focused()).toBe('More ▾');
  await context.close();
});
