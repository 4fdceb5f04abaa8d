import { describe, expect, test } from 'vitest';
import { parseScript, ShellParseError, tokenize, type Script, type SimpleCommand, type Word } from '../../../src/shell';

/** A word as (part kind, text, quoted) triples: what expansion will see. */
function parts(word: Word): string[] {
  return word.parts.map((p) => (p.kind === 'text' ? `${p.quoted ? 'q' : 'u'}:${p.text}` : p.kind === 'var' ? `${p.quoted ? 'q' : 'u'}$${p.name}` : '~'));
}

function onlyCommand(script: Script): SimpleCommand {
  expect(script.items).toHaveLength(1);
  const item = script.items[0]!;
  expect(item.rest).toHaveLength(0);
  expect(item.first.commands).toHaveLength(1);
  return item.first.commands[0]!;
}

function parseError(line: string): ShellParseError {
  try {
    parseScript(line);
  } catch (e) {
    expect(e).toBeInstanceOf(ShellParseError);
    return e as ShellParseError;
  }
  throw new Error(`parsed: ${line}`);
}

describe('words and quoting', () => {
  test.each([
    ['pip install requests', [['u:pip'], ['u:install'], ['u:requests']]],
    [`echo 'a $HOME b'`, [['u:echo'], ['q:a $HOME b']]],
    [`echo "a $HOME b"`, [['u:echo'], ['q:a ', 'q$HOME', 'q: b']]],
    ['echo ${HOME}x $?', [['u:echo'], ['u$HOME', 'u:x'], ['u$?']]],
    [`echo a\\ b "x\\"y" 'it'\\''s'`, [['u:echo'], ['u:a', 'q: ', 'u:b'], ['q:x"y'], ["q:it's"]]],
    ['echo ~ ~/x a~', [['u:echo'], ['~'], ['~', 'u:/x'], ['u:a~']]],
    [`echo "" ''`, [['u:echo'], ['q:'], ['q:']]],
    ['echo $ 5$ a$%', [['u:echo'], ['u:$'], ['u:5$'], ['u:a$%']]],
    [`echo "\\$x \\a"`, [['u:echo'], ['q:$x \\a']]],
    ['echo a#b # a comment', [['u:echo'], ['u:a#b']]],
  ])('%s', (line, expected) => {
    expect(onlyCommand(parseScript(line)).words.map(parts)).toEqual(expected);
  });

  test('a word keeps its raw text and position', () => {
    const [, word] = onlyCommand(parseScript(`pip  "a b"c`)).words;
    expect(word).toMatchObject({ raw: '"a b"c', start: 5, end: 11 });
  });

  test('NAME=value before the command is an assignment; after it, a word', () => {
    const cmd = onlyCommand(parseScript('PIP_INDEX_URL=http://x X="a b" pip install Y=1'));
    expect(cmd.assignments.map((a) => [a.name, parts(a.value)])).toEqual([
      ['PIP_INDEX_URL', ['u:http://x']],
      ['X', ['q:a b']],
    ]);
    expect(cmd.words.map((w) => w.raw)).toEqual(['pip', 'install', 'Y=1']);
    expect(onlyCommand(parseScript('"X"=1')).assignments).toEqual([]);
    expect(onlyCommand(parseScript('X=')).assignments[0]!.value.parts).toEqual([{ kind: 'text', text: '', quoted: true }]);
  });

  test('a backslash-newline continues the line', () => {
    expect(onlyCommand(parseScript('pip install \\\n  requests')).words.map((w) => parts(w))).toEqual([['u:pip'], ['u:install'], ['u:requests']]);
  });
});

