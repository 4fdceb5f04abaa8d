/**
 * Why versions of a project cannot be used, as data (uv's `UnavailableVersion` /
 * `IncompatibleDist`). The provider attaches one to each unusable run of versions; the
 * explanation turns it into a predicate ("has only a source distribution") and a hint.
 */
export type UnavailableReason =
  /** The project is on no configured index. */
  | { readonly kind: 'not-found'; readonly indexes: readonly string[] }
  /** Only source distributions: Pyodide installs wheels and cannot build. */
  | { readonly kind: 'sdist-only'; readonly filenames: readonly string[] }
  /** Listed, but no file at all (PEP 700 `versions` without files). */
  | { readonly kind: 'no-files' }
  /** Wheels, but only for other platforms (manylinux, win, macos...). */
  | { readonly kind: 'platform'; readonly platforms: readonly string[] }
  /** Wheels for Pyodide, but a different Pyodide ABI (another `pyodide_YYYY_N` / emscripten). */
  | { readonly kind: 'pyodide-abi'; readonly platforms: readonly string[]; readonly expected: string }
  /** Wheels for this platform but another Python (`cp313` on a 3.14 Pyodide). */
  | { readonly kind: 'python-tag'; readonly tags: readonly string[] }
  /** Every usable file is yanked (PEP 592) and the version is not pinned with `==`/`===`. */
  | { readonly kind: 'yanked'; readonly reason: string }
  /** Every file was uploaded after `--exclude-newer` (or has no upload time). */
  | { readonly kind: 'excluded-newer'; readonly cutoff: string }
  /** Pre-releases are not allowed for this project (pip's rule, without `--pre`). */
  | { readonly kind: 'prerelease' }
  /** The metadata could not be read or parsed. */
  | { readonly kind: 'invalid-metadata'; readonly message: string }
  /** The metadata names another project or version than the file. */
  | { readonly kind: 'inconsistent-metadata'; readonly message: string }
  /** A dependency is a direct reference (`name @ url`), which an index package may not have. */
  | { readonly kind: 'url-dependency'; readonly requirement: string }
  /** Excluded by a constraint (`-c`): the constraint as written. */
  | { readonly kind: 'constraint'; readonly constraint: string }
  /** Not the version of a direct reference the person asked for. */
  | { readonly kind: 'direct-reference'; readonly url: string };

/** Two reasons of the same kind can describe one run of adjacent versions. */
export function sameKind(a: UnavailableReason, b: UnavailableReason): boolean {
  return a.kind === b.kind;
}

/** The union of two same-kind reasons (platform lists merged), for a run of versions. */
export function mergeReasons(a: UnavailableReason, b: UnavailableReason): UnavailableReason {
  if (a.kind === 'platform' && b.kind === 'platform') return { kind: 'platform', platforms: union(a.platforms, b.platforms) };
  if (a.kind === 'pyodide-abi' && b.kind === 'pyodide-abi') {
    return { kind: 'pyodide-abi', platforms: union(a.platforms, b.platforms), expected: a.expected };
  }
  if (a.kind === 'python-tag' && b.kind === 'python-tag') return { kind: 'python-tag', tags: union(a.tags, b.tags) };
  if (a.kind === 'sdist-only' && b.kind === 'sdist-only') return { kind: 'sdist-only', filenames: union(a.filenames, b.filenames) };
  return a;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

/** A short list: `a, b and 3 more`. */
export function shortList(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/**
 * The reason as a predicate after a package range: "foo>=2.0 {has only a source
 * distribution}". `plural` when the range reads as several versions.
 */
export function describeReason(reason: UnavailableReason, plural: boolean): string {
  const has = plural ? 'have' : 'has';
  const is = plural ? 'are' : 'is';
  const was = plural ? 'were' : 'was';
  switch (reason.kind) {
    case 'not-found':
      return `was not found on the package index${reason.indexes.length > 0 ? ` (${shortList(reason.indexes)})` : ''}`;
    case 'sdist-only':
      return `${has} only a source distribution, which Pyodide cannot build`;
    case 'no-files':
      return `${has} no files on the package index`;
    case 'platform':
      return `${has} no wheels for Pyodide (only for ${shortList(reason.platforms)})`;
    case 'pyodide-abi':
      return `${was} built for another Pyodide (${shortList(reason.platforms)}; this one needs ${reason.expected})`;
    case 'python-tag':
      return `${has} no wheels for this Python (only ${shortList(reason.tags)})`;
    case 'yanked':
      return `${was} yanked${reason.reason ? ` (reason: ${reason.reason})` : ''}`;
    case 'excluded-newer':
      return `${was} uploaded after ${reason.cutoff} (--exclude-newer)`;
    case 'prerelease':
      return plural ? 'are pre-releases, which are not allowed' : 'is a pre-release, which is not allowed';
    case 'invalid-metadata':
      return `${has} invalid metadata: ${reason.message}`;
    case 'inconsistent-metadata':
      return `${has} inconsistent metadata: ${reason.message}`;
    case 'url-dependency':
      return `${is} unusable because it depends on a direct reference (${reason.requirement})`;
    case 'constraint':
      return `${is} excluded by your constraint ${reason.constraint}`;
    case 'direct-reference':
      return `${is} not the version at ${reason.url}`;
  }
}
