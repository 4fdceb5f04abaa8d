import { beforeEach, describe, expect, test } from 'vitest';
import type { Shell } from '../../../src/shell';
import { newShell, readFile, run, writeFile, type TestHost } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
});

describe('ls', () => {
  beforeEach(() => {
    for (const f of ['requirements.txt', 'README.md', 'app.py', '.env']) writeFile(host, `/home/user/${f}`, 'x'.repeat(12));
    host.fs.mkdirp('/home/user/src/pkg');
    host.fs.mkdirp('/home/user/.venv');
    host.fs.writeFile('/home/user/run.sh', new TextEncoder().encode('echo hi\n'), { executable: true });
  });

  test('columns at the terminal, one per line into a pipe; names in locale order', async () => {
    host.width = 40;
    expect((await run(shell, 'ls')).stdout).toBe('app.py     requirements.txt  src\nREADME.md  run.sh\n');
    host.width = 80;
    expect((await run(shell, 'ls')).stdout).toBe('app.py  README.md  requirements.txt  run.sh  src\n');
    expect((await run(shell, 'ls | cat')).stdout).toBe('app.py\nREADME.md\nrequirements.txt\nrun.sh\nsrc\n');
    expect((await run(shell, 'ls -1')).stdout).toBe('app.py\nREADME.md\nrequirements.txt\nrun.sh\nsrc\n');
  });

  test('-a shows dot files with . and ..; -A without them', async () => {
    expect((await run(shell, 'ls -a1')).stdout).toBe('.\n..\napp.py\n.env\nREADME.md\nrequirements.txt\nrun.sh\nsrc\n.venv\n');
    expect((await run(shell, 'ls -A | head -n 2')).stdout).toBe('app.py\n.env\n');
  });

  test('-F marks directories with / and executables with *; -p only directories', async () => {
    expect((await run(shell, 'ls -F')).stdout).toBe('app.py  README.md  requirements.txt  run.sh*  src/\n');
    expect((await run(shell, 'ls -p -1 src')).stdout).toBe('pkg/\n');
  });

  test('-l: mode, links, owner, size, UTC time, total', async () => {
    expect((await run(shell, 'ls -l')).stdout).toBe(
      [
        'total 20',
        '-rw-r--r-- 1 user user   12 Jan  2 15:04 app.py',
        '-rw-r--r-- 1 user user   12 Jan  2 15:04 README.md',
        '-rw-r--r-- 1 user user   12 Jan  2 15:04 requirements.txt',
        '-rwxr-xr-x 1 user user    8 Jan  2 15:04 run.sh',
        'drwxr-xr-x 3 user user 4096 Jan  2 15:04 src',
        '',
      ].join('\n'),
    );
    expect((await run(shell, 'ls -lh src')).stdout).toBe('total 4.0K\ndrwxr-xr-x 2 user user 4.0K Jan  2 15:04 pkg\n');
  });

  test('files and directories as operands, with headers; -d lists the directory itself', async () => {
    expect((await run(shell, 'ls app.py src ~/src')).stdout).toBe('app.py\n\n/home/user/src:\npkg\n\nsrc:\npkg\n');
    expect((await run(shell, 'ls -d src')).stdout).toBe('src\n');
    expect((await run(shell, 'ls src/pkg')).stdout).toBe('');
  });

  test("a missing path: ls: cannot access 'x': No such file or directory, status 2", async () => {
    expect(await run(shell, 'ls nope app.py')).toMatchObject({ status: 2, stdout: 'app.py\n', stderr: "ls: cannot access 'nope': No such file or directory\n" });
    expect(await run(shell, 'ls -z')).toMatchObject({ status: 2, stderr: "ls: invalid option -- 'z'\nTry 'ls --help' for more information.\n" });
  });

  test('names with spaces are quoted at the terminal, the others indented by one (coreutils 9.1)', async () => {
    writeFile(host, '/home/user/src/my file.txt', '');
    expect((await run(shell, 'ls src')).stdout).toBe("'my file.txt'   pkg\n");
    expect((await run(shell, 'ls -l src')).stdout).toMatch(/ 'my file\.txt'\n.* {2}pkg\n$/);
    expect((await run(shell, 'ls src | cat')).stdout).toBe('my file.txt\npkg\n');
  });

  test('control characters in names: shell-escape quoting at the terminal, as coreutils', async () => {
    writeFile(host, '/home/user/names/a\x1b[2Jb', '');
    writeFile(host, '/home/user/names/plain', '');
    expect((await run(shell, 'ls names')).stdout).toBe("'a'$'\\033''[2Jb'   plain\n");
    expect(await run(shell, 'cat names/x\x1b[31m')).toMatchObject({ status: 1, stderr: "cat: 'names/x'$'\\033''[31m': No such file or directory\n" });
  });
});

