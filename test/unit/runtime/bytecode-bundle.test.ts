import { describe, expect, it } from 'vitest';
import { decodeBundle, encodeBundle } from '../../../src/runtime/bytecode-bundle';

describe('the compiled modules of a wheel as one cache entry', () => {
  const bundle = new Map<string, Uint8Array | null>([
    ['pkg/__init__.py', Uint8Array.from([1, 2, 3])],
    ['pkg/broken.py', null],
    ['pkg/ünïcode.py', new Uint8Array(1000).fill(7)],
  ]);

  it('round-trips, the modules that did not compile included', () => {
    expect(decodeBundle(encodeBundle(bundle))).toEqual(bundle);
    expect(decodeBundle(encodeBundle(new Map()))).toEqual(new Map());
  });

  it('refuses what is not a whole bundle: another format, cut short, a length past the end, bytes after it', () => {
    const bytes = encodeBundle(bundle);
    expect(decodeBundle(bytes.slice(0, bytes.length - 1))).toBeNull();
    expect(decodeBundle(Uint8Array.from([...bytes, 0]))).toBeNull();
    const otherFormat = bytes.slice();
    otherFormat[4] = 9;
    expect(decodeBundle(otherFormat)).toBeNull();
    const longPath = bytes.slice();
    new DataView(longPath.buffer).setUint32(9, 0xffffffff, true);
    expect(decodeBundle(longPath)).toBeNull();
    expect(decodeBundle(new TextEncoder().encode('not a bundle at all'))).toBeNull();
  });
});
