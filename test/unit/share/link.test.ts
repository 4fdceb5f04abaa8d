import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep';
import {
  decodeShareLink,
  encodeShareLink,
  isShareLink,
  PYPI_INDEX,
  ShareLinkError,
  type DecodeResult,
  type EnvironmentLock,
  type LockedWheel,
} from '../../../src/share';
import { DEFLATE_DICTIONARY, TAG_TOKENS } from '../../../src/share/link-dictionary';
import { PackedWriter } from '../../fixtures/packed-link';
import { packLock } from '../../../src/share/packed-lock';
import { sampleLock } from './sample-locks';

const BASE = 'https://pipette.example/play/';
const DICTIONARY = Buffer.from(DEFLATE_DICTIONARY);

/**
 * A link made the way the format says, with Node's own zlib, crypto and base64url: an
 * independent writer, so the tests check the format and not just our writer against our reader.
 * It is also how anyone could craft a link, checksum and all.
 */
function craftPayload(payload: Buffer, format = 'v1'): string {
  const sum = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  return `${BASE}#env=${format}.${payload.toString('base64url')}.${sum}`;
}
const craft = (data: unknown, format = 'v1'): string => craftPayload(deflateRawSync(Buffer.from(JSON.stringify(data))), format);
/** A v2 link around packed bytes, deflated by Node's zlib from the v2 dictionary. */
const craftV2 = (packed: Uint8Array): string => craftPayload(deflateRawSync(packed, { dictionary: DICTIONARY }), 'v2');

/** The lock as a v1 link wrote it: six fields per distribution (the file name is the URL's). */
function v1Of(lock: EnvironmentLock): unknown {
  return { ...lock, distributions: lock.distributions.map(({ filename: _, ...d }) => d) };
}

/**
 * What a v2 link gives back for `lock`: a wheel on an index loses its URL (the restore asks the
 * index for the file by name), unless the URL is the index's plus the file name (Pyodide's CDN).
 */
function viaV2(lock: EnvironmentLock): EnvironmentLock {
  return {
    ...lock,
    distributions: lock.distributions.map((d) => (d.index !== null && d.url !== null && d.url !== new URL(d.filename, d.index).href ? { ...d, url: null } : d)),
  };
}

/** An independent writer of v2's packed bytes, with `six()`: one wheel of six 1.17.0 found on index 1. */
class Packed extends PackedWriter {
  six(sha = Buffer.alloc(32, 0xab)): this {
    return this.wheel('six', '1.17.0', sha, false);
  }
}

function refusal(result: DecodeResult): { code: string; reason: string } {
  if (result.kind !== 'refused') throw new Error(`expected a refusal, got ${JSON.stringify(result).slice(0, 300)}`);
  return result;
}

