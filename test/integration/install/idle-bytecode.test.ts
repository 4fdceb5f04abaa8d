/**
 * Bytecode compiled when the worker is idle (src/runtime/idle-bytecode.ts), in a real Pyodide
 * through the runtime session: `pip install` finishes before a wheel whose bytecode is not
 * cached is compiled; the compile then writes exactly what an install that compiled writes
 * (files and RECORD); a command that comes mid-compile goes first; an uninstall mid-compile
 * leaves no stray `.pyc`; a reload mid-compile (and the workspace saved in between) leaves no
 * half-compiled wheel, and the rebuilt environment gets its bytecode after all. (`pipNow`:
 * the command alone, as the prompt comes back; the harness's `pip` also awaits the idle compile.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { installWheel, MemoryFs, parseRecord, schemeForPrefix, type BytecodeCompiler } from '../../../src/install';
import { RuntimeShellHost } from '../../../src/runtime/shell-host';
import { STATE_KEY } from '../../../src/runtime/workspace-store';
import { Shell } from '../../../src/shell';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';

const SP = '/lib/python3.14/site-packages';

let server: IndexServer;
let stores: SessionStores;
let h: RuntimeHarness;

/** 40 modules of 60 kB: many slices of compiling. */
const bulky = (name: string) => ({ name, version: '1.0', files: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${name}/m${i}.py`, `X = [${`${i}, `.repeat(20_000)}]\n`])) });

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'greeter', version: '2.0.0', files: { 'greeter/__init__.py': 'from greeter.words import hello\n', 'greeter/words.py': 'def hello(who):\n    return f"hello {who}"\n', 'greeter/data.txt': 'x\n' } },
      bulky('bulkya'),
      bulky('bulkyb'),
      bulky('bulkyc'),
      bulky('bulkyd'),
      { name: 'plain', version: '1.0', files: { 'plain/__init__.py': 'VALUE = 42\n' } },
      { name: 'cachewriter', version: '1.0', files: { 'cachewriter/__init__.py': 'A = 1\n', 'cachewriter/b.py': 'B = 2\n' } },
    ],
  });
  stores = newStores();
  h = await RuntimeHarness.start(server, stores);
  await h.session.restore();
}, 90_000);

afterAll(async () => {
  await server?.close();
});

const pycs = (harness: RuntimeHarness, dir: string) => harness.tree([`${SP}/${dir}`]).filter((l) => /\.pyc /.test(l));
const recordPycs = (harness: RuntimeHarness, distInfo: string) => parseRecord(harness.text(`${SP}/${distInfo}/RECORD`) ?? '').filter((e) => e.path.endsWith('.pyc'));

/**
 * Runs `action` between two slices of the idle compile, once the session's compiler has
 * compiled more than `n` modules (and before it compiles any more); resolves to what it returns.
 */
function midCompile<T>(harness: RuntimeHarness, n: number, action: () => T): Promise<T> {
  return new Promise((resolve) => {
    harness.session.idleBytecode.betweenSlices = () => {
      if (harness.session.bytecode.counts.compiled <= n) return;
      harness.session.idleBytecode.betweenSlices = null;
      resolve(action());
    };
  });
}

describe('pip install leaves compiling to idle time', () => {
  test('Successfully installed comes back before any module is compiled; then the idle compile writes what an install that compiles writes', async () => {
    const compiled = h.session.bytecode.counts.compiled;
    const r = await h.pipNow(['install', 'greeter']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Successfully installed greeter-2.0.0');
    // pip prints nothing for compiling.
    expect(r.stdout + r.stderr).not.toMatch(/compil/i);
    // The prompt is back: nothing compiled, nothing written yet, the wheel queued.
    expect(h.session.bytecode.counts.compiled).toBe(compiled);
    expect(pycs(h, 'greeter')).toEqual([]);
    expect(recordPycs(h, 'greeter-2.0.0.dist-info')).toEqual([]);
    expect(h.session.idleBytecode.pending).toBe(1);
    // The workspace saved meanwhile does not take it for `--no-compile`.
    const saved = await stores.workspace.get(STATE_KEY);
    expect(saved).toBeDefined();
    expect(new TextDecoder().decode(saved)).toContain('greeter');
    expect(new TextDecoder().decode(saved)).not.toContain('withoutBytecode');

    await h.session.idleBytecode.drained();
    expect(h.session.bytecode.counts.compiled).toBe(compiled + 2);
    expect(h.session.idleBytecode.counts.committed).toBeGreaterThanOrEqual(1);

    // The same wheel installed by installWheel compiling in line (the compiler without `later`).
    const inline: BytecodeCompiler = { cacheTag: h.session.bytecode.cacheTag, compile: (w, m, s) => h.session.bytecode.withoutCache().compile(w, m, s) };
    const wheel = server.dists.find((d) => d.filename.startsWith('greeter-2.0.0'))!;
    const memory = new MemoryFs();
    const result = await installWheel(memory, schemeForPrefix('/', '3.14'), wheel.filename, wheel.bytes, { requested: true, expectedSha256: wheel.sha256, compiler: inline, directUrl: null });
    expect(result.compiled).toHaveLength(2);
    for (const path of result.files) expect({ path, data: h.session.fs.readFile(path) }).toEqual({ path, data: memory.readFile(path) });
    expect(h.text(`${SP}/greeter-2.0.0.dist-info/RECORD`)).toBe(new TextDecoder().decode(memory.readFile(`${SP}/greeter-2.0.0.dist-info/RECORD`)!));
    expect(await h.py('import greeter; greeter.hello("idle")')).toBe('hello idle');
  });

  test('a wheel whose bytecode the cache holds: the prompt comes back with the sources in; idle time writes the cached .pyc files, compiling nothing, and RECORD as before', async () => {
    const settled = h.tree([`${SP}/greeter`, `${SP}/greeter-2.0.0.dist-info`]);
    expect(settled.filter((l) => l.includes('.pyc'))).toHaveLength(2);
    expect((await h.pipNow(['uninstall', '-y', 'greeter'])).code).toBe(0);
    const compiled = h.session.bytecode.counts.compiled;
    const fromCache = h.session.bytecode.counts.fromCache;
    expect((await h.pipNow(['install', 'greeter'])).code).toBe(0);
    expect(h.session.idleBytecode.pending).toBe(1);
    expect(pycs(h, 'greeter')).toEqual([]);
    expect(recordPycs(h, 'greeter-2.0.0.dist-info')).toEqual([]);
    await h.session.idleBytecode.drained();
    expect(h.tree([`${SP}/greeter`, `${SP}/greeter-2.0.0.dist-info`])).toEqual(settled);
    expect(h.session.bytecode.counts.compiled).toBe(compiled);
    expect(h.session.bytecode.counts.fromCache).toBe(fromCache + 2);
  });

  test('Python run right after the prompt finds the cached .pyc files: they are committed before it starts, even while the queue is held', async () => {
    expect((await h.pipNow(['uninstall', '-y', 'greeter'])).code).toBe(0);
    expect((await h.pipNow(['install', 'greeter'])).code).toBe(0);
    // Idle time never comes (another command holds the queue): only the command's own settle can write them.
    const release = h.session.hold();
    try {
      expect(pycs(h, 'greeter')).toEqual([]);
      const compiled = h.session.bytecode.counts.compiled;
      const fromSource = await h.py(
        [
          'import importlib.machinery as m, json, sys',
          'calls = []',
          'original = m.SourceFileLoader.source_to_code',
          'm.SourceFileLoader.source_to_code = lambda self, data, path, *a, **k: (calls.append(path), original(self, data, path, *a, **k))[1]',
          "for k in [k for k in sys.modules if k.split('.')[0] == 'greeter']: del sys.modules[k]",
          'try:',
          '    import greeter',
          'finally:',
          '    m.SourceFileLoader.source_to_code = original',
          'json.dumps(calls)',
        ].join('\n'),
      );
      expect(JSON.parse(fromSource)).toEqual([]);
      expect(pycs(h, 'greeter')).toHaveLength(2);
      expect(recordPycs(h, 'greeter-2.0.0.dist-info')).toHaveLength(2);
      expect(h.session.bytecode.counts.compiled).toBe(compiled);
    } finally {
      release();
    }
    await h.session.idleBytecode.drained();
    expect(pycs(h, 'greeter')).toHaveLength(2);
  });

  test('the terminal\'s python command right after the prompt finds them too', async () => {
    expect((await h.pipNow(['uninstall', '-y', 'greeter'])).code).toBe(0);
    expect((await h.pipNow(['install', 'greeter'])).code).toBe(0);
    const shell = new Shell(new RuntimeShellHost(h.session, { clear: () => {} }), { cwd: h.session.home });
    const release = h.session.hold();
    try {
      expect(pycs(h, 'greeter')).toEqual([]);
      let out = '';
      const code = "import importlib.util as u, greeter.words; print(u.cache_from_source(greeter.words.__file__) == greeter.words.__cached__, type(greeter.words.__spec__.loader).__name__)";
      const result = await shell.run(`python -c "${code}"`, { stdout: (t) => (out += t), stderr: (t) => (out += t) });
      expect({ status: result.status, out }).toEqual({ status: 0, out: 'True SourceFileLoader\n' });
      // Committed (in RECORD) before Python ran, not written by Python's import.
      expect(recordPycs(h, 'greeter-2.0.0.dist-info')).toHaveLength(2);
      expect(pycs(h, 'greeter')).toHaveLength(2);
    } finally {
      release();
    }
    await h.session.idleBytecode.drained();
  });

  test('--no-compile queues nothing and writes no .pyc', async () => {
    expect((await h.pipNow(['install', '--no-compile', 'plain'])).code).toBe(0);
    expect(h.session.idleBytecode.pending).toBe(0);
    await h.session.idleBytecode.drained();
    expect(pycs(h, 'plain')).toEqual([]);
    expect(h.text(`${SP}/plain-1.0.dist-info/RECORD`)).not.toContain('.pyc');
  });

  test('a command that comes mid-compile goes first: no slice runs until it is done; the compile resumes after', async () => {
    const before = h.session.bytecode.counts.compiled;
    const preempted = h.session.idleBytecode.counts.preempted;
    let during = -1;
    let compiledWhileRunning = -1;
    const running = midCompile(h, before, () => {
      during = h.session.bytecode.counts.compiled;
      // pip awaits the index and the cache many times: without the hold, slices would run between.
      return h.session.pip(['install', '--no-compile', '--force-reinstall', 'plain'], {
      stdout: () => {
        compiledWhileRunning = Math.max(compiledWhileRunning, h.session.bytecode.counts.compiled - during);
      },
      stderr: () => {},
    });
    });
    expect((await h.pipNow(['install', 'bulkya'])).code).toBe(0);
    expect(await (await running)).toBe(0);
    expect(during).toBeGreaterThan(before);
    expect(during).toBeLessThan(before + 40);
    expect(compiledWhileRunning).toBe(0);
    expect(h.session.idleBytecode.counts.preempted).toBeGreaterThan(preempted);
    expect(h.session.idleBytecode.pending).toBe(1);
    await h.session.idleBytecode.drained();
    expect(pycs(h, 'bulkya')).toHaveLength(40);
    expect(recordPycs(h, 'bulkya-1.0.dist-info')).toHaveLength(40);
  });

  test('pip uninstall mid-compile: the compiled files are dropped, no stray .pyc', async () => {
    const before = h.session.bytecode.counts.compiled;
    const dropped = h.session.idleBytecode.counts.dropped;
    const uninstall = midCompile(h, before, () => h.pipNow(['uninstall', '-y', 'bulkyb']));
    expect((await h.pipNow(['install', 'bulkyb'])).code).toBe(0);
    expect((await (await uninstall)).code).toBe(0);
    await h.session.idleBytecode.drained();
    expect(h.session.idleBytecode.counts.dropped).toBe(dropped + 1);
    expect(h.tree([SP]).filter((l) => l.includes('bulkyb'))).toEqual([]);
  });

  test('reinstalled mid-compile (another RECORD): the first compile is dropped, the second committed', async () => {
    const before = h.session.bytecode.counts.compiled;
    // --no-compile this time: the same RECORD (no .pyc in either yet), but nothing of the first compile may land.
    const reinstall = midCompile(h, before, () => h.pipNow(['install', '--force-reinstall', '--no-compile', 'bulkyc']));
    expect((await h.pipNow(['install', 'bulkyc'])).code).toBe(0);
    expect((await (await reinstall)).code).toBe(0);
    await h.session.idleBytecode.drained();
    expect(pycs(h, 'bulkyc')).toEqual([]);
    expect(recordPycs(h, 'bulkyc-1.0.dist-info')).toEqual([]);
  });
});

describe('the commit keeps the containment rules', () => {
  test('__pycache__ turned into a link out of the environment before the commit: nothing is written, the wheel is left without bytecode', async () => {
    const home = h.session.home;
    const link = `${SP}/cachewriter/__pycache__`;
    const homeBefore = h.tree([home]);
    const planted = midCompile(h, -1, () => h.session.fs.symlink(home, link));
    expect((await h.pipNow(['install', 'cachewriter'])).code).toBe(0);
    await planted;
    await h.session.idleBytecode.drained();
    expect(String(h.session.idleBytecode.lastProblem)).toContain(`${link}/__init__.cpython-314.pyc leads through a symbolic link to ${home}/__init__.cpython-314.pyc, outside the environment`);
    expect(h.tree([home])).toEqual(homeBefore);
    expect(recordPycs(h, 'cachewriter-1.0.dist-info')).toEqual([]);
    h.session.fs.remove(link);
    expect(h.tree([`${SP}/cachewriter`]).filter((l) => l.includes('.pyc'))).toEqual([]);
    h.session.idleBytecode.lastProblem = null;
  });
});

describe('a reload mid-compile', () => {
  test('leaves no wheel half compiled: the rebuild writes it without bytecode, then compiles it when idle', async () => {
    const before = h.session.bytecode.counts.compiled;
    // The tab goes away mid-compile: its worker compiles nothing more (held forever here).
    const gone = midCompile(h, before, () => h.session.hold());
    expect((await h.pipNow(['install', 'bulkyd'])).code).toBe(0);
    await gone;
    expect(h.session.idleBytecode.pending).toBe(1);
    expect(pycs(h, 'bulkyd')).toEqual([]);

    const reloaded = await RuntimeHarness.start(server, stores);
    expect((await reloaded.session.restore()).problems).toEqual([]);
    expect(pycs(reloaded, 'bulkyd')).toEqual([]);
    expect(recordPycs(reloaded, 'bulkyd-1.0.dist-info')).toEqual([]);
    // bulkyd to compile, and the wheels whose bytecode the cache holds, to write from it.
    expect(reloaded.session.idleBytecode.pending).toBe(3);
    expect(pycs(reloaded, 'bulkya')).toEqual([]);
    await reloaded.session.idleBytecode.drained();
    expect(pycs(reloaded, 'bulkyd')).toHaveLength(40);
    expect(recordPycs(reloaded, 'bulkyd-1.0.dist-info')).toHaveLength(40);
    // What was compiled before the reload is there too (from the cache, in idle time).
    expect(pycs(reloaded, 'greeter')).toHaveLength(2);
    expect(pycs(reloaded, 'bulkya')).toHaveLength(40);
    // --no-compile is remembered across the reload.
    expect(pycs(reloaded, 'plain')).toEqual([]);
    expect(pycs(reloaded, 'bulkyc')).toEqual([]);
  });
});
