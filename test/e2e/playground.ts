import { expect, inject } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

export interface Playground {
  readonly page: Page;
  /** Types `line` in the terminal as a person would, presses Enter, and resolves to what it printed. */
  run(line: string, options?: { timeoutMs?: number }): Promise<string>;
  /** Everything the terminal shows (screen and scrollback) as text. */
  transcript(): Promise<string>;
  /** Waits until the prompt is back (the line ended). */
  waitForPrompt(): Promise<void>;
  /**
   * Runs `line` and answers the program's prompts as a person would: for each step, waits until
   * the terminal shows `prompt`, then types `answer` and Enter, or presses `key` (Control+C,
   * Control+D). Resolves once the shell's prompt is back.
   */
  converse(line: string, steps: ReadonlyArray<{ readonly prompt: RegExp; readonly answer?: string; readonly key?: string }>): Promise<void>;
}

/**
 * A program that waits in input() and catches KeyboardInterrupt there: Ctrl+C at its `? ` must
 * print exactly `? ^C`, `caught`, `after` (raised from input(), once).
 */
export const CATCH_CTRL_C_AT_INPUT = `python -c 'exec("try: input(\\"? \\")\\nexcept KeyboardInterrupt: print(\\"caught\\")\\nprint(\\"after\\")")'`;

/** Opens the playground (optionally pointed at an index) and waits for the prompt. */
export async function openPlayground(context: BrowserContext, indexUrl?: string): Promise<Playground> {
  const page = await context.newPage();
  const query = indexUrl ? `?index-url=${encodeURIComponent(indexUrl)}` : '';
  await page.goto(`${inject('appUrl')}${query}`);
  return attach(page);
}

/** Drives a page that shows the playground (after a reload, say). */
export async function attach(page: Page): Promise<Playground> {
  const transcript = (): Promise<string> => page.evaluate(() => document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal')!.text());
  const commands = async (): Promise<number> => Number((await page.locator('pipette-app').getAttribute('data-commands')) ?? '0');
  const ready = (): Promise<boolean> => page.evaluate(() => (document.querySelector('pipette-app') as unknown as { info: unknown; busy: boolean }).info !== null);
  await expect.poll(ready, { timeout: 90_000 }).toBe(true);
  await expect.poll(async () => /\$\s*$/.test(await transcript()), { timeout: 30_000 }).toBe(true);
  const waitForPrompt = async (): Promise<void> => {
    await expect.poll(async () => !(await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { busy: boolean }).busy)), { timeout: 60_000 }).toBe(true);
  };
  const run = async (line: string, options: { timeoutMs?: number } = {}): Promise<string> => {
    const before = await commands();
    await page.locator('pipette-app').locator('pipette-terminal').click();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    await expect.poll(commands, { timeout: options.timeoutMs ?? 60_000 }).toBeGreaterThan(before);
    await expect.poll(async () => /\$\s*$/.test(await transcript()), { timeout: 10_000 }).toBe(true);
    // What follows the last echo of the line, up to the new prompt. (The terminal reflows when
    // the page's layout changes, so positions measured before the command are not reliable.)
    const text = await transcript();
    const echoed = text.lastIndexOf(`$ ${line}`);
    const after = text.slice(echoed + 2 + line.length).replace(/^\n/, '');
    return after.split('\n').slice(0, -1).join('\n');
  };
  const converse: Playground['converse'] = async (line, steps) => {
    await page.locator('pipette-app').locator('pipette-terminal').click();
    await page.keyboard.type(line);
    await page.keyboard.press('Enter');
    for (const step of steps) {
      await expect.poll(transcript, { timeout: 30_000 }).toMatch(step.prompt);
      if (step.answer !== undefined) {
        await page.keyboard.type(step.answer);
        await page.keyboard.press('Enter');
      } else if (step.key) await page.keyboard.press(step.key);
    }
    await waitForPrompt();
  };
  return { page, run, transcript, waitForPrompt, converse };
}
