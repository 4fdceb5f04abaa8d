/**
 * A classroom without internet (issue 11, "Done when"): `npm start` with `WHEELHOUSE=` a folder of
 * real PyPI wheels (this machine's, linked, never copied) and `PYODIDE_PACKAGES=` a small Pyodide
 * distribution folder (test/fixtures/pyodide-distribution.ts), in Chromium with every request
 * that is not for 127.0.0.1 refused. Then again without PYODIDE_PACKAGES: a package that exists
 * only as Pyodide's wasm build fails, saying so and how to provide it, and the message does not
 * blame CORS for what is no network.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { collectErrors, launchChromium, screenshot } from './browser';
import { attach, CATCH_CTRL_C_AT_INPUT, type Playground } from './playground';
import { pyodideDistribution, writePyodideDistribution } from '../fixtures/pyodide-distribution';
import { wheelPaths } from '../fixtures/pypi-wheels';

const WHEELHOUSE_PROJECTS = ['flask', 'werkzeug', 'jinja2', 'itsdangerous', 'click', 'blinker', 'markupsafe', 'six', 'python-dateutil', 'pyyaml'];

const wheelhouse = mkdtempSync(join(tmpdir(), 'pipette-classroom-wheels-'));
const packages = mkdtempSync(join(tmpdir(), 'pipette-classroom-pyodide-'));
const distribution = pyodideDistribution([{ name: 'markupsafe' }, { name: 'pyyaml' }]);
let browser: Browser;
const servers: ViteDevServer[] = [];
/** The server's name on the room's network, in the tests of a student's machine. */
const ROOM_HOST = 'teacher.classroom.test';

/** `npm start` with these environment variables: the project's vite.config.ts, no HMR, a free port. */
async function start(env: Record<string, string | undefined>, allowedHosts: string[] = []): Promise<string> {
  const before = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  let server: ViteDevServer;
  try {
    server = await createServer({ configFile: resolve(import.meta.dirname, '../../vite.config.ts'), logLevel: 'warn', server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false, watch: null, allowedHosts } });
  } finally {
    for (const [k, v] of Object.entries(before)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  await server.listen();
  servers.push(server);
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server did not report a port');
  return `http://127.0.0.1:${address.port}/`;
}

/** A browser context that reaches 127.0.0.1 only; every other request is refused as if offline. */
async function localOnly(): Promise<{ context: BrowserContext; refused: string[] }> {
  const context = await browser.newContext();
  const refused: string[] = [];
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    if (host === '127.0.0.1' || host === 'localhost' || host === ROOM_HOST) return route.continue();
    refused.push(route.request().url());
    return route.abort('internetdisconnected');
  });
  return { context, refused };
}

beforeAll(async () => {
  for (const project of WHEELHOUSE_PROJECTS) for (const path of wheelPaths(project)) symlinkSync(path, join(wheelhouse, path.slice(path.lastIndexOf('/') + 1)));
  writePyodideDistribution(packages, distribution);
  // ROOM_HOST is this machine under a name, as a student's laptop reaches the teacher's at an
  // address: not localhost, so not a secure context.
  browser = await launchChromium([`--host-resolver-rules=MAP ${ROOM_HOST} 127.0.0.1`]);
});
afterAll(async () => {
  await browser?.close();
  for (const s of servers) await s.close();
  rmSync(wheelhouse, { recursive: true, force: true });
  rmSync(packages, { recursive: true, force: true });
});

