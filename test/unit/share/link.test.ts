import { createHash, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
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
import { sampleLock } from './sample-locks';

const BASE = 'https://pipette.example/play/';

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
    return { name, version, url: host + (encodePlus ? file.replace('+', '%2B') : file), sha256, index, requested };
  });
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
  it('round-trips random valid locks exactly, and the same lock gives the same link', async () => {
    await fc.assert(
      fc.asyncProperty(lockArb, async (lock) => {
        const link = await encodeShareLink(lock, BASE);
        expect(link.startsWith(`${BASE}#env=v1.`)).toBe(true);
        expect(link).toMatch(/#env=v1\.[A-Za-z0-9_-]+\.[0-9a-f]{16}$/);
        expect(ok(await decodeShareLink(link)).lock).toEqual(lock);
        expect(await encodeShareLink(structuredClone(lock), BASE)).toBe(link);
      }),
      { numRuns: 150 },
    );
  });

  it('writes the format an independent writer writes (Node zlib, sha256, base64url)', async () => {
    const lock = sampleLock(4);
    const [, ours] = (await encodeShareLink(lock, BASE)).split('#env=v1.');
    const [body, sum] = ours!.split('.');
    const payload = Buffer.from(body!, 'base64url');
    expect(Buffer.from(payload).toString('base64url')).toBe(body);
    expect(createHash('sha256').update(payload).digest('hex').slice(0, 16)).toBe(sum);
    const { inflateRawSync } = await import('node:zlib');
    expect(JSON.parse(inflateRawSync(payload).toString('utf8'))).toEqual(lock);
    // ...and reads a link Node's zlib wrote.
    expect(ok(await decodeShareLink(craft(lock))).lock).toEqual(lock);
  });

  it('reads a whole URL, a fragment, or the value; drops whitespace a mail client put in', async () => {
    const link = await encodeShareLink(sampleLock(2), BASE);
    const fragment = link.slice(link.indexOf('#'));
    expect(ok(await decodeShareLink(fragment)).lock).toEqual(sampleLock(2));
    expect(ok(await decodeShareLink(fragment.slice('#env='.length))).lock).toEqual(sampleLock(2));
    const wrapped = `${link.slice(0, 70)}\n${link.slice(70, 150)}\r\n ${link.slice(150)}\n`;
    expect(ok(await decodeShareLink(wrapped)).lock).toEqual(sampleLock(2));
    expect(ok(await decodeShareLink(`${link}&view=editor`)).lock).toEqual(sampleLock(2));
  });

  it("replaces the base URL's fragment; isShareLink spots a link", async () => {
    const link = await encodeShareLink(sampleLock(1), `${BASE}#old-state`);
    expect(link.startsWith(`${BASE}#env=v1.`)).toBe(true);
    expect(isShareLink(link)).toBe(true);
    expect(isShareLink(BASE)).toBe(false);
    expect(isShareLink(`${BASE}#editor`)).toBe(false);
  });

  it('drops fields that are not the lock\'s own (a runtime entry\'s filename)', async () => {
    const lock = sampleLock(2);
    const richer = { ...lock, prefix: '/', distributions: lock.distributions.map((d) => ({ ...d, filename: 'x.whl', directUrl: null })) };
    expect(ok(await decodeShareLink(await encodeShareLink(richer, BASE))).lock).toEqual(lock);
  });
});

describe('link size', async () => {
  const link20 = await encodeShareLink(sampleLock(20), BASE);
  const link200 = await encodeShareLink(sampleLock(200), BASE);
  it(`a 20-package lock is a ${link20.length}-character link (under 8 kB)`, () => {
    expect(link20.length).toBeLessThan(8 * 1024);
  });
  it(`a 200-package lock is a ${link200.length}-character link (under 64 kB) and decodes`, async () => {
    expect(link200.length).toBeLessThan(64 * 1024);
    expect(ok(await decodeShareLink(link200)).lock).toEqual(sampleLock(200));
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
    const at = link.indexOf('#env=v1.') + 40;
    const flipped = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
    const sumFlipped = link.slice(0, -1) + (link.endsWith('0') ? '1' : '0');
    const cases: [string, string][] = [
      [flipped, 'its checksum does not match its content'],
      [sumFlipped, 'its checksum does not match its content'],
      [link.slice(0, at) + '!' + link.slice(at + 1), 'characters (or a length) a share link never has'],
      [link.slice(0, at) + '=' + link.slice(at + 1), 'characters (or a length) a share link never has'],
      [`${link}0`, 'checksum is not in the form'],
      [link.replace('#env=v1.', '#env=x1.'), 'where a share link starts with v1'],
    ];
    for (const [bad, detail] of cases) {
      const r = refusal(await decodeShareLink(bad));
      expect(r.code).toBe('damaged');
      expect(r.reason).toContain(detail);
      expect(r.reason).toMatch(/^This share link was changed on the way: .*Ask the person who sent it for the link again, and copy all of it, without editing it\.$/);
    }
  });

  it('damaged: a valid checksum over bytes that do not unpack (cut deflate, reserved block type)', async () => {
    const good = deflateRawSync(Buffer.from(JSON.stringify(sampleLock(5))));
    for (const payload of [good.subarray(0, good.length - 10), Buffer.from([0x07, 0x00, 0x01])]) {
      const r = refusal(await decodeShareLink(craftPayload(payload)));
      expect(r.code).toBe('damaged');
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
    const big = deflateRawSync(randomBytes(300 * 1024));
    const r2 = refusal(await decodeShareLink(craftPayload(big)));
    expect(r2.code).toBe('oversized');
    expect(r2.reason).toContain('compressed, and a link holds at most 256 kB');
  });

  it('unsupported-version: a v99 link, and a v1 link whose lock says version 99', async () => {
    const r = refusal(await decodeShareLink(craft({ anything: true }, 'v99')));
    expect(r.code).toBe('unsupported-version');
    expect(r.reason).toBe(
      'This share link was made by a newer Pipette: its format is v99, and this page reads v1. Reload the page to get the newest Pipette, then open the link again.',
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
