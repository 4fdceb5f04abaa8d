/**
 * pip's installation report (`pip install --report`, format version 1; pip
 * `models/installation_report.py`), and core metadata as JSON the way pip encodes it
 * (`metadata/_json.py` `msg_to_json`, PEP 566 "JSON-compatible Metadata").
 */
import type { MarkerEnvironment } from '../pep';
import { parseMetadata } from '../pep';

/** pip's METADATA_FIELDS: name and whether the field may repeat, in pip's output order. */
const METADATA_FIELDS: readonly (readonly [string, boolean])[] = [
  ['Metadata-Version', false],
  ['Name', false],
  ['Version', false],
  ['Dynamic', true],
  ['Platform', true],
  ['Supported-Platform', true],
  ['Summary', false],
  ['Description', false],
  ['Description-Content-Type', false],
  ['Keywords', false],
  ['Home-page', false],
  ['Download-URL', false],
  ['Author', false],
  ['Author-email', false],
  ['Maintainer', false],
  ['Maintainer-email', false],
  ['License', false],
  ['License-Expression', false],
  ['License-File', true],
  ['Classifier', true],
  ['Requires-Dist', true],
  ['Requires-Python', false],
  ['Requires-External', true],
  ['Project-URL', true],
  ['Provides-Extra', true],
  ['Provides-Dist', true],
  ['Obsoletes-Dist', true],
];

/** The METADATA text as pip's JSON: lower-case keys with `_`, lists for multiple-use fields. */
export function metadataToJson(text: string): Record<string, string | string[]> {
  const core = parseMetadata(text);
  const out: Record<string, string | string[]> = {};
  for (const [field, multi] of METADATA_FIELDS) {
    const values = core.fields.get(field.toLowerCase());
    if (!values || values.length === 0) continue;
    const key = field.toLowerCase().replace(/-/g, '_');
    if (multi) {
      out[key] = [...values];
      continue;
    }
    const value = values[0]!;
    // Keywords: both comma- and space-separated spellings exist in the wild.
    out[key] = key === 'keywords' ? (value.includes(',') ? value.split(',').map((v) => v.trim()) : value.split(/\s+/).filter(Boolean)) : value;
  }
  const body = bodyOf(text);
  if (body) out['description'] = body;
  return out;
}

/** The message body after the headers (the long description of Metadata 2.1+). */
function bodyOf(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n');
  const end = normalized.indexOf('\n\n');
  return end < 0 ? '' : normalized.slice(end + 2);
}

export interface ReportItem {
  readonly url: string;
  readonly sha256: string | null;
  readonly isDirect: boolean;
  readonly isYanked: boolean;
  readonly requested: boolean;
  /** Extras the person asked for (top-level requirements only). */
  readonly requestedExtras: readonly string[] | null;
  readonly metadataText: string | null;
}

export interface InstallationReport {
  readonly version: '1';
  readonly pip_version: string;
  readonly install: readonly Record<string, unknown>[];
  readonly environment: MarkerEnvironment;
}

export function installationReport(items: readonly ReportItem[], pipVersion: string, environment: MarkerEnvironment): InstallationReport {
  return {
    version: '1',
    pip_version: pipVersion,
    install: items.map((item) => {
      const archiveInfo = item.sha256 ? { hash: `sha256=${item.sha256}`, hashes: { sha256: item.sha256 } } : {};
      const entry: Record<string, unknown> = {
        download_info: { url: item.url, archive_info: archiveInfo },
        is_direct: item.isDirect,
        is_yanked: item.isYanked,
        requested: item.requested,
        metadata: item.metadataText !== null ? metadataToJson(item.metadataText) : {},
      };
      if (item.requested && item.requestedExtras && item.requestedExtras.length > 0) entry['requested_extras'] = [...item.requestedExtras].sort();
      return entry;
    }),
    environment,
  };
}
