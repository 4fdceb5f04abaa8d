/**
 * The pages the wheelhouse (wheelhouse.ts) serves as a package index: PEP 691 JSON and PEP 503
 * HTML, root and project, with PEP 658/714 metadata and PEP 700 fields, and the content type
 * chosen from the Accept header as Warehouse chooses it.
 */
import type { NormalizedName } from '../pep';
import type { WheelhouseFile, WheelhouseListing } from './wheelhouse';

export const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
export const SIMPLE_HTML = 'application/vnd.pypi.simple.v1+html';
const TEXT_HTML = 'text/html';
/** The offers in the order Warehouse breaks ties in (HTML first). */
const OFFERS = [TEXT_HTML, SIMPLE_HTML, SIMPLE_JSON] as const;

/**
 * The content type to answer with (PEP 691 "Version + Format Selection"): each offer takes the q
 * of the most specific media range that matches it, q=0 refuses, ties go to the earlier offer,
 * no acceptable offer means text/html. `?format=` overrides the header, as on PyPI.
 * Ex) pip's `application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01` -> JSON
 */
export function selectContentType(accept: string | undefined, format: string | null = null): string {
  if (format && (OFFERS as readonly string[]).includes(format)) return format;
  let best: { offer: string; q: number } | null = null;
  for (const offer of OFFERS) {
    const [type, subtype] = offer.split('/') as [string, string];
    let match: { specificity: number; q: number } | null = null;
    for (const part of (accept ?? '').split(',')) {
      const [range = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const [t, s] = range.split('/');
      const specificity = t === type && s === subtype ? 3 : t === type && s === '*' ? 2 : t === '*' && s === '*' ? 1 : 0;
      if (specificity === 0 || (match && match.specificity >= specificity)) continue;
      const q = Number(params.find((p) => p.startsWith('q='))?.slice(2) ?? '1');
      match = { specificity, q: Number.isFinite(q) ? q : 0 };
    }
    if (match && match.q > 0 && (!best || match.q > best.q)) best = { offer, q: match.q };
  }
  return best?.offer ?? TEXT_HTML;
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Relative to `<mount>simple/<project>/`, so the pages work behind any host name or proxy. */
const fileHref = (filename: string): string => `../../files/${encodeURIComponent(filename)}`;

function projects(listing: WheelhouseListing): Map<NormalizedName, WheelhouseFile[]> {
  const byProject = new Map<NormalizedName, WheelhouseFile[]>();
  for (const f of listing.files) byProject.set(f.project, [...(byProject.get(f.project) ?? []), f]);
  return byProject;
}

/** PEP 691 root page (api-version 1.1). */
export function indexJson(listing: WheelhouseListing): string {
  const list = [...projects(listing).values()].map((files) => ({ name: files[0]!.displayName }));
  return JSON.stringify({ meta: { 'api-version': '1.1' }, projects: list });
}

/** PEP 503 root page. */
export function indexHtml(listing: WheelhouseListing): string {
  const links = [...projects(listing)].map(([name, files]) => `    <a href="${name}/">${escapeHtml(files[0]!.displayName)}</a><br/>`);
  return page('Simple index', links);
}

/** PEP 691 project page with PEP 700 `versions`, `size`, `upload-time` and PEP 714 `core-metadata`. */
export function projectJson(project: NormalizedName, files: readonly WheelhouseFile[]): string {
  const versions = [...new Map(files.map((f) => [f.version.toString(), f.version])).values()].sort((a, b) => a.compare(b));
  return JSON.stringify({
    meta: { 'api-version': '1.1' },
    name: project,
    versions: versions.map((v) => v.toString()),
    files: files.map((f) => {
      const metadata = f.metadataSha256 ? { sha256: f.metadataSha256 } : false;
      return {
        filename: f.filename,
        url: fileHref(f.filename),
        hashes: { sha256: f.sha256 },
        'requires-python': f.requiresPython,
        'core-metadata': metadata,
        'dist-info-metadata': metadata,
        size: f.size,
        'upload-time': f.uploadTime,
        yanked: false,
      };
    }),
  });
}

/** PEP 503 project page with PEP 658/714 metadata attributes. */
export function projectHtml(project: NormalizedName, files: readonly WheelhouseFile[]): string {
  const links = files.map((f) => {
    const attrs = [`href="${fileHref(f.filename)}#sha256=${f.sha256}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${escapeHtml(f.requiresPython)}"`);
    if (f.metadataSha256) attrs.push(`data-core-metadata="sha256=${f.metadataSha256}"`, `data-dist-info-metadata="sha256=${f.metadataSha256}"`);
    return `    <a ${attrs.join(' ')}>${escapeHtml(f.filename)}</a><br/>`;
  });
  return page(`Links for ${project}`, links);
}

function page(title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    '    <meta name="pypi:repository-version" content="1.1">',
    `    <title>${escapeHtml(title)}</title>`,
    '  </head>',
    '  <body>',
    `    <h1>${escapeHtml(title)}</h1>`,
    ...body,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
