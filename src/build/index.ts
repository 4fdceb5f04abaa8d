// The public surface of src/build: source trees into wheels inside the tab (PEP 517 / PEP 660
// frontend), with Python injected by the runtime; sources from folders, sdists and GitHub;
// `python -m build` and twine check's rules. Used by src/pip (pip install/wheel), src/runtime.
export { BuildError, BuildErrorCode } from './build-error';
export type { BuildIo, BuildPython } from './build-python';
export { BUILD_ROOT, type RequirementInstaller } from './build-environment';
export { readBuildSystem, LEGACY_BACKEND, LEGACY_REQUIRES, type BuildSystem } from './pyproject';
export { compilerNeed } from './compiler-check';
export { unpackSourceArchive, archiveFormat, type SourceFile, type ArchiveLimits } from './archive';
export { readTar, TarFormatError, type TarEntry } from './tar';
export { GITHUB_HOSTS, isVcsUrl, parseGitHubUrl, resolveGitHubCommit, fetchGitHubTree, gitBlobSha, type GitHubHosts, type GitHubReference, type UrlFetcher } from './github';
export type { BuildReporter, BuiltWheel, PreparedMetadata } from './pep517';
export { SourceBuilder, type BuiltWheelStore, type SourceBuilderOptions, type SourceWheel } from './source-builder';
export type { DirectUrlRecord, SourceOrigin, SourceTree } from './source-tree';
export { runBuildCommand, type BuildCommandOptions } from './build-command';
export { twineCheck, type RstRenderer, type TwineCheckOptions } from './twine-check';
export { pythonRstRenderer } from './rst-renderer';
