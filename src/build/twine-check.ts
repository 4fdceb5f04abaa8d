/**
 * `twine check` by twine's rules (pypa/twine `commands/check.py`, `package.py`, `sdist.py`,
 * `wheel.py`; readme_renderer `rst.py`), because twine itself is not something a tab can
 * install and run whole (its upload endpoint sends no CORS headers). The parts that decide the
 * outcome are theirs:
 * - the distribution's metadata: a wheel's one `*.dist-info/METADATA`, an sdist's
 *   `<root>/PKG-INFO` under a single top-level folder; fields validated as twine has packaging
 *   do it (`Metadata.from_raw`): required fields, names and versions, fields the declared
 *   Metadata-Version does not have, unknown fields;
 * - the long description: missing content type is a warning (`defaulting to text/x-rst`),
 *   missing description a warning, text/markdown and text/plain always render, reStructuredText
 *   must render with readme_renderer's docutils settings (`halt_level: 2`: any warning fails).
 *   That rendering runs the real docutils in the tab (`renderRst`, injected).
 * Output is twine's: `Checking dist/x.whl: PASSED`, `PASSED with warnings`, `FAILED`, and its
 * WARNING / ERROR lines.
 */
import { Gunzip } from 'fflate';
import { checkedZipDirectory, readZipEntry } from '../install';
import { MetadataError, parseMetadata, PepError, PipetteError, Requirement, SpecifierSet, type CoreMetadata } from '../pep';
import { readTar, TarFormatError } from './tar';

/** Renders reStructuredText as PyPI does; `warnings` is twine's reformatted docutils report. */
export type RstRenderer = (text: string) => Promise<{ readonly rendered: boolean; readonly warnings: string }>;

export interface TwineCheckOptions {
  /** The arguments after `twine check` (the shell has expanded `dist/*`). */
  readonly args: readonly string[];
  /** Reads a file given on the command line (relative to the working directory); null when absent. */
  readonly readFile: (path: string) => Uint8Array | null;
  readonly renderRst: RstRenderer;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** What twine raises for a file it cannot read (`InvalidDistribution`). */
class InvalidDistribution extends PipetteError<'invalid-distribution'> {
  constructor(message: string) {
    super('invalid-distribution', message);
  }
}

/** Metadata fields by version introduced (packaging `metadata.py` `_VALID_METADATA_VERSIONS`). */
const INTRODUCED: ReadonlyMap<string, string> = new Map([
  ['description-content-type', '2.1'],
  ['provides-extra', '2.1'],
  ['dynamic', '2.2'],
  ['license-expression', '2.4'],
  ['license-file', '2.4'],
  ['import-name', '2.5'],
  ['import-namespace', '2.5'],
]);
const KNOWN_FIELDS = new Set([
  'metadata-version', 'name', 'version', 'dynamic', 'platform', 'supported-platform', 'summary', 'description', 'description-content-type',
  'keywords', 'home-page', 'download-url', 'author', 'author-email', 'maintainer', 'maintainer-email', 'license', 'license-expression',
  'license-file', 'classifier', 'requires-dist', 'requires-python', 'requires-external', 'project-url', 'provides-extra', 'provides-dist',
  'obsoletes-dist', 'requires', 'provides', 'obsoletes', 'import-name', 'import-namespace',
]);
const METADATA_VERSIONS = ['1.0', '1.1', '1.2', '2.1', '2.2', '2.3', '2.4', '2.5'];

/** `twine check [--strict] DIST...`: the exit status (1 when a file failed, as twine's). */
export async function twineCheck(options: TwineCheckOptions): Promise<number> {
  const { stdout, stderr } = options;
  const strict = options.args.includes('--strict');
  const dists = options.args.filter((a) => a !== '--strict');
  const unknown = dists.find((a) => a.startsWith('-'));
  if (unknown !== undefined || dists.length === 0) {
    stderr(`usage: twine check [-h] [--strict] dist [dist ...]\ntwine check: error: ${unknown !== undefined ? `unrecognized arguments: ${unknown}` : 'the following arguments are required: dist'}\n`);
    return 2;
  }
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const path of dists) {
    const bytes = options.readFile(path);
    if (bytes === null) {
      stderr(logLine('ERROR', `InvalidDistribution: Cannot find file (or expand pattern): '${path}'`));
      return 1;
    }
    files.push({ path, bytes });
  }
  // twine's `_split_inputs`: signatures and attestations are not distributions; wheels first.
  const uploads = files.filter((f) => !f.path.endsWith('.asc') && !/\.[^./]+\.attestation$/.test(f.path));
  uploads.sort((a, b) => Number(!a.path.endsWith('.whl')) - Number(!b.path.endsWith('.whl')));
  if (uploads.length === 0) {
    stderr(logLine('ERROR', 'No files to check.'));
    return 0;
  }
  let failure = false;
  for (const { path, bytes } of uploads) {
    stdout(`Checking ${path}: `);
    let metadata: CoreMetadata;
    try {
      metadata = readMetadata(path, bytes);
    } catch (error) {
      if (!(error instanceof InvalidDistribution)) throw error;
      stdout('\n');
      stderr(logLine('ERROR', `InvalidDistribution: ${error.message}`));
      return 1;
    }
    const warnings: string[] = [];
    let ok = true;
    let report = '';
    const description = metadata.description;
    let contentType = metadata.fields.get('description-content-type')?.[0] ?? null;
    if (contentType === null) {
      warnings.push('`long_description_content_type` missing. defaulting to `text/x-rst`.');
      contentType = 'text/x-rst';
    }
    const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
    // readme_renderer renders text/plain and text/markdown whatever they hold; anything else as rst.
    const rst = type !== 'text/plain' && type !== 'text/markdown';
    if (!description || description.trimEnd() === 'UNKNOWN') {
      warnings.push('`long_description` missing.');
    } else if (rst) {
      const result = await options.renderRst(description);
      if (!result.rendered) {
        ok = false;
        report = result.warnings;
      }
    }
    if (!ok) {
      failure = true;
      stdout('FAILED\n');
      stderr(logLine('ERROR', `\`long_description\` has syntax errors in markup and would not be rendered on PyPI.\n${report}`));
    } else if (warnings.length > 0) {
      if (strict) {
        failure = true;
        stdout('FAILED due to warnings\n');
      } else stdout('PASSED with warnings\n');
    } else stdout('PASSED\n');
    for (const w of warnings) stderr(logLine('WARNING', w));
  }
  return failure ? 1 : 0;
}

