// A memory image without its pages of zeros: how the interpreter snapshot is kept
// (interpreter-snapshot.ts). Half of Pyodide's ~31 MB snapshot is zeros (memory malloc has not
// handed out, or handed back), so the browser stores and reads ~15 MB instead, which is the part
// of a reload spent reading it. Unpacking is a zeroed allocation and one copy per kept page.
//
// Layout (little-endian u32s):
//   magic "PZP1" | image length | page size | kept pages N | N page numbers, ascending | N pages
// Every page is PAGE_SIZE bytes but the image's last, which may be shorter.

const MAGIC = 0x3150_5a50; // "PZP1" read as a little-endian u32
const HEADER_WORDS = 4;
export const PAGE_SIZE = 4096;

export class ZeroPagesError extends Error {
  readonly code = 'E_ZERO_PAGES';
  constructor(what: string) {
    super(`not a packed memory image: ${what}`);
  }
}

/** `image` without its pages of zeros. */
export function packZeroPages(image: Uint8Array): Uint8Array<ArrayBuffer> {
  const pages = Math.ceil(image.byteLength / PAGE_SIZE);
  const kept: number[] = [];
  for (let page = 0; page < pages; page++) if (!isZero(image, page * PAGE_SIZE, Math.min(image.byteLength, (page + 1) * PAGE_SIZE))) kept.push(page);
  const tableBytes = (HEADER_WORDS + kept.length) * 4;
  let dataBytes = 0;
  for (const page of kept) dataBytes += pageLength(image.byteLength, page);
  const packed = new Uint8Array(tableBytes + dataBytes);
  const words = new DataView(packed.buffer);
  [MAGIC, image.byteLength, PAGE_SIZE, kept.length].forEach((w, i) => words.setUint32(i * 4, w, true));
  let at = tableBytes;
  kept.forEach((page, i) => {
    words.setUint32((HEADER_WORDS + i) * 4, page, true);
    const start = page * PAGE_SIZE;
    const length = pageLength(image.byteLength, page);
    packed.set(image.subarray(start, start + length), at);
    at += length;
  });
  return packed;
}

/** The image `packZeroPages` was given; throws ZeroPagesError on anything it did not make. */
export function unpackZeroPages(packed: Uint8Array): Uint8Array<ArrayBuffer> {
  if (packed.byteLength < HEADER_WORDS * 4) throw new ZeroPagesError('too short for its header');
  const words = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const word = (i: number): number => words.getUint32(i * 4, true);
  if (word(0) !== MAGIC) throw new ZeroPagesError('wrong magic number');
  const length = word(1);
  if (word(2) !== PAGE_SIZE) throw new ZeroPagesError(`page size ${word(2)}, not ${PAGE_SIZE}`);
  const count = word(3);
  const pages = Math.ceil(length / PAGE_SIZE);
  if (count > pages || packed.byteLength < (HEADER_WORDS + count) * 4) throw new ZeroPagesError('more pages than the image has');
  // The table and the size first, the image after: bytes that are not a packed image are refused
  // before anything the size of the image they claim is allocated.
  let expected = (HEADER_WORDS + count) * 4;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    const page = word(HEADER_WORDS + i);
    if (page <= previous || page >= pages) throw new ZeroPagesError('page numbers out of order or out of the image');
    previous = page;
    expected += pageLength(length, page);
  }
  if (packed.byteLength < expected) throw new ZeroPagesError('cut short');
  if (packed.byteLength > expected) throw new ZeroPagesError('bytes after the last page');
  const image = new Uint8Array(length);
  let at = (HEADER_WORDS + count) * 4;
  for (let i = 0; i < count; i++) {
    const page = word(HEADER_WORDS + i);
    const size = pageLength(length, page);
    image.set(packed.subarray(at, at + size), page * PAGE_SIZE);
    at += size;
  }
  return image;
}

function pageLength(imageLength: number, page: number): number {
  return Math.min(PAGE_SIZE, imageLength - page * PAGE_SIZE);
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  // Four bytes at a time where the page is aligned (it is, in a buffer of its own), the rest one by one.
  let i = start;
  if ((bytes.byteOffset + start) % 4 === 0) {
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + start, (end - start) >>> 2);
    for (let w = 0; w < words.length; w++) if (words[w] !== 0) return false;
    i = start + words.length * 4;
  }
  for (; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}
