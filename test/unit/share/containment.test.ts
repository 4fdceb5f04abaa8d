/**
 * What a share link may carry and where its files may land (check-lock.ts `landingProblem`),
 * the secrets `pip share` leaves out (credentials.ts), the one record type behind a link's
 * entry (recordOf / toLinkedWheel), and the export that never turns a direct URL's origin into
 * an index.
 */
import { describe, expect, it } from 'vitest';
import { landingProblem, lockToRequirements, PYPI_INDEX, recordOf, secretFileName, textCredentials, toLinkedWheel, type EnvironmentLock } from '../../../src/share';

const SHA = (c: string): string => c.repeat(64);

describe('landingProblem', () => {
  it.each([
    ['.config/pip/pip.conf', "is pip's configuration"],
    ['pip.conf', "is pip's configuration"],
    ['project/pip.ini', "is pip's configuration"],
    ['.pip/pip.conf', "is pip's configuration"],
    ['env/lib/python3.14/site-packages/evil.pth', "would be written into a Python environment's own files"],
    ['.local/lib/python3.14/site-packages/usercustomize.py', "would be written into a Python environment's own files"],
    ['mylib-1.0.dist-info/METADATA', "would be written into a Python environment's own files"],
    ['pkg.egg-info/PKG-INFO', "would be written into a Python environment's own files"],
    ['env/pyvenv.cfg', "would be written into a Python environment's own files"],
    ['.bashrc', 'is a hidden file or folder'],
    ['src/.secret/x.py', 'is a hidden file or folder'],
  ])('%s %s', (path, problem) => {
    expect(landingProblem(path)).toMatch(new RegExp(`^${problem.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('ordinary files of a project pass', () => {
    for (const path of ['main.py', 'src/pkg/__init__.py', 'requirements.txt', 'bin/run.sh', 'data/site.csv', 'notes/pip-notes.md', 'lib/helpers.py']) expect(landingProblem(path), path).toBeNull();
  });
});

describe('secrets pip share leaves out', () => {
  it.each([
    ['-----BEGIN OPENSSH PRIVATE KEY-----', 'a private key'],
    ['-----BEGIN RSA PRIVATE KEY-----', 'a private key'],
    [`token = "ghp_${'A1b2'.repeat(9)}"`, 'a GitHub token'],
    [`github_pat_${'x'.repeat(30)}`, 'a GitHub token'],
    ['AKIAIOSFODNN7EXAMPLE', 'an AWS access key'],
    ['xoxb-1234567890-abcdefghij', 'a Slack token'],
    [`glpat-${'z'.repeat(20)}`, 'a GitLab token'],
    [`pypi-AgEIcHlwaS5vcmc${'q'.repeat(30)}`, 'a PyPI API token (pypi-AgE...)'],
    ['API_TOKEN=hunter22secret', 'a secret assigned to a variable'],
    ['SECRET_KEY = "django-insecure-9a8b7c6d5e"', 'a secret assigned to a variable'],
  ])('%s: %s', (line, what) => {
    expect(textCredentials(`first line\n${line}\n`)).toEqual({ line: 2, what });
  });

  it('ordinary code passes: reading a secret from the environment, asking for a password, annotations', () => {
    const code = [
      'import os, getpass',
      'API_KEY = os.environ["API_KEY"]',
      'password = getpass.getpass()',
      'def login(password: str, token: Optional[str] = None): ...',
      'TOKEN_URL = "https://example.org/oauth/token"',
      'print("sk-")',
    ].join('\n');
    expect(textCredentials(code)).toBeNull();
  });

  it.each([
    ['.env', 'an environment file (.env)'],
    ['config/.env.production', 'an environment file (.env)'],
    ['.netrc', 'a .netrc (logins and passwords)'],
    ['.pypirc', 'a .pypirc (PyPI credentials)'],
    ['keys/id_ed25519', 'an SSH private key'],
    ['id_rsa', 'an SSH private key'],
    ['tls/server.pem', 'a key or certificate store'],
    ['.git-credentials', 'git credentials'],
  ])('%s by its name: %s', (path, what) => {
    expect(secretFileName(path)).toBe(what);
  });

  it('ordinary names pass', () => {
    for (const path of ['main.py', 'environment.yml', 'id_rsa.pub', 'keyboard.py', 'netrc_parser.py']) expect(secretFileName(path), path).toBeNull();
  });
});

describe('one record type behind a link entry', () => {
  it('recordOf adds the URL the file was found at and the direct URL (no index); toLinkedWheel drops the direct URL back', () => {
    const url = 'https://files.pythonhosted.org/p/six-1.17.0-py2.py3-none-any.whl';
    const indexed = { name: 'six', version: '1.17.0', filename: 'six-1.17.0-py2.py3-none-any.whl', url, sha256: SHA('a'), index: PYPI_INDEX, requested: true };
    expect(recordOf(indexed, url)).toEqual({ ...indexed, directUrl: null });
    // A file the link names only: the URL is where its index lists it.
    expect(recordOf({ ...indexed, url: null }, url)).toEqual({ ...indexed, directUrl: null });
    const direct = { ...indexed, url: 'https://example.com/dl/six-1.17.0-py2.py3-none-any.whl', index: null };
    expect(recordOf(direct, direct.url)).toMatchObject({ index: null, directUrl: direct.url });
    expect(toLinkedWheel(recordOf(direct, direct.url))).toEqual(direct);
    expect(toLinkedWheel(recordOf(indexed, url))).toEqual(indexed);
    // A record that was a direct reference travels without an index, whatever it was listed under.
    expect(toLinkedWheel({ ...recordOf(indexed, url), directUrl: indexed.url }).index).toBeNull();
  });
});

describe('lockToRequirements and direct URLs', () => {
  it("does not turn a direct URL's origin into an --extra-index-url (as an older Pipette recorded it)", () => {
    const lock: EnvironmentLock = {
      version: 1,
      python: '3.14.2',
      pyodide: '314.0.7',
      platform: 'pyemscripten_2026_0_wasm32',
      indexes: [PYPI_INDEX, 'https://example.com'],
      distributions: [
        { name: 'six', version: '1.17.0', filename: 'six-1.17.0-py2.py3-none-any.whl', url: 'https://files.pythonhosted.org/p/six-1.17.0-py2.py3-none-any.whl', sha256: SHA('a'), index: PYPI_INDEX, requested: true },
        { name: 'mylib', version: '0.1', filename: 'mylib-0.1-py3-none-any.whl', url: 'https://example.com/dl/mylib-0.1-py3-none-any.whl', sha256: SHA('d'), index: null, requested: true },
      ],
      files: [],
    };
    expect(lockToRequirements(lock, { hashes: false })).toBe('mylib @ https://example.com/dl/mylib-0.1-py3-none-any.whl\nsix==1.17.0\n');
    // An index some distribution is listed under stays, even at a bare origin.
    const listed = { ...lock, distributions: [...lock.distributions, { ...lock.distributions[0]!, name: 'idna', version: '3.10', filename: 'idna-3.10-py3-none-any.whl', url: 'https://example.com/f/idna-3.10-py3-none-any.whl', index: 'https://example.com' }] };
    expect(lockToRequirements(listed, { hashes: false }).split('\n')[0]).toBe('--extra-index-url https://example.com');
  });
});
