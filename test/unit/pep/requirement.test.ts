import { describe, expect, it } from 'vitest';
import { InvalidRequirement, Requirement } from '../../../src/pep/requirement';
import { PepError } from '../../../src/pep/error';

function fields(text: string) {
  const req = Requirement.parse(text);
  return {
    name: req.name,
    normalizedName: req.normalizedName,
    extras: req.extras,
    normalizedExtras: req.normalizedExtras,
    specifier: req.specifier.toString(),
    url: req.url,
    marker: req.marker?.toString() ?? null,
    str: req.toString(),
  };
}

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('Requirement.parse', () => {
  it('reads name, extras, specifier and marker, and prints them as packaging does', () => {
    expect(fields('requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"')).toEqual({
      name: 'requests',
      normalizedName: 'requests',
      extras: ['security', 'tests'],
      normalizedExtras: ['security', 'tests'],
      specifier: '==2.8.*,>=2.8.1',
      url: null,
      marker: 'python_version < "2.7"',
      str: 'requests[security,tests]==2.8.*,>=2.8.1; python_version < "2.7"',
    });
  });

  it('keeps the name and extras as written, deduplicated and sorted; normalized copies beside them', () => {
    const req = Requirement.parse('Foo.Bar_baz[test,DEV,test,Dev_Tools]');
    expect(req.name).toBe('Foo.Bar_baz');
    expect(req.normalizedName).toBe('foo-bar-baz');
    expect(req.extras).toEqual(['DEV', 'Dev_Tools', 'test']);
    expect(req.normalizedExtras).toEqual(['dev', 'dev-tools', 'test']);
    expect(req.toString()).toBe('Foo.Bar_baz[DEV,Dev_Tools,test]');
  });

  it('accepts parenthesised specifiers and spaces everywhere whitespace is allowed', () => {
    expect(fields('  name ( >=1.0 , <2 )  ;  os_name=="posix"  ')).toMatchObject({
      name: 'name',
      specifier: '<2,>=1.0',
      marker: 'os_name == "posix"',
      str: 'name<2,>=1.0; os_name == "posix"',
    });
    expect(fields('name()').str).toBe('name');
    expect(fields('name[]').extras).toEqual([]);
    expect(fields('name [ a , b ]').extras).toEqual(['a', 'b']);
  });

  it('accepts a trailing comma in the specifier list, as packaging does', () => {
    expect(fields('numpy >=1.19, ').specifier).toBe('>=1.19');
  });

  it('takes a URL up to the next space: a marker after a URL needs whitespace before ";"', () => {
    expect(fields('name@ https://example.com/a.whl ;python_version>"3"')).toMatchObject({
      url: 'https://example.com/a.whl',
      marker: 'python_version > "3"',
      str: 'name @ https://example.com/a.whl ; python_version > "3"',
    });
    expect(fields('name @ https://example.com/a.whl;python_version>"3"')).toMatchObject({
      url: 'https://example.com/a.whl;python_version>"3"',
      marker: null,
    });
    expect(fields('name[x] @ file:///tmp/pkg ')).toMatchObject({
      extras: ['x'],
      url: 'file:///tmp/pkg',
      specifier: '',
      str: 'name[x] @ file:///tmp/pkg',
    });
  });

  it('normalizes extra names inside the marker', () => {
    expect(fields('mariadb>=1.0.1; extra == "mariadb_connector"').marker).toBe('extra == "mariadb-connector"');
  });

  it('reads a name that looks like a version', () => {
    expect(fields('1.0a1[AFTER_POSTS]')).toMatchObject({ name: '1.0a1', normalizedName: '1-0a1', extras: ['AFTER_POSTS'] });
  });

  it('compares requirements as packaging 26.3 does', () => {
    expect(Requirement.parse('Foo_Bar[B,a]>=1').equals(Requirement.parse('foo.bar[a,b] >= 1'))).toBe(true);
    expect(Requirement.parse('foo>=1').equals(Requirement.parse('foo>=2'))).toBe(false);
    expect(Requirement.parse('foo; os_name=="a"').equals(Requirement.parse('foo'))).toBe(false);
  });
});

describe('Requirement.parse errors (packaging wording, caret under the fault)', () => {
  it.each([
    ['', 'Expected package name at the start of dependency specifier', 0, 1],
    ['-foo', 'Expected package name at the start of dependency specifier', 0, 1],
    ['foo_bár', 'Expected package name at the start of dependency specifier', 0, 1],
    ['plotly>=5.24.0<6', 'Expected comma (within version specifier), semicolon (after version specifier) or end', 6, 15],
    ['name 1.0', 'Expected semicolon (after name with no version specifier) or end', 5, 6],
    ['name[bar', 'Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras', 4, 9],
    ['name[a b]', 'Expected comma between extra names', 7, 8],
    ['name[a,]', 'Expected extra name after comma', 7, 8],
    ['name (>=1.0', 'Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier', 5, 12],
    ['name>=1.0.*', '.* suffix can only be used with `==` or `!=` operators', 4, 11],
    ['name==1.0a1.*', '.* suffix cannot be used with pre-release, post-release, dev or local versions', 4, 13],
    ['name>=1.0+local', 'Local version label can only be used with `==` or `!=` operators', 4, 10],
    ['name @ ', 'Expected URL after @', 7, 8],
    ['name @ http://x extra', 'Expected semicolon (after URL and whitespace) or end', 7, 17],
    ['name; os_name ==', 'Expected a marker variable or quoted string', 16, 17],
    ['name\n', 'Expected semicolon (after name with no version specifier) or end', 4, 5],
    ['name>=1.0\n', 'Expected comma (within version specifier), semicolon (after version specifier) or end', 4, 10],
  ])('%j: %s', (input, reason, start, end) => {
    const error = thrown(() => Requirement.parse(input));
    expect(error).toBeInstanceOf(InvalidRequirement);
    expect(error).toBeInstanceOf(PepError);
    const e = error as InvalidRequirement;
    expect(e.name).toBe('InvalidRequirement');
    expect(e.code).toBe('invalid-requirement');
    expect(e.reason).toBe(reason);
    expect([e.start, e.end]).toEqual([start, end]);
  });

  it('renders the input and a caret line under the span, like pip', () => {
    const error = thrown(() => Requirement.parse('plotly>=5.24.0<6')) as InvalidRequirement;
    expect(error.message).toBe(
      'Expected comma (within version specifier), semicolon (after version specifier) or end\n' +
        '    plotly>=5.24.0<6\n' +
        '          ^^^^^^^^^',
    );
  });
});
