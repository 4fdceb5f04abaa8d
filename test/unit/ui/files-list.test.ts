import { expect, test } from 'vitest';
import { checkName, fileRows, relativeName } from '../../../src/ui/panels/files/file-list';
import type { FileEntry } from '../../../src/ui/panels/types';

const home = '/home/pyodide';
const files: FileEntry[] = [
  { path: `${home}/main.py`, kind: 'file' },
  { path: `${home}/src/app/cli.py`, kind: 'file' },
  { path: `${home}/src`, kind: 'directory' },
  { path: `${home}/requirements.txt`, kind: 'file' },
  { path: `${home}/empty`, kind: 'directory' },
  { path: '/etc/pip.conf', kind: 'file' },
];

test('rows come in tree order with made-up parent folders; entries outside home are left out', () => {
  expect(fileRows(files, home).map((r) => `${'  '.repeat(r.depth)}${r.name}${r.kind === 'directory' ? '/' : ''} ${r.path}`)).toEqual([
    `empty/ ${home}/empty`,
    `src/ ${home}/src`,
    `  app/ ${home}/src/app`,
    `    cli.py ${home}/src/app/cli.py`,
    `main.py ${home}/main.py`,
    `requirements.txt ${home}/requirements.txt`,
  ]);
  expect(fileRows(files, home).find((r) => r.name === 'cli.py')!.ancestors).toEqual([`${home}/src`, `${home}/src/app`]);
  expect(fileRows([...files].reverse(), `${home}/`)).toEqual(fileRows(files, home));
});

test('relativeName', () => {
  expect(relativeName(`${home}/src/app.py`, home)).toBe('src/app.py');
  expect(relativeName('/etc/pip.conf', home)).toBe('/etc/pip.conf');
  expect(relativeName('/x/y', '/')).toBe('x/y');
});

test.each([
  ['new.py', { ok: true, path: `${home}/new.py` }],
  ['  pkg/mod.py ', { ok: true, path: `${home}/pkg/mod.py` }],
  ['src/app/new.py', { ok: true, path: `${home}/src/app/new.py` }],
  ['', { ok: false, error: 'Type a name, such as main.py or src/app.py.' }],
  ['/etc/passwd', { ok: false, error: 'Give a name inside your home folder, not an absolute path.' }],
  ['../escape.py', { ok: false, error: 'Empty, "." and ".." parts are not allowed in a name.' }],
  ['a//b.py', { ok: false, error: 'Empty, "." and ".." parts are not allowed in a name.' }],
  ['dir/', { ok: false, error: 'Give a file name; folders are made from the path (src/app.py).' }],
  ['main.py', { ok: false, error: 'main.py already exists.' }],
  ['src', { ok: false, error: 'src already exists.' }],
  ['main.py/x.py', { ok: false, error: 'main.py is a file, so it cannot hold x.py.' }],
])('checkName(%j)', (typed, expected) => {
  expect(checkName(typed, home, files)).toEqual(expected);
});

test('renaming to its own name is refused, to a free name allowed', () => {
  expect(checkName('main.py', home, files, `${home}/main.py`)).toEqual({ ok: false, error: 'That is its name already.' });
  expect(checkName('app.py', home, files, `${home}/main.py`)).toEqual({ ok: true, path: `${home}/app.py` });
});

test('a virtual environment is one row, marked, with nothing listed under it', () => {
  const rows = fileRows([{ path: `${home}/.venv`, kind: 'directory', environment: true }, { path: `${home}/.venv/pyvenv.cfg`, kind: 'file' }, { path: `${home}/a.py`, kind: 'file' }], home);
  expect(rows.map((r) => [r.name, r.environment])).toEqual([
    ['.venv', true],
    ['a.py', false],
  ]);
});
