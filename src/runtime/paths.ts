// POSIX paths of the interpreter's filesystem: the one implementation lives in src/install.

export { normalizePath, resolvePath, dirname, basename, isWithin } from '../install';
