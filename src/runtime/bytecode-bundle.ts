/**
 * The compiled modules of one wheel as one cache entry (IndexCache `bytecode`): for each module
 * its path in the wheel and its `.pyc` bytes, or no bytes when it does not compile (so that a
 * module that failed once is not compiled again at every reload).
 *
 * Layout, little-endian: `PYCB`, a format byte (1), the number of modules (u32); then per
 * module the length of its UTF-8 path (u32), the path, the length of its `.pyc` (u32; 0: did
 * not compile), the `.pyc`. The cache seals the entry with its sha256; reading still checks
 * every length against what is left, so a damaged entry is refused, never read past its end.
 */

const MAGIC = [0x50, 0x59, 0x43, 0x42]; // "PYCB"
const FORMAT = 1;

/** A wheel's compiled modules by path in the wheel; null: the module does not compile. */
export type BytecodeBundle = ReadonlyMap<string, Uint8Array | null>;

export function encodeBundle(bundle: BytecodeBundle): Uint8Array {
  const encoder = new TextEncoder();
  const paths = [...bundle.keys()].map((p) => encoder.encode(p));
  let size = MAGIC.length + 1 + 4;
  let i = 0;
  for (const pyc of bundle.values()) size += 4 + paths[i++]!.length + 4 + (pyc?.length ?? 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  out[4] = FORMAT;
  view.setUint32(5, bundle.size, true);
  let at = 9;
  i = 0;
  for (const pyc of bundle.values()) {
    const path = paths[i++]!;
    view.setUint32(at, path.length, true);
    out.set(path, at + 4);
    at += 4 + path.length;
    view.setUint32(at, pyc?.length ?? 0, true);
    if (pyc) out.set(pyc, at + 4);
    at += 4 + (pyc?.length ?? 0);
  }
  return out;
}

/** The bundle in `bytes`, or null when they are not one (another format, cut short, lengths past the end). */
export function decodeBundle(bytes: Uint8Array): BytecodeBundle | null {
  if (bytes.length < 9 || MAGIC.some((b, i) => bytes[i] !== b) || bytes[4] !== FORMAT) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const count = view.getUint32(5, true);
  const bundle = new Map<string, Uint8Array | null>();
  let at = 9;
  const take = (): Uint8Array | null => {
    if (at + 4 > bytes.length) return null;
    const length = view.getUint32(at, true);
    if (at + 4 + length > bytes.length) return null;
    const slice = bytes.subarray(at + 4, at + 4 + length);
    at += 4 + length;
    return slice;
  };
  for (let n = 0; n < count; n++) {
    const path = take();
    const pyc = path === null ? null : take();
    if (path === null || pyc === null) return null;
    let name: string;
    try {
      name = decoder.decode(path);
    } catch {
      return null;
    }
    bundle.set(name, pyc.length === 0 ? null : pyc);
  }
  return at === bytes.length ? bundle : null;
}