describe('WHEELHOUSE and PYODIDE_PACKAGES, no internet', () => {
  let appUrl: string;
  let context: BrowserContext;
  let refused: string[];
  let playground: Playground;
  let errors: string[];
  const requests: string[] = [];

  beforeAll(async () => {
    appUrl = await start({ WHEELHOUSE: wheelhouse, PYODIDE_PACKAGES: packages });
    ({ context, refused } = await localOnly());
  });
  afterAll(() => context?.close());

  test('the page uses the wheelhouse and the local Pyodide packages by default', async () => {
    const page = await context.newPage();
    errors = collectErrors(page);
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(appUrl);
    playground = await attach(page);
    expect(await page.locator('pipette-app').locator('[part="index"]').textContent()).toBe(`index: ${appUrl}wheelhouse/simple/`);
    expect(await page.evaluate(() => document.querySelector('meta[name="pipette-pyodide-packages"]')?.getAttribute('content'))).toBe('/pyodide-packages/');
  });

  test("pip install flask: the wheelhouse's wheels, MarkupSafe as Pyodide's build from the local folder; Flask runs", async () => {
    const out = await playground.run('pip install flask');
    expect(out).toMatch(/Successfully installed blinker-1\.9\.0 click-8\.5\.0 flask-3\.1\.3 itsdangerous-2\.2\.0 jinja2-3\.1\.6 markupsafe-3\.0\.3 werkzeug-3\.1\.9/);
    expect(requests).toContain(`${appUrl}pyodide-packages/${distribution.lock.packages['markupsafe']!.file_name}`);
    expect(await playground.run(`python -c 'import flask, markupsafe; print(markupsafe.escape("<i>"), flask.Flask("x").name)'`)).toBe('&lt;i&gt; x');
  });

  test('six and python-dateutil from the wheelhouse', async () => {
    expect(await playground.run('pip install python-dateutil')).toMatch(/Successfully installed python-dateutil-2\.9\.0\.post0 six-1\.17\.0/);
    expect(await playground.run(`python -c 'import dateutil.parser; print(dateutil.parser.parse("2026-03-04").month)'`)).toBe('3');
  });

  test("pyyaml: Pyodide's wasm build from the local folder", async () => {
    expect(await playground.run('pip install pyyaml')).toMatch(/Successfully installed pyyaml-6\.0\.3/);
    expect(await playground.run(`python -c 'import yaml; print(yaml.safe_load("a: [1, 2]"))'`)).toBe("{'a': [1, 2]}");
  });

  test('--no-index --find-links: the textbook offline install reads the folder only', async () => {
    expect(await playground.run('pip download six -d pkgs')).toMatch(/Saved \.\/pkgs\/six-1\.17\.0-py2\.py3-none-any\.whl|Saved pkgs\/six-1\.17\.0-py2\.py3-none-any\.whl/);
    expect(await playground.run('pip uninstall -y six')).toContain('Successfully uninstalled six-1.17.0');
    const before = requests.length;
    expect(await playground.run('pip install --no-index --find-links pkgs six')).toMatch(/Successfully installed six-1\.17\.0/);
    expect(requests.slice(before).filter((u) => u.includes('/wheelhouse/') || u.includes('/pyodide-packages/'))).toEqual([]);
  });

  test('a hash-pinned requirements file installs the pinned file', async () => {
    const sha = distribution.lock.packages['markupsafe']!.sha256;
    expect(await playground.run('pip uninstall -y markupsafe')).toContain('Successfully uninstalled MarkupSafe-3.0.3');
    await playground.run(`echo 'markupsafe==3.0.3 --hash=sha256:${sha}' > req.txt`);
    expect(await playground.run('pip install -r req.txt')).toMatch(/Successfully installed markupsafe-3\.0\.3/i);
    await playground.run(`echo 'six==1.17.0 --hash=sha256:${'0'.repeat(64)}' > bad.txt`);
    expect(await playground.run('pip install --force-reinstall -r bad.txt')).toContain('THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE');
  });

  test('a share link restores in a fresh browser, offline too', async () => {
    const { page } = playground;
    await page.locator('pipette-app button[part="share"]').click();
    const link = await page.locator('pipette-app [part="shared"] input').inputValue();
    // New links are v2 (packed): Pyodide's builds from the local folder travel as files beside it.
    expect(link).toMatch(/#env=v2\./);
    const fresh = await localOnly();
    try {
      const other = await fresh.context.newPage();
      await other.goto(link);
      const dialog = other.locator('pipette-restore-dialog');
      await expect.poll(() => dialog.locator('[part="packages"]').innerText(), { timeout: 90_000 }).toContain('Flask==3.1.3');
      expect(await dialog.locator('[part="packages"]').innerText()).toContain('MarkupSafe==3.0.3');
      await dialog.locator('[part="restore"]').click();
      const restored = await attach(other);
      await expect.poll(() => restored.transcript(), { timeout: 90_000 }).toMatch(/Successfully installed[^\n]*Flask-3\.1\.3/i);
      await restored.waitForPrompt();
      expect(await restored.run(`python -c 'import flask, yaml, markupsafe; print("ok")'`)).toBe('ok');
      await screenshot(other, 'classroom-restored');
      expect(fresh.refused).toEqual([]);
    } finally {
      await fresh.context.close();
    }
  });

  test('?pyodide-packages=none in the page address switches them off for every command', async () => {
    // A fresh browser: nothing installed yet.
    const fresh = await localOnly();
    const page = await fresh.context.newPage();
    await page.goto(`${appUrl}?pyodide-packages=none`);
    const other = await attach(page);
    const out = await other.run('pip install pyyaml');
    expect(out).toContain('ERROR: Could not find a version that satisfies the requirement pyyaml (from versions: none)');
    expect(out).toContain("hint: pyyaml 6.0.3 installs here as Pyodide's own build");
    expect(out).toContain('switched off (--pyodide-packages none)');
    // A command may still name a folder.
    expect(await other.run(`pip install --pyodide-packages ${appUrl}pyodide-packages/ pyyaml`)).toMatch(/Successfully installed pyyaml-6\.0\.3/i);
    expect(fresh.refused).toEqual([]);
    await fresh.context.close();
  });

  test('nothing tried to leave 127.0.0.1, and the page reported no errors', async () => {
    await screenshot(playground.page, 'classroom');
    expect(refused).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('WHEELHOUSE without PYODIDE_PACKAGES, no internet', () => {
  test("a wasm-only package fails saying it needs Pyodide's builds and how to provide them; no network is not blamed on CORS, a host without CORS is", async () => {
    const appUrl = await start({ WHEELHOUSE: wheelhouse, PYODIDE_PACKAGES: undefined });
    const { context, refused } = await localOnly();
    try {
      const page = await context.newPage();
      await page.goto(appUrl);
      const { run } = await attach(page);
      const out = await run('pip install --retries 0 pyyaml');
      expect(out).toContain("pyyaml 6.0.3 installs here only as Pyodide's own build (no configured index has a file of it that installs in Pyodide)");
      expect(out).toContain("Pyodide's packages at https://cdn.jsdelivr.net/pyodide/v");
      expect(out).toContain('there is no network, or cdn.jsdelivr.net did not answer');
      expect(out).toContain('PYODIDE_PACKAGES=DIR npm start');
      expect(out).toContain('--pyodide-packages URL');
      expect(out).not.toContain('CORS');
      expect(out).not.toContain('Successfully installed');
      expect(refused.some((u) => u.startsWith('https://cdn.jsdelivr.net/'))).toBe(true);
      // The pure packages still install from the wheelhouse.
      expect(await run('pip install six')).toContain('Successfully installed six-1.17.0');
      // A host that answers, without CORS, is named as such (the probe got its answer).
      const bare = createHttpServer((_req, res) => {
        res.writeHead(200, { 'Content-Type': 'text/html' });
        res.end('<html></html>');
      });
      await new Promise<void>((done) => bare.listen(0, '127.0.0.1', done));
      try {
        const host = `127.0.0.1:${(bare.address() as AddressInfo).port}`;
        const cors = await run(`pip install --retries 0 --no-cache-dir --index-url http://${host}/simple/ six`);
        expect(cors).toContain(`${host} answered, but it does not allow cross-origin requests (CORS)`);
        expect(cors).not.toContain('did not answer');
      } finally {
        bare.close();
      }
      await screenshot(page, 'classroom-no-pyodide-packages');
    } finally {
      await context.close();
    }
  });
});

describe("a student's machine: the server at its address on the room's network (not a secure context)", () => {
  test('pip install checks every sha256 without WebCrypto and refuses a wrong one; input() and Ctrl+C work through the server; the workspace comes back after a reload', async () => {
    const appUrl = (await start({ WHEELHOUSE: wheelhouse }, [ROOM_HOST])).replace('127.0.0.1', ROOM_HOST);
    const { context, refused } = await localOnly();
    try {
      const page = await context.newPage();
      const errors = collectErrors(page);
      await page.goto(appUrl);
      // What a browser gives a plain-http page at an address: no WebCrypto, no service worker.
      expect(await page.evaluate(() => [isSecureContext, typeof crypto.subtle, 'serviceWorker' in navigator])).toEqual([false, 'undefined', false]);
      let { run, transcript, waitForPrompt, converse } = await attach(page);
      expect(await run('pip install python-dateutil')).toMatch(/Successfully installed python-dateutil-2\.9\.0\.post0 six-1\.17\.0/);
      expect(await run(`python -c 'import dateutil, six; print(six.__version__)'`)).toBe('1.17.0');
      await run(`echo 'six==1.17.0 --hash=sha256:${'0'.repeat(64)}' > bad.txt`);
      expect(await run('pip install --force-reinstall -r bad.txt')).toContain('THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE');
      // No cross-origin isolation, so no shared memory: input() and Ctrl+C go through the
      // server's terminal relay (src/cli/terminal-relay.ts), as a student's lesson one needs.
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      await converse(`python -c 'name = input("Name? "); print("Hello,", name)'`, [{ prompt: /Name\? $/m, answer: 'Ada Lovelace' }]);
      expect(await transcript()).toContain('Hello, Ada Lovelace');
      // Lines typed one after another, each read by its own input().
      await converse(`python -c 'a = int(input("a? ")); b = int(input("b? ")); print("sum", a + b)'`, [
        { prompt: /a\? $/m, answer: '2' },
        { prompt: /b\? $/m, answer: '40' },
      ]);
      expect(await transcript()).toContain('sum 42');
      // Ctrl+D at the prompt: end of input, as in a terminal.
      await converse(`python -c 'input("more? ")'`, [{ prompt: /more\? $/m, key: 'Control+D' }]);
      expect(await transcript()).toContain('EOFError: EOF when reading a line');
      // Ctrl+C at input()'s prompt: KeyboardInterrupt from input(), once (the program catches it).
      await converse(CATCH_CTRL_C_AT_INPUT, [{ prompt: /^\? $/m, key: 'Control+C' }]);
      expect(await transcript()).toMatch(/^\? \^C\ncaught\nafter$/m);
      // Ctrl+C stops a busy loop, and the interpreter goes on.
      const interrupts = (await transcript()).split('KeyboardInterrupt').length;
      await page.keyboard.type(`python -c 'while True: pass'`);
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 800));
      await page.keyboard.press('Control+C');
      await expect.poll(async () => (await transcript()).split('KeyboardInterrupt').length, { timeout: 30_000 }).toBe(interrupts + 1);
      await waitForPrompt();
      // A Ctrl+C left over at the server from a line that had ended (one that reached it after
      // pip, which runs no Python, had stopped) is not the next line's.
      await page.evaluate(() => (document.querySelector('pipette-app') as unknown as { runtimeState: { relay: { signal(v: number): Promise<void> } } }).runtimeState.relay.signal(2));
      expect(await run(`python -c 'import time; t = time.time(); all(iter(lambda: time.time() - t < 0.8, False)); print("spun")'`)).toBe('spun');
      expect(await run(`python -c 'print(1 + 1)'`)).toBe('2');
      expect(await transcript()).not.toContain('could not be saved');
      await page.reload();
      ({ run, transcript } = await attach(page));
      expect(await run('pip freeze')).toBe('python-dateutil==2.9.0.post0\nsix==1.17.0');
      expect(await run(`python -c 'print(open("bad.txt").read().split("==")[0])'`)).toBe('six');
      await screenshot(page, 'classroom-student-machine');
      expect(refused).toEqual([]);
      // Chromium's own note that an http origin gets no cross-origin isolation: expected here.
      expect(errors.filter((e) => !e.includes('Cross-Origin-Opener-Policy header has been ignored'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
