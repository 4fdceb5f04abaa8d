/**
 * Bytecode at install time, in a real Pyodide, through the runtime session as the worker runs
 * it: `pip install` writes each module's unchecked hash-based `.pyc` and lists it in RECORD as
 * pip does (a wheel whose bytecode the cache does not hold is compiled when the worker is idle,
 * right after the command: `installed()` awaits that; idle-bytecode.test.ts covers the timing); Python imports from it without compiling, and still does after a reload (a new
 * Pyodide over the same stores), where the files come from the cache beside the wheel without
 * compiling anything; `--no-compile` writes none; uninstalling removes them; modules that do
 * not compile, or are too deep to compile safely, are left out and the install goes on.
 */
import { sha256 } from '../../../src/pep';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IndexCache } from '../../../src/index';
import { parseRecord, recordHash } from '../../../src/install';
import { COMPILE_NESTING_LIMIT } from '../../../src/runtime/bytecode-compiler';
import { nestingBound } from '../../../src/runtime/source-nesting';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';

const SP = '/lib/python3.14/site-packages';
const PYC = (dir: string, stem: string) => `${SP}/${dir}/__pycache__/${stem}.cpython-314.pyc`;

let server: IndexServer;
let stores: SessionStores;
let h: RuntimeHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      {
        name: 'greeter',
        version: '2.0.0',
        files: {
          'greeter/__init__.py': 'from greeter.words import hello\n__version__ = "2.0.0"\n',
          'greeter/words.py': 'def hello(who):\n    return f"hello {who}"\n',
          'greeter/data.txt': 'not python\n',
        },
      },
      {
        name: 'hostile',
        version: '1.0',
        files: {
          'hostile/__init__.py': 'OK = True\n',
          'hostile/py2.py': 'print "a Python 2 module"\n',
          'hostile/nul.py': 'x = 1\0\n',
          // 3,000 chained additions: compiling this kills Pyodide in Node (JavaScript stack).
          'hostile/deep.py': `x = 1${'+1'.repeat(3000)}\n`,
        },
      },
      { name: 'plain', version: '1.0', files: { 'plain/__init__.py': 'VALUE = 42\n' } },
      // 40 modules of 60 kB: several calls into Python, with the worker's messages read between them.
      { name: 'bulky', version: '1.0', files: Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`bulky/m${i}.py`, `X = [${'1, '.repeat(20_000)}]\n`])) },
      // A wheel that ships a stale .pyc of its own (hand-made, not matching the source).
      { name: 'shipped', version: '1.0', files: { 'shipped/__init__.py': 'FRESH = True\n', 'shipped/__pycache__/__init__.cpython-314.pyc': 'stale, not even bytecode' } },
    ],
  });
  stores = newStores();
  h = await RuntimeHarness.start(server, stores);
  await h.session.restore();
}, 90_000);

afterAll(async () => {
  await server?.close();
});

/** Modules Python compiled from source (not from a .pyc) while importing `module` afresh. */
async function sourceCompiles(harness: RuntimeHarness, module: string): Promise<string[]> {
  const out = await harness.py(
    [
      'import importlib, importlib.machinery as m, json, sys',
      'importlib.invalidate_caches()',
      `for k in [k for k in sys.modules if k == ${JSON.stringify(module)} or k.startswith(${JSON.stringify(module + '.')})]: del sys.modules[k]`,
      'calls = []',
      'original = m.SourceFileLoader.source_to_code',
      'def counting(self, data, path, *args, **kwargs):',
      '    calls.append(path)',
      '    return original(self, data, path, *args, **kwargs)',
      'm.SourceFileLoader.source_to_code = counting',
      'try:',
      `    importlib.import_module(${JSON.stringify(module)})`,
      'finally:',
      '    m.SourceFileLoader.source_to_code = original',
      'json.dumps(calls)',
    ].join('\n'),
  );
  return JSON.parse(out) as string[];
}

/** `pip ARGV...`, then the idle compile it queued (src/runtime/idle-bytecode.ts; the harness's `pip` awaits it too). */
async function installed(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await h.pipNow(argv);
  await h.session.idleBytecode.drained();
  return r;
}

function pycFiles(harness: RuntimeHarness, under: string): string[] {
  return harness.tree([under]).filter((line) => /\.pyc /.test(line));
}

