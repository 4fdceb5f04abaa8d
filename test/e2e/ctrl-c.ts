import type { Page } from 'playwright-core';

export interface CtrlCTimes {
  /** performance.now() in the page at the Ctrl+C keydown (0: not pressed yet). */
  readonly pressed: number;
  /** The first animation frame whose terminal shows pip's "Operation cancelled by user". */
  readonly cancelled: number;
  /** The first animation frame with the prompt back (and the app no longer busy). */
  readonly prompt: number;
}

/**
 * Starts watching for Ctrl+C in the playground page: from the keydown, every animation frame
 * looks at the terminal until the prompt is back. Read the times with `ctrlCTimes`.
 */
export async function watchCtrlC(page: Page): Promise<void> {
  // A string, not a function: tsx (the benches) wraps named inner functions in a `__name` helper
  // that does not exist in the page.
  await page.evaluate(`(() => {
    const w = window;
    w.ctrlC = { pressed: 0, cancelled: 0, prompt: 0 };
    const app = document.querySelector('pipette-app');
    const terminal = app.shadowRoot.querySelector('pipette-terminal');
    const frame = () => {
      const text = terminal.text();
      if (!w.ctrlC.cancelled && text.includes('Operation cancelled by user')) w.ctrlC.cancelled = performance.now();
      if (!app.busy && /\\$\\s*$/.test(text)) w.ctrlC.prompt = performance.now();
      else requestAnimationFrame(frame);
    };
    window.addEventListener('keydown', (e) => {
      if (!e.ctrlKey || e.key.toLowerCase() !== 'c' || w.ctrlC.pressed) return;
      w.ctrlC.pressed = performance.now();
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
