import { loadPyodide, type PyodideAPI } from 'pyodide';
import type { CreatePyodideModule } from './compiled-module';

/** Boot phases reported to the page, in order. */
export const BootPhase = {
  Loading: 'loading',
  Ready: 'ready',
} as const;
export type BootPhase = (typeof BootPhase)[keyof typeof BootPhase];

export interface BootOptions {
  /** Where Pyodide's own files are served (the bundled npm package). Node: omit. */
  readonly indexURL?: string;
  readonly stdout?: (line: string) => void;
  readonly stderr?: (line: string) => void;
  /**
   * Instantiates pyodide.asm.wasm compiled elsewhere (the page's: compiled-module.ts). Omit:
   * loadPyodide fetches and compiles it itself.
   */
  readonly createPyodideModule?: CreatePyodideModule;
  /**
   * Pyodide's memory snapshot options (interpreter-snapshot.ts): start from a kept snapshot, or
   * start afresh able to make one. Omit: a plain boot.
   */
  readonly snapshot?: { readonly _loadSnapshot: Promise<Uint8Array> } | { readonly _makeSnapshot: true };
}

/**
 * Boots the bundled Pyodide. The same function serves the Web Worker (with `indexURL` pointing
 * at the files Vite serves under `pyodide/`) and Node tests (no indexURL: Pyodide finds its files
 * in node_modules).
 */
export async function bootPyodide(options: BootOptions = {}): Promise<PyodideAPI> {
  return loadPyodide({
    ...(options.indexURL !== undefined ? { indexURL: options.indexURL } : {}),
    ...(options.stdout ? { stdout: options.stdout } : {}),
    ...(options.stderr ? { stderr: options.stderr } : {}),
    ...(options.createPyodideModule ? { createPyodideModule: options.createPyodideModule } : {}),
    ...options.snapshot,
  });
}
