import { beforeEach, describe, expect, test } from 'vitest';
import { History, Shell, type PythonInvocation } from '../../../src/shell';
import { newShell, readFile, run, TestHost, writeFile } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
});

describe('unknown commands and syntax errors', () => {
  test('bash: frob: command not found, status 127; the rest of the line goes on', async () => {
    expect(await run(shell, 'frob x; echo after')).toMatchObject({ status: 0, stdout: 'after\n', stderr: 'bash: frob: command not found\n' });
    expect((await run(shell, 'frob')).status).toBe(127);
    expect(await run(shell, './nope')).toMatchObject({ status: 127, stderr: 'bash: ./nope: No such file or directory\n' });
    writeFile(host, '/home/user/d/x', '');
    expect(await run(shell, './d')).toMatchObject({ status: 126, stderr: 'bash: ./d: Is a directory\n' });
  });

  test('a syntax error runs nothing, prints bash’s message with a caret, status 2', async () => {
    const r = await run(shell, 'echo a | | echo b');
    expect(r).toMatchObject({ status: 2, stdout: '' });
    expect(r.stderr).toBe("bash: syntax error near unexpected token '|'\n    echo a | | echo b\n             ^\n");
    expect(shell.lastStatus).toBe(2);
  });

  test('a host command that throws is reported, and the shell carries on', async () => {
    host.pipProgram = () => {
      throw new Error('worker crashed');
    };
    expect(await run(shell, 'pip list; echo still here')).toMatchObject({ stdout: 'still here\n', stderr: 'pip: worker crashed\n' });
  });
});

describe('&&, || and ;', () => {
  test('&& runs on success, || on failure, ; always', async () => {
    expect((await run(shell, 'true && echo a; false && echo b; false || echo c; true || echo d; echo e')).stdout).toBe('a\nc\ne\n');
  });

  test('the status after a skipped command is the one that decided', async () => {
    expect(await run(shell, 'false && echo x')).toMatchObject({ status: 1, stdout: '' });
    expect(await run(shell, 'true || echo x')).toMatchObject({ status: 0, stdout: '' });
    expect((await run(shell, 'false && echo a || echo b')).stdout).toBe('b\n');
    expect((await run(shell, 'true || echo a && echo b')).stdout).toBe('b\n');
  });

  test('! inverts', async () => {
    expect((await run(shell, '! false && echo yes')).stdout).toBe('yes\n');
    expect((await run(shell, '! true')).status).toBe(1);
  });

  test('a pipeline’s status is its last command’s', async () => {
    expect((await run(shell, 'false | true')).status).toBe(0);
    expect((await run(shell, 'true | false')).status).toBe(1);
  });
});

