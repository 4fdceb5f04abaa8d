/**
 * PEP 503 project pages (HTML), without DOMParser: workers do not have one. A small tokenizer
 * that knows what an index page can contain (tags with quoted, unquoted and bare attributes,
 * comments, doctype, script and style) and reads:
 *
 *   <meta name="pypi:repository-version" content="1.0">        PEP 629
 *   <base href="...">                                           the first; every link resolves against it
 *   <a href="../../f/foo-1.0-py3-none-any.whl#sha256=..."       PEP 503 hash fragment
 *      data-requires-python="&gt;=3.8"                          PEP 503 (entity-decoded)
 *      data-core-metadata="sha256=..."                          PEP 714 (PEP 658's
 *      data-dist-info-metadata="sha256=..."                       older name, as fallback)
 *      data-yanked="reason">foo-1.0-py3-none-any.whl</a>        PEP 592
 *
 * Each anchor is read as pip 24.2 reads it (collector.py `HTMLLinkParser`, link.py
 * `Link.from_element`), so both choose the same file: the file name is the last path segment of
 * the URL (`Link.filename`; the anchor text is never read), the last of duplicate attributes
 * counts, a valueless `data-yanked` is no yank, entities in attributes decode as Python's
 * `html.unescape` decodes them, markup is hidden only inside <script>, <style> and comments
 * (ended by `--\s*>`), and links that are not http(s) are skipped (simple-page.ts `fetchableFrom`).
 */
import { IndexError, IndexErrorCode } from './index-error';
import { decodeEntities } from './html-entities';
import type { DistributionFile } from '../pep';
import { checkApiVersion, fetchableFrom, filenameFromUrl, joinLink, splitHashFragment, type PageContext, type SimplePage } from './simple-page';

/** A start tag as the tokenizer saw it: lower-case name, attributes first-wins (HTML rule). */
export interface StartTag {
  readonly type: 'start';
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  /**
   * Every attribute in order, duplicates included, null for one without a value (`<a
   * data-yanked>`): what Python's HTMLParser hands pip, which reads an anchor as `dict(attrs)`.
   */
  readonly attributeList: ReadonlyArray<readonly [string, string | null]>;
}

export type HtmlToken =
  | StartTag
  | { readonly type: 'end'; readonly name: string }
  | { readonly type: 'text'; readonly text: string };

// Elements whose content is not markup, as pip's parser (Python's HTMLParser,
// `CDATA_CONTENT_ELEMENTS`) knows them: only script and style. A browser also hides what is in
// <title>, <textarea>, <xmp>...; pip reads an <a> there as a link, so it is one here too.
const RAW_TEXT = new Set(['script', 'style']);
const SPACE = /[\t\n\f\r ]/;
const COMMENT_CLOSE = /--\s*>/g;

/**
 * Tokenize HTML into start tags, end tags and decoded text. Not a full HTML5 parser: no tree,
 * no implied tags; it never throws, as browsers never refuse a page.
 */
export function* tokenizeHtml(html: string): Generator<HtmlToken> {
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      yield { type: 'text', text: decodeEntities(html.slice(i)) };
      return;
    }
    if (lt > i) yield { type: 'text', text: decodeEntities(html.slice(i, lt)) };
    i = lt;
    if (html.startsWith('<!--', i)) {
      // Python's `_commentclose`: `--`, spaces, `>` (so `-- >` ends a comment for pip too).
      COMMENT_CLOSE.lastIndex = i + 4;
      const close = COMMENT_CLOSE.exec(html);
      i = close ? close.index + close[0].length : n;
      continue;
    }
    const next = html[i + 1] ?? '';
    if (next === '!' || next === '?') {
      // Doctype, CDATA, processing instruction: a bogus comment up to `>`.
      const close = html.indexOf('>', i);
      i = close === -1 ? n : close + 1;
      continue;
    }
    if (next === '/') {
      const m = /^<\/([A-Za-z][^\t\n\f\r />]*)[^>]*>?/.exec(html.slice(i, i + 256));
      if (!m?.[1]) {
        const close = html.indexOf('>', i);
        i = close === -1 ? n : close + 1;
        continue;
      }
      const closeAt = html.indexOf('>', i);
      i = closeAt === -1 ? n : closeAt + 1;
      yield { type: 'end', name: m[1].toLowerCase() };
      continue;
    }
    if (!/[A-Za-z]/.test(next)) {
      // A `<` that starts no tag is text.
      yield { type: 'text', text: '<' };
      i++;
      continue;
    }
    const tag = readStartTag(html, i + 1);
    // HTML §13.2.5: end of file inside a tag drops the tag.
    if (!tag.complete) return;
    i = tag.end;
    yield tag.token;
    if (RAW_TEXT.has(tag.token.name)) {
      // Python's `set_cdata_mode`: the content ends at `</script>`, spaces allowed, nothing else
      // (`</script x>` does not end it).
      const closeRe = new RegExp(`</\\s*${tag.token.name}\\s*>`, 'ig');
      closeRe.lastIndex = i;
      const m = closeRe.exec(html);
      i = m ? m.index : n;
    }
  }
}

