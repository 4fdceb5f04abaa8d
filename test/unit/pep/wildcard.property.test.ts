import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileWildcard, matchWildcard } from '../../../src/pep/wildcard';

// The wildcard matcher against a slow, obviously-correct reference: patterns are built from
// tokens, and the reference matches the token list by dynamic programming over (token, char).

type RefToken = { kind: 'star' } | { kind: 'any' } | { kind: 'set'; test: (c: string) => boolean };

/** One pattern token: its text in each dialect and what it matches. */
interface Piece {
  readonly shell: string;
  readonly fnmatch: string;
  readonly ref: RefToken;
}

const lit = (c: string): Piece => ({ shell: /[*?[\\]/.test(c) ? `\\${c}` : c, fnmatch: /[*?[]/.test(c) ? `[${c}]` : c, ref: { kind: 'set', test: (x) => x === c } });
const PIECES: readonly Piece[] = [
  lit('a'),
  lit('b'),
  lit('.'),
  lit('*'),
  lit('?'),
  { shell: '*', fnmatch: '*', ref: { kind: 'star' } },
  { shell: '?', fnmatch: '?', ref: { kind: 'any' } },
  { shell: '[ab]', fnmatch: '[ab]', ref: { kind: 'set', test: (x) => x === 'a' || x === 'b' } },
  { shell: '[!a]', fnmatch: '[!a]', ref: { kind: 'set', test: (x) => x !== 'a' } },
  { shell: '[a-c]', fnmatch: '[a-c]', ref: { kind: 'set', test: (x) => x >= 'a' && x <= 'c' } },
  { shell: '[]a]', fnmatch: '[]a]', ref: { kind: 'set', test: (x) => x === ']' || x === 'a' } },
  { shell: '[^b]', fnmatch: '[!b]', ref: { kind: 'set', test: (x) => x !== 'b' } },
];

function reference(tokens: readonly RefToken[], name: readonly string[]): boolean {
  // can[t][n]: tokens from t match name from n.
  const can: boolean[][] = Array.from({ length: tokens.length + 1 }, () => Array<boolean>(name.length + 1).fill(false));
  can[tokens.length]![name.length] = true;
  for (let t = tokens.length - 1; t >= 0; t--) {
    for (let n = name.length; n >= 0; n--) {
      const token = tokens[t]!;
      if (token.kind === 'star') can[t]![n] = can[t + 1]![n]! || (n < name.length && can[t]![n + 1]!);
      else can[t]![n] = n < name.length && (token.kind === 'any' || token.test(name[n]!)) && can[t + 1]![n + 1]!;
    }
  }
  return can[0]![0]!;
}

const pieces = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 });
const names = fc.array(fc.constantFrom('a', 'b', 'c', '.', '*', '?', ']', 'é'), { maxLength: 10 });

describe('compileWildcard agrees with the reference', () => {
  it('shell dialect', () => {
    fc.assert(
      fc.property(pieces, names, (ps, name) => {
        const pattern = ps.map((p) => p.shell).join('');
        expect(matchWildcard(pattern, name.join(''), 'shell'), pattern).toBe(reference(ps.map((p) => p.ref), name));
      }),
      { numRuns: 3000 },
    );
  });
  it('fnmatch dialect', () => {
    fc.assert(
      fc.property(pieces, names, (ps, name) => {
        const pattern = ps.map((p) => p.fnmatch).join('');
        expect(matchWildcard(pattern, name.join(''), 'fnmatch'), pattern).toBe(reference(ps.map((p) => p.ref), name));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('wildcard details', () => {
  it.each([
    ['*.py', 'setup.py', true],
    ['*.py', 'setup.pyc', false],
    ['req?ests*', 'requests', true],
    ['[!a]*', 'abc', false],
    ['a.b', 'axb', false],
    ['[', '[', true], // an unclosed bracket is an ordinary character
    ['[a', '[a', true],
    ['x[]', 'x[]', true],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['[\\]]', ']', true],
    ['?', '🐍', true], // one code point, as a `u` RegExp
    ['[😀-🙏]', '🙂', true],
    ['**', '', true],
    ['a*', '', false],
  ] as const)('shell %s against %s: %s', (pattern, name, expected) => {
    expect(matchWildcard(pattern, name, 'shell')).toBe(expected);
  });

  it("fnmatch: backslash is an ordinary character and '^' does not negate", () => {
    expect(matchWildcard('a\\b', 'a\\b', 'fnmatch')).toBe(true);
    expect(matchWildcard('[^a]', '^', 'fnmatch')).toBe(true);
    expect(matchWildcard('[^a]', 'b', 'fnmatch')).toBe(false);
  });

  it('the pathological pattern (*a repeated, then b) over a long name of a: no backtracking', () => {
    const pattern = `${'*a'.repeat(40)}*b`;
    const name = 'a'.repeat(5000);
    const started = performance.now();
    const compiled = compileWildcard(pattern);
    for (let i = 0; i < 20; i++) expect(compiled.test(name)).toBe(false);
    expect(compiled.test(`${name}b`)).toBe(true);
    // A backtracking RegExp takes minutes here; placing each segment once takes milliseconds.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
