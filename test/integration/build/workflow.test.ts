/**
 * The development and publishing workflow of the tutorials, typed into the shell the page runs
 * (a RuntimeShellHost over a RuntimeSession, as in the worker), with the real backends, `build`,
 * pyproject_hooks and docutils from the machine's PyPI wheels:
 *   pip install -e . / edit / run again / python -m build / ls dist /
 *   pip install dist/*.whl in a new venv / twine check dist/*
 * and a reload: a new interpreter over the same stores installs the editable project again from
 * the built-wheel cache, without building.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { decodeShareLink } from '../../../src/share';
import { Shell } from '../../../src/shell';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { BUILD_TOOLS, machineDists } from '../../fixtures/machine-wheels';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';
import { run } from '../../unit/shell/test-host';

let server: IndexServer;
let stores: SessionStores;
let h: RuntimeHarness;
let shell: Shell;

const PYPROJECT = `[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "hello"
version = "0.1"
description = "Says hello"
readme = "README.md"
dependencies = ["greetlib"]
`;

/** A new interpreter and session over `stores`, restored; what the restore said. */
async function open(): Promise<readonly string[]> {
  h = await RuntimeHarness.start(server, stores);
  const { problems } = await h.session.restore();
  shell = new Shell(new RuntimeShellHost(h.session, { clear: () => {} }), { cwd: h.session.home });
  return problems;
}

beforeAll(async () => {
  // (A dependency that Pyodide's own package list does not have: the session consults it too.)
  server = await startIndexServer({ projects: [{ name: 'greetlib', version: '1.0' }], dists: machineDists(BUILD_TOOLS) });
  stores = newStores();
  await open();
}, 120_000);

afterAll(async () => {
  await server?.close();
});

