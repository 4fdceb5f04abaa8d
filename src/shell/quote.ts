/**
 * The shell's quoting: a word written so that this shell (and bash) reads it back as exactly
 * that word, and so that it holds no character a terminal acts on. One function serves every
 * place a word from outside is shown in shell syntax: a command line the page shows before
 * running it by argv (Import…, Run, the packages panel), `ls` at a terminal, and the names in
 * coreutils' and bash's messages.
 *
 * The rules are coreutils' `shell-escape` quoting style (`ls` at a terminal since coreutils
 * 8.25, and `quotef`/`quoteaf` in its messages):
 * - a word of plain characters stays as it is: `requirements.txt`, `a@b%`;
 * - otherwise it is single-quoted, `'a b'` (a `'` inside as `'\''`), or double-quoted when it
 *   holds a `'` and nothing `"` would expand: `"it's"`;
 * - control characters (C0, DEL, C1) and Unicode's bidirectional controls go in ANSI-C quotes
 *   as octal bytes: ESC in `a<ESC>b` gives `'a'$'\033''b'`, as `ls` and `cat` print it. coreutils
 *   leaves bidi controls alone where the locale calls them printable; they reorder text on
 *   screen, so here they are escaped too.
 * Ex) shellQuote('requirements.txt; rm -rf ~; echo x.txt') -> `'requirements.txt; rm -rf ~; echo x.txt'`
 */
import { TERMINAL_CONTROL } from '../pep';

/**
 * When to quote: `needed` (coreutils' quotef, the default), `always` (quoteaf: `rm: cannot
 * remove 'x'`), or `unprintable` (bash's own messages: `bash: foo: command not found` as typed,
 * ANSI-C quoted only when the name holds a control character).
 */
export type QuoteWhen = 'needed' | 'always' | 'unprintable';

// Characters that never need quoting (coreutils: letters, digits and `%+,-./:@_`; any other
// printable character that is not ASCII punctuation, such as `é` or `中`).
const PLAIN = /^[A-Za-z0-9%+,\-./:@_\u00a0-\u{10ffff}]+$/u;
// What `"..."` would still expand or end at.
const DOUBLE_QUOTE_SPECIAL = /["$`\\!]/;
// The terminal's controls (pep), and in a word also TAB and LF, which the shell would split at.
const CONTROL = new RegExp(`[\\t\\n]|${TERMINAL_CONTROL.source}`, 'u');
const CONTROL_RUNS = new RegExp(`((?:${CONTROL.source})+)`, 'u');
const encoder = new TextEncoder();

export function shellQuote(word: string, when: QuoteWhen = 'needed'): string {
  if (CONTROL.test(word)) return quoteWithControls(word);
  if (when === 'unprintable') return word;
  if (word !== '' && PLAIN.test(word) && !word.startsWith('~') && !word.startsWith('#')) return when === 'always' ? `'${word}'` : word;
  if (word.includes("'") && !DOUBLE_QUOTE_SPECIAL.test(word)) return `"${word}"`;
  return singleQuoted(word);
}

/**
 * A command line that runs exactly `argv`, for showing: each word quoted as needed, and a
 * word under `home` written `~/...` (the rest quoted) as a person would type it.
 * Ex) quoteArgv(['python', '/home/pyodide/my file.py'], { home: '/home/pyodide' }) -> `python ~/'my file.py'`
 */
export function quoteArgv(argv: readonly string[], options: { home?: string } = {}): string {
  return argv.map((word) => quoteWordAt(word, options.home)).join(' ');
}

function quoteWordAt(word: string, home: string | undefined): string {
  if (home && home !== '/' && word.startsWith(`${home}/`) && word.length > home.length + 1) return `~/${shellQuote(word.slice(home.length + 1))}`;
  return shellQuote(word);
}

function singleQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Printable runs single-quoted, control runs as `$'\ooo'` (their UTF-8 bytes in octal). */
function quoteWithControls(word: string): string {
  return word
    .split(CONTROL_RUNS)
    .filter((part) => part !== '')
    .map((part) => (CONTROL.test(part) ? `$'${ansiC(part)}'` : singleQuoted(part)))
    .join('');
}

function ansiC(run: string): string {
  let out = '';
  for (const ch of run) {
    if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else for (const byte of encoder.encode(ch)) out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return out;
}