function ok(result: DecodeResult): Extract<DecodeResult, { kind: 'ok' }> {
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${result.code}: ${result.reason}`);
  return result;
}

/** A lock with one change applied to a deep copy. */
function edited(change: (lock: { -readonly [K in keyof EnvironmentLock]: any }) => void): EnvironmentLock {
  const lock = structuredClone(sampleLock(3)) as any;
  change(lock);
  return lock;
}

// --- random valid locks ------------------------------------------------------------------

const hex = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Buffer.from(b).toString('hex'));
const nameArb = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}(?:[-_.][A-Za-z0-9]{1,4})?$/);
const versionArb = fc
  .tuple(fc.nat(30), fc.nat(30), fc.nat(9), fc.constantFrom('', 'a1', 'rc2', '.post1', '.dev3', '+local.7', '+cpu'))
  .map(([a, b, c, s]) => `${a}.${b}.${c}${s}`);
const INDEXES = [PYPI_INDEX, 'https://example.com/simple/', 'http://127.0.0.1:8123/simple/', 'https://download.pytorch.org/whl/cpu/'];
const distArb: fc.Arbitrary<LockedWheel> = fc
  .record({
    name: nameArb,
    version: versionArb,
    tag: fc.constantFrom('py3-none-any', 'py2.py3-none-any', 'cp314-cp314-pyemscripten_2026_0_wasm32'),
    host: fc.constantFrom('https://files.pythonhosted.org/packages/ab/cd/', 'http://localhost:8000/files/', 'https://example.com/f/'),
    encodePlus: fc.boolean(),
    sha256: hex(32),
    index: fc.option(fc.constantFrom(...INDEXES), { nil: null }),
    requested: fc.boolean(),
  })
  .map(({ name, version, tag, host, encodePlus, sha256, index, requested }) => {
    const file = `${name.replace(/[-_.]+/g, '_')}-${version}-${tag}.whl`;
    return { name, version, filename: file, url: host + (encodePlus ? file.replace('+', '%2B') : file), sha256, index, requested };
  })
  // A wheel on an index may be named only (a decoded v2 link), or sit beside the index URL (Pyodide's CDN).
  .chain((d) => (d.index === null ? fc.constant(d) : fc.constantFrom(d, { ...d, url: null }, { ...d, url: new URL(d.filename, d.index).href })));
const segment = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,8}$/).filter((s) => s !== '.' && s !== '..');
const pathArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const filesArb = fc
  .uniqueArray(fc.record({ path: pathArb, content: fc.string({ unit: 'binary', maxLength: 300 }) }), { selector: (f) => f.path, maxLength: 5 })
  .filter((files) => files.every((f) => !files.some((g) => g.path.startsWith(`${f.path}/`))));
const lockArb: fc.Arbitrary<EnvironmentLock> = fc.record({
  version: fc.constant(1 as const),
  python: fc.constantFrom('3.14.2', '3.13.0', '3.15.0a1'),
  pyodide: fc.constantFrom('314.0.7', '0.28.0', '0.29.0.dev0'),
  platform: fc.constantFrom('pyemscripten_2026_0_wasm32', 'pyodide_2025_0_wasm32'),
  indexes: fc.uniqueArray(fc.constantFrom(...INDEXES), { maxLength: 4 }),
  distributions: fc.uniqueArray(distArb, { selector: (d) => normalizeName(d.name), maxLength: 8 }),
  files: filesArb,
});

describe('encodeShareLink / decodeShareLink', () => {
  it('round-trips random valid locks (URLs an index gives back left out), and the same lock gives the same link', async () => {
    await fc.assert(
      fc.asyncProperty(lockArb, async (lock) => {
        const link = await encodeShareLink(lock, BASE);
        expect(link.startsWith(`${BASE}#env=v2.`)).toBe(true);
        expect(link).toMatch(/#env=v2\.[A-Za-z0-9_-]+\.[0-9a-f]{16}$/);
        const back = ok(await decodeShareLink(link)).lock;
        expect(back).toEqual(viaV2(lock));
        expect(await encodeShareLink(structuredClone(lock), BASE)).toBe(link);
        // What came back makes the same link again.
        expect(await encodeShareLink(back, BASE)).toBe(link);
      }),
      { numRuns: 150 },
    );
  });

  it('writes the format an independent reader reads (Node zlib with the v2 dictionary, sha256, base64url)', async () => {
    const lock = sampleLock(4);
    const [, ours] = (await encodeShareLink(lock, BASE)).split('#env=v2.');
    const [body, sum] = ours!.split('.');
    const payload = Buffer.from(body!, 'base64url');
    expect(Buffer.from(payload).toString('base64url')).toBe(body);
    expect(createHash('sha256').update(payload).digest('hex').slice(0, 16)).toBe(sum);
    const packed = inflateRawSync(payload, { dictionary: DICTIONARY });
    expect(Buffer.from(packed)).toEqual(Buffer.from(packLock(lock)));
    // Hashes are raw bytes, and no PyPI file URL is in there.
    expect(packed.includes(Buffer.from(lock.distributions[0]!.sha256, 'hex'))).toBe(true);
    expect(packed.includes(Buffer.from('files.pythonhosted.org'))).toBe(false);
    // ...and reads a link Node's zlib wrote, in either format.
    expect(ok(await decodeShareLink(craftV2(packed))).lock).toEqual(viaV2(lock));
    expect(ok(await decodeShareLink(craft(v1Of(lock)))).lock).toEqual(lock);
  });

  it('v1 links still open: the six-field lock of an older Pipette comes back with each file name from its URL', async () => {
    const lock = sampleLock(20);
    const v1 = craft(v1Of(lock));
    expect(v1).toContain('#env=v1.');
    expect(ok(await decodeShareLink(v1)).lock).toEqual(lock);
  });

  it('reads a whole URL, a fragment, or the value; drops whitespace a mail client put in', async () => {
    const link = await encodeShareLink(sampleLock(2), BASE);
    const fragment = link.slice(link.indexOf('#'));
    expect(ok(await decodeShareLink(fragment)).lock).toEqual(viaV2(sampleLock(2)));
    expect(ok(await decodeShareLink(fragment.slice('#env='.length))).lock).toEqual(viaV2(sampleLock(2)));
    const wrapped = `${link.slice(0, 70)}\n${link.slice(70, 150)}\r\n ${link.slice(150)}\n`;
    expect(ok(await decodeShareLink(wrapped)).lock).toEqual(viaV2(sampleLock(2)));
    expect(ok(await decodeShareLink(`${link}&view=editor`)).lock).toEqual(viaV2(sampleLock(2)));
  });

  it("replaces the base URL's fragment; isShareLink spots a link", async () => {
    const link = await encodeShareLink(sampleLock(1), `${BASE}#old-state`);
    expect(link.startsWith(`${BASE}#env=v2.`)).toBe(true);
    expect(isShareLink(link)).toBe(true);
    expect(isShareLink(BASE)).toBe(false);
    expect(isShareLink(`${BASE}#editor`)).toBe(false);
  });

  it("drops fields that are not the lock's own (a runtime record's directUrl)", async () => {
    const lock = sampleLock(2);
    const richer = { ...lock, prefix: '/', distributions: lock.distributions.map((d) => ({ ...d, directUrl: null })) };
    expect(ok(await decodeShareLink(await encodeShareLink(richer, BASE))).lock).toEqual(viaV2(lock));
  });

  it('keeps a URL the index cannot give back: a direct reference, and a wheel beside its index URL (Pyodide)', async () => {
    const lock = edited((l) => {
      l.distributions[0].index = null;
      l.distributions[0].url = 'https://example.com/dl/requests-1.0.0-py3-none-any.whl';
      l.distributions[0].filename = 'requests-1.0.0-py3-none-any.whl';
      l.indexes = [PYPI_INDEX, 'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/'];
      l.distributions[1].index = 'https://cdn.jsdelivr.net/pyodide/v314.0.7/full/';
      l.distributions[1].url = `https://cdn.jsdelivr.net/pyodide/v314.0.7/full/${l.distributions[1].filename}`;
    });
    const back = ok(await decodeShareLink(await encodeShareLink(lock, BASE))).lock;
    expect(back.distributions.map((d) => d.url)).toEqual([lock.distributions[0]!.url, lock.distributions[1]!.url, null]);
  });
});

