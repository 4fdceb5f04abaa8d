/**
 * Bytecode from the cache beside the wheel (src/runtime/idle-bytecode.ts, bytecode-bundle.ts), in
 * a real Pyodide through the runtime session: a wheel installed into a second environment gets
 * the cache's `.pyc` files in idle time, byte for byte what a fresh compile writes, with RECORD
 * true to every file (sha256 and size); and a cache entry someone rewrote (the cache is the
 * origin's IndexedDB: code running in the tab can write it) is never trusted past what can be
 * checked: a `.pyc` another interpreter's or not hash-based is compiled again, an entry that is
 * not a bundle is compiled again, paths in it that the wheel does not install (a module it does
 * not have, a path leaving the package or the environment) are never written anywhere, and
 * whatever bytes are written, RECORD hashes those bytes, not anything the entry says.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IndexCache } from '../../../src/index';
import { installWheel, MemoryFs, parseRecord, schemeForPrefix, type BytecodeCompiler } from '../../../src/install';
import { sha256 } from '../../../src/pep';
import { decodeBundle, encodeBundle } from '../../../src/runtime/bytecode-bundle';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness, type SessionStores } from '../../fixtures/runtime-harness';

let server: IndexServer;
let stores: SessionStores;
let h: RuntimeHarness;
let cache: IndexCache;

const project = (name: string) => ({
  name,
  version: '1.0',
  files: { [`${name}/__init__.py`]: `from ${name}.words import hello\n`, [`${name}/words.py`]: 'def hello(who):\n    return f"hello {who}"\n', [`${name}/data.txt`]: 'x\n' },
});
const NAMES = ['genuine', 'foreign', 'garbage', 'escape', 'altered'] as const;

beforeAll(async () => {
  server = await startIndexServer({ projects: NAMES.map(project) });
  stores = newStores();
  h = await RuntimeHarness.start(server, stores);
  await h.session.restore();
  cache = new IndexCache({ store: stores.cache, now: Date.now });
  // Every wheel installed once into the base environment: compiled in idle time, kept in the cache.
  expect((await h.pip(['install', ...NAMES])).code).toBe(0);
  expect(h.session.idleBytecode.counts.committed).toBe(NAMES.length);
}, 120_000);

afterAll(async () => {
  await server?.close();
});

const wheelOf = (name: string) => server.dists.find((d) => d.filename.startsWith(`${name}-1.0-`))!;
const sitePackages = (prefix: string) => `${prefix}/lib/python3.14/site-packages`;

let venvs = 0;
/** `pip install NAME` into a new venv (its prefix), then the idle time after it. */
async function installIntoNewVenv(name: string): Promise<string> {
  const env = `venv-${name}-${venvs++}`;
  expect((await h.session.venv({ kind: 'create', argv: [env] })).exitCode).toBe(0);
  expect((await h.session.venv({ kind: 'activate', path: env })).exitCode).toBe(0);
  const r = await h.pipNow(['install', name]);
  expect(r.code, r.stderr).toBe(0);
  await h.session.idleBytecode.drained();
  return `${h.session.home}/${env}`;
}

/** What installWheel writes for NAME at PREFIX compiling in line with a compiler that has no cache. */
async function freshCompile(name: string, prefix: string): Promise<MemoryFs> {
  const inline: BytecodeCompiler = { cacheTag: h.session.bytecode.cacheTag, compile: (w, m, s) => h.session.bytecode.withoutCache().compile(w, m, s) };
  const wheel = wheelOf(name);
  const memory = new MemoryFs();
  await installWheel(memory, schemeForPrefix(prefix, '3.14'), wheel.filename, wheel.bytes, { requested: true, expectedSha256: wheel.sha256, compiler: inline, directUrl: null });
  return memory;
}

/** Every RECORD row against the file on disk: sha256 and size (RECORD's own row has none). */
async function recordLies(name: string, prefix: string): Promise<string[]> {
  const sp = sitePackages(prefix);
  const rows = parseRecord(h.text(`${sp}/${name}-1.0.dist-info/RECORD`)!);
  const lies: string[] = [];
  for (const row of rows) {
    const data = h.session.fs.readFile(`${sp}/${row.path}`);
    if (row.path.endsWith('/RECORD')) continue;
    const hash = data ? `sha256=${Buffer.from(await sha256(data)).toString('base64url')}` : 'missing';
    if (hash !== row.hash || data?.length !== row.size) lies.push(`${row.path}: RECORD ${row.hash} ${row.size}, file ${hash} ${data?.length}`);
  }
  return lies;
}

