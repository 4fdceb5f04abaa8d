/**
 * Which file gets installed, Pipette against real pip 24.2, on hand-written index pages that are
 * odd or hostile (test/fixtures/choice-index.ts): wrong-project and misspelled file names, build
 * tags, local versions, PEP 592 yanks in HTML and JSON, data-requires-python with entities or
 * nonsense, hash fragments that disagree, links to other hosts and to file:/javascript:/data:,
 * <base href>, one version on two indexes, pages with the wrong Content-Type, redirects.
 *
 * For every case pip runs once (`install --dry-run --report`, nothing configured) and Pipette
 * resolves over the same pages and fetches the chosen file as its installer does; the two must
 * name the same file: project, version and URL (the URL says which index and host), or both
 * refuse. Where Pipette deliberately differs from pip, the case says so in `deviation`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChoiceIndex, html, json, pool, type Choice, type ChoiceCase, type PageContext } from '../../fixtures/choice-index';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { Version } from '../../../src/pep';
import { readFileSync } from 'node:fs';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';

const alpha = (version: string, more: Partial<WheelSpec> = {}): WheelSpec => ({ name: 'alpha', version, ...more });
/** `<a href="{base}/files/{file}#sha256=..." {attrs}>{file}</a>` */
const a = (c: PageContext, file: string, attrs = '', fragment: string | null = `sha256=${c.sha(file)}`): string =>
  `<a href="${c.base}/files/${file}${fragment === null ? '' : `#${fragment}`}" ${attrs}>${file}</a>`;
/** A PEP 691 file entry for `file`. */
const j = (c: PageContext, file: string, more: Record<string, unknown> = {}): Record<string, unknown> => ({
  filename: file,
  url: `${c.base}/files/${file}`,
  hashes: { sha256: c.sha(file) },
  ...more,
});
const A10 = 'alpha-1.0-py3-none-any.whl';
const A20 = 'alpha-2.0-py3-none-any.whl';
const NOT_HTTP =
  'pip takes a non-HTTP link from an HTTP index as a candidate and then tries to open it (a local file, if it exists); Pipette never fetches what is not http(s) from an http(s) page, so a page cannot make it read the playground\'s own files';
const STRICT = 'pip reads a PEP 691 page without "meta" or naming another project; Pipette refuses a page that breaks the schema (simple-json.ts)';
const two = { [A10]: alpha('1.0'), [A20]: alpha('2.0') };

