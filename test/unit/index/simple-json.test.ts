import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { parseSimpleJson } from '../../../src/index/simple-json';
import { parsePage } from '../../../src/index/simple-client';
import { IndexError } from '../../../src/index/index-error';

const context = {
  url: 'https://pypi.org/simple/requests/',
  index: 'https://pypi.org/simple/',
  name: normalizeName('requests'),
};

// Abridged from https://pypi.org/simple/requests/ with Accept: application/vnd.pypi.simple.v1+json.
const PYPI_JSON = {
  meta: { 'api-version': '1.1', '_last-serial': 24167851 },
  name: 'requests',
  versions: ['2.31.0', '2.32.0', '2.32.3'],
  files: [
    {
      filename: 'requests-2.31.0-py3-none-any.whl',
      url: 'https://files.pythonhosted.org/packages/70/8e/0e2d847013cb52cd35b38c009bb167a1a26b2ce6cd6965bf26b47bc0bf44/requests-2.31.0-py3-none-any.whl',
      hashes: { sha256: '58CD2187C01E70E6E26505BCA751777AA9F2EE0B7F4300988B709F44E013003F' },
      'requires-python': '>=3.7',
      'core-metadata': { sha256: '942a04d0c5a70e2a7e3f8b3ba6f0b5b96e3e0bcd5f1bed6b9cbc1b4e2ad64ac5' },
      'data-dist-info-metadata': { sha256: '942a04d0c5a70e2a7e3f8b3ba6f0b5b96e3e0bcd5f1bed6b9cbc1b4e2ad64ac5' },
      'dist-info-metadata': { sha256: '942a04d0c5a70e2a7e3f8b3ba6f0b5b96e3e0bcd5f1bed6b9cbc1b4e2ad64ac5' },
      'upload-time': '2023-05-22T15:12:42.313790Z',
      size: 62574,
      yanked: false,
    },
    {
      filename: 'requests-2.32.0-py3-none-any.whl',
      url: '../../packages/aa/requests-2.32.0-py3-none-any.whl',
      hashes: { sha256: 'f2c3881dddb70d056c5bd7600a4fae312b2a300e39be6a118d30b90bd27262b5' },
      'requires-python': '>=3.8',
      'core-metadata': false,
      'dist-info-metadata': { sha256: '00' },
      size: 64928,
      'upload-time': '2024-05-20T15:57:10.000000Z',
      yanked: 'Yanked due to conflicts with CVE-2024-35195 mitigation',
    },
    {
      filename: 'requests-2.32.3.tar.gz',
      url: '/packages/bb/requests-2.32.3.tar.gz#md5=0123456789abcdef0123456789abcdef',
      hashes: {},
      'requires-python': null,
      yanked: true,
    },
  ],
};