/** A line as twine's rich logging shows it: the level in a column of 8, continuation lines aligned. */
function logLine(level: 'ERROR' | 'WARNING', message: string): string {
  return `${message.replace(/\s+$/, '').split('\n').map((line, i) => (i === 0 ? `${level.padEnd(8)} ${line}` : `${' '.repeat(9)}${line}`)).join('\n')}\n`;
}

/** The metadata of a wheel or sdist, validated as twine's PackageFile.from_filename does. */
function readMetadata(path: string, bytes: Uint8Array): CoreMetadata {
  const base = path.slice(path.lastIndexOf('/') + 1);
  let text: string;
  if (base.endsWith('.whl')) text = wheelMetadata(base, bytes);
  else if (base.endsWith('.tar.gz')) text = sdistMetadata(base, tarNames(base, bytes));
  else if (base.endsWith('.zip')) text = sdistMetadata(base, zipNames(base, bytes));
  else throw new InvalidDistribution(`Unknown distribution format: '${base}'`);
  let metadata: CoreMetadata;
  try {
    metadata = parseMetadata(text);
  } catch (error) {
    if (error instanceof MetadataError || error instanceof PepError) throw new InvalidDistribution(`Invalid distribution metadata: ${error.message}`);
    throw error;
  }
  const problems: string[] = [];
  const version = metadata.metadataVersion;
  if (!METADATA_VERSIONS.includes(version)) problems.push(`${quote(version)} is not a valid metadata version`);
  for (const [field] of metadata.fields) {
    if (!KNOWN_FIELDS.has(field)) {
      problems.push(`unrecognized or malformed field ${quote(field)}`);
      continue;
    }
    const introduced = INTRODUCED.get(field);
    // setuptools writes License-File under older versions; twine drops it below 2.4.
    if (introduced && compareVersions(version, introduced) < 0 && !(field === 'license-file' && compareVersions(version, '2.4') < 0)) {
      problems.push(`${quote(field.replace(/-/g, '_'))} introduced in metadata version ${introduced}, not ${version}`);
    }
  }
  for (const rp of metadata.fields.get('requires-python') ?? []) {
    try {
      SpecifierSet.parse(rp);
    } catch {
      problems.push(`${quote(rp)} is invalid for 'requires-python'`);
    }
  }
  for (const field of metadata.fields.get('dynamic') ?? []) {
    const lower = field.toLowerCase();
    if (lower === 'name' || lower === 'version' || lower === 'metadata-version') problems.push(`${quote(field)} is not allowed as a dynamic field`);
    else if (!KNOWN_FIELDS.has(lower)) problems.push(`${quote(field)} is not a valid dynamic field`);
  }
  for (const r of metadata.fields.get('requires-dist') ?? []) {
    try {
      Requirement.parse(r);
    } catch {
      problems.push(`${quote(r)} is invalid for 'requires-dist'`);
    }
  }
  if (problems.length > 0) throw new InvalidDistribution(`Invalid distribution metadata: ${problems.sort().join('; ')}`);
  return metadata;
}