describe('pipes and redirects', () => {
  test('each stage reads the previous one’s output', async () => {
    expect((await run(shell, 'echo "b\na\nc" | grep -v c | head -n 1')).stdout).toBe('b\n');
  });

  test('pip freeze > requirements.txt writes a real file; >> appends', async () => {
    host.pipProgram = (argv, ctx) => {
      if (argv[0] === 'freeze') ctx.stdout('idna==3.10\nrequests==2.32.3\n');
      return 0;
    };
    expect(await run(shell, 'pip freeze > requirements.txt')).toMatchObject({ status: 0, stdout: '', stderr: '' });
    expect(readFile(host, '/home/user/requirements.txt')).toBe('idna==3.10\nrequests==2.32.3\n');
    await run(shell, 'echo "# pinned" >> requirements.txt');
    expect(readFile(host, '/home/user/requirements.txt')).toBe('idna==3.10\nrequests==2.32.3\n# pinned\n');
    await run(shell, 'pip freeze > requirements.txt');
    expect(readFile(host, '/home/user/requirements.txt')).toBe('idna==3.10\nrequests==2.32.3\n');
    expect(host.calls.map((c) => c.argv)).toEqual([['freeze'], ['freeze']]);
  });

  test('pip install -r reads the file the shell wrote, in the same directory', async () => {
    await run(shell, 'echo requests > req.txt && pip install -r req.txt');
    expect(host.calls[0]).toMatchObject({ argv: ['install', '-r', 'req.txt'], cwd: '/home/user' });
    expect(readFile(host, '/home/user/req.txt')).toBe('requests\n');
  });

  test('> truncates before the command runs (cat a > a empties a)', async () => {
    writeFile(host, '/home/user/a', 'text\n');
    await run(shell, 'cat a > a');
    expect(readFile(host, '/home/user/a')).toBe('');
  });

  test('2> and 2>&1 and &> route stderr', async () => {
    host.pipProgram = (_argv, ctx) => {
      ctx.stdout('out\n');
      ctx.stderr('ERROR: err\n');
      return 1;
    };
    expect(await run(shell, 'pip install x 2> err.txt')).toMatchObject({ stdout: 'out\n', stderr: '', status: 1 });
    expect(readFile(host, '/home/user/err.txt')).toBe('ERROR: err\n');
    expect(await run(shell, 'pip install x > all.txt 2>&1')).toMatchObject({ stdout: '', stderr: '' });
    expect(readFile(host, '/home/user/all.txt')).toBe('out\nERROR: err\n');
    // Order matters: stderr was copied from the terminal before stdout moved.
    expect(await run(shell, 'pip install x 2>&1 > only-out.txt')).toMatchObject({ stdout: 'ERROR: err\n', stderr: '' });
    expect(readFile(host, '/home/user/only-out.txt')).toBe('out\n');
    expect(await run(shell, 'pip install x &> both.txt')).toMatchObject({ stdout: '', stderr: '' });
    expect(readFile(host, '/home/user/both.txt')).toBe('out\nERROR: err\n');
    expect((await run(shell, 'pip install x 2>&1 | grep ERROR')).stdout).toBe('ERROR: err\n');
    expect(await run(shell, 'pip install x 2>/dev/null')).toMatchObject({ stdout: 'out\n', stderr: '' });
    expect((await run(shell, 'echo to-stderr >&2')).stderr).toBe('to-stderr\n');
  });

  test('< feeds a file to stdin', async () => {
    writeFile(host, '/home/user/names', 'requests\nidna\n');
    expect((await run(shell, 'grep -c . < names')).stdout).toBe('2\n');
    expect(await run(shell, 'cat < missing')).toMatchObject({ status: 1, stderr: 'bash: missing: No such file or directory\n' });
  });

  test('a redirect that cannot open stops the command', async () => {
    expect(await run(shell, 'echo hi > nodir/x')).toMatchObject({ status: 1, stdout: '', stderr: 'bash: nodir/x: No such file or directory\n' });
    writeFile(host, '/home/user/d/f', '');
    expect(await run(shell, 'echo hi > d')).toMatchObject({ status: 1, stderr: 'bash: d: Is a directory\n' });
    expect(await run(shell, 'echo hi >&3')).toMatchObject({ status: 1, stderr: 'bash: 3: Bad file descriptor\n' });
    expect(await run(shell, 'echo hi > $NOPE')).toMatchObject({ status: 1, stderr: 'bash: : No such file or directory\n' });
  });

  test('a redirect alone creates the file; a variable names the target', async () => {
    await run(shell, 'OUT=log.txt; > $OUT');
    expect(readFile(host, '/home/user/log.txt')).toBe('');
  });
});

describe('the upgrade-all one-liner', () => {
  test('pip list --outdated --format=freeze | grep -v ^-e | cut -d = -f 1 | xargs -n1 pip install -U', async () => {
    host.pipProgram = (argv, ctx) => {
      if (argv.join(' ') === 'list --outdated --format=freeze') ctx.stdout('idna==3.7\n-e git+https://example.invalid/x.git#egg=x\nrequests==2.31.0\n');
      else ctx.stdout(`Successfully installed ${argv[2]}\n`);
      return 0;
    };
    const r = await run(shell, "pip list --outdated --format=freeze | grep -v '^-e' | cut -d = -f 1 | xargs -n1 pip install -U");
    expect(r).toMatchObject({ status: 0, stderr: '', stdout: 'Successfully installed idna\nSuccessfully installed requests\n' });
    expect(host.calls.map((c) => c.argv)).toEqual([
      ['list', '--outdated', '--format=freeze'],
      ['install', '-U', 'idna'],
      ['install', '-U', 'requests'],
    ]);
  });

  test('with nothing outdated, xargs still runs pip once (GNU xargs without -r), and pip says why it fails', async () => {
    host.pipProgram = (argv, ctx) => {
      if (argv[0] === 'install' && argv.length === 2) {
        ctx.stderr('ERROR: You must give at least one requirement to install (see "pip help install")\n');
        return 1;
      }
      return 0;
    };
    const r = await run(shell, 'pip list --outdated --format=freeze | cut -d = -f 1 | xargs -n1 pip install -U');
    expect(r.status).toBe(123);
    expect(host.calls.map((c) => c.argv)).toEqual([['list', '--outdated', '--format=freeze'], ['install', '-U']]);
    expect((await run(shell, 'echo -n | xargs -r pip install -U')).status).toBe(0);
    expect(host.calls).toHaveLength(2);
  });
});