export const CASES: ChoiceCase[] = [
  // --- file names ---
  { name: 'wrong-project', req: 'alpha', files: { 'beta-9.0-py3-none-any.whl': { name: 'beta', version: '9.0' }, [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'beta-9.0-py3-none-any.whl')) } } },
  { name: 'upper-case-name', req: 'alpha', files: { 'Alpha-2.0-py3-none-any.whl': alpha('2.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'Alpha-2.0-py3-none-any.whl')) } } },
  { name: 'dotted-name', req: 'alpha.pkg', files: { 'alpha.pkg-2.0-py3-none-any.whl': { name: 'alpha.pkg', version: '2.0' }, 'alpha_pkg-1.0-py3-none-any.whl': { name: 'alpha_pkg', version: '1.0' } },
    pages: { 'simple/alpha-pkg/': { body: (c) => html(a(c, 'alpha_pkg-1.0-py3-none-any.whl'), a(c, 'alpha.pkg-2.0-py3-none-any.whl')) } } },
  { name: 'name-underscore-version', req: 'alpha', files: { 'alpha_9.0-py3-none-any.whl': alpha('9.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha_9.0-py3-none-any.whl')) } } },
  { name: 'local-version', req: 'alpha==1.0', files: { 'alpha-1.0+evil-py3-none-any.whl': alpha('1.0+evil'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-1.0+evil-py3-none-any.whl')) } } },
  { name: 'non-pep440-version', req: 'alpha', files: { 'alpha-latest-py3-none-any.whl': alpha('1.0', { summary: 'latest' }), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-latest-py3-none-any.whl')) } } },
  { name: 'build-tags', req: 'alpha', files: { 'alpha-1.0-1-py3-none-any.whl': alpha('1.0', { build: '1' }), 'alpha-1.0-10-py3-none-any.whl': alpha('1.0', { build: '10' }), 'alpha-1.0-2b-py3-none-any.whl': alpha('1.0', { build: '2b' }), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-1.0-1-py3-none-any.whl'), a(c, 'alpha-1.0-10-py3-none-any.whl'), a(c, A10), a(c, 'alpha-1.0-2b-py3-none-any.whl')) } } },
  { name: 'build-tag-vs-better-tag', req: 'alpha', files: { 'alpha-1.0-9-py3-none-any.whl': alpha('1.0', { build: '9' }), 'alpha-1.0-py313-none-any.whl': alpha('1.0', { tags: 'py313-none-any' }) },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-1.0-py313-none-any.whl'), a(c, 'alpha-1.0-9-py3-none-any.whl')) } } },
  { name: 'equal-files-on-one-page', req: 'alpha', files: { [`x/${A10}`]: alpha('1.0', { summary: 'x' }), [`y/${A10}`]: alpha('1.0', { summary: 'y' }), [`z/${A10}`]: alpha('1.0', { summary: 'z' }) },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, `y/${A10}`), a(c, `x/${A10}`), a(c, `z/${A10}`)) } } },
  { name: 'same-version-spellings', req: 'alpha', files: { 'alpha-1.0.0-py3-none-any.whl': alpha('1.0.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-1.0.0-py3-none-any.whl'), a(c, A10)) } } },
  { name: 'url-ending-in-slash', req: 'alpha', files: { [A10]: alpha('1.0'), [`${A20}/`]: alpha('2.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/${A20}/">${A20}</a>`) } } },
  { name: 'v-prefixed-version', req: 'alpha', files: { 'alpha-v2.0-py3-none-any.whl': alpha('2.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-v2.0-py3-none-any.whl')) } } },
  { name: 'epoch', req: 'alpha', files: { 'alpha-1!0.5-py3-none-any.whl': alpha('1!0.5'), [A20]: alpha('2.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A20), a(c, 'alpha-1!0.5-py3-none-any.whl')) } } },
  { name: 'pre-release-beside-final', req: 'alpha', files: { 'alpha-3.0rc1-py3-none-any.whl': alpha('3.0rc1'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-3.0rc1-py3-none-any.whl')) } } },
  { name: 'pre-release-only', req: 'alpha', files: { 'alpha-3.0rc1-py3-none-any.whl': alpha('3.0rc1'), 'alpha-3.0b1-py3-none-any.whl': alpha('3.0b1') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-3.0rc1-py3-none-any.whl'), a(c, 'alpha-3.0b1-py3-none-any.whl')) } } },
  { name: 'build-tag-not-a-number', req: 'alpha', files: { 'alpha-2.0-x1-py3-none-any.whl': alpha('2.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-2.0-x1-py3-none-any.whl')) } } },
  { name: 'upper-case-extension', req: 'alpha', files: { 'alpha-2.0-py3-none-any.WHL': alpha('2.0'), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, 'alpha-2.0-py3-none-any.WHL')) } } },
  { name: 'encoded-slash-in-name', req: 'alpha', files: { [A10]: alpha('1.0'), [`evil/${A20}`]: alpha('2.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/evil%2F${A20}">${A20}</a>`) } } },
  { name: 'href-trailing-space', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/${A20} ">${A20}</a>`) } } },
  { name: 'json-url-trailing-space', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { url: `${c.base}/files/${A20} ` })]) } } },
  { name: 'fragment-trailing-space', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/${A20}#sha256=${c.sha(A20)} ">${A20}</a>`) } } },
  { name: 'href-leading-space', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="  ${c.base}/files/${A20}">${A20}</a>`) } } },
  { name: 'href-with-newline', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/alpha-2.0-py3-\nnone-any.whl">${A20}</a>`) } } },
  { name: 'href-with-tab-entity', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/alpha-2.0-py3-&Tab;none-any.whl">${A20}</a>`) } } },
  { name: 'href-fragment-only-name', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/#${A20}">${A20}</a>`) } } },
  { name: 'duplicate-href', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(`<a href="${c.base}/files/${A10}" href="${c.base}/files/${A20}">x</a>`) } } },

  // --- yanked ---
  { name: 'yanked-only-unpinned', req: 'alpha', files: { [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked=""')) } } },
  { name: 'yanked-only-pinned', req: 'alpha==1.0', files: { [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked="broken"')) } } },
  { name: 'yanked-pinned-triple', req: 'alpha===1.0', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked="broken"'), a(c, A20)) } } },
  { name: 'yanked-newest-reason', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-yanked="do not use"')) } } },
  { name: 'yanked-bare-attribute', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-yanked')) } } },
  { name: 'yanked-range-pin', req: 'alpha>=1.0,<2', files: { [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked="x"')) } } },
  { name: 'yanked-and-not-same-version', req: 'alpha==1.0', files: { 'alpha-1.0-1-py3-none-any.whl': alpha('1.0', { build: '1' }), 'alpha-1.0-2-py3-none-any.whl': alpha('1.0', { build: '2' }) },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-1.0-1-py3-none-any.whl'), a(c, 'alpha-1.0-2-py3-none-any.whl', 'data-yanked="bad build"')) } } },
  { name: 'yanked-pin-with-local-version', req: 'alpha==1.0', files: { [A10]: alpha('1.0'), 'alpha-1.0+local-py3-none-any.whl': alpha('1.0+local') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked="x"'), a(c, 'alpha-1.0+local-py3-none-any.whl')) } } },
  { name: 'yanked-wildcard-pin', req: 'alpha==1.0.*', files: { [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10, 'data-yanked="x"')) } } },
  { name: 'yanked-on-main-not-on-extra', req: 'alpha', extra: true, files: { [`main/${A20}`]: alpha('2.0', { summary: 'main' }), [`extra/${A20}`]: alpha('2.0', { summary: 'extra' }), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, `extra/${A20}`)) }, 'extra/alpha/': { body: (c) => html(a(c, `main/${A20}`, 'data-yanked="x"')) } } },
  { name: 'json-yanked-true', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: true })]) } } },
  { name: 'json-yanked-reason', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: 'reason' })]) } } },
  { name: 'json-yanked-empty-string', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: '' })]) } } },
  { name: 'json-yanked-number', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: 1 })]) } } },
  { name: 'json-yanked-false', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: false })]) } } },
  { name: 'json-yanked-pinned', req: 'alpha==2.0', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { yanked: 'x' })]) } } },

  // --- requires-python ---
  { name: 'requires-python-entity', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-requires-python="&gt;=3.99"')) } } },
  { name: 'requires-python-entity-no-semicolon', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-requires-python="&gt=3.99"')) } } },
  { name: 'requires-python-entity-upper-case', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-requires-python="&GT;=3.99"')) } } },
  { name: 'requires-python-lt', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-requires-python="&lt;3"')) } } },
  { name: 'requires-python-malformed', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, 'data-requires-python=">=3.x"')) } } },
  { name: 'requires-python-json', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { 'requires-python': '>=3.99' })]) } } },
  { name: 'requires-python-json-malformed', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { 'requires-python': 'python3' })]) } } },

  // --- hashes ---
  { name: 'sha256-short', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', 'sha256=abc')) } } },
  { name: 'hash-in-query', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.base}/files/${A20}?x=1&amp;sha256=${'0'.repeat(64)}">${A20}</a>`) } } },
  { name: 'sha256-upper-case', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `sha256=${c.sha(A20).toUpperCase()}`)) } } },
  { name: 'md5-wrong', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `md5=${'0'.repeat(32)}`)) } } },
  { name: 'two-fragments-bad-first', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `sha256=${'0'.repeat(64)}&sha256=${c.sha(A20)}`)) } } },
  { name: 'two-fragments-good-first', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `sha256=${c.sha(A20)}#sha256=${'0'.repeat(64)}`)) } } },
  { name: 'fragment-sha256-and-bad-md5', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `md5=${'0'.repeat(32)}&sha256=${c.sha(A20)}`)) } } },
  { name: 'json-fragment-disagrees', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { url: `${c.base}/files/${A20}#sha256=${'0'.repeat(64)}` })]) } } },
  { name: 'json-hashes-disagree', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { url: `${c.base}/files/${A20}#sha256=${c.sha(A20)}`, hashes: { sha256: '0'.repeat(64) } })]) } } },
  { name: 'json-hashes-bad-first', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { hashes: { md5: '0'.repeat(32), sha256: c.sha(A20) } })]) } } },
  { name: 'json-hashes-good-first', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { hashes: { sha256: c.sha(A20), md5: '0'.repeat(32) } })]) } } },
  { name: 'json-hash-not-hex', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { hashes: { sha256: 'not-a-digest', md5: 'x' } })]) } } },
  { name: 'fragment-algorithm-upper-case', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), a(c, A20, '', `SHA256=${'0'.repeat(64)}`)) } } },
  { name: 'json-hash-algorithm-upper-case', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { hashes: { SHA256: '0'.repeat(64) } })]) } } },
  { name: 'json-unknown-hash-first', req: 'alpha', files: two,
    deviation: { pip: 'refuses', pipette: `files/${A20}`, why: 'pip checks only the first digest and cannot compute blake3; Pipette checks the first one it can compute (pep/digest.ts linkHash), here the sha256, which matches' },
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { hashes: { blake3: 'ab', sha256: c.sha(A20) } })]) } } },
  { name: 'json-name-of-another-project', req: 'alpha', files: two, deviation: { pip: `files/${A20}`, pipette: 'refuses', why: STRICT }, pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20)], 'beta') } } },
  { name: 'json-without-meta', req: 'alpha', files: two, deviation: { pip: `files/${A20}`, pipette: 'refuses', why: STRICT }, pages: { 'simple/alpha/': { body: (c) => JSON.stringify({ name: 'alpha', files: [j(c, A10), j(c, A20)] }) } } },
  { name: 'html-newer-major-api', req: 'alpha', files: two,
    deviation: { pip: `files/${A20}`, pipette: 'refuses', why: 'PEP 629: a client must refuse a major API version it does not know; pip 24.2 reads the page anyway' },
    pages: { 'simple/alpha/': { body: (c) => `<html><head><meta name="pypi:repository-version" content="2.0"></head><body>${a(c, A10)}${a(c, A20)}</body></html>` } } },
  { name: 'json-filename-lies', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10, { filename: 'alpha-9.0-py3-none-any.whl' }), j(c, A20, { filename: 'alpha-0.1-py3-none-any.whl' })]) } } },
  { name: 'json-url-missing', req: 'alpha', files: two,
    deviation: { pip: `files/${A10}`, pipette: 'refuses', why: 'pip skips a PEP 691 file without "url"; Pipette refuses a page that breaks the schema rather than choose from a shorter list' },
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), { filename: A20, hashes: {} }]) } } },

  // --- where the links point ---
  { name: 'other-host', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.other}/files/${A20}#sha256=${c.sha(A20)}">${A20}</a>`) } } },
  { name: 'protocol-relative', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="${c.other.replace('http:', '')}/files/${A20}">${A20}</a>`) } } },
  { name: 'file-url', req: 'alpha', files: two, deviation: { pip: 'refuses', pipette: `files/${A10}`, why: NOT_HTTP },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="file:///nonexistent/${A20}">${A20}</a>`) } } },
  { name: 'file-url-existing', req: 'alpha', files: two, deviation: { pip: `local/${A20}`, pipette: `files/${A10}`, why: NOT_HTTP },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="file://${c.local}/${A20}">${A20}</a>`) } } },
  { name: 'javascript-url', req: 'alpha', files: two, deviation: { pip: 'refuses', pipette: `files/${A10}`, why: NOT_HTTP },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="javascript:${A20}">${A20}</a>`) } } },
  { name: 'data-url', req: 'alpha', files: two, deviation: { pip: 'refuses', pipette: `files/${A10}`, why: NOT_HTTP },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<a href="data:text/plain,x/${A20}">${A20}</a>`) } } },
  { name: 'json-file-url', req: 'alpha', files: two, deviation: { pip: 'refuses', pipette: `files/${A10}`, why: NOT_HTTP },
    pages: { 'simple/alpha/': { body: (c) => json([j(c, A10), j(c, A20, { url: `file:///nonexistent/${A20}` })]) } } },
  { name: 'base-href-other-host', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => `<html><head><base href="${c.other}/files/"></head><body><a href="${A10}">${A10}</a><a href="${A20}">${A20}</a></body></html>` } } },
  { name: 'base-href-twice', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => `<html><head><base href="${c.other}/files/"><base href="${c.base}/files/"></head><body><a href="${A20}">${A20}</a></body></html>` } } },
  { name: 'base-after-the-links', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => `<html><body><a href="../../files/${A20}">${A20}</a><base href="${c.other}/files/"></body></html>` } } },
  { name: 'link-inside-title', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => `<html><head><title>${a(c, A20)}</title></head><body>${a(c, A10)}</body></html>` } } },
  { name: 'link-inside-textarea', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<textarea>${a(c, A20)}</textarea>`) } } },
  { name: 'script-end-tag-with-attribute', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<script>var x = 1;</script x>${a(c, A20)}</script>`) } } },
  { name: 'comment-closed-with-space', req: 'alpha', files: two, pages: { 'simple/alpha/': { body: (c) => html(a(c, A10), `<!-- note -- >${a(c, A20)}<!-- -->`) } } },
  { name: 'base-href-relative', req: 'alpha', files: two,
    deviation: { pip: 'refuses', pipette: `files/${A20}`, why: 'pip joins links to a relative <base href> without the page URL and cannot fetch the result; Pipette resolves it against the page, as HTML does (same host)' },
    pages: { 'simple/alpha/': { body: () => `<html><head><base href="../../files/"></head><body><a href="${A20}">${A20}</a></body></html>` } } },

  // --- two indexes ---
  { name: 'same-file-both-indexes', req: 'alpha', extra: true, files: { [`main/${A10}`]: alpha('1.0', { summary: 'main' }), [`extra/${A10}`]: alpha('1.0', { summary: 'extra' }) },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, `main/${A10}`)) }, 'extra/alpha/': { body: (c) => html(a(c, `extra/${A10}`)) } } },
  { name: 'newer-on-extra', req: 'alpha', extra: true, files: two,
    pages: { 'simple/alpha/': { body: (c) => html(a(c, A10)) }, 'extra/alpha/': { body: (c) => html(a(c, A20)) } } },
  { name: 'better-build-on-main', req: 'alpha', extra: true, files: { 'alpha-1.0-5-py3-none-any.whl': alpha('1.0', { build: '5' }), [A10]: alpha('1.0') },
    pages: { 'simple/alpha/': { body: (c) => html(a(c, 'alpha-1.0-5-py3-none-any.whl')) }, 'extra/alpha/': { body: (c) => html(a(c, A10)) } } },
  { name: 'json-and-html-indexes', req: 'alpha', extra: true, files: { [`main/${A10}`]: alpha('1.0', { summary: 'main' }), [`extra/${A10}`]: alpha('1.0', { summary: 'extra' }) },
    pages: { 'simple/alpha/': { body: (c) => json([j(c, `main/${A10}`)]) }, 'extra/alpha/': { body: (c) => html(a(c, `extra/${A10}`)) } } },

  // --- what the server says the page is ---
  { name: 'json-sent-as-text-html', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'text/html', body: (c) => json([j(c, A10), j(c, A20)]) } } },
  { name: 'html-sent-as-json', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'application/vnd.pypi.simple.v1+json', body: (c) => html(a(c, A10), a(c, A20)) } } },
  { name: 'content-type-plain', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'text/plain', body: (c) => html(a(c, A10), a(c, A20)) } } },
  { name: 'content-type-json-generic', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'application/json', body: (c) => json([j(c, A10), j(c, A20)]) } } },
  { name: 'content-type-none', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: null, body: (c) => html(a(c, A10), a(c, A20)) } } },
  { name: 'content-type-latest-json', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'application/vnd.pypi.simple.latest+json', body: (c) => json([j(c, A10), j(c, A20)]) } } },
  { name: 'content-type-html-charset', req: 'alpha', files: two, pages: { 'simple/alpha/': { contentType: 'TEXT/HTML; charset=utf-8', body: (c) => html(a(c, A10), a(c, A20)) } } },
  { name: 'index-error-extra-has-it', req: 'alpha', extra: true, files: two,
    deviation: { pip: `files/${A20}`, pipette: 'refuses', why: 'pip logs an index that answers 500 and chooses from the others; Pipette refuses, so a broken index never silently hands the choice to another (multi-index-source.ts)' },
    pages: { 'simple/alpha/': { status: 500, body: () => 'oops' }, 'extra/alpha/': { body: (c) => html(a(c, A20)) } } },
  { name: 'redirect-to-other-host', req: 'alpha', files: two,
    pages: { 'simple/alpha/': { body: () => '', redirect: (c) => `${c.other}/moved/alpha/` }, 'moved/alpha/': { body: () => html(`<a href="../../files/${A20}">${A20}</a>`) } } },
];

