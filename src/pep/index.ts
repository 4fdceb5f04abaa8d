// The public surface of src/pep: the Python packaging standards, pure values and functions.
export * from './pipette-error';
export * from './error';
export * from './name';
export * from './version';
export * from './specifier';
export * from './range';
export * from './marker';
export * from './requirement';
export * from './tags';
export * from './wheel';
export * from './wheel-metadata';
export * from './metadata';
// Files, project pages and core metadata as the index gives them and the resolver reads them.
export * from './distribution';
export * from './requirements-file';
export * from './pylock';
// Rules for text that crosses from outside to the person: escaping, redaction, errno words, wildcards.
export * from './terminal-text';
export { pyRepr } from './python-repr';
export * from './byte-size';
export * from './redact';
export * from './errno';
export * from './wildcard';
export { allHashes, checkHash, digest, digestHex, isSupportedHash, linkHash, sha256, sha256Hex, SUPPORTED_HASHES, toHex } from './digest';
export type { ExpectedHash, HashName } from './digest';
// Zip archives as Python's zipfile (pip's reader) reads them: wheels, whole or in ranges.
export * from './zip-archive';