test('pip install -e ., edit, run again; python -m build; a new venv installs the wheel; twine check', async () => {
  await h.session.writeFile('hello/pyproject.toml', PYPROJECT);
  await h.session.writeFile('hello/README.md', '# hello\n\nSays hello.\n');
  await h.session.writeFile('hello/src/hello/__init__.py', 'def greet():\n    return "hello, world"\n');

  const editable = await run(shell, 'cd hello && pip install -e .');
  // (stderr holds the terminal's download meter, drawn and erased; nothing else.)
  expect(editable.stderr).not.toMatch(/ERROR|WARNING|Traceback/);
  expect(editable.stdout).toContain('Obtaining file:///home/pyodide/hello\n  Installing build dependencies ... done\n');
  expect(editable.stdout).toContain('Successfully installed greetlib-1.0 hello-0.1\n');
  expect((await run(shell, `python -c 'import hello; print(hello.greet())'`)).stdout).toBe('hello, world\n');

  // The editor saves the file; the next run imports the new code (a new run, as a new process).
  await h.session.writeFile('hello/src/hello/__init__.py', 'def greet():\n    return "hello, edited"\n');
  expect((await run(shell, `python -c 'import hello; print(hello.greet())'`)).stdout).toBe('hello, edited\n');
  expect(await h.py('import hello\nhello.greet()')).toBe('hello, edited');
  expect((await run(shell, 'pip freeze')).stdout).toBe('greetlib==1.0\n# Editable install with no version control (hello==0.1)\n-e /home/pyodide/hello\n');

  // A share link (v2, packed) carries the wheels from the index, and the project built here by
  // its folder in home, whose files travel with the link (rebuilt on the other side: share.test.ts).
  const shared = await run(shell, 'pip share');
  expect(shared.status, shared.stderr).toBe(0);
  expect(shared.stderr).not.toContain('cannot travel');
  // setuptools' egg-info beside the project is left out, named, and does not stop the link.
  expect(shared.stderr).toContain('WARNING: "hello/src/hello.egg-info/" is left out of the link: metadata setuptools writes beside a project it builds (pip install -e . writes it again).\n');
  const link = /^Share this link \(2 packages, 1 built from source on opening, \d+ files\):\n(\S+)\n$/.exec(shared.stdout)?.[1];
  expect(link).toMatch(/#env=v2\./);
  const decoded = await decodeShareLink(link!, { trustedIndexes: [server.simpleUrl] });
  expect(decoded.kind).toBe('ok');
  if (decoded.kind !== 'ok') throw new Error(decoded.reason);
  expect(decoded.lock.distributions.map((d) => `${d.name}==${d.version}`)).toEqual(['greetlib==1.0']);
  expect(decoded.lock.builds).toEqual([{ kind: 'directory', name: 'hello', version: '0.1', requested: true, path: 'hello', editable: true }]);
  expect(decoded.lock.files.map((f) => f.path)).toContain('hello/pyproject.toml');

  // python -m build, as the tutorials run it: the build package first.
  expect((await run(shell, 'python -m build')).stderr).toContain('No module named build');
  expect((await run(shell, 'pip install build')).stdout).toMatch(/Successfully installed build-1\.6\.1 packaging-26\.3 pyproject[-_]hooks-1\.3\.3\n/);
  const built = await run(shell, 'python -m build');
  expect(built.status).toBe(0);
  expect(built.stderr).toContain('* Creating isolated environment: pipette...\n* Installing packages in isolated environment:\n  - setuptools>=61\n* Getting build dependencies for sdist...\n');
  expect(built.stderr).toContain('* Building sdist...\n');
  expect(built.stderr).toContain('* Building wheel from sdist\n* Creating isolated environment: pipette...\n');
  expect(built.stderr).toContain('* Building wheel...\n');
  expect(built.stdout).toMatch(/Successfully built hello-0\.1\.tar\.gz and hello-0\.1-py3-none-any\.whl\n$/);
  expect((await run(shell, 'ls dist')).stdout).toBe('hello-0.1-py3-none-any.whl  hello-0.1.tar.gz\n');
  // build's own options: one kind of file, into another folder.
  const sdistOnly = await run(shell, 'python -m build --sdist --outdir out-sdist');
  expect(sdistOnly.stdout).toMatch(/Successfully built hello-0\.1\.tar\.gz\n$/);
  const wheelOnly = await run(shell, 'python -m build --wheel -o out-wheel');
  expect(wheelOnly.stdout).toMatch(/Successfully built hello-0\.1-py3-none-any\.whl\n$/);
  expect((await run(shell, 'ls out-sdist out-wheel')).stdout).toBe('out-sdist:\nhello-0.1.tar.gz\n\nout-wheel:\nhello-0.1-py3-none-any.whl\n');
  // Nothing of build's environments stays in /tmp.
  expect(h.session.fs.readdir('/tmp/pipette-build').filter((d) => d.startsWith('run-'))).toEqual([]);

  // The wheel installs into a fresh venv like any wheel.
  const venv = await run(shell, 'python -m venv /home/pyodide/v2 && source /home/pyodide/v2/bin/activate && pip install dist/*.whl');
  expect(venv.stdout).toContain('Processing ./dist/hello-0.1-py3-none-any.whl\n');
  expect(venv.stdout).toContain('Successfully installed greetlib-1.0 hello-0.1\n');
  expect((await run(shell, `python -c 'import hello; print(hello.__file__)'`)).stdout).toBe('/home/pyodide/v2/lib/python3.14/site-packages/hello/__init__.py\n');
  await run(shell, 'deactivate');

  const checked = await run(shell, 'twine check dist/*');
  expect(checked.stdout).toBe('Checking dist/hello-0.1-py3-none-any.whl: PASSED\nChecking dist/hello-0.1.tar.gz: PASSED\n');
  expect(checked.status).toBe(0);
}, 600_000);

test("twine check: a README that does not render fails as on PyPI (the real docutils, readme_renderer's rules)", async () => {
  await h.session.writeFile('bad/pyproject.toml', PYPROJECT.replace('name = "hello"', 'name = "bad-readme"').replace('README.md', 'README.rst'));
  await h.session.writeFile('bad/README.rst', 'Title\n=====\n\nSome text with an `unclosed link <https://example.org\n');
  await h.session.writeFile('bad/src/bad_readme/__init__.py', '');
  await h.session.writeFile('plain/pyproject.toml', PYPROJECT.replace('name = "hello"', 'name = "no-readme"').replace('readme = "README.md"\n', ''));
  await h.session.writeFile('plain/src/no_readme/__init__.py', '');
  expect((await run(shell, 'cd /home/pyodide && pip wheel --no-deps ./bad ./plain -w out')).status).toBe(0);
  const r = await run(shell, 'twine check out/*');
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('Checking out/bad_readme-0.1-py3-none-any.whl: FAILED\nChecking out/no_readme-0.1-py3-none-any.whl: PASSED with warnings\n');
  expect(r.stderr).toMatch(
    /^ERROR {4}`long_description` has syntax errors in markup and would not be rendered on PyPI\.\n {9}line 4: Warning: Inline interpreted text or phrase reference start-string without end-string\.\n {9}no output rendered\n/,
  );
  expect(r.stderr).toContain('WARNING  `long_description` missing.\n');
  expect((await run(shell, 'twine check --strict out/no_readme-0.1-py3-none-any.whl')).stdout).toBe('Checking out/no_readme-0.1-py3-none-any.whl: FAILED due to warnings\n');
  expect((await run(shell, 'twine upload out/*')).stderr).toContain("twine upload cannot run in a browser tab: PyPI's upload endpoint sends no CORS headers");
}, 300_000);

test('after a reload the editable project is installed again from the built-wheel cache', async () => {
  // (The built wheel's record points at the project's folder: the wheel comes from the cache.)
  expect(await open()).toEqual([]);
  expect((await run(shell, 'pip freeze')).stdout).toContain('-e /home/pyodide/hello\n');
  expect((await run(shell, `python -c 'import hello; print(hello.greet())'`)).stdout).toBe('hello, edited\n');
}, 300_000);

test('after a reload with the built wheel gone from the cache: the reason, and pip install builds it again', async () => {
  expect((await run(shell, 'pip cache purge')).status).toBe(0);
  await open();
  const freeze = await run(shell, 'pip freeze');
  // Read from the cache only: a folder's file: URL (or an sdist's, a repository's) serves no wheel.
  expect(freeze.stderr).toMatch(/WARNING: This environment could not be rebuilt after the reload \(Could not get hello-0\.1-\S+\.whl \(file:\/\/\/home\/pyodide\/hello\): hello-0\.1-\S+\.whl was built in this tab and is no longer in the cache; build it again with pip install -e \/home\/pyodide\/hello\)/);
  const again = await run(shell, 'cd /home/pyodide/hello && pip install -e .');
  expect(again.stdout).toContain('Successfully installed');
  expect((await run(shell, 'pip freeze')).stdout).toContain('-e /home/pyodide/hello\n');
  expect((await run(shell, `python -c 'import hello; print(hello.greet())'`)).stdout).toBe('hello, edited\n');
}, 300_000);
