/**
 * Wheels whose zip structure is hostile: what a reader of local headers, of the central
 * directory, and Python's `zipfile` (which pip uses to install wheels) would each see something
 * different in, or refuse. Shared by the catalogue (`zip-archives.test.ts`, over our pip) and
 * the differential test against the real Python (`test/integration/install/zip-differential.test.ts`).
 *
 * `pip` is what pip 24.2 on CPython 3.13 does with the wheel (`pip install --no-index
 * --find-links DIR --target T NAME`), checked by hand and by the differential test's zipfile run.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import type { BuiltDist } from '../../fixtures/wheel-builder';
import { hostileWheel, type RawEntry } from './hostile-wheels';

const enc = new TextEncoder();
const hex = (s: string): Uint8Array => Uint8Array.from(s.match(/../g)!, (b) => parseInt(b, 16));

/** `x = 1\n` as zipfile stores it with ZIP_BZIP2 and ZIP_LZMA (CPython 3.13's compressors). */
const BZIP2_X = hex('425a6839314159265359a3dd768b000002d880001040002002004020002183419a0b811c5dc914e142428f75da2c');
const LZMA_X = hex('090405005d00008000003c0803a21156dd99b91ffffea12000');

/** A Unicode Path extra field (0x7075, APPNOTE 4.6.9) naming `name` for the raw name `raw`. */
function unicodePathExtra(raw: string, name: string): Uint8Array {
  const utf8 = enc.encode(name);
  const crc = crc32(enc.encode(raw));
  const body = [1, crc & 0xff, (crc >>> 8) & 0xff, (crc >>> 16) & 0xff, (crc >>> 24) & 0xff, ...utf8];
  return Uint8Array.from([0x75, 0x70, body.length & 0xff, body.length >>> 8, ...body]);
}

export interface HostileZip {
  /** The catalogue's input column. */
  readonly input: string;
  readonly dist: BuiltDist;
  /** The project name to `pip install`. */
  readonly project: string;
  /** What pip 24.2 does: installs it, or refuses it with this zipfile error. */
  readonly pip: { readonly installs: true } | { readonly refuses: string };
  /** What Pipette says (the catalogue's expected message); absent when it installs. */
  readonly pipette?: string;
  /** Why Pipette refuses what pip installs, where it does on purpose. */
  readonly differs?: string;
}

const x = enc.encode('x = 1\n');

/**
 * Every case; the wheels are built once per call. Index of the first `extra` entry in the
 * archive: 1 (after `<pkg>/__init__.py`), unless `shadowed` entries come before.
 */
