/**
 * RECORD files (the binary distribution format, "The .dist-info/RECORD file"): one CSV row per
 * installed file, `path,sha256=<urlsafe-base64-nopad digest>,size`; RECORD itself has no hash.
 */
export interface RecordEntry {
  readonly path: string;
  /** `sha256=...` as written, or '' (RECORD itself, or files pip leaves unhashed). */
  readonly hash: string;
  readonly size: number | null;
}

/** Parses RECORD's CSV (Python's csv module dialect: `"` quoting, `""` escapes). */
export function parseRecord(text: string): RecordEntry[] {
  const entries: RecordEntry[] = [];
  for (const row of parseCsv(text)) {
    if (row.length === 0 || (row.length === 1 && row[0] === '')) continue;
    const [path = '', hash = '', size = ''] = row;
    entries.push({ path, hash, size: size === '' ? null : Number(size) });
  }
  return entries;
}

export function writeRecord(entries: readonly RecordEntry[]): string {
  return entries.map((e) => [e.path, e.hash, e.size === null ? '' : String(e.size)].map(csvField).join(',')).join('\n') + '\n';
}

/** `sha256=` + urlsafe base64 without padding, as RECORD spells a digest. */
export function recordHash(sha256: Uint8Array): string {
  let bin = '';
  for (const b of sha256) bin += String.fromCharCode(b);
  return `sha256=${btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function parseCsv(text: string): string[][] {
  // Without quotes (nearly every RECORD), rows and fields are plain splits: a 3,500-row RECORD
  // is read on every pip command and every save, so character by character would cost tens of ms.
  if (!text.includes('"')) {
    const lines = text.split(/\r\n|\n|\r/);
    if (lines[lines.length - 1] === '') lines.pop();
    return lines.map((line) => line.split(','));
  }
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
