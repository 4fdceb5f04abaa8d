import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, encodeBase64Url } from '../../../src/share/base64url';
import { deflateRaw, inflateRaw } from '../../../src/share/deflate';

describe('inflateRaw', () => {
  it('round-trips with deflateRaw and reads what Node zlib wrote', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), async (bytes) => {
        expect(await inflateRaw(await deflateRaw(bytes), 1 << 20)).toEqual({ kind: 'ok', bytes });
        expect(await inflateRaw(deflateRawSync(bytes), 1 << 20)).toEqual({ kind: 'ok', bytes });
      }),
      { numRuns: 50 },
    );
  });

  it('stops a deflate bomb at the budget instead of unpacking it all', async () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MB of zeros, ~50 kB packed
    const budget = 2 * 1024 * 1024;
    const result = await inflateRaw(bomb, budget);
    expect(result.kind).toBe('over-budget');
    // It went past the budget by at most one chunk, not on to 50 MB.
    const inflated = result.kind === 'over-budget' ? result.inflated : 0;
    expect(inflated).toBeGreaterThan(budget);
    expect(inflated).toBeLessThanOrEqual(budget + 64 * 1024);
  });

  it('exactly at the budget is fine', async () => {
    const bytes = new Uint8Array(1000).fill(7);
    expect((await inflateRaw(deflateRawSync(bytes), 1000)).kind).toBe('ok');
    expect((await inflateRaw(deflateRawSync(bytes), 999)).kind).toBe('over-budget');
  });

  it('reports a corrupt stream as data', async () => {
    const good = deflateRawSync(Buffer.from('hello hello hello hello'));
    expect((await inflateRaw(good.subarray(0, good.length - 2), 1000)).kind).toBe('corrupt');
    expect((await inflateRaw(new Uint8Array([0x07]), 1000)).kind).toBe('corrupt');
  });
});

describe('base64url', () => {
  it('agrees with Node and round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(decodeBase64Url(text)).toEqual(bytes);
      }),
    );
    // Larger than one String.fromCharCode slice.
    const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
    expect(encodeBase64Url(big)).toBe(Buffer.from(big).toString('base64url'));
  });

  it('refuses other alphabets, padding, impossible lengths and non-canonical spare bits', () => {
    expect(decodeBase64Url('-_8')).toEqual(new Uint8Array([0xfb, 0xff]));
    for (const bad of ['+/8', '-_8=', 'abcde', 'ab c', '-_9']) expect(decodeBase64Url(bad), bad).toBeNull();
    expect(decodeBase64Url('')).toEqual(new Uint8Array());
  });
});
