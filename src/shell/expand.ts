import type { Word } from './ast';
import { escapeGlob, globPaths, hasGlob } from './glob';
import type { ShellFs } from './host';

/** What expansion reads: variables (special ones included: `?`, `#`, `0`), HOME, and the disk for globs. */
export interface ExpandContext {
  lookup(name: string): string | undefined;
  readonly home: string;
  readonly cwd: string;
  readonly fs: ShellFs;
}

interface Field {
  text: string;
  /** `text` with quoted glob characters escaped: what pathname expansion matches. */
  pattern: string;
}

/**
 * Word expansion in the POSIX order (XCU 2.6): tilde and parameters, then field splitting of
 * unquoted results on blanks, then pathname expansion, then quote removal.
 * Ex) with X='a b': `echo $X "$X" *.txt` -> ['echo', 'a', 'b', 'a b', 'notes.txt', 'req.txt']
 */
export function expandWords(words: readonly Word[], ctx: ExpandContext): string[] {
  const out: string[] = [];
  for (const word of words) {
    for (const field of splitFields(word, ctx)) {
      const matches = hasGlob(field.pattern) ? globPaths(field.pattern, ctx.cwd, ctx.fs) : [];
      // One by one: spreading 150 000 matches into push() would overflow the stack.
      if (matches.length > 0) for (const m of matches) out.push(m);
      else out.push(field.text);
    }
  }
  return out;
}

/**
 * One word to one string, without splitting or globbing: assignment values (`X=$Y`) and
 * redirect targets (`> $OUT`).
 */
export function expandWord(word: Word, ctx: ExpandContext): string {
  let text = '';
  for (const part of word.parts) {
    if (part.kind === 'text') text += part.text;
    else if (part.kind === 'tilde') text += ctx.home;
    else text += ctx.lookup(part.name) ?? '';
  }
  return text;
}

function splitFields(word: Word, ctx: ExpandContext): Field[] {
  const fields: Field[] = [];
  let current: Field | null = null;
  const add = (text: string, quoted: boolean): void => {
    current ??= { text: '', pattern: '' };
    current.text += text;
    current.pattern += quoted ? escapeGlob(text) : text;
  };
  const end = (): void => {
    if (current) fields.push(current);
    current = null;
  };
  for (const part of word.parts) {
    if (part.kind === 'text') {
      add(part.text, part.quoted);
    } else if (part.kind === 'tilde') {
      add(ctx.home, true);
    } else {
      const value = ctx.lookup(part.name) ?? '';
      if (part.quoted) {
        add(value, true);
        continue;
      }
      // Unquoted: split on IFS whitespace (default IFS); an empty result adds no field.
      const pieces = value.split(/[ \t\n]+/).filter((p) => p !== '');
      if (/^[ \t\n]/.test(value)) end();
      pieces.forEach((piece, i) => {
        if (i > 0) end();
        add(piece, false);
      });
      if (pieces.length > 0 && /[ \t\n]$/.test(value)) end();
    }
  }
  end();
  return fields;
}
