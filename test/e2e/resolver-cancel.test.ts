/**
 * Ctrl+C during a long resolution: a person types `pip install` of a graph that takes the
 * resolver minutes (nine pigeons, eight holes: test/fixtures/hard-graphs.ts, served by the
 * fixture index), presses Ctrl+C while the worker is deep in conflict resolution, and gets the
 * prompt back within 200 ms, with nothing installed. The latency is measured in the page, from
 * the keydown to the first animation frame that shows the prompt.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { collectErrors, launchChromium, screenshot } from './browser';
import { ctrlCTimes, untilQuiet, watchCtrlC } from './ctrl-c';
import { openPlayground } from './playground';
import { startIndexServer, type IndexServer } from '../fixtures/index-server';
import { pigeonhole } from '../fixtures/hard-graphs';

const graph = pigeonhole(8);
let browser: Browser;
let index: IndexServer;
beforeAll(async () => {
  [browser, index] = await Promise.all([launchChromium(), startIndexServer({ projects: graph.packages })]);
});
afterAll(async () => {
  await browser?.close();
  await index?.close();
});

test('Ctrl+C in the middle of a long resolution brings the prompt back within 200 ms', async () => {
  const context = await browser.newContext();
  const { page, run, transcript, waitForPrompt } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  await watchCtrlC(page);
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(`pip install --dry-run ${graph.root.join(' ')}`);
  index.resetRequests();
  await page.keyboard.press('Enter');
  // Once the index has had no request for a second, the worker only computes.
  await untilQuiet(() => index.requests.length);
  expect(await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { busy: boolean }).busy)).toBe(true);
  await page.keyboard.press('Control+C');
  await waitForPrompt();
  await expect.poll(async () => (await ctrlCTimes(page)).prompt, { timeout: 10_000 }).toBeGreaterThan(0);
  const { pressed, cancelled, prompt } = await ctrlCTimes(page);
  const latency = prompt - pressed;
  console.log(`Ctrl+C to prompt during a resolution: ${latency.toFixed(0)} ms (the cancel message after ${(cancelled - pressed).toFixed(0)} ms)`);
  // The resolution was running (not finished) when Ctrl+C came: pip says it was cancelled.
  expect(await transcript()).toContain('ERROR: Operation cancelled by user');
  expect(await transcript()).not.toContain('ResolutionImpossible');
  expect(pressed).toBeGreaterThan(0);
  expect(prompt).toBeGreaterThan(pressed);
  expect(latency).toBeLessThan(200);
  await screenshot(page, 'resolver-cancel');
  // Nothing was installed, and the terminal works as before.
  expect(await run('pip freeze')).toBe('');
  expect(errors).toEqual([]);
  await context.close();
});
