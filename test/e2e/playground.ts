import { expect, inject } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';

export interface Playground {
  readonly page: Page;
  /** Types `line` at the prompt as a person would and resolves to what it printed. */
  run(line: string): Promise<string>;
  /** Everything the transcript shows now. */
  transcript(): Promise<string>;
}

/** Opens the playground (optionally pointed at an index) and waits for the prompt. */
export async function openPlayground(context: BrowserContext, indexUrl?: string): Promise<Playground> {
  const page = await context.newPage();
  const query = indexUrl ? `?index-url=${encodeURIComponent(indexUrl)}` : '';
  await page.goto(`${inject('appUrl')}${query}`);
  const app = page.locator('pipette-app');
  const input = app.locator('input#command');
  const output = app.locator('[part="output"]');
  await expect.poll(() => input.isEnabled(), { timeout: 90_000 }).toBe(true);
  const transcript = async (): Promise<string> => (await output.innerText()) ?? '';
  const run = async (line: string): Promise<string> => {
    const before = await transcript();
    await input.fill(line);
    await input.press('Enter');
    // The prompt is disabled while a command runs and enabled again when it ends.
    await expect.poll(async () => (await input.isEnabled()) && (await transcript()) !== before, { timeout: 60_000 }).toBe(true);
    return (await transcript()).slice(before.length);
  };
  return { page, run, transcript };
}