describe('link size', async () => {
  const link20 = await encodeShareLink(sampleLock(20), BASE);
  const link200 = await encodeShareLink(sampleLock(200), BASE);
  const v1Link20 = craft(v1Of(sampleLock(20)));
  it(`a 20-package lock with sha256s is a ${link20.length}-character link (goal: under 2,000; ${v1Link20.length} as v1) and round-trips`, async () => {
    expect(link20.length).toBeLessThan(2000);
    expect(ok(await decodeShareLink(link20)).lock).toEqual(viaV2(sampleLock(20)));
  });
  it(`a 200-package lock is a ${link200.length}-character link (under 16 kB) and decodes`, async () => {
    expect(link200.length).toBeLessThan(16 * 1024);
    expect(ok(await decodeShareLink(link200)).lock).toEqual(viaV2(sampleLock(200)));
  });
});

describe('refusals', () => {
  it('truncated: cut by one character, cut in half, cut at the checksum, nothing after #env=', async () => {
    const link = await encodeShareLink(sampleLock(5), BASE);
    for (const cut of [link.slice(0, -1), link.slice(0, link.length - 16), link.slice(0, link.length - 17), link.slice(0, Math.floor(link.length / 2)), `${BASE}#env=`, `${BASE}#env=v1`, BASE]) {
      const r = refusal(await decodeShareLink(cut));
      expect(r.code, cut.slice(-30)).toBe('truncated');
      expect(r.reason).toMatch(/^This share link is incomplete: .*Ask the person who sent it for the link again, and copy all of it\.$/);
    }
    expect(refusal(await decodeShareLink(link.slice(0, -1))).reason).toContain('its checksum has 15 of its 16 characters');
    expect(refusal(await decodeShareLink(link.slice(0, Math.floor(link.length / 2)))).reason).toContain('it ends before its checksum');
  });

  it('damaged: a flipped character in the payload or the checksum, a stray character, a bad format', async () => {
    const link = await encodeShareLink(sampleLock(5), BASE);
    const at = link.indexOf('#env=v2.') + 40;
    const flipped = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
    const sumFlipped = link.slice(0, -1) + (link.endsWith('0') ? '1' : '0');
    const cases: [string, string][] = [
      [flipped, 'its checksum does not match its content'],
      [sumFlipped, 'its checksum does not match its content'],
      [link.slice(0, at) + '!' + link.slice(at + 1), 'characters (or a length) a share link never has'],
      [link.slice(0, at) + '=' + link.slice(at + 1), 'characters (or a length) a share link never has'],
      [`${link}0`, 'checksum is not in the form'],
      [link.replace('#env=v2.', '#env=x2.'), 'where a share link starts with v2'],
    ];
    for (const [bad, detail] of cases) {
      const r = refusal(await decodeShareLink(bad));
      expect(r.code).toBe('damaged');
      expect(r.reason).toContain(detail);
      expect(r.reason).toMatch(/^This share link was changed on the way: .*Ask the person who sent it for the link again, and copy all of it, without editing it\.$/);
    }
  });

  it('damaged: a valid checksum over bytes that do not unpack (cut deflate, reserved block type), v1 and v2', async () => {
    const good = deflateRawSync(Buffer.from(JSON.stringify(sampleLock(5))));
    const goodV2 = deflateRawSync(packLock(sampleLock(5)), { dictionary: DICTIONARY });
    for (const [payload, format] of [
      [good.subarray(0, good.length - 10), 'v1'],
      [Buffer.from([0x07, 0x00, 0x01]), 'v1'],
      [goodV2.subarray(0, goodV2.length - 10), 'v2'],
      [Buffer.from([0x07, 0x00, 0x01]), 'v2'],
    ] as const) {
      const r = refusal(await decodeShareLink(craftPayload(payload, format)));
      expect(r.code, format).toBe('damaged');
      expect(r.reason).toContain('its content could not be unpacked');
    }
  });

  it('oversized: a deflate bomb of 50 MB of zeros stops at 2 MB; 300 kB compressed is refused before unpacking', async () => {
    const bomb = deflateRawSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(100 * 1024); // small enough to pass the compressed bound
    const r = refusal(await decodeShareLink(craftPayload(bomb)));
    expect(r.code).toBe('oversized');
    expect(r.reason).toBe(
      'This share link holds more than Pipette opens: it unpacks to more than 2 MB (unpacking was stopped there). ' +
        'Ask the sender for a pylock.toml or requirements.txt export instead.',
    );
    // The same bomb behind the v2 dictionary stops at the same budget.
    const bombV2 = deflateRawSync(Buffer.alloc(50 * 1024 * 1024), { dictionary: DICTIONARY });
    expect(refusal(await decodeShareLink(craftPayload(bombV2, 'v2'))).reason).toBe(r.reason);
    const big = deflateRawSync(randomBytes(300 * 1024));
    const r2 = refusal(await decodeShareLink(craftPayload(big)));
    expect(r2.code).toBe('oversized');
    expect(r2.reason).toContain('compressed, and a link holds at most 256 kB');
  });

  it('unsupported-version: a v99 link, and a v1 link whose lock says version 99', async () => {
    const r = refusal(await decodeShareLink(craft({ anything: true }, 'v99')));
    expect(r.code).toBe('unsupported-version');
    expect(r.reason).toBe(
      'This share link was made by a newer Pipette: its format is v99, and this page reads v1 and v2. Reload the page to get the newest Pipette, then open the link again.',
    );
    const r2 = refusal(await decodeShareLink(craft({ ...sampleLock(1), version: 99, newField: [] })));
    expect(r2.code).toBe('unsupported-version');
    expect(r2.reason).toContain('it is lock format 99; this Pipette reads format 1');
  });

  it('invalid: a crafted lock that breaks the schema, each named by its field', async () => {
    const cases: [unknown, string][] = [
      [edited((l) => (l.distributions[1].sha256 = 'z'.repeat(64))), `distributions[1] (urllib3).sha256 "${'z'.repeat(64)}" is not a sha256 digest (64 lower-case hex digits)`],
      [edited((l) => (l.distributions[1].sha256 = l.distributions[1].sha256.toUpperCase())), 'is not a sha256 digest'],
      [
        edited((l) => (l.distributions[0].url = 'http://files.example.com/requests-1.0.0-py3-none-any.whl')),
        'distributions[0] (requests).url "http://files.example.com/requests-1.0.0-py3-none-any.whl" uses plain http: anyone on the network in between could change what is downloaded, so only https is accepted (http only for a local index on 127.0.0.1 or localhost)',
      ],
      [edited((l) => (l.indexes = ['http://pypi.example.org/simple/'])), 'indexes[0] "http://pypi.example.org/simple/" uses plain http'],
      [edited((l) => (l.indexes = ['file:///home/me/wheels/'])), 'is a file: URL; only https: (or http: on 127.0.0.1/localhost)'],
      [edited((l) => (l.files = [{ path: '../../etc/passwd', content: 'root' }])), `files[0].path "../../etc/passwd" climbs out of the home folder with '..'; a file path must be relative to the home folder, like src/main.py`],
      [edited((l) => (l.files = [{ path: '/etc/passwd', content: '' }])), 'is absolute'],
      [edited((l) => (l.files = [{ path: 'a\u0000b', content: '' }])), 'contains a control character'],
      [edited((l) => (l.files = [{ path: 'a', content: '' }, { path: 'a/b', content: '' }])), 'both as a file and as the folder of'],
      [edited((l) => (l.files = [{ path: 'x.py', content: 'a'.repeat(1024 * 1024 + 1) }])), 'is 1048577 characters long (at most 1048576)'],
      [edited((l) => (l.distributions[0].name = '-requests')), 'distributions[0].name "-requests" is not a valid project name'],
      [edited((l) => (l.distributions[0].version = 'one.two')), 'distributions[0] (requests).version "one.two" is not a PEP 440 version'],
      [edited((l) => (l.distributions[0].version = '9.9')), 'does not name a wheel of requests 9.9'],
      [edited((l) => l.distributions.push({ ...l.distributions[0], name: 'Requests' })), 'distributions lists requests and Requests, which are one project'],
      [edited((l) => (l.distributions[0].requested = 'yes')), 'requested must be true or false'],
      [edited((l) => (l.distributions[0].extra = 1)), 'distributions[0] has an unknown field "extra"'],
      [edited((l) => delete l.files), "the lock is missing the field 'files'"],
      [edited((l) => (l.platform = 'Windows 11')), 'platform "Windows 11" is not a platform tag'],
      [[1, 2], 'the lock must be an object'],
    ];
    for (const [lock, detail] of cases) {
      const r = refusal(await decodeShareLink(craft(lock)));
      expect(r.code, detail).toBe('invalid');
      expect(r.reason).toMatch(/^This share link does not hold a valid environment: .+\. It was not written this way by Pipette; nothing was installed\. Ask the sender for a new link\.$/s);
      expect(r.reason).toContain(detail);
    }
    const notJson = refusal(await decodeShareLink(craftPayload(deflateRawSync(Buffer.from('{"version": 1,')))));
    expect([notJson.code, notJson.reason]).toEqual(['invalid', expect.stringContaining('its content is not JSON text')]);
    // A list nested a million deep: JSON.parse copes, and the message must not recurse into it.
    const deep = refusal(await decodeShareLink(craftPayload(deflateRawSync(Buffer.from('['.repeat(1e6) + ']'.repeat(1e6))))));
    expect([deep.code, deep.reason]).toEqual(['invalid', expect.stringContaining('the lock must be an object, not a list')]);
    const deepField = refusal(await decodeShareLink(craftPayload(deflateRawSync(Buffer.from(JSON.stringify({ ...sampleLock(1), python: 0 }).replace('"python":0', `"python":${'['.repeat(1e6)}${']'.repeat(1e6)}`))))));
    expect(deepField.reason).toContain('python must be a string, not a list');
    const notUtf8 = refusal(await decodeShareLink(craftPayload(deflateRawSync(Buffer.from([0x22, 0xff, 0x22])))));
    expect(notUtf8.code).toBe('invalid');
  });

  it('invalid v2 bytes: each refused with what is wrong, never read past their end', async () => {
    const six = () => new Packed().header().varint(1);
    const files = (p: Packed) => p.varint(0);
    const cases: [Uint8Array, string][] = [
      // The control: this hand-made lock is valid.
      [files(six().six()).done(), ''],
      [six().byte(0b1000).varint(1).str('six').str('1.17.0').varint(1).bytes(Buffer.alloc(17, 1)).done(), 'distributions[0] ends after 17 of the 32 bytes of its sha256'],
      [files(six().byte(0b1000).varint(1).str('six').str('1.17.0').varint(TAG_TOKENS.length + 1).bytes(Buffer.alloc(32, 1))).done(), `distributions[0]'s file name uses tag set ${TAG_TOKENS.length + 1} of the link dictionary, which has ${TAG_TOKENS.length}`],
      [files(new Packed().str('3.14.2').str('314.0.7').str('pyemscripten_2026_0_wasm32').varint(1).varint(7).varint(0).varint(1).six()).done(), "indexes[0] is entry 7 of the link dictionary's indexes, which has 1"],
      // The file name written out (no STEM flag) for another project than the entry's.
      [files(six().byte(0).varint(1).str('six').str('1.17.0').varint(1).str('evil-1.0').bytes(Buffer.alloc(32, 1))).done(), 'distributions[0] (six).filename "evil-1.0-py3-none-any.whl" is not a wheel of six 1.17.0: it is a wheel of evil 1.0, not of six 1.17.0'],
      [files(six().byte(0b1000).varint(1).str('six').str('1.17.0').varint(0).str('py3-none-any/../../x').bytes(Buffer.alloc(32, 1))).done(), 'is not a wheel of six 1.17.0'],
      [files(six().byte(0b1000 | 0x40).varint(1).str('six').str('1.17.0').varint(1).bytes(Buffer.alloc(32, 1))).done(), 'distributions[0] has flags 0x48, with bits this Pipette does not know'],
      [files(six().byte(0b1000 | 0b110).varint(1).str('six').str('1.17.0').varint(1).bytes(Buffer.alloc(32, 1))).done(), 'distributions[0] says its file is found in way 3'],
      [files(six().byte(0b1000).varint(2).str('six').str('1.17.0').varint(1).bytes(Buffer.alloc(32, 1))).done(), 'distributions[0] names index 2, and the link lists 1'],
      [files(six().byte(0b1000).varint(0).str('six').str('1.17.0').varint(1).bytes(Buffer.alloc(32, 1))).done(), 'distributions[0] is to be found on its index, and names none'],
      [files(six().six()).byte(0).done(), '1 bytes follow its last file'],
      [new Packed().header().varint(1001).done(), 'distributions has 1001 entries (at most 1000)'],
      [new Packed().header().varint(1).byte(0b1000).varint(1).varint(1_000_000).done(), 'distributions[0].name is 1000000 bytes long, and only 0 are left'],
      [new Packed().header().varint(1).byte(0b1000).varint(1).varint(2).bytes([0xc3, 0x28]).done(), 'distributions[0].name is not UTF-8 text'],
      [new Packed().header().bytes([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).done(), 'the number of distributions is a number longer than 5 bytes'],
      [new Packed().str('3.14.2').done(), 'it ends before the length of pyodide'],
    ];
    for (const [bytes, detail] of cases) {
      const result = await decodeShareLink(craftV2(bytes));
      if (detail === '') {
        expect(ok(result).lock.distributions[0]).toMatchObject({ name: 'six', filename: 'six-1.17.0-py3-none-any.whl', url: null, index: PYPI_INDEX });
        continue;
      }
      const r = refusal(result);
      expect(r.code, detail).toBe('invalid');
      expect(r.reason).toContain(detail);
      expect(r.reason).toMatch(/^This share link does not hold a valid environment: .+\. It was not written this way by Pipette; nothing was installed\. Ask the sender for a new link\.$/s);
    }
  });

  it('accepts http on the loopback (a local index)', async () => {
    const lock = edited((l) => {
      l.indexes = ['http://127.0.0.1:8080/simple/', 'http://localhost/simple/'];
      l.distributions[0].url = 'http://127.0.0.1:8080/files/requests-1.0.0-py3-none-any.whl';
    });
    expect(ok(await decodeShareLink(craft(lock))).lock).toEqual(lock);
  });

  it('credentials: a user:password index, a token user name, a token query, a password in a file; never repeated', async () => {
    const cases: [EnvironmentLock, string][] = [
      [edited((l) => (l.indexes = ['https://user:pass@example.com/simple/'])), 'indexes[0] (https://user:****@example.com/simple/) contains a user name and password'],
      [edited((l) => (l.distributions[2].index = 'https://s3cr3tt0k3n@pypi.fury.io/me/')), 'distributions[2] (idna).index (https://****@pypi.fury.io/me/) contains a user name or token before the host'],
      [
        edited((l) => (l.distributions[0].url = 'https://bucket.example.com/requests-1.0.0-py3-none-any.whl?X-Amz-Signature=s3cr3tt0k3n')),
        'contains a secret-looking query parameter (X-Amz-Signature)',
      ],
      [
        edited((l) => (l.files = [{ path: '.config/pip/pip.conf', content: '[global]\nindex-url = https://me:s3cr3tt0k3n@private.example/simple/\n' }])),
        'files[0] (.config/pip/pip.conf) line 2 holds a URL with a user name and password: https://me:****@private.example/simple/',
      ],
      [edited((l) => (l.files = [{ path: '.pypirc', content: `[pypi]\npassword = pypi-AgEIcHlwaS5vcmc${'x'.repeat(40)}\n` }])), 'line 2 holds a PyPI API token'],
    ];
    for (const [lock, detail] of cases) {
      const r = refusal(await decodeShareLink(craft(lock)));
      expect(r.code, detail).toBe('credentials');
      expect(r.reason).toContain(detail);
      expect(r.reason).toMatch(/^This share link contains a password or token: .* Pipette never puts credentials in a link, so this one was made or edited by hand; it is refused so the secret is neither used nor passed on\. Ask the sender for a link without it\.$/);
      expect(r.reason).not.toMatch(/s3cr3tt0k3n|user:pass|AgEIcHlwaS5vcmcxxx/);

      // ...and the writer refuses to make such a link at all.
      const error = await encodeShareLink(lock, BASE).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ShareLinkError);
      expect((error as ShareLinkError).code).toBe('credentials');
      expect((error as ShareLinkError).message).toContain(detail);
      expect((error as ShareLinkError).message).toContain('Pipette never puts credentials in a link');
      expect((error as ShareLinkError).message).not.toMatch(/s3cr3tt0k3n|user:pass/);
    }
  });

  it('encodeShareLink refuses an invalid lock rather than write a link that would be refused', async () => {
    const error = await encodeShareLink(edited((l) => (l.distributions[0].sha256 = 'abc')), BASE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShareLinkError);
    expect((error as ShareLinkError).code).toBe('invalid');
    expect((error as ShareLinkError).message).toBe('Cannot share this environment: distributions[0] (requests).sha256 "abc" is not a sha256 digest (64 lower-case hex digits).');
  });

  it('encodeShareLink refuses a lock over the size bounds', async () => {
    // 550 k characters of base64 noise: well under 2 MB of JSON, but about 410 kB compressed.
    const noise = randomBytes(400 * 1024).toString('base64');
    const lock = edited((l) => (l.files = [0, 1].map((i) => ({ path: `data${i}.txt`, content: noise.slice(i * 280_000, (i + 1) * 280_000) }))));
    const error = await encodeShareLink(lock, BASE).catch((e: unknown) => e);
    expect((error as ShareLinkError).code).toBe('oversized');
    expect((error as ShareLinkError).message).toMatch(/^Cannot share this environment: it is \d+ kB compressed \(a link holds at most 256 kB\)\. Export it as a pylock\.toml file instead\.$/);
  });
});

