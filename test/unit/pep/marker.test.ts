import { PYODIDE_ENV } from '../../fixtures/pyodide-target';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidMarker,
  Marker,
  UndefinedComparison,
  UndefinedEnvironmentName,
  type MarkerEnvironment,
} from '../../../src/pep/marker';
import { PepError } from '../../../src/pep/error';

// The real Pyodide's environment, as the conformance vectors record it; src never holds one.
const env = PYODIDE_ENV;

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('Marker.parse and toString (packaging 26 printing)', () => {
  it.each([
    // spacing and quotes
    [`python_version>='3.8'`, 'python_version >= "3.8"'],
    [`  os_name  ==  "posix"  `, 'os_name == "posix"'],
    [`'posix'==os_name`, '"posix" == os_name'],
    // legacy aliases
    [`os.name == 'nt'`, 'os_name == "nt"'],
    [`sys.platform == 'win32'`, 'sys_platform == "win32"'],
    [`platform.machine == 'x86_64'`, 'platform_machine == "x86_64"'],
    [`platform.version in 'Ubuntu'`, 'platform_version in "Ubuntu"'],
    [`python_implementation == 'PyPy'`, 'platform_python_implementation == "PyPy"'],
    [`platform.python_implementation == 'PyPy'`, 'platform_python_implementation == "PyPy"'],
    // in / not in
    [`'linux' in sys_platform`, '"linux" in sys_platform'],
    [`'linux'   not   in sys_platform`, '"linux" not in sys_platform'],
    // extra values are normalized (PEP 685)
    [`extra == 'Foo_Bar..baz'`, 'extra == "foo-bar-baz"'],
    [`'Test' == extra`, '"test" == extra'],
    [`"Foo" in extras`, '"foo" in extras'],
    [`"Dev_Group" in dependency_groups`, '"dev-group" in dependency_groups'],
    // parentheses: redundant ones drop, needed ones stay
    [`(os_name == 'a')`, 'os_name == "a"'],
    [`((os_name == 'a' or os_name == 'b'))`, 'os_name == "a" or os_name == "b"'],
    [`os_name == 'a' and ((os_name == 'b' or os_name == 'c'))`, 'os_name == "a" and (os_name == "b" or os_name == "c")'],
    [`(os_name == 'a' and os_name == 'b') or os_name == 'c'`, '(os_name == "a" and os_name == "b") or os_name == "c"'],
    // escapes are expanded as Python's literal_eval does
    [`os_name == "\\x70osix"`, 'os_name == "posix"'],
    [`os_name == 'a\\tb'`, 'os_name == "a\tb"'],
    [`os_name == 'un\\known'`, 'os_name == "un\\known"'],
    // a value holding a double quote prints in single quotes
    [`os_name == 'say "hi"'`, `os_name == 'say "hi"'`],
  ])('%s -> %s', (input, printed) => {
    const marker = Marker.parse(input);
    expect(marker.toString()).toBe(printed);
    expect(Marker.parse(printed).toString()).toBe(printed);
  });

  it('refuses to print a value holding both quote characters, as packaging does', () => {
    const marker = Marker.parse(`os_name == "\\x27\\x22"`);
    expect(() => marker.toString()).toThrow(/both quote characters/);
  });

  it('combines markers with and / or, keeping precedence', () => {
    const a = Marker.parse('os_name == "a" or os_name == "b"');
    const b = Marker.parse('python_version >= "3"');
    expect(a.and(b).toString()).toBe('(os_name == "a" or os_name == "b") and python_version >= "3"');
    expect(b.or(a).toString()).toBe('python_version >= "3" or (os_name == "a" or os_name == "b")');
  });

  it('compares by printed form', () => {
    expect(Marker.parse(`extra=='A_b'`).equals(Marker.parse('extra == "a-b"'))).toBe(true);
    expect(Marker.parse(`os_name=='a'`).equals(Marker.parse(`os_name=='b'`))).toBe(false);
  });
});

