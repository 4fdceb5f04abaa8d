/**
 * Source trees from GitHub without git: a browser tab cannot run git, and git hosts' smart HTTP
 * and archive endpoints send no CORS headers, but GitHub's REST API and its raw file host do.
 * So `git+https://github.com/OWNER/REPO(.git)[@REF][#egg=NAME&subdirectory=DIR]` is fetched as:
 *
 * 1. `GET {api}/repos/OWNER/REPO/commits/REF` (REF = `HEAD` when none is given): the commit sha;
 * 2. `GET {api}/repos/OWNER/REPO/git/trees/SHA?recursive=1`: every path, mode and blob sha;
 * 3. `GET {raw}/OWNER/REPO/SHA/PATH` for each file, checked against its git blob sha
 *    (sha1 of `blob <size>\0<content>`), so every byte is the commit's.
 *
 * The commit is what pip records (PEP 610 `vcs_info.commit_id`) and what a lock or share link
 * carries. The hosts are injectable for tests only (a local stand-in with the same paths and
 * JSON shapes); the page always uses GitHub's.
 */
import { digestHex } from '../pep';
import { BuildError, BuildErrorCode } from './build-error';
import type { SourceFile } from './archive';

export interface GitHubHosts {
  /** REST API root. Ex) `https://api.github.com` */
  readonly api: string;
  /** Raw file host root. Ex) `https://raw.githubusercontent.com` */
  readonly raw: string;
}

export const GITHUB_HOSTS: GitHubHosts = { api: 'https://api.github.com', raw: 'https://raw.githubusercontent.com' };

/** A `git+https://github.com/...` reference, taken apart as pip's `Link` and `Git` do. */
export interface GitHubReference {
  readonly owner: string;
  readonly repo: string;
  /** `@REF` (branch, tag or commit), or null for the default branch. */
  readonly ref: string | null;
  readonly subdirectory: string | null;
  /** `#egg=NAME`, when given. */
  readonly egg: string | null;
  /** What direct_url.json records as `url`. Ex) `https://github.com/pypa/sampleproject.git` */
  readonly url: string;
}

/** Fetches a URL's bytes (status answered, not thrown, for 404). */
export type UrlFetcher = (url: string, options: { readonly accept?: string; readonly signal?: AbortSignal }) => Promise<{ readonly status: number; readonly bytes: Uint8Array }>;

export interface GitHubFetchOptions {
  readonly fetch: UrlFetcher;
  readonly hosts?: GitHubHosts;
  readonly signal?: AbortSignal;
  /** Files and bytes at most (a whole repository can be large). */
  readonly maxFiles?: number;
  readonly maxBytes?: number;
}

const VCS_SCHEMES = /^(git|hg|svn|bzr)\+/i;

/** Whether `url` is a VCS URL (`git+https://...`, `hg+...`), which only GitHub's git can serve here. */
export function isVcsUrl(url: string): boolean {
  return VCS_SCHEMES.test(url);
}

/**
 * `git+https://github.com/OWNER/REPO.git@REF#egg=NAME&subdirectory=DIR` taken apart; anything
 * else Pipette cannot fetch is refused with why (another host, ssh, hg/svn/bzr, credentials).
 */
