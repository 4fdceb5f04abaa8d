/**
 * `pip audit`: known vulnerabilities of what is installed, from the fixture index's PyPI JSON
 * API (`vulnerabilities` per release), in pip-audit's table and words; `--fix` upgrading every
 * vulnerable package to its first fixed version in one all-or-nothing install.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { buildWheel } from '../../fixtures/wheel-builder';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      {
        name: 'av-web',
        version: '1.0',
        vulnerabilities: [
          { id: 'PYSEC-2024-1', fixed_in: ['1.1'], aliases: ['CVE-2024-0001'], details: 'Header\ninjection.' },
          { id: 'GHSA-aaaa-bbbb-cccc', fixed_in: ['1.2', '0.9.5'] },
        ],
      },
      // The first version fixing both has an advisory of its own: pip-audit goes on to 1.3.
      { name: 'av-web', version: '1.2', vulnerabilities: [{ id: 'PYSEC-2024-9', fixed_in: ['1.3'] }] },
      { name: 'av-web', version: '1.3' },
      { name: 'av-web', version: '2.0' },
      { name: 'av-lib', version: '1.0', vulnerabilities: [{ id: 'PYSEC-2024-2', fixed_in: ['1.0.1'] }] },
      { name: 'av-lib', version: '1.0.1' },
      { name: 'av-safe', version: '1.0' },
      { name: 'av-app', version: '1.0', requires: ['av-lib==1.0', 'av-safe'] },
      { name: 'av-nofix', version: '1.0', vulnerabilities: [{ id: 'PYSEC-2024-3' }] },
      { name: 'av-brittle', version: '1.0', vulnerabilities: [{ id: 'PYSEC-2024-4', fixed_in: ['2.0'] }] },
      { name: 'av-brittle', version: '2.0', corrupt: 'bad-record' },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
});

const lines = (...l: string[]): string => `${l.join('\n')}\n`;

describe('pip audit', () => {
  test("pip-audit's table on stdout, its summary on stderr, status 1", async () => {
    expect((await h.pip('install', 'av-web==1.0', 'av-safe')).code).toBe(0);
    const r = await h.pip('audit');
    expect(r).toEqual({
      code: 1,
      stderr: 'Found 2 known vulnerabilities in 1 package\n',
      stdout: lines(
        'Name   Version ID                  Fix Versions',
        '------ ------- ------------------- ------------',
        'av-web 1.0     PYSEC-2024-1        1.1',
        'av-web 1.0     GHSA-aaaa-bbbb-cccc 0.9.5,1.2',
      ),
    });
    expect((await h.pip('audit', '--aliases', '--desc')).stdout).toBe(
      lines(
        'Name   Version ID                  Fix Versions Aliases       Description',
        '------ ------- ------------------- ------------ ------------- -----------------',
        'av-web 1.0     PYSEC-2024-1        1.1          CVE-2024-0001 Header injection.',
        'av-web 1.0     GHSA-aaaa-bbbb-cccc 0.9.5,1.2',
      ),
    );
    // Auditing changes nothing.
    expect((await h.pip('freeze')).stdout).toBe('av-safe==1.0\nav-web==1.0\n');
  });

  test('nothing known: pip-audit\'s words, status 0; what the index does not know is skipped', async () => {
    expect((await h.pip('install', 'av-safe')).code).toBe(0);
    expect(await h.pip('audit')).toEqual({ code: 0, stdout: '', stderr: 'No known vulnerabilities found\n' });
    const local = buildWheel({ name: 'av-local', version: '0.1' });
    h.writeFile(`${h.cwd}/${local.filename}`, local.bytes);
    expect((await h.pip('install', `./${local.filename}`)).code).toBe(0);
    expect(await h.pip('audit')).toEqual({
      code: 0,
      stderr: 'No known vulnerabilities found\n',
      stdout: lines(
        'Name     Skip Reason',
        '-------- ---------------------------------------------------------------------',
        'av-local Dependency not found on PyPI and could not be audited: av-local (0.1)',
      ),
    });
  });

  test('--fix: every vulnerable package to its first fixed version, then a clean audit', async () => {
    expect((await h.pip('install', 'av-web==1.0', 'av-lib==1.0', 'av-safe')).code).toBe(0);
    const dry = await h.pip('audit', '--fix', '--dry-run');
    expect(dry.stdout).toContain('Dry run: would have upgraded av-lib to 1.0.1\nDry run: would have upgraded av-web to 1.3\n');
    expect((await h.pip('freeze')).stdout).toBe('av-lib==1.0\nav-safe==1.0\nav-web==1.0\n');

    const r = await h.pip('audit', '--fix');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Found 3 known vulnerabilities in 2 packages and fixed 3 vulnerabilities in 2 packages\n');
    expect(r.stdout).toContain('Successfully installed av-lib-1.0.1 av-web-1.3\n');
    expect(r.stdout).toContain(
      lines(
        'Name   Version ID                  Fix Versions Applied Fix',
        '------ ------- ------------------- ------------ -------------------------------------------',
        'av-lib 1.0     PYSEC-2024-2        1.0.1        Successfully upgraded av-lib (1.0 => 1.0.1)',
        'av-web 1.0     PYSEC-2024-1        1.1          Successfully upgraded av-web (1.0 => 1.3)',
        'av-web 1.0     GHSA-aaaa-bbbb-cccc 0.9.5,1.2    Successfully upgraded av-web (1.0 => 1.3)',
      ),
    );
    expect((await h.pip('freeze')).stdout).toBe('av-lib==1.0.1\nav-safe==1.0\nav-web==1.3\n');
    expect(h.importVersion('av_web')).toBe('1.3');
    expect(h.importVersion('av_lib')).toBe('1.0.1');
    expect(await h.pip('audit')).toEqual({ code: 0, stdout: '', stderr: 'No known vulnerabilities found\n' });
  });

  test('--fix is all or nothing: one upgrade that cannot install leaves every package as it was', async () => {
    expect((await h.pip('install', 'av-web==1.0', 'av-brittle==1.0')).code).toBe(0);
    const before = await h.snapshot();
    const r = await h.pip('audit', '--fix');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Found 3 known vulnerabilities in 2 packages and fixed 0 vulnerabilities in 0 packages\n');
    expect(r.stdout).toContain('Failed to fix av-web (1.0): pip install failed (see above); nothing was upgraded');
    expect(r.stdout).toContain('Failed to fix av-brittle (1.0): pip install failed (see above); nothing was upgraded');
    expect(await h.snapshot()).toEqual(before);
    expect(h.importVersion('av_web')).toBe('1.0');
  });

  test('--fix with no fixed version: that one is skipped and said so, the others are upgraded', async () => {
    expect((await h.pip('install', 'av-nofix', 'av-lib==1.0')).code).toBe(0);
    const r = await h.pip('audit', '--fix');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Found 2 known vulnerabilities in 2 packages and fixed 1 vulnerability in 1 package\n');
    expect(r.stdout).toContain(
      'av-nofix 1.0     PYSEC-2024-3              Failed to fix av-nofix (1.0): failed to fix dependency av-nofix (1.0), unable to find fix version for vulnerability PYSEC-2024-3\n',
    );
    expect((await h.pip('freeze')).stdout).toBe('av-lib==1.0.1\nav-nofix==1.0\n');
  });

  test('-r audits what a requirements file resolves to, dependencies included, and installs nothing', async () => {
    server.setFaults({});
    h.writeFile(`${h.cwd}/requirements.txt`, 'av-app\n');
    const r = await h.pip('audit', '-r', 'requirements.txt');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('Found 1 known vulnerability in 1 package\n');
    expect(r.stdout).toContain('av-lib 1.0     PYSEC-2024-2 1.0.1');
    expect((await h.pip('freeze')).stdout).toBe('');
    // --ignore-vuln takes an ID (or an alias) out of the report.
    expect(await h.pip('audit', '-r', 'requirements.txt', '--ignore-vuln', 'PYSEC-2024-2')).toEqual({ code: 0, stdout: '', stderr: 'No known vulnerabilities found\n' });
    expect((await h.pip('audit', '-r', 'requirements.txt', '--fix')).stderr).toContain('ERROR: --fix upgrades what is installed');
  });

  test('a vulnerability service that cannot be reached: said, not "No known vulnerabilities found", status 1', async () => {
    expect((await h.pip('install', 'av-safe')).code).toBe(0);
    server.setFaults({ status: { match: /^\/pypi\//, code: 503 } });
    try {
      // --no-cache-dir: an answer cached by an earlier test would be used instead of the network.
      const r = await h.pip('audit', '--no-cache-dir');
      expect(r.code).toBe(1);
      expect(r.stderr).not.toContain('No known vulnerabilities found');
      expect(r.stderr).toMatch(/ERROR: Could not reach the vulnerability service \(http:\/\/127\.0\.0\.1:\d+\/pypi\/\) for 1 of 1 package \(.*503.*\)\. These were not checked/);
      expect(r.stdout).toContain('av-safe Could not reach the vulnerability service: av-safe (1.0) was not audited');
    } finally {
      server.setFaults({});
    }
    // An index without PyPI's JSON API has no vulnerability data at all: nothing is checked, and it says so.
    const none = await h.pip('audit', '--index-url', 'http://127.0.0.1:9/repo/');
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('ERROR: Could not audit: no vulnerability service is configured.');
    expect(none.stderr).not.toContain('No known vulnerabilities found');
  });

  test('--strict fails when a package could not be audited', async () => {
    const local = buildWheel({ name: 'av-local', version: '0.1' });
    h.writeFile(`${h.cwd}/${local.filename}`, local.bytes);
    expect((await h.pip('install', `./${local.filename}`)).code).toBe(0);
    expect((await h.pip('audit')).code).toBe(0);
    const strict = await h.pip('audit', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('ERROR: --strict: some packages could not be audited');
  });
});

