import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { decodeEntities } from '../../../src/index/html-entities';
import { parseSimpleHtml, tokenizeHtml } from '../../../src/index/simple-html';
import { IndexError } from '../../../src/index/index-error';
import { parseSimpleJson } from '../../../src/index/simple-json';

const context = {
  url: 'https://pypi.org/simple/jinja2/',
  index: 'https://pypi.org/simple/',
  name: normalizeName('Jinja2'),
};

// The shape pypi.org serves (abridged): doctype, repository-version meta, relative links with a
// hash fragment, entity-encoded requires-python, PEP 714 + PEP 658 attributes, a yank.
const PYPI_PAGE = `<!DOCTYPE html>
<html>
  <head>
    <meta name="pypi:repository-version" content="1.1">
    <title>Links for jinja2</title>
  </head>
  <body>
    <h1>Links for jinja2</h1>
    <a href="../../packages/7a/ff/75c28576a1d900e87eb6335b063fab47a8ef3c8b4d88524c4bf78f670cce/Jinja2-2.7.tar.gz#sha256=2e24ac5d004db832c6eb8f8a2f1d6e8e3e0b5a8a1e1a3bd2d3a1e9e4d8a8b1c2" >Jinja2-2.7.tar.gz</a><br />
    <a href="../../packages/31/80/3a54838c3fb461f6fec263ebf3a3a41771bd05190238de3486aae8540c36/jinja2-3.1.4-py3-none-any.whl#sha256=BC5DCD2D1A65D9E4E0C0A1EDF57C3AC6DF6A84B2E3E2B2BEB3F6B8C2E2A1F0D4" data-requires-python="&gt;=3.7" data-dist-info-metadata="sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" data-core-metadata="sha256=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210">jinja2-3.1.4-py3-none-any.whl</a><br />
    <a href="../../packages/aa/bb/jinja2-3.1.3-py3-none-any.whl#sha256=aaaa" data-requires-python="&gt;=3.7,&lt;4" data-yanked="Broken &quot;sandbox&quot; &amp; more">jinja2-3.1.3-py3-none-any.whl</a><br />
  </body>
</html>
<!--SERIAL 24168016-->
`;