describe('Marker.parse errors (packaging wording, caret under the fault)', () => {
  it.each([
    ['os_name ==', 'Expected a marker variable or quoted string', 10, 11],
    ['os_name = "x"', 'Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in', 8, 9],
    ['(os_name == "a"', 'Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression', 0, 16],
    ['os_name == "a" garbage', 'Expected end of marker expression', 15, 16],
    ['"a" not "b"', "Expected 'in' after 'not'", 8, 9],
    ['"a" notin os_name', 'Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in', 4, 5],
    ['os_name == "\\x4"', 'Invalid quoted string', 11, 17],
    ['os_name == "a\\', 'Expected a marker variable or quoted string', 11, 12],
    ['os_name == "\\N{LATIN SMALL LETTER A}"', 'Invalid quoted string', 11, 38],
    ['python_versionx == "3"', 'Expected a marker variable or quoted string', 0, 1],
    ['os_name == "posix"\n', 'Expected end of marker expression', 18, 19],
    ['', 'Expected a marker variable or quoted string', 0, 1],
  ])('%j: %s', (input, reason, start, end) => {
    const error = thrown(() => Marker.parse(input));
    expect(error).toBeInstanceOf(InvalidMarker);
    expect(error).toBeInstanceOf(PepError);
    const e = error as InvalidMarker;
    expect(e.name).toBe('InvalidMarker');
    expect(e.code).toBe('invalid-marker');
    expect(e.reason).toBe(reason);
    expect([e.start, e.end]).toEqual([start, end]);
    expect(e.input).toBe(input);
  });

  it('renders the input and a caret line like pip', () => {
    const error = thrown(() => Marker.parse('os_name == "a" garbage')) as InvalidMarker;
    expect(error.message).toBe('Expected end of marker expression\n    os_name == "a" garbage\n                   ^');
  });

  it('rejects a raw line break or NUL inside quotes (not a Python literal)', () => {
    expect(() => Marker.parse('os_name == "a\nb"')).toThrow(InvalidMarker);
    expect(() => Marker.parse('os_name == "a\0b"')).toThrow(InvalidMarker);
  });

  it('accepts a backslash-newline continuation inside quotes, as Python does', () => {
    expect(Marker.parse('os_name == "po\\\nsix"').toString()).toBe('os_name == "posix"');
  });
});

