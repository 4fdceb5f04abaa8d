/**
 * Throwaway environments for builds, under `/tmp` (never the person's environment): PEP 517's
 * isolated build environment, a prefix with its own site-packages into which the build
 * requirements are installed by Pipette's own resolver and installer (the caller's
 * `RequirementInstaller`: `pip install --prefix PREFIX ...`, as pip's BuildEnvironment runs a pip
 * subprocess). Only the build's own folders are ever written here; removing the session's folder
 * when the command ends is the only cleanup.
 */
import type { FileSystem } from '../install';
import { BuildError, BuildErrorCode } from './build-error';

/** Where every build's throwaway folders live. */
export const BUILD_ROOT = '/tmp/pipette-build';

/**
 * Installs requirements into `prefix` with Pipette's resolver from the configured sources.
 * Resolves with pip's output either way, so a failure can be shown as pip shows its subprocess.
 */
export type RequirementInstaller = (
  prefix: string,
  requirements: readonly string[],
  options: { readonly constraints?: readonly string[] },
) => Promise<{ readonly ok: boolean; readonly output: string }>;

/** One prefix: `bin/python` (a name the hook runner maps to the site-packages) and purelib. */
export class BuildEnvironment {
  readonly python: string;
  readonly purelib: string;

  constructor(
    readonly prefix: string,
    pythonVersion: string,
  ) {
    const [major, minor] = pythonVersion.split('.');
    this.python = `${prefix}/bin/python`;
    this.purelib = `${prefix}/lib/python${major}.${minor}/site-packages`;
  }

  /** The lower-cased normalized names of the distributions installed here. */
  installedNames(fs: FileSystem): Set<string> {
    const names = new Set<string>();
    for (const entry of fs.readdir(this.purelib)) {
      const m = /^(.+?)-[^-]+\.dist-info$/.exec(entry);
      if (m) names.add(m[1]!.replace(/[-_.]+/g, '-').toLowerCase());
    }
    return names;
  }

  /** Installs `requirements` (nothing when empty); a failure is a BuildError with pip's output. */
  async install(installer: RequirementInstaller, requirements: readonly string[], subject: string, what: string): Promise<void> {
    if (requirements.length === 0) return;
    const outcome = await installer(this.prefix, requirements, {});
    if (!outcome.ok) {
      throw new BuildError(
        BuildErrorCode.BuildDependencies,
        subject,
        `Could not install ${what} for ${subject}: ${requirements.join(', ')}. They are resolved from the configured indexes like any requirement (see the output above); make them available there (as wheels) and try again.`,
        outcome.output,
      );
    }
  }
}

let sessionCounter = 0;

/** A fresh folder name for one command's builds: `/tmp/pipette-build/run-3-k2j9`. */
export function newWorkDir(fs: FileSystem): string {
  for (;;) {
    sessionCounter++;
    const suffix = Math.floor(Math.random() * 36 ** 4).toString(36).padStart(4, '0');
    const dir = `${BUILD_ROOT}/run-${sessionCounter}-${suffix}`;
    if (!fs.exists(dir)) {
      fs.mkdirp(dir);
      return dir;
    }
  }
}