/** What twine check unpacks from one distribution at most. */
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

/**
 * Every name in a zip, with the content of those `wanted` (twine reads METADATA or PKG-INFO and
 * nothing else, so nothing else is inflated; `null` for folders and the rest), within
 * {@link MAX_UNPACKED_BYTES} declared.
 */
function zipEntries(base: string, bytes: Uint8Array, wanted: (name: string) => boolean): Map<string, Uint8Array | null> {
  const invalid = (): InvalidDistribution => new InvalidDistribution(`Invalid distribution file: '${base}'`);
  try {
    const directory = checkedZipDirectory(bytes, { maxBytes: MAX_UNPACKED_BYTES, tooLarge: invalid, filter: (entry) => wanted(entry.name) });
    return new Map(directory.map((entry) => [entry.name, wanted(entry.name) ? readZipEntry(bytes, entry) : null]));
  } catch {
    throw invalid();
  }
}

function wheelMetadata(base: string, bytes: Uint8Array): string {
  const isMetadata = (name: string): boolean => /^[^/]+\.dist-info\/METADATA$/.test(name);
  const found = [...zipEntries(base, bytes, isMetadata)].filter(([name]) => isMetadata(name)) as [string, Uint8Array][];
  if (found.length !== 1 || !new TextDecoder().decode(found[0]![1]).includes('Metadata-Version')) {
    throw new InvalidDistribution(`No METADATA in archive or METADATA missing 'Metadata-Version': ${base}`);
  }
  return new TextDecoder().decode(found[0]![1]);
}

/** twine's sdist rule: one top-level folder holding PKG-INFO with a Metadata-Version. */
function sdistMetadata(base: string, entries: ReadonlyMap<string, Uint8Array | null>): string {
  const tops = new Set([...entries.keys()].map((n) => n.split('/', 1)[0]!));
  if (tops.size !== 1) throw new InvalidDistribution(`Too many top-level members in sdist archive: ${base}`);
  const root = [...tops][0]!;
  const pkgInfo = entries.get(`${root}/PKG-INFO`);
  if (pkgInfo === null) throw new InvalidDistribution(`PKG-INFO is not a regular file: ${base}`);
  const text = pkgInfo === undefined ? '' : new TextDecoder().decode(pkgInfo);
  if (!text.includes('Metadata-Version')) throw new InvalidDistribution(`No PKG-INFO in archive or PKG-INFO missing 'Metadata-Version': ${base}`);
  return text;
}

/** Entry names of a .tar.gz with the content of regular files (null for other entries). */
function tarNames(base: string, bytes: Uint8Array): Map<string, Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    const gunzip = new Gunzip((chunk) => {
      total += chunk.length;
      if (total > MAX_UNPACKED_BYTES) throw new InvalidDistribution(`Invalid distribution file: '${base}'`);
      chunks.push(chunk);
    });
    gunzip.push(bytes, true);
  } catch (error) {
    if (error instanceof InvalidDistribution) throw error;
    throw new InvalidDistribution(`Invalid distribution file: '${base}'`);
  }
  const tar = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    tar.set(c, at);
    at += c.length;
  }
  try {
    return new Map(readTar(tar).map((e) => [e.path.replace(/^\.\//, '').replace(/\/$/, ''), e.kind === 'file' ? e.data : null]));
  } catch (error) {
    if (error instanceof TarFormatError) throw new InvalidDistribution(`Invalid distribution file: '${base}'`);
    throw error;
  }
}

function zipNames(base: string, bytes: Uint8Array): Map<string, Uint8Array | null> {
  const isPkgInfo = (name: string): boolean => /^[^/]+\/PKG-INFO$/.test(name);
  return new Map([...zipEntries(base, bytes, isPkgInfo)].map(([n, d]) => [n.replace(/\/$/, ''), d]));
}

function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
