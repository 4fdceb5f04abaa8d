/**
 * `pipette`: the resolver from a terminal, against any index, for the bundled Pyodide.
 *
 *   pipette resolve [REQ...] [-r FILE] [-c FILE] [options]   -> name==version lines
 *   pipette lock ... -o pylock.toml                          -> PEP 751 lock
 *   pipette compile requirements.in [-o requirements.txt]    -> pip-tools style pins
 *
 * Exit status: 0 resolved, 1 no solution or an error (the explanation on stderr, or as JSON
 * with --json), 2 a usage error. I/O (output streams, fetch, files) is injected for tests.
 */
import { readFile as fsReadFile, writeFile as fsWriteFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createPackageSource, PYPI_SIMPLE_URL, type FetchFunction, type PyodideLock } from '../index';
import { normalizeName, Requirement, parseRequirementsFile } from '../pep';
import { resolve, type PackageSource, type ResolverEvent } from '../resolver';
import { parseArgs, type CliArgs, UsageError, USAGE } from './args';
import { targetFor } from './environment';
import { type CompileInput, compiledRequirements, pylockText, requirementLines, resolvedJson } from './output';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly fetch: FetchFunction;
  readonly readFile: (path: string) => Promise<string>;
  readonly writeFile: (path: string, text: string) => Promise<void>;
  readonly cwd: string;
}

export function nodeIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    fetch: fileAwareFetch,
    readFile: (p) => fsReadFile(p, 'utf8'),
    writeFile: (p, t) => fsWriteFile(p, t),
    cwd: process.cwd(),
  };
}

/** fetch, plus `file:` URLs read from disk (local wheels given as paths or file URLs). */
const fileAwareFetch: FetchFunction = async (input, init) => {
  if (input.startsWith('file:')) {
    try {
      const bytes = await fsReadFile(fileURLToPath(input));
      return new Response(bytes, { status: 200 });
    } catch {
      return new Response('not found', { status: 404 });
    }
  }
  return globalThis.fetch(input, init);
};

/** The bundled Pyodide's lock file (node_modules/pyodide/pyodide-lock.json). */
async function bundledLock(io: CliIo): Promise<PyodideLock> {
  const path = fileURLToPath(new URL('../../node_modules/pyodide/pyodide-lock.json', import.meta.url));
  return JSON.parse(await io.readFile(path)) as PyodideLock;
}

export async function main(argv: readonly string[], io: CliIo = nodeIo()): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${USAGE}\n\npipette: error: ${error.reason}`);
      return 2;
    }
    throw error;
  }
  if (args.help) {
    io.stdout(USAGE);
    return 0;
  }
  try {
    return await run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`pipette: error: ${error.reason}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    if (args.json) io.stdout(JSON.stringify({ error: message }));
    else io.stderr(`ERROR: ${message}`);
    return 1;
  }
}

