/**
 * The one digest helper (pep/digest.ts) against Node's OpenSSL for every algorithm pip checks,
 * on lengths around the 64- and 128-byte blocks and padding edges, and the hex and raw forms
 * agreeing; then the same without WebCrypto (not a secure context: a classroom's server reached
 * at http://ADDRESS), where every digest is computed in software.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { digest, digestHex, sha256, sha256Hex, SUPPORTED_HASHES, toHex } from '../../../src/pep';

const inputs = [0, 1, 3, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 239, 240, 1000, 100_003].map((n) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + n) & 0xff));

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

describe('digest without WebCrypto (an insecure origin)', () => {
  test.each(SUPPORTED_HASHES.map((a) => [a]))('%s in software agrees with OpenSSL on every length', async (algorithm) => {
    for (const bytes of inputs) expect(toHex(await digest(algorithm, bytes, undefined))).toBe(createHash(algorithm).update(bytes).digest('hex'));
  });

  test('on any bytes, each software digest is the one OpenSSL computes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 700 }), fc.constantFrom(...SUPPORTED_HASHES), async (bytes, algorithm) => {
        expect(toHex(await digest(algorithm, bytes, undefined))).toBe(createHash(algorithm).update(bytes).digest('hex'));
      }),
      { numRuns: 300 },
    );
  });

  test('a wheel-sized body: sha256 of 16 MB in software is the same, in under 3 s', async () => {
    const big = Uint8Array.from({ length: 16 * 1024 * 1024 }, (_, i) => (i * 7) & 0xff);
    const started = performance.now();
    const got = toHex(await digest('sha256', big, undefined));
    const ms = performance.now() - started;
    expect(got).toBe(createHash('sha256').update(big).digest('hex'));
    expect(ms).toBeLessThan(3000);
  });
});
