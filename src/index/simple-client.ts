/**
 * One simple repository (an `--index-url` or `--extra-index-url`): fetch a project's page with
 * PEP 691 content negotiation, parse it (JSON or HTML, whichever the server chose), cache it.
 *
 * Cache policy (uv's registry client): a page younger than the freshness limit is answered from
 * the cache with no request; an older one is refetched, and when that fails for a network reason
 * the old page is used with a notice rather than failing the install.
 */
import { normalizeName, type NormalizedName } from '../pep';
import { IndexCache } from './cache';
import { NoticeCode, WarningCode, safeReporter, type IndexReporter } from './events';
import type { Fetcher } from './fetcher';
import { IndexError, IndexErrorCode } from './index-error';
import { parseSimpleHtml } from './simple-html';
import { parseSimpleJson } from './simple-json';
import type { PageContext, SimplePage } from './simple-page';

/**
 * PEP 691 negotiation, JSON preferred: the same string pip sends. It stays under 128 bytes of
 * safe characters, so in a browser it is a CORS-safelisted header and needs no preflight.
 */
export const SIMPLE_ACCEPT =
  'application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html;q=0.2, text/html;q=0.01';

/**
 * `normal`: fresh pages from the cache, stale ones refetched (falling back to them offline);
 * `offline`: the cache only, whatever its age; `refresh`: always refetch pages.
 */
export type CachePolicy = 'normal' | 'offline' | 'refresh';

export type IndexPageResponse =
  | { readonly kind: 'found'; readonly page: SimplePage; readonly fromCache: boolean }
  | { readonly kind: 'not-found'; readonly url: string };

export interface SimpleClientOptions {
  readonly fetcher: Fetcher;
  readonly cache: IndexCache;
  readonly now: () => number;
  readonly reporter?: IndexReporter;
  readonly policy?: CachePolicy;
}

/** What the page cache holds: a parsed page, or the fact that the index had no such project. */
type CachedAnswer = { readonly found: true; readonly page: SimplePage } | { readonly found: false };

export class SimpleIndexClient {
  /** The index URL with a trailing slash. Ex) `https://pypi.org/simple/`. */
  readonly indexUrl: string;
  private readonly fetcher: Fetcher;
  private readonly cache: IndexCache;
  private readonly now: () => number;
  private readonly report: IndexReporter;
  private readonly policy: CachePolicy;
  /**
   * Answers of this session, reused while fresh without touching the store. Requests in flight
   * are not shared here but in the Fetcher, which lets each caller cancel on its own.
   */
  private readonly memo = new Map<NormalizedName, { readonly at: number; readonly answer: IndexPageResponse }>();

  constructor(indexUrl: string, options: SimpleClientOptions) {
    this.indexUrl = withTrailingSlash(indexUrl);
    this.fetcher = options.fetcher;
    this.cache = options.cache;
    this.now = options.now;
    this.report = safeReporter(options.reporter);
    this.policy = options.policy ?? 'normal';
  }

  /** PEP 503: `<index>/<normalized name>/`. */
  projectUrl(name: string): string {
    return `${this.indexUrl}${normalizeName(name)}/`;
  }

  async getProject(name: NormalizedName, signal?: AbortSignal): Promise<IndexPageResponse> {
    const key = normalizeName(name);
    const memo = this.memo.get(key);
    if (memo && this.policy !== 'refresh' && this.now() - memo.at < this.cache.maxAgeMs) return memo.answer;
    const { answer, at } = await this.load(key, signal);
    if (at !== null) this.memo.set(key, { at, answer });
    return answer;
  }