describe('parseSimpleJson', () => {
  it('reads a PyPI PEP 691 page', () => {
    const page = parseSimpleJson(JSON.stringify(PYPI_JSON), context);
    expect(page.name).toBe('requests');
    expect(page.apiVersion).toBe('1.1');
    expect(page.versions).toEqual(['2.31.0', '2.32.0', '2.32.3']);
    expect(page.warnings).toEqual([]);
    const [a, b, c] = page.files;
    expect(a).toEqual({
      filename: 'requests-2.31.0-py3-none-any.whl',
      url: PYPI_JSON.files[0]!.url,
      hashes: { sha256: '58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f' },
      size: 62574,
      requiresPython: '>=3.7',
      yanked: false,
      uploadTime: '2023-05-22T15:12:42.313790Z',
      coreMetadata: { hashes: { sha256: '942a04d0c5a70e2a7e3f8b3ba6f0b5b96e3e0bcd5f1bed6b9cbc1b4e2ad64ac5' } },
      index: 'https://pypi.org/simple/',
      origin: 'index',
    });
    // Relative URLs resolve against the page URL.
    expect(b?.url).toBe('https://pypi.org/packages/aa/requests-2.32.0-py3-none-any.whl');
    // `core-metadata: false` is an answer: the older key is not consulted (PEP 714).
    expect(b?.coreMetadata).toBe(false);
    expect(b?.yanked).toBe('Yanked due to conflicts with CVE-2024-35195 mitigation');
    expect(c?.url).toBe('https://pypi.org/packages/bb/requests-2.32.3.tar.gz');
    expect(c?.hashes).toEqual({ md5: '0123456789abcdef0123456789abcdef' });
    expect(c?.yanked).toBe('');
    expect(c?.requiresPython).toBeNull();
    expect(c?.size).toBeNull();
    expect(c?.uploadTime).toBeNull();
  });

  it('falls back to dist-info-metadata when core-metadata is absent, and accepts true', () => {
    const page = parseSimpleJson(
      JSON.stringify({
        meta: { 'api-version': '1.0' },
        name: 'Requests',
        files: [
          { filename: 'requests-1-py3-none-any.whl', url: 'a', hashes: {}, 'dist-info-metadata': { sha256: 'AB' } },
          { filename: 'requests-2-py3-none-any.whl', url: 'b', hashes: {}, 'core-metadata': true },
        ],
      }),
      context,
    );
    expect(page.files.map((f) => f.coreMetadata)).toEqual([{ hashes: { sha256: 'ab' } }, { hashes: {} }]);
    expect(page.versions).toBeNull();
  });

  const invalid: [string, unknown, string][] = [
    ['not JSON', '{"meta": ', 'not valid JSON'],
    ['not an object', '[]', 'not a JSON object'],
    ['no meta', { name: 'requests', files: [] }, '"meta"'],
    ['no api-version', { meta: {}, name: 'requests', files: [] }, 'api-version'],
    ['another project', { meta: { 'api-version': '1.0' }, name: 'urllib3', files: [] }, 'not the "requests"'],
    ['files not array', { meta: { 'api-version': '1.0' }, name: 'requests', files: {} }, '"files"'],
    ['file without url', { meta: { 'api-version': '1.0' }, name: 'requests', files: [{ filename: 'x', hashes: {} }] }, 'files[0].url'],
    ['file without hashes', { meta: { 'api-version': '1.0' }, name: 'requests', files: [{ filename: 'x', url: 'x' }] }, 'files[0].hashes'],
    ['major version 2', { meta: { 'api-version': '2.0' }, name: 'requests', files: [] }, 'version 2.0'],
    ['bad versions', { meta: { 'api-version': '1.1' }, name: 'requests', files: [], versions: [1] }, '"versions"'],
  ];
  for (const [label, body, fragment] of invalid) {
    it(`rejects a page with ${label} as invalid-response`, () => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      let caught: unknown;
      try {
        parseSimpleJson(text, context);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(IndexError);
      expect((caught as IndexError).code).toBe('invalid-response');
      expect((caught as IndexError).message).toContain(fragment);
      expect((caught as IndexError).url).toBe(context.url);
      expect((caught as IndexError).host).toBe('pypi.org');
    });
  }

  it('reads each file as pip does: name from the URL, yanked by truthiness, non-http links skipped, odd digests kept', () => {
    const sha = 'ab'.repeat(32);
    const f = (name: string, more: Record<string, unknown>) => ({ filename: name, url: `/f/${name}`, hashes: { sha256: sha }, ...more });
    const page = parseSimpleJson(
      JSON.stringify({
        meta: { 'api-version': '1.0' },
        name: 'requests',
        files: [
          f('requests-9.0-py3-none-any.whl', { url: '/f/requests-1.0-py3-none-any.whl' }),
          f('requests-1.1-py3-none-any.whl', { yanked: '' }),
          f('requests-1.2-py3-none-any.whl', { yanked: 1 }),
          f('requests-1.3-py3-none-any.whl', { yanked: [] }),
          f('requests-1.4-py3-none-any.whl', { url: 'file:///home/pyodide/requests-1.4-py3-none-any.whl' }),
          f('requests-1.5-py3-none-any.whl', { url: 'javascript:requests-1.5-py3-none-any.whl' }),
          f('requests-1.6-py3-none-any.whl', { hashes: { md5: 'XYZ', sha256: null, sha1: 12 } }),
        ],
      }),
      context,
    );
    expect(page.files.map((x) => [x.filename, x.yanked])).toEqual([
      ['requests-1.0-py3-none-any.whl', false],
      ['requests-1.1-py3-none-any.whl', false],
      ['requests-1.2-py3-none-any.whl', ''],
      ['requests-1.3-py3-none-any.whl', false],
      ['requests-1.6-py3-none-any.whl', false],
    ]);
    // pip checks the first digest, whatever it looks like: kept, so the download fails its check.
    expect(page.files[4]?.hashes).toEqual({ md5: 'xyz', sha1: '12' });
  });

  it('warns about a newer minor API version', () => {
    const page = parseSimpleJson(JSON.stringify({ ...PYPI_JSON, meta: { 'api-version': '1.9' } }), context);
    expect(page.warnings[0]).toContain('1.9');
  });
});

describe('parsePage', () => {
  const json = new TextEncoder().encode(JSON.stringify(PYPI_JSON));
  const html = new TextEncoder().encode('<a href="x/requests-1.0.tar.gz">requests-1.0.tar.gz</a>');

  it('chooses the parser from the Content-Type', () => {
    expect(parsePage(json, 'application/vnd.pypi.simple.v1+json', context).files).toHaveLength(3);
    expect(parsePage(html, 'application/vnd.pypi.simple.v1+html', context).files).toHaveLength(1);
    expect(parsePage(html, 'text/html; charset=utf-8', context).files).toHaveLength(1);
  });

  it('refuses a missing or generic type, as pip skips such a page (no sniffing)', () => {
    expect(() => parsePage(json, null, context)).toThrow(/no Content-Type/);
    expect(() => parsePage(html, 'application/octet-stream', context)).toThrow(/pip skips any other/);
    expect(() => parsePage(json, 'application/json', context)).toThrow(/pip skips any other/);
    expect(() => parsePage(json, 'application/vnd.pypi.simple.latest+json', context)).toThrow(/pip skips any other/);
  });

  it('reads the body by the type alone: JSON sent as text/html is an HTML page without links', () => {
    expect(parsePage(json, 'text/html; charset=utf-8', context).files).toEqual([]);
  });

  it('refuses other types and non-UTF-8 bodies', () => {
    expect(() => parsePage(json, 'image/png', context)).toThrow(/"image\/png"/);
    expect(() => parsePage(new Uint8Array([0xff, 0xfe, 0x00]), 'text/html', context)).toThrow(/not UTF-8/);
  });
});