export function parseGitHubUrl(text: string): GitHubReference {
  const scheme = /^([a-z]+)\+([a-z]+):/i.exec(text);
  const vcs = scheme?.[1]?.toLowerCase();
  if (vcs !== 'git') {
    throw unsupported(text, `${vcs ?? 'this'} repositories need the ${vcs ?? 'version control'} program, which a browser tab cannot run. Install a released version or an sdist/wheel URL instead`);
  }
  if (scheme![2]!.toLowerCase() !== 'https') {
    throw unsupported(text, `git over ${scheme![2]} cannot be reached from a browser tab; Pipette reads GitHub repositories over https (git+https://github.com/OWNER/REPO)`);
  }
  let url: URL;
  try {
    url = new URL(text.slice(4));
  } catch {
    throw unsupported(text, 'it is not a valid URL');
  }
  if (url.username !== '' || url.password !== '') {
    throw unsupported(text, 'it holds a user name or token; a browser sends no credentials written in a URL, and secrets do not belong in requirements you share. Use a public repository');
  }
  if (url.hostname.toLowerCase() !== 'github.com' || url.port !== '') {
    throw unsupported(
      text,
      `Pipette fetches git sources through GitHub's API (api.github.com and raw.githubusercontent.com answer a browser with CORS headers); ${url.hostname}'s git server does not, and a browser tab cannot run git. Install a released version, or an sdist (.tar.gz) or wheel URL that the host serves with CORS`,
    );
  }
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const path = decodeURIComponent(url.pathname);
  const at = path.indexOf('@');
  const repoPath = at < 0 ? path : path.slice(0, at);
  const ref = at < 0 ? null : path.slice(at + 1);
  const m = /^\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(repoPath);
  if (!m || m[1] === '.' || m[1] === '..' || m[2] === '.' || m[2] === '..') {
    throw unsupported(text, 'it does not name a repository as https://github.com/OWNER/REPO');
  }
  if (ref !== null && (ref === '' || ref.includes('..') || /[\s\\~^:?*[\x00-\x1f]/.test(ref))) {
    throw unsupported(text, `${JSON.stringify(ref)} is not a valid branch, tag or commit name`);
  }
  const subdirectory = fragment.get('subdirectory');
  if (subdirectory !== null && (subdirectory === '' || subdirectory.startsWith('/') || subdirectory.split('/').includes('..') || subdirectory.includes('\\'))) {
    throw unsupported(text, `subdirectory=${subdirectory} is not a folder inside the repository`);
  }
  return {
    owner: m[1]!,
    repo: m[2]!,
    ref,
    subdirectory: subdirectory?.replace(/\/+$/, '') ?? null,
    egg: fragment.get('egg'),
    url: `https://github.com/${m[1]}/${m[2]}${repoPath.endsWith('.git') ? '.git' : ''}`,
  };
}

/** The commit `ref` names (the default branch's head when null). */
export async function resolveGitHubCommit(ref: GitHubReference, options: GitHubFetchOptions): Promise<string> {
  const hosts = options.hosts ?? GITHUB_HOSTS;
  const wanted = ref.ref ?? 'HEAD';
  if (/^[0-9a-f]{40}$/.test(wanted)) return wanted;
  const url = `${hosts.api}/repos/${ref.owner}/${ref.repo}/commits/${encodeURIComponent(wanted)}`;
  const answer = await getJson(url, options, `${ref.owner}/${ref.repo}`);
  if (answer.status === 403 || answer.status === 429) throw rateLimited(ref);
  if (answer.status === 404 || answer.status === 422) {
    throw new BuildError(
      BuildErrorCode.SourceFetch,
      ref.url,
      ref.ref === null
        ? `Could not find the repository ${ref.owner}/${ref.repo} on GitHub (it does not exist, or it is private). Check the URL.`
        : `Could not find ${JSON.stringify(ref.ref)} in ${ref.owner}/${ref.repo} on GitHub: no branch, tag or commit has that name.`,
    );
  }
  const sha = (answer.json as { sha?: unknown }).sha;
  if (typeof sha !== 'string' || !/^[0-9a-f]{40}$/.test(sha)) {
    throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `GitHub's answer for ${ref.owner}/${ref.repo}@${wanted} holds no commit sha; try again later.`);
  }
  return sha;
}

interface TreeEntry {
  readonly path: string;
  readonly mode: string;
  readonly type: string;
  readonly sha: string;
  readonly size?: number;
}

/**
 * Every file of the tree at `commit` (under `subdirectory` when given, paths relative to it),
 * each checked against its git blob sha.
 */
