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
export * from './requirements-file';
export * from './pylock';
// Rules for text that crosses from outside to the person: escaping, redaction, errno words, wildcards.
export * from './terminal-text';
export { pyRepr } from './python-repr';
export * from './byte-size';
export * from './redact';
export * from './errno';
export * from './wildcard';
