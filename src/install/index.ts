// Public surface of src/install: wheels into a filesystem and back out, all or nothing.
export { installWheel, planFiles, relativeTo, type ExpectedMetadata, type InstallOptions, type InstalledDistribution } from './installer';
export { uninstallDistribution, type UninstallResult } from './uninstaller';
export { listInstalled, findInstalled, type InstalledDist } from './installed';
export { openWheel, symlinkEntries as zipSymlinkEntries, type WheelArchive } from './wheel-archive';
export { schemeForPrefix, type InstallScheme } from './scheme';
export { MemoryFs, type InstallFs } from './fs';
export { normalizePath, resolvePath, dirname, basename, isWithin } from './posix-path';
export { parseRecord, writeRecord, recordHash, type RecordEntry } from './record';
export { parseEntryPoints, type EntryPoint } from './entry-points';
export { InstallError, InstallErrorCode } from './errors';
export { sha256, toHex } from './digest';
