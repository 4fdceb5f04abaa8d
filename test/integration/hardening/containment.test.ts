/**
 * Hardening catalogue, part 7: wheels and installed distributions that try to reach outside
 * their environment — script names used as paths, `.data` files aimed at the home folder or
 * pip's configuration, a second `.dist-info`, a RECORD that claims the person's files, and
 * symbolic links on the way. Each is refused by src/install (the one door into an
 * environment), and the whole filesystem is compared before and after (catalogue.ts).
 *
 * Installs also upgrade `tool` (whose new version is written first or after), so a refusal
 * must undo writes; uninstalls that must go on keep what is not theirs and say so.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { PYODIDE_ENV } from '../../fixtures/pyodide-target';
import { recordHash, sha256Hex, type BuiltDist } from '../../fixtures/wheel-builder';
import { expectClearAndUnchanged, outcome, pipSubject, type CatalogueItem } from './catalogue';
import { hostileWheel, rawZip, type RawEntry } from './hostile-wheels';

const enc = new TextEncoder();
const HOME = '/home/pyodide';
const MAIN = `${HOME}/main.py`;
const MAIN_TEXT = 'print("the person\'s own work")\n';
// The base environment's site-packages, for the messages (checked against the harness's below).
const PY = PYODIDE_ENV['python_version']!;
const site = `/lib/python${PY}/site-packages`;
let server: IndexServer;
let h: PipHarness;

const escape = (name: string): string => name.replace(/[-_.]+/g, '_');
/** A wheel of `name` 1.0 holding `entries` beside its package (listed in RECORD like the rest). */
const wheel = (name: string, entries: readonly RawEntry[], options: { filename?: string } = {}): BuiltDist => hostileWheel({ name, version: '1.0' }, { extra: entries, ...options });
/** A wheel whose entry_points.txt declares one script named `script` in `group`. */
const scripted = (name: string, script: string, group = 'console_scripts'): BuiltDist =>
  wheel(name, [{ path: `${escape(name)}-1.0.dist-info/entry_points.txt`, data: enc.encode(`[${group}]\n${script} = ${escape(name)}:main\n`) }]);
const entry = (path: string, text = 'x = 1\n'): RawEntry => ({ path, data: enc.encode(text) });

