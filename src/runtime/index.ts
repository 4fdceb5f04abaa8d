// Public surface of src/runtime for the page. The worker entry (worker.ts) and the Node-side
// boot (boot.ts, session.ts) are imported directly by what runs them.
export { startRuntime, proxy, type Remote } from './client';
export type {
  RuntimeApi,
  RuntimeBoot,
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
  RuntimeFailure,
  RuntimeErrorCode,
  RuntimeResult,
  RestoreOffer,
  ShareLockAnswer,
  LockFormat,
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
export { openRelayChannel, type PageRelay } from './terminal-relay';
export type { InterpreterInfo } from './interpreter';
export type { InstalledLock } from './lock';
export type { LockRecord } from '../install';
export type { VenvCreateRequest } from '../shell';
export type { EnvironmentLock as ShareLock } from '../share';
// The shell's pure pieces the page uses too: quoting an argv as the line that would run it, and
// the line history with its arrow-key navigation (one implementation for both sides).
export { quoteArgv, History, historyUp, historyDown, notBrowsing, type HistoryCursor } from '../shell/page';
