import { describe, expect, it } from 'vitest';
import { PepError } from '../../../src/pep/error';
import { InvalidSpecifier, Specifier, SpecifierSet } from '../../../src/pep/specifier';
import { Version } from '../../../src/pep/version';

const set = (s: string): SpecifierSet => SpecifierSet.parse(s);

function error(input: string): InvalidSpecifier {
  try {
    SpecifierSet.parse(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidSpecifier);
    expect(e).toBeInstanceOf(PepError);
    return e as InvalidSpecifier;
  }
  throw new Error(`${input} was accepted`);
}

describe('Specifier.parse', () => {
  it('splits operator and version, keeping the version as written', () => {
    const s = Specifier.parse('  >= V1.0a  ');
    expect([s.operator, s.version, s.toString()]).toEqual(['>=', 'V1.0a', '>=V1.0a']);
    expect(s.parsedVersion?.toString()).toBe('1.0a0');
    const w = Specifier.parse('!=1.2.*');
    expect([w.isWildcard, w.version, w.parsedVersion?.toString()]).toEqual([true, '1.2.*', '1.2']);
    expect(Specifier.parse('===  foo').toString()).toBe('===foo');
    expect(Specifier.parse('===').version).toBe('');
    expect(Specifier.parse('====1.0').version).toBe('=1.0');
  });

  it('equates specifiers up to trailing release zeros, except for ~=', () => {
    expect(Specifier.parse('==1.2.3').equals(Specifier.parse('== 1.2.3.0'))).toBe(true);
    expect(Specifier.parse('~=1.2').equals(Specifier.parse('~=1.2.0'))).toBe(false);
    expect(Specifier.parse('==1.*').equals(Specifier.parse('==1.0.*'))).toBe(false);
    expect(Specifier.parse('===FOO').equals(Specifier.parse('===foo'))).toBe(false);
  });
});

describe('InvalidSpecifier messages point at the problem', () => {
  it('wildcards with an ordering operator', () => {
    const e = error('>=1.0.*');
    expect(e.code).toBe('invalid-specifier');
    expect(e.message).toContain("Invalid specifier: '>=1.0.*'");
    expect(e.message).toContain('wildcards are only allowed with == and !=');
    expect([e.start, e.end]).toEqual([5, 7]);
    expect(e.message.split('\n').slice(1)).toEqual(['    >=1.0.*', '         ^^']);
  });

  it('~= with one release segment', () => {
    const e = error('~=1');
    expect(e.message).toContain('~= needs at least two release segments');
    expect([e.start, e.end]).toEqual([2, 3]);
  });

  it('local labels with ordering operators, with the span inside the set string', () => {
    const e = error('>=1.0, <=2.0+local');
    expect(e.message).toContain("Invalid specifier: '<=2.0+local'");
    expect(e.message).toContain('local versions are only allowed with == and !=');
    expect(e.input).toBe('>=1.0, <=2.0+local');
    expect([e.start, e.end]).toEqual([12, 18]);
    expect(error('~=1.0+5').message).toContain('local versions are only allowed with == and !=');
  });

  it.each([
    ['1.0', "starts with an operator: one of ==, !=, <=, >=, <, >, ~=, === (did you mean '==1.0'?)"],
    ['Cannot restore Value value from 456', 'starts with an operator'],
    ['>=', "missing version after '>='"],
    ['== 1 .0', 'whitespace is not allowed inside a version'],
    ['==1.0.*.5', "a wildcard '.*' can only end the version"],
    ['==1.0.*+5', "a wildcard '.*' can only end the version"],
    ['==2.0a1.*', "a wildcard '.*' can only follow a release number"],
    ['==1.0+5.*', "a wildcard '.*' can only follow a release number"],
    ['==1.', "'1.' is not a valid version"],
    ['==1.2+İ', "'1.2+İ' is not a valid version"],
    ['~=1.2.3poſt1', "'1.2.3poſt1' is not a valid version"],
    ['===a b', "'===' takes a single word"],
    ['===a,b', 'starts with an operator'],
    ['<Version(', "'Version(' is not a valid version"],
    ['>=1.0;python_version', "'1.0;python_version' is not a valid version"],
  ])('%j', (input, why) => {
    const e = error(input);
    expect(e.message).toContain(why);
    expect(e.message.startsWith('Invalid specifier: ')).toBe(true);
  });
});

describe('SpecifierSet.toString (packaging 26 normalization)', () => {
  it.each([
    ['', ''],
    [' , ,', ''],
    ['>=1.0,<2.0,!=1.5', '!=1.5,<2.0,>=1.0'],
    ['< 2', '<2'],
    ['!=2.0 ,>1.0', '!=2.0,>1.0'],
    ['==1.0,==1.0.0', '==1.0'],
    ['>1.0.0,>1.0', '>1.0'],
    ['~=1.0,~=1.0.0', '~=1.0,~=1.0.0'],
    ['===foobar,===foobar', '===foobar'],
    ['===FOOBAR,===foobar', '===FOOBAR,===foobar'],
    ['>2,>1.0', '>1.0,>2'],
  ])('%j -> %j', (input, normalized) => {
    expect(set(input).toString()).toBe(normalized);
  });

  it('equals compares the deduplicated specifiers', () => {
    expect(set('>=1.0,!=1.0.1').equals(set('!=1.0.1.0, >=1'))).toBe(true);
    expect(set('>=1.0').equals(set('>=1.0,!=1.5'))).toBe(false);
    // Zeros can move a specifier in the text order; equality does not depend on that order.
    expect(set('==1.0,==1.0+abc').equals(set('==1.0.0,==1.0+abc'))).toBe(true);
    expect(set('>=1.0').and(set('<2')).toString()).toBe('<2,>=1.0');
  });
});

