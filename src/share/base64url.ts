/**
 * base64url (RFC 4648 section 5) without padding, the alphabet that survives a URL fragment
 * unescaped: `A-Z a-z 0-9 - _`. Decoding is strict: any other character, an impossible length,
 * or non-zero spare bits (a second spelling of the same bytes) is refused, so one payload has
 * exactly one spelling. btoa/atob exist in browsers and Node alike.
 */

/** Ex) bytes `fb ff` -> `-_8`. */
export function encodeBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // String.fromCharCode takes arguments: go in slices to stay far below the engine's limit.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The bytes of `text`, or null when it is not canonical unpadded base64url. */
export function decodeBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // The last character may carry spare bits; only the spelling with zeros there is canonical.
  return encodeBase64Url(bytes) === text ? bytes : null;
}
