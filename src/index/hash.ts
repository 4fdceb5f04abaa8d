/**
 * Digests through WebCrypto (`crypto.subtle`), present in browsers, workers and Node 20 alike.
 */

/** The algorithms we can verify, strongest last; names as PEP 503 / PEP 691 spell them. */
const SUBTLE_NAMES = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' } as const;
type Algorithm = keyof typeof SUBTLE_NAMES;

export async function digestHex(algorithm: Algorithm, bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest(SUBTLE_NAMES[algorithm], bytes as Uint8Array<ArrayBuffer>);
  return toHex(new Uint8Array(digest));
}

export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return digestHex('sha256', bytes);
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/**
 * The digest to check a file against: sha256 when the index gives it (pip requires it for
 * `--require-hashes`), else the strongest other one we can compute, else null (md5 and sha1,
 * which some old indexes give, are not offered by WebCrypto's digest and prove little).
 */
export function pickHash(hashes: Readonly<Record<string, string>>): { algorithm: Algorithm; hex: string } | null {
  for (const algorithm of ['sha256', 'sha512', 'sha384'] as const) {
    const hex = hashes[algorithm];
    if (hex) return { algorithm, hex: hex.toLowerCase() };
  }
  return null;
}

/** Null when `bytes` match, else the digest actually computed (for the error message). */
export async function checkHash(
  bytes: Uint8Array,
  expected: { algorithm: Algorithm; hex: string },
): Promise<string | null> {
  const got = await digestHex(expected.algorithm, bytes);
  return got === expected.hex ? null : got;
}
