// Driving the built playground in Chromium for the benches (the probes of test/e2e/playground.ts,
// without Vitest): waiting for the prompt, typing a command line and timing it, reading the
// terminal, and sorting an index's request log into what installing needed.
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';

export const TIMEOUT_MS = 300_000;

export interface AppProbe {
  info: unknown;
  busy: boolean;
  progress: { phase: string; restore?: { distributions: number; problems: string[] } } | null;
  shadowRoot: ShadowRoot;
}

/** Waits for the prompt; resolves to the page's performance.now() then (ms since navigation). */
export async function promptAt(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const app = document.querySelector('pipette-app') as unknown as AppProbe | null;
      // Not yet defined (the components' chunk still loading: src/ui/index.ts): no shadow root.
      if (!app?.shadowRoot || app.info === null || app.busy) return false;
      const terminal = app.shadowRoot.querySelector('pipette-terminal') as unknown as { text(): string } | null;
      return terminal && /\$\s*$/.test(terminal.text()) ? performance.now() : false;
    },
    null,
    { polling: 5, timeout: TIMEOUT_MS },
  );
  return (await handle.jsonValue()) as number;
}

export const commands = async (page: Page): Promise<number> => Number((await page.locator('pipette-app').getAttribute('data-commands')) ?? '0');

export const transcript = (page: Page): Promise<string> =>
  page.evaluate(() => (document.querySelector('pipette-app')!.shadowRoot!.querySelector('pipette-terminal') as unknown as { text(): string }).text());

/** Waits until the app has finished `count` command lines (prompt lines, or a restore). */
export async function commandsReach(page: Page, count: number): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector('pipette-app')?.getAttribute('data-commands') ?? '0') >= n, count, { polling: 5, timeout: TIMEOUT_MS });
}

/** Types `line` as a person would, then times Enter to the end of the command; returns the time and what it printed. */
export async function runLine(page: Page, line: string): Promise<{ ms: number; output: string }> {
  await page.locator('pipette-app').locator('pipette-terminal').click();
  await page.keyboard.type(line);
  const before = await commands(page);
  const start = (await transcript(page)).length;
  const t0 = performance.now();
  await page.keyboard.press('Enter');
  await commandsReach(page, before + 1);
  const ms = performance.now() - t0;
  return { ms, output: (await transcript(page)).slice(start) };
}

/** runLine, failing unless the output matches `expected`. */
export async function timeLine(page: Page, line: string, expected: RegExp): Promise<number> {
  const { ms, output } = await runLine(page, line);
  if (!expected.test(output)) throw new Error(`\`${line}\` did not print ${expected}:\n${output}`);
  return ms;
}

export interface Requests {
  pages: number;
  metadata: number;
  wheels: number;
  /** PyPI JSON API (`/pypi/<name>/json`): the Packages panel's summaries and advisories. */
  jsonApi: number;
  /** HEAD requests: connections opened while `pip install` was typed (src/index/preconnect.ts), no body. */
  preconnects: number;
  other: number;
  /** Body bytes of pages, metadata files and wheels. */
  bytes: number;
}

/** Sorts an index's request log (the fixture index's or the wheelhouse's) by what was asked for. */
export function classify(requests: readonly { path: string; bytes: number; method?: string }[]): Requests {
  const r: Requests = { pages: 0, metadata: 0, wheels: 0, jsonApi: 0, preconnects: 0, other: 0, bytes: 0 };
  for (const q of requests) {
    if (q.method === 'HEAD') {
      r.preconnects++;
      continue;
    }
    const path = q.path.replace(/[?#].*$/, '');
    if (path.includes('/simple/')) r.pages++;
    else if (/\/pypi\/[^/]+\/(?:[^/]+\/)?json$/.test(path)) r.jsonApi++;
    else if (path.endsWith('.metadata')) r.metadata++;
    else if (path.endsWith('.whl')) r.wheels++;
    else {
      r.other++;
      continue;
    }
    if (!path.includes('/pypi/')) r.bytes += q.bytes;
  }
  return r;
}

export function stats(xs: readonly number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}
