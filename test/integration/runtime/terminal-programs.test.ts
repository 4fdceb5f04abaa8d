/**
 * What the terminal runs, through the worker's shell host over a real Pyodide (no page): the
 * Python REPL fed line by line as the page feeds it, pip's `Proceed (Y/n)?` answered at the
 * terminal, pip as a package of every environment, and a venv's `bin/python` and console
 * scripts running in that venv without activating it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PIP_VERSION } from '../../../src/pip';
import type { LineAnswer, LineRequest } from '../../../src/runtime/api';
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { Shell } from '../../../src/shell';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';

let server: IndexServer;
let h: RuntimeHarness;
let shell: Shell;
/** What the person types at each prompt a program shows, in order; the prompts seen. */
let answers: (LineAnswer | ((request: LineRequest) => LineAnswer))[] = [];
let prompts: LineRequest[] = [];
const HOME = '/home/pyodide';

const where = 'import sys\ndef main():\n    print(sys.prefix)\n';

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0', files: { 'alpha/__init__.py': '__version__ = "1.0"\n' } },
      { name: 'wherami', version: '1.0', files: { 'wherami/__init__.py': where }, entryPoints: { console_scripts: { wherami: 'wherami:main' } } },
      { name: 'pip', version: '24.0', files: { 'pip/__init__.py': '__version__ = "24.0"\n' } },
      { name: 'pip', version: '99.0', files: { 'pip/__init__.py': '__version__ = "99.0"\n' } },
      { name: 'needs-pip', version: '1.0', requires: ['pip>=22.2'] },
    ],
  });
  h = await RuntimeHarness.start(server, newStores());
  const host = new RuntimeShellHost(h.session, {
    clear: () => {},
    prompt: async (request) => {
      prompts.push(request);
      const next = answers.shift();
      if (next === undefined) return { kind: 'eof' };
      return typeof next === 'function' ? next(request) : next;
    },
  });
  shell = new Shell(host, { cwd: HOME });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

async function run(line: string, typed: typeof answers = []): Promise<{ status: number; stdout: string; stderr: string; out: string }> {
  answers = [...typed];
  prompts = [];
  let stdout = '';
  let stderr = '';
  let out = '';
  const result = await shell.run(line, { stdout: (t) => ((stdout += t), (out += t)), stderr: (t) => ((stderr += t), (out += t)) });
  expect(answers).toEqual([]);
  return { status: result.status, stdout, stderr, out };
}

const line = (text: string): LineAnswer => ({ kind: 'line', text });

