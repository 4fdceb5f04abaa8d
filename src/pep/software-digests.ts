/**
 * (Private to src/pep: digest.ts is its public face.)
 * Digests in software: MD5 (RFC 1321) and SHA-224, which WebCrypto does not compute, and SHA-1,
 * SHA-256, SHA-384 and SHA-512 (FIPS 180-4) for where WebCrypto is missing. Old indexes still
 * give `#md5=` fragments, and pip checks them (`Link.hash`), so Pipette must too. WebCrypto's
 * `crypto.subtle` exists only in a secure context (https, localhost): a classroom's server
 * reached from the other machines at http://ADDRESS is not one, and every wheel's sha256 is
 * checked here there. Slower than native code (SHA-384/512 on BigInt most of all), correct
 * everywhere.
 */

/** MD5 of `bytes`. */
export function md5(bytes: Uint8Array): Uint8Array {
  const s = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
  const k = new Uint32Array(64);
  for (let i = 0; i < 64; i++) k[i] = Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0;
  const padded = pad(bytes, false);
  const view = new DataView(padded.buffer);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const m = new Uint32Array(16);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) m[i] = view.getUint32(block + i * 4, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) [f, g] = [(b & c) | (~b & d), i];
      else if (i < 32) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
      else if (i < 48) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
      else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
      const rotate = s[(i >> 4) * 4 + (i % 4)] as number;
      const sum = (a + f + (k[i] as number) + (m[g] as number)) >>> 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << rotate) | (sum >>> (32 - rotate)))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const out = new DataView(new ArrayBuffer(16));
  [a0, b0, c0, d0].forEach((word, i) => out.setUint32(i * 4, word, true));
  return new Uint8Array(out.buffer);
}

const SHA256_K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01,
  0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
  0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
  0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08,
  0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** SHA-224 of `bytes`. */
export function sha224(bytes: Uint8Array): Uint8Array {
  return sha256Family(bytes, [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4], 7);
}

/** SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return sha256Family(bytes, [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19], 8);
}

/** FIPS 180-4 §6.2 (SHA-256), from `initial` values, the first `words` words of the state out. */
function sha256Family(bytes: Uint8Array, initial: readonly number[], words: number): Uint8Array {
  const h = Uint32Array.from(initial);
  const padded = pad(bytes, true);
  const view = new DataView(padded.buffer);
  const w = new Uint32Array(64);
  const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4, false);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
      const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    let f = h[5]!;
    let g = h[6]!;
    let hh = h[7]!;
    for (let i = 0; i < 64; i++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + SHA256_K[i]! + w[i]!) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  const out = new DataView(new ArrayBuffer(words * 4));
  for (let i = 0; i < words; i++) out.setUint32(i * 4, h[i]!, false);
  return new Uint8Array(out.buffer);
}

/** SHA-1 of `bytes` (FIPS 180-4 §6.1). */
export function sha1(bytes: Uint8Array): Uint8Array {
  const h = Uint32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const padded = pad(bytes, true);
  const view = new DataView(padded.buffer);
  const w = new Uint32Array(80);
  const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(block + i * 4, false);
    for (let i = 16; i < 80; i++) w[i] = rotl(w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!, 1) >>> 0;
    let a = h[0]!;
    let b = h[1]!;
    let c = h[2]!;
    let d = h[3]!;
    let e = h[4]!;
    for (let i = 0; i < 80; i++) {
      const f = i < 20 ? (b & c) | (~b & d) : i < 40 || i >= 60 ? b ^ c ^ d : (b & c) | (b & d) | (c & d);
      const k = i < 20 ? 0x5a827999 : i < 40 ? 0x6ed9eba1 : i < 60 ? 0x8f1bbcdc : 0xca62c1d6;
      const t = (rotl(a, 5) + f + e + k + w[i]!) >>> 0;
      e = d;
      d = c;
      c = rotl(b, 30) >>> 0;
      b = a;
      a = t;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
  }
  const out = new DataView(new ArrayBuffer(20));
  for (let i = 0; i < 5; i++) out.setUint32(i * 4, h[i]!, false);
  return new Uint8Array(out.buffer);
}

