// The panels that show the machinery: plain data in through properties, intent out through the
// typed events of ../events. Importing this module defines every panel's element.
export * from './types';
export * from './packages';
export * from './graph';
export * from './disk';
export * from './files';
export * from './spec-lab';
