// Public surface of src/install: the one door into an environment. A lock (records) and an
// environment make a plan; the plan is applied all or nothing, under the containment rules.
export { planInstall, satisfies, type InstallPlan, type PlanEnvironment, type PlanLock, type PlanOptions } from './plan';
export { applyPlan, directUrlOf, type ApplyEvent, type ApplyOptions, type ApplyResult, type ApplyTarget, type ArrivingWheel } from './apply';
export {
  builtProblem,
  describeCharacter,
  directUrlRecord,
  fileUrlPath,
  filenameProblem,
  lockKey,
  lockRecordProblem,
  parseLockRecord,
  sameSource,
  urlFilename,
  urlProblem,
  versionProblem,
  type BuiltFrom,
  type LockRecord,
} from './lock-record';
export { linkViolation, realPath, Rule, scriptNameProblem, targetViolation, writableRoots, type Violation } from './containment';
export { cacheFromSource, isUncheckedHashPyc, MAX_COMPILED_SOURCE_BYTES, type BytecodeCompiler, type CompiledWheel, type ModuleSource, type PendingBytecode } from './bytecode';
export { commitBytecode, prepareBytecodeCommit, type BytecodeCommit } from './deferred-bytecode';
export { installWheel, planFiles, relativeTo, stageWheel, type ExpectedMetadata, type InstallOptions, type InstalledDistribution, type StagedWheel } from './installer';
export { recordPaths, uninstallDistribution, type UninstallResult } from './uninstaller';
export { installSharedLibrary, sharedLibraryInstalled } from './shared-library';
export { listInstalled, findInstalled, type InstalledDist } from './installed';
export { openWheel, type WheelArchive } from './wheel-archive';
export { checkedZipDirectory, unzip } from './zip-reader';
// The one zip reader is pep's; src/build reads wheels through it as the installer does.
export { readZipEntry } from '../pep';
export { schemeForPrefix, type InstallScheme } from './scheme';
export { MemoryFs, MAX_SYMLINKS, type FileKind, type FileSystem } from './fs';
export { JournalFs } from './journal-fs';
export { normalizePath, resolvePath, dirname, basename, isWithin } from './posix-path';
export { parseRecord, writeRecord, recordHash, type RecordEntry } from './record';
export { parseEntryPoints, type EntryPoint } from './entry-points';
export { InstallError, InstallErrorCode } from './errors';
