import { describe, expect, it } from 'vitest';
import { isNormalizedName, isValidName, normalizeName } from '../../../src/pep/name';

describe('normalizeName (PEP 503)', () => {
  it.each([
    ['Django', 'django'],
    ['oslo.concurrency', 'oslo-concurrency'],
    ['Foo.Bar_baz', 'foo-bar-baz'],
    ['foo__-._bar', 'foo-bar'],
    ['friendly-bard', 'friendly-bard'],
    ['FRIENDLY-._-BARD', 'friendly-bard'],
    ['-leading_and_trailing.', '-leading-and-trailing-'],
    ['', ''],
    ['foo-bár', 'foo-bár'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });
});

describe('isValidName (PEP 508 names)', () => {
  it.each(['a', 'A1', 'zope.interface', 'scikit_learn', 'a-b', '1.0a1', 'x.y_z-0'])('accepts %j', (name) => {
    expect(isValidName(name)).toBe(true);
  });

  it.each(['', '-a', 'a-', '.a', 'a_', 'a b', 'foo-bár', 'a@b', 'a\n', '_'])('rejects %j', (name) => {
    expect(isValidName(name)).toBe(false);
  });
});

describe('isNormalizedName', () => {
  it.each([
    ['requests', true],
    ['foo-bar', true],
    ['Django', false],
    ['foo_bar', false],
    ['foo--bar', false],
    ['-foo', false],
  ])('%j -> %j', (name, expected) => {
    expect(isNormalizedName(name)).toBe(expected);
  });
});
