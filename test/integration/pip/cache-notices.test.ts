/**
 * What the cache does to the person's data is said in the terminal, as pip's WARNING lines
 * (src/pip/pip-source.ts IndexActivity): a store too full to keep a wheel, even after
 * evicting, does not fail the install, and the person learns the file was not cached and how to
 * make room. Before, these notices were dropped: the install looked cached and was not.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { quotaExceededError } from '../../../src/index/cache-store';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { incompressibleBytes } from '../../fixtures/noise';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [{ name: 'bulky', version: '1.0', files: { 'bulky/__init__.py': '', 'bulky/data.bin': incompressibleBytes(200_000, 7) } }],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

test('a cache too full for a wheel: the install succeeds, and a WARNING says the file was not cached and how to free space', async () => {
  // A browser store at its quota: anything larger than a project page is refused, whatever is evicted.
  const set = h.store.set.bind(h.store);
  h.store.set = async (key, value) => {
    if (value.length > 50_000) throw quotaExceededError('the quota is used up');
    return set(key, value);
  };
  const r = await h.pip('install', '--no-compile', 'bulky');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('Successfully installed bulky-1.0');
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('WARNING:'));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain('bulky-1.0-py3-none-any.whl');
  expect(warnings[0]).toMatch(/cache is full/i);
  expect(r.stderr).toContain('pip cache purge');
  expect(await h.pip('freeze').then((f) => f.stdout.trim())).toBe('bulky==1.0');
});
