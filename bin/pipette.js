#!/usr/bin/env node
// `pipette` command: runs src/cli/main.ts with plain node, compiling TypeScript on the fly
// through tsx's loader (a devDependency, acceptable while Pipette is not published).
import { register } from 'tsx/esm/api';

register();
// pep/ reads no environment: the edge turns the range invariant checks on for development.
if (process.env.NODE_ENV === 'development') (await import('../src/pep/range.ts')).setRangeInvariantChecks(true);
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
