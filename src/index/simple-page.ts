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

/** Split a URL's fragment into hashes (`#sha256=...`), as pip's Link does; returns the bare URL. */
export function splitHashFragment(url: URL): { url: string; hashes: Record<string, string> } {
  const hashes: Record<string, string> = {};
  const fragment = url.hash.slice(1);
  const m = /^(sha1|sha224|sha384|sha256|sha512|md5)=([0-9a-fA-F]+)$/.exec(fragment);
  if (m?.[1] && m[2]) hashes[m[1]] = m[2].toLowerCase();
  const bare = new URL(url.href);
  bare.hash = '';
  return { url: bare.href, hashes };
}

/** Lower-case the digests of a hashes object, keeping string values only. */
export function cleanHashes(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [algorithm, digest] of Object.entries(value as Record<string, unknown>)) {
    if (typeof digest === 'string' && /^[0-9a-fA-F]+$/.test(digest)) out[algorithm.toLowerCase()] = digest.toLowerCase();
  }
  return out;
}
