import { beforeEach, describe, expect, test } from 'vitest';
import type { Shell } from '../../../src/shell';
import { newShell, run, writeFile, type TestHost } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
  for (const f of ['a.txt', 'b.txt', 'c.py', '.hidden.txt', 'src/x.py', 'src/y.py', 'my file.txt']) writeFile(host, `/home/user/${f}`, f);
});

describe('variables', () => {
  test('$VAR, ${VAR}, quoted and not; unset is empty', async () => {
    await run(shell, 'X=hello');
    expect((await run(shell, 'echo $X ${X}world "$X" \'$X\' $NOPE.')).stdout).toBe('hello helloworld hello $X .\n');
  });

  test('the environment the session starts with, and HOME/USER/PWD/PATH', async () => {
    expect((await run(shell, 'echo $HOME $USER $PWD $PATH')).stdout).toBe('/home/user user /home/user /usr/local/bin:/usr/bin:/bin\n');
  });

  test('unquoted values split into arguments; quoted ones stay whole', async () => {
    await run(shell, 'X="  a  b   c "');
    await run(shell, 'pip install $X "$X" a$X"b"');
    expect(host.calls[0]!.argv).toEqual(['install', 'a', 'b', 'c', '  a  b   c ', 'a', 'a', 'b', 'c', 'b']);
  });

  test('an unquoted empty value is no argument; a quoted one is an empty argument', async () => {
    await run(shell, 'pip install $EMPTY "$EMPTY" ""');
    expect(host.calls[0]!.argv).toEqual(['install', '', '']);
  });

  test('$? is the last status', async () => {
    expect((await run(shell, 'false; echo $?; true; echo $?')).stdout).toBe('1\n0\n');
    expect((await run(shell, 'frob 2>/dev/null; echo $?')).stdout).toBe('127\n');
  });

  test('NAME=value before a command is in that command’s environment only', async () => {
    await run(shell, 'PIP_NO_CACHE_DIR=1 pip list');
    expect(host.calls[0]!.env.PIP_NO_CACHE_DIR).toBe('1');
    expect((await run(shell, 'echo "[$PIP_NO_CACHE_DIR]"')).stdout).toBe('[]\n');
  });

  test('a plain assignment is not exported until export', async () => {
    await run(shell, 'PIP_INDEX_URL=http://127.0.0.1/simple');
    await run(shell, 'pip config list');
    expect(host.calls[0]!.env.PIP_INDEX_URL).toBeUndefined();
    await run(shell, 'export PIP_INDEX_URL');
    await run(shell, 'pip config list');
    expect(host.calls[1]!.env.PIP_INDEX_URL).toBe('http://127.0.0.1/simple');
  });
});

describe('tilde', () => {
  test('~ and ~/x are HOME; quoted or inside a word they stay', async () => {
    expect((await run(shell, 'echo ~ ~/src "~" a~b')).stdout).toBe('/home/user /home/user/src ~ a~b\n');
  });
});

describe('pathname expansion', () => {
  test('* ? [..] match names, sorted; hidden files only with a leading dot', async () => {
    expect((await run(shell, 'echo *.txt')).stdout).toBe('a.txt b.txt my file.txt\n');
    expect((await run(shell, 'echo ?.py src/*.py')).stdout).toBe('c.py src/x.py src/y.py\n');
    expect((await run(shell, 'echo [ab].txt [!a].txt')).stdout).toBe('a.txt b.txt b.txt\n');
    expect((await run(shell, 'echo .*.txt')).stdout).toBe('.hidden.txt\n');
    expect((await run(shell, 'echo */')).stdout).toBe('src/\n');
  });

  test('a pattern matching nothing stays as typed; quoted characters are not wild', async () => {
    expect((await run(shell, 'echo *.whl "*.txt" \\*.txt')).stdout).toBe('*.whl *.txt *.txt\n');
  });

  test('a file name with a space from a glob stays one argument', async () => {
    await run(shell, 'pip install my*');
    expect(host.calls[0]!.argv).toEqual(['install', 'my file.txt']);
  });

  test('absolute patterns', async () => {
    expect((await run(shell, 'echo /home/user/src/*')).stdout).toBe('/home/user/src/x.py /home/user/src/y.py\n');
  });
});
