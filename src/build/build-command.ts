/**
 * `python -m build`: the real `build` package (installed in the person's environment, as on any
 * machine) run in-process by frontend-module.ts's `run_build`, its output and wording its own.
 * What a tab cannot do is done here instead:
 * - build's isolated environments are folders under /tmp whose requirements Pipette installs with
 *   its own resolver from the configured indexes (no venv, no pip subprocess);
 * - the hooks run through the in-process runner (no subprocess).
 *
 * Installing is asynchronous and Python calls are not, so when build asks for a requirement the
 * environment lacks, the Python side stops (`need`), the requirement is installed, and the
 * command runs again from the start; what the earlier run printed is not printed twice (the
 * replay below). The requirements of `[build-system]` are installed before the first run, so
 * the usual build runs once.
 */
import type { FileSystem } from '../install';
import { BuildEnvironment, newWorkDir, type RequirementInstaller } from './build-environment';
import type { BuildIo, BuildPython } from './build-python';
import { readBuildSystem } from './pyproject';
import { PythonFrontend } from './python-frontend';

export interface BuildCommandOptions {
  readonly fs: FileSystem;
  readonly python: BuildPython;
  readonly install: RequirementInstaller;
  /** `3.14` */
  readonly pythonVersion: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly io: BuildIo;
}

/** Options of build's parser that take a value (so their value is not taken for srcdir). */
const VALUE_OPTIONS = new Set(['-o', '--outdir', '-C', '--config-setting', '--config-json', '--installer', '--env-dir', '--dependency-constraints-txt', '--sdist-extract-dir', '--report']);
/** A command asking for more installs than this is stopped (a backend asking forever). */
const MAX_RUNS = 12;

type RunAnswer = { readonly status: number } | { readonly need: { readonly prefix: string; readonly requirements: readonly string[]; readonly constraints: readonly string[] } };

/** Runs `python -m build ARGV` to completion; returns its exit status. */
export async function runBuildCommand(options: BuildCommandOptions): Promise<number> {
  const { fs, io } = options;
  const frontend = new PythonFrontend(fs, options.python);
  const workDir = newWorkDir(fs);
  const envsDir = `${workDir}/envs`;
  const [major, minor] = options.pythonVersion.split('.');
  const purelibSuffix = `lib/python${major}.${minor}/site-packages`;
  try {
    await preinstall(options, envsDir);
    let previous = { stdout: '', stderr: '' };
    for (let run = 1; run <= MAX_RUNS; run++) {
      const replay = new ReplayIo(io, previous);
      const answer = frontend.call('run_build', { argv: options.argv, cwd: options.cwd, envs_dir: envsDir, prog: 'python -m build', purelib_suffix: purelibSuffix }, replay) as RunAnswer;
      if ('status' in answer) return answer.status;
      const { prefix, requirements, constraints } = answer.need;
      const outcome = await options.install(prefix, requirements, { constraints });
      if (!outcome.ok) {
        io.stderr(outcome.output.replace(/^/gm, '  ').replace(/\s*$/, '\n'));
        io.stderr(`ERROR Could not install ${requirements.join(', ')} into the isolated environment: Pipette resolves build requirements from the configured indexes (see above).\n`);
        return 1;
      }
      previous = replay.written;
    }
    io.stderr(`ERROR The build asked for new requirements ${MAX_RUNS} times; stopping (Pipette).\n`);
    return 1;
  } finally {
    frontend.removeTree(workDir);
  }
}

/**
 * Installs `[build-system].requires` into the environments build will make (one per
 * distribution: sdist, then the wheel from the sdist), so that the first run finds them.
 */
async function preinstall(options: BuildCommandOptions, envsDir: string): Promise<void> {
  const args = options.argv;
  if (args.some((a) => a === '-n' || a === '--no-isolation' || a === '-h' || a === '--help' || a === '-V' || a === '--version' || a.startsWith('--env-dir'))) return;
  let srcdir: string | null = null;
  let count = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (VALUE_OPTIONS.has(a)) {
      i++;
      continue;
    }
    if (a === '-s' || a === '--sdist' || a === '-w' || a === '--wheel') count++;
    else if (!a.startsWith('-') && srcdir === null) srcdir = a;
  }
  const dir = srcdir === null ? options.cwd : srcdir.startsWith('/') ? srcdir : `${options.cwd}/${srcdir}`;
  if (!options.fs.isDirectory(dir)) return;
  const text = options.fs.readFile(`${dir}/pyproject.toml`);
  let requires: readonly string[];
  try {
    requires = readBuildSystem(text === null ? null : new TextDecoder().decode(text), options.fs.exists(`${dir}/setup.py`), dir).requires;
  } catch {
    return; // build itself will say what is wrong with the project
  }
  const envs = count === 0 ? 2 : count;
  for (let i = 0; i < envs; i++) {
    const env = new BuildEnvironment(`${envsDir}/env-${i}`, options.pythonVersion);
    const outcome = await options.install(env.prefix, requires, {});
    if (!outcome.ok) return; // build's own run will ask again and report the failure
  }
}

/**
 * Passes output through, except the text a previous run already printed: while what comes
 * matches what was printed before (per stream), it is dropped; from the first difference on,
 * everything is shown.
 */
class ReplayIo implements BuildIo {
  readonly written = { stdout: '', stderr: '' };
  private readonly pending: { stdout: string; stderr: string };

  constructor(
    private readonly io: BuildIo,
    previous: { stdout: string; stderr: string },
  ) {
    this.pending = { ...previous };
  }

  stdout(text: string): void {
    this.write('stdout', text);
  }

  stderr(text: string): void {
    this.write('stderr', text);
  }

  private write(stream: 'stdout' | 'stderr', text: string): void {
    this.written[stream] += text;
    const pending = this.pending[stream];
    let same = 0;
    while (same < text.length && same < pending.length && text[same] === pending[same]) same++;
    if (same === text.length) {
      this.pending[stream] = pending.slice(same);
      return;
    }
    this.pending[stream] = '';
    this.io[stream](text.slice(same));
  }
}
