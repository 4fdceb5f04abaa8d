/**
 * Load, as tests: 100 install/uninstall cycles in one runtime session (memory grows by less
 * than 10%, nothing is left behind) and a 200-package environment (installs, lists, freezes and
 * shares). bench/hardening.bench.ts prints the same scenarios' figures.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { decodeShareLink, encodeShareLink } from '../../../src/share';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';
import { bigEnvironment, cycleProjects, environmentProjects, growthPercent, installUninstallCycles } from './load';

const ENVIRONMENT = 200;
let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({ projects: [...cycleProjects(), ...environmentProjects(ENVIRONMENT)] });
});
afterAll(async () => {
  await server?.close();
});

test('100 install/uninstall cycles in one session: memory grows by less than 10%, no file left behind', async () => {
  const h = await RuntimeHarness.start(server, newStores());
  const report = await installUninstallCycles(h, 100);
  expect(report.leftover).toEqual([]);
  expect(await h.freeze()).toBe('');
  expect(growthPercent(report.start, report.end)).toBeLessThan(10);
  // Python's own objects: no steady growth either.
  expect(report.end.pythonObjects - report.start.pythonObjects).toBeLessThan(report.start.pythonObjects * 0.05);
}, 180_000);

test('a 200-package environment installs, lists, freezes and shares', async () => {
  const h = await RuntimeHarness.start(server, newStores());
  const report = await bigEnvironment(h, ENVIRONMENT);
  expect(report.freezeLines).toBe(ENVIRONMENT);
  // pip list shows pip too, a package of every environment.
  expect(report.listLines).toBe(ENVIRONMENT + 1);
  const lock = h.session.shareLock().lock;
  expect(lock.distributions).toHaveLength(ENVIRONMENT);
  const link = await encodeShareLink(lock, 'https://pipette.example/');
  expect(link.length).toBe(report.linkLength);
  const decoded = await decodeShareLink(link, { trustedIndexes: [server.simpleUrl] });
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  expect(decoded.lock.distributions.map((d) => d.sha256).sort()).toEqual(lock.distributions.map((d) => d.sha256).sort());
  // Loose bounds for a shared 2-core machine; the bench prints the real figures.
  expect(report.installMs).toBeLessThan(60_000);
  expect(report.freezeMs + report.listMs).toBeLessThan(10_000);
}, 180_000);
