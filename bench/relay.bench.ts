/**
 * The terminal relay (src/cli/terminal-relay.ts, src/runtime/terminal-relay.ts): what a student's
 * machine pays for input() and Ctrl+C going through the server instead of shared memory.
 *
 *   npx tsx bench/relay.bench.ts [--runs N]
 *
 * The built playground on Vite's preview server, in Chromium, opened twice: at 127.0.0.1 (a
 * secure context: cross-origin isolated, shared memory) and under a name mapped to this machine
 * (http://room.test: not a secure context, as a classroom's server at its address; the relay).
 * Printed for each, medians of N runs:
 * (a) CPU-bound Python (sum of squares of 6,000,000 ints, timed inside Python): the cost of
 *     asking the server for Ctrl+C while Python runs;
 * (b) Ctrl+C: from the key press to KeyboardInterrupt in the terminal, on `while True: pass`;
 * (c) input(): from Enter on the typed line to the program's output in the terminal.
 * The server is on this machine (no network between): on a room's Wi-Fi each ask costs a round
 * trip more, and the worker spaces its asks to 20 round trips (at least 250 ms).
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { buildAndPreview } from '../test/fixtures/app-preview';
import { launchChromium } from '../test/e2e/browser';
import { commands, commandsReach, promptAt, transcript } from './app-driver';

const ROOM = 'room.test';
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function type(page: Page, line: string): Promise<void> {
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(line);
}

/** Polls the terminal every 5 ms until `pattern` has appeared `count` times; ms since `from`. */
async function until(page: Page, pattern: string, count: number, from: number): Promise<number> {
  while (performance.now() - from < 60_000) {
    if ((await transcript(page)).split(pattern).length - 1 >= count) return performance.now() - from;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${JSON.stringify(pattern)} did not appear ${count} times in 60 s:\n${(await transcript(page)).slice(-500)}`);
}

async function measure(page: Page): Promise<{ cpu: number[]; interrupt: number[]; input: number[] }> {
  const cpu: number[] = [];
  const interrupt: number[] = [];
  const input: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let done = await commands(page);
    await type(page, `python -c 'import time; t = time.perf_counter(); x = sum(i * i for i in range(6_000_000)); print("cpu", round((time.perf_counter() - t) * 1000))'`);
    await page.keyboard.press('Enter');
    await commandsReach(page, ++done);
    cpu.push(Number([...(await transcript(page)).matchAll(/^cpu (\d+)$/gm)].at(-1)![1]));

    const interrupts = (await transcript(page)).split('KeyboardInterrupt').length - 1;
    await type(page, `python -c 'while True: pass'`);
    await page.keyboard.press('Enter');
    await new Promise((r) => setTimeout(r, 1_000));
    const pressed = performance.now();
    await page.keyboard.press('Control+C');
    interrupt.push(await until(page, 'KeyboardInterrupt', interrupts + 1, pressed));
    await commandsReach(page, ++done);

    const answers = (await transcript(page)).split('got ').length - 1;
    await type(page, `python -c 'print("got", input("? "))'`);
    await page.keyboard.press('Enter');
    await until(page, '? ', 1, performance.now());
    await new Promise((r) => setTimeout(r, 300));
    await page.keyboard.type('x');
    const entered = performance.now();
    await page.keyboard.press('Enter');
    input.push(await until(page, 'got ', answers + 1, entered));
    await commandsReach(page, ++done);
  }
  return { cpu, interrupt, input };
}

const app = await buildAndPreview({ allowedHosts: [ROOM] });
const browser = await launchChromium([`--host-resolver-rules=MAP ${ROOM} 127.0.0.1`]);
try {
  const results: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const [label, url] of [
    ['shared memory (127.0.0.1, isolated)', app.url],
    [`relay (http://${ROOM}, not isolated)`, app.url.replace('127.0.0.1', ROOM)],
  ] as const) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await promptAt(page);
    const isolated = await page.evaluate(() => crossOriginIsolated);
    results[label] = await measure(page);
    const r = results[label]!;
    console.log(`${label} (crossOriginIsolated ${isolated}), medians of ${RUNS}:`);
    console.log(`  (a) CPU-bound Python: ${median(r.cpu)} ms (${r.cpu.join(', ')})`);
    console.log(`  (b) Ctrl+C to KeyboardInterrupt: ${Math.round(median(r.interrupt))} ms (${r.interrupt.map(Math.round).join(', ')})`);
    console.log(`  (c) Enter to input()'s answer printed: ${Math.round(median(r.input))} ms (${r.input.map(Math.round).join(', ')})`);
    await context.close();
  }
  const [shared, relay] = Object.values(results) as [Awaited<ReturnType<typeof measure>>, Awaited<ReturnType<typeof measure>>];
  console.log(`relay / shared memory, CPU-bound Python: x${(median(relay.cpu) / median(shared.cpu)).toFixed(3)}`);
} finally {
  await browser.close();
  await app.close();
}