describe('Marker.evaluate', () => {
  it('"and" binds tighter than "or"', () => {
    expect(Marker.parse('os_name == "a" and os_name == "b" or os_name == "posix"').evaluate(env)).toBe(true);
    expect(Marker.parse('os_name == "posix" or os_name == "b" and os_name == "c"').evaluate(env)).toBe(true);
    expect(Marker.parse('(os_name == "posix" or os_name == "b") and os_name == "c"').evaluate(env)).toBe(false);
  });

  it('compares strings with in / not in as Python substring tests', () => {
    expect(Marker.parse('"scrip" in sys_platform').evaluate(env)).toBe(true);
    expect(Marker.parse('sys_platform in "emscripten-wasm"').evaluate(env)).toBe(true);
    expect(Marker.parse('"linux" not in sys_platform').evaluate(env)).toBe(true);
  });

  it('compares version variables as PEP 440 versions', () => {
    expect(Marker.parse('python_version >= "3.9"').evaluate(env)).toBe(true);
    expect(Marker.parse('python_version < "3.10"').evaluate(env)).toBe(false);
    expect(Marker.parse('python_full_version == "3.14.*"').evaluate(env)).toBe(true);
    expect(Marker.parse('"3.14" == python_version').evaluate(env)).toBe(true);
    expect(Marker.parse('implementation_version ~= "3.14.0"').evaluate(env)).toBe(true);
    // pre-releases are allowed in marker comparisons
    expect(Marker.parse('python_full_version > "3.14.2rc1"').evaluate(env)).toBe(true);
    expect(Marker.parse('python_full_version >= "3.14"').evaluate({ ...env, python_full_version: '3.14.0rc1' })).toBe(false);
    expect(Marker.parse('python_full_version >= "3.14.0a1"').evaluate({ ...env, python_full_version: '3.14.0rc1' })).toBe(true);
  });

  it('follows packaging on non-version variables: <= and >= are equality, < and > are false', () => {
    expect(Marker.parse('platform_machine <= "wasm32"').evaluate(env)).toBe(true);
    expect(Marker.parse('platform_machine >= "wasm3"').evaluate(env)).toBe(false);
    expect(Marker.parse('"nt" < os_name').evaluate(env)).toBe(false);
    expect(Marker.parse('os_name > "a"').evaluate(env)).toBe(false);
  });

  it('falls back to string rules when the version comparison is not a valid specifier', () => {
    // "in" never forms a specifier; "3.14" is a substring of "3.14.2"
    expect(Marker.parse('"3.14" in python_full_version').evaluate(env)).toBe(true);
    // ~= needs two release segments, so "~=3" is no specifier: undefined
    expect(() => Marker.parse('python_version ~= "3"').evaluate(env)).toThrow(UndefinedComparison);
    // an invalid version on the right makes "==" a string comparison
    expect(Marker.parse('platform_release == "5.0.3-emscripten"').evaluate(env)).toBe(false);
  });

  it('repairs an untagged "3.14.2+" python_full_version as packaging does', () => {
    const dev = { ...env, python_full_version: '3.14.2+' };
    expect(Marker.parse('python_full_version >= "3.14.2"').evaluate(dev)).toBe(true);
    expect(dev.python_full_version).toBe('3.14.2+'); // the caller's object is untouched
  });

  it('normalizes the extra before comparing (PEP 685)', () => {
    const marker = Marker.parse('extra == "Foo_Bar"');
    expect(marker.evaluate(env)).toBe(false);
    expect(marker.evaluate(env, 'foo.bar')).toBe(true);
    expect(marker.evaluate(env, 'FOO-BAR')).toBe(true);
    expect(marker.evaluate({ ...env, extra: 'foo_bar' })).toBe(true);
    expect(marker.evaluate({ ...env, extra: 'foo_bar' }, '')).toBe(false);
  });

  it('raises UndefinedComparison where packaging does, even when the result is already known', () => {
    const error = thrown(() => Marker.parse('"darwin" ~= sys_platform').evaluate(env)) as UndefinedComparison;
    expect(error).toBeInstanceOf(UndefinedComparison);
    expect(error.name).toBe('UndefinedComparison');
    expect(error.code).toBe('undefined-comparison');
    expect(error.reason).toBe(`Undefined <Op('~=')> on 'darwin' and 'emscripten'.`);
    expect(() => Marker.parse('os_name == "posix" or os_name === "posix"').evaluate(env)).toThrow(UndefinedComparison);
  });

  it('raises UndefinedEnvironmentName for a variable the environment lacks', () => {
    const error = thrown(() => Marker.parse('"foo" in extras').evaluate(env)) as UndefinedEnvironmentName;
    expect(error).toBeInstanceOf(UndefinedEnvironmentName);
    expect(error.code).toBe('undefined-environment-name');
    expect(error.variable).toBe('extras');
    expect(error.reason).toBe(`'extras' does not exist in evaluation environment.`);
    // two literals: packaging looks the right one up as a variable name
    expect(() => Marker.parse('"a" == "a"').evaluate(env)).toThrow(UndefinedEnvironmentName);
    const { os_name: _dropped, ...partial } = env;
    expect(() => Marker.parse('os_name == "posix"').evaluate(partial)).toThrow(UndefinedEnvironmentName);
  });

  it('does not read inherited properties as variables', () => {
    const bare: MarkerEnvironment = Object.create({ os_name: 'posix' }) as MarkerEnvironment;
    expect(() => Marker.parse('os_name == "posix"').evaluate(bare)).toThrow(UndefinedEnvironmentName);
  });
});

