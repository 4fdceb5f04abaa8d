import { describe, expect, it } from 'vitest';
import { PepError } from '../../../src/pep/error';
import { compareVersions, InvalidVersion, Version } from '../../../src/pep/version';

const v = (s: string): Version => Version.parse(s);

describe('Version.parse normalization (PEP 440 "Normalization")', () => {
  it.each([
    ['1.0', '1.0'],
    ['V1.0', '1.0'],
    ['v1!2.0', '1!2.0'],
    ['00!1.2', '1.2'],
    ['0100!0.0', '100!0.0'],
    ['1.01', '1.1'],
    ['1.0a', '1.0a0'],
    ['1.0.ALPHA.1', '1.0a1'],
    ['1.0-beta-2', '1.0b2'],
    ['1.0c1', '1.0rc1'],
    ['1.0pre1', '1.0rc1'],
    ['1.0preview1', '1.0rc1'],
    ['1.0_RC_01', '1.0rc1'],
    ['1.0post', '1.0.post0'],
    ['1.0-1', '1.0.post1'],
    ['1.0-r5', '1.0.post5'],
    ['1.0.rev5', '1.0.post5'],
    ['1.0.post000', '1.0.post0'],
    ['1.0dev', '1.0.dev0'],
    ['1.0-DEV-09', '1.0.dev9'],
    ['1.0a1-1', '1.0a1.post1'],
    ['1.0a.-1', '1.0a0.post1'],
    ['1.0pre2post1-dev0', '1.0rc2.post1.dev0'],
    ['1.0+AbC.007-x_y', '1.0+abc.7.x.y'],
    ['1.0+0123abc', '1.0+0123abc'],
    ['  \r \x0c \x0b v1.0\t\n', '1.0'],
    ['\u202f1.0\t\u2029\n ', '1.0'],
    ['1.4.0.0.00.000.0000', '1.4.0.0.0.0.0'],
  ])('%j -> %s', (input, normalized) => {
    expect(v(input).toString()).toBe(normalized);
  });

  it('exposes the parts like packaging', () => {
    const x = v('1!2.3.4a5.post6.dev7+ZZZ.08');
    expect(x.epoch).toBe(1);
    expect(x.release).toEqual([2, 3, 4]);
    expect(x.pre).toEqual(['a', 5]);
    expect(x.post).toBe(6);
    expect(x.dev).toBe(7);
    expect(x.local).toBe('zzz.8');
    expect(x.public).toBe('1!2.3.4a5.post6.dev7');
    expect(x.baseVersion).toBe('1!2.3.4');
    expect([x.isPrerelease, x.isPostrelease, x.isDevrelease]).toEqual([true, true, true]);
    expect(v('1.0.post1').isPrerelease).toBe(false);
    expect(v('1.0.dev1').isPrerelease).toBe(true);
  });

  it('keeps integers beyond 2^53 exact', () => {
    const big = v('1.123456789012345678901234567890+99999999999999999999');
    expect(big.toString()).toBe('1.123456789012345678901234567890+99999999999999999999');
    expect(big.compare(v('1.123456789012345678901234567891'))).toBeLessThan(0);
    expect(big.compare(v('1.123456789012345678901234567890+99999999999999999998'))).toBeGreaterThan(0);
    expect(big.compare(v('1.123456789012345678901234567890+abc'))).toBeGreaterThan(0);
    expect(v('1.0.dev100000000000000000001').compare(v('1.0.dev100000000000000000000'))).toBeGreaterThan(0);
    expect(v('1.0.dev100000000000000000001').compare(v('1.0'))).toBeLessThan(0);
    expect(v('1.00000000000000000000000001').toString()).toBe('1.1');
  });
});

