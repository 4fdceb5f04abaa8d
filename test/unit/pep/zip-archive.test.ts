/**
 * The zip reader's own pieces; its reading of hostile archives is held to Python's zipfile in
 * test/integration/install/zip-differential.test.ts.
 */
import fc from 'fast-check';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { expect, test } from 'vitest';
import { crc32, openZipEntry, readZipTail, ZipFormatError, type ZipCentralEntry } from '../../../src/pep/zip-archive';
import { hostileZips } from '../../integration/hardening/hostile-zips';

test('crc32 is zlib\'s, at every length and alignment (slicing-by-8 and the byte tail)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(7), (data, skip) => {
      const view = data.subarray(Math.min(skip, data.length));
      expect(crc32(view)).toBe(zlibCrc32(view));
    }),
  );
});

/**
 * Part of an archive reads as the whole: for every hostile zip (hostile-zips.ts) and every
 * tail of it, readZipTail either asks for an earlier byte or gives exactly the directory the
 * whole file gives (or the same refusal), and each entry opens from its local header on as
 * it does in the whole file. This is what reading a remote wheel through ranges relies on.
 */
test('a tail and its offset read as the whole archive, for every hostile zip and every tail', () => {
  const outcome = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (error) {
      if (!(error instanceof ZipFormatError)) throw error;
      return { refused: error.message };
    }
  };
  for (const c of hostileZips()) {
    const bytes = c.dist.bytes;
    const size = bytes.length;
    const whole = outcome(() => readZipTail({ bytes, offset: 0, size }));
    let start = size;
    let asked = 0;
    // From an empty tail on, fetching what it asks for: the reader's own loop, as lazy-wheel's.
    for (let answer = outcome(() => readZipTail({ bytes: bytes.subarray(start), offset: start, size })); ; ) {
      if ((answer as { kind?: string }).kind !== 'more') {
        expect(answer, c.project).toEqual(whole);
        break;
      }
      const more = answer as { start: number; end: number };
      expect(more.start, c.project).toBeLessThan(start);
      expect(more.end).toBe(size);
      start = more.start;
      expect(++asked, c.project).toBeLessThanOrEqual(3);
      answer = outcome(() => readZipTail({ bytes: bytes.subarray(start), offset: start, size }));
    }
    for (let tail = 0; tail <= size; tail++) {
      const answer = outcome(() => readZipTail({ bytes: bytes.subarray(size - tail), offset: size - tail, size }));
      if ((answer as { kind?: string }).kind !== 'more') expect(answer, `${c.project}, the last ${tail} bytes`).toEqual(whole);
    }
    if ((whole as { kind?: string }).kind !== 'read') continue;
    for (const entry of (whole as { value: ZipCentralEntry[] }).value) {
      const all = outcome(() => openZipEntry(entry, { bytes, offset: 0, size }));
      if (entry.headerOffset < 0 || entry.headerOffset >= size) continue;
      for (let end = entry.headerOffset; end <= size; end += 7) {
        const part = outcome(() => openZipEntry(entry, { bytes: bytes.subarray(entry.headerOffset, end), offset: entry.headerOffset, size }));
        if ((part as { kind?: string }).kind !== 'more') expect(part, `${c.project}: ${entry.name} from ${entry.headerOffset} to ${end}`).toEqual(all);
      }
    }
  }
});
