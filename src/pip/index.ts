// The public surface of src/pip: pip's command line over an injected environment.
export { configuredIndexes, runPip, type ConfiguredIndexes } from './main';
export { terminalOutput } from './output';
export type { PipContext, PipEnvironment, PipOutput, SourceOptions, InstalledEvent } from './context';
export { ExitStatus } from './command';
export type { PipCommand, CommandRun } from './command';
export { PipError, PipErrorCode } from './pip-error';
export { formatSize } from './format';
export { PIP_VERSION, PIPETTE_VERSION, versionLine } from './version';
export { writePipPackage, isPipettePip } from './pip-package';
export { metadataToJson, installationReport } from './report';
export type { InstallationReport } from './report';
// For the runtime: a share-link restore prints what it applies in pip's words.
export { applyReporter, summaryLine } from './apply-output';
export { PipLogger } from './logger';
