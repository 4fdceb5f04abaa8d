import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { startIndexServer, type IndexServer, type IndexServerOptions } from '../fixtures/index-server';

/** What most e2e files start once for all their tests. */
export interface ChromiumAndIndex {
  readonly browser: Browser;
  readonly index: IndexServer;
}

/**
 * Starts Chromium and a fixture index (`options`) before the file's tests, hands them to
 * `started`, and closes both after the tests.
 */
export function withChromiumAndIndex(options: IndexServerOptions, started: (both: ChromiumAndIndex) => void): void {
  let both: Partial<ChromiumAndIndex> = {};
  beforeAll(async () => {
    const [browser, index] = await Promise.all([launchChromium(), startIndexServer(options)]);
    both = { browser, index };
    started({ browser, index });
  });
  afterAll(async () => {
    await both.browser?.close();
    await both.index?.close();
  });
}
