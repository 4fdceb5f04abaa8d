/**
 * twine check's rules over distributions made byte by byte: which metadata twine refuses
 * (InvalidDistribution), which descriptions warn, which must render as reStructuredText, and
 * twine's output. The reStructuredText rendering itself is the real docutils in Pyodide
 * (test/integration/build/workflow.test.ts); here the renderer seam only records what it is
 * asked to render.
 */
import { describe, expect, test } from 'vitest';
import { twineCheck } from '../../../src/build';
import { gzip, makeTar, makeZip } from '../../fixtures/zip';
import { rawZip, zipBombEntries } from '../../integration/hardening/hostile-wheels';

function wheel(metadata: string): Uint8Array {
  return makeZip([
    ['demo/__init__.py', ''],
    ['demo-1.0.dist-info/METADATA', metadata],
    ['demo-1.0.dist-info/WHEEL', 'Wheel-Version: 1.0\n'],
  ]);
}

async function check(files: Record<string, Uint8Array>, args: string[] = Object.keys(files), rendered = true) {
  let stdout = '';
  let stderr = '';
  const asked: string[] = [];
  const code = await twineCheck({
    args,
    readFile: (p) => files[p] ?? null,
    renderRst: async (text) => {
      asked.push(text);
      return { rendered, warnings: 'line 3: Warning: Title underline too short.' };
    },
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { code, stdout, stderr, asked };
}

const MD = 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nDescription-Content-Type: text/markdown\n\n# Demo\n';

describe('twine check', () => {
  test('markdown: PASSED without rendering; wheels first, signatures skipped', async () => {
    const sdist = gzip(makeTar([['demo-1.0/PKG-INFO', MD], ['demo-1.0/setup.py', '']]));
    const r = await check({ 'dist/demo-1.0.tar.gz': sdist, 'dist/demo-1.0-py3-none-any.whl': wheel(MD), 'dist/demo-1.0.tar.gz.asc': new Uint8Array(1) });
    expect(r).toMatchObject({ code: 0, stdout: 'Checking dist/demo-1.0-py3-none-any.whl: PASSED\nChecking dist/demo-1.0.tar.gz: PASSED\n', stderr: '', asked: [] });
  });

  test('no content type: a warning, and the description rendered as reStructuredText', async () => {
    const r = await check({ 'd.whl': wheel('Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n\nDemo\n====\n') }, ['d.whl']);
    expect(r).toMatchObject({ code: 0, stdout: 'Checking d.whl: PASSED with warnings\n', stderr: 'WARNING  `long_description_content_type` missing. defaulting to `text/x-rst`.\n', asked: ['Demo\n====\n'] });
  });

  test('reStructuredText that does not render: FAILED with the report; --strict fails on warnings', async () => {
    const rst = wheel('Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nDescription-Content-Type: text/x-rst\n\nTitle\n===\n');
    const r = await check({ 'd.whl': rst }, ['d.whl'], false);
    expect(r).toMatchObject({ code: 1, stdout: 'Checking d.whl: FAILED\n' });
    expect(r.stderr).toBe('ERROR    `long_description` has syntax errors in markup and would not be rendered on PyPI.\n         line 3: Warning: Title underline too short.\n');
    const empty = await check({ 'e.whl': wheel('Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n') }, ['--strict', 'e.whl']);
    expect(empty).toMatchObject({ code: 1, stdout: 'Checking e.whl: FAILED due to warnings\n' });
    expect(empty.stderr).toContain('WARNING  `long_description` missing.\n');
  });

  test.each([
    ['an unknown field', 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nFrobnicate: yes\n', "InvalidDistribution: Invalid distribution metadata: unrecognized or malformed field 'frobnicate'"],
    ['a field newer than the declared version', 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\nLicense-Expression: MIT\n', "InvalidDistribution: Invalid distribution metadata: 'license_expression' introduced in metadata version 2.4, not 2.1"],
    ['an invalid version', 'Metadata-Version: 2.1\nName: demo\nVersion: one\n', 'InvalidDistribution: Invalid distribution metadata:'],
    ['an unknown metadata version', 'Metadata-Version: 9.9\nName: demo\nVersion: 1.0\n', 'InvalidDistribution: Invalid distribution metadata:'],
    ['Name as a dynamic field', 'Metadata-Version: 2.2\nName: demo\nVersion: 1.0\nDynamic: Name\n', "InvalidDistribution: Invalid distribution metadata: 'Name' is not allowed as a dynamic field"],
  ])('refuses %s (InvalidDistribution, as twine)', async (_what, metadata, message) => {
    const r = await check({ 'd.whl': wheel(metadata) }, ['d.whl']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`ERROR    ${message}`);
  });

  test('sdists: one top-level folder with PKG-INFO; files that are missing or unknown', async () => {
    const two = gzip(makeTar([['a-1.0/PKG-INFO', MD], ['b/x', '']]));
    expect((await check({ 'x.tar.gz': two }, ['x.tar.gz'])).stderr).toBe('ERROR    InvalidDistribution: Too many top-level members in sdist archive: x.tar.gz\n');
    const none = gzip(makeTar([['a-1.0/setup.py', '']]));
    expect((await check({ 'y.tar.gz': none }, ['y.tar.gz'])).stderr).toContain("No PKG-INFO in archive or PKG-INFO missing 'Metadata-Version': y.tar.gz");
    expect((await check({}, ['dist/*'])).stderr).toBe("ERROR    InvalidDistribution: Cannot find file (or expand pattern): 'dist/*'\n");
    expect((await check({ 'x.egg': new Uint8Array(1) }, ['x.egg'])).stderr).toContain("Unknown distribution format: 'x.egg'");
    expect((await check({}, [])).code).toBe(2);
  });

  test('a zip sdist that is a zip bomb: only PKG-INFO is inflated, as twine reads only it', async () => {
    // 11 x 100 MB of zeros in 1 MB: unzipping all of it held 1.1 GB and took seconds.
    const bomb = rawZip([{ path: 'demo-1.0/PKG-INFO', data: new TextEncoder().encode(MD) }, ...zipBombEntries('demo-1.0', 11, 100)]);
    const started = performance.now();
    const r = await check({ 'demo-1.0.zip': bomb }, ['demo-1.0.zip']);
    expect(r).toMatchObject({ code: 0, stdout: 'Checking demo-1.0.zip: PASSED\n' });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('a wheel whose METADATA declares more than 256 MB is refused, not inflated', async () => {
    const huge = rawZip([{ path: 'demo-1.0.dist-info/METADATA', data: new TextEncoder().encode(MD), declaredSize: 0x7fff_ffff }]);
    const r = await check({ 'demo-1.0-py3-none-any.whl': huge }, ['demo-1.0-py3-none-any.whl']);
    expect(r.stderr).toBe("ERROR    InvalidDistribution: Invalid distribution file: 'demo-1.0-py3-none-any.whl'\n");
  });
});