describe('cd and pwd', () => {
  beforeEach(() => {
    host.fs.mkdirp('/home/user/project/src');
    writeFile(host, '/home/user/notes.txt', '');
  });

  test('relative, .., absolute, ~, no argument, and - (which prints)', async () => {
    expect((await run(shell, 'cd project/src && pwd')).stdout).toBe('/home/user/project/src\n');
    expect((await run(shell, 'cd ../.. && pwd')).stdout).toBe('/home/user\n');
    expect((await run(shell, 'cd /tmp 2>/dev/null || cd / && pwd')).stdout).toBe('/\n');
    expect((await run(shell, 'cd ~/project && pwd')).stdout).toBe('/home/user/project\n');
    expect((await run(shell, 'cd && pwd')).stdout).toBe('/home/user\n');
    expect((await run(shell, 'cd -')).stdout).toBe('/home/user/project\n');
    expect((await run(shell, 'echo $PWD $OLDPWD')).stdout).toBe('/home/user/project /home/user\n');
  });

  test('errors in bash words', async () => {
    expect(await run(shell, 'cd nope')).toMatchObject({ status: 1, stderr: 'bash: cd: nope: No such file or directory\n' });
    expect(await run(shell, 'cd notes.txt')).toMatchObject({ status: 1, stderr: 'bash: cd: notes.txt: Not a directory\n' });
    expect(await run(shell, 'cd a b')).toMatchObject({ status: 1, stderr: 'bash: cd: too many arguments\n' });
    expect(shell.cwd).toBe('/home/user');
  });
});

