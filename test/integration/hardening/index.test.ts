/**
 * Hardening catalogue, part 3: a package index that misbehaves (statuses, timeouts, broken or
 * lying pages, redirect loops, a project with 10 000 versions). Each command ends in a message
 * naming the URL and what to do, and leaves pip freeze and site-packages/bin as they were.
 * `--no-cache-dir` everywhere, so each fault meets the network and not a cached page.
 *
 * No CORS is a browser matter (Node's fetch does not enforce it): test/e2e/hardening.test.ts.
 */
import { afterAll, beforeAll, expect, onTestFinished, test } from 'vitest';
import { startIndexServer, type Faults, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { expectClearAndUnchanged, pipSubject, outcome, type CatalogueItem } from './catalogue';

const VERSIONS = 10_000;
let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  const many: WheelSpec[] = Array.from({ length: VERSIONS }, (_, i) => ({ name: 'many', version: `${Math.floor(i / 100)}.${i % 100}` }));
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0' },
      { name: 'beta', version: '1.0', requires: ['alpha'] },
      { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    pass\n' } },
      ...many,
    ],
  });
  // Retries are on (with an injected sleep, so none is waited for) and the timeout short.
  h = await PipHarness.create(server, { sourceOptions: { retries: 2, timeoutMs: 300 } });
  const r = await h.pip('install', 'alpha==1.0', 'tool==1.0');
  if (r.code !== 0) throw new Error(r.stderr);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const PAGE = /^\/simple\/beta\/$/;
const WHEEL = /\/files\/beta-1\.0-py3-none-any\.whl$/;
const faulty = (faults: Faults) => ({
  setup: (s: PipHarness) => s.server.setFaults(faults),
  cleanup: (s: PipHarness) => s.server.setFaults({}),
});
// The 10 000-version page is large: read with pip's default timeout, not the short one above
// (on a loaded machine it can take longer than 0.3 s to serve).
const patient = {
  setup: (s: PipHarness) => void (s.sourceOptions = { timeoutMs: 15_000 }),
  cleanup: (s: PipHarness) => void (s.sourceOptions = {}),
};
const install = (...argv: string[]) => async (s: PipHarness) => outcome(await s.pip('install', '--no-cache-dir', ...argv));

const catalogue: CatalogueItem<PipHarness>[] = [
  { input: 'index page 404', ...faulty({ status: { match: PAGE, code: 404 } }), run: install('beta'), expectedMessage: 'ERROR: No matching distribution found for beta' },
  { input: 'index page 500 (every retry)', ...faulty({ status: { match: PAGE, code: 500 } }), run: install('beta'), expectedMessage: /HTTP error 500 Internal Server Error while getting http:\/\/127\.0\.0\.1:\d+\/simple\/beta\/\. The index has a problem on its side; try again later\./ },
  { input: 'index page 429 with Retry-After (every retry)', ...faulty({ status: { match: PAGE, code: 429, retryAfter: 1 } }), run: install('beta'), expectedMessage: 'HTTP error 429 Too Many Requests while getting' },
  { input: 'index page 503 twice, then served', ...faulty({ status: { match: PAGE, code: 503, times: 2 } }), run: install('--dry-run', 'beta'), expectedMessage: 'Would install beta-1.0', exitCode: 0 },
  { input: 'index page never answers (timeout)', ...faulty({ hang: PAGE }), run: install('beta'), expectedMessage: 'Read timed out after 0.3 s waiting for' },
  { input: 'index page cut off mid-body (truncated JSON)', ...faulty({ truncate: PAGE }), run: install('beta'), expectedMessage: /Connection broken while reading http:\/\/127\.0\.0\.1:\d+\/simple\/beta\// },
  { input: 'index page that is not JSON (invalid JSON)', ...faulty({ invalidJson: PAGE }), run: install('beta'), expectedMessage: 'not valid JSON' },
  { input: 'index page redirecting to itself (redirect loop)', ...faulty({ redirectLoop: PAGE }), run: install('beta'), expectedMessage: 'Too many redirects while getting' },
  { input: 'PEP 503 HTML only (no JSON) is still read', ...faulty({ htmlOnly: true }), run: install('--dry-run', 'beta'), expectedMessage: 'Would install beta-1.0', exitCode: 0 },
  { input: '.metadata file with a wrong sha256', ...faulty({ wrongHash: /beta-1\.0-py3-none-any\.whl\.metadata$/ }), run: install('beta'), expectedMessage: 'ERROR: Hash mismatch for beta-1.0-py3-none-any.whl.metadata' },
  {
    input: '.metadata file 404 although advertised: the wheel is read instead',
    ...faulty({ status: { match: /\.whl\.metadata$/, code: 404 } }),
    run: install('--dry-run', 'beta'),
    expectedMessage: 'Would install beta-1.0',
    exitCode: 0,
  },
  { input: 'wheel download 503 (every retry)', ...faulty({ status: { match: WHEEL, code: 503 } }), run: install('beta'), expectedMessage: 'HTTP error 503 Service Unavailable while getting' },
  { input: 'wheel download cut off (connection dropped)', ...faulty({ truncate: WHEEL }), run: install('beta'), expectedMessage: 'Connection broken while reading' },
  { input: 'wheel download never answers (timeout)', ...faulty({ hang: WHEEL }), run: install('beta'), expectedMessage: 'Read timed out after 0.3 s waiting for' },
  { input: 'wheel download that never ends (far past the size the index declared)', ...faulty({ endless: WHEEL }), run: install('beta'), expectedMessage: /beta-1\.0-py3-none-any\.whl is larger than its index said: \d+ bytes declared, and the server sent more than \d+ bytes/ },
  { input: 'wheel whose md5, the only digest its HTML page gives, does not match', ...faulty({ htmlOnly: true, digest: 'md5', wrongHash: WHEEL }), run: install('beta'), expectedMessage: /ERROR: Hash mismatch for beta-1\.0-py3-none-any\.whl[^\n]*\n\s+Expected md5 [0-9a-f]{32}/ },
  { input: 'wheel whose sha1, the only digest its JSON page gives, does not match', ...faulty({ digest: 'sha1', wrongHash: WHEEL }), run: install('beta'), expectedMessage: /ERROR: Hash mismatch for beta-1\.0-py3-none-any\.whl[^\n]*\n\s+Expected sha1 [0-9a-f]{40}/ },
  { input: 'an index nobody listens on (connection refused)', run: install('--index-url', 'http://127.0.0.1:9/simple/', 'beta'), expectedMessage: 'Could not connect to 127.0.0.1:9 to get http://127.0.0.1:9/simple/beta/' },
  {
    input: 'a project listing 10 000 versions, asked for one it lacks',
    ...patient,
    run: install('many==999'),
    expectedMessage: /ERROR: Could not find a version that satisfies the requirement many==999 \(from versions: 0\.0, 0\.1, [^)]*, 99\.99\)\nERROR: No matching distribution found for many==999/,
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(pipSubject(h), item);
});

test('a project listing 10 000 versions resolves to the newest quickly, and installs', async () => {
  patient.setup(h);
  onTestFinished(() => patient.cleanup(h));
  const started = performance.now();
  const r = await h.pip('install', '--no-cache-dir', 'many');
  const elapsed = performance.now() - started;
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('Successfully installed many-99.99');
  expect(elapsed).toBeLessThan(10_000);
  expect((await h.pip('uninstall', '-y', 'many')).code).toBe(0);
});
