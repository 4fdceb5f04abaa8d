/**
 * PyPI's JSON API (`/pypi/<name>/json`, `/pypi/<name>/<version>/json`): what the UI shows about
 * a project (summary, links, license) and the known vulnerabilities of a release. Never used
 * for resolution: its `releases` key is deprecated, and the simple API is the standard.
 */
import { normalizeName } from '../pep';
import { IndexCache } from './cache';
import type { Fetcher } from './fetcher';
import { IndexError, IndexErrorCode } from './index-error';
import type { CachePolicy } from './simple-client';

/** A vulnerability from PyPI's `vulnerabilities` (OSV data). */
export interface Vulnerability {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly summary: string | null;
  readonly details: string | null;
  readonly fixedIn: readonly string[];
  readonly link: string | null;
  readonly source: string | null;
  /** When the advisory was withdrawn (ISO 8601), or null. */
  readonly withdrawn: string | null;
}

export interface ProjectInfo {
  readonly name: string;
  readonly version: string;
  readonly summary: string | null;
  readonly homePage: string | null;
  /** The free-text License field. */
  readonly license: string | null;
  /** PEP 639 `License-Expression` (SPDX), when given. */
  readonly licenseExpression: string | null;
  readonly author: string | null;
  readonly requiresPython: string | null;
  /** Project-URL labels to URLs, in PyPI's order. */
  readonly projectUrls: Readonly<Record<string, string>>;
  readonly packageUrl: string | null;
  readonly yanked: boolean;
  readonly yankedReason: string | null;
  readonly vulnerabilities: readonly Vulnerability[];
}

export interface PypiJsonClientOptions {
  readonly fetcher: Fetcher;
  readonly cache: IndexCache;
  readonly policy?: CachePolicy;
}

/**
 * The JSON API root for a simple index URL, where one is known to exist: PyPI and indexes laid
 * out like it (`.../simple/` beside `.../pypi/`, as pypiserver-like servers and our test index do).
 * Ex) `https://pypi.org/simple/` -> `https://pypi.org/pypi/`; `https://x.org/repo/` -> null.
 */
export function jsonApiRootFor(indexUrl: string): string | null {
  const m = /^(.*\/)simple\/?$/.exec(indexUrl);
  return m ? `${m[1]}pypi/` : null;
}

export class PypiJsonClient {
  readonly root: string;
  private readonly fetcher: Fetcher;
  private readonly cache: IndexCache;
  private readonly policy: CachePolicy;

  constructor(root: string, options: PypiJsonClientOptions) {
    this.root = root.endsWith('/') ? root : `${root}/`;
    this.fetcher = options.fetcher;
    this.cache = options.cache;
    this.policy = options.policy ?? 'normal';
  }

  /** Project information (of `version`, else the latest release); null when not found. */
  async projectInfo(name: string, options: { version?: string; signal?: AbortSignal } = {}): Promise<ProjectInfo | null> {
    const normalized = normalizeName(name);
    const path = options.version ? `${normalized}/${encodeURIComponent(options.version)}` : normalized;
    const url = `${this.root}${path}/json`;
    const key = IndexCache.pageKey('project-info', this.root, path);
    type Cached = { found: true; info: ProjectInfo } | { found: false };
    const cached = this.policy === 'refresh' ? undefined : await this.cache.getPage<Cached>(key);
    if (cached && (cached.fresh || this.policy === 'offline')) return cached.value.found ? cached.value.info : null;
    if (this.policy === 'offline') {
      throw new IndexError(IndexErrorCode.Offline, `${url} is not in the cache, and Pipette is offline.`, { url });
    }
    let response;
    try {
      response = await this.fetcher.request({ url, accept: 'application/json', signal: options.signal });
    } catch (error) {
      // Information for the UI: an old answer beats none when the network is down.
      if (cached && error instanceof IndexError && error.code !== IndexErrorCode.InvalidResponse) {
        return cached.value.found ? cached.value.info : null;
      }
      throw error;
    }
    if (response.status === 404 || response.status === 410) {
      this.cache.putPage<Cached>(key, { value: { found: false }, url: response.url, lastSerial: null });
      return null;
    }
    const info = parseProjectJson(new TextDecoder().decode(response.bytes), response.url);
    const serial = response.headers.get('x-pypi-last-serial');
    this.cache.putPage<Cached>(key, {
      value: { found: true, info },
      url: response.url,
      lastSerial: serial !== null && /^\d+$/.test(serial) ? Number(serial) : null,
    });
    return info;
  }
}

/** Parse a `/pypi/<name>/json` answer. */
export function parseProjectJson(text: string, url: string): ProjectInfo {
  const fail = (reason: string): never => {
    throw new IndexError(IndexErrorCode.InvalidResponse, `Invalid answer from ${url}: ${reason}.`, { url });
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(data) || !isObject(data['info'])) return fail('it has no "info" object');
  const info = data['info'];
  const name = str(info['name']);
  const version = str(info['version']);
  if (name === null || version === null) return fail('"info" has no name or version');
  const projectUrls: Record<string, string> = {};
  if (isObject(info['project_urls'])) {
    for (const [label, link] of Object.entries(info['project_urls'])) {
      if (typeof link === 'string') projectUrls[label] = link;
    }
  }
  const vulnerabilities: Vulnerability[] = [];
  const rawVulns = data['vulnerabilities'];
  if (Array.isArray(rawVulns)) {
    for (const v of rawVulns) {
      if (!isObject(v) || typeof v['id'] !== 'string') continue;
      vulnerabilities.push({
        id: v['id'],
        aliases: strings(v['aliases']),
        summary: str(v['summary']),
        details: str(v['details']),
        fixedIn: strings(v['fixed_in']),
        link: str(v['link']),
        source: str(v['source']),
        withdrawn: str(v['withdrawn']),
      });
    }
  }
  return {
    name,
    version,
    summary: str(info['summary']),
    homePage: str(info['home_page']),
    license: str(info['license']),
    licenseExpression: str(info['license_expression']),
    author: str(info['author']) ?? str(info['author_email']),
    requiresPython: str(info['requires_python']),
    projectUrls,
    packageUrl: str(info['package_url']),
    yanked: info['yanked'] === true,
    yankedReason: str(info['yanked_reason']),
    vulnerabilities,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, else null (PyPI sends "" and null alike for "not given"). */
function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
