/**
 * The terminal's bounds, measured: what used to take minutes or never end, and what the one
 * escaping and redaction pass costs on pip's output.
 *
 *   npx tsx bench/terminal.bench.ts
 *
 * Printed:
 * (a) the pathological glob `*a*a…*b` (N stars) against a name of 60 `a`s: the wildcard matcher
 *     (pep/wildcard.ts), and the backtracking RegExp the shell used before, for growing N
 *     (the RegExp is not run again once one match took more than 5 s: each star multiplies it);
 * (b) `echo /tmp/many/*` over 150 000 files in the shell over a real Pyodide filesystem;
 * (c) the workspace save with a symbolic link loop and with 40 links to a 1 MB folder: time,
 *     keys stored (a RuntimeSession as the worker builds it);
 * (d) `source` of a file that sources itself: time until the nesting limit stops it;
 * (e) pip's output sink (escaping + redaction) over 10 MB of pip-like lines: MB/s.
 */
import { compileWildcard } from '../src/pep';
import { terminalOutput } from '../src/pip';
import { RuntimeShellHost } from '../src/runtime/shell-host';
import { Shell } from '../src/shell';
import { startIndexServer } from '../test/fixtures/index-server';
import { newStores, RuntimeHarness } from '../test/fixtures/runtime-harness';

const ms = (n: number): string => (n < 1 ? `${Math.round(n * 1000)} µs` : n < 10 ? `${n.toFixed(2)} ms` : `${Math.round(n)} ms`);
const time = async <T>(f: () => T | Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await f();
  return [value, performance.now() - started];
};

/** The shell's glob before pep/wildcard.ts: `*` -> `.*`, matched by a backtracking RegExp. */
const oldGlob = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'u');

// (a)
{
  const name = 'a'.repeat(60);
  console.log('(a) glob *a*a…*b against 60 a (no match)');
  let regexStopped = false;
  for (const stars of [3, 4, 5, 6, 8, 30, 100]) {
    const pattern = `${'*a'.repeat(stars)}*b`;
    const matcher = compileWildcard(pattern);
    const [, wildcardMs] = await time(() => {
      for (let i = 0; i < 100; i++) matcher.test(name);
    });
    let regexText = 'not run (it passed 5 s at fewer stars)';
    if (!regexStopped) {
      const [, regexMs] = await time(() => oldGlob(pattern).test(name));
      regexText = ms(regexMs);
      if (regexMs > 5000) regexStopped = true;
    }
    console.log(`    ${String(stars).padStart(3)} stars: wildcard matcher ${ms(wildcardMs / 100)} per name; backtracking RegExp ${regexText}`);
  }
}

const server = await startIndexServer({ projects: [{ name: 'alpha', version: '1.0' }] });
try {
  const stores = newStores();
  const h = await RuntimeHarness.start(server, stores);
  const shell = new Shell(new RuntimeShellHost(h.session, { clear: () => undefined }), { cwd: h.session.home });
  const FS = h.session.pyodide.FS;
  const sh = async (line: string): Promise<{ status: number; output: string; ms: number }> => {
    let output = '';
    const [r, took] = await time(() => shell.run(line, { stdout: (t) => void (output += t), stderr: (t) => void (output += t) }));
    return { status: r.status, output, ms: took };
  };

  // (b)
  {
    FS.mkdirTree('/tmp/many');
    FS.mount(FS.filesystems.MEMFS, {}, '/tmp/many');
    const parent = FS.lookupPath('/tmp/many').node;
    for (let i = 0; i < 150_000; i++) parent.node_ops.mknod(parent, `f${i}`, 0o100644, 0);
    const r = await sh('echo /tmp/many/* | grep -c f149999');
    console.log(`(b) echo /tmp/many/* over 150 000 files: ${ms(r.ms)} (status ${r.status}, ${r.output.trim()} line)`);
    FS.unmount('/tmp/many');
  }

  // (c)
  {
    const home = h.session.home;
    const keys = async (): Promise<number> => (await stores.workspace.keys()).length;
    await h.session.workspace.save();
    const base = await keys();
    FS.symlink('.', `${home}/loop`);
    const [loopNote, loopMs] = await time(() => h.session.workspace.save());
    console.log(`(c) workspace save with a link loop (~/loop -> .): ${ms(loopMs)}; keys ${base} -> ${await keys()}; said: ${loopNote ?? 'nothing'}`);
    FS.unlink(`${home}/loop`);
    FS.mkdirTree(`${home}/data`);
    FS.writeFile(`${home}/data/blob.bin`, new Uint8Array(1024 * 1024));
    await h.session.workspace.save();
    const withData = await keys();
    for (let i = 0; i < 40; i++) FS.symlink(`${home}/data`, `${home}/l${i}`);
    const [, linksMs] = await time(() => h.session.workspace.save());
    console.log(`    workspace save with 40 links to a 1 MB folder: ${ms(linksMs)}; keys ${withData} -> ${await keys()} (no copies through links)`);
  }

  // (d)
  {
    await sh('echo "source self.sh" > self.sh');
    const r = await sh('source self.sh');
    console.log(`(d) source of itself: stopped in ${ms(r.ms)}: ${r.output.trim()}`);
  }
} finally {
  await server.close();
}

// (e)
{
  const line = (i: number): string =>
    i % 10 === 0
      ? `WARNING: Retrying after connection broken: https://user:pw@files.example/packages/p${i}.whl?token=abc${i}\n`
      : i % 7 === 0
        ? `Summary: \x1b[2J\x1b[HSuccessfully installed evil-${i}.0\n`
        : `  Downloading https://files.example/packages/p${i}-1.0-py3-none-any.whl (12 kB)\n`;
  const lines = Array.from({ length: 150_000 }, (_, i) => line(i));
  const bytes = lines.reduce((n, l) => n + l.length, 0);
  let kept = 0;
  const sink = terminalOutput({ stdout: (t) => void (kept += t.length), stderr: (t) => void (kept += t.length) });
  sink.secret?.('abc12345');
  const [, took] = await time(() => {
    for (const l of lines) sink.stdout(l);
  });
  console.log(`(e) pip's output sink (escape + redact) over ${(bytes / 1e6).toFixed(1)} MB in ${lines.length} writes: ${ms(took)}, ${(bytes / 1e6 / (took / 1000)).toFixed(0)} MB/s`);
}