/** HTML §13.2.5.8-40: tag name, then attributes until `>`. `start` is just after `<`. */
function readStartTag(html: string, start: number): { token: StartTag; end: number; complete: boolean } {
  const n = html.length;
  let i = start;
  while (i < n && !SPACE.test(html[i] ?? '') && html[i] !== '/' && html[i] !== '>') i++;
  const name = html.slice(start, i).toLowerCase();
  const attributes = new Map<string, string>();
  const attributeList: Array<readonly [string, string | null]> = [];
  let complete = false;
  for (;;) {
    while (i < n && (SPACE.test(html[i] ?? '') || html[i] === '/')) i++;
    if (i >= n) break;
    if (html[i] === '>') {
      i++;
      complete = true;
      break;
    }
    const nameStart = i;
    // An attribute name may start with `=` (the spec allows it); it ends at space, `/`, `>` or `=`.
    i++;
    while (i < n && !SPACE.test(html[i] ?? '') && html[i] !== '/' && html[i] !== '>' && html[i] !== '=') i++;
    const attrName = html.slice(nameStart, i).toLowerCase();
    while (i < n && SPACE.test(html[i] ?? '')) i++;
    let value = '';
    let given = false;
    if (html[i] === '=') {
      given = true;
      i++;
      while (i < n && SPACE.test(html[i] ?? '')) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const close = html.indexOf(quote, i + 1);
        const stop = close === -1 ? n : close;
        value = html.slice(i + 1, stop);
        i = close === -1 ? n : close + 1;
      } else {
        const valueStart = i;
        while (i < n && !SPACE.test(html[i] ?? '') && html[i] !== '>') i++;
        value = html.slice(valueStart, i);
      }
      value = decodeEntities(value);
    }
    // HTML: a duplicate attribute is dropped, the first one wins.
    if (!attributes.has(attrName)) attributes.set(attrName, value);
    attributeList.push([attrName, given ? value : null]);
  }
  return { token: { type: 'start', name, attributes, attributeList }, end: i, complete };
}

/**
 * Parse a PEP 503 project page. Throws `invalid-response` only for a newer major API version
 * (PEP 629); anchors that are not usable links are skipped, as pip skips them.
 */
export function parseSimpleHtml(html: string, context: PageContext): SimplePage {
  let base: string = context.url;
  let sawBase = false;
  // pip joins every link to the page's first <base href>, wherever it stands: the anchors are
  // read first, their URLs made after.
  const anchors: Array<ReadonlyMap<string, string | null>> = [];
  let apiVersion: string | null = null;
  const warnings: string[] = [];
  const files: DistributionFile[] = [];

  for (const token of tokenizeHtml(html)) {
    if (token.type === 'start') {
      if (token.name === 'a') {
        // pip reads the attributes of each start tag, whatever the text or the end tag:
        // `dict(attrs)`, so of two `href`s the last one counts.
        anchors.push(new Map(token.attributeList));
      } else if (token.name === 'base' && !sawBase) {
        // pip's HTMLLinkParser: the first <base> with an href, its first href.
        const href = token.attributeList.find(([n]) => n === 'href')?.[1];
        if (href !== undefined && href !== null) {
          sawBase = true;
          try {
            base = new URL(href.trim(), context.url).href;
          } catch {
            // An unusable <base> is ignored, as browsers do.
          }
        }
      } else if (token.name === 'meta' && token.attributes.get('name') === 'pypi:repository-version') {
        const content = token.attributes.get('content') ?? '';
        apiVersion = content.trim();
        const warning = checkApiVersion(apiVersion, (reason) => {
          throw new IndexError(IndexErrorCode.InvalidResponse, `Cannot read ${context.url}: ${reason}.`, {
            url: context.url,
          });
        });
        if (warning) warnings.push(warning);
      }
    }
  }
  for (const attributes of anchors) {
    const file = fileFromAnchor(attributes, base, context);
    if (file) files.push(file);
  }
  return { name: context.name, url: context.url, index: context.index, files, versions: null, apiVersion, warnings };
}

/**
 * A file from an anchor's attributes, as pip's `Link.from_element` makes it: no `href`, or an
 * empty one, is no file; an attribute without a value (`data-yanked`) is absent (pip gets None);
 * `data-yanked=""` is a yank without a reason.
 */
function fileFromAnchor(attributes: ReadonlyMap<string, string | null>, base: string, context: PageContext): DistributionFile | null {
  const href = attributes.get('href');
  if (!href) return null;
  const parsed = joinLink(href, base);
  if (!parsed || !fetchableFrom(parsed, context.url)) return null;
  const { url, hashes } = splitHashFragment(parsed);
  const filename = filenameFromUrl(url);
  if (filename === '') return null;

  const requiresPython = attributes.get('data-requires-python');
  const yanked = attributes.get('data-yanked');
  // PEP 714: `data-core-metadata`; PEP 658's `data-dist-info-metadata` only when it is absent.
  const metadata = attributes.get('data-core-metadata') ?? attributes.get('data-dist-info-metadata');
  return {
    filename,
    url,
    hashes,
    size: null,
    requiresPython: !requiresPython || requiresPython.trim() === '' ? null : requiresPython.trim(),
    yanked: yanked === undefined || yanked === null ? false : yanked,
    uploadTime: null,
    coreMetadata: parseMetadataAttribute(metadata ?? undefined),
    index: context.index,
    origin: 'index',
  };
}

/** PEP 658: `true`, or `<hashname>=<hexdigest>`; anything else means no metadata file. */
function parseMetadataAttribute(value: string | undefined): DistributionFile['coreMetadata'] {
  if (value === undefined) return false;
  const v = value.trim();
  if (v.toLowerCase() === 'true') return { hashes: {} };
  const m = /^([A-Za-z0-9]+)=([0-9a-fA-F]+)$/.exec(v);
  if (m?.[1] && m[2]) return { hashes: { [m[1].toLowerCase()]: m[2].toLowerCase() } };
  return false;
}