describe('python', () => {
  const invocations = (): PythonInvocation[] => host.calls.filter((c) => c.program === 'python').map((c) => JSON.parse(c.argv[0]!) as PythonInvocation);

  test('-c, -m, a script, -, stdin, the REPL, --version', async () => {
    writeFile(host, '/home/user/hello.py', 'print("hi")\n');
    await run(shell, `python -c 'print(1)' a b`);
    await run(shell, 'python3 -B -m http.server 8000');
    await run(shell, 'python hello.py --loud');
    await run(shell, 'echo "print(2)" | python');
    await run(shell, 'python - x');
    await run(shell, 'python');
    await run(shell, 'python --version');
    expect(invocations()).toEqual([
      { kind: 'code', code: 'print(1)', args: ['a', 'b'], options: [] },
      { kind: 'module', module: 'http.server', args: ['8000'], options: ['-B'] },
      { kind: 'script', path: '/home/user/hello.py', args: ['--loud'], options: [] },
      { kind: 'stdin', args: [], options: [] },
      { kind: 'stdin', args: ['x'], options: [] },
      { kind: 'repl', options: [] },
      { kind: 'version' },
    ]);
    expect(host.calls.find((c) => c.stdin === 'print(2)\n')).toBeDefined();
  });

  test('python -m pip is pip', async () => {
    await run(shell, 'python -m pip install -U pip');
    expect(host.calls.map((c) => [c.program, c.argv])).toEqual([['pip', ['install', '-U', 'pip']]]);
  });

  test('usage errors in CPython’s words, status 2', async () => {
    const r = await run(shell, 'python -c');
    expect(r).toMatchObject({ status: 2, stdout: '' });
    expect(r.stderr).toBe("Argument expected for the -c option\nusage: python [option] ... [-c cmd | -m mod | file | -] [arg] ...\nTry `python -h' for more information.\n");
    expect((await run(shell, 'python -z')).stderr.split('\n')[0]).toBe('Unknown option: -z');
    expect(host.calls).toEqual([]);
  });
});

describe('venvs', () => {
  test('python -m venv, source bin/activate, the prompt, pip in the venv, deactivate', async () => {
    expect(shell.prompt()).toBe('user@pipette:~$ ');
    expect(await run(shell, 'python -m venv .venv')).toMatchObject({ status: 0, stderr: '' });
    expect(host.calls[0]).toMatchObject({ program: 'venv', argv: ['/home/user/.venv'] });
    expect(await run(shell, 'source .venv/bin/activate')).toMatchObject({ status: 0, stderr: '' });
    expect(shell.prompt()).toBe('(.venv) user@pipette:~$ ');
    expect((await run(shell, 'echo $VIRTUAL_ENV; which pip')).stdout).toBe('/home/user/.venv\n/home/user/.venv/bin/pip\n');
    await run(shell, 'pip install requests');
    expect(host.calls.at(-1)).toMatchObject({ program: 'pip', path: '/home/user/.venv/bin/pip', venv: '/home/user/.venv' });
    expect(host.calls.at(-1)!.env.PATH).toBe('/home/user/.venv/bin:/usr/local/bin:/usr/bin:/bin');
    expect(await run(shell, 'deactivate')).toMatchObject({ status: 0 });
    expect(shell.prompt()).toBe('user@pipette:~$ ');
    expect((await run(shell, 'echo "[$VIRTUAL_ENV]" $PATH')).stdout).toBe('[] /usr/local/bin:/usr/bin:/bin\n');
    expect(await run(shell, 'deactivate')).toMatchObject({ status: 127, stderr: 'bash: deactivate: command not found\n' });
  });

  test('. is source; --prompt names the venv; switching venvs keeps one bin on PATH', async () => {
    await run(shell, 'python -m venv --prompt demo a && python -m venv b');
    await run(shell, '. a/bin/activate');
    expect(shell.prompt()).toBe('(demo) user@pipette:~$ ');
    await run(shell, 'source b/bin/activate');
    expect(shell.prompt()).toBe('(b) user@pipette:~$ ');
    expect(shell.getVar('PATH')).toBe('/home/user/b/bin:/usr/local/bin:/usr/bin:/bin');
  });

  test('a venv’s pip or python by path acts on that venv without activating it', async () => {
    await run(shell, 'python -m venv env');
    await run(shell, 'env/bin/pip list; ./env/bin/python -m pip freeze');
    expect(host.calls.slice(1).map((c) => [c.program, c.path, c.argv])).toEqual([
      ['pip', '/home/user/env/bin/pip', ['list']],
      ['pip', '/home/user/env/bin/python', ['freeze']],
    ]);
  });

  test('venv usage errors are argparse’s', async () => {
    const r = await run(shell, 'python -m venv');
    expect(r.status).toBe(2);
    expect(r.stderr.endsWith('venv: error: the following arguments are required: ENV_DIR\n')).toBe(true);
  });

  test('a shell starting inside an active venv sets VIRTUAL_ENV and PATH', async () => {
    await run(shell, 'python -m venv v && source v/bin/activate');
    const again = new Shell(host);
    expect(again.getVar('VIRTUAL_ENV')).toBe('/home/user/v');
    expect(again.getVar('PATH')).toBe('/home/user/v/bin:/usr/local/bin:/usr/bin:/bin');
    expect(again.prompt()).toBe('(v) user@pipette:~$ ');
  });

  test('console scripts are found in the venv’s bin through PATH', async () => {
    await run(shell, 'python -m venv v && source v/bin/activate');
    writeFile(host, '/home/user/v/bin/black', '#!python\nfrom black import main\n');
    host.scriptProgram = (argv, ctx) => {
      ctx.stdout(`black ran with ${argv.slice(1).join(' ')}\n`);
      return 0;
    };
    expect(await run(shell, 'black --check .')).toMatchObject({ stdout: 'black ran with --check .\n', status: 0 });
    expect(host.calls.at(-1)).toMatchObject({ program: 'script', path: '/home/user/v/bin/black', argv: ['black', '--check', '.'] });
    await run(shell, 'deactivate');
    expect((await run(shell, 'black')).stderr).toBe('bash: black: command not found\n');
  });
});

