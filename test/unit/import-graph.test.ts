import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { sourceFiles } from '../fixtures/source-files';

/**
 * The import graph of src/, read from the source text (TypeScript's own parser, which the
 * typecheck already needs; no lint dependency): every cross-folder import goes through the
 * folder's index.ts, and the folders keep the layers of ../shared/design.md ("Rules of the
 * house"). A failure names the file and line of each offending import.
 *
 * `IMPORT_MATRIX=1 npx vitest run --project node test/unit/import-graph.test.ts` prints the
 * layer matrix (imports counted from → to).
 */

const SRC = resolve(__dirname, '../../src');

/**
 * Which folders each folder may import: a DAG, lowest first. design.md names pep, resolver and
 * ui's rows; the rest follow its data path (shell → pip command → resolver → index; installer).
 */
const ALLOWED: Record<string, readonly string[]> = {
  // Python packaging standards, pure: nothing of ours.
  pep: [],
  // PubGrub owns its port (PackageSource); the distribution data it speaks of is in pep.
  resolver: ['pep'],
  // Implements the resolver's port structurally: it needs pep's data, never the resolver's code.
  index: ['pep'],
  // The one door into an environment; the lock record and the filesystem live here.
  install: ['pep'],
  // A share link carries the environment's lock: install's LockRecord.
  share: ['pep', 'install'],
  // Not named by design.md yet. Source trees into wheels, written through install's FileSystem
  // (and zip reading). Like the resolver it owns its port for the network (UrlFetcher, given by
  // the runtime), so it needs nothing of index; the build requirements go in through a
  // RequirementInstaller the caller injects (pip's install, which holds the one door).
  build: ['pep', 'install'],
  // The terminal's language: its file commands go through install's FileSystem and posix paths.
  shell: ['pep', 'install'],
  // pip's commands over everything below them; shell and pip are siblings, joined by the runtime.
  pip: ['pep', 'index', 'resolver', 'install', 'build', 'share'],
  runtime: ['pep', 'index', 'resolver', 'install', 'build', 'share', 'pip', 'shell'],
  // The page talks to the worker; pure pep values are all it may compute itself. What else it
  // uses, runtime's index.ts names: shell's pure History and quoteArgv (one implementation on
  // both sides of Comlink) and the types of install's LockRecord and share's lock.
  ui: ['runtime', 'pep'],
  // The service worker and its page-side registration.
  sw: ['pep'],
  // The same core from a terminal (Node): no runtime, no shell, no page.
  cli: ['pep', 'index', 'resolver', 'install', 'build', 'share', 'pip'],
  // The page's entry.
  'main.ts': ['ui', 'sw'],
};

interface Import {
  readonly specifier: string;
  readonly line: number;
  /** `import type` / `export type`: erased, so it loads nothing (verbatimModuleSyntax keeps the rest). */
  readonly typeOnly?: true;
  /** `new URL('…', import.meta.url)`: a separate entry (the worker), not loaded with the module. */
  readonly entry?: true;
}

interface Edge extends Import {
  readonly file: string;
  readonly from: string;
  readonly to: string;
  /** The path inside the target folder ('' for the folder itself). */
  readonly rest: string;
}

/**
 * Every module a source text names: static imports and re-exports (type-only ones too: they
 * couple layers just the same), `import x = require()`, dynamic `import()`, `typeof import()`
 * types, and `new URL('…', import.meta.url)` (how a worker or an asset is referenced).
 */
