/**
 * Hardening catalogue, part 7: what reaches the terminal, and the shell's bounds. The terminal's
 * shell over a runtime session (src/shell over RuntimeShellHost, as the worker builds it), fed
 * text from strangers (package metadata, yanked reasons, file names, URLs), commands built from
 * a hostile file name, and inputs that used to hang, overflow or print `[object Object]`:
 * symbolic links, `source` of itself, a backtracking glob, 150 000 arguments, devices.
 *
 * Each item goes through expectClearAndUnchanged (pip freeze, site-packages, bin/ and the home
 * folder unchanged), and its output also holds no character a terminal acts on (the runtime's
 * own download line aside), and no secret.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { hasTerminalControls } from '../../../src/pep';
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { quoteArgv, Shell } from '../../../src/shell';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';
import { expectClearAndUnchanged, runtimeSubject, type CatalogueItem, type Outcome, type Subject } from './catalogue';

const ESC = '\x1b';
const HOME = '/home/pyodide';
const FORGED = `${ESC}[2J${ESC}[HSuccessfully installed evil-1.0`;
const HOSTILE_NAME = 'requirements.txt; rm -rf ~; echo x.txt';
const SECRETS = ['s3cr3t-query', 'tok-s3cr3t-123', 'pw-s3cr3t'];
// A closed port, no retries: the fetch error comes at once, with the URL in it.
const CLOSED = 'http://127.0.0.1:9';
const NO_RETRY = '--retries 0 --timeout 1';

interface TerminalSubject extends RuntimeHarness, Subject {
  readonly stores: SessionStores;
  /** A line typed at the terminal. */
  sh(line: string, env?: Record<string, string>): Promise<Outcome>;
  /** A command the page runs by argv (Import…, Run, the panels). */
  argv(argv: readonly string[]): Promise<Outcome>;
  write(path: string, text: string): void;
  symlink(target: string, path: string): void;
  unlink(path: string): void;
}

interface Item extends CatalogueItem<TerminalSubject> {
  /** More to check on the outcome (the time it took, the store's keys). */
  readonly also?: (outcome: Outcome, s: TerminalSubject) => void | Promise<void>;
}

let index: IndexServer;
let subject: TerminalSubject;
let shell: Shell;