describe('Version ordering (PEP 440 "Summary of permitted suffixes and relative ordering")', () => {
  it('sorts the PEP 440 example sequence strictly ascending', () => {
    const seq = [
      '0.dev0', '1.0.dev456', '1.0a1', '1.0a2.dev456', '1.0a12.dev456', '1.0a12', '1.0b1.dev456', '1.0b2',
      '1.0b2.post345.dev456', '1.0b2.post345', '1.0rc1.dev456', '1.0rc1', '1.0', '1.0+abc.5', '1.0+abc.7',
      '1.0+5', '1.0.post456.dev34', '1.0.post456', '1.0.15', '1.1.dev1', '1!0.1',
    ].map(v);
    for (let i = 1; i < seq.length; i++) {
      expect(seq[i - 1]!.compare(seq[i]!), `${seq[i - 1]} < ${seq[i]}`).toBeLessThan(0);
      expect(seq[i]!.compare(seq[i - 1]!)).toBeGreaterThan(0);
    }
    const shuffled = [...seq].reverse().sort(compareVersions);
    expect(shuffled.map(String)).toEqual(seq.map(String));
  });

  it('ignores trailing zeros of the release but not of the local label', () => {
    expect(v('1.0').equals(v('1.0.0.0'))).toBe(true);
    expect(v('1').equals(v('1.0'))).toBe(true);
    expect(v('0').equals(v('0.0.0'))).toBe(true);
    expect(v('1.0.0.1').compare(v('1.0'))).toBeGreaterThan(0);
    expect(v('1.0+1').equals(v('1.0+1.0'))).toBe(false);
    expect(v('1.0+abc.01').equals(v('1.0+abc.1'))).toBe(true);
  });

  it('orders local labels: none < alphanumeric < numeric, prefixes first', () => {
    const seq = ['1.0', '1.0+0a', '1.0+a', '1.0+a.a', '1.0+a.0', '1.0+abc', '1.0+0', '1.0+0.a', '1.0+2', '1.0+10'].map(v);
    for (let i = 1; i < seq.length; i++) expect(seq[i - 1]!.compare(seq[i]!), `${seq[i - 1]} < ${seq[i]}`).toBeLessThan(0);
  });

  it('puts a dev release of a final before its pre-releases, and after them for a pre-release', () => {
    expect(v('1.0.dev1').compare(v('1.0a0'))).toBeLessThan(0);
    expect(v('1.0a1.dev1').compare(v('1.0a1'))).toBeLessThan(0);
    expect(v('1.0a1.dev1').compare(v('1.0a0'))).toBeGreaterThan(0);
    expect(v('1.0.post1.dev1').compare(v('1.0.post0'))).toBeGreaterThan(0);
    expect(v('1.0.post1.dev1').compare(v('1.0.post1'))).toBeLessThan(0);
  });
});

describe('InvalidVersion', () => {
  function error(input: string): InvalidVersion {
    try {
      Version.parse(input);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidVersion);
      expect(e).toBeInstanceOf(PepError);
      return e as InvalidVersion;
    }
    throw new Error(`${input} was accepted`);
  }

  it('quotes the input like packaging and says why, with a caret', () => {
    const e = error('1..0');
    expect(e.code).toBe('invalid-version');
    expect(e.name).toBe('InvalidVersion');
    expect(e.input).toBe('1..0');
    expect(e.reason).toBe("Invalid version: '1..0': the release segment has an empty part: each '.' must be followed by a number");
    expect([e.start, e.end]).toEqual([1, 2]);
    expect(e.message).toBe(`${e.reason}\n    1..0\n     ^`);
    expect(e.toJSON()).toMatchObject({ code: 'invalid-version', input: '1..0' });
  });

  it.each([
    ['', 'the version is empty'],
    ['a1', 'must start with a release number'],
    ['1.0 a1', 'whitespace is not allowed inside a version'],
    ['1.0+', 'local version label'],
    ['1.0+foo&asd', 'local version label'],
    ['1.0+İ', 'local version label'],
    ['1.0.*', "'.*' wildcard belongs in a specifier"],
    ['٠١٢.٣', 'only the ASCII digits'],
    ['1!', "epoch 'N!' must be followed by a release number"],
    ['1.0.dev1.post1', "unexpected '.post1' after the dev release"],
    ['1.0a1b1', "unexpected 'b1' after the pre-release"],
    ['1.0prevıew1', "unexpected 'vıew1' after the pre-release"],
    ['1.0-', "unexpected '-'"],
  ])('%j: %s', (input, why) => {
    const e = error(input);
    expect(e.message).toContain(why);
    expect(e.reason.startsWith('Invalid version: ')).toBe(true);
  });

  it('quotes awkward input the way Python repr does', () => {
    expect(error("1.0'x").reason).toContain(`Invalid version: "1.0'x"`);
    expect(error('1.0\nx').reason).toContain("Invalid version: '1.0\\nx'");
  });
});

describe('Version.fromParts', () => {
  it('builds normalized versions and validates parts', () => {
    expect(Version.fromParts({ release: [1, 2], pre: ['rc', 1], local: 'Ubuntu-1' }).toString()).toBe('1.2rc1+ubuntu.1');
    expect(Version.fromParts({ epoch: 2, release: [0], post: 0, dev: 3 }).toString()).toBe('2!0.post0.dev3');
    expect(() => Version.fromParts({ release: [] })).toThrow(InvalidVersion);
    expect(() => Version.fromParts({ release: [1, -1] })).toThrow(/release/);
    expect(() => Version.fromParts({ release: [1], local: 'a+b' })).toThrow(/local/);
    expect(() => Version.fromParts({ release: [1], dev: 1.5 })).toThrow(/dev/);
  });
});
