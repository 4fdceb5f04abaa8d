// Public surface of src/runtime for the page. The worker entry (worker.ts) and the Node-side
// boot (boot.ts, session.ts) are imported directly by what runs them.
export { startRuntime, proxy } from './client';
export type {
  RuntimeApi,
  RunResult,
  BootProgress,
  RestoreReport,
  RuntimeConfig,
  OutputChunk,
  EnvironmentInfo,
  VenvCommand,
  VenvOutcome,
  PipRunOptions,
  ReadFileResult,
  WriteFileResult,
  ListDirResult,
  DirEntry,
  FsFailure,
  FsErrorCode,
  TerminalCallbacks,
  LineRequest,
  LineAnswer,
  Completion,
  DistributionView,
  EnvironmentView,
  DiskEntry,
  HomeEntry,
  VersionRow,
  DownloadActivity,
  SharedPreview,
  SharedPackage,
  SharedFile,
} from './api';
export { formatActivity } from './download-meter';
// The specifier lab's answer (values without the worker's code: classify-versions.ts answers).
export { PrereleaseRule, Verdict } from './spec-lab';
export type { ClassifiedVersion, ClassifyOptions, SpecLabResult, SpelledSpecifier } from './spec-lab';
export { createStdinBuffers, answerInput, type StdinBuffers } from './stdin-channel';
export type { InterpreterInfo } from './interpreter';
export type { InstalledLock } from './lock';
export type { LockRecord } from '../install';
export type { VenvCreateRequest } from '../shell';
