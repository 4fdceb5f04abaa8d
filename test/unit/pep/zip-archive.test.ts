/**
 * The zip reader's own pieces; its reading of hostile archives is held to Python's zipfile in
 * test/integration/install/zip-differential.test.ts.
 */
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { expect, test } from 'vitest';
import { crc32 } from '../../../src/pep/zip-archive';

test('crc32 is zlib\'s, at every length and alignment (slicing-by-8 and the byte tail)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (data, skip) => {
      const view = data.subarray(Math.min(skip, data.length));
      expect(crc32(view)).toBe(zlibCrc32(view));
    }),
  );
});
