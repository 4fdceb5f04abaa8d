// The public surface of src/resolver: PubGrub over PEP 440 ranges, for Python packages.
export { MAX_ROUNDS, resolve, TIME_LIMIT_MS } from './resolve';
export { hostScheduler } from './scheduler';
export type { Scheduler } from './scheduler';
export type {
  NoSolution,
  PinnedDistribution,
  Resolution,
  ResolveOptions,
  ResolveRequest,
  ResolverEvent,
  ResolverWarning,
  ResolveStats,
} from './resolve';
export { ResolverError, type ResolverErrorCode } from './resolver-error';
export type { ProviderEvent } from './provider';
export type { PackageSource } from './package-source';
export type { DecisionListener } from './decision-log';
export { fileFromUrl } from './source-cache';
export { selectFiles } from './candidates';
export type { AllowedHashes, CandidateContext } from './candidates';
export { explainNoSolution, PythonFormatter } from './python-report';
export type { Explanation, PythonDerivationTree, ReportContext } from './python-report';
export type { UnavailableReason } from './unavailable';
export { describeReason } from './unavailable';
export { PYTHON_PACKAGE, ROOT_PACKAGE, packageKind } from './python-package';
export type { PythonPackage, PackageKind } from './python-package';
// The pip policies, one module each, for whoever must answer as the resolver does (the specifier lab).
export { PrereleasePolicy } from './prerelease';
export type { FinalReleases, PrereleaseReason } from './prerelease';
export { YankPolicy, pinRanges } from './yanks';

// The generic core, for other version schemes and for tests.
export { solve, State } from './solver';
export { SolverLimitError } from './run-budget';
export type { RunBudgetOptions } from './run-budget';
export type { ConflictStanding } from './conflict-tracker';
export type { Dependencies, DependencyProvider, Priority, SolveOptions, SolveResult, SolverEvent, SolverStats, VersionChoice } from './solver';
export { Term } from './term';
export { Incompatibility } from './incompatibility';
export type { ExternalCause, IncompatibilityCause } from './incompatibility';
export { buildDerivationTree, externalCauses, mapDerivationTree } from './derivation-tree';
export type { DerivationTree, DerivedNode, ExternalNode } from './derivation-tree';
export { explainTree, SentenceFormatter } from './report';
export type { ReportFormatter } from './report';
export type { VersionSet, VersionSetFactory } from './version-set';