describe('pip install compiles bytecode (pip default)', () => {
  test('each module gets an unchecked hash-based .pyc, listed in RECORD with its hash and size', async () => {
    const r = await installed(['install', 'greeter']);
    expect(r.code).toBe(0);
    const record = parseRecord(h.text(`${SP}/greeter-2.0.0.dist-info/RECORD`)!);
    const rows = record.filter((e) => e.path.endsWith('.pyc'));
    expect(rows.map((e) => e.path).sort()).toEqual(['greeter/__pycache__/__init__.cpython-314.pyc', 'greeter/__pycache__/words.cpython-314.pyc']);
    for (const row of rows) {
      const bytes = h.session.fs.readFile(`${SP}/${row.path}`)!;
      expect(row.hash).toBe(recordHash(await sha256(bytes)));
      expect(row.size).toBe(bytes.length);
      // PEP 552: flags 0b01, hash-based and not checked against the source.
      expect([...bytes.subarray(4, 8)]).toEqual([1, 0, 0, 0]);
    }
    expect(h.session.bytecode.counts).toMatchObject({ compiled: 2, fromCache: 0 });
  });

  test('the .pyc is byte for byte what py_compile writes in UNCHECKED_HASH mode', async () => {
    const ours = h.session.fs.readFile(PYC('greeter', 'words'))!;
    const theirs = await h.py(
      [
        'import py_compile, tempfile, os, base64',
        `src = open(${JSON.stringify(`${SP}/greeter/words.py`)}, "rb").read()`,
        'd = tempfile.mkdtemp()',
        'open(os.path.join(d, "words.py"), "wb").write(src)',
        `py_compile.compile(os.path.join(d, "words.py"), cfile=os.path.join(d, "out.pyc"), dfile=${JSON.stringify(`${SP}/greeter/words.py`)}, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)`,
        'data = open(os.path.join(d, "out.pyc"), "rb").read()',
        'import shutil; shutil.rmtree(d)',
        'base64.b64encode(data).decode()',
      ].join('\n'),
    );
    expect(Buffer.from(ours).toString('base64')).toBe(theirs);
  });

  test('importing it reads the .pyc files: Python compiles nothing', async () => {
    expect(await sourceCompiles(h, 'greeter')).toEqual([]);
    expect(await h.py('import greeter; greeter.hello("pyc")')).toBe('hello pyc');
  });

  test('the cache holds the compiled modules beside the wheel, keyed by its sha256 and the interpreter', async () => {
    const cache = new IndexCache({ store: stores.cache, now: Date.now });
    const entries = await cache.list();
    const wheel = server.dists.find((d) => d.filename.startsWith('greeter-2.0.0'))!;
    const bytecode = entries.filter((e) => e.kind === 'bytecode');
    expect(bytecode.map((e) => e.name)).toEqual([wheel.filename]);
    expect(bytecode[0]!.key).toBe(IndexCache.bytecodeKey(wheel.sha256, h.session.bytecode.interpreter, wheel.filename));
    expect(h.session.bytecode.interpreter).toMatch(/^cpython-314-[0-9a-f]{8}-3\.14\.\d+-pyodide-314\.\d+\.\d+$/);
    expect(entries.some((e) => e.kind === 'file' && e.name === wheel.filename)).toBe(true);
  });

  test('modules that do not compile, or are too deep to compile safely, are left out; the install goes on', async () => {
    const r = await installed(['install', 'hostile']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Successfully installed hostile-1.0');
    expect(pycFiles(h, `${SP}/hostile`).map((l) => l.split(' ')[0])).toEqual([PYC('hostile', '__init__')]);
    expect(h.session.bytecode.counts.tooDeep).toBe(1);
    // The interpreter is alive and the package imports.
    expect(await h.py('import hostile; hostile.OK')).toBe('true');
  });

  test("a .pyc the wheel ships at the same path is replaced by the compiled one, listed once in RECORD", async () => {
    expect((await installed(['install', 'shipped'])).code).toBe(0);
    const pyc = h.session.fs.readFile(PYC('shipped', '__init__'))!;
    expect([...pyc.subarray(4, 8)]).toEqual([1, 0, 0, 0]);
    const rows = parseRecord(h.text(`${SP}/shipped-1.0.dist-info/RECORD`)!).filter((e) => e.path.endsWith('.pyc'));
    expect(rows).toEqual([{ path: 'shipped/__pycache__/__init__.cpython-314.pyc', hash: recordHash(await sha256(pyc)), size: pyc.length }]);
    expect(await h.py('import shipped; shipped.FRESH')).toBe('true');
    expect((await h.pip(['uninstall', '-y', 'shipped'])).code).toBe(0);
  });

  test('Ctrl+C at the prompt while a wheel compiles (KeyboardInterrupt in Python) loses nothing: it compiles again and is committed whole', async () => {
    const before = h.session.bytecode.counts.compiled;
    const interrupt = new Int32Array(new SharedArrayBuffer(4));
    h.session.runner.setInterruptBuffer(interrupt);
    try {
      expect((await h.pipNow(['install', 'bulky'])).code).toBe(0);
      expect(pycFiles(h, `${SP}/bulky`)).toEqual([]);
      // Once the first slice is done, Ctrl+C (SIGINT in the buffer, as the page sets it).
      const watch = setInterval(() => {
        if (h.session.bytecode.counts.compiled > before) {
          Atomics.store(interrupt, 0, 2);
          clearInterval(watch);
        }
      }, 0);
      await h.session.idleBytecode.drained();
      clearInterval(watch);
    } finally {
      h.session.runner.setInterruptBuffer(new Int32Array(new SharedArrayBuffer(4)));
    }
    expect(h.session.idleBytecode.lastProblem).toBeNull();
    // Compiled again after the interrupt: more than its 40 modules in all.
    expect(h.session.bytecode.counts.compiled - before).toBeGreaterThan(40);
    expect(pycFiles(h, `${SP}/bulky`)).toHaveLength(40);
    expect(parseRecord(h.text(`${SP}/bulky-1.0.dist-info/RECORD`)!).filter((e) => e.path.endsWith('.pyc'))).toHaveLength(40);
    expect((await h.pip(['uninstall', '-y', 'bulky'])).code).toBe(0);
  });

  test('--no-compile writes no .pyc and RECORD lists none', async () => {
    const r = await installed(['install', '--no-compile', 'plain']);
    expect(r.code).toBe(0);
    expect(pycFiles(h, `${SP}/plain`)).toEqual([]);
    expect(h.text(`${SP}/plain-1.0.dist-info/RECORD`)).not.toContain('.pyc');
  });

  test('pip uninstall removes the .pyc files and their __pycache__ folders', async () => {
    const r = await h.pip(['uninstall', '-y', 'greeter', 'hostile']);
    expect(r.code).toBe(0);
    expect(h.tree([SP]).filter((l) => l.includes('greeter') || l.includes('hostile'))).toEqual([]);
  });
});

describe('after a reload', () => {
  let before: string[];

  test('install again, then reload: the .pyc files come back from the cache without compiling', async () => {
    const compiled = h.session.bytecode.counts.compiled;
    expect((await installed(['install', 'greeter'])).code).toBe(0);
    // The second install of the same wheel compiled nothing either: the cache had it.
    expect(h.session.bytecode.counts).toMatchObject({ compiled, fromCache: 2 });
    before = h.tree([SP]);

    const reloaded = await RuntimeHarness.start(server, stores);
    expect((await reloaded.session.restore()).problems).toEqual([]);
    // The restore ends with the sources in; the .pyc files follow from the cache in idle time.
    expect(reloaded.session.idleBytecode.pending).toBe(1);
    await reloaded.session.idleBytecode.drained();
    expect(reloaded.session.bytecode.counts).toMatchObject({ compiled: 0, fromCache: 2 });
    expect(reloaded.tree([SP])).toEqual(before);
    expect(await sourceCompiles(reloaded, 'greeter')).toEqual([]);
    expect(await reloaded.py('import greeter; greeter.hello("reload")')).toBe('hello reload');
  });
});

describe('the nesting bound that keeps compiling safe', () => {
  test("is never below the depth of CPython's own syntax tree, for every module of the standard library", () => {
    const zip = unzipSync(new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('pyodide/python_stdlib.zip'))));
    const depth = h.session.pyodide.runPython(`
import ast
def depth(source):
    best, stack = 0, [(ast.parse(source.to_bytes()), 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return best
depth`) as ((source: Uint8Array) => number) & { destroy(): void };
    const below: string[] = [];
    let checked = 0;
    for (const [path, source] of Object.entries(zip)) {
      if (!path.endsWith('.py')) continue;
      const bound = nestingBound(source);
      if (bound > COMPILE_NESTING_LIMIT) continue; // not compiled at install; parsing it here could be what kills Pyodide
      checked++;
      const real = depth(source);
      if (real > bound) below.push(`${path}: bound ${bound}, depth ${real}`);
    }
    depth.destroy();
    expect(checked).toBeGreaterThan(500);
    expect(below).toEqual([]);
  });
});
