import { describe, expect, it } from 'vitest';
import { VersionRange } from '../../../src/pep/range';
import { Specifier, SpecifierSet } from '../../../src/pep/specifier';
import { Version } from '../../../src/pep/version';

const v = (s: string): Version => Version.parse(s);
const r = (s: string): VersionRange => VersionRange.fromSpecifierSet(SpecifierSet.parse(s));
const holds = (range: VersionRange, versions: string[]): boolean[] => versions.map((s) => range.contains(v(s)));

describe('VersionRange.fromSpecifier: one case per operator', () => {
  it('<V stops before V.dev0 unless V is a pre-release', () => {
    expect(holds(r('<1.0'), ['0.9', '0.9.post1', '1.0.dev0', '1.0a1', '1.0rc1', '1.0'])).toEqual([true, true, false, false, false, false]);
    expect(holds(r('<1.0rc1'), ['1.0a1', '1.0rc1.dev0', '1.0rc1'])).toEqual([true, true, false]);
    expect(holds(r('<1.0.post1'), ['1.0', '1.0+abc', '1.0.post0', '1.0.post1.dev0', '1.0.post1'])).toEqual([true, true, true, false, false]);
    expect(r('<0').isEmpty()).toBe(true);
    expect(r('<0.dev0').isEmpty()).toBe(true);
  });

  it('>V skips V+local and the post-releases of V', () => {
    expect(holds(r('>1.0'), ['1.0', '1.0+abc', '1.0.post1', '1.0.post1+abc', '1.0.0.1', '1.1.dev0', '1.1'])).toEqual([
      false, false, false, false, true, true, true,
    ]);
    expect(holds(r('>1.0.post1'), ['1.0.post1+x', '1.0.post2.dev0', '1.0.post2'])).toEqual([false, true, true]);
    expect(holds(r('>1.0a1'), ['1.0a1+x', '1.0a1.post3', '1.0a2.dev0', '1.0b1'])).toEqual([false, false, true, true]);
    expect(holds(r('>1.0.dev1'), ['1.0.dev1+x', '1.0.dev2', '1.0a1'])).toEqual([false, true, true]);
  });

  it('<=V and ==V take V+local; ==V+local and singleton do not widen', () => {
    expect(holds(r('<=1.0'), ['1.0', '1.0+abc', '1.0.post0.dev0'])).toEqual([true, true, false]);
    expect(holds(r('==1.0'), ['1.0.0', '1.0+abc', '1.0.post0', '1.0rc1'])).toEqual([true, true, false, false]);
    expect(holds(r('==1.0+abc'), ['1.0+abc', '1.0+ABC', '1.0', '1.0+abc.1'])).toEqual([true, true, false, false]);
    expect(holds(VersionRange.singleton(v('1.0')), ['1.0', '1.0.0', '1.0+abc'])).toEqual([true, true, false]);
  });

  it('!=, ==V.*, ~= and epochs', () => {
    expect(holds(r('!=1.3'), ['1.2', '1.3', '1.3+x', '1.3.post0', '1.3rc1'])).toEqual([true, false, false, true, true]);
    expect(holds(r('==1.2.*'), ['1.2.dev0', '1.2a1', '1.2.9.post3', '1.3.dev0', '1.1.9'])).toEqual([true, true, true, false, false]);
    expect(holds(r('!=1.2.*'), ['1.2.dev0', '1.3.dev0', '1.1.9'])).toEqual([false, true, true]);
    expect(holds(r('~=1.4.2'), ['1.4.1', '1.4.2', '1.4.10', '1.5.dev0', '1.5'])).toEqual([false, true, true, false, false]);
    expect(holds(r('>=1!1.0'), ['9.0', '1!0.9', '1!1.0', '2!0'])).toEqual([false, false, true, true]);
  });

  it('approximates === by version equality (documented)', () => {
    expect(holds(r('===1.0'), ['1.0', '1.0.0', '1.0+x'])).toEqual([true, true, false]);
    expect(r('===foobar').isEmpty()).toBe(true);
  });
});

