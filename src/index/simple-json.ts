/**
 * PEP 691 project pages (JSON):
 *
 *   { "meta": { "api-version": "1.1" }, "name": "foo", "versions": ["1.0"],       PEP 629, 700
 *     "files": [ { "filename": "foo-1.0-py3-none-any.whl", "url": "...",
 *                  "hashes": { "sha256": "..." }, "requires-python": ">=3.8",
 *                  "core-metadata": { "sha256": "..." },                          PEP 714 (658)
 *                  "yanked": "reason" | true | false,                             PEP 592
 *                  "size": 123, "upload-time": "2024-01-01T00:00:00.000000Z" } ] } PEP 700
 *
 * `url` may be relative: it resolves against the page URL. A page that breaks the schema is an
 * `invalid-response` error naming the field, not a silently shorter candidate list (pip skips a
 * file without `url`).
 *
 * What a file is, is read as pip reads it (`Link.from_json`), so both choose the same one: its
 * name from the URL, not from `filename` (pip never looks at it: a page that says
 * `alpha-9.0` and links `alpha-1.0` offers 1.0); `yanked` by Python truthiness; links
 * that are not http(s) skipped (simple-page.ts `fetchableFrom`).
 */
import { normalizeName, type DistributionFile } from '../pep';
import { IndexError, IndexErrorCode } from './index-error';
import { checkApiVersion, cleanHashes, fetchableFrom, filenameFromUrl, joinLink, splitHashFragment, type PageContext, type SimplePage } from './simple-page';

export function parseSimpleJson(text: string, context: PageContext): SimplePage {
  const fail = (reason: string): never => {
    throw new IndexError(
      IndexErrorCode.InvalidResponse,
      `Invalid project page from ${context.url}: ${reason}. The index does not follow PEP 691; ` +
        'check the index URL, or report it to the index.',
      { url: context.url },
    );
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isObject(data)) return fail('the body is not a JSON object');

  const meta = data['meta'];
  if (!isObject(meta)) return fail('"meta" is missing or not an object');
  const apiVersion = meta['api-version'];
  if (typeof apiVersion !== 'string') return fail('"meta.api-version" is missing or not a string');
  const warnings: string[] = [];
  const warning = checkApiVersion(apiVersion, fail);
  if (warning) warnings.push(warning);

  const rawName = data['name'];
  if (typeof rawName !== 'string') return fail('"name" is missing or not a string');
  const name = normalizeName(rawName);
  if (name !== context.name) {
    return fail(`it describes ${JSON.stringify(rawName)}, not the ${JSON.stringify(context.name)} that was asked for`);
  }

  const rawFiles = data['files'];
  if (!Array.isArray(rawFiles)) return fail('"files" is missing or not an array');
  const files: DistributionFile[] = [];
  rawFiles.forEach((raw: unknown, i) => {
    const where = `files[${i}]`;
    if (!isObject(raw)) return fail(`${where} is not an object`);
    const filename = raw['filename'];
    if (typeof filename !== 'string' || filename === '') return fail(`${where}.filename is missing`);
    const href = raw['url'];
    if (typeof href !== 'string' || href === '') return fail(`${where}.url is missing`);
    const parsed = joinLink(href, context.url);
    if (!parsed) return fail(`${where}.url ${JSON.stringify(href)} is not a URL`);
    if (!fetchableFrom(parsed, context.url)) return;
    const { url, hashes: fragmentHashes } = splitHashFragment(parsed);
    if (!isObject(raw['hashes'])) return fail(`${where}.hashes is missing or not an object`);
    // pip's order (`Link.__init__`: `{**hashes, **hashes_from_link}`): the index's object as
    // written, then the fragment's digest; the first is the one checked (hash.ts `linkHash`).
    const hashes = { ...cleanHashes(raw['hashes']), ...fragmentHashes };

    const requiresPython = raw['requires-python'];
    const yanked = raw['yanked'];
    const size = raw['size'];
    const uploadTime = raw['upload-time'];
    const name = filenameFromUrl(url);
    if (name === '') return; // no file name (see filenameFromUrl)
    files.push({
      filename: name,
      url,
      hashes,
      size: typeof size === 'number' && Number.isInteger(size) && size >= 0 ? size : null,
      requiresPython: typeof requiresPython === 'string' && requiresPython.trim() !== '' ? requiresPython.trim() : null,
      yanked: yankedReason(yanked),
      uploadTime: typeof uploadTime === 'string' ? uploadTime : null,
      coreMetadata: metadataField(raw),
      index: context.index,
      origin: 'index',
    });
  });

  let versions: string[] | null = null;
  const rawVersions = data['versions'];
  if (rawVersions !== undefined) {
    if (!Array.isArray(rawVersions) || !rawVersions.every((v): v is string => typeof v === 'string')) {
      return fail('"versions" is not an array of strings');
    }
    versions = rawVersions;
  }
  return { name, url: context.url, index: context.index, files, versions, apiVersion, warnings };
}

/**
 * PEP 691: a string is the reason, `true` means yanked without one. pip (`Link.from_json`) goes
 * by Python truthiness: `""` is not yanked, `1` or `["x"]` is, without a reason.
 */
function yankedReason(value: unknown): false | string {
  if (typeof value === 'string') return value === '' ? false : value;
  const truthy =
    value === true ||
    (typeof value === 'number' && value !== 0) ||
    (Array.isArray(value) && value.length > 0) ||
    (isObject(value) && Object.keys(value).length > 0);
  return truthy ? '' : false;
}

/**
 * PEP 714: `core-metadata`, else PEP 658's `dist-info-metadata` (and the `data-dist-info-metadata`
 * spelling PEP 691 once printed). `true` or a hashes object means the `.metadata` file exists.
 */
function metadataField(raw: Record<string, unknown>): DistributionFile['coreMetadata'] {
  const value = raw['core-metadata'] ?? raw['dist-info-metadata'] ?? raw['data-dist-info-metadata'];
  if (value === true) return { hashes: {} };
  if (isObject(value)) return { hashes: cleanHashes(value) };
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
