/**
 * Hardening where the browser adds something: the page's Content-Security-Policy, an index
 * that sends no CORS headers, text from strangers (summaries, vulnerability records) in the
 * panels, and IndexedDB that is full part way through an install or not there at all (private
 * browsing). The Node catalogue (test/integration/hardening) covers the rest.
 *
 * IndexedDB lives in the runtime worker, which init scripts do not reach: a prelude is evaluated
 * in the worker as it starts (see patchWorkers), before it opens IndexedDB.
 */
import { expect, inject, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { collectErrors, screenshot } from './browser';
import { withChromiumAndIndex } from './file-setup';
import { attach, openPlayground } from './playground';
import type { IndexServer } from '../fixtures/index-server';
import type { WheelSpec } from '../fixtures/wheel-builder';

const HOSTILE = '<img src=x onerror="alert(\'summary\')"><script>alert("summary")</script>';
const projects: WheelSpec[] = [
  { name: 'plain', version: '1.0.0' },
  {
    name: 'hostile',
    version: '1.0.0',
    summary: HOSTILE,
    description: '<script>alert("description")</script>',
    vulnerabilities: [{ id: '<img src=x onerror=alert("id")>', details: '<script>alert("details")</script>', summary: '<b onmouseover=alert(1)>x</b>', link: 'javascript:alert("link")', fixed_in: ['<script>2.0</script>'] }],
  },
  // Big enough that a few of them fill the small IndexedDB budget below.
  ...Array.from({ length: 6 }, (_, i) => ({ name: `bulk${i}`, version: '1.0.0', files: { [`bulk${i}/__init__.py`]: `DATA = ${JSON.stringify(Array.from({ length: 4000 }, (_, j) => (j * 7919 + i) % 100_003).join(','))}\n` } })),
  { name: 'bulk-all', version: '1.0.0', requires: Array.from({ length: 6 }, (_, i) => `bulk${i}`) },
];

let browser: Browser;
let index: IndexServer;
withChromiumAndIndex({ projects }, (started) => void ({ browser, index } = started));

/**
 * Run `prelude` in every runtime worker of the context's pages as soon as it starts. The worker
 * reaches IndexedDB only after Pyodide has loaded (seconds later), so the patch is in place by
 * then. (Serving a patched worker script through page.route instead leaves the worker unable to
 * fetch from other origins in this Chromium.)
 */
function patchWorkers(context: BrowserContext, prelude: string): void {
  context.on('page', (page) => page.on('worker', (worker) => void worker.evaluate(prelude).catch(() => undefined)));
}

test('the page runs under its Content-Security-Policy: an injected inline script is blocked, Python still boots and installs', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = collectErrors(page);
  // Every violation the page reports, from the first script on.
  await page.addInitScript(() => {
    const w = window as unknown as { violations: string[] };
    w.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
  const response = await page.goto(`${inject('appUrl')}?index-url=${encodeURIComponent(index.simpleUrl)}`);
  expect(response?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  const { run } = await attach(page);
  // Pyodide compiled its WebAssembly and runs JavaScript from Python in the worker...
  expect(await run('pip install plain')).toContain('Successfully installed plain-1.0.0');
  expect(await run(`python -c "from pyodide.code import run_js; print(run_js('6 * 7'))"`)).toBe('42');
  expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);

  // ... while the page itself runs no inline script and no eval.
  const outcome = await page.evaluate(async () => {
    const w = window as unknown as { violations: string[]; injected?: boolean };
    const seen = new Promise<string>((resolve) => document.addEventListener('securitypolicyviolation', (e) => resolve(`${e.effectiveDirective} ${e.blockedURI}`), { once: true }));
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    const handler = document.createElement('img');
    handler.setAttribute('onerror', 'window.injected = true');
    handler.src = 'data:,not-an-image';
    document.body.append(handler);
    // (Code evaluated through the DevTools protocol may eval regardless: try it from a task of the page's own.)
    const evaluated = await new Promise<string>((resolve) =>
      setTimeout(() => {
        try {
          new Function('return 1')();
          resolve('allowed');
        } catch (e) {
          resolve((e as Error).name);
        }
      }),
    );
    const violation = await seen;
    await new Promise((r) => setTimeout(r, 200));
    return { violation, injected: w.injected ?? false, evaluated, violations: w.violations };
  });
  expect(outcome.violation).toBe('script-src-elem inline');
  expect(outcome.injected).toBe(false);
  expect(outcome.evaluated).toBe('EvalError');
  expect(outcome.violations).toEqual(expect.arrayContaining(['script-src-elem inline', 'script-src-attr inline', 'script-src eval']));
  // The refused script and handler are reported by the browser; nothing else went wrong.
  expect(errors.filter((e) => !/Content Security Policy/.test(e))).toEqual([]);
  await context.close();
});

test('an index that sends no CORS headers: pip says so, and nothing changes', async () => {
  const context = await browser.newContext();
  const { run } = await openPlayground(context, index.simpleUrl);
  expect(await run('pip install plain')).toContain('Successfully installed plain-1.0.0');
  index.setFaults({ noCors: true });
  try {
    const refused = await run('pip install --no-cache-dir --retries 0 hostile');
    expect(refused).toMatch(/CORS/);
    expect(refused).not.toContain('Successfully installed');
    expect(await run('pip freeze')).toBe('plain==1.0.0');
  } finally {
    index.setFaults({});
  }
  await context.close();
});

test('summaries and vulnerability records with HTML and script are shown as text; nothing runs', async () => {
  const context = await browser.newContext();
  const { page, run } = await openPlayground(context, index.simpleUrl);
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  expect(await run('pip install hostile')).toContain('Successfully installed hostile-1.0.0');
  const row = page.locator('pipette-packages tr[data-name="hostile"]');
  await expect.poll(() => row.locator('.summary').innerText(), { timeout: 30_000 }).toBe(HOSTILE);
  // The vulnerability record arrives with the index's facts: its id as text, its javascript: link not a link.
  await expect.poll(() => row.locator('[part="vulnerable"]').count(), { timeout: 30_000 }).toBe(1);
  expect(await row.locator('.vulns').innerText()).toContain('<img src=x onerror=alert("id")>');
  expect(await row.locator('a').count()).toBe(0);
  expect(await row.locator('img, script, b').count()).toBe(0);
  // pip show prints it into the terminal as text too.
  expect(await run('pip show hostile')).toContain(`Summary: ${HOSTILE}`);
  await page.locator('pipette-packages tr[data-name="hostile"] button.name').click();
  await screenshot(page, 'hardening-hostile-summary');
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  await context.close();
});

/** IndexedDB's put, in the worker, refusing with QuotaExceededError once `budget` bytes of the cache database are written. */
function quotaPrelude(budget: number): string {
  return `{
  const put = IDBObjectStore.prototype.put;
  let used = 0;
  globalThis.__quotaRefusals = 0;
  IDBObjectStore.prototype.put = function (value, key) {
    if (this.transaction.db.name === 'pipette-cache-v1') {
      const size = value && typeof value.byteLength === 'number' ? value.byteLength : String(value).length;
      if (used + size > ${budget}) {
        globalThis.__quotaRefusals++;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      used += size;
    }
    return put.call(this, value, key);
  };
}`;
}

test('IndexedDB full part way through an install: the install succeeds, and the next one too', async () => {
  const context = await browser.newContext();
  patchWorkers(context, quotaPrelude(20_000));
  const { page, run } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  const out = await run('pip install bulk-all');
  expect(out).toMatch(/Successfully installed bulk-all-1\.0\.0 bulk0-1\.0\.0 bulk1-1\.0\.0 bulk2-1\.0\.0 bulk3-1\.0\.0 bulk4-1\.0\.0 bulk5-1\.0\.0/);
  expect(await run(`python -c 'import bulk5; print(len(bulk5.DATA) > 0)'`)).toBe('True');
  expect(await run('pip install --force-reinstall bulk3')).toContain('Successfully installed bulk3-1.0.0');
  // The full database refused writes (the cache evicted, then went on without caching).
  expect(Number(await run(`python -c 'import js; print(js.__quotaRefusals)'`))).toBeGreaterThan(0);
  expect(await run('pip freeze')).toContain('bulk5==1.0.0');
  expect(errors).toEqual([]);
  await context.close();
});

test('IndexedDB unavailable (private browsing): the page works from memory and says nothing will persist', async () => {
  const context = await browser.newContext();
  patchWorkers(context, `indexedDB.open = () => { throw new DOMException('The user denied permission to access the database.', 'SecurityError'); };`);
  const { page, run, transcript } = await openPlayground(context, index.simpleUrl);
  const errors = collectErrors(page);
  expect(await transcript()).toMatch(/IndexedDB is not available[^\n]*won't be kept after a reload/);
  expect(await run('pip install plain')).toContain('Successfully installed plain-1.0.0');
  // One notice at the start, not a warning after every command.
  expect(await run('pip freeze')).toBe('plain==1.0.0');
  expect(await transcript()).not.toContain('could not be saved');
  // The download is cached in memory for the tab's life.
  expect(await run('pip uninstall -y plain')).toContain('Successfully uninstalled plain-1.0.0');
  expect(await run('pip install plain')).toContain('Using cached');
  expect(await run('pip cache dir')).toContain('memory (IndexedDB is not available in this tab)');
  await screenshot(page, 'hardening-no-indexeddb');
  expect(errors).toEqual([]);
  await context.close();
});

test('Ctrl+C in the middle of an install on a slow network: cancelled, nothing half-installed', async () => {
  const context = await browser.newContext();
  const { page, run, transcript, waitForPrompt } = await openPlayground(context, index.simpleUrl);
  index.setFaults({ latencyMs: 400 });
  try {
    await page.locator('pipette-app').locator('pipette-terminal').click();
    await page.keyboard.type('pip install --no-cache-dir bulk-all');
    await page.keyboard.press('Enter');
    await expect.poll(transcript, { timeout: 30_000 }).toMatch(/Collecting bulk\d/);
    await page.keyboard.press('Control+C');
    await waitForPrompt();
    await expect.poll(transcript, { timeout: 30_000 }).toContain('ERROR: Operation cancelled by user');
  } finally {
    index.setFaults({});
  }
  expect(await run('pip freeze')).toBe('');
  expect(await run(`python -c 'import importlib.util as u; print(u.find_spec("bulk0"))'`)).toBe('None');
  await context.close();
});

test('an index URL with a password in the link: the header and the More menu show it redacted, wide and narrow', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const secretIndex = index.simpleUrl.replace('http://', 'http://alice:s3cret-token@') + '?token=t0ken-value';
  const { page } = await openPlayground(context, secretIndex);
  /** Where the index is shown (the header; the More menu on a phone): redacted, in its text and its title. */
  const expectRedacted = async (shown: ReturnType<typeof page.locator>): Promise<void> => {
    await expect.poll(() => shown.innerText()).toContain('index: http://alice:****@');
    const text = `${await shown.innerText()} ${await shown.locator('[part="index"]').getAttribute('title')}`;
    expect(text).not.toContain('s3cret-token');
    expect(text).not.toContain('t0ken-value');
  };
  await expectRedacted(page.locator('pipette-app header'));
  await screenshot(page, 'hardening-index-secret-wide');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('pipette-app [part="more"]').click();
  await expectRedacted(page.locator('pipette-app [part="more-actions"]'));
  await screenshot(page, 'hardening-index-secret-narrow');
  await context.close();
});
