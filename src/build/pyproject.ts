/**
 * The `[build-system]` table of a source tree (PEP 517, PEP 518), read as pip's
 * `pyproject.load_pyproject_toml` reads it:
 * - no pyproject.toml, or one without `[build-system]`, but a setup.py: setuptools' legacy
 *   backend with `requires = ["setuptools>=40.8.0"]` (what pip assumes for such projects);
 * - `[build-system]` without `build-backend`: the legacy backend, with the given requires;
 * - `requires` must be a list of PEP 508 strings, `backend-path` a list of paths inside the tree.
 * Ex) `requires = ["hatchling"]`, `build-backend = "hatchling.build"`.
 */
import { parse as parseToml } from 'smol-toml';
import { InvalidRequirement, Requirement } from '../pep';
import { BuildError, BuildErrorCode } from './build-error';

/** The legacy setuptools backend pip falls back to (PEP 517's "setuptools.build_meta:__legacy__"). */
export const LEGACY_BACKEND = 'setuptools.build_meta:__legacy__';
/** pip's default `requires` for projects without `[build-system]`. */
export const LEGACY_REQUIRES: readonly string[] = ['setuptools>=40.8.0'];

export interface BuildSystem {
  /** PEP 508 strings, as written. */
  readonly requires: readonly string[];
  /** `module:object` of the backend. */
  readonly backend: string;
  /** `backend-path` entries (relative to the tree, checked to stay inside it). */
  readonly backendPath: readonly string[];
  /** True when pip's defaults were used (no `[build-system]`, or no `build-backend`). */
  readonly legacy: boolean;
  /** The whole pyproject.toml, parsed (null when there is none): `[project]` for messages. */
  readonly pyproject: Readonly<Record<string, unknown>> | null;
}

/**
 * The build system of a tree from its pyproject.toml text (null when absent) and whether it has
 * a setup.py. `subject` names the project in messages (`./proj`, `hello`).
 */
export function readBuildSystem(pyprojectText: string | null, hasSetupPy: boolean, subject: string): BuildSystem {
  if (pyprojectText === null) {
    if (!hasSetupPy) {
      throw new BuildError(
        BuildErrorCode.NotAProject,
        subject,
        `${subject} does not appear to be a Python project: neither 'setup.py' nor 'pyproject.toml' found.`,
      );
    }
    return { requires: LEGACY_REQUIRES, backend: LEGACY_BACKEND, backendPath: [], legacy: true, pyproject: null };
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(pyprojectText) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n', 1)[0] : String(error);
    throw invalid(subject, `its pyproject.toml is not valid TOML (${reason}). Fix the file and try again.`);
  }
  const table = doc['build-system'];
  // No `[build-system]`: setuptools' legacy backend, as pip assumes (PEP 518's fallback).
  if (table === undefined) {
    return { requires: LEGACY_REQUIRES, backend: LEGACY_BACKEND, backendPath: [], legacy: true, pyproject: doc };
  }
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw invalid(subject, 'its pyproject.toml has a `build-system` that is not a table (PEP 518).');
  }
  const system = table as Record<string, unknown>;
  const requires = system['requires'];
  if (requires === undefined) {
    throw invalid(subject, "its pyproject.toml does not comply with PEP 518: 'build-system.requires' is missing. Add `requires = [...]` listing the build backend (for example `requires = [\"setuptools>=61\"]`).");
  }
  if (!Array.isArray(requires) || !requires.every((r): r is string => typeof r === 'string')) {
    throw invalid(subject, 'its pyproject.toml has an invalid `build-system.requires` key: it is not a list of strings (PEP 518).');
  }
  for (const r of requires) {
    try {
      Requirement.parse(r);
    } catch (error) {
      if (!(error instanceof InvalidRequirement)) throw error;
      throw invalid(subject, `its pyproject.toml has an invalid \`build-system.requires\` key: it contains an invalid requirement: '${r}' (${error.message}).`);
    }
  }
  const backend = system['build-backend'];
  if (backend !== undefined && (typeof backend !== 'string' || !/^[A-Za-z_][\w.]*(:[A-Za-z_][\w.]*)?$/.test(backend))) {
    throw invalid(subject, `its pyproject.toml has an invalid \`build-system.build-backend\`: ${JSON.stringify(backend)} is not a \`module:object\` reference (PEP 517).`);
  }
  const backendPath = system['backend-path'] ?? [];
  if (!Array.isArray(backendPath) || !backendPath.every((p): p is string => typeof p === 'string')) {
    throw invalid(subject, 'its pyproject.toml has an invalid `build-system.backend-path`: it is not a list of strings (PEP 517).');
  }
  for (const p of backendPath) {
    if (p.startsWith('/') || p.split(/[\\/]/).includes('..') || /^[A-Za-z]:/.test(p) || p.includes('\0')) {
      throw invalid(subject, `its pyproject.toml has a \`build-system.backend-path\` entry outside the project: '${p}'. PEP 517 requires backend-path entries to stay inside the source tree.`);
    }
  }
  if (backend === undefined) {
    return { requires: requires as string[], backend: LEGACY_BACKEND, backendPath, legacy: true, pyproject: doc };
  }
  return { requires: requires as string[], backend, backendPath, legacy: false, pyproject: doc };
}

/** `[project].name` when the table gives it literally (for messages before metadata exists). */
export function declaredName(system: BuildSystem): string | null {
  const project = system.pyproject?.['project'];
  if (typeof project !== 'object' || project === null) return null;
  const name = (project as Record<string, unknown>)['name'];
  return typeof name === 'string' ? name : null;
}

function invalid(subject: string, why: string): BuildError {
  return new BuildError(BuildErrorCode.InvalidPyproject, subject, `Can not process ${subject}: ${why}`);
}
