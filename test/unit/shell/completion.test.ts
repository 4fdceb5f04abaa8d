import { beforeEach, describe, expect, test } from 'vitest';
import { commonPrefix, type Shell } from '../../../src/shell';
import { newShell, run, writeFile, type TestHost } from './test-host';

let shell: Shell;
let host: TestHost;

beforeEach(() => {
  ({ shell, host } = newShell());
  for (const f of ['requirements.txt', 'requirements-dev.txt', 'readme.md', 'my file.txt', '.env', 'src/app.py', 'src/assets/logo.svg']) {
    writeFile(host, `/home/user/${f}`, '');
  }
  host.installed = ['idna', 'requests', 'requests-oauthlib', 'urllib3'];
});

async function complete(line: string, cursor = line.length): Promise<[number, readonly string[]]> {
  const c = await shell.complete(line, cursor);
  return [c.replaceFrom, c.candidates];
}

describe('command names', () => {
  test('builtins and the host’s programs in command position', async () => {
    expect(await complete('p')).toEqual([0, ['pip', 'pip-audit', 'pip-compile', 'pip-sync', 'pip3', 'pwd', 'python', 'python3']]);
    expect(await complete('hi')).toEqual([0, ['history']]);
    expect(await complete('ls | gr')).toEqual([5, ['grep']]);
    expect(await complete('true && ec')).toEqual([8, ['echo']]);
    expect(await complete('X=1 e')).toEqual([4, ['echo', 'env', 'exit', 'export']]);
  });

  test('console scripts on PATH once a venv is active', async () => {
    await run(shell, 'python -m venv v && source v/bin/activate');
    writeFile(host, '/home/user/v/bin/black', '');
    expect(await complete('bl')).toEqual([0, ['black']]);
    expect((await complete('pi'))[1]).toEqual(['pip', 'pip-audit', 'pip-compile', 'pip-sync', 'pip3']);
  });

  test('a path in command position completes paths', async () => {
    expect(await complete('./sr')).toEqual([0, ['./src/']]);
  });
});

describe('pip', () => {
  test('subcommands after pip and python -m pip', async () => {
    expect(await complete('pip ins')).toEqual([4, ['inspect', 'install']]);
    expect(await complete('pip --verbose un')).toEqual([14, ['uninstall']]);
    expect(await complete('python -m pip fr')).toEqual([14, ['freeze']]);
  });

  test('the host may list its own pip commands', async () => {
    const { shell: s } = newShell(Object.assign(host, { pipCommands: ['install', 'tree', 'why'] }));
    expect(await s.complete('pip ')).toEqual({ replaceFrom: 4, candidates: ['install', 'tree', 'why'] });
  });

  test('installed names after uninstall and show; files elsewhere', async () => {
    expect(await complete('pip uninstall -y req')).toEqual([17, ['requests', 'requests-oauthlib']]);
    expect(await complete('pip show ')).toEqual([9, ['idna', 'requests', 'requests-oauthlib', 'urllib3']]);
    expect(await complete('pip install -r req')).toEqual([15, ['requirements-dev.txt', 'requirements.txt']]);
    expect(await complete('pip install --up')).toEqual([12, []]);
  });
});

describe('paths', () => {
  test('files and directories (with /), hidden only with a dot, in subdirectories', async () => {
    expect(await complete('cat re')).toEqual([4, ['readme.md', 'requirements-dev.txt', 'requirements.txt']]);
    expect(await complete('cat src/')).toEqual([4, ['src/app.py', 'src/assets/']]);
    expect(await complete('cat src/a')).toEqual([4, ['src/app.py', 'src/assets/']]);
    expect(await complete('cat .e')).toEqual([4, ['.env']]);
    expect((await complete('ls '))[1]).not.toContain('.env');
  });

  test('cd completes directories only; ~ stays', async () => {
    expect(await complete('cd s')).toEqual([3, ['src/']]);
    expect(await complete('cd ~/sr')).toEqual([3, ['~/src/']]);
  });

  test('special characters are backslash-quoted; a quoted prefix still matches', async () => {
    expect(await complete('cat my')).toEqual([4, ['my\\ file.txt']]);
    expect(await complete('cat "my f')).toEqual([4, ['my\\ file.txt']]);
    expect(await complete('cat my\\ ')).toEqual([4, ['my\\ file.txt']]);
  });

  test('after a redirect, and in the middle of a line', async () => {
    expect(await complete('pip freeze > req')).toEqual([13, ['requirements-dev.txt', 'requirements.txt']]);
    expect(await complete('pip freeze 2>re')).toEqual([13, ['readme.md', 'requirements-dev.txt', 'requirements.txt']]);
    expect(await complete('cat rea | grep x', 7)).toEqual([4, ['readme.md']]);
  });
});

describe('variables', () => {
  test('$NAME and ${NAME}', async () => {
    expect(await complete('echo $HO')).toEqual([5, ['$HOME']]);
    expect(await complete('echo ${US')).toEqual([5, ['${USER}']]);
  });
});

test('commonPrefix is what Tab inserts for several candidates', () => {
  expect(commonPrefix(['requirements-dev.txt', 'requirements.txt'])).toBe('requirements');
  expect(commonPrefix(['a'])).toBe('a');
  expect(commonPrefix([])).toBe('');
});
