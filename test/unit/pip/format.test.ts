import { describe, expect, test } from 'vitest';
import { displayPath, formatSize, fnmatchPattern, pyJsonDumps, pyRepr, resolvePath, tabulate } from '../../../src/pip/format';
import { getCloseMatches, sequenceRatio } from '../../../src/pip/similar';

describe('formatSize (pip utils/misc.py format_size)', () => {
  // Every expected value printed by CPython 3 running pip's format_size.
  const cases: [number, string][] = [
    [0, '0 bytes'], [1, '1 bytes'], [512, '512 bytes'], [1000, '1000 bytes'], [1001, '1.0 kB'],
    [1049, '1.0 kB'], [1050, '1.1 kB'], [1150, '1.1 kB'], [1250, '1.2 kB'], [1350, '1.4 kB'],
    [1750, '1.8 kB'], [9999, '10.0 kB'], [10000, '10.0 kB'], [10001, '10 kB'], [62000, '62 kB'],
    [62999, '62 kB'], [999999, '999 kB'], [1000000, '1000 kB'], [1000001, '1.0 MB'], [1050000, '1.1 MB'],
    [1250000, '1.2 MB'], [2250000, '2.2 MB'], [1234567, '1.2 MB'], [15_000_000_000, '15000.0 MB'],
  ];
  test.each(cases)('%d -> %s', (bytes, expected) => {
    expect(formatSize(bytes)).toBe(expected);
  });
});

describe('difflib.get_close_matches (pip\'s "maybe you meant")', () => {
  const names = ['install', 'lock', 'download', 'uninstall', 'freeze', 'inspect', 'list', 'show', 'check', 'config', 'search', 'cache', 'index', 'wheel', 'hash', 'completion', 'debug', 'help'];
  // Expected lists printed by CPython's difflib.
  const cases: [string, string[]][] = [
    ['instal', ['install', 'uninstall', 'inspect']], ['frezee', ['freeze']], ['lsit', ['list']],
    ['uninstal', ['uninstall', 'install']], ['sho', ['show']], ['frob', []], ['hlep', ['help']],
    ['cach', ['cache', 'search']], ['downlod', ['download']], ['x', []], ['unistall', ['uninstall', 'install']],
  ];
  test.each(cases)('%s', (word, expected) => {
    expect(getCloseMatches(word, names)).toEqual(expected);
  });
  test('ratio', () => {
    expect(sequenceRatio('abcd', 'bcda')).toBe(0.75);
    expect(sequenceRatio('install', 'instal')).toBeCloseTo(0.9230769230769231, 15);
  });
});

describe('small helpers', () => {
  test('tabulate pads columns and strips trailing spaces (pip list)', () => {
    expect(tabulate([['Package', 'Version'], ['a', '1.0'], ['longer-name', '2']])).toEqual({
      lines: ['Package     Version', 'a           1.0', 'longer-name 2'],
      sizes: [11, 7],
    });
  });
  test('pyRepr quotes like Python', () => {
    expect(pyRepr('foo')).toBe("'foo'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('a\'b"c')).toBe("'a\\'b\"c'");
    expect(pyRepr('tab\there')).toBe("'tab\\there'");
  });
  test('pyJsonDumps spaces like json.dumps and escapes non-ASCII', () => {
    expect(pyJsonDumps([{ name: 'a', version: '1.0' }])).toBe('[{"name": "a", "version": "1.0"}]');
    expect(pyJsonDumps({ s: 'é' })).toBe('{"s": "\\u00e9"}');
  });
  test('paths', () => {
    expect(resolvePath('/home/pyodide', '../x/./y')).toBe('/home/x/y');
    expect(resolvePath('/a', '/b//c/')).toBe('/b/c');
    expect(displayPath('/home/pyodide', '/home/pyodide/dist/x.whl')).toBe('./dist/x.whl');
    expect(displayPath('/home/pyodide', '/tmp/x.whl')).toBe('/tmp/x.whl');
  });
  test('globs as fnmatch', () => {
    expect(fnmatchPattern('requests-*.whl').test('requests-2.0-py3-none-any.whl')).toBe(true);
    expect(fnmatchPattern('req?ests*').test('requests')).toBe(true);
    expect(fnmatchPattern('[!a]*').test('abc')).toBe(false);
    expect(fnmatchPattern('a.b').test('axb')).toBe(false);
  });
});
