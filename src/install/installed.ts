import { normalizeName, parseMetadata, type CoreMetadata, type NormalizedName } from '../pep';
import type { FileSystem } from './fs';
import { parseRecord, type RecordEntry } from './record';

/** A distribution found in site-packages (an installed `.dist-info`, PEP 376 / PEP 627). */
export interface InstalledDist {
  readonly name: NormalizedName;
  readonly metadata: CoreMetadata;
  readonly distInfoPath: string;
  readonly requested: boolean;
  readonly installer: string | null;
  readonly record: readonly RecordEntry[] | null;
  /** direct_url.json's `url` for URL installs (PEP 610). */
  readonly directUrl: string | null;
}

const decoder = new TextDecoder();

/** Every `.dist-info` in `sitePackages` with readable METADATA, sorted by name. */
export function listInstalled(fs: FileSystem, sitePackages: string): InstalledDist[] {
  const out: InstalledDist[] = [];
  for (const entry of fs.readdir(sitePackages)) {
    if (!entry.endsWith('.dist-info')) continue;
    const dist = readDistInfo(fs, `${sitePackages}/${entry}`);
    if (dist) out.push(dist);
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function findInstalled(fs: FileSystem, sitePackages: string, name: string): InstalledDist | null {
  const wanted = normalizeName(name);
  return listInstalled(fs, sitePackages).find((d) => d.name === wanted) ?? null;
}

function readDistInfo(fs: FileSystem, path: string): InstalledDist | null {
  const text = (file: string): string | null => {
    const data = fs.readFile(`${path}/${file}`);
    return data === null ? null : decoder.decode(data);
  };
  const metadataText = text('METADATA');
  if (metadataText === null) return null;
  let metadata: CoreMetadata;
  try {
    metadata = parseMetadata(metadataText);
  } catch {
    return null; // pip skips distributions whose metadata it cannot read, and so do we
  }
  const recordText = text('RECORD');
  const directUrlText = text('direct_url.json');
  let directUrl: string | null = null;
  if (directUrlText) {
    try {
      directUrl = (JSON.parse(directUrlText) as { url?: string }).url ?? null;
    } catch {
      directUrl = null;
    }
  }
  return {
    name: normalizeName(metadata.name),
    metadata,
    distInfoPath: path,
    requested: fs.exists(`${path}/REQUESTED`),
    installer: text('INSTALLER')?.trim() ?? null,
    record: recordText === null ? null : parseRecord(recordText),
    directUrl,
  };
}
