import type { InterpreterInfo } from './interpreter';

/** Progress of the runtime's boot, streamed to the page. */
export interface BootProgress {
  readonly phase: 'loading' | 'ready';
  readonly elapsedMs: number;
}

/**
 * The worker's API as the page sees it through Comlink. Everything crossing it is plain data
 * (Comlink keeps only name, message and stack of a thrown Error), so failures come back as
 * values with a `code`.
 */
export interface RuntimeApi {
  boot(onProgress?: (p: BootProgress) => void): Promise<InterpreterInfo>;
  runPython(code: string): Promise<RunResult>;
}

export type RunResult =
  | { readonly kind: 'ok'; readonly stdout: string; readonly stderr: string; readonly value: string | null }
  | { readonly kind: 'error'; readonly code: 'python-exception' | 'not-booted'; readonly message: string; readonly stdout: string; readonly stderr: string };