describe('SpecifierSet.contains', () => {
  it('applies the PEP 440 exclusive-ordering rules', () => {
    expect(set('<1.0').contains('1.0rc1')).toBe(false);
    expect(set('<1.0').contains('0.9')).toBe(true);
    expect(set('<1.0rc2').contains('1.0rc1')).toBe(true);
    expect(set('>1.0').contains('1.0.post1')).toBe(false);
    expect(set('>1.0').contains('1.0+local')).toBe(false);
    expect(set('>1.0').contains('1.0.0.1')).toBe(true);
    expect(set('>1.0.post1').contains('1.0.post2')).toBe(true);
    expect(set('<=1.0').contains('1.0+local')).toBe(true);
    expect(set('==1.0').contains('1.0.0+anything')).toBe(true);
    expect(set('==1.0+a').contains('1.0+b')).toBe(false);
    expect(set('!=1.0').contains('1.0+a')).toBe(false);
    expect(set('==1.0.*').contains('1.0.5a1')).toBe(true);
    expect(set('==1.0.*').contains('1.1.dev0')).toBe(false);
    expect(set('~=1.4.2').contains('1.4.9')).toBe(true);
    expect(set('~=1.4.2').contains('1.5.dev0')).toBe(false);
    expect(set('>=1!0').contains('2.0')).toBe(false);
  });

  it('lets pre-releases match unless {prereleases: false}, like packaging 26', () => {
    const s = set('>=1.0');
    expect(s.contains('2.0a1')).toBe(true);
    expect(s.contains('2.0a1', { prereleases: true })).toBe(true);
    expect(s.contains('2.0a1', { prereleases: false })).toBe(false);
    expect(s.contains(Version.parse('2.0'), { prereleases: false })).toBe(true);
    expect(Specifier.parse('>=1.0').contains('2.0a1', { prereleases: false })).toBe(false);
  });

  it('matches === by case-insensitive text, and only === matches a non-version', () => {
    expect(set('===1.0').contains('1.0')).toBe(true);
    expect(set('===1.0').contains('1.0.0')).toBe(false);
    expect(set('===1.0').contains(Version.parse('1.0.0'))).toBe(false);
    expect(set('===1.0').contains(Version.parse('v1.0'))).toBe(true);
    expect(set('===FooBar').contains('foobar')).toBe(true);
    expect(set('===foobar,>=1.0').contains('foobar')).toBe(false);
    expect(set('>=1.0').contains('foobar')).toBe(false);
    expect(set('').contains('foobar')).toBe(true);
    expect(Specifier.parse('===foobar').contains('FOOBAR', { prereleases: false })).toBe(true);
  });
});

describe('SpecifierSet.filter (pip\'s pre-release rule)', () => {
  const items = ['1.0', '2.0a1', '1.5', '3.0b1'];

  it('drops pre-releases when a final version matches', () => {
    expect(set('>=1.0').filter(items)).toEqual(['1.0', '1.5']);
  });

  it('keeps pre-releases when nothing final matches', () => {
    expect(set('>=2.0a0').filter(items)).toEqual(['2.0a1', '3.0b1']);
    expect(set('>1.5').filter(items)).toEqual(['2.0a1', '3.0b1']);
  });

  it('keeps pre-releases when a specifier names one', () => {
    expect(set('>=1.0b1').namesPrerelease).toBe(true);
    expect(set('>=1.0b1').filter(items)).toEqual(items);
    expect(set('!=1.0b1,>=1.0').namesPrerelease).toBe(false);
    expect(set('==1.*').namesPrerelease).toBe(false);
  });

  it('obeys an explicit prereleases option and a key', () => {
    expect(set('>=1.0').filter(items, { prereleases: true })).toEqual(items);
    expect(set('>=1.0b1').filter(items, { prereleases: false })).toEqual(['1.0', '1.5']);
    const objs = items.map((version) => ({ version }));
    expect(set('>=1.2').filter(objs, { key: (o) => o.version })).toEqual([{ version: '1.5' }]);
    expect(set('>=1.2').filter(items.map((s) => Version.parse(s))).map(String)).toEqual(['1.5']);
  });

  it('keeps non-versions only for an empty set or ===, as packaging does', () => {
    expect(set('').filter(['junk', '1.0a1', '1.0'])).toEqual(['junk', '1.0']);
    expect(set('').filter(['junk', '1.0a1'])).toEqual(['junk', '1.0a1']);
    expect(set('>=0').filter(['junk', '1.0'])).toEqual(['1.0']);
    expect(set('===junk').filter(['junk', '1.0'])).toEqual(['junk']);
  });
});