let index: ChoiceIndex;
let results: Map<string, { pip: Choice; pipette: Choice }>;
let empty: IndexServer;
let harness: Promise<PipHarness>;

beforeAll(async () => {
  index = await ChoiceIndex.start(CASES);
  // The Pyodide of the last test starts while pip runs.
  empty = await startIndexServer({ projects: [] });
  harness = PipHarness.create(empty, { sourceOptions: { retries: 0 } });
  harness.catch(() => undefined);
  // pip is the slow side (~1.5 s a run): three at a time, each beside Pipette's run of the case.
  const all = await pool(CASES, 3, async (c) => {
    const [pip, pipette] = await Promise.all([index.pip(c.name), index.pipette(c.name)]);
    return [c.name, { pip, pipette }] as const;
  });
  results = new Map(all);
}, 120_000);
afterAll(async () => {
  await index?.close();
  await empty?.close();
});

/** The same file: project, PEP 440-equal version, URL (pip quotes `+` as %2B); or both refuse. */
function same(pip: Choice, pipette: Choice): boolean {
  if (!pip.ok || !pipette.ok) return pip.ok === pipette.ok;
  return pip.name === pipette.name && Version.parse(pip.version).compare(Version.parse(pipette.version)) === 0 && decodeURIComponent(pip.url) === decodeURIComponent(pipette.url);
}

