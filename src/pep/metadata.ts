/**
 * Core metadata: the METADATA file of a wheel and the PKG-INFO of an sdist (Metadata-Version
 * 1.0 to 2.4; packaging.python.org "Core metadata specifications").
 *
 * The format is RFC 822 headers as Python's `email` parser with the compat32 policy reads them
 * (pypa/packaging `metadata.py` `parse_email`): `Name: value` lines, a line starting with a
 * space or tab continues the previous field, a blank line ends the headers and what follows is
 * the description (Metadata 2.1, PEP 566). Fields may repeat (Classifier, Requires-Dist, ...);
 * names compare case-insensitively.
 */
import { PepError } from './error';
import { isValidName, normalizeName, type NormalizedName } from './name';
import { Requirement } from './requirement';
import { SpecifierSet } from './specifier';
import { Version } from './version';

export interface CoreMetadata {
  readonly metadataVersion: string;
  /** The project name as written (not normalized); compare with normalizeName(name). */
  readonly name: string;
  readonly version: Version;
  readonly summary: string | null;
  readonly requiresDist: Requirement[];
  readonly requiresPython: SpecifierSet | null;
  /** Provides-Extra, normalized (PEP 685) and without duplicates, in file order. */
  readonly providesExtra: NormalizedName[];
  /** The body after the headers (2.1+), else the folded Description field; null when absent. */
  readonly description: string | null;
  /**
   * Every field as read, keyed by lower-case field name (`requires-dist`, `project-url`), values
   * in file order, continuation lines unfolded (Description: the `|` / indent prefix removed).
   */
  readonly fields: ReadonlyMap<string, readonly string[]>;
  /**
   * Problems pip tolerates and reports as warnings (an invalid Requires-Python is ignored, like
   * pip's `_check_dist_requires_python`); empty when the file is clean.
   */
  readonly warnings?: readonly string[];
}

/** A METADATA file that cannot be used: a required field is missing or a value is invalid. */
export class MetadataError extends PepError<'invalid-metadata'> {
  override readonly name = 'MetadataError';
  /** The field at fault, as the specification spells it (e.g. `Requires-Dist`). */
  readonly field: string;
  /** The offending value, or null when the field is missing. */
  readonly value: string | null;

  constructor(field: string, value: string | null, reason: string, span: { start: number; end?: number } | null = null) {
    super('invalid-metadata', reason, value ?? '', span);
    this.field = field;
    this.value = value;
  }
}

// RFC 5322 field name: printable ASCII except ':' (Python's feedparser headerRE).
const HEADER = /^([\x21-\x39\x3b-\x7e]+):(.*)$/;
const CONTINUATION = /^[ \t]/;
const METADATA_VERSION = /^\d+(\.\d+)*$/;

interface RawField {
  readonly name: string;
  readonly lines: string[];
}

/** Split into header fields (with their continuation lines) and the body. */
function splitMessage(text: string): { headers: RawField[]; body: string | null } {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const headers: RawField[] = [];
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      i++;
      break;
    }
    if (CONTINUATION.test(line)) {
      // A continuation before any field is a defect the email parser drops; so do we.
      headers.at(-1)?.lines.push(line);
      continue;
    }
    const m = HEADER.exec(line);
    if (!m) break; // Like feedparser: a line that is no header starts the body.
    headers.push({ name: m[1]!, lines: [m[2]!.replace(/^[ \t]+/, '')] });
  }
  const rest = lines.slice(i);
  // A file ending right after the headers has no body (split leaves one '' after the last \n).
  const body = rest.length === 0 || (rest.length === 1 && rest[0] === '') ? null : rest.join('\n');
  return { headers, body };
}

/**
 * A folded Description: each continuation line carries the core metadata spec's prefix of
 * spaces and a `|` (`        |text`), or, from older setuptools (`rfc822_escape`), only an
 * indent, which is removed as setuptools' `rfc822_unescape` does (textwrap.dedent).
 */
function unfoldDescription(lines: readonly string[]): string {
  const [first = '', ...rest] = lines;
  const pipe = /^[ \t]*\|/;
  if (rest.length > 0 && rest.every((l) => pipe.test(l))) {
    return [first, ...rest.map((l) => l.replace(pipe, ''))].join('\n');
  }
  const indents = rest.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)![0].length);
  // A loop, not Math.min(...indents): a description of 150 000 lines would overflow the stack.
  const cut = indents.reduce((min, n) => Math.min(min, n), indents.length ? Infinity : 0);
  return [first, ...rest.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length)))].join('\n');
}