describe('extras helpers for the resolver', () => {
  const marker = Marker.parse('python_version >= "3" and (extra == "Socks" or extra == "test_utils")');

  it('lists the extras a marker compares with, normalized and sorted', () => {
    expect(marker.mentionsExtra()).toBe(true);
    expect(marker.extras()).toEqual(['socks', 'test-utils']);
    expect(Marker.parse('"dev" == extra').extras()).toEqual(['dev']);
    const plain = Marker.parse('os_name == "posix"');
    expect(plain.mentionsExtra()).toBe(false);
    expect(plain.extras()).toEqual([]);
  });

  it('evaluateWithExtras holds for "" or any requested extra (pip base + extras)', () => {
    expect(marker.evaluateWithExtras(env, [])).toBe(false);
    expect(marker.evaluateWithExtras(env, ['other'])).toBe(false);
    expect(marker.evaluateWithExtras(env, ['other', 'SOCKS'])).toBe(true);
    expect(marker.evaluateWithExtras(env, new Set(['test.utils']))).toBe(true);
    expect(Marker.parse('os_name == "posix"').evaluateWithExtras(env, [])).toBe(true);
    expect(Marker.parse('extra != "x"').evaluateWithExtras(env, ['x'])).toBe(true);
  });
});

describe('evaluateLockFile (PEP 751 context)', () => {
  it('tests membership in the extras and dependency_groups sets, normalized', () => {
    const marker = Marker.parse('"Socks" in extras or "Docs_Group" in dependency_groups');
    expect(marker.evaluateLockFile(env)).toBe(false);
    expect(marker.evaluateLockFile(env, { extras: ['socks'] })).toBe(true);
    expect(marker.evaluateLockFile(env, { dependencyGroups: ['docs.group'] })).toBe(true);
    expect(Marker.parse('"x" not in extras').evaluateLockFile(env)).toBe(true);
  });

  it('rejects a set-valued variable on the left and an undefined extra', () => {
    expect(() => Marker.parse('extras == "x"').evaluateLockFile(env)).toThrow(UndefinedComparison);
    expect(() => Marker.parse('extra == "x"').evaluateLockFile(env)).toThrow(UndefinedEnvironmentName);
  });
});

describe('printing is a fixed point (property)', () => {
  const variable = fc.constantFrom('python_version', 'os.name', 'sys_platform', 'extra', 'platform_release', 'python_implementation');
  const value = fc.constantFrom('3.8', '3.14.2', 'posix', 'Foo_Bar', '', 'a b', 'say "hi"', "it's");
  const quoted = value.map((v) => (v.includes("'") ? `"${v}"` : `'${v}'`));
  const op = fc.constantFrom('==', '!=', '<', '<=', '>', '>=', '~=', '===', 'in', 'not in');
  const side = fc.oneof(variable, quoted);
  const item = fc.tuple(side, op, side).map(([l, o, r]) => `${l} ${o} ${r}`);
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      item,
      fc.tuple(tie('e'), fc.constantFrom('and', 'or'), tie('e')).map(([a, b, c]) => `${a} ${b} ${c}`),
      tie('e').map((e) => `(${e})`),
    ),
  })).e;

  it('parse(print(m)) prints the same and evaluates the same', () => {
    fc.assert(
      fc.property(expr, fc.constantFrom('', 'foo-bar', 'x'), (text, extra) => {
        const marker = Marker.parse(text);
        const printed = marker.toString();
        const again = Marker.parse(printed);
        expect(again.toString()).toBe(printed);
        const outcome = (m: Marker) => {
          try {
            return m.evaluate(env, extra);
          } catch (e) {
            return (e as Error).name;
          }
        };
        expect(outcome(again)).toBe(outcome(marker));
      }),
      { numRuns: 300 },
    );
  });
});
