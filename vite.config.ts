import { defineConfig, type Plugin } from 'vitest/config';
import { build as viteBuild, runnerImport, type Logger, type ResolvedConfig, type Rolldown } from 'vite';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, relative, resolve } from 'node:path';
import type { BuildFiles } from './src/sw/manifest';
import type * as WheelhouseModule from './src/cli/wheelhouse';

const pyodideDir = resolve(import.meta.dirname, 'node_modules/pyodide');
/** The runtime files Pyodide loads relative to its indexURL (not its typings, maps or demos). */
const pyodideFiles = readdirSync(pyodideDir).filter((f) => /\.(mjs|js|wasm|zip|json)$/.test(f) && f !== 'package.json');
const mime: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
};

/**
 * Serves the bundled Pyodide at `<base>pyodide/` in dev and copies it there in a build, so the
 * playground never reaches a CDN for the interpreter itself (design: "Pyodide loaded from the
 * bundled npm package").
 */
function pyodideAssets(): Plugin {
  return {
    name: 'pipette:pyodide-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/pyodide\/([^/?#]+)/.exec(req.url ?? '');
        const file = match?.[1];
        if (!file || !pyodideFiles.includes(file)) return next();
        const path = join(pyodideDir, file);
        res.setHeader('Content-Type', mime[extname(file)] ?? 'application/octet-stream');
        res.setHeader('Content-Length', String(statSync(path).size));
        res.setHeader('Cache-Control', 'max-age=31536000, immutable');
        createReadStream(path).pipe(res);
      });
    },
    generateBundle() {
      for (const file of pyodideFiles) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(join(pyodideDir, file)) });
      }
    },
  };
}

/** Files under `dir`, as paths relative to it with `/` separators. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/**
 * Builds src/sw/service-worker.ts into `sw.js` (a classic script) with the manifest of this
 * build: every emitted file (chunks, worker, index.html, the `pyodide/` files pyodideAssets
 * emits) and every public file, in a cache named after a hash of their contents. Build only:
 * src/main.ts registers it in production builds, never under the dev server.
 */
