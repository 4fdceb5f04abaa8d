/**
 * `pip install` writes each wheel as its download ends, while the others still download, and
 * keeps the all-or-nothing commit (src/pip/write-step.ts Downloads, src/install/apply.ts
 * `arriving`). One wheel's download is held back by the fetch pip is given, so the test sees the
 * others written into site-packages (real Pyodide) before it ends, and then chooses how it ends:
 * its bytes (the install is the one a run that waited makes, with pip's lines), a failed
 * download, a hostile wheel, or Ctrl+C — the last three leave the whole filesystem and
 * `pip freeze` byte for byte as they were.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness, type PipResult } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

/** The wheel download held back, and how the test lets it end. */
let held: { readonly match: RegExp; readonly release: Promise<'bytes' | 'not-found'>; started: boolean } | null = null;
let release: (how: 'bytes' | 'not-found') => void = () => {};

function hold(match: RegExp): void {
  held = { match, release: new Promise((resolve) => (release = resolve)), started: false };
}

async function heldFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const url = String(input instanceof Request ? input.url : input);
  const h = held;
  if (h && h.match.test(url) && (init?.method ?? 'GET') === 'GET') {
    h.started = true;
    const signal = init?.signal ?? undefined;
    const how = await new Promise<'bytes' | 'not-found'>((resolve, reject) => {
      signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      void h.release.then(resolve);
    });
    if (how === 'not-found') return new Response('gone', { status: 404, statusText: 'Not Found' });
  }
  return fetch(input, init);
}

/** Waits up to 5 s for `check` to hold (pip runs meanwhile on the same event loop). */
async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}

/** `pip freeze --all` and every path of the filesystem with its sha256 (`/` less /proc, /dev and the stdlib zip). */
async function everything(): Promise<{ freeze: string; tree: string[] }> {
  return { freeze: (await h.pip('freeze', '--all')).stdout, tree: h.tree(['/']) };
}

const written = (pkg: string): boolean => h.fs.exists(`${h.sitePackages}/${pkg}/__init__.py`);

/**
 * Starts `pip install --no-cache-dir <project>` with the download of `last` held back, and waits
 * until the packages `first` are in site-packages: pip is then writing while `last` downloads.
 */
async function installHoldingBack(project: string, last: RegExp, first: readonly string[]): Promise<{ readonly run: Promise<PipResult> }> {
  hold(last);
  const run = h.pip('install', '--no-cache-dir', project);
  expect(await until(() => first.every(written))).toBe(true);
  expect(held!.started).toBe(true);
  return { run };
}

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'ov-base', version: '1.0' },
      { name: 'ov-a', version: '1.0', files: { 'ov_a/__init__.py': '__version__ = "1.0"\n', 'ov_a/util.py': 'X = 1\n' } },
      { name: 'ov-b', version: '1.0', entryPoints: { console_scripts: { 'ov-b': 'ov_b:main' } }, files: { 'ov_b/__init__.py': 'def main():\n    pass\n' } },
      { name: 'ov-last', version: '1.0', files: { 'ov_last/__init__.py': '__version__ = "1.0"\n' } },
      { name: 'ov-app', version: '1.0', requires: ['ov-a', 'ov-b', 'ov-last'], files: { 'ov_app/__init__.py': '' } },
      { name: 'ov-evil', version: '1.0', corrupt: 'path-traversal' },
      { name: 'ov-bad-app', version: '1.0', requires: ['ov-a', 'ov-b', 'ov-evil'], files: { 'ov_bad_app/__init__.py': '' } },
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { fetch: heldFetch as typeof fetch } });
}, 60_000);

afterAll(async () => {
  release('bytes');
  await server?.close();
});

beforeEach(async () => {
  held = null;
  h.signal = null;
  await h.reset();
  await h.pip('cache', 'purge');
  expect((await h.pip('install', 'ov-base')).code).toBe(0);
});

test("the first wheels are in site-packages while the last one still downloads; the install and pip's lines are those of a run that waited", async () => {
  const { run } = await installHoldingBack('ov-app', /ov_last-1\.0-py3-none-any\.whl$/, ['ov_a', 'ov_b', 'ov_app']);
  expect(written('ov_last')).toBe(false);
  release('bytes');
  const r = await run;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const tree = h.tree();
  // Without holding anything back (every download over before the last wheel is written).
  held = null;
  await h.reset();
  expect((await h.pip('install', 'ov-base')).code).toBe(0);
  const waited = await h.pip('install', '--no-cache-dir', 'ov-app');
  expect(waited.code).toBe(0);
  expect(h.tree()).toEqual(tree);
  expect(r.stdout).toBe(waited.stdout);
  expect(r.stdout).toMatch(/Downloading [^\n]*ov_last-1\.0-py3-none-any\.whl[^\n]*\nInstalling collected packages: ov-last, ov-b, ov-a, ov-app\nSuccessfully installed ov-a-1.0 ov-app-1.0 ov-b-1.0 ov-last-1.0\n$/);
  expect(h.importVersion('ov_last')).toBe('1.0');
});

test("the last wheel's download fails after the others were written: the download's error, everything as it was", async () => {
  const before = await everything();
  const { run } = await installHoldingBack('ov-app', /ov_last-1\.0-py3-none-any\.whl$/, ['ov_a', 'ov_b', 'ov_app']);
  release('not-found');
  const r = await run;
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('404');
  expect(r.stderr).toContain('ov_last-1.0-py3-none-any.whl');
  expect(r.stdout).not.toContain('Installing collected packages');
  held = null;
  expect(await everything()).toEqual(before);
});

test('a hostile wheel arriving last, after the others were written: refused, everything as it was', async () => {
  const before = await everything();
  const { run } = await installHoldingBack('ov-bad-app', /ov_evil-1\.0-py3-none-any\.whl$/, ['ov_a', 'ov_b', 'ov_bad_app']);
  release('bytes');
  const r = await run;
  expect(r.code).toBe(1);
  expect(r.stderr).toContain('ov_evil-1.0-py3-none-any.whl');
  expect(r.stderr).toContain('Nothing was installed: the environment is as it was before this command.');
  expect(h.fs.exists(`${h.sitePackages}/../pipette-evil.py`)).toBe(false);
  held = null;
  expect(await everything()).toEqual(before);
});

test('Ctrl+C while the last wheel downloads, the others written: "Operation cancelled by user", everything as it was', async () => {
  const before = await everything();
  const controller = new AbortController();
  h.signal = controller.signal;
  const { run } = await installHoldingBack('ov-app', /ov_last-1\.0-py3-none-any\.whl$/, ['ov_a', 'ov_b', 'ov_app']);
  controller.abort();
  const r = await run;
  h.signal = null;
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('ERROR: Operation cancelled by user\n');
  held = null;
  expect(await everything()).toEqual(before);
});
