/**
 * One source tree turned into a wheel, as pip's PEP 517 path does it (pip
 * `operations/build/metadata.py`, `wheel.py`, `build_env.py`), each step reported by name so pip
 * can print it (`Installing build dependencies ... done`):
 *
 * 1. `[build-system]` read (pyproject.ts), projects that need a compiler refused (compiler-check.ts);
 * 2. Installing build dependencies: a fresh environment under /tmp with `requires`;
 * 3. Checking if build backend supports build_editable (PEP 660, `-e` only);
 * 4. Getting requirements to build wheel|editable: `get_requires_for_build_*`, installed when
 *    new (Installing backend dependencies);
 * 5. Preparing [editable ]metadata (pyproject.toml): `prepare_metadata_for_build_*` (the backend
 *    may lack it: pyproject_hooks then builds the wheel and reads its .dist-info);
 * 6. Building wheel|editable for NAME (pyproject.toml): `build_wheel` / `build_editable`, given
 *    the metadata folder so the same wheel is not built twice.
 */
import type { FileSystem } from '../install';
import { normalizeName, parseMetadata, parseWheelFilename, type CoreMetadata } from '../pep';
import { BuildError, BuildErrorCode } from './build-error';
import { BuildEnvironment, type RequirementInstaller } from './build-environment';
import type { BuildIo } from './build-python';
import { compilerNeed } from './compiler-check';
import { readBuildSystem, type BuildSystem } from './pyproject';
import type { HookOutcome, PythonFrontend } from './python-frontend';
import type { SourceTree } from './source-tree';

/** How the caller shows a step: pip's spinner line, with the output captured or streamed. */
export interface BuildReporter {
  step<T>(label: string, run: (io: BuildIo) => T | Promise<T>): Promise<T>;
}

/** What every build of one command shares. */
export interface BuildContext {
  readonly fs: FileSystem;
  readonly frontend: PythonFrontend;
  readonly install: RequirementInstaller;
  /** `3.14`: the environments' `lib/python3.14/site-packages`. */
  readonly pythonVersion: string;
  readonly reporter: BuildReporter;
  /** A new empty folder under the command's throwaway folder (`env-1`, `meta-2`, ...). */
  newFolder(kind: string): string;
  /** The environment holding pyproject_hooks (installed once per tab, on first use). */
  frontendEnvironment(): Promise<BuildEnvironment>;
  /** `--config-settings` given to every hook. */
  readonly configSettings?: Readonly<Record<string, string | readonly string[]>>;
}

export interface PreparedMetadata {
  readonly metadata: CoreMetadata;
  /** METADATA as the backend wrote it. */
  readonly text: string;
}

export interface BuiltWheel {
  readonly filename: string;
  readonly bytes: Uint8Array;
}

export class Pep517Build {
  private system: BuildSystem | null = null;
  private env: BuildEnvironment | null = null;
  private metadataDir: string | null = null;
  private prepared: PreparedMetadata | null = null;
  /** The project's name once known, for messages. */
  name: string | null = null;

  constructor(
    private readonly ctx: BuildContext,
    readonly tree: SourceTree,
  ) {}

  /** How messages name the project: its name once the metadata is known, else the source. */
  get subject(): string {
    return this.name ?? this.tree.display;
  }

  /** Steps 1-5: the build environment and the project's metadata. */
  async prepareMetadata(): Promise<PreparedMetadata> {
    if (this.prepared) return this.prepared;
    const { ctx, tree } = this;
    const system = this.readSystem();
    const editable = tree.editable;
    const env = await ctx.reporter.step('Installing build dependencies', async () => {
      const env = new BuildEnvironment(ctx.newFolder('env'), ctx.pythonVersion);
      await ctx.frontendEnvironment();
      await env.install(ctx.install, system.requires, this.subject, 'the build dependencies');
      return env;
    });
    this.env = env;
    if (editable) {
      const features = await ctx.reporter.step('Checking if build backend supports build_editable', (io) => this.hook('_supported_features', {}, io));
      if (!Array.isArray(features) || !features.includes('build_editable')) {
        throw new BuildError(
          BuildErrorCode.HookMissing,
          this.subject,
          `Project ${tree.display} has a 'pyproject.toml' and its build backend (${system.backend}) is missing the 'build_editable' hook, so it cannot be installed in editable mode. Consider using a build backend that supports PEP 660.`,
        );
      }
    }
    const kind = editable ? 'editable' : 'wheel';
    const extra = await ctx.reporter.step(`Getting requirements to build ${kind}`, (io) => this.hook(`get_requires_for_build_${kind}`, {}, io));
    const requirements = asStringList(extra, `get_requires_for_build_${kind}`, this.subject);
    const installed = env.installedNames(ctx.fs);
    const missing = requirements.filter((r) => !installed.has(requirementName(r)));
    if (missing.length > 0) {
      await ctx.reporter.step('Installing backend dependencies', () => env.install(ctx.install, missing, this.subject, 'the backend dependencies'));
    }
    const directory = ctx.newFolder('metadata');
    const distInfo = await ctx.reporter.step(`Preparing ${editable ? 'editable ' : ''}metadata (pyproject.toml)`, (io) =>
      this.hook(`prepare_metadata_for_build_${kind}`, { directory }, io),
    );
    if (typeof distInfo !== 'string' || !/^[^/\\]+\.dist-info$/.test(distInfo)) {
      throw badResult(this.subject, `prepare_metadata_for_build_${kind} returned ${JSON.stringify(distInfo)}, not the name of a .dist-info folder`);
    }
    const bytes = ctx.fs.readFile(`${directory}/${distInfo}/METADATA`);
    if (bytes === null) throw badResult(this.subject, `prepare_metadata_for_build_${kind} wrote no ${distInfo}/METADATA`);
    const text = new TextDecoder().decode(bytes);
    let metadata: CoreMetadata;
    try {
      metadata = parseMetadata(text);
    } catch (error) {
      throw badResult(this.subject, `the METADATA it wrote does not parse (${error instanceof Error ? error.message : String(error)})`);
    }
    this.metadataDir = `${directory}/${distInfo}`;
    this.name = metadata.name;
    this.prepared = { metadata, text };
    return this.prepared;
  }

