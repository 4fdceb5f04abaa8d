/**
 * One project page of one simple index, parsed: what both parsers (PEP 691 JSON in
 * simple-json.ts, PEP 503 HTML in simple-html.ts) produce and the page cache stores.
 */
import type { NormalizedName, DistributionFile } from '../pep';

export interface SimplePage {
  readonly name: NormalizedName;
  /** The URL the page was served from (after redirects). */
  readonly url: string;
  /** The configured index URL the page belongs to. */
  readonly index: string;
  readonly files: readonly DistributionFile[];
  /** PEP 700 `versions`, as the index lists them; null for HTML pages and API 1.0. */
  readonly versions: readonly string[] | null;
  /** PEP 629 `api-version` / `pypi:repository-version`, or null when the page gives none. */
  readonly apiVersion: string | null;
  /** Notices about the page itself (e.g. a newer minor API version). */
  readonly warnings: readonly string[];
}

/** What a parser needs besides the text. */
export interface PageContext {
  /** The URL the page came from: relative links resolve against it (or a `<base href>`). */
  readonly url: string;
  /** The configured index URL, recorded on each file. */
  readonly index: string;
  /** The name the page was requested for (an HTML page does not state it). */
  readonly name: NormalizedName;
}

/** PEP 629: the major version we speak; a page of a newer major must be refused. */
export const SUPPORTED_API_MAJOR = 1;
/** The newest minor we know (1.4: PEP 792 project status). Newer minors get a warning. */
export const SUPPORTED_API_MINOR = 4;

/** Check a PEP 629 version string; returns a warning, or throws via `fail` for a newer major. */
export function checkApiVersion(version: string, fail: (reason: string) => never): string | null {
  const m = /^(\d+)\.(\d+)$/.exec(version.trim());
  if (!m) return fail(`the repository version ${JSON.stringify(version)} is not of the form major.minor (PEP 629)`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major > SUPPORTED_API_MAJOR) {
    return fail(
      `the index speaks version ${version} of the simple repository API, and Pipette only ` +
        `version ${SUPPORTED_API_MAJOR}.x (PEP 629); use an index that still serves ${SUPPORTED_API_MAJOR}.x`,
    );
  }
  if (major === SUPPORTED_API_MAJOR && minor > SUPPORTED_API_MINOR) {
    return `The index serves version ${version} of the simple repository API, newer than the ${SUPPORTED_API_MAJOR}.${SUPPORTED_API_MINOR} Pipette knows; newer fields are ignored.`;
  }
  return null;
}

// pip's `LinkHash._hash_url_fragment_re`, searched in the whole URL: the first
// `#name=value` or `&name=value` of a hash pip knows, the value up to the next `&`, not
// checked to be hex (a malformed digest then fails the download, as it does in pip).
const HASH_IN_URL = /[#&](sha1|sha224|sha384|sha256|sha512|md5)=([^&]*)/;

/**
 * The hash a URL carries and the URL without its fragment (what is fetched), as pip's Link reads
 * them: `x.whl#sha256=ab`, but also `x.whl#md5=00&sha256=ab` (the md5 is the one pip checks) and
 * `x.whl#sha256=ab#sha256=cd` (the digest `ab#sha256=cd`, which nothing matches).
 */
export function splitHashFragment(url: URL): { url: string; hashes: Record<string, string> } {
  const hashes: Record<string, string> = {};
  const m = HASH_IN_URL.exec(url.href);
  if (m?.[1] !== undefined && m[2] !== undefined) hashes[m[1]] = m[2].toLowerCase();
  const bare = new URL(url.href);
  bare.hash = '';
  return { url: bare.href, hashes };
}

/**
 * The digests of a PEP 691 `hashes` object, in the index's order (pip checks the first:
 * `Link.hash`), lower-cased as pip's `Hashes` does. A digest that is not hex is kept, so the
 * download fails its check as in pip rather than go unchecked; only an absent (null) one is
 * dropped.
 */
export function cleanHashes(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [algorithm, digest] of Object.entries(value as Record<string, unknown>)) {
    if (digest === null || digest === undefined) continue;
    out[algorithm.toLowerCase()] = (typeof digest === 'string' ? digest : JSON.stringify(digest)).toLowerCase();
  }
  return out;
}

/**
 * A file's name as pip's `Link.filename` takes it: the path percent-decoded (`Link.path`),
 * trailing slashes stripped, its last segment, percent-decoded again. So `evil%2Fa-1.0-...whl`
 * is the file `a-1.0-...whl`, as for pip. Never the anchor text or the JSON `filename`: pip
 * does not read them, so a page that names one file and links another gets the linked one judged.
 */
export function filenameFromUrl(url: string): string {
  const path = unquote(new URL(url).pathname).replace(/\/+$/, '');
  const name = unquote(path.slice(path.lastIndexOf('/') + 1));
  // Decoded twice, `x%252F..%252Fevil-1.0.tar.gz` would be `x/../evil-1.0.tar.gz`: a file name
  // is one path segment wherever it is used (the cache, `pip download -d`), so such a link is no
  // file (''), skipped like a link without a name. pip would skip it too: its project is no one's.
  return /[/\\\0]/.test(name) || name === '.' || name === '..' ? '' : name;
}

/** Python's `urllib.parse.unquote`, near enough: each run of `%XX` decoded, a bad one kept. */
function unquote(text: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}

/**
 * A link of a page as a URL, joined as pip joins it (`urljoin` of Python 3.13, then
 * `_ensure_quoted_url`): leading controls and spaces are dropped, tabs and newlines anywhere,
 * as in a browser; but trailing spaces and controls stay part of the URL (a browser drops them),
 * so `x.whl ` names the file `x.whl ` (no wheel) and `#sha256=ab ` the digest `ab `, as for
 * pip. Null when it is no URL.
 */
export function joinLink(href: string, base: string): URL | null {
  const kept = href.replace(/^[\x00-\x20]+/, '').replace(/[\x00-\x08\x0b\x0c\x0e-\x20]+$/, (tail) =>
    [...tail].map((ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  try {
    return new URL(kept, base);
  } catch {
    return null;
  }
}

/**
 * Whether a file linked from a page may be fetched: over http(s), or from a `file:` page a
 * `file:` link. pip takes any link as a candidate and tries to open it, so a remote page listing
 * `file:///...whl` makes pip install a file of the machine it runs on; here that would be a file
 * of the person's playground (pip-source.ts reads `file:` URLs from the virtual filesystem), and
 * `javascript:` / `data:` links are the page's own bytes. They are skipped, as pip's
 * LinkEvaluator skips links that are not files.
 */
export function fetchableFrom(url: URL, pageUrl: string): boolean {
  if (url.protocol === 'http:' || url.protocol === 'https:') return true;
  return url.protocol === 'file:' && pageUrl.startsWith('file:');
}
