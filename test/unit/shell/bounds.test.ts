/**
 * The shell's bounds and what it prints of names: `source` nesting, commands given as argv
 * (never parsed), errors thrown as objects, control characters in names and prompts.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { hasTerminalControls } from '../../../src/pep';
import { Shell } from '../../../src/shell';
import { newShell, run, TestHost, writeFile } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
});

describe('source nesting', () => {
  test('a file that sources itself stops at the limit with bash’s message, and Ctrl+C listeners do not pile up', async () => {
    writeFile(host, '/home/user/self.sh', 'echo once >> count.txt\nsource self.sh\n');
    const r = await run(shell, 'source self.sh');
    expect(r).toMatchObject({ status: 1, stderr: 'bash: self.sh: maximum source nesting level exceeded (100)\n' });
    // 100 files deep ran, the 101st was refused.
    expect((await run(shell, 'grep -c once count.txt')).stdout).toBe('100\n');
  });

  test('a sourced file may source others up to the limit; the depth resets after each line', async () => {
    writeFile(host, '/home/user/a.sh', 'source b.sh\n');
    writeFile(host, '/home/user/b.sh', 'echo deep\n');
    expect(await run(shell, 'source a.sh')).toMatchObject({ status: 0, stdout: 'deep\n' });
    writeFile(host, '/home/user/self.sh', 'source self.sh\n');
    await run(shell, 'source self.sh');
    expect(await run(shell, 'source a.sh')).toMatchObject({ status: 0, stdout: 'deep\n' });
  });
});

describe('runArgv: a command given as argv', () => {
  test('is never parsed: `;`, `$`, globs and quotes in a word stay in that word', async () => {
    const name = 'requirements.txt; rm -rf ~; echo $HOME *.txt';
    const r = await shell.runArgv(['pip', 'install', '-r', name], { stdout: () => undefined, stderr: () => undefined });
    expect(r.status).toBe(0);
    expect(host.calls.map((c) => [c.program, c.argv])).toEqual([['pip', ['install', '-r', name]]]);
  });

  test('is recorded in the history as the line that would run it', async () => {
    await shell.runArgv(['python', '/home/user/my file.py'], { stdout: () => undefined, stderr: () => undefined });
    expect(shell.history.entries.at(-1)).toBe("python ~/'my file.py'");
  });

  test('a builtin runs too, with the same streams', async () => {
    let out = '';
    const r = await shell.runArgv(['echo', 'a;b', '$X'], { stdout: (t) => void (out += t), stderr: () => undefined });
    expect(r.status).toBe(0);
    expect(out).toBe('a;b $X\n');
  });
});

describe('errors and names', () => {
  test('an error thrown as a plain object (Emscripten ErrnoError) is its errno text, never [object Object]', async () => {
    host.pipProgram = () => {
      throw { name: 'ErrnoError', errno: 138 };
    };
    expect(await run(shell, 'pip list')).toMatchObject({ status: 1, stderr: 'pip: Operation not supported\n' });
  });

  test('control characters in names are quoted as bash and coreutils quote them', async () => {
    expect((await run(shell, "cd 'a\x1bb'")).stderr).toBe("bash: cd: 'a'$'\\033''b': No such file or directory\n");
    expect((await run(shell, "rm 'x\x07'")).stderr).toBe("rm: cannot remove 'x'$'\\007': No such file or directory\n");
    expect((await run(shell, "source 'x\x9b'")).stderr).toBe("bash: 'x'$'\\302\\233': No such file or directory\n");
    expect((await run(shell, "cat < 'r\x1b'")).stderr).toBe("bash: 'r'$'\\033': No such file or directory\n");
    expect((await run(shell, "head 'h\x1b'")).stderr).toBe("head: cannot open 'h'$'\\033' for reading: No such file or directory\n");
  });

  test('the prompt shows a directory name with control characters escaped', async () => {
    host.fs.mkdirp('/home/user/evil\x1b[2J');
    await run(shell, "cd 'evil\x1b[2J'");
    expect(shell.prompt()).toBe('user@pipette:~/evil\\x1b[2J$ ');
    expect(hasTerminalControls(shell.prompt())).toBe(false);
  });

  test('completion does not offer a name with a control character', async () => {
    writeFile(host, '/home/user/req\x1b[2J.txt', '');
    writeFile(host, '/home/user/requirements.txt', '');
    expect((await shell.complete('cat req')).candidates).toEqual(['requirements.txt']);
  });
});