describe('source runs shell files', () => {
  test('commands, variables and cd persist in this shell', async () => {
    writeFile(host, '/home/user/setup.sh', '# setup\nexport PIP_INDEX_URL=http://127.0.0.1:1/simple\nmkdir -p work\ncd work\n');
    expect(await run(shell, 'source setup.sh && pwd')).toMatchObject({ status: 0, stdout: '/home/user/work\n' });
    expect(shell.environment().PIP_INDEX_URL).toBe('http://127.0.0.1:1/simple');
    expect(await run(shell, 'source nope.sh')).toMatchObject({ status: 1, stderr: 'bash: nope.sh: No such file or directory\n' });
    expect((await run(shell, 'source')).status).toBe(2);
  });
});

describe('exit, history, the prompt', () => {
  test('exit stops the line and reports it', async () => {
    expect(await run(shell, 'echo a; exit 3; echo b')).toMatchObject({ status: 3, exit: true, stdout: 'a\n' });
    expect(await run(shell, 'false; exit')).toMatchObject({ status: 1, exit: true });
    expect(await run(shell, 'exit x')).toMatchObject({ status: 2, exit: true, stderr: 'bash: exit: x: numeric argument required\n' });
    expect(await run(shell, 'echo c')).toMatchObject({ exit: false });
  });

  test('every entered line is in the history, the prompt follows cd', async () => {
    const history = new History(['pip list']);
    const s = new Shell(host, { history, cwd: '/home/user' });
    writeFile(host, '/home/user/project/x', '');
    await run(s, 'cd project');
    expect(s.prompt()).toBe('user@pipette:~/project$ ');
    await run(s, 'cd /');
    expect(s.prompt()).toBe('user@pipette:/$ ');
    expect(history.entries).toEqual(['pip list', 'cd project', 'cd /']);
  });
});

describe('Ctrl+C', () => {
  test('aborting stops waiting for the running command: ^C, status 130, the rest of the line skipped', async () => {
    let sawAbort = false;
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    host.pipProgram = (_argv, ctx) =>
      new Promise<number>(() => {
        ctx.stdout('Collecting requests\n');
        ctx.signal.addEventListener('abort', () => (sawAbort = true));
        started(); // and never finishes by itself
      });
    const controller = new AbortController();
    const pending = run(shell, 'pip install requests && echo done; echo next', controller.signal);
    await running;
    controller.abort();
    const r = await pending;
    expect(r).toMatchObject({ status: 130, stdout: 'Collecting requests\n^C\n', stderr: '' });
    expect(sawAbort).toBe(true);
    expect(shell.lastStatus).toBe(130);
    expect((await run(shell, 'echo $?')).stdout).toBe('130\n');
  });

  test('a command that honours the signal and returns 130 is reported the same way', async () => {
    const controller = new AbortController();
    host.pipProgram = async () => {
      controller.abort();
      return 130;
    };
    expect(await run(shell, 'pip download x | cat; echo next', controller.signal)).toMatchObject({ status: 130, stdout: '^C\n' });
  });

  test('xargs stops between runs; redirected output so far is kept', async () => {
    const controller = new AbortController();
    host.pipProgram = (argv, ctx) => {
      ctx.stdout(`${argv.at(-1)}\n`);
      if (argv.at(-1) === 'b') controller.abort();
      return 0;
    };
    const r = await run(shell, 'echo a b c | xargs -n1 pip install > log.txt', controller.signal);
    expect(r.status).toBe(130);
    expect(host.calls.map((c) => c.argv.at(-1))).toEqual(['a', 'b']);
    expect(readFile(host, '/home/user/log.txt')).toBe('a\nb\n');
  });
});