describe('warnings', () => {
  it('none for a PyPI-only lock (with or without the trailing slash)', async () => {
    expect(ok(await decodeShareLink(await encodeShareLink(sampleLock(5), BASE))).warnings).toEqual([]);
    const noSlash = edited((l) => {
      l.indexes = ['https://pypi.org/simple'];
      for (const d of l.distributions) d.index = 'https://pypi.org/simple';
    });
    expect(ok(await decodeShareLink(craft(noSlash))).warnings).toEqual([]);
  });

  it('unknown-index for every other index, listed or named by a distribution, with the distributions it serves', async () => {
    const lock = edited((l) => {
      l.indexes = [PYPI_INDEX, 'https://example.com/simple/', 'http://127.0.0.1:9000/simple/'];
      l.distributions[1].index = 'https://example.com/simple/';
      l.distributions[1].url = 'https://example.com/files/urllib3-2.3.1-py3-none-any.whl';
      l.distributions[2].index = 'https://other.example/simple/';
      l.distributions[2].url = 'https://other.example/f/idna-3.6.2-py3-none-any.whl';
    });
    expect(ok(await decodeShareLink(craft(lock))).warnings).toEqual([
      {
        code: 'unknown-index',
        index: 'https://example.com/simple/',
        distributions: ['urllib3'],
        message: 'This environment uses the package index https://example.com/simple/, which is not PyPI: urllib3 would be installed from it. Install only if you trust that index.',
      },
      {
        code: 'unknown-index',
        index: 'http://127.0.0.1:9000/simple/',
        distributions: [],
        message: 'This environment uses the package index http://127.0.0.1:9000/simple/, which is not PyPI: pip would look there for packages. Install only if you trust that index.',
      },
      {
        code: 'unknown-index',
        index: 'https://other.example/simple/',
        distributions: ['idna'],
        message: 'This environment uses the package index https://other.example/simple/, which is not PyPI: idna would be installed from it. Install only if you trust that index.',
      },
    ]);
  });

  it('unknown-file-host when a wheel is downloaded from elsewhere than PyPI or its own index', async () => {
    const lock = edited((l) => {
      l.distributions[0].url = 'https://evil.example/requests-1.0.0-py3-none-any.whl';
      l.distributions[2].index = null;
      l.distributions[2].url = 'https://evil.example/x/idna-3.6.2-py3-none-any.whl';
    });
    const { warnings } = ok(await decodeShareLink(craft(lock)));
    expect(warnings).toEqual([
      {
        code: 'unknown-file-host',
        origin: 'https://evil.example',
        distributions: ['requests', 'idna'],
        message: 'This environment downloads requests, idna from https://evil.example, which is neither PyPI nor the index they are listed under. Install only if you trust that site.',
      },
    ]);
    // The page may trust more (e.g. the origin it serves Pyodide's packages from).
    expect(ok(await decodeShareLink(craft(lock), { trustedFileOrigins: ['https://files.pythonhosted.org', 'https://evil.example'] })).warnings).toEqual([]);
  });

  it('trustedIndexes replaces the default', async () => {
    const lock = edited((l) => (l.indexes = ['https://example.com/simple/']));
    expect(ok(await decodeShareLink(craft(lock), { trustedIndexes: [PYPI_INDEX, 'https://example.com/simple'] })).warnings).toEqual([]);
    expect(ok(await decodeShareLink(craft(lock))).warnings.map((w) => w.code)).toEqual(['unknown-index']);
  });
});
