/** Shared setup for the Python resolver tests: the target Pyodide of the conformance files. */
import { resolve, type NoSolution, type Resolution, type ResolveOptions, type ResolveRequest } from '../../../src/resolver';
import { createMemorySource, type MemorySourceOptions } from '../../fixtures/memory-source';

export { PYODIDE_ENV, PYODIDE_INFO } from '../../fixtures/pyodide-target';
import { PYODIDE_ENV, PYODIDE_INFO } from '../../fixtures/pyodide-target';

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