/** A wheel of `name` 1.0 (METADATA, WHEEL, RECORD right) whose one .dist-info is called `distInfo`. */
function distInfoNamed(name: string, distInfo: string): BuiltDist {
  const files: RawEntry[] = [
    entry(`${escape(name)}/__init__.py`),
    entry(`${distInfo}/METADATA`, `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`),
    entry(`${distInfo}/WHEEL`, 'Wheel-Version: 1.0\nGenerator: pipette-hostile (0.1)\nRoot-Is-Purelib: true\nTag: py3-none-any\n'),
  ];
  const record = [...files.map((f) => `${f.path},${recordHash(f.data)},${f.data.length}`), `${distInfo}/RECORD,,`].join('\n');
  const bytes = rawZip([...files, entry(`${distInfo}/RECORD`, `${record}\n`)]);
  const metadata = `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`;
  return { filename: `${escape(name)}-1.0-py3-none-any.whl`, bytes, sha256: sha256Hex(bytes), metadata, metadataSha256: sha256Hex(metadata), spec: { name, version: '1.0' }, kind: 'wheel' };
}

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0' },
      { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    pass\n' } },
      { name: 'tool', version: '2.0', entryPoints: { console_scripts: { tool: 'tool:main' } }, files: { 'tool/__init__.py': 'def main():\n    return 2\n' } },
      { name: 'victim', version: '2.0' },
      { name: 'linkwriter', version: '1.0', files: { 'evil/main.py': 'print("through the link")\n', 'linkwriter/__init__.py': '' } },
      { name: 'loopwriter', version: '1.0', files: { 'loop/x.py': 'x = 1\n' } },
      { name: 'overwriter', version: '1.0', files: { 'linked.py': 'x = 1\n' } },
      { name: 'cachewriter', version: '1.0', files: { 'cachewriter/__init__.py': 'x = 1\n' } },
    ],
    dists: [
      scripted('script-home', '../home/pyodide/main.py'),
      scripted('script-site', `..${site}/sitecustomize.py`),
      scripted('script-slash', 'a/b'),
      scripted('script-empty', ''),
      scripted('script-dotdot', '..'),
      scripted('script-dot', '.'),
      scripted('script-control', 'tool\u001b[2J'),
      scripted('script-backslash', '..\\evil'),
      scripted('gui-escape', '../../evil', 'gui_scripts'),
      scripted('script-python', 'python'),
      scripted('script-activate', 'activate'),
      wheel('data-python', [entry('data_python-1.0.data/scripts/python3', '#!python\nprint("not the interpreter")\n')]),
      wheel('data-pip-conf', [entry('data_pip_conf-1.0.data/data/home/pyodide/.config/pip/pip.conf', '[global]\nindex-url = https://evil.example/simple/\n')]),
      wheel('data-home', [entry('data_home-1.0.data/data/home/pyodide/main.py', 'print("replaced")\n')]),
      wheel('data-tmp', [entry('data_tmp-1.0.data/data/tmp/evil.py')]),
      wheel('data-etc-pip', [entry('data_etc_pip-1.0.data/data/etc/pip.conf', '[global]\nindex-url = https://evil.example/simple/\n')]),
      wheel('data-site-conf', [entry('data_site_conf-1.0.data/data/pip.conf', '[global]\nindex-url = https://evil.example/simple/\n')]),
      wheel('data-climb', [entry('data_climb-1.0.data/purelib/../../x')]),
      wheel('headers-climb', [entry('headers_climb-1.0.data/headers/../../../../home/pyodide/x.h')]),
      wheel('data-foreign', [entry(`data_foreign-1.0.data/data${site}/alpha-1.0.dist-info/RECORD`, 'alpha/__init__.py,,\n')]),
      wheel('purelib-foreign', [entry('purelib_foreign-1.0.data/purelib/victim-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: victim\nVersion: 1.0\n')]),
      wheel('second-data', [entry('other-1.0.data/scripts/other')]),
      wheel('two-dist-infos', [entry('other-1.0.dist-info/METADATA', 'Metadata-Version: 2.1\nName: other\nVersion: 1.0\n'), entry('other-1.0.dist-info/RECORD', '../../../../home/pyodide/main.py,,\n')]),
      distInfoNamed('misnamed', 'someone_else-1.0.dist-info'),
      distInfoNamed('misversioned', 'misversioned-9.9.dist-info'),
      wheel('venv-config', [entry('venv_config-1.0.data/data/pyvenv.cfg', 'include-system-site-packages = true\n')]),
    ],
  });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
  expect(h.sitePackages).toBe(site);
  const r = await h.pip('install', 'alpha==1.0', 'tool==1.0');
  if (r.code !== 0) throw new Error(r.stderr);
  h.writeFile(MAIN, MAIN_TEXT);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

const pip = (...argv: string[]) => async (s: PipHarness) => outcome(await s.pip(...argv));
/** `pip install -U tool NAME`: an upgrade of tool is written too, so a refusal must undo it. */
const withUpgrade = (name: string) => pip('install', '--no-cache-dir', '-U', 'tool', name);

/** A distribution put in site-packages by hand (or by an older installer), RECORD and all. */
function plant(s: PipHarness, name: string, record: readonly string[]): void {
  const distInfo = `${site}/${name}-1.0.dist-info`;
  const metadata = `Metadata-Version: 2.1\nName: ${name}\nVersion: 1.0\n`;
  s.writeFile(`${distInfo}/METADATA`, metadata);
  s.writeFile(`${site}/${name}/__init__.py`, '');
  const rows = [`${name}/__init__.py,${recordHash(new Uint8Array())},0`, `${name}-1.0.dist-info/METADATA,${recordHash(enc.encode(metadata))},${metadata.length}`, ...record, `${name}-1.0.dist-info/RECORD,,`];
  s.writeFile(`${distInfo}/RECORD`, `${rows.join('\n')}\n`);
}
const planted = (name: string) => [`${site}/${name}`, `${site}/${name}-1.0.dist-info`];
const frozenBefore = 'alpha==1.0\ntool==1.0\n';

