/**
 * The specifier lab's answer comes from the worker's session (RuntimeApi.classifyVersions), on
 * the configured index, decided by the resolver's own pre-release and yank policies: for every
 * specifier below, the version the lab says pip would install is the one `pip install --dry-run`
 * in the same session would install, and "none" exactly when pip finds none.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { SpecLabResult } from '../../../src/runtime';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

let server: IndexServer;
let h: RuntimeHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'labpkg', version: '1.0' },
      { name: 'labpkg', version: '1.5', yanked: 'broken build' },
      { name: 'labpkg', version: '2.0rc1' },
      { name: 'onlypre', version: '0.1b1' },
    ],
  });
  h = await RuntimeHarness.start(server, newStores());
}, 60_000);

afterAll(async () => {
  await server?.close();
});

function ok(result: SpecLabResult): Extract<SpecLabResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(result.message);
  return result;
}

/** What `pip install --dry-run` would install of the project, or null when it finds nothing. */
async function pipWouldInstall(requirement: string, ...flags: string[]): Promise<string | null> {
  const r = await h.pip(['install', '--dry-run', ...flags, requirement]);
  if (r.code !== 0) {
    expect(r.stderr).toContain('ERROR: Could not find a version that satisfies the requirement');
    return null;
  }
  const m = /Would install \S+?-(\S+)/.exec(r.stdout);
  if (!m) throw new Error(`no "Would install" line:\n${r.stdout}\n${r.stderr}`);
  return m[1]!;
}

describe('the specifier lab asks the worker', () => {
  test('the versions on the index, newest first, each with what pip does with it', async () => {
    const r = ok(await h.session.classifyVersions('labpkg', '>=1.0'));
    expect(r.versions.map((v) => `${v.version}:${v.verdict}`)).toEqual(['2.0rc1:prerelease-skipped', '1.5:yanked-skipped', '1.0:chosen']);
    expect(r.prereleases).toBe('skipped');
  });

  test.each([
    ['labpkg', '>=1.0', false],
    ['labpkg', '>1.0', false],
    ['labpkg', '>1.0', true],
    ['labpkg', '>1.5', false],
    ['labpkg', '==1.5', false],
    ['labpkg', '==1.*', false],
    ['labpkg', '>=2.0rc1', false],
    ['onlypre', '', false],
    ['onlypre', '>=0.1', false],
  ])('%s%s (--pre: %s): the lab chooses what pip installs', async (project, specifier, pre) => {
    const lab = ok(await h.session.classifyVersions(project, specifier, { pre }));
    expect(lab.chosen).toBe(await pipWouldInstall(`${project}${specifier}`, ...(pre ? ['--pre'] : [])));
  });

  test('pip 25.3 finds no version for a specifier naming no pre-release when only pre-releases match, and the lab says why', async () => {
    const r = ok(await h.session.classifyVersions('labpkg', '>1.5'));
    expect(r.versions.map((v) => `${v.version}:${v.verdict}`)).toEqual(['2.0rc1:prerelease-skipped', '1.5:no-match', '1.0:no-match']);
    expect(r.chosen).toBeNull();
    expect(r.prereleases).toBe('finals-only');
    // A yanked final release in range still counts as one (pip filters versions before yanks).
    expect(ok(await h.session.classifyVersions('labpkg', '>1.0')).prereleases).toBe('skipped');
  });

  test('an unknown project, or none: the specifier alone; a bad specifier: the caret', async () => {
    expect(ok(await h.session.classifyVersions('no-such-project', '~=1.4.2')).versions).toEqual([]);
    expect(ok(await h.session.classifyVersions('', '>=1')).normalized).toBe('>=1');
    const bad = await h.session.classifyVersions('labpkg', '>=1.0.*');
    expect(bad.kind).toBe('error');
  });
});