describe('cat, echo, touch, mkdir, rm', () => {
  test('cat: files in order, - for stdin, -n numbers lines; errors go on', async () => {
    writeFile(host, '/home/user/a', 'A\n');
    writeFile(host, '/home/user/b', 'B');
    host.fs.mkdirp('/home/user/d');
    expect((await run(shell, 'cat a b')).stdout).toBe('A\nB');
    expect((await run(shell, 'echo mid | cat a - b')).stdout).toBe('A\nmid\nB');
    expect((await run(shell, 'cat -n a b')).stdout).toBe('     1\tA\n     2\tB');
    expect(await run(shell, 'cat nope d a')).toMatchObject({ status: 1, stdout: 'A\n', stderr: 'cat: nope: No such file or directory\ncat: d: Is a directory\n' });
  });

  test('echo: arguments joined by one space; -n, -e; other dashes are text', async () => {
    expect((await run(shell, 'echo  a   b')).stdout).toBe('a b\n');
    expect((await run(shell, 'echo -n a')).stdout).toBe('a');
    expect((await run(shell, "echo -e 'a\\tb\\n'")).stdout).toBe('a\tb\n\n');
    expect((await run(shell, "echo 'a\\tb'")).stdout).toBe('a\\tb\n');
    expect((await run(shell, 'echo -x -n')).stdout).toBe('-x -n\n');
    expect((await run(shell, 'echo')).stdout).toBe('\n');
  });

  test('touch creates empty files and keeps existing content', async () => {
    writeFile(host, '/home/user/keep', 'data');
    expect(await run(shell, 'touch new keep')).toMatchObject({ status: 0 });
    expect(readFile(host, '/home/user/new')).toBe('');
    expect(readFile(host, '/home/user/keep')).toBe('data');
    expect(await run(shell, 'touch x/y')).toMatchObject({ status: 1, stderr: "touch: cannot touch 'x/y': No such file or directory\n" });
    expect((await run(shell, 'touch')).stderr).toBe("touch: missing file operand\nTry 'touch --help' for more information.\n");
  });

  test('mkdir and mkdir -p, with GNU’s messages', async () => {
    expect(await run(shell, 'mkdir a && mkdir -p b/c/d && mkdir -p b/c')).toMatchObject({ status: 0, stderr: '' });
    expect(host.fs.isDirectory('/home/user/a') && host.fs.isDirectory('/home/user/b/c/d')).toBe(true);
    expect(await run(shell, 'mkdir a')).toMatchObject({ status: 1, stderr: "mkdir: cannot create directory 'a': File exists\n" });
    expect(await run(shell, 'mkdir x/y')).toMatchObject({ status: 1, stderr: "mkdir: cannot create directory 'x/y': No such file or directory\n" });
    writeFile(host, '/home/user/f', '');
    expect(await run(shell, 'mkdir -p f/x')).toMatchObject({ status: 1, stderr: "mkdir: cannot create directory 'f': Not a directory\n" });
    expect((await run(shell, 'mkdir')).stderr).toBe("mkdir: missing operand\nTry 'mkdir --help' for more information.\n");
  });

  test('rm, rm -r, rm -f, rm -rf, and the guards', async () => {
    writeFile(host, '/home/user/f', '');
    writeFile(host, '/home/user/d/e/g.txt', '');
    expect(await run(shell, 'rm d')).toMatchObject({ status: 1, stderr: "rm: cannot remove 'd': Is a directory\n" });
    expect(await run(shell, 'rm nope')).toMatchObject({ status: 1, stderr: "rm: cannot remove 'nope': No such file or directory\n" });
    expect(await run(shell, 'rm -f nope')).toMatchObject({ status: 0, stderr: '' });
    expect(await run(shell, 'rm f && rm -r d')).toMatchObject({ status: 0, stderr: '' });
    expect(host.fs.exists('/home/user/f') || host.fs.exists('/home/user/d')).toBe(false);
    writeFile(host, '/home/user/d2/x', '');
    expect(await run(shell, 'rm -rf d2 missing')).toMatchObject({ status: 0 });
    expect(host.fs.exists('/home/user/d2')).toBe(false);
    expect(await run(shell, 'rm -rf /')).toMatchObject({ status: 1, stderr: "rm: it is dangerous to operate recursively on '/'\nrm: use --no-preserve-root to override this failsafe\n" });
    expect(await run(shell, 'rm -r .')).toMatchObject({ status: 1, stderr: "rm: refusing to remove '.' or '..' directory: skipping '.'\n" });
    expect(host.fs.exists('/home/user')).toBe(true);
    expect((await run(shell, 'rm')).stderr).toBe("rm: missing operand\nTry 'rm --help' for more information.\n");
  });
});