  /** The answer, and the time it was fetched (null for a stale page, which is not memoized). */
  private async load(
    name: NormalizedName,
    signal: AbortSignal | undefined,
  ): Promise<{ answer: IndexPageResponse; at: number | null }> {
    const url = this.projectUrl(name);
    const cacheKey = IndexCache.pageKey('page', this.indexUrl, name);
    const cached = this.policy === 'refresh' ? undefined : await this.cache.getPage<CachedAnswer>(cacheKey);
    if (cached && (cached.fresh || this.policy === 'offline')) {
      return { answer: fromCached(cached.value, url), at: cached.fresh ? cached.fetchedAt : null };
    }
    if (this.policy === 'offline') {
      throw new IndexError(
        IndexErrorCode.Offline,
        `${url} is not in the cache, and Pipette is offline. Go online once to cache it.`,
        { url },
      );
    }

    let response;
    try {
      response = await this.fetcher.request({ url, accept: SIMPLE_ACCEPT, signal });
    } catch (error) {
      if (cached && error instanceof IndexError && isOutage(error)) {
        const minutes = Math.max(1, Math.round((this.now() - cached.fetchedAt) / 60_000));
        this.report({
          kind: 'notice',
          code: NoticeCode.StalePage,
          message: `Using the cached copy of ${url} from ${minutes} minute${minutes === 1 ? '' : 's'} ago: ${error.reason}`,
        });
        return { answer: fromCached(cached.value, url), at: null };
      }
      throw error;
    }

    this.cache.noteContact(this.indexUrl);
    const lastSerial = parseSerial(response.headers.get('x-pypi-last-serial'));
    if (response.status === 404 || response.status === 410) {
      this.cache.putPage<CachedAnswer>(cacheKey, { value: { found: false }, url: response.url, lastSerial });
      return { answer: { kind: 'not-found', url }, at: this.now() };
    }
    const context: PageContext = { url: response.url, index: this.indexUrl, name };
    const page = parsePage(response.bytes, response.headers.get('content-type'), context);
    for (const warning of page.warnings) this.report({ kind: 'warning', code: WarningCode.ApiVersion, message: warning });
    this.cache.putPage<CachedAnswer>(cacheKey, { value: { found: true, page }, url: response.url, lastSerial });
    return { answer: { kind: 'found', page, fromCache: false }, at: this.now() };
  }
}

/**
 * Parse by Content-Type, as pip 24.2 does (collector.py `_ensure_api_header`, `parse_links`):
 * a type starting with `application/vnd.pypi.simple.v1+json` is PEP 691 JSON; `text/html` or
 * `application/vnd.pypi.simple.v1+html` is HTML (whatever the body looks like); any other type,
 * or none, is not an index page. pip skips such a page and finds nothing; here it is an error
 * naming the type, so a server that sends JSON as `application/json` or a page as `text/plain`
 * is fixed rather than read one way here and another way by pip.
 */
export function parsePage(bytes: Uint8Array, contentType: string | null, context: PageContext): SimplePage {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new IndexError(IndexErrorCode.InvalidResponse, `Invalid project page from ${context.url}: it is not UTF-8 text.`, {
      url: context.url,
    });
  }
  const type = (contentType ?? '').trim().toLowerCase();
  if (type.startsWith('application/vnd.pypi.simple.v1+json')) return parseSimpleJson(text, context);
  if (type.startsWith('text/html') || type.startsWith('application/vnd.pypi.simple.v1+html')) return parseSimpleHtml(text, context);
  throw new IndexError(
    IndexErrorCode.InvalidResponse,
    `Invalid project page from ${context.url}: the server sent ${contentType === null ? 'no Content-Type' : JSON.stringify(contentType)}, ` +
      'and a simple index page is text/html, application/vnd.pypi.simple.v1+html or application/vnd.pypi.simple.v1+json ' +
      '(pip skips any other). Check that the URL is a simple index (it usually ends in /simple/), or fix the server\'s Content-Type.',
    { url: context.url },
  );
}

function fromCached(value: CachedAnswer, url: string): IndexPageResponse {
  return value.found ? { kind: 'found', page: value.page, fromCache: true } : { kind: 'not-found', url };
}

/** Errors after which a stale page is better than nothing: the index could not be reached. */
function isOutage(error: IndexError): boolean {
  return (
    error.code === IndexErrorCode.Network ||
    error.code === IndexErrorCode.Timeout ||
    (error.code === IndexErrorCode.HttpStatus && error.status !== null && (error.status >= 500 || error.status === 429))
  );
}

function parseSerial(value: string | null): number | null {
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value.trim()) : null;
}

export function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