const catalogue: CatalogueItem<PipHarness>[] = [
  // Script names are file names in bin/, nothing more (console_scripts, gui_scripts).
  { input: 'console script named ../home/pyodide/main.py', run: withUpgrade('script-home'), expectedMessage: 'its console script "../home/pyodide/main.py" (script_home-1.0.dist-info/entry_points.txt) is not a plain file name: it contains "/"' },
  { input: `console script named ..${site}/sitecustomize.py`, run: withUpgrade('script-site'), expectedMessage: `its console script "..${site}/sitecustomize.py" (script_site-1.0.dist-info/entry_points.txt) is not a plain file name` },
  { input: 'console script named a/b', run: withUpgrade('script-slash'), expectedMessage: `"a/b" (script_slash-1.0.dist-info/entry_points.txt) is not a plain file name: it contains "/"` },
  { input: 'console script with an empty name', run: withUpgrade('script-empty'), expectedMessage: 'its console script "" (script_empty-1.0.dist-info/entry_points.txt) is not a plain file name: it is empty' },
  { input: 'console script named ..', run: withUpgrade('script-dotdot'), expectedMessage: 'its console script ".." (script_dotdot-1.0.dist-info/entry_points.txt) is not a plain file name: it is ".."' },
  { input: 'console script named .', run: withUpgrade('script-dot'), expectedMessage: 'its console script "." (script_dot-1.0.dist-info/entry_points.txt) is not a plain file name: it is "."' },
  { input: 'console script whose name holds an escape sequence (ESC [2J)', run: withUpgrade('script-control'), expectedMessage: /its console script "tool\\u001b\[2J" \(script_control-1\.0\.dist-info\/entry_points\.txt\) is not a plain file name: it contains a control character(?![\s\S]*\u001b)/ },
  { input: 'console script named ..\\evil (backslash)', run: withUpgrade('script-backslash'), expectedMessage: 'is not a plain file name: it contains "\\"' },
  { input: 'GUI script named ../../evil', run: withUpgrade('gui-escape'), expectedMessage: 'its GUI script "../../evil" (gui_escape-1.0.dist-info/entry_points.txt) is not a plain file name' },
  { input: 'console script named python (the interpreter)', run: withUpgrade('script-python'), expectedMessage: `it would replace the environment's /bin/python. Rule: a wheel never replaces the environment's own files` },
  { input: 'console script named activate', run: withUpgrade('script-activate'), expectedMessage: "it would replace the environment's /bin/activate" },
  { input: '.data/scripts/python3 (a script over the interpreter)', run: withUpgrade('data-python'), expectedMessage: 'its entry "data_python-1.0.data/scripts/python3" breaks a rule: it would replace the environment\'s /bin/python3' },

  // .data/<scheme>/ files stay in the scheme; the base environment's data is /share and /etc.
  {
    input: '.data/data/home/pyodide/.config/pip/pip.conf',
    run: withUpgrade('data-pip-conf'),
    expectedMessage: `its entry "data_pip_conf-1.0.data/data/home/pyodide/.config/pip/pip.conf" breaks a rule: it would write ${HOME}/.config/pip/pip.conf, which is pip's configuration`,
  },
  { input: '.data/data/home/pyodide/main.py (the home folder)', run: withUpgrade('data-home'), expectedMessage: `it would be written to ${MAIN}, outside the environment` },
  { input: '.data/data/tmp/evil.py', run: withUpgrade('data-tmp'), expectedMessage: `it would be written to /tmp/evil.py, outside the environment (${site}, /bin, /include/python${PY}, /share, /etc). Rule: every file a wheel writes stays inside the environment's site-packages, bin, include and data folders; for an environment whose prefix is '/', the data folders are /share and /etc only` },
  { input: '.data/data/etc/pip.conf (the global configuration)', run: withUpgrade('data-etc-pip'), expectedMessage: "it would write /etc/pip.conf, which is pip's configuration" },
  { input: ".data/data/pip.conf (the base environment's site configuration)", run: withUpgrade('data-site-conf'), expectedMessage: "it would write /pip.conf, which is pip's configuration" },
  { input: '.data/purelib/../../x', run: withUpgrade('data-climb'), expectedMessage: 'contains the path "data_climb-1.0.data/purelib/../../x", which would be written outside site-packages' },
  { input: '.data/headers/../../../../home/pyodide/x.h', run: withUpgrade('headers-climb'), expectedMessage: 'contains the path "headers_climb-1.0.data/headers/../../../../home/pyodide/x.h"' },
  {
    input: "a --prefix venv: .data/data/pyvenv.cfg (the environment's own configuration)",
    run: pip('install', '--prefix', `${HOME}/venvx`, 'venv-config'),
    expectedMessage: `it would replace the environment's ${HOME}/venvx/pyvenv.cfg`,
  },

  // One .dist-info, the wheel's own; nobody else's.
  { input: 'two .dist-info directories in one wheel', run: withUpgrade('two-dist-infos'), expectedMessage: 'two_dist_infos-1.0-py3-none-any.whl has an invalid wheel, multiple .dist-info directories found: other-1.0.dist-info, two_dist_infos-1.0.dist-info' },
  { input: 'the only .dist-info named for another project (someone_else-1.0.dist-info in misnamed 1.0)', run: withUpgrade('misnamed'), expectedMessage: 'misnamed-1.0-py3-none-any.whl has an invalid wheel, its .dist-info directory "someone_else-1.0.dist-info" is not named for misnamed 1.0' },
  { input: 'the only .dist-info named for another version (misversioned-9.9.dist-info in misversioned 1.0)', run: withUpgrade('misversioned'), expectedMessage: 'its .dist-info directory "misversioned-9.9.dist-info" is not named for misversioned 1.0' },
  { input: '.data/data/ writing alpha-1.0.dist-info/RECORD into site-packages', run: withUpgrade('data-foreign'), expectedMessage: `it would write into ${site}/alpha-1.0.dist-info, which is not its own data_foreign-1.0.dist-info` },
  { input: '.data/purelib/ writing a victim-1.0.dist-info', run: withUpgrade('purelib-foreign'), expectedMessage: `it would write into ${site}/victim-1.0.dist-info` },
  { input: 'a second .data directory (other-1.0.data/) at the top of the wheel', run: withUpgrade('second-data'), expectedMessage: `its entry "other-1.0.data/scripts/other" breaks a rule: it would write into ${site}/other-1.0.data` },

  // Symbolic links on the way out of the environment.
  {
    input: 'site-packages/evil -> /home/pyodide, then a wheel writing evil/main.py',
    prepare: (s) => s.fs.symlink(HOME, `${site}/evil`),
    teardown: (s) => s.fs.remove(`${site}/evil`),
    run: withUpgrade('linkwriter'),
    expectedMessage: `its entry "evil/main.py" breaks a rule: ${site}/evil/main.py leads through a symbolic link to ${MAIN}, outside the environment. Rule: nothing is written or removed through a symbolic link that leads out of the environment`,
  },
  {
    input: 'site-packages/linked.py -> /home/pyodide/main.py, then a wheel writing linked.py',
    prepare: (s) => s.fs.symlink(MAIN, `${site}/linked.py`),
    teardown: (s) => s.fs.remove(`${site}/linked.py`),
    run: withUpgrade('overwriter'),
    expectedMessage: `${site}/linked.py leads through a symbolic link to ${MAIN}, outside the environment`,
  },
  {
    input: 'site-packages/cachewriter/__pycache__ -> /home/pyodide, then a wheel whose module is compiled there (pip install compiles by default)',
    prepare: (s) => {
      s.fs.mkdirp(`${site}/cachewriter`);
      s.fs.symlink(HOME, `${site}/cachewriter/__pycache__`);
    },
    teardown: (s) => {
      s.fs.remove(`${site}/cachewriter/__pycache__`);
      s.fs.remove(`${site}/cachewriter`);
    },
    run: withUpgrade('cachewriter'),
    expectedMessage: `its entry "cachewriter/__init__.py (compiled)" breaks a rule: ${site}/cachewriter/__pycache__/__init__.cpython-314.pyc leads through a symbolic link to ${HOME}/__init__.cpython-314.pyc, outside the environment`,
  },
  {
    input: 'site-packages/loop -> loop (a link loop), then a wheel writing loop/x.py',
    prepare: (s) => s.fs.symlink('loop', `${site}/loop`),
    teardown: (s) => s.fs.remove(`${site}/loop`),
    run: withUpgrade('loopwriter'),
    expectedMessage: `${site}/loop/x.py goes through a loop of symbolic links`,
  },
  {
    input: 'bin/ is a link to the home folder, then pip install -U tool (its script goes to bin/)',
    prepare: (s) => {
      s.py.FS.rename('/bin', '/bin.real');
      s.fs.symlink(HOME, '/bin');
    },
    teardown: (s) => {
      s.fs.remove('/bin');
      s.py.FS.rename('/bin.real', '/bin');
    },
    run: pip('install', '--no-cache-dir', '-U', 'tool'),
    expectedMessage: /its entry "tool-2\.0\.dist-info\/entry_points\.txt \[console_scripts\] tool" breaks a rule: \/bin\/tool leads through a symbolic link to \/home\/pyodide\/tool, outside the environment/,
  },

  // A RECORD that claims files outside the environment: the uninstall goes on, the files stay.
  {
    input: 'pip uninstall of a distribution whose RECORD lists ../../../../home/pyodide/main.py',
    prepare: (s) => plant(s, 'victim', ['../../../../home/pyodide/main.py,,']),
    run: pip('uninstall', '-y', 'victim'),
    expectedMessage: `WARNING: Not removing or modifying (outside of prefix):\n  ${MAIN}`,
    exitCode: 0,
    freezeAfter: frozenBefore,
    mayChange: planted('victim'),
  },
  {
    input: 'pip install --upgrade of that distribution (the old RECORD lists the home folder)',
    prepare: (s) => plant(s, 'victim', ['../../../../home/pyodide/main.py,,']),
    teardown: async (s) => void (await s.pip('uninstall', '-y', 'victim')),
    run: pip('install', '--no-cache-dir', '--upgrade', 'victim'),
    expectedMessage: `Attempting uninstall: victim\n    Found existing installation: victim 1.0\n    Uninstalling victim-1.0:\n      Successfully uninstalled victim-1.0\nSuccessfully installed victim-2.0\n      WARNING: Not removing or modifying (outside of prefix):\n      ${MAIN}\n`,
    exitCode: 0,
    freezeAfter: 'alpha==1.0\ntool==1.0\nvictim==2.0\n',
    mayChange: [...planted('victim'), `${site}/victim-2.0.dist-info`],
  },
  {
    input: "pip uninstall of a distribution whose RECORD lists another project's .dist-info (alpha's)",
    prepare: (s) => plant(s, 'claimer', ['alpha-1.0.dist-info/METADATA,,', 'alpha-1.0.dist-info/RECORD,,', 'alpha/__init__.py,,']),
    run: pip('uninstall', '-y', 'claimer'),
    expectedMessage: `Not removing or modifying (outside of prefix):\n  ${site}/alpha-1.0.dist-info/METADATA\n  ${site}/alpha-1.0.dist-info/RECORD`,
    exitCode: 0,
    freezeAfter: frozenBefore,
    mayChange: [...planted('claimer'), `${site}/alpha`],
  },
  {
    input: "pip uninstall of a distribution whose RECORD lists pip's configuration and /tmp by absolute path",
    prepare: (s) => {
      s.writeFile(`${HOME}/.config/pip/pip.conf`, '[global]\ntimeout = 60\n');
      s.writeFile('/tmp/keep-me.txt', 'mine\n');
      plant(s, 'absolutist', [`${HOME}/.config/pip/pip.conf,,`, '/tmp/keep-me.txt,,']);
    },
    teardown: (s) => {
      s.fs.remove(`${HOME}/.config/pip/pip.conf`);
      s.fs.remove('/tmp/keep-me.txt');
    },
    run: pip('uninstall', '-y', 'absolutist'),
    expectedMessage: `Not removing or modifying (outside of prefix):\n  ${HOME}/.config/pip/pip.conf\n  /tmp/keep-me.txt`,
    exitCode: 0,
    freezeAfter: frozenBefore,
    mayChange: planted('absolutist'),
  },
  {
    input: 'pip uninstall of a distribution whose RECORD goes through site-packages/out -> /home/pyodide',
    prepare: (s) => {
      s.fs.symlink(HOME, `${site}/out`);
      plant(s, 'linker', ['out/main.py,,']);
    },
    teardown: (s) => s.fs.remove(`${site}/out`),
    run: pip('uninstall', '-y', 'linker'),
    expectedMessage: `Not removing or modifying (outside of prefix):\n  ${site}/out/main.py`,
    exitCode: 0,
    freezeAfter: frozenBefore,
    mayChange: planted('linker'),
  },
  {
    input: 'pip uninstall (answered no) lists what it would not remove',
    prepare: (s) => {
      plant(s, 'asker', ['../../../../home/pyodide/main.py,,']);
      s.confirmAnswer = false;
    },
    teardown: async (s) => {
      s.confirmAnswer = null;
      await s.pip('uninstall', '-y', 'asker');
    },
    run: pip('uninstall', 'asker'),
    expectedMessage: `Would not remove (outside of prefix):\n    ${MAIN}\n`,
    exitCode: 0,
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  await expectClearAndUnchanged(pipSubject(h), item);
  expect(h.readText(MAIN)).toBe(MAIN_TEXT);
});

test('after every refusal the old tool and its script are in place, and Python sees what pip sees', async () => {
  expect(h.fs.lstat('/bin')?.kind).toBe('directory');
  expect(h.metadataVersion('tool')).toBe('1.0');
  expect((await h.pip('freeze', '--all')).stdout).toBe('alpha==1.0\ntool==1.0\n');
});
