/**
 * The one digest helper (pep/digest.ts) against Node's OpenSSL for every algorithm pip checks,
 * on lengths around the 64-byte block and padding edges, and the hex and raw forms agreeing.
 */
import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { digest, digestHex, sha256, sha256Hex, SUPPORTED_HASHES, toHex } from '../../../src/pep';

const inputs = [0, 1, 3, 55, 56, 63, 64, 65, 119, 120, 1000, 100_003].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff));

describe('digest', () => {
  test.each(SUPPORTED_HASHES.map((a) => [a]))('%s agrees with OpenSSL on every length', async (algorithm) => {
    for (const bytes of inputs) {
      const want = createHash(algorithm).update(bytes).digest('hex');
      expect(await digestHex(algorithm, bytes)).toBe(want);
      expect(toHex(await digest(algorithm, bytes))).toBe(want);
    }
  });

  test('sha256 and sha256Hex: the known digest of "abc"', async () => {
    const abc = new TextEncoder().encode('abc');
    expect(await sha256Hex(abc)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(await sha256(abc))).toBe(await sha256Hex(abc));
  });
});
