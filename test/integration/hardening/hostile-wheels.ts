/**
 * Wheels a stranger could publish, built byte by byte for the hardening catalogue: a raw zip
 * writer (so an entry can be a symlink, declare a size it does not have, or share one deflate
 * stream with ten others) and the variants the catalogue installs. Each variant is a BuiltDist
 * the fixture index serves like any other file; `metadata` is what its `.metadata` file says
 * (PEP 658), which a variant may make disagree with the wheel itself.
 *
 * Independent of src/: the zip layout follows APPNOTE.TXT 4.3.7 (local header) and 4.3.12
 * (central directory header) directly.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { metadataText, recordHash, sha256Hex, wheelFilename, type BuiltDist, type WheelSpec } from '../../fixtures/wheel-builder';

export interface RawEntry {
  readonly path: string;
  readonly data: Uint8Array;
  /** Unix mode in the external attributes (default a regular file, 0o100644). */
  readonly mode?: number;
  /** The uncompressed size the headers declare (default the real one). */
  readonly declaredSize?: number;
  /** Already deflated bytes of `data` (to share one stream between entries). */
  readonly deflated?: Uint8Array;
  /** crc32 of the uncompressed data, when `data` is not given in full. */
  readonly crc?: number;
}

const enc = new TextEncoder();

function u16(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}
function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

/** A zip archive of `entries` (deflated, DOS date 1980-01-01, made by Unix). */
export function rawZip(entries: readonly RawEntry[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.path);
    const compressed = e.deflated ?? deflateRawSync(e.data);
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    // version 2.0, flags 0 (bit 11 would say UTF-8; names here are ASCII), deflate, time 0, date 1980-01-01.
    const common = [...u16(20), ...u16(0), ...u16(8), ...u16(0), ...u16(0x21), ...u32(crc), ...u32(compressed.length), ...u32(size), ...u16(name.length), ...u16(0)];
    const local = Uint8Array.from([...u32(0x04034b50), ...common]);
    chunks.push(local, name, compressed);
    const mode = e.mode ?? 0o100644;
    // made by Unix (3) version 2.0; comment length, disk, internal attrs, external attrs, offset.
    central.push(Uint8Array.from([...u32(0x02014b50), ...u16((3 << 8) | 20), ...common, ...u16(0), ...u16(0), ...u16(0), ...u32((mode << 16) >>> 0), ...u32(offset)]), name);
    offset += local.length + name.length + compressed.length;
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const end = Uint8Array.from([...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length), ...u32(cdSize), ...u32(offset), ...u16(0)]);
  const all = [...chunks, ...central, end];
  const out = new Uint8Array(all.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of all) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function escape(name: string): string {
  return name.replace(/[-_.]+/g, '_').toLowerCase();
}

export interface HostileOptions {
  /** METADATA's Name / Version inside the wheel (default the spec's). */
  readonly metadataName?: string;
  readonly metadataVersion?: string;
  /** What the index's `.metadata` file says (default the wheel's METADATA). */
  readonly indexMetadata?: string;
  /** More payload entries, listed in RECORD like the others. */
  readonly extra?: readonly RawEntry[];
  /** Leave these extra entries out of RECORD. */
  readonly unrecorded?: boolean;
  /** Wheel-Version in WHEEL (default 1.0). */
  readonly wheelVersion?: string;
  /** The file name (default the spec's wheel file name). */
  readonly filename?: string;
}

/** A wheel of `spec` made hostile as `options` say; RECORD matches whatever it holds. */
export function hostileWheel(spec: WheelSpec, options: HostileOptions = {}): BuiltDist {
  const distInfo = `${escape(spec.name)}-${spec.version}.dist-info`;
  const inner = metadataText({ ...spec, name: options.metadataName ?? spec.name }, options.metadataVersion ? { version: options.metadataVersion } : {});
  const payload: RawEntry[] = [{ path: `${escape(spec.name)}/__init__.py`, data: enc.encode(`__version__ = "${spec.version}"\n`) }, ...(options.extra ?? [])];
  const meta: RawEntry[] = [
    { path: `${distInfo}/METADATA`, data: enc.encode(inner) },
    { path: `${distInfo}/WHEEL`, data: enc.encode(`Wheel-Version: ${options.wheelVersion ?? '1.0'}\nGenerator: pipette-hostile (0.1)\nRoot-Is-Purelib: true\nTag: ${spec.tags ?? 'py3-none-any'}\n`) },
  ];
  const recorded = [...(options.unrecorded ? payload.slice(0, 1) : payload), ...meta];
  const hashes = new Map<Uint8Array, string>();
  const hash = (data: Uint8Array): string => hashes.get(data) ?? (hashes.set(data, recordHash(data)), hashes.get(data)!);
  const rows = recorded.map((e) => `${e.path},${hash(e.data)},${e.data.length}`);
  rows.push(`${distInfo}/RECORD,,`);
  const entries = [...payload, ...meta, { path: `${distInfo}/RECORD`, data: enc.encode(rows.join('\n') + '\n') }];
  const bytes = rawZip(entries);
  const metadata = options.indexMetadata ?? inner;
  return { filename: options.filename ?? wheelFilename(spec), bytes, sha256: sha256Hex(bytes), metadata, metadataSha256: sha256Hex(metadata), spec, kind: 'wheel' };
}

/**
 * A zip bomb: `count` entries of `mb` MB of zeros each, all sharing one deflate stream
 * (about 1 kB per MB), every size declared honestly.
 */
export function zipBombEntries(prefix: string, count: number, mb: number): RawEntry[] {
  const zeros = new Uint8Array(mb * 1024 * 1024);
  const deflated = deflateRawSync(zeros, { level: 9 });
  const crc = crc32(zeros);
  // `data` only feeds RECORD's hash and size: the real bytes, computed once.
  return Array.from({ length: count }, (_, i) => ({ path: `${prefix}/zeros-${i}.bin`, data: zeros, deflated, crc }));
}