function serviceWorker(): Plugin {
  // SERVICE_WORKER_FILE in src/sw/manifest.ts, where src/main.ts registers it from. Not
  // imported: Vite's config loader wants no value imports of extensionless .ts files.
  const serviceWorkerFile = 'sw.js';
  let config: ResolvedConfig;
  return {
    name: 'pipette:service-worker',
    apply: 'build',
    // After Vite's own plugins, so index.html and the worker chunk are in the bundle.
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    async generateBundle(_options, bundle) {
      const digests = new Map<string, string>();
      const digest = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');
      for (const file of Object.values(bundle)) {
        digests.set(file.fileName, digest(file.type === 'chunk' ? file.code : file.source));
      }
      if (config.publicDir && config.build.copyPublicDir) {
        for (const path of filesUnder(config.publicDir)) digests.set(path, digest(readFileSync(join(config.publicDir, path))));
      }
      const files = [...digests.keys()].sort();
      const build: BuildFiles = { hash: digest(files.map((f) => `${f} ${digests.get(f)}\n`).join('')).slice(0, 16), files };
      const output = (await viteBuild({
        configFile: false,
        root: config.root,
        logLevel: 'warn',
        publicDir: false,
        define: { __PIPETTE_BUILD__: JSON.stringify(build) },
        build: {
          write: false,
          target: 'es2022',
          minify: config.build.minify !== false,
          lib: { entry: resolve(config.root, 'src/sw/service-worker.ts'), formats: ['iife'], name: 'pipetteServiceWorker', fileName: () => serviceWorkerFile },
        },
      })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
      const chunk = (Array.isArray(output) ? output : [output]).flatMap((o) => o.output).find((o) => o.type === 'chunk');
      if (!chunk || chunk.type !== 'chunk') throw new Error('pipette:service-worker: the service worker build produced no script');
      this.emitFile({ type: 'asset', fileName: serviceWorkerFile, source: chunk.code });
    },
  };
}

/** `<meta name="pipette-default-index">`: the index the page uses when the URL names none. */
function withDefaultIndex(html: string, indexUrl: string): string {
  return html.replace('</head>', `  <meta name="pipette-default-index" content="${indexUrl}" />\n  </head>`);
}

/**
 * `WHEELHOUSE=DIR npm start` (or `npm run preview`): serves the wheels in DIR as a package index
 * at `/wheelhouse/simple/` (src/cli/wheelhouse.ts) and makes it the page's default index, for a
 * classroom without internet. Without WHEELHOUSE this plugin does nothing.
 */
function wheelhouse(dir: string | undefined = process.env.WHEELHOUSE): Plugin {
  const name = 'pipette:wheelhouse';
  if (!dir) return { name };
  let module: Promise<typeof WheelhouseModule> | null = null;
  // Loaded through Vite's module runner rather than imported here: the config loader would
  // otherwise bundle src/pep into the config.
  const load = (root: string): Promise<typeof WheelhouseModule> =>
    (module ??= runnerImport<typeof WheelhouseModule>(resolve(root, 'src/cli/wheelhouse.ts'), { root, logLevel: 'error' }).then((r) => r.module));
  const open = async (root: string, logger: Logger) => {
    const { Wheelhouse, WHEELHOUSE_MOUNT, wheelhouseMiddleware } = await load(root);
    const house = await Wheelhouse.open(resolve(dir), { onProblem: (p) => logger.warn(`WHEELHOUSE: skipped ${p.filename}: ${p.reason}`) });
    const listing = await house.listing();
    const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
    const projects = new Set(listing.files.map((f) => f.project)).size;
    logger.info(`WHEELHOUSE: ${count(listing.files.length, 'file')} of ${count(projects, 'project')} from ${house.dir}, served at ${WHEELHOUSE_MOUNT}simple/`);
    return { middleware: wheelhouseMiddleware(house), indexUrl: `${WHEELHOUSE_MOUNT}simple/` };
  };
  let indexUrl = '';
  return {
    name,
    async configureServer(server) {
      const house = await open(server.config.root, server.config.logger);
      indexUrl = house.indexUrl;
      server.middlewares.use(house.middleware);
    },
    transformIndexHtml(html) {
      return indexUrl ? withDefaultIndex(html, indexUrl) : html;
    },
    async configurePreviewServer(server) {
      const house = await open(server.config.root, server.config.logger);
      server.middlewares.use(house.middleware);
      // The built index.html, with the same meta the dev server adds (preview serves files as built).
      const page = resolve(server.config.root, server.config.build.outDir, 'index.html');
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://x').pathname;
        if ((req.method !== 'GET' && req.method !== 'HEAD') || (path !== '/' && path !== '/index.html') || !existsSync(page)) return next();
        readFile(page, 'utf8').then((html) => {
          const body = Buffer.from(withDefaultIndex(html, house.indexUrl));
          res.writeHead(200, { ...server.config.preview.headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': String(body.length), 'Cache-Control': 'no-cache' });
          res.end(req.method === 'HEAD' ? undefined : body);
        }, next);
      });
    },
  };
}

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The Content-Security-Policy of every response, which is the one the runtime worker gets (a
// worker's policy comes with its script). Pyodide compiles WebAssembly and evaluates the JS
// snippets of shared libraries (EM_ASM) and `pyodide.code.run_js`, so the worker needs
// 'wasm-unsafe-eval' and 'unsafe-eval'; index.html's <meta> policy adds a stricter one for the
// page (no eval, no inline script), and a page enforces both. Package indexes: any https one,
// and local ones for development, classrooms and tests.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
].join('; ');
const securityHeaders = { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy };

// One config for the app (Vite) and the tests (Vitest projects):
// - node: unit and integration tests, including a real Pyodide loaded from node_modules;
// - e2e: headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the
//   Vite dev server that test/e2e/global-setup.ts starts.
export default defineConfig({
  plugins: [pyodideAssets(), serviceWorker(), wheelhouse()],
  // Pyodide finds its own files (wasm, stdlib, lock) relative to indexURL; pre-bundling would
  // move pyodide.mjs away from them.
  optimizeDeps: { exclude: ['pyodide'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  // Cross-origin isolation, so the page can share memory with the worker: Ctrl+C reaches a
  // running Python program (Pyodide's interrupt buffer) and input() waits for the terminal.
  // Index requests are CORS requests, which require-corp allows.
  server: { host: '127.0.0.1', headers: securityHeaders },
  preview: { headers: securityHeaders },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
