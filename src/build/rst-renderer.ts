/**
 * twine check's reStructuredText rule run by the real docutils in the tab: docutils is
 * installed once per tab from the configured indexes into its own folder under /tmp (as
 * pyproject_hooks is for builds), and `rst_check` (frontend-module.ts) renders with
 * readme_renderer's settings.
 */
import type { FileSystem } from '../install';
import { BUILD_ROOT, BuildEnvironment, type RequirementInstaller } from './build-environment';
import { BuildError } from './build-error';
import type { BuildPython } from './build-python';
import { PythonFrontend } from './python-frontend';
import type { RstRenderer } from './twine-check';

export function pythonRstRenderer(fs: FileSystem, python: BuildPython, install: RequirementInstaller, pythonVersion: string): RstRenderer {
  const env = new BuildEnvironment(`${BUILD_ROOT}/docutils`, pythonVersion);
  const frontend = new PythonFrontend(fs, python);
  let ready: Promise<void> | null = null;
  return async (text) => {
    ready ??= (async () => {
      if (!env.installedNames(fs).has('docutils')) await env.install(install, ['docutils'], 'twine check', 'docutils (what PyPI renders reStructuredText descriptions with)');
    })();
    try {
      await ready;
    } catch (error) {
      ready = null;
      throw error instanceof BuildError ? new Error(`${error.message}\n${error.output}`) : error;
    }
    return frontend.call('rst_check', { text, sites: [env.purelib] }) as { rendered: boolean; warnings: string };
  };
}