export function hostileZips(): HostileZip[] {
  const wheel = (name: string, options: Parameters<typeof hostileWheel>[1]): BuiltDist => hostileWheel({ name, version: '1.0' }, options);
  const extra = (entries: RawEntry[], more: Parameters<typeof hostileWheel>[1] = {}) => ({ extra: entries, ...more });
  return [
    {
      input: 'a local header naming another file than the central directory (evil.py behind harmless.txt)',
      project: 'header-name',
      dist: wheel('header-name', extra([{ path: 'header_name/harmless.txt', localPath: 'header_name/evil.py', data: x }])),
      pip: { refuses: "File name in directory 'header_name/harmless.txt' and header b'header_name/evil.py' differ." },
      pipette: 'header_name-1.0-py3-none-any.whl is not a valid wheel: the file name in its central directory, "header_name/harmless.txt", and in its local header, "header_name/evil.py", differ',
    },
    {
      input: 'an entry whose CRC-32 does not match its data, listed in RECORD',
      project: 'bad-crc',
      dist: wheel('bad-crc', extra([{ path: 'bad_crc/data.py', data: x, crc: 0x1234_5678 }])),
      pip: { refuses: "Bad CRC-32 for file 'bad_crc/data.py'" },
      pipette: 'bad_crc-1.0-py3-none-any.whl is not a valid wheel: bad CRC-32 for "bad_crc/data.py"',
    },
    {
      input: 'an entry whose CRC-32 does not match its data, not in RECORD',
      project: 'bad-crc-unrecorded',
      dist: wheel('bad-crc-unrecorded', extra([{ path: 'bad_crc_unrecorded/data.py', data: x, crc: 0x1234_5678 }], { unrecorded: true })),
      pip: { refuses: "Bad CRC-32 for file 'bad_crc_unrecorded/data.py'" },
      pipette: 'bad_crc_unrecorded-1.0-py3-none-any.whl is not a valid wheel: bad CRC-32 for "bad_crc_unrecorded/data.py"',
    },
    {
      input: 'the same name twice (a scanner reading the first sees other code than pip writes)',
      project: 'twice',
      dist: wheel('twice', { shadowed: [{ path: 'twice/__init__.py', data: enc.encode('# nothing to see here\n') }] }),
      pip: { installs: true },
      differs: 'refused on purpose, as PyPI and uv do (src/install/zip-reader.ts checkedZipDirectory)',
      pipette: 'twice-1.0-py3-none-any.whl is not a valid wheel: it holds "twice/__init__.py" twice',
    },
    {
      input: 'the same file under two names (twice_aliased/./__init__.py and twice_aliased/__init__.py)',
      project: 'twice-aliased',
      dist: wheel('twice-aliased', { shadowed: [{ path: 'twice_aliased/./__init__.py', data: enc.encode('# nothing to see here\n') }] }),
      pip: { installs: true },
      differs: 'refused on purpose: pip writes both to one file, as for a name twice',
      pipette: 'twice_aliased-1.0-py3-none-any.whl is not a valid wheel: it holds "twice_aliased/./__init__.py" twice (again as "twice_aliased/__init__.py")',
    },
    {
      input: 'an encrypted entry (flag bit 0)',
      project: 'encrypted',
      dist: wheel('encrypted', extra([{ path: 'encrypted/secret.py', data: x, flags: 1 }])),
      pip: { refuses: "File 'encrypted/secret.py' is encrypted, password required for extraction" },
      pipette: 'encrypted-1.0-py3-none-any.whl is not a valid wheel: "encrypted/secret.py" is encrypted',
    },
    {
      input: 'an entry compressed with bzip2 (method 12)',
      project: 'bzip2',
      dist: wheel('bzip2', extra([{ path: 'bzip2/x.py', data: x, method: 12, stored: BZIP2_X }])),
      pip: { installs: true },
      differs: 'Pipette has no bzip2 decoder; the message says so and what to do',
      pipette: 'bzip2-1.0-py3-none-any.whl uses bzip2 compression (zip method 12) for "bzip2/x.py", which Pipette cannot unpack; pip can. Ask its publisher for a wheel built with deflate, as every wheel builder writes it, or install another version.',
    },
    {
      input: 'an entry compressed with lzma (method 14)',
      project: 'lzma',
      dist: wheel('lzma', extra([{ path: 'lzma/x.py', data: x, method: 14, flags: 2, stored: LZMA_X }])),
      pip: { installs: true },
      differs: 'Pipette has no lzma decoder; the message says so and what to do',
      pipette: 'lzma-1.0-py3-none-any.whl uses lzma compression (zip method 14) for "lzma/x.py", which Pipette cannot unpack; pip can.',
    },
    {
      input: 'an entry with an unknown compression method (42)',
      project: 'odd-method',
      dist: wheel('odd-method', extra([{ path: 'odd_method/x.py', data: x, method: 42, stored: x }])),
      pip: { refuses: 'That compression method is not supported' },
      pipette: 'odd_method-1.0-py3-none-any.whl is not a valid wheel: "odd_method/x.py" uses compression method 42, which zipfile does not support',
    },
    {
      input: 'an entry whose data reaches into the next entry (overlapping entries, a zip bomb shape)',
      project: 'overlap',
      dist: wheel('overlap', extra([{ path: 'overlap/a.py', data: x, declaredCompressedSize: 60 }, { path: 'overlap/b.py', data: x }])),
      pip: { refuses: "Overlapped entries: 'overlap/a.py' (possible zip bomb)" },
      pipette: 'overlap-1.0-py3-none-any.whl is not a valid wheel: the data of "overlap/a.py" overlaps the next entry (a zip bomb shape)',
    },
    {
      input: 'an end record counting 1 entry of 5 (zipfile reads the directory by its size)',
      project: 'count-low',
      dist: wheel('count-low', { layout: { count: 1 } }),
      pip: { installs: true },
    },
    {
      input: 'an end record counting 50 entries of 5',
      project: 'count-high',
      dist: wheel('count-high', { layout: { count: 50 } }),
      pip: { installs: true },
    },
    {
      input: 'data before the archive (a self-extractor stub; offsets relative to the archive)',
      project: 'prefixed',
      dist: wheel('prefixed', { layout: { prefix: enc.encode('#!/bin/sh\necho this is not part of the wheel\nexit 0\n') } }),
      pip: { installs: true },
    },
    {
      input: 'an archive comment',
      project: 'commented',
      dist: wheel('commented', { layout: { comment: enc.encode('built by hand') } }),
      pip: { installs: true },
    },
    {
      input: 'an archive comment holding a second end-record signature (PK\\5\\6)',
      project: 'fake-end',
      dist: wheel('fake-end', { layout: { comment: enc.encode('PK\u0005\u0006 a second end record') } }),
      pip: { refuses: 'Bad offset for central directory' },
      pipette: 'fake_end-1.0-py3-none-any.whl is not a valid wheel: it is not a readable zip archive (Bad offset for central directory)',
    },
    {
      input: 'zip64 end records and an entry whose sizes are in a zip64 extra field',
      project: 'zip64',
      dist: wheel('zip64', { extra: [{ path: 'zip64/big.py', data: x, zip64Sizes: true }], layout: { zip64: true } }),
      pip: { installs: true },
    },
    {
      input: 'a name in cp437 without the UTF-8 flag (café.py as 0x82)',
      project: 'cp437',
      dist: wheel('cp437', extra([{ path: 'cp437/café.py', nameBytes: Uint8Array.from([...enc.encode('cp437/caf'), 0x82, ...enc.encode('.py')]), data: x }])),
      pip: { installs: true },
    },
    {
      input: 'a Unicode Path extra field (0x7075) renaming harmless.txt to evil.py',
      project: 'unicode-path',
      dist: wheel('unicode-path', extra([{ path: 'unicode_path/evil.py', nameBytes: enc.encode('unicode_path/harmless.txt'), centralExtra: unicodePathExtra('unicode_path/harmless.txt', 'unicode_path/evil.py'), data: x }])),
      pip: { installs: true },
    },
    {
      input: 'a name with a NUL (nul/evil.py\\0.txt: zipfile cuts it to evil.py)',
      project: 'nul',
      dist: wheel('nul', extra([{ path: 'nul/evil.py\u0000.txt', data: x }], { unrecorded: true })),
      pip: { installs: true },
      differs: 'refused on purpose: what a listing shows (a .txt) is not the file written (a .py)',
      pipette: 'nul-1.0-py3-none-any.whl contains the path "nul/evil.py\\u0000.txt"',
    },
    {
      input: 'a name marked UTF-8 that is not UTF-8 (0xFF)',
      project: 'bad-utf8',
      dist: wheel('bad-utf8', extra([{ path: 'bad_utf8/x.txt', nameBytes: Uint8Array.from([...enc.encode('bad_utf8/x'), 0xff, ...enc.encode('.txt')]), flags: 0x800, data: x }], { unrecorded: true })),
      pip: { refuses: "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff" },
      pipette: "bad_utf8-1.0-py3-none-any.whl is not a valid wheel: an entry's name is marked UTF-8 but is not",
    },
    {
      input: 'an entry needing zip version 9.9 to be read',
      project: 'zip-version',
      dist: wheel('zip-version', extra([{ path: 'zip_version/x.py', data: x, versionNeeded: 99 }])),
      pip: { refuses: 'NotImplementedError: zip file version 9.9' },
      pipette: 'zip_version-1.0-py3-none-any.whl is not a valid wheel: "zip_version/x.py" needs zip version 9.9 to be read',
    },
    {
      input: 'a stored (uncompressed) entry',
      project: 'stored',
      dist: wheel('stored', extra([{ path: 'stored/x.py', data: x, method: 0 }])),
      pip: { installs: true },
    },
    {
      input: 'a deflate stream cut short',
      project: 'cut-stream',
      dist: wheel('cut-stream', extra([{ path: 'cut_stream/x.py', data: enc.encode('x = 1\n'.repeat(500)), stored: deflateRawSync(enc.encode('x = 1\n'.repeat(500))).subarray(0, 8) }], { unrecorded: true })),
      pip: { refuses: "Bad CRC-32 for file 'cut_stream/x.py'" },
      pipette: 'cut_stream-1.0-py3-none-any.whl is not a valid wheel: the data of "cut_stream/x.py" is not a valid deflate stream',
    },
    {
      input: 'an entry holding more than its declared size (the CRC-32 of what is declared)',
      project: 'longer',
      dist: wheel('longer', extra([{ path: 'longer/x.txt', data: x, declaredSize: 3, crc: crc32(x.subarray(0, 3)) }], { unrecorded: true })),
      pip: { installs: true },
    },
    {
      input: 'an entry holding less than its declared size',
      project: 'shorter',
      dist: wheel('shorter', extra([{ path: 'shorter/x.txt', data: x, declaredSize: 600 }], { unrecorded: true })),
      pip: { installs: true },
    },
    {
      input: 'a Unicode Path extra field whose CRC does not match the name (ignored)',
      project: 'stale-unicode-path',
      dist: wheel('stale-unicode-path', extra([{ path: 'stale_unicode_path/harmless.txt', centralExtra: unicodePathExtra('another name', 'stale_unicode_path/evil.py'), data: x }])),
      pip: { installs: true },
    },
  ];
}
