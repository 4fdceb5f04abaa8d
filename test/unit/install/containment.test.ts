/**
 * The containment rules of src/install (containment.ts) as functions: script names, where a
 * target may be, and links followed with lstat. Tables for the cases the issue names, laws
 * (fast-check) for the rest: no name with a separator or a control character passes, and a path
 * passes only if its normal form is inside a scheme folder.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { linkViolation, MemoryFs, normalizePath, realPath, Rule, schemeForPrefix, scriptNameProblem, targetViolation, writableRoots } from '../../../src/install';

const base = schemeForPrefix('', '3.14.2');
const venv = schemeForPrefix('/home/pyodide/env', '3.14.2');

describe('scriptNameProblem', () => {
  test.each([
    ['../home/pyodide/main.py', 'it contains "/"'],
    ['../lib/python3.14/site-packages/sitecustomize.py', 'it contains "/"'],
    ['a/b', 'it contains "/"'],
    ['', 'it is empty'],
    ['..', 'it is ".."'],
    ['.', 'it is "."'],
    ['..\\evil', 'it contains "\\"'],
    ['tool\u001b[2J', 'it contains a control character'],
    ['tool\u0000', 'it contains a control character'],
    ['tool\u0085', 'it contains a control character'],
  ])('%j: %s', (name, problem) => {
    expect(scriptNameProblem(name)).toBe(problem);
  });

  test('plain names pass: hello-world, pip3.14, Hello_World.py, .hidden', () => {
    for (const name of ['hello-world', 'pip3.14', 'Hello_World.py', '.hidden', 'ünïcode']) expect(scriptNameProblem(name)).toBeNull();
  });

  test('law: a name passes exactly when it is one non-empty file name without control characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 12 }), (name) => {
        const plain = name !== '' && name !== '.' && name !== '..' && !/[/\\\u0000-\u001f\u007f-\u009f]/.test(name);
        expect(scriptNameProblem(name) === null).toBe(plain);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('targetViolation', () => {
  test('the base environment writes data only to /share and /etc', () => {
    expect(writableRoots(base)).toEqual(['/lib/python3.14/site-packages', '/bin', '/include/python3.14', '/share', '/etc']);
    expect(targetViolation(base, '/share/jupyter/labextensions/x/package.json', null)).toBeNull();
    expect(targetViolation(base, '/etc/jupyter/nbconfig/notebook.d/x.json', null)).toBeNull();
    expect(targetViolation(base, '/home/pyodide/main.py', null)).toMatchObject({ rule: Rule.baseData });
    expect(targetViolation(base, '/tmp/x', null)?.problem).toBe('it would be written to /tmp/x, outside the environment (/lib/python3.14/site-packages, /bin, /include/python3.14, /share, /etc)');
  });

  test("a venv's data is its own folder; its pyvenv.cfg and launchers are not a wheel's", () => {
    expect(targetViolation(venv, '/home/pyodide/env/share/man/man1/x.1', null)).toBeNull();
    expect(targetViolation(venv, '/home/pyodide/main.py', null)).toMatchObject({ rule: Rule.scheme });
    expect(targetViolation(venv, '/home/pyodide/env/pyvenv.cfg', null)).toMatchObject({ rule: Rule.reserved });
    for (const name of ['python', 'python3', 'python3.14', 'pythonw', 'activate', 'activate.fish', 'activate_this.py', 'deactivate']) {
      expect(targetViolation(venv, `/home/pyodide/env/bin/${name}`, null), name).toMatchObject({ rule: Rule.reserved });
    }
    expect(targetViolation(venv, '/home/pyodide/env/bin/python-config-tool', null)).toBeNull();
  });

  test("pip's configuration, anywhere", () => {
    for (const path of ['/pip.conf', '/etc/pip.conf', '/etc/xdg/pip/pip.conf', '/home/pyodide/env/pip.conf', '/share/x/pip.ini', '/home/pyodide/.config/pip/other']) {
      expect(targetViolation(path.startsWith('/home/pyodide/env') ? venv : base, path, null), path).toMatchObject({ rule: Rule.pipConfig });
    }
  });

  test("another project's .dist-info, or a .data folder, at the top of site-packages", () => {
    const site = base.purelib;
    expect(targetViolation(base, `${site}/mine-1.0.dist-info/METADATA`, 'mine-1.0.dist-info')).toBeNull();
    expect(targetViolation(base, `${site}/other-1.0.dist-info/RECORD`, 'mine-1.0.dist-info')).toMatchObject({ rule: Rule.foreignDistInfo });
    expect(targetViolation(base, `${site}/mine-1.0.data/scripts/x`, 'mine-1.0.dist-info')).toMatchObject({ rule: Rule.foreignDistInfo });
    // Deeper down a package may vendor its own (setuptools/_vendor/packaging-24.2.dist-info).
    expect(targetViolation(base, `${site}/setuptools/_vendor/packaging-24.2.dist-info/RECORD`, 'setuptools-80.0.dist-info')).toBeNull();
  });

  const segment = fc.constantFrom('a', 'b', '..', '.', 'lib', 'python3.14', 'site-packages', 'bin', 'share', 'home', 'pyodide');
  test('law: a path passes only when its normal form lies in a scheme folder', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), fc.constantFrom(base, venv), (parts, scheme) => {
        const path = `/${parts.join('/')}`;
        const violation = targetViolation(scheme, path, null);
        const inside = writableRoots(scheme).some((root) => normalizePath(path) === root || normalizePath(path).startsWith(`${root}/`));
        if (!inside) expect(violation).not.toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});

describe('realPath and linkViolation (lstat, never following blindly)', () => {
  function world(): MemoryFs {
    const fs = new MemoryFs();
    fs.mkdirp('/lib/python3.14/site-packages/real');
    fs.mkdirp('/home/pyodide');
    fs.writeFile('/home/pyodide/main.py', new TextEncoder().encode('mine'));
    return fs;
  }
  const site = base.purelib;

  test('a link inside the environment that stays inside is followed and allowed', () => {
    const fs = world();
    fs.symlink(`${site}/real`, `${site}/alias`);
    expect(realPath(fs, `${site}/alias/x.py`)).toBe(`${site}/real/x.py`);
    expect(linkViolation(fs, base, `${site}/alias/x.py`)).toBeNull();
  });

  test('a link out of the environment is refused, for a folder and for the file itself', () => {
    const fs = world();
    fs.symlink('/home/pyodide', `${site}/evil`);
    fs.symlink('/home/pyodide/main.py', `${site}/linked.py`);
    expect(linkViolation(fs, base, `${site}/evil/main.py`)?.problem).toBe(`${site}/evil/main.py leads through a symbolic link to /home/pyodide/main.py, outside the environment`);
    expect(linkViolation(fs, base, `${site}/linked.py`)?.rule).toBe(Rule.symlink);
    // Removing the link itself is fine (unlink); what it points at is never touched.
    expect(linkViolation(fs, base, `${site}/linked.py`, { removal: true })).toBeNull();
    expect(linkViolation(fs, base, `${site}/evil/main.py`, { removal: true })?.rule).toBe(Rule.symlink);
  });

  test('relative links, links to links, and a loop', () => {
    const fs = world();
    fs.symlink('../../../../home', `${site}/up`);
    fs.symlink('up/pyodide', `${site}/twice`);
    fs.symlink('loop', `${site}/loop`);
    expect(realPath(fs, `${site}/twice/main.py`)).toBe('/home/pyodide/main.py');
    expect(linkViolation(fs, base, `${site}/twice/main.py`)?.rule).toBe(Rule.symlink);
    expect(realPath(fs, `${site}/loop/x`)).toBeNull();
    expect(linkViolation(fs, base, `${site}/loop/x`)?.problem).toBe(`${site}/loop/x goes through a loop of symbolic links`);
  });

  test("a scheme folder that is itself a link out is refused; a link above the environment's prefix is the system's", () => {
    const fs = world();
    fs.symlink('/home/pyodide', '/bin');
    expect(linkViolation(fs, base, '/bin/tool')?.problem).toBe('/bin/tool leads through a symbolic link to /home/pyodide/tool, outside the environment');
    const moved = new MemoryFs();
    moved.mkdirp('/data/envs/real/lib/python3.14/site-packages');
    moved.symlink('/data/envs/real', '/home/pyodide/env');
    expect(linkViolation(moved, venv, '/home/pyodide/env/lib/python3.14/site-packages/x.py')).toBeNull();
  });
});
