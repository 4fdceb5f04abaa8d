// Node-only additions to src/index (the CLI, benchmarks, tests). Never import this from code
// that runs in a browser or worker: FsStore uses node:fs.
export * from './index';
export { FsStore } from './fs-store';
