import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { PAGE_SIZE, ZeroPagesError, packZeroPages, unpackZeroPages } from '../../../src/runtime/zero-pages';

// The interpreter snapshot is kept without its pages of zeros (src/runtime/zero-pages.ts).

/** An image of `pages` pages (and a tail), zero but for the given runs of bytes. */
const images = fc
  .record({
    pages: fc.integer({ min: 0, max: 12 }),
    tail: fc.integer({ min: 0, max: PAGE_SIZE - 1 }),
    runs: fc.array(fc.record({ at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 300 }) }), { maxLength: 6 }),
  })
  .map(({ pages, tail, runs }) => {
    const image = new Uint8Array(pages * PAGE_SIZE + tail);
    for (const run of runs) if (image.byteLength > 0) image.set(run.bytes.subarray(0, image.byteLength - (run.at % image.byteLength)), run.at % image.byteLength);
    return image;
  });

describe('zero pages', () => {
  test('unpacking gives back the image packed, byte for byte, whatever its length and contents', () => {
    fc.assert(
      fc.property(images, (image) => {
        const back = unpackZeroPages(packZeroPages(image));
        expect(back.byteLength).toBe(image.byteLength);
        expect(Buffer.from(back).equals(Buffer.from(image))).toBe(true);
      }),
    );
  });

  test('pages of zeros are left out: an image of zeros is a header, one byte in a page keeps that page only', () => {
    const zeros = new Uint8Array(64 * PAGE_SIZE);
    expect(packZeroPages(zeros).byteLength).toBe(16);
    zeros[5 * PAGE_SIZE + 17] = 1;
    expect(packZeroPages(zeros).byteLength).toBe(16 + 4 + PAGE_SIZE);
    // A short last page is kept at its own length.
    const tail = new Uint8Array(2 * PAGE_SIZE + 10).fill(3);
    expect(packZeroPages(tail).byteLength).toBe(16 + 3 * 4 + 2 * PAGE_SIZE + 10);
    // An image that is not aligned in its buffer packs the same.
    const buffer = new Uint8Array(3 * PAGE_SIZE + 1);
    buffer[PAGE_SIZE + 2] = 9;
    expect(unpackZeroPages(packZeroPages(buffer.subarray(1)))).toEqual(buffer.subarray(1));
  });

  test('anything it did not make is refused with a ZeroPagesError, never half read', () => {
    const image = new Uint8Array(4 * PAGE_SIZE).map((_, i) => (i % 3 === 0 ? i & 0xff : 0));
    const packed = packZeroPages(image);
    const changed = (at: number, value: number): Uint8Array => {
      const copy = packed.slice();
      new DataView(copy.buffer).setUint32(at, value, true);
      return copy;
    };
    const bad: [Uint8Array, RegExp][] = [
      [packed.subarray(0, 10), /too short/],
      [changed(0, 0x12345678), /magic/],
      [changed(8, 8192), /page size/],
      [changed(12, 99), /more pages/],
      [changed(16, 7), /out of order or out of the image/],
      [changed(20, 0), /out of order/],
      [packed.subarray(0, packed.byteLength - 1), /cut short/],
      [Uint8Array.from([...packed, 0]), /after the last page/],
    ];
    // A header that claims an image of 4 GiB is refused on its table, before any image is allocated.
    const huge = new Uint8Array(20);
    [0x3150_5a50, 0xffff_ffff, PAGE_SIZE, 1, 0].forEach((w, i) => new DataView(huge.buffer).setUint32(i * 4, w, true));
    bad.push([huge, /cut short/]);
    for (const [bytes, why] of bad) {
      expect(() => unpackZeroPages(bytes)).toThrow(ZeroPagesError);
      expect(() => unpackZeroPages(bytes)).toThrow(why);
    }
  });
});
