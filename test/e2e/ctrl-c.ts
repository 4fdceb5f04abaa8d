import type { Page } from 'playwright-core';
import type { IndexServer } from '../fixtures/index-server';

export interface CtrlCTimes {
  /** performance.now() in the page at the Ctrl+C keydown (0: not pressed yet). */
  readonly pressed: number;
  /** The first animation frame whose terminal shows pip's "Operation cancelled by user". */
  readonly cancelled: number;
  /** The first animation frame with the prompt back (and the app no longer busy). */
  readonly prompt: number;
}

/**
 * Starts watching for the next Ctrl+C in the playground page: from the keydown, every animation
 * frame looks at the terminal until the prompt is back. Read the times with `ctrlCTimes`.
 */
export async function watchCtrlC(page: Page): Promise<void> {
  // A string, not a function: tsx (the benches) wraps named inner functions in a `__name` helper
  // that does not exist in the page.
  await page.evaluate(`(() => {
    const w = window;
    const app = document.querySelector('pipette-app');
    const terminal = app.shadowRoot.querySelector('pipette-terminal');
    const count = (text) => text.split('Operation cancelled by user').length - 1;
    w.ctrlC = { pressed: 0, cancelled: 0, prompt: 0, before: 0 };
    if (w.ctrlCWatching) return;
    w.ctrlCWatching = true;
    const frame = () => {
      const text = terminal.text();
      if (!w.ctrlC.cancelled && count(text) > w.ctrlC.before) w.ctrlC.cancelled = performance.now();
      if (!app.busy && /\\$\\s*$/.test(text)) w.ctrlC.prompt = performance.now();
      else requestAnimationFrame(frame);
    };
    window.addEventListener('keydown', (e) => {
      if (!e.ctrlKey || e.key.toLowerCase() !== 'c' || w.ctrlC.pressed) return;
      w.ctrlC.pressed = performance.now();
      w.ctrlC.before = count(terminal.text());
      requestAnimationFrame(frame);
    }, true);
  })()`);
}

export function ctrlCTimes(page: Page): Promise<CtrlCTimes> {
  return page.evaluate(() => (window as unknown as { ctrlC: CtrlCTimes }).ctrlC);
}

/** Resolves once `requests()` has not grown for `quietMs` (an index no longer asked: the worker computes). */
export async function untilQuiet(requests: () => number, quietMs = 1000, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let seen = -1;
  for (;;) {
    const before = requests();
    if (before > 0 && before === seen) return;
    if (Date.now() > deadline) throw new Error(`the index was still asked after ${timeoutMs} ms`);
    seen = before;
    await new Promise((done) => setTimeout(done, quietMs));
  }
}

/**
 * Types `line` in the playground, waits until `index` has had no request for a second (the
 * worker then only computes), presses Ctrl+C and, once the prompt is back, resolves to the
 * times (`busy`: whether the command was still running when Ctrl+C came).
 */
export async function interruptOnceQuiet(page: Page, line: string, index: IndexServer): Promise<CtrlCTimes & { busy: boolean }> {
  await watchCtrlC(page);
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(line);
  index.resetRequests();
  await page.keyboard.press('Enter');
  await untilQuiet(() => index.requests.length);
  const busy = await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { busy: boolean }).busy);
  await page.keyboard.press('Control+C');
  await page.waitForFunction(() => (window as unknown as { ctrlC: CtrlCTimes }).ctrlC.prompt > 0, null, { timeout: 60_000 });
  return { ...(await ctrlCTimes(page)), busy };
}
