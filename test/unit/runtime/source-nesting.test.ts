/**
 * The nesting bound that keeps install-time compiling from killing Pyodide: deep chains of every
 * construct that nests are over the limit, flat ones are not; strings and comments do not
 * count, f-string fields do (PEP 701 quotes included); what cannot be followed is unbounded.
 * That the bound is never below the real depth is checked against CPython's own parser in
 * test/integration/install/bytecode.test.ts (every module of the standard library).
 */
import { describe, expect, it } from 'vitest';
import { COMPILE_NESTING_LIMIT } from '../../../src/runtime/bytecode-compiler';
import { nestingBound } from '../../../src/runtime/source-nesting';

const bound = (text: string): number => nestingBound(new TextEncoder().encode(text));

describe('nestingBound', () => {
  it.each([
    ['binary operators', (n: number) => `x = 1${'+1'.repeat(n)}\n`],
    ['shifts', (n: number) => `x = 1${'<<1'.repeat(n)}\n`],
    ['powers', (n: number) => `x = 2${'**2'.repeat(n)}\n`],
    ['attributes', (n: number) => `x = a${'.b'.repeat(n)}\n`],
    ['calls', (n: number) => `x = f${'()'.repeat(n)}\n`],
    ['subscripts', (n: number) => `x = a${'[0]'.repeat(n)}\n`],
    ['unary minus', (n: number) => `x = ${'-'.repeat(n)}1\n`],
    ['not', (n: number) => `x = ${'not '.repeat(n)}a\n`],
    ['conditional expressions', (n: number) => `x = ${'1 if a else '.repeat(n)}1\n`],
    ['lambdas', (n: number) => `x = ${'lambda: '.repeat(n)}1\n`],
    ['elif chains', (n: number) => `if a:\n    pass\n${'elif a:\n    pass\n'.repeat(n)}`],
    ['an f-string field', (n: number) => `x = f"{1${'+1'.repeat(n)}}"\n`],
    ['a nested f-string with the same quotes (PEP 701)', (n: number) => `x = f"{f"{1${'+1'.repeat(n)}}"}"\n`],
  ])('grows with the length of a chain of %s, past the limit at 2,000', (_what, make) => {
    expect(bound(make(10))).toBeGreaterThanOrEqual(10);
    expect(bound(make(100))).toBeGreaterThan(bound(make(10)));
    expect(bound(make(2000))).toBeGreaterThan(COMPILE_NESTING_LIMIT);
  });

  it('does not count what does not nest: long and/or chains, comparisons, argument lists, literals', () => {
    expect(bound(`x = a${' and a or a'.repeat(5000)}\n`)).toBeLessThan(20);
    expect(bound(`x = a${' < a'.repeat(5000)}\n`)).toBeLessThan(20);
    expect(bound(`f(${'a, '.repeat(5000)})\n`)).toBeLessThan(20);
    expect(bound(`x = [${'(1, 2), '.repeat(5000)}]\n`)).toBeLessThan(20);
    expect(bound(`x = {${'"k": -1, '.repeat(5000)}}\n`)).toBeLessThan(20);
    expect(bound('x = 1\n'.repeat(10000))).toBeLessThan(20);
  });

  it('skips strings, bytes, docstrings and comments; counts f-string fields only', () => {
    expect(bound(`x = "${'+'.repeat(5000)}"\n`)).toBeLessThan(20);
    expect(bound(`x = b'${'.'.repeat(5000)}'\n`)).toBeLessThan(20);
    expect(bound(`"""${'+-*/.\n'.repeat(2000)}"""\n`)).toBeLessThan(20);
    expect(bound(`# ${'+'.repeat(5000)}\nx = 1\n`)).toBeLessThan(20);
    expect(bound(`x = f"${'.'.repeat(5000)} {{literal}} \\N{BULLET}"\n`)).toBeLessThan(20);
    expect(bound(`x = rb"\\"${'+'.repeat(5000)}"\n`)).toBeLessThan(20);
    expect(bound(`x = f"{a:{w}.{p}f}"\n`)).toBeLessThan(20);
  });

  it('adds the indentation of blocks and the elif clauses above a line', () => {
    const nested = Array.from({ length: 50 }, (_, i) => `${' '.repeat(i)}if a:`).join('\n') + `\n${' '.repeat(50)}x = 1\n`;
    expect(bound(nested)).toBeGreaterThanOrEqual(100);
    // A chain of elifs nests each in the one before; separate ifs do not.
    expect(bound('if a:\n    pass\nelif a:\n    pass\n'.repeat(300))).toBeLessThan(20);
  });

  it('is unbounded where the scan cannot follow: a string left open, brackets that do not match, a quote in a format spec', () => {
    expect(bound('x = "open\n')).toBe(Infinity);
    expect(bound('x = """never closed\n')).toBe(Infinity);
    expect(bound('x = (1\n')).toBe(Infinity);
    expect(bound('x = 1)\n')).toBe(Infinity);
    expect(bound("x = f\"{a:'>10}\"\n")).toBe(Infinity);
  });

  it('an empty module is one level', () => {
    expect(bound('')).toBe(1);
  });
});
