import { PYODIDE_INFO } from '../../fixtures/pyodide-target';
import { describe, expect, it } from 'vitest';
import { InvalidWheelFilename, parseSdistFilename, parseWheelFilename, wheelRank } from '../../../src/pep/wheel';
import { supportedTags } from '../../../src/pep/tags';

const info = PYODIDE_INFO;
const supported = supportedTags(info);

function reason(filename: string): string {
  try {
    parseWheelFilename(filename);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidWheelFilename);
    return (e as InvalidWheelFilename).reason;
  }
  throw new Error(`${filename} was accepted`);
}

describe('parseWheelFilename', () => {
  it('parses name, version, build and tags', () => {
    const w = parseWheelFilename('Foo_Bar-1.0.post1-1000abc-py3.py2-none-any.whl');
    expect(w.name).toBe('foo-bar');
    expect(w.version.toString()).toBe('1.0.post1');
    expect(w.build).toEqual([1000, 'abc']);
    expect(w.tags).toEqual(['py2-none-any', 'py3-none-any']);
  });

  it('has no build tag when there are four dashes', () => {
    expect(parseWheelFilename('requests-2.32.3-py3-none-any.whl').build).toBeNull();
  });

  it('normalizes the version', () => {
    expect(parseWheelFilename('a-1.0RC1-py3-none-any.whl').version.toString()).toBe('1.0rc1');
  });

  it('accepts non-ASCII word characters in the name, as packaging does', () => {
    expect(parseWheelFilename('foo_bár-1.0-py3-none-any.whl').name).toBe('foo-bár');
  });

  it('sorts expanded tags by code point', () => {
    expect(parseWheelFilename('x-1-cp310-cp310-manylinux_2_17_x86_64.manylinux2014_x86_64.whl').tags).toEqual([
      'cp310-cp310-manylinux2014_x86_64',
      'cp310-cp310-manylinux_2_17_x86_64',
    ]);
  });

  it.each([
    ['foo-1.0.tar.gz', "Invalid wheel filename (extension must be '.whl'): 'foo-1.0.tar.gz'"],
    ['foo-1.0.whl', "Invalid wheel filename (wrong number of parts): 'foo-1.0.whl'"],
    ['foo-1.0-1-2-py3-none-any.whl', "Invalid wheel filename (wrong number of parts): 'foo-1.0-1-2-py3-none-any.whl'"],
    ['foo__bar-1.0-py3-none-any.whl', "Invalid project name: 'foo__bar-1.0-py3-none-any.whl'"],
    ['foo#bar-1.0-py3-none-any.whl', "Invalid project name: 'foo#bar-1.0-py3-none-any.whl'"],
    ['-1.0-py3-none-any.whl', "Invalid project name: '-1.0-py3-none-any.whl'"],
    ['foo-1.x-py3-none-any.whl', "Invalid wheel filename (invalid version): 'foo-1.x-py3-none-any.whl'"],
    ['foo-1.0-abc-py3-none-any.whl', "Invalid build number: abc in 'foo-1.0-abc-py3-none-any.whl' (a build tag must start with a digit)"],
    ['foo-1.0-py3.-none-any.whl', "Invalid wheel filename (Tag 'py3.-none-any' has an empty component: 'py3.'): 'foo-1.0-py3.-none-any.whl'"],
    ['playlyfe-0.1.1-2.7.6-none-any.whl', "Invalid wheel filename (Tag '2.7.6-none-any' has an invalid interpreter: '2'): 'playlyfe-0.1.1-2.7.6-none-any.whl'"],
  ])('rejects %j saying why', (filename, why) => {
    expect(reason(filename)).toBe(why);
  });

  it('quotes like Python repr and shows a caret under the bad part', () => {
    expect(reason("it's-1.0-py3-none-any.whl")).toBe(`Invalid project name: "it's-1.0-py3-none-any.whl"`);
    expect(reason('foo\n-1.0-py3-none-any.whl')).toBe("Invalid project name: 'foo\\n-1.0-py3-none-any.whl'");
    try {
      parseWheelFilename('foo-1.x-py3-none-any.whl');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message.split('\n').slice(1)).toEqual(['    foo-1.x-py3-none-any.whl', '        ^^^']);
      expect((e as InvalidWheelFilename).code).toBe('invalid-wheel-filename');
    }
  });
});

describe('wheelRank', () => {
  it('is the index of the best supported tag', () => {
    expect(wheelRank(['cp314-cp314-pyemscripten_2026_0_wasm32'], supported)).toBe(0);
    expect(wheelRank(['cp314-cp314-pyodide_2026_0_wasm32'], supported)).toBe(1);
    expect(wheelRank(['py2-none-any', 'py3-none-any'], supported)).toBe(supported.indexOf('py3-none-any'));
    expect(wheelRank(['py3-none-any', 'cp314-abi3-emscripten_5_0_3_wasm32'], supported)).toBe(5);
  });

  it('is null when nothing installs here', () => {
    expect(wheelRank(['cp312-cp312-manylinux_2_17_x86_64'], supported)).toBeNull();
    expect(wheelRank([], supported)).toBeNull();
  });

  it('prefers a binary for this platform over a pure-Python wheel', () => {
    const binary = wheelRank(parseWheelFilename('numpy-2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl').tags, supported)!;
    const pure = wheelRank(parseWheelFilename('numpy-2.0-py3-none-any.whl').tags, supported)!;
    expect(binary).toBeLessThan(pure);
  });

  it('keeps the first rank of a duplicated supported tag', () => {
    expect(wheelRank(['b'], ['a', 'b', 'b'])).toBe(1);
  });
});

describe('parseSdistFilename', () => {
  it.each([
    ['Foo.Bar-1.0rc1.tar.gz', 'foo-bar', '1.0rc1'],
    ['foo-bar-2.0.zip', 'foo-bar', '2.0'],
    ['zope.interface-6.4.post2.tar.gz', 'zope-interface', '6.4.post2'],
  ])('parses %j', (filename, name, version) => {
    const s = parseSdistFilename(filename);
    expect(s?.name).toBe(name);
    expect(s?.version.toString()).toBe(version);
  });

  it.each(['foo-1.0.whl', 'foo.tar.gz', '-1.0.tar.gz', 'foo-bar.zip', 'foo-1.0.tar.bz2'])('returns null for %j', (filename) => {
    expect(parseSdistFilename(filename)).toBeNull();
  });
});
