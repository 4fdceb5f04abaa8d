import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../fixtures/source-files';

/**
 * File sizes in src/ (../shared/style.md: 50–400 lines is the usual size; issue 14): a file over
 * 400 lines says why on its first line, `// Over 400 lines: <reason>`, and the two files issue 14
 * cut down stay cut down.
 */

const SRC = resolve(__dirname, '../../src');
const LIMIT = 400;
const REASON = /^\/\/ Over 400 lines: \S.{20,}$/;


/** Lines as `wc -l` counts them (a final newline ends the last line). */
const lineCount = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

describe('file sizes in src/', () => {
  const files = sourceFiles(SRC).map((path) => {
    const text = readFileSync(path, 'utf8');
    return { file: relative(SRC, path), lines: lineCount(text), first: text.split('\n', 1)[0]! };
  });

  it(`gives every file over ${LIMIT} lines a one-line reason at its top`, () => {
    const unexplained = files.filter((f) => f.lines > LIMIT && !REASON.test(f.first)).map((f) => `src/${f.file}: ${f.lines} lines`);
    expect(unexplained).toEqual([]);
  });

  it('keeps the reason only where it is needed (a file back under the limit drops it)', () => {
    const stale = files.filter((f) => f.lines <= LIMIT && f.first.startsWith('// Over 400 lines')).map((f) => `src/${f.file}: ${f.lines} lines`);
    expect(stale).toEqual([]);
  });

  it('keeps the resolver provider and the page component small (issue 14)', () => {
    const size = (file: string): number => files.find((f) => f.file === file)!.lines;
    expect(size('resolver/provider.ts')).toBeLessThanOrEqual(300);
    expect(size('ui/pipette-app/pipette-app.ts')).toBeLessThanOrEqual(250);
  });
});
