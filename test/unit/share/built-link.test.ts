/**
 * Distributions built from source in a link (share's LockedBuild): packed compactly in v2 (a
 * section after the files), read back from v1 JSON, and every field a stranger could bend
 * refused with the field named.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShareLink, encodeShareLink, type DecodeResult, type EnvironmentLock, type LockedBuild } from '../../../src/share';
import { DEFLATE_DICTIONARY } from '../../../src/share/link-dictionary';
import { packLock } from '../../../src/share/packed-lock';
import { PackedWriter } from '../../fixtures/packed-link';
import { sampleLock } from './sample-locks';

const BASE = 'https://pipette.example/';
const INDEX = 'http://127.0.0.1:8080/simple/';
const SHA = 'ab'.repeat(32);
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

const sdist: LockedBuild = { kind: 'sdist', name: 'hello-sdist', version: '0.1', requested: true, filename: 'hello_sdist-0.1.tar.gz', url: null, sha256: SHA, index: INDEX };
const direct: LockedBuild = { kind: 'sdist', name: 'arch', version: '2.0', requested: false, filename: 'Arch-2.0.zip', url: 'https://example.org/dl/Arch-2.0.zip', sha256: 'cd'.repeat(32), index: null };
const git: LockedBuild = { kind: 'git', name: 'gitpkg', version: '1.0', requested: true, repository: 'https://github.com/octo/mono', commit: COMMIT, revision: 'main', subdirectory: 'pkgs/gitpkg' };
const bare: LockedBuild = { kind: 'git', name: 'bare', version: '3', requested: true, repository: 'https://github.com/octo/bare', commit: COMMIT, revision: null, subdirectory: null };
const folder: LockedBuild = { kind: 'directory', name: 'hello', version: '0.1', requested: true, path: '', editable: true };
const sub: LockedBuild = { kind: 'directory', name: 'proj', version: '1.0', requested: true, path: 'work/proj', editable: false };

function withBuilds(builds: LockedBuild[]): EnvironmentLock {
  const lock = sampleLock(3);
  return { ...lock, indexes: [...lock.indexes, INDEX], files: [...lock.files, { path: 'work/proj/pyproject.toml', content: '[project]\nname = "proj"\n' }], builds };
}

function craft(payload: Buffer, format: string): string {
  return `${BASE}#env=${format}.${payload.toString('base64url')}.${createHash('sha256').update(payload).digest('hex').slice(0, 16)}`;
}
const v1 = (data: unknown): string => craft(deflateRawSync(Buffer.from(JSON.stringify(data))), 'v1');
const v2 = (packed: Uint8Array): string => craft(deflateRawSync(packed, { dictionary: Buffer.from(DEFLATE_DICTIONARY) }), 'v2');

function reason(result: DecodeResult): string {
  expect(result.kind).toBe('refused');
  return result.kind === 'refused' ? result.reason : '';
}

describe('builds in a share link', () => {
  it('round-trip through v2: sdist by index and by URL, git with and without ref and folder, a folder of home (editable or not)', async () => {
    const lock = withBuilds([sdist, direct, git, bare, folder, sub]);
    const link = await encodeShareLink(lock, BASE);
    expect(link).toContain('#env=v2.');
    const back = await decodeShareLink(link);
    expect(back.kind).toBe('ok');
    if (back.kind !== 'ok') return;
    expect(back.lock.builds).toEqual([sdist, direct, git, bare, folder, sub]);
    expect(back.lock.distributions.map((d) => d.sha256)).toEqual(lock.distributions.map((d) => d.sha256));
  });

  it('costs a few dozen bytes each: an sdist its 32-byte hash and its name, a commit 20 bytes', () => {
    const base = packLock(withBuilds([])).length;
    const packed = (b: LockedBuild): number => packLock(withBuilds([b])).length - base - 2;
    expect(packed(sdist)).toBe(1 + 1 + 11 + 1 + 3 + 1 + 32);
    expect(packed(bare)).toBe(1 + 1 + 4 + 1 + 1 + 1 + 9 + 20);
    expect(packed(folder)).toBe(1 + 1 + 5 + 1 + 3 + 1);
  });

  it('a lock without builds packs as before (no section), and its link has no builds field', async () => {
    const lock = sampleLock(5);
    const packed = packLock(lock);
    expect(packed.at(-1)).not.toBe(undefined);
    const back = await decodeShareLink(await encodeShareLink(lock, BASE));
    expect(back.kind === 'ok' && 'builds' in back.lock).toBe(false);
  });

  it('v1 links carry builds as JSON, checked by the same rules', async () => {
    const lock = withBuilds([sdist, git, folder]);
    const ok = await decodeShareLink(v1(lock));
    expect(ok.kind === 'ok' && ok.lock.builds).toEqual([sdist, git, folder]);
    const bad = (b: object) => decodeShareLink(v1({ ...lock, builds: [b] }));
    expect(reason(await bad({ ...folder, path: '../../etc' }))).toContain("builds[0] (hello).path \"../../etc\" climbs out of the home folder with '..'");
    expect(reason(await bad({ ...folder, path: '/etc' }))).toContain('is absolute');
    expect(reason(await bad({ ...folder, path: '.config/pip' }))).toContain('is not a plain folder of the home folder');
    expect(reason(await bad({ ...git, commit: 'main' }))).toContain('builds[0] (gitpkg).commit "main" is not a full git commit id');
    expect(reason(await bad({ ...git, commit: COMMIT.toUpperCase() }))).toContain('is not a full git commit id');
    expect(reason(await bad({ ...git, repository: 'https://gitlab.com/o/r' }))).toContain('is not a GitHub repository');
    expect(reason(await bad({ ...git, repository: 'https://user:pw@github.com/o/r' }))).toContain('is not a GitHub repository');
    // `..` would walk api.github.com/repos/../x/commits/... to another endpoint.
    for (const repository of ['https://github.com/../r', 'https://github.com/o/..', 'https://github.com/./r', 'https://github.com/o/.']) {
      expect(reason(await bad({ ...git, repository }))).toContain('is not a GitHub repository');
    }
    expect((await decodeShareLink(v1({ ...lock, builds: [{ ...git, repository: 'https://github.com/o.o/..r' }] }))).kind).toBe('ok');
    expect(reason(await bad({ ...git, subdirectory: '../x' }))).toContain('is not a folder inside the repository');
    expect(reason(await bad({ ...git, revision: 'a..b' }))).toContain('is not a branch, tag or commit name');
    expect(reason(await bad({ ...direct, url: 'https://example.org/dl/Arch-2.0.zip\n--index-url https://evil.example/' }))).toContain('U+000A (a newline)');
    expect(reason(await bad({ ...direct, url: 'https://me:secret@example.org/dl/Arch-2.0.zip' }))).toContain('contains');
    expect(reason(await bad({ ...direct, url: 'https://example.org/dl/Other-2.0.zip' }))).toContain('is not the file its url names');
    expect(reason(await bad({ ...sdist, filename: 'evil-0.1.tar.gz' }))).toContain('is not an sdist of hello-sdist 0.1');
    expect(reason(await bad({ ...sdist, sha256: 'AB'.repeat(32) }))).toContain('is not a sha256 digest');
    expect(reason(await bad({ ...sdist, url: 'https://example.org/hello_sdist-0.1.tar.gz' }))).toContain('names both');
    expect(reason(await bad({ ...sdist, kind: 'wheelhouse' }))).toContain('builds[0].kind "wheelhouse" is no kind of source this Pipette builds');
    expect(reason(await bad({ ...sdist, extra: 1 }))).toContain('has an unknown field "extra"');
    expect(reason(await decodeShareLink(v1({ ...lock, builds: [folder, { ...sub, name: 'Hello' }] })))).toContain('which are one project');
  });

  it('v2: a build section with an unknown kind, unknown flags, a short commit, or bytes after it, is refused', async () => {
    const head = () => new PackedWriter().header().varint(0).varint(0);
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(3).str('x').str('1').done())))).toContain('builds[0] is a source of kind 3, which this Pipette does not know');
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(0x40).str('x').str('1').done())))).toContain('builds[0] has flags 0x40, with bits this Pipette does not know');
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(0b10010).str('x').str('1').str('').done())))).toContain('which only a git source has');
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(1).str('x').str('1').str('o/r').bytes(Buffer.from(COMMIT, 'hex').subarray(0, 7)).done())))).toContain(
      'builds[0] ends after 7 of the 20 bytes of its commit',
    );
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(2).str('x').str('1').str('../up').done())))).toContain("climbs out of the home folder with '..'");
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(1).byte(1).str('x').str('1').str('o/r\n').bytes(Buffer.from(COMMIT, 'hex')).done())))).toContain('is not a GitHub repository');
    expect(reason(await decodeShareLink(v2(head().byte(1).varint(0).byte(9).done())))).toContain('1 bytes follow its last build');
    expect(reason(await decodeShareLink(v2(head().bytes([0, 0, 0]).done())))).toContain('3 bytes follow its last file');
  });
});