describe('VersionRange algebra', () => {
  it('empty, full, complement', () => {
    expect(VersionRange.empty().isEmpty()).toBe(true);
    expect(VersionRange.full().isFull()).toBe(true);
    expect(VersionRange.empty().complement().isFull()).toBe(true);
    expect(VersionRange.full().complement().isEmpty()).toBe(true);
    expect(r('').isFull()).toBe(true);
    expect(r('>=0.dev0').isFull()).toBe(true);
    // Below 1.0 but with 1.0's pre-releases: what `>=1.0` leaves out.
    expect(r('>=1.0').complement().equals(r('<=1.0,!=1.0'))).toBe(true);
    expect(r('>=1.0').complement().contains(v('1.0rc1'))).toBe(true);
  });

  it('intersection, union, difference and relations', () => {
    const a = r('>=1.0,<2.0');
    const b = r('>=1.5,<3.0');
    expect(a.intersection(b).equals(r('>=1.5,<2.0'))).toBe(true);
    expect(a.union(b).equals(r('>=1.0,<3.0'))).toBe(true);
    expect(a.difference(b).equals(r('>=1.0,<1.5'))).toBe(false); // 1.5rc1 is not in b
    expect(a.difference(b).equals(r('>=1.0,<=1.5,!=1.5'))).toBe(true);
    expect(r('==1.5').isSubsetOf(a)).toBe(true);
    expect(a.isSubsetOf(r('==1.5'))).toBe(false);
    expect(r('<1.0').isDisjoint(r('>=1.0'))).toBe(true);
    expect(r('<=1.0').isDisjoint(r('>=1.0'))).toBe(false);
    // Touching intervals merge: (-inf, 1.0.dev0) and [1.0.dev0, +inf) make everything.
    expect(r('<1.0').union(r('>=1.0.dev0')).isFull()).toBe(true);
    // ==1.0 and >1.0 leave 1.0's post-releases out.
    const posts = r('>=1.0').difference(r('==1.0').union(r('>1.0')));
    expect(holds(posts, ['1.0+x', '1.0.post0.dev0', '1.0.post7+x', '1.0.0.1'])).toEqual([false, true, true, false]);
    expect(posts.toString()).toBe('[1.0.post0.dev0, 1.0.post∞]');
  });

  it('orders the end of a release family against versions of that release, both ways round', () => {
    const gt = r('>1.0');
    expect(gt.intersection(r('<=1.0.post3')).isEmpty()).toBe(true);
    expect(r('<=1.0.post3').intersection(gt).isEmpty()).toBe(true);
    expect(gt.intersection(r('<1.0.0.1')).isEmpty()).toBe(false);
    expect(r('<1.0.0.1').intersection(gt).contains(v('1.0.0.0.1'))).toBe(true);
    expect(gt.union(r('==1.0.post5')).equals(gt)).toBe(false);
    expect(r('==1.0.post5').union(gt).equals(gt.union(r('==1.0.post5')))).toBe(true);
    expect(r('<=1.0.post3').isSubsetOf(gt.complement())).toBe(true);
  });

  it('is structural: equal sets have equal cut lists', () => {
    expect(r('>=1.0,<2').equals(r('<2.0.0,>=1'))).toBe(true);
    expect(r('==1.0').equals(r('>=1.0,<=1.0'))).toBe(true);
    expect(r('!=1.0').complement().equals(r('==1.0'))).toBe(true);
    expect(r('>=1.0,<1.0').equals(VersionRange.empty())).toBe(true);
    expect(VersionRange.between(v('1.0'), v('1.0')).isEmpty()).toBe(true);
  });
});

describe('VersionRange.toSpecifierString / toString', () => {
  it.each([
    ['>=1.0,<2.0', '>=1.0, <2.0'],
    ['==1.5', '==1.5'],
    ['!=1.3', '!=1.3'],
    ['==1.0+abc', '==1.0+abc'],
    ['!=1.0+abc', '!=1.0+abc'],
    ['==1.2.*', '==1.2.*'],
    ['!=2.0.0.*', '!=2.0.0.*'],
    ['>1.0', '>1.0'],
    ['<=1.0', '<=1.0'],
    ['<1.0rc1', '<1.0rc1'],
    ['>=1.0,<2.0,!=1.5,!=1.6.*', '>=1.0, <2.0, !=1.5, !=1.6.*'],
    ['', ''],
    ['<0', '<0'],
    ['>2,<1', '<0'],
  ])('%j -> %j', (spec, expected) => {
    const range = r(spec);
    expect(range.toSpecifierString()).toBe(expected);
    expect(r(expected).equals(range)).toBe(true);
  });

  it('spells an upper bound before a final version as <=V, !=V', () => {
    const range = r('>=0.5').difference(r('>=1.0'));
    expect(range.contains(v('1.0rc1'))).toBe(true);
    expect(range.toSpecifierString()).toBe('>=0.5, <=1.0, !=1.0');
    expect(r(range.toSpecifierString()!).equals(range)).toBe(true);
  });

  it('spells a gap made of touching holes as several !=', () => {
    expect(r('!=1.0.*,!=1.1.*').toSpecifierString()).toBe('!=1.0.*, !=1.1.*');
    expect(r('!=1.0,!=1.0.post0.dev0').toSpecifierString()).toBe('!=1.0, !=1.0.post0.dev0');
    expect(r('!=1.*,!=2.0.*,<3').toSpecifierString()).toBe('<3, !=1.*, !=2.0.*');
    expect(r('!=1.*,!=2.0.*,<3').equals(r('<3, !=1.*, !=2.0.*'))).toBe(true);
  });

  it('returns null when no conjunction says it', () => {
    // The gap [1.0.dev0, 1.0+abc) would need !=1.0.dev0, !=1.0.dev1, ... without end.
    expect(VersionRange.between(v('1.0.dev0'), v('1.0+abc')).complement().toSpecifierString()).toBeNull();
    expect(VersionRange.singleton(v('1.0')).toSpecifierString()).toBeNull();
    expect(r('<1.0').union(r('>=2.0,<3.0')).toSpecifierString()).toBeNull();
    expect(r('>1.0').complement().toSpecifierString()).toBeNull();
  });

  it('prints readable text', () => {
    expect(r('>=1.0,<2.0').toString()).toBe('>=1.0,<2.0');
    expect(VersionRange.full().toString()).toBe('*');
    expect(VersionRange.empty().toString()).toBe('∅');
    expect(VersionRange.singleton(v('1.0')).toString()).toBe('==1.0');
    expect(r('<1.0').union(r('>=2.0,<3.0')).toString()).toBe('<1.0 | >=2.0,<3.0');
    expect(VersionRange.singleton(v('1.0')).union(r('==2.0')).toString()).toBe('==1.0 | ==2.0');
    expect(r('>1.0').complement().toString()).toBe('(-∞, 1.0.post∞]');
  });

  it('builds from a Specifier as from a one-specifier set', () => {
    expect(VersionRange.fromSpecifier(Specifier.parse('~=2.2')).equals(r('>=2.2,<3'))).toBe(true);
  });
});
