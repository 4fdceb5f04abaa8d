/** Shared setup for the Python resolver tests: the target Pyodide of the conformance files. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MarkerEnvironment } from '../../../src/pep/marker';
import type { PyodideLockInfo } from '../../../src/pep/tags';
import { resolve, type NoSolution, type Resolution, type ResolveOptions, type ResolveRequest } from '../../../src/resolver';
import { createMemorySource, type MemorySourceOptions } from '../../fixtures/memory-source';

const conformance = process.env.CONFORMANCE_DIR ?? '/work/shared/conformance';

/** The marker environment of the real Pyodide (conformance/pyodide-environment.json). */
export const PYODIDE_ENV: MarkerEnvironment = (
  JSON.parse(readFileSync(join(conformance, 'pyodide-environment.json'), 'utf8')) as { env: MarkerEnvironment }
).env;

export const PYODIDE_INFO: PyodideLockInfo = { abi_version: '2026_0', arch: 'wasm32', platform: 'emscripten_5_0_3', python: '3.14.2' };

export async function resolveMemory(
  source: MemorySourceOptions,
  request: ResolveRequest,
  options: Partial<ResolveOptions> = {},
): Promise<Resolution | NoSolution> {
  return resolve(request, createMemorySource(source), { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, ...options });
}

/** `name==version` lines of a resolution, or the explanation of a failure. */
export function pins(result: Resolution | NoSolution): string[] | string {
  return result.kind === 'resolution' ? result.distributions.map((d) => `${d.name}==${d.version}`) : result.explanation;
}