describe('parseSimpleHtml', () => {
  it('never gives a file name holding a path: a name decoded twice into x/../evil is no file (HTML and JSON)', () => {
    const hrefs = ['x%252F..%252F..%252Fevil-1.0.tar.gz', 'x%255C..%255Cevil-1.0.tar.gz', '%252E%252E', 'evil%2500-1.0.tar.gz', 'good-1.0.tar.gz'];
    const html = `<!DOCTYPE html><html><body>${hrefs.map((h) => `<a href="https://files.example/p/${h}">f</a>`).join('')}</body></html>`;
    expect(parseSimpleHtml(html, context).files.map((f) => f.filename)).toEqual(['good-1.0.tar.gz']);
    const json = JSON.stringify({ meta: { 'api-version': '1.1' }, name: 'jinja2', files: hrefs.map((h) => ({ filename: 'f', url: `https://files.example/p/${h}`, hashes: {} })) });
    expect(parseSimpleJson(json, context).files.map((f) => f.filename)).toEqual(['good-1.0.tar.gz']);
  });

  it('reads a pypi.org-style page: files, hashes, requires-python, metadata, yanks', () => {
    const page = parseSimpleHtml(PYPI_PAGE, context);
    expect(page.apiVersion).toBe('1.1');
    expect(page.warnings).toEqual([]);
    expect(page.versions).toBeNull();
    expect(page.name).toBe('jinja2');
    expect(page.index).toBe('https://pypi.org/simple/');
    expect(page.files.map((f) => f.filename)).toEqual([
      'Jinja2-2.7.tar.gz',
      'jinja2-3.1.4-py3-none-any.whl',
      'jinja2-3.1.3-py3-none-any.whl',
    ]);
    const [sdist, wheel, yanked] = page.files;
    expect(sdist?.url).toBe(
      'https://pypi.org/packages/7a/ff/75c28576a1d900e87eb6335b063fab47a8ef3c8b4d88524c4bf78f670cce/Jinja2-2.7.tar.gz',
    );
    expect(sdist?.hashes).toEqual({ sha256: '2e24ac5d004db832c6eb8f8a2f1d6e8e3e0b5a8a1e1a3bd2d3a1e9e4d8a8b1c2' });
    expect(sdist?.requiresPython).toBeNull();
    expect(sdist?.coreMetadata).toBe(false);
    expect(sdist?.yanked).toBe(false);
    // The hash fragment is removed from the URL and lower-cased.
    expect(wheel?.url).toBe(
      'https://pypi.org/packages/31/80/3a54838c3fb461f6fec263ebf3a3a41771bd05190238de3486aae8540c36/jinja2-3.1.4-py3-none-any.whl',
    );
    expect(wheel?.hashes['sha256']).toBe('bc5dcd2d1a65d9e4e0c0a1edf57c3ac6df6a84b2e3e2b2beb3f6b8c2e2a1f0d4');
    expect(wheel?.requiresPython).toBe('>=3.7');
    // PEP 714: data-core-metadata wins over data-dist-info-metadata.
    expect(wheel?.coreMetadata).toEqual({
      hashes: { sha256: 'fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210' },
    });
    expect(wheel?.origin).toBe('index');
    expect(wheel?.index).toBe('https://pypi.org/simple/');
    expect(wheel?.size).toBeNull();
    expect(wheel?.uploadTime).toBeNull();
    expect(yanked?.requiresPython).toBe('>=3.7,<4');
    expect(yanked?.yanked).toBe('Broken "sandbox" & more');
  });

  it('falls back to data-dist-info-metadata (PEP 658) when data-core-metadata is absent', () => {
    const html = `<a href="f/a-1.0-py3-none-any.whl" data-dist-info-metadata="true">a-1.0-py3-none-any.whl</a>
      <a href="f/a-1.1-py3-none-any.whl" data-dist-info-metadata="sha256=ABCDEF">a-1.1-py3-none-any.whl</a>
      <a href="f/a-1.2-py3-none-any.whl" data-core-metadata="false">a-1.2-py3-none-any.whl</a>`;
    const page = parseSimpleHtml(html, { ...context, url: 'https://example.org/simple/a/', name: normalizeName('a') });
    expect(page.files.map((f) => f.coreMetadata)).toEqual([{ hashes: {} }, { hashes: { sha256: 'abcdef' } }, false]);
    expect(page.files[0]?.url).toBe('https://example.org/simple/a/f/a-1.0-py3-none-any.whl');
  });

  it('resolves links against <base href>, the first one only', () => {
    const html = `<html><head><base href="https://files.example.org/root/"><base href="https://evil.example/"></head>
      <body><a href="a-1.0-py3-none-any.whl">x</a><a href="/abs/a-2.0-py3-none-any.whl">y</a>
      <a href="https://other.example/a-3.0-py3-none-any.whl">z</a></body></html>`;
    const page = parseSimpleHtml(html, { ...context, name: normalizeName('a') });
    expect(page.files.map((f) => f.url)).toEqual([
      'https://files.example.org/root/a-1.0-py3-none-any.whl',
      'https://files.example.org/abs/a-2.0-py3-none-any.whl',
      'https://other.example/a-3.0-py3-none-any.whl',
    ]);
  });

  it('handles unquoted, single-quoted, upper-case and duplicate attributes as pip does', () => {
    const html = `<A HREF=../f/a-1.0-py3-none-any.whl#sha256=00ff DATA-REQUIRES-PYTHON='&gt;=3.8'>a</A>
      <a data-yanked href='../f/a-0.9-py3-none-any.whl'>a-0.9</a>
      <a href='../f/a-0.8-py3-none-any.whl' data-yanked="">a-0.8</a>
      <a href="../f/a-0.1-py3-none-any.whl" href="../f/a-0.7-py3-none-any.whl">a-0.1</a>`;
    const page = parseSimpleHtml(html, { ...context, url: 'https://x.org/simple/a/', name: normalizeName('a') });
    expect(page.files).toHaveLength(4);
    expect(page.files[0]?.url).toBe('https://x.org/simple/f/a-1.0-py3-none-any.whl');
    expect(page.files[0]?.hashes).toEqual({ sha256: '00ff' });
    expect(page.files[0]?.requiresPython).toBe('>=3.8');
    // pip's parser gives a valueless attribute as None: a bare data-yanked is no yank ...
    expect(page.files[1]?.yanked).toBe(false);
    // ... and data-yanked="" a yank without a reason.
    expect(page.files[2]?.yanked).toBe('');
    // pip reads an anchor as dict(attrs): of two hrefs, the last.
    expect(page.files[3]?.filename).toBe('a-0.7-py3-none-any.whl');
  });

  it('decodes entities in attributes as Python does, before = too', () => {
    const html = `<a href="/f/a-1.0-py3-none-any.whl" data-requires-python="&gt=3.99">a</a><a href="/f/a-2.0-py3-none-any.whl" data-requires-python="&GT;=3.99">a</a>`;
    const page = parseSimpleHtml(html, { ...context, name: normalizeName('a') });
    expect(page.files.map((f) => f.requiresPython)).toEqual(['>=3.99', '>=3.99']);
  });

  it('skips links that are not http(s), and reads hashes as pip does', () => {
    const sha = 'ab'.repeat(32);
    const html = [
      '<a href="file:///home/pyodide/a-9.0-py3-none-any.whl">a</a>',
      '<a href="javascript:a-9.0-py3-none-any.whl">a</a>',
      '<a href="data:text/plain,x/a-9.0-py3-none-any.whl">a</a>',
      `<a href="/f/a-1.0-py3-none-any.whl#md5=00&sha256=${sha}">a</a>`,
      `<a href="/f/a-1.1-py3-none-any.whl#sha256=${sha}#sha256=00">a</a>`,
      `<a href="/f/a-1.2-py3-none-any.whl?x=1&amp;sha256=${sha.toUpperCase()}">a</a>`,
    ].join('');
    const page = parseSimpleHtml(html, { ...context, name: normalizeName('a') });
    expect(page.files.map((f) => [f.filename, f.hashes])).toEqual([
      ['a-1.0-py3-none-any.whl', { md5: '00' }],
      ['a-1.1-py3-none-any.whl', { sha256: `${sha}#sha256=00` }],
      ['a-1.2-py3-none-any.whl', { sha256: sha }],
    ]);
    expect(page.files[2]?.url).toBe(`https://pypi.org/f/a-1.2-py3-none-any.whl?x=1&sha256=${sha.toUpperCase()}`);
  });

  it('takes the file name from the URL path, percent-decoded, as pip does', () => {
    const html = `<a href="/f/a%2Bb-1.0-py3-none-any.whl">display text</a><a href="/dir/">never-the-text.whl</a>`;
    const page = parseSimpleHtml(html, { ...context, name: normalizeName('a') });
    // Link.filename: trailing slashes stripped, the anchor text never read.
    expect(page.files.map((f) => f.filename)).toEqual(['a+b-1.0-py3-none-any.whl', 'dir']);
  });

  it('skips anchors without a usable href and ignores markup in comments, scripts and styles', () => {
    const html = `<!-- <a href="commented-1.0.tar.gz">no</a> -->
      <script>var s = '<a href="script-1.0.tar.gz">no</a>';</script>
      <style>a::after { content: "<a href='style-1.0.tar.gz'>" }</style>
      <a name="anchor-only">no href</a>
      <a href="">empty</a>
      <a href="http://[bad">bad url</a>
      <a href="ok-1.0.tar.gz">ok-1.0.tar.gz</a>`;
    const page = parseSimpleHtml(html, { ...context, name: normalizeName('ok') });
    expect(page.files.map((f) => f.filename)).toEqual(['ok-1.0.tar.gz']);
  });

  it('refuses a newer major repository version and warns on a newer minor (PEP 629)', () => {
    expect(() =>
      parseSimpleHtml('<meta name="pypi:repository-version" content="2.0"><a href="a-1.0.tar.gz">a</a>', context),
    ).toThrow(IndexError);
    try {
      parseSimpleHtml('<meta name="pypi:repository-version" content="2.0">', context);
    } catch (error) {
      expect((error as IndexError).code).toBe('invalid-response');
      expect((error as IndexError).message).toContain('version 2.0 of the simple repository API');
    }
    const page = parseSimpleHtml('<meta name="pypi:repository-version" content="1.99">', context);
    expect(page.warnings).toHaveLength(1);
    expect(page.warnings[0]).toContain('1.99');
  });

  it('reads an unterminated page without throwing', () => {
    const page = parseSimpleHtml('<a href="a-1.0.tar.gz">a-1.0.tar.gz', { ...context, name: normalizeName('a') });
    expect(page.files.map((f) => f.filename)).toEqual(['a-1.0.tar.gz']);
    expect(parseSimpleHtml('<a href="a', context).files).toEqual([]);
  });
});