const show = (o: Choice): string =>
  o.ok ? `${o.name} ${o.version} ${o.url.replace(index.base, 'BASE').replace(index.other, 'OTHER')}` : `refuses: ${o.reason.split('\n')[0]!.slice(0, 200)}`;

describe('the file Pipette installs is the one pip 24.2 installs', () => {
  it.each(CASES.filter((c) => !c.deviation).map((c) => [c.name, c] as const))('%s', (_, c) => {
    const r = results.get(c.name)!;
    expect(same(r.pip, r.pipette), `${c.name} (${c.req})\n  pip:     ${show(r.pip)}\n  pipette: ${show(r.pipette)}`).toBe(true);
  });

  it.each(CASES.filter((c) => c.deviation).map((c) => [c.name, c] as const))('%s: Pipette differs on purpose', (_, c) => {
    const r = results.get(c.name)!;
    const d = c.deviation!;
    const where = (e: string): string => (e.startsWith('local/') ? `file://${index.context(c.name).local}/${e.slice('local/'.length)}` : `${index.base}/${c.name}/${e}`);
    const expectation = (o: Choice, e: string): boolean => (e === 'refuses' ? !o.ok : o.ok && decodeURIComponent(o.url) === where(e));
    const message = `${c.name} (${c.req}): ${d.why}\n  pip:     ${show(r.pip)}\n  pipette: ${show(r.pipette)}`;
    expect(expectation(r.pip, d.pip), message).toBe(true);
    expect(expectation(r.pipette, d.pipette), message).toBe(true);
  });
});

describe('a file: link on a remote index page, through pip install over a real Pyodide', () => {
  it('never installs a wheel from the playground\'s own files (pip would install the local file)', { timeout: 120_000 }, async () => {
    const name = 'file-url-existing';
    const c = index.context(name);
    const h = await harness;
    // The wheel the page points at, in the playground's filesystem at that very path.
    h.writeFile(`${c.local}/${A20}`, readFileSync(`${c.local}/${A20}`));
    const r = await h.pip('install', '--index-url', index.indexUrls(name)[0]!, 'alpha');
    expect(r.code, r.stderr).toBe(0);
    expect(h.metadataVersion('alpha')).toBe('1.0');
  });
});