/** Any other field: RFC 5322 unfolding (drop the line break, keep the whitespace), trimmed. */
function unfold(lines: readonly string[]): string {
  return lines.join('').trim();
}

/**
 * Parse a METADATA / PKG-INFO file. Throws MetadataError when Metadata-Version, Name or
 * Version is missing or invalid, or a Requires-Dist is not a PEP 508 requirement (pip then
 * skips the distribution as having invalid metadata).
 */
export function parseMetadata(text: string): CoreMetadata {
  const { headers, body } = splitMessage(text);
  const fields = new Map<string, string[]>();
  for (const { name, lines } of headers) {
    const key = name.toLowerCase();
    const value = key === 'description' ? unfoldDescription(lines) : unfold(lines);
    const list = fields.get(key);
    if (list) list.push(value);
    else fields.set(key, [value]);
  }

  const metadataVersion = single(fields, 'Metadata-Version');
  if (!METADATA_VERSION.test(metadataVersion)) {
    throw new MetadataError('Metadata-Version', metadataVersion, `Metadata field 'Metadata-Version' has an invalid value ${quote(metadataVersion)} (expected e.g. '2.4')`);
  }
  const name = single(fields, 'Name');
  if (!isValidName(name)) {
    throw new MetadataError('Name', name, `Metadata field 'Name' has an invalid value ${quote(name)}: not a valid project name (letters, digits and '.', '_', '-' inside)`);
  }
  const versionText = single(fields, 'Version');
  const version = parseValue('Version', versionText, (s) => Version.parse(s));

  const requiresDist = (fields.get('requires-dist') ?? []).map((s) => parseValue('Requires-Dist', s, (v) => Requirement.parse(v)));

  const warnings: string[] = [];
  let requiresPython: SpecifierSet | null = null;
  const rp = fields.get('requires-python');
  if (rp && rp.length > 1) {
    throw new MetadataError('Requires-Python', rp.join(', '), `Metadata field 'Requires-Python' appears ${rp.length} times; it may appear once`);
  }
  if (rp?.[0] !== undefined) {
    try {
      requiresPython = SpecifierSet.parse(rp[0]);
    } catch (e) {
      if (!(e instanceof PepError)) throw e;
      warnings.push(`Package ${quote(name)} has an invalid Requires-Python: ${e.reason}`);
    }
  }

  const providesExtra: NormalizedName[] = [];
  for (const extra of fields.get('provides-extra') ?? []) {
    const n = normalizeName(extra);
    if (!providesExtra.includes(n)) providesExtra.push(n);
  }

  const summaries = fields.get('summary');
  const headerDescription = fields.get('description')?.[0] ?? null;
  const description = body !== null && body.trim() !== '' ? body : headerDescription;

  return {
    metadataVersion,
    name,
    version,
    summary: summaries?.[0] ?? null,
    requiresDist,
    requiresPython,
    providesExtra,
    description,
    fields,
    warnings,
  };
}

/** Project-URL values as [label, url] pairs (`Homepage, https://...`), in file order. */
export function projectUrls(meta: CoreMetadata): [string, string][] {
  return (meta.fields.get('project-url') ?? []).map((pair) => {
    const comma = pair.indexOf(',');
    return comma < 0 ? ['', pair.trim()] : [pair.slice(0, comma).trim(), pair.slice(comma + 1).trim()];
  });
}

/** A field that must appear exactly once. */
function single(fields: ReadonlyMap<string, readonly string[]>, field: string): string {
  const values = fields.get(field.toLowerCase());
  if (!values || values.length === 0) {
    throw new MetadataError(field, null, `Metadata field '${field}' is missing; it is required in every METADATA / PKG-INFO file`);
  }
  if (values.length > 1) {
    throw new MetadataError(field, values.join(', '), `Metadata field '${field}' appears ${values.length} times (${values.map(quote).join(', ')}); it may appear once`);
  }
  return values[0]!;
}

/** Parse one value, turning the parser's error into a MetadataError naming field and value. */
function parseValue<T>(field: string, value: string, parse: (s: string) => T): T {
  try {
    return parse(value);
  } catch (e) {
    if (!(e instanceof PepError)) throw e;
    const span = e.start === null ? null : { start: e.start, end: e.end ?? e.start + 1 };
    throw new MetadataError(field, value, `Metadata field '${field}' has an invalid value ${quote(value)}: ${e.reason}`, span);
  }
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}
