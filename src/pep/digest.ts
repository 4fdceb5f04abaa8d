/**
 * Digests and which one to check, as pip does.
 *
 * pip keeps a link's digests in one mapping (`Link._hashes`): the index's `hashes` object in the
 * order the index wrote it, then the URL fragment's (`#md5=...`), which overrides a digest of the
 * same name. It checks the first of them (`Link.hash`, `InstallRequirement.hashes`), whatever its
 * strength, against the downloaded bytes (`Hashes.check_against_chunks`): md5 and sha1 from old
 * indexes included. The names pip knows are `_SUPPORTED_HASHES`; Pipette skips any other name
 * rather than failing on it.
 *
 * WebCrypto (browsers, workers and Node 20 alike) computes sha1 and the SHA-2 family but not md5
 * or sha224; those two are computed in software (software-digests.ts). So is every digest where
 * WebCrypto is missing: `crypto.subtle` exists only in a secure context, and a classroom's server
 * reached from the room's other machines at http://ADDRESS is not one (pip install failed there on
 * the first wheel's sha256).
 *
 * The one digest helper of the codebase (install's RECORD and wheel checks, pip's `--hash`, share
 * link checksums, git blob ids). It lives in pep/ because a digest is a pure function of bytes
 * (WebCrypto computes, it does no I/O) and every layer needs it: install and share import pep only.
 */
import { md5, sha1, sha224, sha256 as softwareSha256, sha384, sha512 } from './software-digests';

/** pip's `_SUPPORTED_HASHES` (models/link.py), strongest first. */
export const SUPPORTED_HASHES = ['sha512', 'sha384', 'sha256', 'sha224', 'sha1', 'md5'] as const;
export type HashName = (typeof SUPPORTED_HASHES)[number];

/** The digest a body must have. */
export interface ExpectedHash {
  readonly algorithm: HashName;
  readonly hex: string;
}

const SUBTLE_NAMES: Partial<Record<HashName, string>> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' };

export function isSupportedHash(name: string): name is HashName {
  return (SUPPORTED_HASHES as readonly string[]).includes(name);
}

const SOFTWARE: Record<HashName, (bytes: Uint8Array) => Uint8Array> = { md5, sha1, sha224, sha256: softwareSha256, sha384, sha512 };

/**
 * The `algorithm` digest of `bytes`: WebCrypto (the worker, the page and Node alike), md5 and
 * sha224 in software, and all of them in software where WebCrypto is missing (not a secure context).
 */
export async function digest(algorithm: HashName, bytes: Uint8Array, subtle: SubtleCrypto | undefined = globalThis.crypto?.subtle): Promise<Uint8Array> {
  const native = SUBTLE_NAMES[algorithm];
  if (!native || !subtle) return SOFTWARE[algorithm](bytes);
  return new Uint8Array(await subtle.digest(native, bytes as Uint8Array<ArrayBuffer>));
}

/** Lower-case hex digest. Ex) sha256 of '' -> `e3b0c442…`. */
export async function digestHex(algorithm: HashName, bytes: Uint8Array): Promise<string> {
  return toHex(await digest(algorithm, bytes));
}

export function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return digest('sha256', bytes);
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
 * pip's `Link.hash`: the first digest of the file's mapping whose name pip supports, or null
 * when there is none. The parsers build `DistributionFile.hashes` in pip's order (the index's
 * object first, then the fragment), so "first" means what it means to pip.
 * Ex) `{ md5: 'ab…', sha256: 'cd…' }` -> md5 `ab…`
 */
export function linkHash(hashes: Readonly<Record<string, string>>): ExpectedHash | null {
  for (const [algorithm, hex] of Object.entries(hashes)) {
    if (isSupportedHash(algorithm) && hex) return { algorithm, hex: hex.toLowerCase() };
  }
  return null;
}

/**
 * pip's `Link.as_hashes()` check, used for PEP 658 metadata files: any one of the digests given
 * must match. Null when nothing can be checked.
 */
export function allHashes(hashes: Readonly<Record<string, string>>): ExpectedHash[] {
  return Object.entries(hashes)
    .filter((e): e is [HashName, string] => isSupportedHash(e[0]) && e[1] !== '')
    .map(([algorithm, hex]) => ({ algorithm, hex: hex.toLowerCase() }));
}

/** Null when `bytes` match, else the digest actually computed (for the error message). */
export async function checkHash(bytes: Uint8Array, expected: ExpectedHash): Promise<string | null> {
  const got = await digestHex(expected.algorithm, bytes);
  return got === expected.hex ? null : got;
}