describe('grep', () => {
  beforeEach(() => {
    writeFile(host, '/home/user/req.txt', 'requests==2.32.3\n-e git+https://x/y.git#egg=y\nidna==3.10\nRequests-OAuthlib==2.0\n');
  });

  test('plain, -v, -i, -c, -n', async () => {
    expect((await run(shell, 'grep requests req.txt')).stdout).toBe('requests==2.32.3\n');
    expect((await run(shell, 'grep -i requests req.txt')).stdout).toBe('requests==2.32.3\nRequests-OAuthlib==2.0\n');
    expect((await run(shell, "grep -v '^-e' req.txt")).stdout).toBe('requests==2.32.3\nidna==3.10\nRequests-OAuthlib==2.0\n');
    expect((await run(shell, 'grep -c == req.txt')).stdout).toBe('3\n');
    expect((await run(shell, 'grep -n idna req.txt')).stdout).toBe('3:idna==3.10\n');
    expect((await run(shell, 'grep -vic REQUESTS req.txt')).stdout).toBe('2\n');
  });

  test('basic and extended regular expressions', async () => {
    expect((await run(shell, "grep '^[a-z]*==' req.txt")).stdout).toBe('requests==2.32.3\nidna==3.10\n');
    expect((await run(shell, "grep 'a|b' req.txt")).status).toBe(1); // | is literal in basic syntax
    expect((await run(shell, "grep -E '^(idna|requests)==' req.txt")).stdout).toBe('requests==2.32.3\nidna==3.10\n');
    expect((await run(shell, "grep 'idna\\|requests' req.txt")).stdout).toBe('requests==2.32.3\nidna==3.10\n');
    expect((await run(shell, "grep '[[:upper:]]' req.txt")).stdout).toBe('Requests-OAuthlib==2.0\n');
    expect((await run(shell, "grep -E '^[a-z]+==[0-9]+\\.[0-9]+$' req.txt")).stdout).toBe('idna==3.10\n');
    expect((await run(shell, "grep 'e\\{2\\}' req.txt")).status).toBe(1);
    expect((await run(shell, "grep -F '.32.' req.txt")).stdout).toBe('requests==2.32.3\n');
    expect((await run(shell, "grep -x 'idna==3.10' req.txt")).stdout).toBe('idna==3.10\n');
    expect((await run(shell, 'grep -w idn req.txt')).status).toBe(1);
    expect((await run(shell, "grep -o '[0-9.]*$' req.txt")).stdout).toBe('2.32.3\n3.10\n2.0\n');
  });

  test('stdin, several files, exit statuses, errors', async () => {
    writeFile(host, '/home/user/b.txt', 'idna\n');
    expect((await run(shell, 'cat req.txt | grep -c =')).stdout).toBe('4\n');
    expect((await run(shell, 'grep idna req.txt b.txt')).stdout).toBe('req.txt:idna==3.10\nb.txt:idna\n');
    expect((await run(shell, 'grep -l idna req.txt b.txt')).stdout).toBe('req.txt\nb.txt\n');
    expect(await run(shell, 'grep -q idna req.txt')).toMatchObject({ status: 0, stdout: '' });
    expect(await run(shell, 'grep zzz req.txt')).toMatchObject({ status: 1, stdout: '' });
    expect(await run(shell, 'grep idna nope')).toMatchObject({ status: 2, stderr: 'grep: nope: No such file or directory\n' });
    expect(await run(shell, "grep -E '(' req.txt")).toMatchObject({ status: 2, stderr: 'grep: Unmatched ( or \\(\n' });
    expect(await run(shell, 'grep')).toMatchObject({ status: 2, stderr: "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n" });
    expect((await run(shell, 'grep -e idna -e requests req.txt')).stdout).toBe('requests==2.32.3\nidna==3.10\n');
  });
});

describe('head and cut', () => {
  beforeEach(() => {
    writeFile(host, '/home/user/n.txt', Array.from({ length: 12 }, (_, i) => `line${i + 1}`).join('\n') + '\n');
  });

  test('head: 10 by default, -n N, -N, several files with headers', async () => {
    expect((await run(shell, 'head n.txt')).stdout.split('\n')).toHaveLength(11);
    expect((await run(shell, 'head -n 2 n.txt')).stdout).toBe('line1\nline2\n');
    expect((await run(shell, 'head -3 n.txt | head -n1')).stdout).toBe('line1\n');
    expect((await run(shell, 'head -n1 n.txt n.txt')).stdout).toBe('==> n.txt <==\nline1\n\n==> n.txt <==\nline1\n');
    expect(await run(shell, 'head -n x n.txt')).toMatchObject({ status: 1, stderr: "head: invalid number of lines: 'x'\n" });
    expect(await run(shell, 'head nope')).toMatchObject({ status: 1, stderr: "head: cannot open 'nope' for reading: No such file or directory\n" });
    expect((await run(shell, 'echo -n abc | head -n 1')).stdout).toBe('abc');
  });

  test('cut: -d -f with lists and ranges, -c, -s, lines without the delimiter', async () => {
    expect((await run(shell, "echo 'requests==2.32.3' | cut -d = -f 1")).stdout).toBe('requests\n');
    expect((await run(shell, "echo 'a:b:c:d' | cut -d: -f2,4")).stdout).toBe('b:d\n');
    expect((await run(shell, "echo 'a:b:c:d' | cut -d : -f 2-")).stdout).toBe('b:c:d\n');
    expect((await run(shell, "echo 'a:b:c:d' | cut -d : -f -2")).stdout).toBe('a:b\n');
    expect((await run(shell, "echo -e 'a\\tb' | cut -f 2")).stdout).toBe('b\n');
    expect((await run(shell, "echo 'nodelim' | cut -d = -f 2")).stdout).toBe('nodelim\n');
    expect((await run(shell, "echo 'nodelim' | cut -s -d = -f 2")).stdout).toBe('');
    expect((await run(shell, 'echo abcdef | cut -c 2-4')).stdout).toBe('bcd\n');
  });

  test('cut: GNU’s usage errors', async () => {
    const usage = (m: string): string => `cut: ${m}\nTry 'cut --help' for more information.\n`;
    expect(await run(shell, 'echo | cut')).toMatchObject({ status: 1, stderr: usage('you must specify a list of bytes, characters, or fields') });
    expect((await run(shell, 'echo | cut -d ab -f 1')).stderr).toBe(usage('the delimiter must be a single character'));
    expect((await run(shell, 'echo | cut -f 0')).stderr).toBe(usage('fields are numbered from 1'));
    expect((await run(shell, 'echo | cut -f x')).stderr).toBe(usage("invalid field value 'x'"));
  });
});

