/**
 * The shell over a real Pyodide filesystem: what the shell writes, Python reads, and the other
 * way round. The ShellFs is PyodideFs itself (the installer's adapter, whose `stat` feeds
 * `ls -l`); python runs in the real interpreter, in the shell's working directory.
 */
import { beforeAll, expect, test } from 'vitest';
import type { PyodideAPI } from 'pyodide';
import { bootPyodide } from '../../../src/runtime/boot';
import { PyodideFs } from '../../../src/runtime/pyodide-fs';
import { Shell, type ShellFs } from '../../../src/shell';
import { run, TestHost } from '../../unit/shell/test-host';

let py: PyodideAPI;
let host: TestHost;
let shell: Shell;

beforeAll(async () => {
  py = await bootPyodide();
  const fs: ShellFs = new PyodideFs(py);
  host = new TestHost(fs);
  // python -c runs in the interpreter, in the shell's directory, printing to the command's stdout.
  host.pythonProgram = (invocation, ctx) => {
    if (invocation.kind !== 'code') return 2;
    py.setStdout({ batched: (line) => ctx.stdout(`${line}\n`) });
    try {
      py.runPython(`import os; os.chdir(${JSON.stringify(ctx.cwd)})\n${invocation.code}`);
      return 0;
    } finally {
      py.setStdout({});
    }
  };
  shell = new Shell(host);
}, 60_000);

test('echo hi > a.txt && cat a.txt, and Python reads the same file', async () => {
  expect(await run(shell, 'echo hi > a.txt && cat a.txt')).toMatchObject({ status: 0, stdout: 'hi\n', stderr: '' });
  expect(py.runPython('open("/home/user/a.txt").read()')).toBe('hi\n');
  expect((await run(shell, `python -c 'print(open("a.txt").read().upper(), end="")'`)).stdout).toBe('HI\n');
  await run(shell, 'echo more >> a.txt');
  expect(py.runPython('open("/home/user/a.txt").read()')).toBe('hi\nmore\n');
});

test('mkdir -p x/y && ls x; ls -l sees sizes and kinds from the real FS', async () => {
  expect(await run(shell, 'mkdir -p x/y && ls x')).toMatchObject({ status: 0, stdout: 'y\n' });
  expect(py.runPython('import os; os.path.isdir("/home/user/x/y")')).toBe(true);
  py.runPython('open("/home/user/x/data.bin", "wb").write(b"0123456789")');
  const long = (await run(shell, 'ls -l x')).stdout.split('\n');
  expect(long[0]).toBe('total 8');
  expect(long[1]).toMatch(/^-rw-r--r-- 1 user user   10 \w{3} [ \d]\d \d\d:\d\d data\.bin$/);
  expect(long[2]).toMatch(/^drwxr-xr-x 2 user user 4096 .* y$/);
});

test('globs, pipes, cd and rm -r on the real FS', async () => {
  py.runPython('import os\nfor n in ("r1.txt", "r2.txt", "s.py"): open(f"/home/user/x/{n}", "w").write(n + "\\n")');
  expect((await run(shell, 'cd x && cat r*.txt | grep -c txt && cd ..')).stdout).toBe('2\n');
  expect(await run(shell, 'rm -r x && ls x')).toMatchObject({ status: 2, stderr: "ls: cannot access 'x': No such file or directory\n" });
  expect(py.runPython('import os; os.path.exists("/home/user/x")')).toBe(false);
});

test('Python’s files show up in completion', async () => {
  py.runPython('open("/home/user/requirements.txt", "w").write("idna\\n")');
  expect(await shell.complete('pip install -r req')).toEqual({ replaceFrom: 15, candidates: ['requirements.txt'] });
});
