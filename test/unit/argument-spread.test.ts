/**
 * No list of unbounded length is spread into a call's arguments anywhere in src/: each
 * argument takes a stack slot, and 150 000 of them (a directory's files, an index page's
 * links, xargs' input, a METADATA description's lines) overflow the stack with a RangeError.
 * Appending goes through a loop instead (`for (const x of xs) out.push(x)`), extrema through
 * reduce. Spreads into array literals (`[...a, ...b]`) are not arguments and are fine.
 *
 * This reads every source file with the TypeScript parser and lists the spreads in call or
 * `new` arguments; the only one allowed is bounded by a constant.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../src');

/** Spreads whose length is bounded by a constant, with the bound. */
const BOUNDED = new Map([['share/base64url.ts', 'String.fromCharCode(...bytes.subarray(i, i + 0x8000)): 32 768 at most']]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function argumentSpreads(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isSpreadElement(node) && (ts.isCallExpression(node.parent) || ts.isNewExpression(node.parent))) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative(ROOT, file)}:${line + 1}: ${node.parent.getText().slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('argument spreads in src/', () => {
  it('spread no list into a call, except ones bounded by a constant', () => {
    const spreads = sourceFiles(ROOT).flatMap(argumentSpreads);
    const unbounded = spreads.filter((s) => !BOUNDED.has(s.slice(0, s.indexOf(':'))));
    expect(unbounded).toEqual([]);
    expect(spreads.length).toBeGreaterThan(0); // the scan sees the bounded one: it reads the code
  });

  it('the reason: 150 000 arguments overflow the stack', () => {
    const many = Array.from({ length: 150_000 }, (_, i) => i);
    expect(() => [].push(...(many as never[]))).toThrow(RangeError);
  });
});