const pycs = (prefix: string, name: string) => h.tree([`${sitePackages(prefix)}/${name}`]).filter((l) => /\.pyc /.test(l));

/** The cache entry of NAME's bytecode, decoded; `rewrite` returns what to store instead (sealed as the cache seals any entry). */
async function rewriteEntry(name: string, rewrite: (bundle: Map<string, Uint8Array | null>) => Uint8Array): Promise<void> {
  const wheel = wheelOf(name);
  const stored = await cache.getBytecode(wheel.sha256, h.session.bytecode.interpreter, wheel.filename);
  expect(stored).toBeDefined();
  const bundle = new Map(decodeBundle(stored!)!);
  expect([...bundle.keys()].sort()).toEqual([`${name}/__init__.py`, `${name}/words.py`]);
  await cache.putBytecode(wheel.sha256, h.session.bytecode.interpreter, wheel.filename, rewrite(bundle));
}

describe('a second environment gets the cached bytecode', () => {
  test('the prompt comes back with the sources in; the .pyc files follow in idle time, compiling nothing, identical to a fresh compile, RECORD true to every file', async () => {
    const compiled = h.session.bytecode.counts.compiled;
    const env = 'venv-genuine-prompt';
    expect((await h.session.venv({ kind: 'create', argv: [env] })).exitCode).toBe(0);
    expect((await h.session.venv({ kind: 'activate', path: env })).exitCode).toBe(0);
    const prefix = `${h.session.home}/${env}`;
    expect((await h.pipNow(['install', 'genuine'])).code).toBe(0);
    expect(pycs(prefix, 'genuine')).toEqual([]);
    expect(h.session.idleBytecode.pending).toBe(1);
    await h.session.idleBytecode.drained();

    expect(h.session.bytecode.counts.compiled).toBe(compiled);
    const fresh = await freshCompile('genuine', prefix);
    const sp = sitePackages(prefix);
    const freshRecord = parseRecord(new TextDecoder().decode(fresh.readFile(`${sp}/genuine-1.0.dist-info/RECORD`)!));
    const files = freshRecord.map((r) => `${sp}/${r.path}`);
    expect(files.filter((f) => f.endsWith('.pyc'))).toHaveLength(2);
    for (const path of files.filter((f) => !f.endsWith('.pyc') && !f.endsWith('/RECORD'))) expect({ path, data: h.session.fs.readFile(path) }).toEqual({ path, data: fresh.readFile(path) });
    // The .pyc files are the compile the cache kept: byte for byte a fresh compile's at the path
    // it was compiled for (the code's co_filename; Python's import sets it to where the source is
    // now, importlib's _fix_co_filename), here the base environment's.
    const first = await freshCompile('genuine', '/');
    for (const stem of ['__init__', 'words']) {
      const data = h.session.fs.readFile(`${sp}/genuine/__pycache__/${stem}.cpython-314.pyc`);
      expect({ stem, data }).toEqual({ stem, data: first.readFile(`/lib/python3.14/site-packages/genuine/__pycache__/${stem}.cpython-314.pyc`) });
    }
    // RECORD lists what a fresh compile's lists, in its order, each row true to the file on disk.
    expect(parseRecord(h.text(`${sp}/genuine-1.0.dist-info/RECORD`)!).map((r) => r.path)).toEqual(freshRecord.map((r) => r.path));
    expect(await recordLies('genuine', prefix)).toEqual([]);
    expect(await h.py('import genuine; genuine.hello("cached") + " " + genuine.hello.__code__.co_filename')).toBe(`hello cached ${sp}/genuine/words.py`);
  });
});