async function run(args: CliArgs, io: CliIo): Promise<number> {
  if (args.command === 'lock' && args.output === null) throw new UsageError('lock needs -o FILE (e.g. -o pylock.toml)', 'lock');
  if (args.command === 'compile' && args.positional.length === 0 && args.requirementFiles.length === 0) {
    throw new UsageError('compile needs an input file (e.g. requirements.in)', 'compile');
  }
  // compile takes files; resolve and lock take requirements (and -r files).
  const requirementFiles = args.command === 'compile' ? [...args.positional, ...args.requirementFiles] : args.requirementFiles;
  const requirements: Requirement[] = args.command === 'compile' ? [] : args.positional.map((r) => commandLineRequirement(r, io.cwd));
  const constraints: Requirement[] = [];
  const inputs: CompileInput[] = [];
  let indexUrl = args.indexUrl;
  const extraIndexUrls = [...args.extraIndexUrls];
  let pre = args.pre;
  const read = (path: string) => io.readFile(resolvePath(io.cwd, path));
  for (const [flag, files] of [
    ['-r', requirementFiles],
    ['-c', args.constraintFiles],
  ] as const) {
    for (const file of files) {
      const parsed = await parseRequirementsFile(file, read);
      const names = new Set<string>();
      for (const entry of parsed.entries) {
        const req = entryRequirement(entry.requirement, entry.link, resolvePath(io.cwd, dirname(entry.source.path)));
        if (!req) throw new UsageError(`${entry.source.path}:${entry.source.line}: cannot resolve an unnamed requirement (${entry.raw})`, entry.raw);
        names.add(req.normalizedName);
        if (entry.kind === 'constraint' || flag === '-c') constraints.push(req);
        else requirements.push(req);
      }
      inputs.push({ flag, file, names });
      indexUrl = parsed.options.indexUrl ?? indexUrl;
      for (const url of parsed.options.extraIndexUrls) extraIndexUrls.push(url);
      pre ||= parsed.options.pre;
      for (const w of parsed.warnings) io.stderr(`WARNING: ${w}`);
    }
  }
  if (requirements.length === 0) throw new UsageError('no requirements given: name some, or use -r FILE', args.command);

  const lock = await bundledLock(io);
  const target = targetFor(lock.info, args.pythonVersion);
  // The index meets the resolver's port structurally (it does not import the resolver).
  const source = createPackageSource({
    indexUrls: [indexUrl ?? PYPI_SIMPLE_URL],
    extraIndexUrls,
    pyodideLock: args.noPyodideLock ? null : { lock },
    fetch: io.fetch,
    corsHint: false,
  }) satisfies PackageSource;
  const reporter = args.verbose ? (e: ResolverEvent) => verboseLine(e, io) : undefined;
  const result = await resolve({ requirements, constraints }, source, {
    environment: target.environment,
    pyodide: target.info,
    pre,
    noDeps: args.noDeps,
    excludeNewer: args.excludeNewer ?? undefined,
    reporter,
  });
  for (const w of result.warnings) io.stderr(`WARNING: ${w.message}`);
  if (result.kind === 'no-solution') {
    if (args.json) io.stdout(JSON.stringify({ error: result.explanation }));
    else io.stderr(result.explanation);
    return 1;
  }
  const distributions = result.distributions;
  switch (args.command) {
    case 'resolve':
      io.stdout(args.json ? resolvedJson(distributions) : requirementLines(distributions, args.generateHashes));
      return 0;
    case 'lock': {
      const text = pylockText(distributions, target.info.python);
      await io.writeFile(resolvePath(io.cwd, args.output as string), text);
      if (args.json) io.stdout(resolvedJson(distributions));
      return 0;
    }
    case 'compile': {
      const text = compiledRequirements(distributions, {
        inputs,
        command: ['pipette', 'compile', ...compileCommand(args)].join(' '),
        python: target.info.python.split('.').slice(0, 2).join('.'),
        hashes: args.generateHashes,
      });
      if (args.output) await io.writeFile(resolvePath(io.cwd, args.output), text);
      else io.stdout(text);
      return 0;
    }
  }
}

/**
 * A command-line requirement: PEP 508, or (as pip accepts) a wheel given by path or URL,
 * which becomes `name @ url` with the name from the file name.
 */
function commandLineRequirement(arg: string, cwd: string): Requirement {
  if (!arg.endsWith('.whl')) return Requirement.parse(arg);
  const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);
  const url = isUrl ? arg : pathToFileURL(resolvePath(cwd, arg)).toString();
  const filename = decodeURIComponent(url.slice(url.lastIndexOf('/') + 1));
  const name = filename.split('-')[0] ?? '';
  if (!name) throw new UsageError(`cannot tell the project of ${arg} from its file name`, arg);
  return Requirement.parse(`${normalizeName(name)} @ ${url}`);
}

/** A requirements-file entry as a requirement: a wheel link or path becomes `name @ url`. */
function entryRequirement(requirement: Requirement | null, link: string | null, base: string): Requirement | null {
  if (requirement === null) return null;
  if (link === null) return requirement;
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(link) ? link : pathToFileURL(resolvePath(base, link)).toString();
  const marker = requirement.marker ? ` ; ${requirement.marker.toString()}` : '';
  return Requirement.parse(`${normalizeName(requirement.name)} @ ${url}${marker}`);
}

/** The options worth repeating in compile's header. */
function compileCommand(args: CliArgs): string[] {
  const out: string[] = [];
  if (args.generateHashes) out.push('--generate-hashes');
  if (args.pre) out.push('--pre');
  if (args.pythonVersion) out.push(`--python-version ${args.pythonVersion}`);
  for (const c of args.constraintFiles) out.push(`-c ${c}`);
  if (args.output) out.push(`-o ${args.output}`);
  return [...out, ...args.positional, ...args.requirementFiles.map((f) => `-r ${f}`)];
}

function verboseLine(e: ResolverEvent, io: CliIo): void {
  switch (e.kind) {
    case 'decision':
      io.stderr(`Selecting ${e.package}==${e.version} (level ${e.level})`);
      break;
    case 'rejected':
      io.stderr(`Not selecting ${e.package}==${e.version}: its dependencies conflict`);
      break;
    case 'backtrack':
      io.stderr(`Backtracking to level ${e.toLevel}: ${e.cause}`);
      break;
    case 'unavailable':
      io.stderr(`Skipping: ${e.reason}`);
      break;
    default:
      break;
  }
}