describe('tokenizeHtml', () => {
  it('yields start tags, end tags and decoded text', () => {
    const tokens = [...tokenizeHtml('<p class=x>a &amp; b</p><br/>')];
    expect(tokens).toEqual([
      { type: 'start', name: 'p', attributes: new Map([['class', 'x']]), attributeList: [['class', 'x']] },
      { type: 'text', text: 'a & b' },
      { type: 'end', name: 'p' },
      { type: 'start', name: 'br', attributes: new Map(), attributeList: [] },
    ]);
  });

  it('treats a stray < as text', () => {
    expect([...tokenizeHtml('1 < 2')]).toEqual([
      { type: 'text', text: '1 ' },
      { type: 'text', text: '<' },
      { type: 'text', text: ' 2' },
    ]);
  });
});

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('&gt;=3.8, &lt;4 &amp; &quot;x&quot; &#39;y&#x27; &apos;')).toBe(`>=3.8, <4 & "x" 'y' '`);
    expect(decodeEntities('&#x1F40D; &#128013;')).toBe('\u{1F40D} \u{1F40D}');
  });

  it('maps invalid and C1 numeric references as HTML does', () => {
    expect(decodeEntities('&#0;&#xD800;&#x110000;')).toBe('\ufffd\ufffd\ufffd');
    expect(decodeEntities('&#x80;&#150;')).toBe('\u20ac\u2013');
  });

  it('decodes legacy references without ; in text but not before = or alphanumerics in attributes', () => {
    expect(decodeEntities('a &amp b &lt3')).toBe('a & b <3');
    // As Python's html.unescape (pip), not as a browser: legacy names decode before `=` too.
    expect(decodeEntities('?a=1&copy=2&amp;b')).toBe('?a=1\u00a9=2&b');
    expect(decodeEntities('&gt=3.99, &GT;=1, &LT3')).toBe('>=3.99, >=1, <3');
  });

  it('leaves unknown references alone', () => {
    expect(decodeEntities('&bogus; & &;')).toBe('&bogus; & &;');
  });
});
