import { createServer, type ViteDevServer } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The playground served by a real Vite dev server on 127.0.0.1. */
    appUrl: string;
  }
}

let server: ViteDevServer | undefined;

/** Starts the app exactly as `npm start` does (same vite.config.ts), on a free port. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  server = await createServer({ configFile: 'vite.config.ts', logLevel: 'warn', server: { port: 0, host: '127.0.0.1', strictPort: false } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('the Vite dev server did not report a port');
  project.provide('appUrl', `http://127.0.0.1:${address.port}/`);
  return async () => {
    await server?.close();
  };
}
