/**
 * Hardening catalogue, part 1: what a person (or a stranger's instructions) types or writes
 * for pip: requirement strings, specifiers and markers, command-line options, requirements
 * files and pip configuration. Each ends in a clear message, with pip's words where pip has
 * them, and the environment exactly as it was (pip freeze + sha256 of site-packages and bin/).
 */
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { expectClearAndUnchanged, pipSubject, outcome, type CatalogueItem } from './catalogue';

let server: IndexServer;
let h: PipHarness;

const HOME = '/home/pyodide';
const CONF = `${HOME}/.config/pip/pip.conf`;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0' },
      { name: 'alpha', version: '2.0' },
      { name: 'beta', version: '1.0', requires: ['alpha>=2'] },
      { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    pass\n' } },
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
  const r = await h.pip('install', 'alpha==1.0', 'tool==1.0');
  if (r.code !== 0) throw new Error(r.stderr);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const pip = (...argv: string[]) => async (s: PipHarness) => outcome(await s.pip(...argv));
const file = (name: string, content: string | Uint8Array) => (s: PipHarness) => s.writeFile(`${HOME}/${name}`, content);
const config = (content: string | Uint8Array) => ({
  // The folder is there before the first snapshot (the whole filesystem is compared).
  prepare: (s: PipHarness) => s.fs.mkdirp(CONF.slice(0, CONF.lastIndexOf('/'))),
  setup: (s: PipHarness) => s.writeFile(CONF, content),
  cleanup: (s: PipHarness) => {
    if (s.fs.exists(CONF)) s.fs.remove(CONF);
  },
});
const environment = (env: Record<string, string>) => ({
  setup: (s: PipHarness) => {
    s.env = env;
  },
  cleanup: (s: PipHarness) => {
    s.env = {};
  },
});

const requirementStrings: CatalogueItem<PipHarness>[] = [
  { input: "pip install 'alpha[x' (unclosed extras)", run: pip('install', 'alpha[x'), expectedMessage: "ERROR: Invalid requirement: 'alpha[x': Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras" },
  { input: "pip install 'alpha~=1' (~= needs two release segments)", run: pip('install', 'alpha~=1'), expectedMessage: "ERROR: Invalid requirement: 'alpha~=1'" },
  { input: "pip install 'alpha<=1.0+local'", run: pip('install', 'alpha<=1.0+local'), expectedMessage: 'Local version label can only be used with `==` or `!=` operators' },
  { input: "pip install 'alpha==1.0.*.*'", run: pip('install', 'alpha==1.0.*.*'), expectedMessage: '.* suffix cannot be used with pre-release, post-release, dev or local versions' },
  { input: "pip install 'alpha; python_version >' (marker cut short)", run: pip('install', 'alpha; python_version >'), expectedMessage: 'Expected a marker variable or quoted string' },
  { input: "pip install 'alpha; python_vers == \"3\"' (unknown marker variable)", run: pip('install', 'alpha; python_vers == "3"'), expectedMessage: "ERROR: Invalid requirement: 'alpha; python_vers == \"3\"': Expected a marker variable or quoted string" },
  {
    input: 'a marker nested 5 000 parentheses deep',
    run: pip('install', `alpha; ${'('.repeat(5000)}os_name == "x"${')'.repeat(5000)}`),
    expectedMessage: 'Marker expression nested more than 100 parentheses deep',
  },
  { input: 'a requirement with a NUL character (al\\0pha)', run: pip('install', 'al\u0000pha'), expectedMessage: "ERROR: Invalid requirement: 'al\\x00pha'" },
  { input: "pip install '' (empty requirement)", run: pip('install', ''), expectedMessage: 'Expected package name at the start of dependency specifier' },
  { input: "pip install '(((...' (10 000 parentheses)", run: pip('install', '('.repeat(10_000)), expectedMessage: 'ERROR: Invalid requirement:' },
  { input: "pip install 'alpha @ not-a-url'", run: pip('install', 'alpha @ not-a-url'), expectedMessage: "File 'not-a-url' does not exist." },
  { input: "pip install 'alpha @ file:///etc/passwd' (not a wheel)", run: pip('install', 'alpha @ file:///etc/passwd'), expectedMessage: 'Cannot install file:///etc/passwd: it is not a wheel' },
  { input: 'pip install ../../etc/passwd (a path that is no wheel)', run: pip('install', '../../etc/passwd'), expectedMessage: "Hint: It looks like a path. File '../../etc/passwd' does not exist." },
  { input: 'pip install no-such-project', run: pip('install', 'no-such-project'), expectedMessage: 'ERROR: No matching distribution found for no-such-project' },
  { input: 'pip install alpha==99 (no such version)', run: pip('install', 'alpha==99'), expectedMessage: 'ERROR: Could not find a version that satisfies the requirement alpha==99 (from versions: 1.0, 2.0)' },
  { input: "pip install 'alpha>=2' 'alpha<2' (contradicting requirements)", run: pip('install', 'alpha>=2', 'alpha<2'), expectedMessage: 'ERROR: No matching distribution found for alpha>=2, alpha<2' },
  { input: 'pip install beta alpha==1.0 (beta needs alpha>=2: a conflict)', run: pip('install', 'beta', 'alpha==1.0'), expectedMessage: 'ERROR: Cannot install alpha==1.0 and beta because these package versions have conflicting dependencies.' },
  {
    input: 'a 100 000-character project name',
    run: pip('install', 'a'.repeat(100_000)),
    // The index refuses the URL (431 from Node's server here, 414 from others): a status, not a hang.
    expectedMessage: /ERROR: HTTP error 4\d\d /,
  },
  { input: 'pip install -e . (editable install)', run: pip('install', '-e', '.'), expectedMessage: 'Cannot install . in editable mode: editable installs need a source tree and a build backend (PEP 660)' },
  { input: 'pip install --frobnicate alpha (unknown option)', run: pip('install', '--frobnicate', 'alpha'), expectedMessage: 'no such option: --frobnicate', exitCode: 2 },
  { input: 'pip install alpha==2.0 --hash=sha256:abc (--hash on the command line)', run: pip('install', 'alpha==2.0', '--hash=sha256:abc'), expectedMessage: 'no such option: --hash', exitCode: 2 },
  { input: 'pip frobnicate (unknown command)', run: pip('frobnicate'), expectedMessage: 'ERROR: unknown command "frobnicate"' },
  { input: 'pip install --index-url ftp://example.com/simple alpha', run: pip('install', '--index-url', 'ftp://example.com/simple', 'alpha'), expectedMessage: 'Pipette reaches indexes over http(s) only' },
  {
    input: 'pip install --index-url https://user:secret@127.0.0.1:1/simple/ alpha (credentials in the index URL)',
    run: async (s) => {
      const r = outcome(await s.pip('install', '--index-url', 'https://user:secret@127.0.0.1:1/simple/', 'alpha'));
      // The secret is not repeated on the screen.
      return { ...r, output: r.output.includes(':secret@') ? `${r.output}\n(the password was printed)` : r.output };
    },
    expectedMessage: /Cannot use the index https:\/\/user:\*\*\*\*@127\.0\.0\.1:1\/simple\/: its URL holds a user name, password or token(?![\s\S]*the password was printed)/,
  },
];

const requirementsFiles: CatalogueItem<PipHarness>[] = [
  { input: 'requirements file with an unknown option (--frobnicate)', prepare: file('unknown.txt', '--frobnicate\nalpha\n'), run: pip('install', '-r', 'unknown.txt'), expectedMessage: 'ERROR: unknown.txt:1: no such option: --frobnicate' },
  {
    input: 'requirements file ending in an unterminated continuation (alpha>=\\ at the end)',
    prepare: file('continued.txt', 'alpha>=\\'),
    run: pip('install', '-r', 'continued.txt'),
    expectedMessage: "ERROR: Invalid requirement: 'alpha>=' (from line 1 of continued.txt)",
  },
  { input: '-r naming a file that does not exist (inside a requirements file)', prepare: file('outer.txt', '-r nope.txt\n'), run: pip('install', '-r', 'outer.txt'), expectedMessage: "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'nope.txt'" },
  { input: 'pip install -r missing.txt', run: pip('install', '-r', 'missing.txt'), expectedMessage: "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'missing.txt'" },
  { input: 'pip install -r (a directory)', run: pip('install', '-r', HOME), expectedMessage: `ERROR: Could not open requirements file: [Errno 21] Is a directory: '${HOME}'` },
  { input: '-c naming a constraints file that does not exist', run: pip('install', '-c', 'nope.txt', 'alpha'), expectedMessage: "ERROR: Could not open requirements file: [Errno 2] No such file or directory: 'nope.txt'" },
  {
    input: 'requirements files that include each other (a.txt -r b.txt, b.txt -r a.txt)',
    prepare: async (s) => {
      file('a.txt', '-r b.txt\n')(s);
      file('b.txt', '-r a.txt\n')(s);
    },
    run: pip('install', '-r', 'a.txt'),
    expectedMessage: 'ERROR: a.txt recursively references itself in b.txt',
  },
  { input: 'a requirements file that includes itself', prepare: file('self.txt', 'alpha\n-r self.txt\n'), run: pip('install', '-r', 'self.txt'), expectedMessage: 'recursively references itself in self.txt' },
  {
    input: 'requirements file with a --hash that does not match',
    prepare: file('hash.txt', `alpha==2.0 --hash=sha256:${'0'.repeat(64)}\n`),
    run: pip('install', '-r', 'hash.txt'),
    expectedMessage: 'ERROR: THESE PACKAGES DO NOT MATCH THE HASHES FROM THE REQUIREMENTS FILE.',
  },
  {
    input: '--require-hashes with a requirement that has no hash',
    prepare: file('nohash.txt', 'alpha==2.0\n'),
    run: pip('install', '--require-hashes', '-r', 'nohash.txt'),
    expectedMessage: 'ERROR: Hashes are required in --require-hashes mode, but they are missing from some requirements.',
  },
  {
    input: 'a hashed requirements file with an unpinned requirement',
    prepare: file('unpinned.txt', `beta --hash=sha256:${'0'.repeat(64)}\n`),
    run: pip('install', '-r', 'unpinned.txt'),
    expectedMessage: 'In --require-hashes mode, all requirements must have their versions pinned with ==. These do not:',
  },
  { input: '--hash=md5:... (an algorithm pip does not allow)', prepare: file('md5.txt', 'alpha==2.0 --hash=md5:d41d8cd98f00b204e9800998ecf8427e\n'), run: pip('install', '-r', 'md5.txt'), expectedMessage: 'ERROR: md5.txt:1: Allowed hash algorithms for --hash are sha256, sha384, sha512.' },
  {
    input: 'requirements file with bytes that are not UTF-8',
    prepare: file('latin.txt', Uint8Array.from([0x61, 0x6c, 0x70, 0x68, 0x61, 0xff, 0xfe, 0x0a])),
    run: pip('install', '-r', 'latin.txt'),
    expectedMessage: '(from line 1 of latin.txt)',
  },
  { input: 'requirements file with an undefined ${VARIABLE}', prepare: file('var.txt', 'alpha${UNDEFINED_VAR}\n'), run: pip('install', '-r', 'var.txt'), expectedMessage: "ERROR: Invalid requirement: 'alpha${UNDEFINED_VAR}' (from line 1 of var.txt)" },
];

const configuration: CatalogueItem<PipHarness>[] = [
  { input: 'pip.conf that is not INI (junk text)', ...config('this is junk\n'), run: pip('install', 'alpha'), expectedMessage: 'Configuration file could not be loaded.\nFile contains no section headers.', exitCode: 2 },
  { input: 'pip.conf with an unclosed section header ([global)', ...config('[global\ntimeout = 1\n'), run: pip('install', 'alpha'), expectedMessage: 'File contains no section headers.', exitCode: 2 },
  { input: 'pip.conf with an option given twice', ...config('[global]\ntimeout = 1\ntimeout = 2\n'), run: pip('install', 'alpha'), expectedMessage: "option 'timeout' in section 'global' already exists", exitCode: 2 },
  {
    input: 'pip.conf with bytes that are not UTF-8',
    ...config(Uint8Array.from([0x5b, 0x67, 0x6c, 0x6f, 0x62, 0x61, 0x6c, 0x5d, 0x0a, 0x78, 0x3d, 0xff, 0xfe, 0x0a])),
    run: pip('install', 'alpha'),
    expectedMessage: 'Configuration file contains invalid UTF-8 characters',
    exitCode: 2,
  },
  { input: 'pip.conf timeout = abc', ...config('[global]\ntimeout = abc\n'), run: pip('install', 'alpha'), expectedMessage: "An error occurred during configuration: option timeout: invalid floating-point value: 'abc'", exitCode: 3 },
  { input: 'pip.conf retries = many', ...config('[global]\nretries = many\n'), run: pip('install', 'alpha'), expectedMessage: "option retries: invalid integer value: 'many'", exitCode: 3 },
  { input: 'pip.conf index-url = ftp://x/', ...config('[install]\nindex-url = ftp://x/\n'), run: pip('install', 'alpha'), expectedMessage: 'Cannot use the index ftp://x/: Pipette reaches indexes over http(s) only' },
  { input: 'PIP_TIMEOUT=abc', ...environment({ PIP_TIMEOUT: 'abc' }), run: pip('install', 'alpha'), expectedMessage: "option timeout: invalid floating-point value: 'abc'", exitCode: 3 },
  {
    input: 'PIP_REQUIRE_VIRTUALENV=maybe',
    ...environment({ PIP_REQUIRE_VIRTUALENV: 'maybe' }),
    run: pip('install', 'alpha'),
    expectedMessage: 'maybe is not a valid value for require-virtualenv option, please specify a boolean value like yes/no, true/false or 1/0 instead.',
    exitCode: 2,
  },
];

describe.each([
  ['requirement strings, specifiers, markers and options', requirementStrings],
  ['requirements files', requirementsFiles],
  ['pip configuration', configuration],
])('%s', (_title, items) => {
  test.each(items.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
    await expectClearAndUnchanged(pipSubject(h), item);
  });
});