describe('xargs', () => {
  test('echo by default; -n splits runs; quotes group', async () => {
    expect((await run(shell, 'echo a b c | xargs')).stdout).toBe('a b c\n');
    expect((await run(shell, 'echo a b c | xargs -n 2 echo x')).stdout).toBe('x a b\nx c\n');
    expect((await run(shell, `echo "'a b' c" | xargs -n1`)).stdout).toBe('a b\nc\n');
    expect((await run(shell, 'echo "a\nb" | xargs -I {} echo [{}]')).stdout).toBe('[a]\n[b]\n');
    expect((await run(shell, 'echo "a b\nc" | xargs -L 1 echo')).stdout).toBe('a b\nc\n');
    expect((await run(shell, 'echo a,b | xargs -d , -n1 echo')).stdout).toBe('a\nb\n\n');
  });

  test('statuses: 123 when a run fails, 127 when the command is missing; unmatched quotes', async () => {
    expect((await run(shell, 'echo a b | xargs -n1 false')).status).toBe(123);
    expect(await run(shell, 'echo a | xargs frob')).toMatchObject({ status: 127, stderr: 'xargs: frob: No such file or directory\n' });
    expect(await run(shell, `echo "'a" | xargs`)).toMatchObject({
      status: 1,
      stderr: 'xargs: unmatched single quote; by default quotes are special to xargs unless you use the -0 option\n',
    });
  });

  test('the command’s options are its own (-U goes to pip)', async () => {
    await run(shell, 'echo x | xargs -t -n1 pip install -U');
    expect(host.calls[0]!.argv).toEqual(['install', '-U', 'x']);
  });
});

describe('session builtins', () => {
  test('export, unset, env', async () => {
    expect(await run(shell, 'export A=1 B="two words"')).toMatchObject({ status: 0 });
    expect((await run(shell, 'env | grep -E "^(A|B)="')).stdout).toBe('A=1\nB=two words\n');
    expect((await run(shell, 'export | grep " B="')).stdout).toBe('declare -x B="two words"\n');
    await run(shell, 'unset A');
    expect((await run(shell, 'echo "[$A]"; env | grep -c "^A="')).stdout).toBe('[]\n0\n');
    expect(await run(shell, 'export 1x=2')).toMatchObject({ status: 1, stderr: "bash: export: '1x=2': not a valid identifier\n" });
  });

  test('which: builtins, the host’s pip and python, files on PATH, not found', async () => {
    writeFile(host, '/usr/bin/tool', '');
    const r = await run(shell, 'which cd pip python3 tool frob');
    expect(r).toMatchObject({
      status: 1,
      stdout: "cd: shell built-in command\npip: Pipette's own pip (the active environment's)\npython3: Pipette's own python (the active environment's)\n/usr/bin/tool\n",
      stderr: 'frob not found\n',
    });
  });

  test('history lists and clears; help; clear; true; false', async () => {
    await run(shell, 'echo one');
    await run(shell, 'echo two');
    expect((await run(shell, 'history')).stdout).toBe('    1  echo one\n    2  echo two\n    3  history\n');
    expect((await run(shell, 'history 1')).stdout).toBe('    4  history 1\n');
    await run(shell, 'history -c');
    expect(shell.history.entries).toEqual([]);
    expect((await run(shell, 'help')).stdout).toContain('pip COMMAND [OPTIONS]');
    await run(shell, 'clear');
    expect(host.cleared).toBe(1);
    expect((await run(shell, 'true')).status).toBe(0);
    expect((await run(shell, 'false')).status).toBe(1);
  });
});