describe('operators', () => {
  test('pipes, and-or lists and separators', () => {
    const script = parseScript('a | b | c && d || e; f\ng');
    expect(script.items).toHaveLength(3);
    const [first] = script.items;
    expect(first!.first.commands.map((c) => c.words[0]!.raw)).toEqual(['a', 'b', 'c']);
    expect(first!.rest.map((r) => [r.op, r.pipeline.commands[0]!.words[0]!.raw])).toEqual([
      ['&&', 'd'],
      ['||', 'e'],
    ]);
  });

  test('newlines after | && || continue the pipeline', () => {
    const script = parseScript('a |\n b &&\n\n c');
    expect(script.items).toHaveLength(1);
    expect(script.items[0]!.rest).toHaveLength(1);
  });

  test('! negates a pipeline', () => {
    expect(parseScript('! grep x f').items[0]!.first.negated).toBe(true);
    expect(parseScript('echo !').items[0]!.first.negated).toBe(false);
  });

  test('redirects in order, with their file descriptors', () => {
    const cmd = onlyCommand(parseScript('pip freeze > req.txt 2>>err.log < in 2>&1 >&2 &> all 3>x echo 2'));
    expect(cmd.redirects.map((r) => (r.kind === 'dup' ? `${r.fd}>&${r.to}` : `${r.kind}:${r.kind === 'file' ? r.fd : '&'}:${r.mode}:${r.target.raw}`))).toEqual([
      'file:1:write:req.txt',
      'file:2:append:err.log',
      'file:0:read:in',
      '2>&1',
      '1>&2',
      'both:&:write:all',
      'file:3:write:x',
    ]);
    expect(cmd.words.map((w) => w.raw)).toEqual(['pip', 'freeze', 'echo', '2']);
    expect(onlyCommand(parseScript('echo a2>f')).words.map((w) => w.raw)).toEqual(['echo', 'a2']);
    expect(onlyCommand(parseScript('echo hi >| f &>> g')).redirects.map((r) => r.kind + (r.kind !== 'dup' ? r.mode : ''))).toEqual(['filewrite', 'bothappend']);
  });

  test('tokens carry their spans', () => {
    expect(tokenize('a|| b').map((t) => [t.kind, t.start, t.end])).toEqual([
      ['word', 0, 1],
      ['op', 1, 3],
      ['word', 4, 5],
      ['eof', 5, 5],
    ]);
  });

  test('an empty line or a comment is an empty script', () => {
    expect(parseScript('').items).toEqual([]);
    expect(parseScript('   # nothing').items).toEqual([]);
    expect(parseScript('\n\n').items).toEqual([]);
    expect(parseScript('a;').items).toHaveLength(1);
  });
});

describe('syntax errors, in bash words with a caret', () => {
  test.each([
    ['| grep x', "bash: syntax error near unexpected token '|'", 0, false],
    ['ls ||| x', "bash: syntax error near unexpected token '|'", 5, false],
    ['; ls', "bash: syntax error near unexpected token ';'", 0, false],
    ['ls ;; ls', "bash: syntax error near unexpected token ';;'", 3, false],
    ['&& ls', "bash: syntax error near unexpected token '&&'", 0, false],
    ['echo >', "bash: syntax error near unexpected token 'newline'", 6, false],
    ['echo > | x', "bash: syntax error near unexpected token '|'", 7, false],
    ['echo )', "bash: syntax error near unexpected token ')'", 5, false],
    ['ls |', 'bash: syntax error: unexpected end of file', 4, true],
    ['ls &&', 'bash: syntax error: unexpected end of file', 5, true],
    [`echo "abc`, `bash: unexpected EOF while looking for matching '"'`, 5, true],
    [`echo 'abc`, `bash: unexpected EOF while looking for matching "'"`, 5, true],
    ['echo ${HOME', "bash: unexpected EOF while looking for matching '}'", 5, true],
    ['echo ${A:-b}', 'bash: ${A:-b}: bad substitution', 5, false],
    ['sleep 1 &', "bash: background jobs ('&') are not supported here; run the command without '&'", 8, false],
    ['cat <<EOF', 'bash: here-documents (<<) are not supported here; write the text to a file and use < FILE', 4, false],
    ['echo $(pip freeze)', 'bash: command substitution ($(...) and `...`) is not supported here; run the command on its own line first', 5, false],
    ['(cd x)', "bash: subshells ('( ... )') are not supported here", 0, false],
  ])('%s', (line, reason, start, incomplete) => {
    const error = parseError(line);
    expect(error.reason).toBe(reason);
    expect(error.code).toBe('shell-syntax');
    expect(error.start).toBe(start);
    expect(error.incomplete).toBe(incomplete);
  });

  test('the message shows the line and a caret under the token', () => {
    expect(parseError('pip freeze | | grep x').message).toBe(
      ["bash: syntax error near unexpected token '|'", '    pip freeze | | grep x', '                 ^'].join('\n'),
    );
  });
});