describe('the Python REPL', () => {
  test('banner, >>> and ... prompts, a for block, values shown and kept in _, exit() back to the shell', async () => {
    const r = await run('python', [line('for i in range(3):'), line('    print(i * 2)'), line(''), line('x = 6 * 7'), line('x'), line('_ + 1'), line('exit()')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Python 3\.14\.\d+ \(.*\) .* on emscripten\nType "help", "copyright", "credits" or "license" for more information\.\n/);
    expect(r.stdout).toContain('0\n2\n4\n42\n43\n');
    expect(prompts.map((p) => p.prompt)).toEqual(['>>> ', '... ', '... ', '>>> ', '>>> ', '>>> ', '>>> ']);
    expect(prompts.every((p) => p.kind === 'python')).toBe(true);
  });

  test('a traceback names <stdin>; Ctrl+C at the prompt drops the statement; Ctrl+D leaves with status 0', async () => {
    const r = await run('python3', [line('1/0'), line('if True:'), { kind: 'interrupt' }, line('"still here"'), { kind: 'eof' }]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('Traceback (most recent call last):\n  File "<stdin>", line 1, in <module>\nZeroDivisionError: division by zero\n');
    expect(r.stderr).not.toContain('code.py');
    expect(r.stderr).toContain('KeyboardInterrupt\n');
    expect(r.stdout).toContain("'still here'\n");
    expect(prompts.map((p) => p.prompt)).toEqual(['>>> ', '>>> ', '... ', '>>> ', '>>> ']);
  });

  test('exit(3) is the exit status; exit alone leaves too; each REPL starts with a fresh __main__', async () => {
    expect((await run('python', [line('y = 1'), line('exit(3)')])).status).toBe(3);
    expect((await run('echo $?')).stdout).toBe('3\n');
    expect((await run('python -q', [line('exit')])).stdout).toBe('');
    const fresh = await run('python -q', [line("'y' in dir()"), line('import __main__; __main__.__name__'), line('quit()')]);
    expect(fresh.stdout).toBe("False\n'__main__'\n");
    // exit and quit are the builtins again afterwards, and sys.ps1 is gone (no longer interactive).
    expect((await run(`python -c 'import sys; print(hasattr(sys, "ps1"), type(exit).__module__)'`)).stdout).toBe('False _sitebuiltins\n');
  });

  test('Tab completes names of the REPL namespace (rlcompleter)', async () => {
    let completed: unknown = null;
    await run('python -q', [
      line('pipette_answer = 42'),
      () => {
        completed = [h.session.runner.complete('pipette_a', 9), h.session.runner.complete('x = str.isa', 11)];
        return line('exit()');
      },
    ]);
    expect(completed).toEqual([
      { replaceFrom: 0, candidates: ['pipette_answer'] },
      { replaceFrom: 4, candidates: ['str.isalnum(', 'str.isalpha(', 'str.isascii('] },
    ]);
    expect(h.session.runner.complete('pip', 3)).toEqual({ replaceFrom: 3, candidates: [] });
  });

  test('python -i runs the program first, shows its traceback, and keeps its names', async () => {
    const r = await run(`python -i -c 'x = 5; 1/0'`, [line('x + 1'), { kind: 'eof' }]);
    expect(r.stderr).toBe('Traceback (most recent call last):\n  File "<string>", line 1, in <module>\nZeroDivisionError: division by zero\n');
    expect(r.stdout).toBe('6\n');
    h.session.fs.writeFile(`${HOME}/prog.py`, new TextEncoder().encode('import sys\nargs = sys.argv\n'));
    const script = await run('python -i prog.py a b', [line('args'), { kind: 'eof' }]);
    expect(script.stdout).toBe(`['${HOME}/prog.py', 'a', 'b']\n`);
  });

  test("the REPL's values and help(len) print to the terminal", async () => {
    const r = await run('python -q', [line('len("abc")'), line('help(len)'), { kind: 'eof' }]);
    expect(r.stdout).toContain('3\n');
    expect(r.stdout).toContain('Help on built-in function len in module builtins:');
  });
});

describe("pip's questions at the terminal", () => {
  test('pip uninstall asks Proceed (Y/n)?, asks again on another answer, n keeps, y removes', async () => {
    expect((await run('pip install alpha')).status).toBe(0);
    const no = await run('pip uninstall alpha', [line('maybe'), line('n')]);
    expect(no.status).toBe(0);
    expect(prompts).toEqual([
      { prompt: 'Proceed (Y/n)? ', kind: 'answer' },
      { prompt: 'Proceed (Y/n)? ', kind: 'answer' },
    ]);
    expect(no.stdout).toContain("Your response ('maybe') was not one of the expected responses: y, n, \n");
    expect(no.stdout).toContain('Would remove:');
    expect(await h.freeze()).toContain('alpha==1.0');
    const yes = await run('pip uninstall alpha', [line('Y')]);
    expect(yes.stdout).toContain('Successfully uninstalled alpha-1.0');
    expect(await h.freeze()).not.toContain('alpha');
  });

  test('Ctrl+C or Ctrl+D at the question cancels, nothing removed; piped stdin or --no-input: no one to ask', async () => {
    await run('pip install alpha');
    const cancelled = await run('pip uninstall alpha', [{ kind: 'interrupt' }]);
    expect(cancelled).toMatchObject({ status: 1 });
    expect(cancelled.stderr).toContain('ERROR: Operation cancelled by user');
    expect(await h.freeze()).toContain('alpha==1.0');
    const piped = await run('echo y | pip uninstall alpha');
    expect(piped.stderr).toContain('Run pip uninstall -y alpha to uninstall without asking.');
    expect((await run('pip uninstall --no-input alpha')).status).toBe(1);
    expect(await h.freeze()).toContain('alpha==1.0');
    await run('pip uninstall -y alpha');
  });
});

describe('pip is a package of the environment', () => {
  test('pip list, pip show pip, pip --version, python -m pip and importlib.metadata agree', async () => {
    const sp = '/lib/python3.14/site-packages';
    expect((await run('pip list')).stdout).toMatch(new RegExp(`^pip +${PIP_VERSION.replace('.', '\\.')}$`, 'm'));
    const show = (await run('pip show pip')).stdout;
    expect(show).toContain(`Name: pip\nVersion: ${PIP_VERSION}\n`);
    expect(show).toContain(`Location: ${sp}\n`);
    expect((await run('pip --version')).stdout).toBe(`pip ${PIP_VERSION} (pipette 0.1.0) from ${sp}/pip (python 3.14)\n`);
    expect((await run('python -m pip --version')).stdout).toBe(`pip ${PIP_VERSION} (pipette 0.1.0) from ${sp}/pip (python 3.14)\n`);
    expect((await run(`python -c 'import importlib.metadata as m, pip; print(m.version("pip"), pip.__version__)'`)).stdout).toBe(`${PIP_VERSION} ${PIP_VERSION}\n`);
    // pip freeze leaves pip out (pip's own rule); --all shows it.
    expect((await run('pip freeze')).stdout).not.toContain('pip==');
    expect((await run('pip freeze --all')).stdout).toContain(`pip==${PIP_VERSION}\n`);
  });

  test('pip install --upgrade pip: already the newest Pipette provides; another version: refused, nothing changes', async () => {
    const up = await run('pip install --upgrade pip');
    expect(up).toMatchObject({ status: 0, stderr: '' });
    expect(up.stdout).toBe(
      `Requirement already satisfied: pip in /lib/python3.14/site-packages (${PIP_VERSION})\npip ${PIP_VERSION} is the newest pip Pipette provides: pip is built into this page, so there is nothing to upgrade.\n`,
    );
    const old = await run('pip install pip==24.0');
    expect(old.status).toBe(1);
    expect(old.stderr).toContain("ERROR: Cannot install pip==24.0: the pip in this terminal is built into the page (Pipette's pip");
    expect((await run('pip list --outdated')).stdout).not.toContain('pip ');
    // A package that depends on pip gets this one, not a wheel of pip from the index.
    expect((await run('pip install needs-pip')).stdout).toContain('Successfully installed needs-pip-1.0');
    expect((await run('pip show pip')).stdout).toContain(`Version: ${PIP_VERSION}\n`);
    // Uninstalled, it is gone from the list (pip --version still runs: it is the page's); installing pip puts it back.
    expect((await run('pip uninstall -y pip')).stdout).toContain(`Successfully uninstalled pip-${PIP_VERSION}`);
    expect((await run('pip list')).stdout).not.toMatch(/^pip /m);
    expect((await run('pip install pip')).stdout).toBe(`Successfully installed pip-${PIP_VERSION}\n`);
    expect((await run('pip list')).stdout).toMatch(/^pip /m);
    await run('pip uninstall -y needs-pip');
  });

  test('a new venv lists pip (not with --without-pip); the lock and share link leave it out', async () => {
    expect((await run('python -m venv venv1 && venv1/bin/pip list --format=freeze')).stdout).toBe(`pip==${PIP_VERSION}\n`);
    expect((await run('python -m venv --without-pip bare && bare/bin/python -m pip list --format=freeze')).stdout).toBe('');
    expect(h.session.lock(`${HOME}/venv1`)).toMatchObject({ distributions: [], unlocked: [] });
    expect(h.session.shareLock().unlocked).toEqual([]);
  });
});

describe("a venv's programs run in it without activation", () => {
  test('venv/bin/python and a console script of the venv see the venv; the active environment stays', async () => {
    await run('python -m venv wv');
    expect((await run('wv/bin/pip install wherami')).status).toBe(0);
    expect((await run(`wv/bin/python -c "import sys; print(sys.prefix)"`)).stdout).toBe(`${HOME}/wv\n`);
    expect((await run(`python -c "import sys; print(sys.prefix)"`)).stdout).toBe('/\n');
    expect((await run('wv/bin/wherami')).stdout).toBe(`${HOME}/wv\n`);
    expect((await run(`wv/bin/python -c "import wherami"`)).status).toBe(0);
    expect((await run(`python -c "import wherami"`)).stderr).toContain("No module named 'wherami'");
    expect(h.session.activeEnvironment().prefix).toBe('/');
    // The REPL of a venv's python too.
    expect((await run('wv/bin/python -q', [line('import sys; sys.prefix'), { kind: 'eof' }])).stdout).toBe(`'${HOME}/wv'\n`);
    expect(h.session.activeEnvironment().prefix).toBe('/');
  });
});

describe('python -m', () => {
  test("a module that is not there: CPython's one line, no empty traceback", async () => {
    const r = await run('python -m build');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^\S*: No module named build\n$/);
    const pkg = await run('python -m email');
    expect(pkg.stderr).toMatch(/: No module named email\.__main__; 'email' is a package and cannot be directly executed\n$/);
    // An ImportError from the module's own code still shows its traceback.
    h.session.fs.writeFile(`${HOME}/broken.py`, new TextEncoder().encode('import no_such_thing\n'));
    const own = await run('python -m broken');
    expect(own.stderr).toContain('Traceback (most recent call last):\n  File "/home/pyodide/broken.py", line 1, in <module>');
  });
});
