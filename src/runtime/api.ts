import type { InterpreterInfo } from './interpreter';

/** Progress of the runtime's boot, streamed to the page. */
export interface BootProgress {
  readonly phase: 'loading' | 'ready';
  readonly elapsedMs: number;
}

/** Page-level settings the worker is booted with. */
export interface RuntimeConfig {
  /** The index pip uses by default (`?index-url=` in the page URL); PyPI when null. */
  readonly indexUrl: string | null;
  /** Where Pyodide's own WebAssembly packages come from; the bundled release's CDN when null. */
  readonly pyodidePackagesUrl: string | null;
}

/** One chunk of a command's output, in order. */
export interface OutputChunk {
  readonly stream: 'stdout' | 'stderr';
  readonly text: string;
}

/**
 * The worker's API as the page sees it through Comlink. Everything crossing it is plain data
 * (Comlink keeps only name, message and stack of a thrown Error), so failures come back as
 * values with a `code`.
 */
export interface RuntimeApi {
  boot(config: RuntimeConfig, onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo>;
  runPython(code: string): Promise<RunResult>;
  /** Runs `pip ARGV...` in the active environment; resolves to pip's exit code. */
  pip(argv: string[], onOutput: (chunk: OutputChunk) => void): Promise<number>;
}

export type RunResult =
  | { readonly kind: 'ok'; readonly stdout: string; readonly stderr: string; readonly value: string | null }
  | { readonly kind: 'error'; readonly code: 'python-exception' | 'not-booted'; readonly message: string; readonly stdout: string; readonly stderr: string };