beforeAll(async () => {
  index = await startIndexServer({
    projects: [
      { name: 'alpha', version: '1.0' },
      { name: 'evil', version: '1.0', summary: FORGED, homePage: 'https://example.com/\u202egnp.exe' },
      { name: 'csi', version: '1.0', summary: 'a\x9b2Jb\u202ec' },
      { name: 'yanky', version: '1.0', yanked: `bad ${ESC}[31mred${ESC}[0m, see https://user:pw-s3cr3t@example.com/why` },
      { name: 'baddep', version: '1.0', requires: [`alpha${ESC}[2J>=1`] },
    ],
  });
  const stores = newStores();
  const h = await RuntimeHarness.start(index, stores);
  shell = new Shell(new RuntimeShellHost(h.session, { clear: () => undefined }), { cwd: HOME });
  const FS = h.session.pyodide.FS;
  const encoder = new TextEncoder();
  const run = async (go: (io: { stdout: (t: string) => void; stderr: (t: string) => void }) => Promise<{ status: number }>): Promise<Outcome> => {
    let output = '';
    const io = { stdout: (t: string) => void (output += t), stderr: (t: string) => void (output += t) };
    const result = await go(io);
    return { code: result.status, output };
  };
  subject = Object.assign(runtimeSubject(h, { home: true }), {
    stores,
    sh: (line: string, env: Record<string, string> = {}) => {
      const prefix = Object.entries(env).map(([k, v]) => `${k}=${quoteArgv([v])} `).join('');
      return run((io) => shell.run(`${prefix}${line}`, io));
    },
    argv: (argv: readonly string[]) => run((io) => shell.runArgv(argv, io)),
    write: (path: string, text: string) => {
      h.session.fs.mkdirp(path.slice(0, path.lastIndexOf('/')));
      h.session.fs.writeFile(path, encoder.encode(text));
    },
    symlink: (target: string, path: string) => FS.symlink(target, path),
    unlink: (path: string) => FS.unlink(path),
  }) as TerminalSubject;
  // The person's own work, which no input below may touch.
  subject.write(`${HOME}/main.py`, 'print("my own work")\n');
  subject.write(`${HOME}/keep/notes.txt`, 'precious\n');
  expect((await subject.pip(['install', 'evil', 'csi'])).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await index?.close();
});

/** The many files of the 150 000-argument items: their own MEMFS under /tmp, made fast, gone at once. */
function manyFiles(s: TerminalSubject, dir: string, count: number): void {
  const FS = s.session.pyodide.FS;
  FS.mkdirTree(dir);
  FS.mount(FS.filesystems.MEMFS, {}, dir);
  const parent = FS.lookupPath(dir).node;
  for (let i = 0; i < count; i++) parent.node_ops.mknod(parent, `f${i}`, 0o100644, 0);
}
function dropMany(s: TerminalSubject, dir: string): void {
  const FS = s.session.pyodide.FS;
  FS.unmount(dir);
  FS.rmdir(dir);
}

/**
 * The file Import… saves under its own hostile name, then `pip install -r` of it, run by `run`:
 * pip gets the name as one argument (the file asks for a project that does not exist), and
 * `rm -rf ~` and `echo x.txt` never run.
 */
function hostileImport(input: string, run: (s: TerminalSubject, argv: readonly string[]) => Promise<Outcome>): Item {
  const path = `${HOME}/${HOSTILE_NAME}`;
  return {
    input,
    setup: (s) => s.write(path, 'no-such-project\n'),
    run: (s) => run(s, ['pip', 'install', '-r', path]),
    cleanup: (s) => s.session.fs.remove(path),
    expectedMessage: 'ERROR: No matching distribution found for no-such-project',
    also: (o) => expect(o.output).not.toMatch(/^x\.txt$/m),
  };
}

const catalogue: Item[] = [
  // --- text from outside, shown escaped --------------------------------------------------
  {
    input: 'pip show of a package whose Summary clears the screen and forges "Successfully installed"',
    run: (s) => s.sh('pip show evil'),
    expectedMessage: 'Summary: \\x1b[2J\\x1b[HSuccessfully installed evil-1.0',
    exitCode: 0,
  },
  {
    input: 'pip show of a Home-page with a right-to-left override (U+202E)',
    run: (s) => s.sh('pip show evil'),
    expectedMessage: 'Home-page: https://example.com/\\u202egnp.exe',
    exitCode: 0,
  },
  {
    input: 'pip inspect of a Summary with a C1 CSI and a bidi override (JSON stays JSON)',
    run: (s) => s.sh('pip inspect'),
    expectedMessage: '"summary": "a\\u009b2Jb\\u202ec"',
    exitCode: 0,
    also: (o) => expect(() => JSON.parse(o.output)).not.toThrow(),
  },
  {
    input: 'a yanked reason with colour codes and a password in a URL (pip install --dry-run)',
    run: (s) => s.sh('pip install --dry-run yanky==1.0'),
    expectedMessage: 'Reason for being yanked: bad \\x1b[31mred\\x1b[0m, see https://user:****@example.com/why',
    exitCode: 0,
  },
  {
    input: 'a Requires-Dist with an escape sequence, in the resolver explanation',
    run: (s) => s.sh('pip install baddep'),
    expectedMessage: "Metadata field 'Requires-Dist' has an invalid value 'alpha\\x1b[2J>=1'",
  },
  {
    input: 'a wheel path with an escape sequence',
    run: (s) => s.sh(`pip install './x${ESC}[2J.whl'`),
    expectedMessage: "File './x\\x1b[2J.whl' does not exist.",
  },
  {
    input: 'an index URL with an escape sequence, in the network error',
    run: (s) => s.sh(`pip install ${NO_RETRY} --index-url '${CLOSED}/x${ESC}[2J/simple/' alpha`),
    expectedMessage: `Could not connect to 127.0.0.1:9 to get ${CLOSED}/x\\x1b[2J/simple/alpha/`,
  },
  {
    input: 'ls of a folder holding a file name with an escape sequence',
    setup: (s) => s.write(`${HOME}/names/a${ESC}[2Jb`, ''),
    run: (s) => s.sh('ls names'),
    cleanup: (s) => {
      s.session.fs.remove(`${HOME}/names/a${ESC}[2Jb`);
      s.session.fs.remove(`${HOME}/names`);
    },
    expectedMessage: "'a'$'\\033''[2Jb'",
    exitCode: 0,
  },
  {
    input: 'cat of a missing name with an escape sequence',
    run: (s) => s.sh(`cat 'x${ESC}[31m'`),
    expectedMessage: "cat: 'x'$'\\033''[31m': No such file or directory",
  },
  {
    input: 'a command name with an escape sequence (command not found)',
    run: (s) => s.sh(`'x${ESC}[2J'`),
    expectedMessage: "bash: 'x'$'\\033''[2J': command not found",
    exitCode: 127,
  },

  // --- a command built from a hostile file name -------------------------------------------
  hostileImport(`Import… of a file named "${HOSTILE_NAME}": pip install -r runs by argv`, (s, argv) => s.argv(argv)),
  hostileImport('the same command as the terminal shows it (quoteArgv), typed back', (s, argv) => s.sh(quoteArgv(argv, { home: HOME }))),

  // --- the filesystem: links, devices ---------------------------------------------------
  {
    input: 'rm -r of a symbolic link to a folder of the person’s files',
    setup: (s) => s.symlink(`${HOME}/keep`, `${HOME}/link`),
    run: (s) => s.sh('rm -rv link'),
    expectedMessage: "removed 'link'",
    exitCode: 0,
  },
  {
    input: 'rm -r of a folder holding a symbolic link to the home folder',
    setup: (s) => {
      s.session.fs.mkdirp(`${HOME}/trash`);
      s.symlink(HOME, `${HOME}/trash/home`);
    },
    run: (s) => s.sh('rm -rv trash'),
    expectedMessage: "removed 'trash'",
    exitCode: 0,
  },
  {
    input: 'a symbolic link loop in the home folder, then the workspace save',
    run: (s) => s.sh(`python -c "import os; os.symlink('.', 'loop')"`),
    cleanup: (s) => s.unlink(`${HOME}/loop`),
    expectedMessage: 'WARNING: /home/pyodide/loop is a symbolic link: links are not kept after a reload',
    exitCode: 0,
    also: async (_o, s) => expect((await s.stores.workspace.keys()).filter((k) => k.includes('/loop'))).toEqual([]),
  },
  {
    input: '40 symbolic links to one folder, then the workspace save (no 40 copies)',
    run: (s) => s.sh(`python -c "import os; [os.symlink('keep', f'l{i}') for i in range(40)]"`),
    cleanup: (s) => {
      for (let i = 0; i < 40; i++) s.unlink(`${HOME}/l${i}`);
    },
    expectedMessage: /WARNING: \/home\/pyodide\/l0, \/home\/pyodide\/l1, .* are symbolic links: links are not kept after a reload/,
    exitCode: 0,
    also: async (_o, s) => expect((await s.stores.workspace.keys()).filter((k) => k.endsWith('/notes.txt'))).toEqual([`file:${HOME}/keep/notes.txt`]),
  },
  {
    input: 'pip share with a symbolic link loop in the home folder',
    setup: (s) => s.symlink('.', `${HOME}/loop`),
    run: (s) => s.sh('pip share'),
    cleanup: (s) => s.unlink(`${HOME}/loop`),
    expectedMessage: 'WARNING: loop is not shared: it is not a text file (or it is a symbolic link), or larger than 256 kB.',
    exitCode: 0,
  },
  {
    input: 'cat /dev/tty (the terminal is busy: not readable as a file)',
    run: (s) => s.sh('cat /dev/tty'),
    expectedMessage: 'cat: /dev/tty: Operation not supported',
  },
  {
    input: 'cat /dev/urandom (never ends: read at most 1 MiB)',
    run: (s) => s.sh('cat /dev/urandom'),
    expectedMessage: 'cat: /dev/urandom: File too large',
  },
  {
    input: 'pip install -r /dev/tty',
    run: (s) => s.sh('pip install -r /dev/tty'),
    expectedMessage: "ERROR: Could not open requirements file: [Errno 95] Operation not supported: '/dev/tty'",
  },
  {
    input: 'PIP_CONFIG_FILE=/dev/tty pip install alpha',
    run: (s) => s.sh('pip install alpha', { PIP_CONFIG_FILE: '/dev/tty' }),
    expectedMessage: "Configuration file could not be loaded.\n[Errno 95] Operation not supported: '/dev/tty'",
    exitCode: 2,
  },
  {
    input: 'redirecting from /proc/self/fd (an error Emscripten throws as an object)',
    run: (s) => s.sh('cat < /proc/self/fd'),
    expectedMessage: 'bash: /proc/self/fd: Operation not permitted',
  },

  // --- the shell's bounds ------------------------------------------------------------------
  {
    input: 'source of a file that sources itself',
    prepare: (s) => s.write(`${HOME}/self.sh`, 'source self.sh\n'),
    run: (s) => s.sh('source self.sh'),
    expectedMessage: 'bash: self.sh: maximum source nesting level exceeded (100)',
  },
  {
    input: 'source of two files that source each other',
    prepare: (s) => {
      s.write(`${HOME}/ping.sh`, 'source pong.sh\n');
      s.write(`${HOME}/pong.sh`, '. ping.sh\n');
    },
    run: (s) => s.sh('source ping.sh'),
    expectedMessage: /bash: p[io]ng\.sh: maximum source nesting level exceeded \(100\)/,
  },
  {
    input: 'a glob that backtracks (ls glob/*a*a…*b, 30 stars, against a 60-letter name)',
    prepare: (s) => s.write(`${HOME}/glob/${'a'.repeat(60)}`, ''),
    run: async (s) => {
      const started = performance.now();
      const outcome = await s.sh(`ls glob/${'*a'.repeat(30)}*b`);
      return { ...outcome, output: `${outcome.output}(${Math.round(performance.now() - started)} ms)\n` };
    },
    expectedMessage: `ls: cannot access 'glob/${'*a'.repeat(30)}*b': No such file or directory`,
    exitCode: 2,
    also: (o) => expect(Number(/\((\d+) ms\)/.exec(o.output)![1])).toBeLessThan(2000),
  },
  {
    input: 'a glob matching 150 000 files (echo /tmp/many/*)',
    setup: (s) => manyFiles(s, '/tmp/many', 150_000),
    run: (s) => s.sh('echo /tmp/many/* | grep -o "/tmp/many/f14999[0-9] " | grep -c many'),
    cleanup: (s) => dropMany(s, '/tmp/many'),
    expectedMessage: '10\n',
    exitCode: 0,
  },
  {
    input: 'xargs handing 150 000 arguments to pip',
    setup: (s) => s.write('/tmp/words.txt', Array.from({ length: 150_000 }, (_, i) => `w${i}`).join('\n')),
    run: (s) => s.sh('xargs pip freeze < /tmp/words.txt'),
    cleanup: (s) => s.session.fs.remove('/tmp/words.txt'),
    expectedMessage: 'csi==1.0\nevil==1.0\n',
    exitCode: 0,
  },

  // --- secrets -----------------------------------------------------------------------------
  {
    input: 'an index URL with ?token= in the query',
    run: (s) => s.sh(`pip install ${NO_RETRY} --index-url '${CLOSED}/simple/?token=s3cr3t-query' alpha`),
    expectedMessage: `Could not connect to 127.0.0.1:9 to get ${CLOSED}/simple/?token=****`,
  },
  {
    input: 'a requirements file whose index URL holds ${PIPETTE_TOKEN} (pip expands it)',
    prepare: (s) => s.write(`${HOME}/private.txt`, `--index-url ${CLOSED}/\${PIPETTE_TOKEN}/simple/\nalpha\n`),
    run: (s) => s.sh(`pip install ${NO_RETRY} -r private.txt`, { PIPETTE_TOKEN: 'tok-s3cr3t-123' }),
    expectedMessage: `Could not connect to 127.0.0.1:9 to get ${CLOSED}/****/simple/alpha/`,
  },
  {
    input: 'a direct URL with user:password before the host',
    run: (s) => s.sh(`pip install ${NO_RETRY} 'alpha @ ${CLOSED.replace('//', '//user:pw-s3cr3t@')}/files/alpha-1.0-py3-none-any.whl'`),
    expectedMessage: `http://user:****@127.0.0.1:9/files/alpha-1.0-py3-none-any.whl`,
  },
];

test.each(catalogue.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
  const outcome = await expectClearAndUnchanged(subject, item);
  // The runtime's own download line (`\r\x1b[K`, then `\x1b[?7l` text `\x1b[?7h`: drawn with the
  // line wrap off) is the only control sequence allowed; the text inside it is checked as the rest.
  const text = outcome.output.replace(/\r\x1b\[K(?:\x1b\[\?7l([^\x1b]*)\x1b\[\?7h)?/g, '$1');
  expect(hasTerminalControls(text), JSON.stringify(text)).toBe(false);
  for (const secret of SECRETS) expect(outcome.output).not.toContain(secret);
  await item.also?.(outcome, subject);
  // The person's files are as they were (the snapshot covers them too; said plainly here).
  expect(subject.text(`${HOME}/main.py`)).toBe('print("my own work")\n');
  expect(subject.text(`${HOME}/keep/notes.txt`)).toBe('precious\n');
}, 60_000);
