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
  /** crc32 the headers declare (default the crc32 of `data`). */
  readonly crc?: number;
  /** The name in the local header, when it is not `path` (what a streaming reader sees). */
  readonly localPath?: string;
  /** The name's bytes as stored, when they are not `path` in UTF-8 (e.g. cp437 bytes). */
  readonly nameBytes?: Uint8Array;
  /** General-purpose flag bits (bit 0 encrypted, bit 11 UTF-8 names); default 0. */
  readonly flags?: number;
  /** Compression method with `stored` as its data (12 bzip2, 14 lzma, 99 AES...); default 8, deflate. */
  readonly method?: number;
  /** The entry's data exactly as stored, for `method`. */
  readonly stored?: Uint8Array;
  /** Extra field of the central directory header (e.g. a 0x7075 Unicode path). */
  readonly centralExtra?: Uint8Array;
  /** The "version needed to extract" (default 2.0, or what the method and zip64 need). */
  readonly versionNeeded?: number;
  /** Sizes 0xFFFFFFFF in both headers, the real ones in a zip64 extra field (APPNOTE 4.5.3). */
  readonly zip64Sizes?: boolean;
  /** The compressed size the headers declare (default the real one): more reaches into the next entry. */
  readonly declaredCompressedSize?: number;
}

/** How the archive around the entries is laid out, when it is not a plain zip. */
export interface ZipLayout {
  /** Bytes before the archive; the offsets stay relative to where the archive starts. */
  readonly prefix?: Uint8Array;
  /** The archive comment after the end record. */
  readonly comment?: Uint8Array;
  /** The entry count the end record declares (default the real one). */
  readonly count?: number;
  /** A zip64 end record and locator before the end record, whose fields say 0xFFFF(FFFF). */
  readonly zip64?: boolean;
}

const enc = new TextEncoder();

function u16(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}
function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}
function u64(n: number): number[] {
  return [...u32(n % 2 ** 32), ...u32(Math.floor(n / 2 ** 32))];
}

function concat(parts: readonly (Uint8Array | number[])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of parts) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A zip archive of `entries` (deflated unless said otherwise, DOS date 1980-01-01, made by Unix). */
export function rawZip(entries: readonly RawEntry[], layout: ZipLayout = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = e.nameBytes ?? enc.encode(e.path);
    const method = e.method ?? 8;
    const compressed = e.stored ?? (method === 0 ? e.data : (e.deflated ?? deflateRawSync(e.data)));
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    // zip64: both sizes 0xFFFFFFFF, the real ones in extra field 0x0001 (uncompressed first).
    const compressedSize = e.declaredCompressedSize ?? compressed.length;
    const zip64 = e.zip64Sizes ? [...u16(1), ...u16(16), ...u64(size), ...u64(compressedSize)] : [];
    const sizes = e.zip64Sizes ? [...u32(0xffff_ffff), ...u32(0xffff_ffff)] : [...u32(compressedSize), ...u32(size)];
    // version needed (2.0; 4.5 for zip64, 4.6 bzip2, 6.3 lzma), flags, method, time 0, date 1980-01-01, crc, sizes.
    const version = e.versionNeeded ?? (method === 14 ? 63 : method === 12 ? 46 : e.zip64Sizes ? 45 : 20);
    const header = (nameLength: number, extraLength: number): number[] => [...u16(version), ...u16(e.flags ?? 0), ...u16(method), ...u16(0), ...u16(0x21), ...u32(crc), ...sizes, ...u16(nameLength), ...u16(extraLength)];
    const localName = e.localPath === undefined ? name : enc.encode(e.localPath);
    const at = offset;
    const local = concat([u32(0x04034b50), header(localName.length, zip64.length), localName, zip64]);
    chunks.push(local, compressed);
    offset += local.length + compressed.length;
    const extra = concat([zip64, e.centralExtra ?? []]);
    const mode = e.mode ?? 0o100644;
    // made by Unix (3) version 2.0; comment length, disk, internal attrs, external attrs, offset.
    central.push(concat([u32(0x02014b50), u16((3 << 8) | 20), header(name.length, extra.length), u16(0), u16(0), u16(0), u32((mode << 16) >>> 0), u32(at), name, extra]));
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const count = layout.count ?? entries.length;
  const comment = layout.comment ?? new Uint8Array(0);
  // APPNOTE 4.3.14-15: zip64 end record (56 bytes) and its locator, pointing at it.
  const zip64End = layout.zip64
    ? concat([u32(0x06064b50), u64(44), u16((3 << 8) | 45), u16(45), u32(0), u32(0), u64(count), u64(count), u64(cdSize), u64(offset), u32(0x07064b50), u32(0), u64(offset + cdSize), u32(1)])
    : new Uint8Array(0);
  const end = layout.zip64
    ? concat([u32(0x06054b50), u16(0), u16(0), u16(0xffff), u16(0xffff), u32(0xffff_ffff), u32(0xffff_ffff), u16(comment.length), comment])
    : concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(cdSize), u32(offset), u16(comment.length), comment]);
  return concat([layout.prefix ?? [], ...chunks, ...central, zip64End, end]);
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
  /**
   * Entries written first and left out of RECORD: with a name a later entry has too, what a
   * reader that keeps the first of two names sees, where pip writes the last one.
   */
  readonly shadowed?: readonly RawEntry[];
  /** How the zip around the entries is laid out. */
  readonly layout?: ZipLayout;
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
  const entries = [...(options.shadowed ?? []), ...payload, ...meta, { path: `${distInfo}/RECORD`, data: enc.encode(rows.join('\n') + '\n') }];
  const bytes = rawZip(entries, options.layout);
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
