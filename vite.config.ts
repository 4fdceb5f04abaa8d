import { defineConfig, type Plugin } from 'vitest/config';
import { createReadStream, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

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

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// One config for the app (Vite) and the tests (Vitest projects):
// - node: unit and integration tests, including a real Pyodide loaded from node_modules;
// - e2e: headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core against the
//   Vite dev server that test/e2e/global-setup.ts starts.
export default defineConfig({
  plugins: [pyodideAssets()],
  // Pyodide finds its own files (wasm, stdlib, lock) relative to indexURL; pre-bundling would
  // move pyodide.mjs away from them.
  optimizeDeps: { exclude: ['pyodide'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  // Cross-origin isolation, so the page can share memory with the worker: Ctrl+C reaches a
  // running Python program (Pyodide's interrupt buffer) and input() waits for the terminal.
  // Index requests are CORS requests, which require-corp allows.
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { headers: isolationHeaders },
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