function importsOf(text: string, fileName = 'module.ts'): Import[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (node: ts.Node | undefined, flags: Partial<Pick<Import, 'typeOnly' | 'entry'>> = {}): void => {
    if (node === undefined || !ts.isStringLiteralLike(node)) return;
    const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
    found.push({ specifier: node.text, line, ...flags });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) add(node.moduleSpecifier, node.importClause?.isTypeOnly ? { typeOnly: true } : {});
    else if (ts.isExportDeclaration(node)) add(node.moduleSpecifier, node.isTypeOnly ? { typeOnly: true } : {});
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node.arguments[0]);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, { typeOnly: true });
    else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.length === 2 &&
      node.arguments[1]!.getText(source) === 'import.meta.url'
    ) {
      add(node.arguments[0], { entry: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}


interface Located extends Import {
  readonly file: string;
}

/** Every import in src/, with the file (relative to src/) and line it is on. */
function allImports(): Located[] {
  return sourceFiles(SRC).flatMap((path) => importsOf(readFileSync(path, 'utf8'), path).map((i) => ({ ...i, file: relative(SRC, path) })));
}

/** The cross-folder edges of src/ (imports of packages and of files outside src/ are not ours). */
function edges(imports: readonly Located[]): Edge[] {
  const out: Edge[] = [];
  for (const { file, line, specifier } of imports) {
    if (!specifier.startsWith('.')) continue;
    const from = file.split('/')[0]!;
    // Vite's suffixes (`?worker`, `?inline`) name the same file.
    const target = relative(SRC, resolve(SRC, dirname(file), specifier.replace(/\?.*$/, '')));
    if (target.startsWith('..')) continue;
    const [to, ...rest] = target.split('/');
    if (to === from) continue;
    out.push({ file, line, specifier, from, to: to!, rest: rest.join('/') });
  }
  return out;
}

/**
 * Packages that tie code to one place it runs (style.md: only runtime/ imports Pyodide, only ui/
 * touches the DOM; design.md: everything below runtime/ and ui/ runs unchanged in Node and in the
 * browser), and the only folders or files that may import them.
 */
const PACKAGE_HOMES: readonly { readonly packages: RegExp; readonly homes: readonly string[] }[] = [
  { packages: /^pyodide(\/|$)/, homes: ['runtime/'] },
  { packages: /^(lit|@xterm\/.*|codemirror|@codemirror\/.*)(\/|$)/, homes: ['ui/'] },
  { packages: /^comlink$/, homes: ['runtime/'] },
  // The CLI and the dev server's helpers run in Node; index's file store is reached only through
  // its Node entry (index/node.ts), never through index.ts, so the page never bundles it.
  { packages: /^node:/, homes: ['cli/', 'index/fs-store.ts'] },
];

/**
 * Public entries besides index.ts: index/node.ts is index's Node-only surface (FsStore), kept out
 * of index.ts so the page never bundles node:fs; shell/page.ts is the shell's page-safe surface
 * (line history, argv quoting), so the page loads neither the interpreter nor the installer.
 */
const OTHER_ENTRIES: Record<string, readonly string[]> = { index: ['node'], shell: ['page'] };

const where = (e: Edge): string => `src/${e.file}:${e.line} imports '${e.specifier}'`;
const throughBarrel = (e: Edge): boolean => {
  const entry = e.rest.replace(/\.(ts|js)$/, '');
  return entry === '' || entry === 'index' || (OTHER_ENTRIES[e.to] ?? []).includes(entry);
};

function matrix(graph: readonly Edge[]): Map<string, Map<string, number>> {
  const rows = new Map<string, Map<string, number>>();
  for (const e of graph) {
    const row = rows.get(e.from) ?? new Map<string, number>();
    row.set(e.to, (row.get(e.to) ?? 0) + 1);
    rows.set(e.from, row);
  }
  return rows;
}

describe('reading imports from source text', () => {
  it('finds every form of import, at its line, and nothing in comments or strings', () => {
    const text = [
      "import { a } from '../pep/name';", // 1
      "import type { B } from '../pep';", // 2
      "import '../ui/side-effect';", // 3
      'import {', // 4
      '  c,', // 5
      "} from '../index/fetcher';", // 6
      "export * from '../resolver/solver';", // 7
      "export { d } from '../share';", // 8
      "const m = await import('../install/plan');", // 9
      "type T = typeof import('../shell/host');", // 10
      "const w = new URL('../runtime/worker.ts', import.meta.url);", // 11
      "import x = require('../build/tar');", // 12
      "import { type F } from '../pip/kept';", // 13: kept as `import {} from` (verbatimModuleSyntax)
      "export type { G } from '../share/types';", // 14
      "// import { e } from '../cli/main';", // 15
      "const s = \"from '../sw/routing'\";", // 16
      "/* export * from '../pip/main'; */", // 17
      "const u = new URL('../sw/not-a-module', base);", // 18
    ].join('\n');
    expect(importsOf(text)).toEqual([
      { specifier: '../pep/name', line: 1 },
      { specifier: '../pep', line: 2, typeOnly: true },
      { specifier: '../ui/side-effect', line: 3 },
      { specifier: '../index/fetcher', line: 6 },
      { specifier: '../resolver/solver', line: 7 },
      { specifier: '../share', line: 8 },
      { specifier: '../install/plan', line: 9 },
      { specifier: '../shell/host', line: 10, typeOnly: true },
      { specifier: '../runtime/worker.ts', line: 11, entry: true },
      { specifier: '../build/tar', line: 12 },
      { specifier: '../pip/kept', line: 13 },
      { specifier: '../share/types', line: 14, typeOnly: true },
    ]);
  });
});

describe('the import graph of src/', () => {
  const imports = allImports();
  const graph = edges(imports);

  afterAll(() => {
    if (process.env['IMPORT_MATRIX'] === undefined) return;
    const rows = matrix(graph);
    const folders = Object.keys(ALLOWED);
    const table: Record<string, Record<string, number | string>> = {};
    for (const from of folders) {
      table[from] = Object.fromEntries(folders.map((to) => [to, rows.get(from)?.get(to) ?? '']));
    }
    console.table(table);
  });

  it('reads a real graph (the parser finds the imports it should)', () => {
    expect(graph.length).toBeGreaterThan(200);
    // Known edges, one per kind: a named import, a type-only import, a re-export.
    expect(graph.some((e) => e.file === 'resolver/provider.ts' && e.to === 'pep')).toBe(true);
    expect(graph.some((e) => e.file === 'index/simple-page.ts' && e.to === 'pep')).toBe(true);
    expect(graph.some((e) => e.file === 'runtime/index.ts' && e.to === 'shell')).toBe(true);
  });

  it('places every top-level folder and file of src/ in the layer table, and nothing else', () => {
    const present = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory() || name.endsWith('.ts'));
    expect(present.sort()).toEqual(Object.keys(ALLOWED).sort());
  });

  it('keeps the layer table a layering (no folder reaches itself through others)', () => {
    const cycles: string[] = [];
    const walk = (folder: string, path: readonly string[]): void => {
      for (const next of ALLOWED[folder] ?? []) {
        if (path.includes(next)) cycles.push([...path, next].join(' → '));
        else walk(next, [...path, next]);
      }
    };
    for (const folder of Object.keys(ALLOWED)) walk(folder, [folder]);
    expect(cycles).toEqual([]);
  });

  it('other folders import a folder only through its index.ts', () => {
    expect(graph.filter((e) => !throughBarrel(e)).map(where)).toEqual([]);
  });

  it("keeps design.md's layers: pep imports nothing, resolver only pep, ui only runtime and pep", () => {
    const broken = graph.filter((e) => !(ALLOWED[e.from] ?? []).includes(e.to));
    expect(broken.map((e) => `${where(e)} (${e.from} → ${e.to})`)).toEqual([]);
  });

  it('keeps packages that bind code to one place in their layer (Pyodide in runtime, Lit in ui, node: in cli)', () => {
    const misplaced = imports.filter(({ file, specifier }) =>
      PACKAGE_HOMES.some(({ packages, homes }) => packages.test(specifier) && !homes.some((home) => file.startsWith(home))),
    );
    expect(misplaced.map((i) => `src/${i.file}:${i.line} imports '${i.specifier}'`)).toEqual([]);
    // The browser's surface of index never reaches the file store.
    const browserSurface = importsOf(readFileSync(join(SRC, 'index/index.ts'), 'utf8')).map((i) => i.specifier);
    expect(browserSurface.filter((s) => /^\.\/(fs-store|node)(\.ts)?$/.test(s))).toEqual([]);
  });

  it('loads into the page no module of the resolver, installer, index, build, pip, share or shell engine', () => {
    // design.md: ui never imports the resolver or the installer, it talks to the worker. Barrels
    // could carry them in unseen (runtime's index.ts → shell → install), so follow what the page
    // loads: src/main.ts and every module its code imports (types are erased; the worker is its
    // own entry). The dev server loads exactly these modules.
    const byFile = new Map<string, Located[]>();
    for (const i of imports) byFile.set(i.file, [...(byFile.get(i.file) ?? []), i]);
    const moduleFile = (from: string, specifier: string): string | null => {
      const base = relative(SRC, resolve(SRC, dirname(from), specifier.replace(/\?.*$/, '')));
      return [base, `${base}.ts`, `${base}/index.ts`].find((f) => f.endsWith('.ts') && existsSync(join(SRC, f))) ?? null;
    };
    const loaded = new Map<string, string>([['main.ts', 'the page entry']]);
    for (const [file] of loaded) {
      for (const i of byFile.get(file) ?? []) {
        if (i.typeOnly || i.entry || !i.specifier.startsWith('.')) continue;
        const target = moduleFile(file, i.specifier);
        if (target !== null && !target.startsWith('..') && !loaded.has(target)) loaded.set(target, `src/${file}:${i.line} imports '${i.specifier}'`);
      }
    }
    // The page's own folders, and of the shell its page entry (shell/page.ts) with what it needs.
    const pageMayLoad = /^(main\.ts|(ui|runtime|pep|sw)\/.*|shell\/(page|history|quote)\.ts)$/;
    const foreign = [...loaded].filter(([file]) => !pageMayLoad.test(file)).map(([file, via]) => `${file}, loaded because ${via}`);
    expect(foreign).toEqual([]);
    // Of runtime, the page loads the client and the plain values the API speaks in, not the
    // worker's code; the compile of pyodide.asm.wasm it hands the worker (pyodide-wasm.ts); and
    // the page's end of input() and Ctrl+C (stdin-channel.ts, terminal-relay.ts).
    expect([...loaded.keys()].filter((f) => f.startsWith('runtime/')).sort()).toEqual([
      'runtime/client.ts',
      'runtime/download-meter.ts',
      'runtime/index.ts',
      'runtime/pyodide-wasm.ts',
      'runtime/spec-lab.ts',
      'runtime/stdin-channel.ts',
      'runtime/terminal-relay.ts',
    ]);
  });

  it("keeps a module marked private to its folder out of the folder's index.ts", () => {
    const marked: string[] = [];
    const leaks: string[] = [];
    for (const path of sourceFiles(SRC)) {
      const mark = /\(private to src\/([a-z]+)/i.exec(readFileSync(path, 'utf8').slice(0, 400));
      if (mark === null) continue;
      const folder = mark[1]!;
      const module = relative(join(SRC, folder), path).replace(/\.ts$/, '');
      marked.push(`${folder}/${module}`);
      const barrel = join(SRC, folder, 'index.ts');
      for (const { specifier, line } of importsOf(readFileSync(barrel, 'utf8'), barrel)) {
        if (specifier.replace(/\.(ts|js)$/, '') === `./${module}`) leaks.push(`src/${folder}/index.ts:${line} exports '${specifier}'`);
      }
    }
    // The internals of pep's parsers and of the range algebra are marked (issue 14).
    expect(marked).toEqual(
      expect.arrayContaining(['pep/boundary', 'pep/range-format', 'pep/version-parser', 'pep/tokenizer', 'pep/parser']),
    );
    expect(leaks).toEqual([]);
  });
});