export async function fetchGitHubTree(ref: GitHubReference, commit: string, options: GitHubFetchOptions): Promise<SourceFile[]> {
  const hosts = options.hosts ?? GITHUB_HOSTS;
  const maxFiles = options.maxFiles ?? 5_000;
  const maxBytes = options.maxBytes ?? 100 * 1024 * 1024;
  const name = `${ref.owner}/${ref.repo}@${commit.slice(0, 12)}`;
  const answer = await getJson(`${hosts.api}/repos/${ref.owner}/${ref.repo}/git/trees/${commit}?recursive=1`, options, name);
  if (answer.status === 403 || answer.status === 429) throw rateLimited(ref);
  if (answer.status !== 200) throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `GitHub did not list the files of ${name} (HTTP ${answer.status}).`);
  const tree = answer.json as { tree?: unknown; truncated?: unknown };
  if (tree.truncated === true) {
    throw new BuildError(BuildErrorCode.TooLarge, ref.url, `${name} has more files than GitHub lists in one answer; Pipette cannot fetch it file by file. Install a released version instead.`);
  }
  if (!Array.isArray(tree.tree)) throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `GitHub's file list for ${name} is not in the expected form.`);
  const prefix = ref.subdirectory === null ? '' : `${ref.subdirectory}/`;
  const blobs: TreeEntry[] = [];
  const links: TreeEntry[] = [];
  let subdirectoryFound = ref.subdirectory === null;
  for (const raw of tree.tree as unknown[]) {
    const e = raw as TreeEntry;
    if (typeof e.path !== 'string' || typeof e.type !== 'string' || typeof e.sha !== 'string' || typeof e.mode !== 'string') continue;
    if (prefix !== '' && `${e.path}/`.startsWith(prefix)) subdirectoryFound = true;
    if (!e.path.startsWith(prefix)) continue;
    if (e.type === 'commit') {
      throw new BuildError(BuildErrorCode.UnsupportedSource, ref.url, `${name} uses a git submodule (${e.path}); Pipette cannot fetch submodules through GitHub's API. Install a released version instead.`);
    }
    if (e.type !== 'blob') continue;
    checkRelative(ref.url, e.path);
    if (e.mode === '120000') links.push(e);
    else blobs.push(e);
  }
  if (!subdirectoryFound) throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `${name} has no folder ${ref.subdirectory} (from #subdirectory=).`);
  if (blobs.length + links.length > maxFiles) {
    throw new BuildError(BuildErrorCode.TooLarge, ref.url, `${name} has ${blobs.length + links.length} files, more than the ${maxFiles} Pipette fetches one by one. Install a released version instead.`);
  }
  const declared = blobs.reduce((n, b) => n + (typeof b.size === 'number' ? b.size : 0), 0);
  if (declared > maxBytes) {
    throw new BuildError(BuildErrorCode.TooLarge, ref.url, `${name} holds ${Math.round(declared / 1e6)} MB of files, more than Pipette fetches one by one. Install a released version instead.`);
  }
  const fetchBlob = async (entry: TreeEntry): Promise<Uint8Array> => {
    const url = `${hosts.raw}/${ref.owner}/${ref.repo}/${commit}/${entry.path.split('/').map(encodeURIComponent).join('/')}`;
    const got = await options.fetch(url, options.signal ? { signal: options.signal } : {});
    if (got.status !== 200) throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `Could not fetch ${entry.path} of ${name} from GitHub (HTTP ${got.status}).`);
    if ((await gitBlobSha(got.bytes)) !== entry.sha) {
      throw new BuildError(BuildErrorCode.SourceFetch, ref.url, `${entry.path} of ${name} as served does not match the commit (its git blob sha differs). Refusing to use it.`);
    }
    return got.bytes;
  };
  const files = new Map<string, SourceFile>();
  // A few at a time: the fetch layer limits concurrency too, but a queue keeps order simple.
  const queue = [...blobs];
  const workers = Array.from({ length: Math.min(8, queue.length) }, async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const data = await fetchBlob(entry);
      files.set(entry.path, { path: entry.path.slice(prefix.length), data, executable: entry.mode === '100755' });
    }
  });
  await Promise.all(workers);
  for (const link of links) {
    // A link's blob is its target; one to a file of the tree becomes a copy, others are refused.
    const target = new TextDecoder().decode(await fetchBlob(link));
    const resolved = resolveInside(link.path, target);
    const found = resolved === null ? undefined : files.get(resolved);
    if (!found) {
      throw new BuildError(BuildErrorCode.UnsafeArchive, ref.url, `${name} has the link ${link.path} -> ${target}, which does not point at a file inside the repository. Refusing to use it.`);
    }
    files.set(link.path, { path: link.path.slice(prefix.length), data: found.data, executable: found.executable });
  }
  return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

async function getJson(url: string, options: GitHubFetchOptions, what: string): Promise<{ status: number; json: unknown }> {
  const got = await options.fetch(url, { accept: 'application/vnd.github+json', ...(options.signal ? { signal: options.signal } : {}) });
  if (got.status !== 200) return { status: got.status, json: null };
  try {
    return { status: 200, json: JSON.parse(new TextDecoder().decode(got.bytes)) as unknown };
  } catch {
    throw new BuildError(BuildErrorCode.SourceFetch, url, `GitHub's answer about ${what} is not JSON; try again later.`);
  }
}

/** git's object id of a blob: sha1 of `blob <size>\0<content>`. */
export async function gitBlobSha(content: Uint8Array): Promise<string> {
  const header = new TextEncoder().encode(`blob ${content.length}\0`);
  const data = new Uint8Array(header.length + content.length);
  data.set(header, 0);
  data.set(content, header.length);
  return digestHex('sha1', data);
}

function checkRelative(url: string, path: string): void {
  // eslint-disable-next-line no-control-regex
  if (path.startsWith('/') || path.split('/').includes('..') || path.includes('\\') || /[\x00-\x1f]/.test(path)) {
    throw new BuildError(BuildErrorCode.UnsafeArchive, url, `GitHub listed the path ${JSON.stringify(path)}, which is not a plain relative path. Refusing to use it.`);
  }
}

/** A symbolic link's target as a path from the tree's root, or null when it leaves the tree. */
function resolveInside(linkPath: string, target: string): string | null {
  if (target.startsWith('/')) return null;
  const parts = linkPath.split('/').slice(0, -1);
  for (const part of target.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return null;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}

function rateLimited(ref: GitHubReference): BuildError {
  return new BuildError(
    BuildErrorCode.SourceFetch,
    ref.url,
    `GitHub's API refused to answer about ${ref.owner}/${ref.repo} (HTTP 403/429): it answers 60 requests an hour to a browser that is not signed in, and Pipette uses two per repository. Try again later.`,
  );
}

function unsupported(url: string, why: string): BuildError {
  return new BuildError(BuildErrorCode.UnsupportedSource, url, `Cannot install ${url}: ${why}.`);
}
