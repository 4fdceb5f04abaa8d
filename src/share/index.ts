// Public surface of src/share: an environment lock <-> a share link, and lock exports.
export type { EnvironmentLock, LockedBuild, LockedFile, LockedWheel } from './environment-lock';
export { LOCK_VERSION, LockLimits, PYPI_FILES_ORIGIN, PYPI_INDEX, recordOf, toLinkedWheel } from './environment-lock';
export { checkLock, landingProblem, pickLockFields, type LockCheck, type LockRefusalCode } from './check-lock';
export { secretFileName, textCredentials, urlCredentials, type TextCredential } from './credentials';
export { lockWarnings, sameIndex, type ShareWarning, type TrustOptions } from './trust';
export { decodeShareLink, encodeShareLink, isShareLink, ShareLinkError, ShareRefusal, type DecodeResult, type ShareRefusalCode } from './link';
export {
  lockToPylock,
  LockExportError,
  pylockToLock,
  type ImportRefusalCode,
  type ImportResult,
  type ImportTarget,
  type ImportWarning,
  type PylockExportOptions,
} from './export';
export { lockToRequirements } from './requirements-export';