  /** Step 6: the wheel (or PEP 660 editable wheel), checked to be the project the metadata named. */
  async buildWheel(): Promise<BuiltWheel> {
    const { metadata } = await this.prepareMetadata();
    const kind = this.tree.editable ? 'editable' : 'wheel';
    const directory = this.ctx.newFolder('wheel');
    const result = await this.ctx.reporter.step(`Building ${kind} for ${this.subject} (pyproject.toml)`, (io) =>
      this.hook(`build_${kind}`, { directory, metadata_directory: this.metadataDir }, io),
    );
    if (typeof result !== 'string' || !/^[^/\\]+\.whl$/.test(result)) {
      throw badResult(this.subject, `build_${kind} returned ${JSON.stringify(result)}, not the file name of a wheel`);
    }
    const bytes = this.ctx.fs.readFile(`${directory}/${result}`);
    if (bytes === null) throw badResult(this.subject, `build_${kind} returned ${result}, but wrote no such file`);
    let parsed: ReturnType<typeof parseWheelFilename>;
    try {
      parsed = parseWheelFilename(result);
    } catch (error) {
      throw badResult(this.subject, `it built ${result}, which is not a valid wheel file name (${error instanceof Error ? error.message : String(error)})`);
    }
    if (parsed.name !== normalizeName(metadata.name) || !parsed.version.equals(metadata.version)) {
      throw badResult(this.subject, `it built ${result}, but its metadata is for ${metadata.name} ${metadata.version.toString()}`);
    }
    return { filename: result, bytes };
  }

  private readSystem(): BuildSystem {
    if (this.system) return this.system;
    const { fs } = this.ctx;
    const dir = this.tree.dir;
    const text = (name: string): string | null => {
      const data = fs.readFile(`${dir}/${name}`);
      return data === null ? null : new TextDecoder().decode(data);
    };
    const setupPy = text('setup.py');
    const system = readBuildSystem(text('pyproject.toml'), setupPy !== null, this.tree.display);
    const need = compilerNeed(system, setupPy);
    if (need !== null) {
      throw new BuildError(
        BuildErrorCode.NeedsCompiler,
        this.subject,
        `Cannot build ${this.tree.display}: ${need}, and a browser tab has no compiler. Install a wheel built for Pyodide instead (a release with a pure-Python or Pyodide wheel), or a version that does not need compiling.`,
      );
    }
    this.system = system;
    return system;
  }

  private async hook(hook: string, args: { directory?: string; metadata_directory?: string | null }, io: BuildIo): Promise<unknown> {
    const system = this.readSystem();
    const env = this.env!;
    const frontend = await this.ctx.frontendEnvironment();
    const outcome: HookOutcome = this.ctx.frontend.callHook(
      {
        source_dir: this.tree.dir,
        backend: system.backend,
        backend_path: system.backendPath,
        python: env.python,
        sites: [env.purelib],
        frontend_python: frontend.python,
        frontend_sites: [frontend.purelib],
        hook,
        config_settings: this.ctx.configSettings ?? {},
        ...args,
      },
      io,
    );
    if (outcome.ok) return outcome.result;
    switch (outcome.kind) {
      case 'backend-unavailable':
        throw new BuildError(
          BuildErrorCode.BackendUnavailable,
          this.subject,
          `Cannot import build backend ${system.backend} for ${this.subject}: ${outcome.message}. Check build-system.requires and build-backend in pyproject.toml.`,
          outcome.traceback,
        );
      case 'hook-missing':
        throw new BuildError(BuildErrorCode.HookMissing, this.subject, `The build backend ${system.backend} of ${this.subject} has no ${outcome.message} hook (PEP 517).`);
      case 'unsupported':
        throw new BuildError(BuildErrorCode.BackendFailed, this.subject, `The build backend ${system.backend} of ${this.subject} does not support this operation.`, outcome.traceback);
      default:
        throw new BuildError(BuildErrorCode.BackendFailed, this.subject, outcome.message);
    }
  }
}

function asStringList(value: unknown, hook: string, subject: string): string[] {
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw badResult(subject, `${hook} returned ${JSON.stringify(value)}, not a list of requirement strings`);
  }
  return value;
}

/** The normalized project name a requirement string starts with. */
function requirementName(text: string): string {
  return normalizeName(/^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(text)?.[1] ?? text);
}

function badResult(subject: string, what: string): BuildError {
  return new BuildError(BuildErrorCode.BadBackendResult, subject, `The build backend of ${subject} misbehaved: ${what}.`);
}
