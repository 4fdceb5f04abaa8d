// The public surface of src/pip: pip's command line over an injected environment.
export { runPip } from './main';
export type { PipContext, PipEnvironment, PipOutput, SourceOptions, InstalledFile, InstalledEvent } from './context';
export { ExitStatus } from './command';
export type { PipCommand, CommandRun } from './command';
export { PipError, PipErrorCode } from './pip-error';
export { formatSize } from './format';
export { PIP_VERSION, PIPETTE_VERSION, versionLine } from './version';
export { writePipPackage, isPipettePip } from './pip-package';
export { metadataToJson, installationReport } from './report';
export type { InstallationReport } from './report';
// For the runtime, which rebuilds environments from their locks with pip's own all-or-nothing journal.
export { JournalFs } from './journal-fs';
export { installSharedLibrary, sharedLibraryInstalled } from './shared-library';