describe('a rewritten cache entry is not trusted', () => {
  test("a .pyc that is another interpreter's (magic number) or not hash-based is compiled again: the files are a fresh compile's", async () => {
    await rewriteEntry('foreign', (bundle) => {
      const other = new Uint8Array(bundle.get('foreign/__init__.py')!);
      other[0]! ^= 0xff; // another magic number
      const timestamped = new Uint8Array(bundle.get('foreign/words.py')!);
      timestamped[4] = 0; // PEP 552 flags 0: timestamp-based, stale at the next reload
      return encodeBundle(new Map([['foreign/__init__.py', other], ['foreign/words.py', timestamped]]));
    });
    const compiled = h.session.bytecode.counts.compiled;
    const prefix = await installIntoNewVenv('foreign');
    expect(h.session.bytecode.counts.compiled).toBe(compiled + 2);
    const fresh = await freshCompile('foreign', prefix);
    for (const stem of ['__init__', 'words']) {
      const path = `${sitePackages(prefix)}/foreign/__pycache__/${stem}.cpython-314.pyc`;
      expect({ path, data: h.session.fs.readFile(path) }).toEqual({ path, data: fresh.readFile(path) });
    }
    expect(await recordLies('foreign', prefix)).toEqual([]);
  });

  test('an entry that is not a bundle (cut short) is compiled again', async () => {
    await rewriteEntry('garbage', (bundle) => encodeBundle(bundle).subarray(0, 40));
    const compiled = h.session.bytecode.counts.compiled;
    const prefix = await installIntoNewVenv('garbage');
    expect(h.session.bytecode.counts.compiled).toBe(compiled + 2);
    expect(pycs(prefix, 'garbage')).toHaveLength(2);
    expect(await recordLies('garbage', prefix)).toEqual([]);
  });

  test('paths in the entry that the wheel does not install (a module it does not have, paths leaving the package and the environment) are never written', async () => {
    const home = h.session.home;
    const homeBefore = h.tree([home]).filter((l) => !l.includes('/venv-'));
    const rootBefore = h.tree(['/tmp', '/lib/python3.14/site-packages']);
    await rewriteEntry('escape', (bundle) => {
      const pyc = bundle.get('escape/words.py')!;
      return encodeBundle(
        new Map([
          ...bundle,
          ['escape/ghost.py', pyc],
          ['../../../../../tmp/owned.py', pyc],
          [`${home}/owned.py`, pyc],
          ['/lib/python3.14/site-packages/owned.py', pyc],
          ['escape/../../owned.py', pyc],
        ]),
      );
    });
    const compiled = h.session.bytecode.counts.compiled;
    const prefix = await installIntoNewVenv('escape');
    // The wheel's own two modules came from the entry; nothing else of it was written anywhere.
    expect(h.session.bytecode.counts.compiled).toBe(compiled);
    expect(pycs(prefix, 'escape').map((l) => l.split(' ')[0])).toEqual([`${sitePackages(prefix)}/escape/__pycache__/__init__.cpython-314.pyc`, `${sitePackages(prefix)}/escape/__pycache__/words.cpython-314.pyc`]);
    expect(h.tree([home]).filter((l) => !l.includes('/venv-'))).toEqual(homeBefore);
    expect(h.tree(['/tmp', '/lib/python3.14/site-packages'])).toEqual(rootBefore);
    expect(h.tree([prefix]).filter((l) => /owned|ghost/.test(l))).toEqual([]);
    expect(parseRecord(h.text(`${sitePackages(prefix)}/escape-1.0.dist-info/RECORD`)!).filter((r) => r.path.endsWith('.pyc')).map((r) => r.path)).toEqual(['escape/__pycache__/__init__.cpython-314.pyc', 'escape/__pycache__/words.cpython-314.pyc']);
    expect(await recordLies('escape', prefix)).toEqual([]);
  });

  test('altered bytes under a valid header are what RECORD hashes: RECORD never vouches for bytes other than those on disk', async () => {
    let altered: Uint8Array | null = null;
    await rewriteEntry('altered', (bundle) => {
      const pyc = new Uint8Array(bundle.get('altered/words.py')!);
      pyc[pyc.length - 1]! ^= 0x01;
      altered = pyc;
      return encodeBundle(new Map([...bundle, ['altered/words.py', pyc]]));
    });
    const prefix = await installIntoNewVenv('altered');
    expect(h.session.fs.readFile(`${sitePackages(prefix)}/altered/__pycache__/words.cpython-314.pyc`)).toEqual(altered);
    expect(await recordLies('altered', prefix)).toEqual([]);
  });
});