const MASK64 = (1n << 64n) - 1n;
let sha512K: readonly bigint[] | null = null;
/** The first 80 primes' cube roots' bits (computed at the first SHA-384/512: rare, and not at start-up). */
function sha512Constants(): readonly bigint[] {
  if (sha512K) return sha512K;
  const primes: number[] = [];
  for (let n = 2; primes.length < 80; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  return (sha512K = primes.map((p) => fractionBits(p, 3)));
}

/** The first 64 bits of the fractional part of the `root`th root of `n` (exact: integer root of n << 64·root). */
function fractionBits(n: number, root: number): bigint {
  const scaled = BigInt(n) << BigInt(64 * root);
  let lo = 0n;
  let hi = 1n << BigInt(64 + Math.ceil(Math.log2(n) / root) + 1);
  while (lo < hi) {
    const mid = (lo + hi + 1n) >> 1n;
    if (mid ** BigInt(root) <= scaled) lo = mid;
    else hi = mid - 1n;
  }
  return lo & MASK64;
}

/** SHA-384 of `bytes`. */
export function sha384(bytes: Uint8Array): Uint8Array {
  const primes = [23, 29, 31, 37, 41, 43, 47, 53];
  return sha512Family(bytes, primes.map((p) => fractionBits(p, 2)), 6);
}

/** SHA-512 of `bytes`. */
export function sha512(bytes: Uint8Array): Uint8Array {
  const primes = [2, 3, 5, 7, 11, 13, 17, 19];
  return sha512Family(bytes, primes.map((p) => fractionBits(p, 2)), 8);
}

/** FIPS 180-4 §6.4 (SHA-512) on BigInt words, from `initial`, the first `words` words out. */
function sha512Family(bytes: Uint8Array, initial: readonly bigint[], words: number): Uint8Array {
  const h = [...initial];
  const length = Math.ceil((bytes.length + 17) / 128) * 128;
  const padded = new Uint8Array(length);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = BigInt(bytes.length) * 8n;
  view.setBigUint64(length - 8, bits & MASK64, false);
  const rotr = (x: bigint, n: bigint): bigint => ((x >> n) | (x << (64n - n))) & MASK64;
  const w: bigint[] = new Array<bigint>(80).fill(0n);
  const k = sha512Constants();
  for (let block = 0; block < length; block += 128) {
    for (let i = 0; i < 16; i++) w[i] = view.getBigUint64(block + i * 8, false);
    for (let i = 16; i < 80; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = rotr(x, 1n) ^ rotr(x, 8n) ^ (x >> 7n);
      const s1 = rotr(y, 19n) ^ rotr(y, 61n) ^ (y >> 6n);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) & MASK64;
    }
    let [a, b, c, d, e, f, g, hh] = h as [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];
    for (let i = 0; i < 80; i++) {
      const t1 = (hh + (rotr(e, 14n) ^ rotr(e, 18n) ^ rotr(e, 41n)) + ((e & f) ^ (~e & MASK64 & g)) + k[i]! + w[i]!) & MASK64;
      const t2 = ((rotr(a, 28n) ^ rotr(a, 34n) ^ rotr(a, 39n)) + ((a & b) ^ (a & c) ^ (b & c))) & MASK64;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) & MASK64;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) & MASK64;
    }
    [a, b, c, d, e, f, g, hh].forEach((v, i) => (h[i] = (h[i]! + v) & MASK64));
  }
  const out = new DataView(new ArrayBuffer(words * 8));
  for (let i = 0; i < words; i++) out.setBigUint64(i * 8, h[i]!, false);
  return new Uint8Array(out.buffer);
}

/** Merkle–Damgård padding to 64-byte blocks, with the bit length little- (MD5) or big-endian (SHA). */
function pad(bytes: Uint8Array, bigEndian: boolean): Uint8Array {
  const length = Math.ceil((bytes.length + 9) / 64) * 64;
  const out = new Uint8Array(length);
  out.set(bytes);
  out[bytes.length] = 0x80;
  const view = new DataView(out.buffer);
  const bits = bytes.length * 8;
  const high = Math.floor(bits / 2 ** 32) >>> 0;
  const low = bits >>> 0;
  if (bigEndian) {
    view.setUint32(length - 8, high, false);
    view.setUint32(length - 4, low, false);
  } else {
    view.setUint32(length - 8, low, true);
    view.setUint32(length - 4, high, true);
  }
  return out;
}
