// Public surface of src/runtime for the page. The worker entry (worker.ts) and the Node-side
// boot (boot.ts) are imported directly by what runs them.
export { startRuntime, proxy } from './client';
export type { RuntimeApi, RunResult, BootProgress, RuntimeConfig, OutputChunk } from './api';
export type { InterpreterInfo } from './interpreter';
