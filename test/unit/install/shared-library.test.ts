/**
 * Shared libraries from Pyodide's lock are zips unpacked into /usr/lib: read by the same reader
 * as wheels (src/install/zip-reader.ts), with the same bound on what they declare.
 */
import { expect, test } from 'vitest';
import { installSharedLibrary, MemoryFs } from '../../../src/install';
import { rawZip, zipBombEntries } from '../../integration/hardening/hostile-wheels';

const lib = { name: 'libbomb', version: '1.0', filename: 'libbomb-1.0.zip' };

test('a shared library declaring more than 1 GB is refused from its directory, and nothing is written', () => {
  const fs = new MemoryFs();
  // 11 x 100 MB of zeros in 1 MB: unzipped whole, it held 1.1 GB before anything was checked.
  const bytes = rawZip(zipBombEntries('lib', 11, 100));
  const started = performance.now();
  expect(() => installSharedLibrary(fs, '/usr/lib', lib, bytes)).toThrow('libbomb-1.0.zip declares more than 1.1 GB of uncompressed content; refusing to unpack it');
  expect(performance.now() - started).toBeLessThan(1000);
  expect(fs.exists('/usr/lib/lib')).toBe(false);
});

test('a shared library whose local header names another file is refused', () => {
  const fs = new MemoryFs();
  const bytes = rawZip([{ path: 'libx.so', localPath: '../../etc/x.so', data: new Uint8Array(8) }]);
  expect(() => installSharedLibrary(fs, '/usr/lib', lib, bytes)).toThrow(/libbomb-1\.0\.zip is not a readable zip archive \(the file name in its central directory, "libx\.so", and in its local header, "\.\.\/\.\.\/etc\/x\.so", differ/);
  expect(fs.exists('/usr/lib/libx.so')).toBe(false);
});
