import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MemoryShellFs, parseScript, quoteArgv, shellQuote, type ShellFs } from '../../../src/shell';
import { expandWords } from '../../../src/shell/expand';
import { hasTerminalControls } from '../../../src/pep';

const fs: ShellFs = new MemoryShellFs(() => 0);

/** What this shell makes of a command line: the argv it would run. */
function argvOf(line: string): string[] {
  const script = parseScript(line);
  const command = script.items[0]!.first.commands[0]!;
  return expandWords(command.words, { lookup: () => undefined, home: '/home/user', cwd: '/home/user', fs });
}

describe('shellQuote', () => {
  it.each([
    ['requirements.txt', 'requirements.txt'],
    ['a@b%', 'a@b%'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", `"it's"`],
    [`a'b"c`, `'a'\\''b"c'`],
    ['a$b', "'a$b'"],
    ['~x', "'~x'"],
    ['x~', "'x~'"],
    ['#x', "'#x'"],
    ['a=b', "'a=b'"],
    ['*.txt', "'*.txt'"],
    ['requirements.txt; rm -rf ~; echo x.txt', "'requirements.txt; rm -rf ~; echo x.txt'"],
    ['a\x1bb', "'a'$'\\033''b'"], // as coreutils' ls and cat print it
    ['a\tb', "'a'$'\\t''b'"],
    ['\x1b', "$'\\033'"],
    ['x\u202e', "'x'$'\\342\\200\\256'"],
    ['é中', 'é中'],
  ])('%j -> %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it("'always' quotes plain words too; 'unprintable' quotes only control characters", () => {
    expect(shellQuote('x', 'always')).toBe("'x'");
    expect(shellQuote('a b', 'unprintable')).toBe('a b');
    expect(shellQuote('\x1b[2J', 'unprintable')).toBe("$'\\033''[2J'");
  });

  it('reads back as the same word in this shell, whatever the word, and holds no control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom<'needed' | 'always' | 'unprintable'>('needed', 'always'), (word, when) => {
        const quoted = shellQuote(word, when);
        expect(hasTerminalControls(quoted), quoted).toBe(false);
        expect(argvOf(`echo ${quoted}`), quoted).toEqual(['echo', word]);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('quoteArgv', () => {
  it('a command line that runs exactly the argv, home abbreviated', () => {
    expect(quoteArgv(['pip', 'install', '-r', '/home/pyodide/requirements.txt; rm -rf ~; echo x.txt'], { home: '/home/pyodide' })).toBe(
      "pip install -r ~/'requirements.txt; rm -rf ~; echo x.txt'",
    );
    expect(quoteArgv(['python', '/home/pyodide/main.py'], { home: '/home/pyodide' })).toBe('python ~/main.py');
  });
  it('round-trips any argv', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { minLength: 1, maxLength: 5 }), (words) => {
        expect(argvOf(`echo ${quoteArgv(words, { home: '/home/user' })}`)).toEqual(['echo', ...words]);
      }),
      { numRuns: 1000 },
    );
  });
});
