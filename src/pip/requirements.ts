// Over 400 lines: pip's install_req_from_line decision tree, every spelling of a requirement in pip's order.
/**
 * Turns what the person typed (arguments, `-r` and `-c` files, `-e`) into root requirements and
 * constraints, as pip's `install_req_from_line` and `parse_requirements` do: PEP 508 strings,
 * `name @ url`, wheel paths (`./dist/x-1.0-py3-none-any.whl`, with `[extras]`), wheel URLs, and
 * requirements-file lines with their `--hash` options and `-r file (line n)` origin.
 *
 * What needs building from source (folders, sdists, `-e`, `git+https://`) becomes a SourceRoot
 * for commands that build (`allowSources`: install, wheel), which src/pip/source-builds.ts
 * prepares into a named requirement; other commands refuse it with a message saying why.
 */
import type { FileSystem } from '../install';
import {
  InvalidRequirement,
  isSecretSubstitution,
  type Marker,
  type MarkerEnvironment,
  parseRequirementsFile,
  parseWheelFilename,
  PepError,
  Requirement,
  type RequirementsFile,
  type RequirementsFileEntry,
} from '../pep';
import { archiveFormat, isVcsUrl } from '../build';
import { basenameOf, displayPath, dirnameOf, pyRepr, resolvePath } from './format';
import type { PipContext } from './context';
import { PipError, PipErrorCode } from './pip-error';
import { pathToFileUrl } from './pip-source';

/** One root requirement (or constraint), with where it came from. */
export interface RootRequirement {
  /** PEP 508, with `url` set for direct references (`file:///...` for local wheels). */
  readonly requirement: Requirement;
  /** How pip names it in messages: `x==1.0` for a wheel link, else the requirement's string. */
  readonly display: string;
  /** `-r requirements.txt (line 3)`, or null for the command line. */
  readonly comesFrom: string | null;
  /** `--hash` values (`sha256:ab12...`). */
  readonly hashes: readonly string[];
  /** For a local wheel: the path as pip displays it (`./dist/x.whl`): pip prints `Processing`. */
  readonly localPath: string | null;
  /** The link as written, for hash-checking messages (`./dist/x.whl`, `https://...`). */
  readonly link: string | null;
  /** A source built into a wheel for this run (its Processing lines are already printed). */
  readonly source?: SourceLink;
}

/** A source tree to build: a folder, an sdist (path or URL), or a GitHub repository. */
export interface SourceLink {
  readonly kind: 'directory' | 'archive' | 'git';
  /** As a PEP 508 URL: `file:///home/pyodide/proj`, `https://.../x-1.0.tar.gz`, `git+https://github.com/o/r@v1`. */
  readonly url: string;
  /** The absolute path of a local folder or archive; null for URLs. */
  readonly path: string | null;
  /** `-e`: PEP 660 editable install. */
  readonly editable: boolean;
  /** The link as written (`.`, `./proj`, the URL), for messages. */
  readonly written: string;
}

/** A source requirement before its project is known (pip's unnamed InstallRequirement). */
export interface SourceRoot {
  readonly link: SourceLink;
  /** From `name @ url` or `#egg=name`; checked against the built metadata. */
  readonly name: string | null;
  readonly extras: readonly string[];
  /** The marker text (`python_version < "3.12"`), or null. */
  readonly marker: string | null;
  readonly comesFrom: string | null;
  readonly hashes: readonly string[];
}

export interface CollectedRequirements {
  readonly requirements: RootRequirement[];
  readonly constraints: RootRequirement[];
  /** Options from the requirements files (pip applies them to the whole run). */
  readonly indexUrl: string | null;
  readonly extraIndexUrls: readonly string[];
  readonly noIndex: boolean;
  /** `--find-links` from files, absolute. */
  readonly findLinks: readonly string[];
  readonly pre: boolean;
  readonly requireHashes: boolean;
  readonly warnings: readonly string[];
  /** Root requirements whose markers do not match (pip: `Ignoring x: markers ... don't match`). */
  readonly ignored: readonly string[];
  /** Sources to build (only with `allowSources`), in the order given. */
  readonly sourceRoots: readonly SourceRoot[];
}

export interface CollectInput {
  readonly args: readonly string[];
  readonly requirementFiles: readonly string[];
  readonly constraintFiles: readonly string[];
  readonly editables: readonly string[];
  /** Folders, sdists and `git+https://` become SourceRoots (install, wheel); otherwise refused. */
  readonly allowSources?: boolean;
}

export interface CollectContext {
  readonly fs: FileSystem;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  readonly markerEnvironment: MarkerEnvironment;
  /** Told each value a `${VAR}` expanded to where it stood for a credential (never to be printed). */
  readonly secret?: (value: string) => void;
}

/** What requirement collection needs from a pip command's context. */
export function collectContext(ctx: PipContext): CollectContext {
  return { fs: ctx.fs, cwd: ctx.cwd, env: ctx.env, markerEnvironment: ctx.environment.markerEnvironment, secret: (value) => ctx.out.secret?.(value) };
}

const URL_SCHEME = /^(https?|file):/i;
const SDIST = /\.(tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tar|zip)$/i;

/** A reader of requirements files over the virtual filesystem, relative to the working directory. */
export function fileReader(fs: FileSystem, cwd: string): (path: string) => Promise<string> {
  return async (path: string) => {
    const abs = resolvePath(cwd, path);
    if (fs.isDirectory(abs)) {
      throw Object.assign(new Error(`[Errno 21] Is a directory: ${pyRepr(path)}`), { code: 'EISDIR' });
    }
    const data = fs.readFile(abs);
    if (data === null) throw Object.assign(new Error(`No such file or directory: ${path}`), { code: 'ENOENT' });
    return new TextDecoder().decode(data);
  };
}

// pip's `ENV_VAR_RE` (req_file.py): only upper-case names are expanded.
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;

/**
 * `read`, telling `ctx.secret` what each `${VAR}` of the files it reads will expand to when it
 * stands for a credential (pep's isSecretSubstitution): pip documents `${VAR}` for keeping
 * credentials out of requirements files, and the expanded value must not come back in a message.
 */
function reportingSecrets(read: (path: string) => Promise<string>, ctx: CollectContext): (path: string) => Promise<string> {
  const secret = ctx.secret;
  if (!secret) return read;
  return async (path) => {
    const text = await read(path);
    if (!text.includes('${')) return text;
    for (const line of text.split('\n')) {
      for (const m of line.matchAll(ENV_VAR)) {
        const value = ctx.env[m[1]!];
        if (value && isSecretSubstitution(line, m[1]!, m.index, m.index + m[0].length)) secret(value);
      }
    }
    return text;
  };
}

export async function collectRequirements(input: CollectInput, ctx: CollectContext): Promise<CollectedRequirements> {
  const allowSources = input.allowSources ?? false;
  if (input.editables.length > 0 && !allowSources) throw editableError(input.editables[0]!);
  const requirements: RootRequirement[] = [];
  const sourceRoots: SourceRoot[] = [];
  const constraints: RootRequirement[] = [];
  const warnings: string[] = [];
  const ignored: string[] = [];
  let indexUrl: string | null = null;
  const extraIndexUrls: string[] = [];
  const findLinks: string[] = [];
  let noIndex = false;
  let pre = false;
  let requireHashes = false;
  const read = reportingSecrets(fileReader(ctx.fs, ctx.cwd), ctx);

  const keep = (root: RootRequirement | SourceRoot, into: RootRequirement[]): void => {
    if (isSourceRoot(root)) {
      if (into === constraints) throw new PipError(PipErrorCode.Installation, `Unnamed requirements are not allowed as constraints (found ${root.link.written}).`, root.link.written);
      if (root.marker !== null && !evaluate(parseMarker(root.marker, root.link.written), ctx.markerEnvironment)) {
        ignored.push(`Ignoring ${root.name ?? root.link.written}: markers '${root.marker}' don't match your environment`);
        return;
      }
      sourceRoots.push(root);
      return;
    }
    const marker = root.requirement.marker;
    if (marker !== null && !evaluate(marker, ctx.markerEnvironment)) {
      ignored.push(`Ignoring ${root.requirement.name}: markers '${marker.toString()}' don't match your environment`);
      return;
    }
    into.push(root);
  };

  const readFile = async (path: string, asConstraints: boolean): Promise<void> => {
    let file: RequirementsFile;
    try {
      file = await parseRequirementsFile(path, read, { env: ctx.env });
    } catch (error) {
      if (error instanceof PepError) throw new PipError(PipErrorCode.Installation, error.message);
      throw error;
    }
    for (const w of file.warnings) warnings.push(w);
    const o = file.options;
    if (o.indexUrl !== null) indexUrl = o.indexUrl;
    for (const url of o.extraIndexUrls) extraIndexUrls.push(url);
    noIndex ||= o.noIndex;
    pre ||= o.pre;
    requireHashes ||= o.requireHashes;
    const fileDir = dirnameOf(resolvePath(ctx.cwd, path));
    for (const link of o.findLinks) {
      // pip: a find-links path is relative to the requirements file when that exists.
      const nextToFile = resolvePath(fileDir, link);
      findLinks.push(ctx.fs.exists(nextToFile) ? nextToFile : resolvePath(ctx.cwd, link));
    }
    for (const entry of file.entries) {
      if (entry.editable && !allowSources) throw editableError(entry.link ?? entry.text);
      const root = fromFileEntry(entry, ctx, allowSources);
      keep(root, asConstraints || entry.kind === 'constraint' ? constraints : requirements);
    }
  };

  for (const path of input.constraintFiles) await readFile(path, true);
  // pip: `-e` requirements first (pip's `install` collects editables before the arguments).
  for (const text of input.editables) keep(fromEditable(text, null, ctx), requirements);
  for (const arg of input.args) keep(fromLine(arg, null, [], ctx, undefined, allowSources), requirements);
  for (const path of input.requirementFiles) await readFile(path, false);
  if (requirements.some((r) => r.hashes.length > 0)) requireHashes = true;

  return { requirements, constraints, indexUrl, extraIndexUrls, noIndex, findLinks, pre, requireHashes, warnings, ignored, sourceRoots };
}

function fromFileEntry(entry: RequirementsFileEntry, ctx: CollectContext, allowSources: boolean): RootRequirement | SourceRoot {
  const comesFrom = `${entry.kind === 'constraint' ? '-c' : '-r'} ${entry.source.path} (line ${entry.source.line})`;
  if (entry.editable) {
    const extras = entry.requirement && entry.requirement.extras.length > 0 ? `[${entry.requirement.extras.join(',')}]` : '';
    return fromEditable(`${entry.link ?? entry.text}${extras}`, comesFrom, ctx, entry.marker?.toString() ?? null);
  }
  if (entry.link === null) {
    if (!entry.requirement) throw new PipError(PipErrorCode.Installation, `Invalid requirement: ${pyRepr(entry.text)} (from ${comesFrom})`);
    return fromLine(entry.requirement.toString(), comesFrom, entry.hashes, ctx, entry.requirement, allowSources);
  }
  const marker = entry.marker ? ` ; ${entry.marker.toString()}` : '';
  const extras = entry.requirement && entry.requirement.extras.length > 0 ? `[${entry.requirement.extras.join(',')}]` : '';
  const egg = /[#&]egg=([^&]+)/.exec(entry.link)?.[1];
  return fromLink(entry.link, extras, marker, comesFrom, entry.hashes, ctx, egg, allowSources);
}

/** `-e PATH[extras]` or `-e git+https://...#egg=name`: an editable source. */
function fromEditable(text: string, comesFrom: string | null, ctx: CollectContext, markerText: string | null = null): SourceRoot {
  const m = /^(.*?)(\[[^\]]*\])?$/s.exec(text.trim())!;
  const target = m[1]!;
  const extras = m[2] ? m[2].slice(1, -1).split(',').map((e) => e.trim()).filter(Boolean) : [];
  if (isVcsUrl(target)) {
    const egg = /[#&]egg=([^&]+)/.exec(target)?.[1] ?? null;
    return { link: { kind: 'git', url: target, path: null, editable: true, written: target }, name: egg, extras, marker: markerText, comesFrom, hashes: [] };
  }
  const path = /^file:/i.test(target) ? decodeURIComponent(new URL(target).pathname) : resolvePath(ctx.cwd, target);
  if (!ctx.fs.isDirectory(path)) {
    throw new PipError(
      PipErrorCode.Installation,
      `${target} is not a valid editable requirement. It should either be a path to a local project or a VCS URL (beginning with bzr+http, bzr+https, bzr+ssh, bzr+sftp, bzr+ftp, bzr+lp, bzr+file, git+http, git+https, git+ssh, git+git, git+file, hg+file, hg+http, hg+https, hg+ssh, hg+static-http, svn+ssh, svn+http, svn+https, svn+svn, svn+file).`,
      target,
    );
  }
  return { link: { kind: 'directory', url: pathToFileUrl(path), path, editable: true, written: target }, name: null, extras, marker: markerText, comesFrom, hashes: [] };
}

/** pip's `install_req_from_line` for one argument. */
function fromLine(text: string, comesFrom: string | null, hashes: readonly string[], ctx: CollectContext, parsed?: Requirement, allowSources = false): RootRequirement | SourceRoot {
  const trimmed = text.trim();
  if (!parsed && isVcsUrl(trimmed)) {
    if (!allowSources) throw buildError(trimmed, 'is a version control URL');
    const m = /^(.*?)((?:\s+;.*)?)$/s.exec(trimmed)!;
    const egg = /[#&]egg=([^&]+)/.exec(m[1]!)?.[1] ?? null;
    return { link: { kind: 'git', url: m[1]!, path: null, editable: false, written: m[1]! }, name: egg, extras: [], marker: m[2] ? m[2].replace(/^\s*;\s*/, '') : null, comesFrom, hashes };
  }
  if (!parsed && (URL_SCHEME.test(trimmed) || looksLikePath(trimmed))) {
    const m = /^(.*?)(\[[^\]]*\])?((?:\s*;.*)?)$/s.exec(trimmed)!;
    return fromLink(m[1]!, m[2] ?? '', m[3] ? ` ; ${m[3].replace(/^\s*;\s*/, '')}` : '', comesFrom, hashes, ctx, undefined, allowSources);
  }
  let requirement: Requirement;
  try {
    requirement = parsed ?? Requirement.parse(trimmed);
  } catch (error) {
    if (!(error instanceof InvalidRequirement)) throw error;
    let hint = '';
    if (trimmed.includes('/')) hint = `\nHint: It looks like a path. File ${pyRepr(trimmed)} does not exist.`;
    else if (trimmed.includes('=') && !/[<>=!~]=|===|[<>]/.test(trimmed)) hint = '\nHint: = is not a valid operator. Did you mean == ?';
    const where = comesFrom ? ` (from ${comesFrom})` : '';
    throw new PipError(PipErrorCode.Installation, `Invalid requirement: ${pyRepr(trimmed)}${where}: ${error.message}${hint}`, trimmed);
  }
  if (requirement.url !== null && isVcsUrl(requirement.url)) {
    if (!allowSources) throw buildError(requirement.url, 'is a version control URL');
    return {
      link: { kind: 'git', url: requirement.url, path: null, editable: false, written: requirement.url },
      name: requirement.name,
      extras: requirement.extras,
      marker: requirement.marker?.toString() ?? null,
      comesFrom,
      hashes,
    };
  }
  if (requirement.url !== null && !URL_SCHEME.test(requirement.url)) {
    // `name @ ./dist/x.whl`: a path, which pip reads relative to the working directory.
    const extras = requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : '';
    const marker = requirement.marker ? ` ; ${requirement.marker.toString()}` : '';
    return fromLink(requirement.url, extras, marker, comesFrom, hashes, ctx, requirement.name, allowSources);
  }
  if (requirement.url !== null && allowSources && archiveFormat(urlFilename(requirement.url)) !== null && !/^file:/i.test(requirement.url)) {
    return {
      link: { kind: 'archive', url: requirement.url, path: null, editable: false, written: requirement.url },
      name: requirement.name,
      extras: requirement.extras,
      marker: requirement.marker?.toString() ?? null,
      comesFrom,
      hashes,
    };
  }
  if (requirement.url !== null && /^file:/i.test(requirement.url) && allowSources && isLocalSource(requirement.url, ctx)) {
    const extras = requirement.extras.length > 0 ? `[${requirement.extras.join(',')}]` : '';
    const marker = requirement.marker ? ` ; ${requirement.marker.toString()}` : '';
    return fromLink(requirement.url, extras, marker, comesFrom, hashes, ctx, requirement.name, allowSources);
  }
  if (requirement.url !== null) checkWheelUrl(requirement.url);
  return { requirement, display: requirement.toString(), comesFrom, hashes, localPath: null, link: requirement.url };
}

/** A wheel path or URL (`./x.whl`, `https://.../x.whl`, `file:///x.whl`) as `name==version @ url`. */
function fromLink(
  link: string,
  extras: string,
  marker: string,
  comesFrom: string | null,
  hashes: readonly string[],
  ctx: CollectContext,
  givenName?: string,
  allowSources = false,
): RootRequirement | SourceRoot {
  let url: string;
  let localPath: string | null = null;
  const source = (kind: SourceLink['kind'], sourceUrl: string, path: string | null): SourceRoot => ({
    link: { kind, url: sourceUrl, path, editable: false, written: link },
    name: givenName ?? null,
    extras: extras ? extras.slice(1, -1).split(',').map((e) => e.trim()).filter(Boolean) : [],
    marker: marker ? marker.replace(/^\s*;\s*/, '') : null,
    comesFrom,
    hashes,
  });
  if (/^https?:/i.test(link)) {
    url = link;
    if (allowSources && archiveFormat(urlFilename(link)) !== null) return source('archive', link, null);
  } else {
    const path = /^file:/i.test(link) ? decodeURIComponent(new URL(link).pathname) : resolvePath(ctx.cwd, link);
    if (!ctx.fs.exists(path)) {
      throw new PipError(
        PipErrorCode.Installation,
        `Invalid requirement: ${pyRepr(link)}${comesFrom ? ` (from ${comesFrom})` : ''}\nHint: It looks like a path. File ${pyRepr(link)} does not exist.`,
        link,
      );
    }
    if (ctx.fs.isDirectory(path)) {
      if (!allowSources) throw buildError(link, 'is a directory (a source tree)');
      return source('directory', pathToFileUrl(path), path);
    }
    if (allowSources && archiveFormat(basenameOf(path)) !== null) return source('archive', pathToFileUrl(path), path);
    const fragment = /#.*$/.exec(link)?.[0] ?? '';
    url = pathToFileUrl(path) + fragment;
    localPath = displayPath(ctx.cwd, path);
  }
  const filename = decodeURIComponent((url.split(/[?#]/, 1)[0] ?? url).replace(/\/+$/, '').split('/').at(-1) ?? '');
  if (!filename.endsWith('.whl')) {
    throw buildError(link, SDIST.test(filename) ? 'is a source distribution' : 'is not a wheel');
  }
  let wheel: ReturnType<typeof parseWheelFilename>;
  try {
    wheel = parseWheelFilename(filename);
  } catch (error) {
    throw new PipError(PipErrorCode.Installation, `${filename} is not a valid wheel filename: ${error instanceof PepError ? error.reason : String(error)}.`, link);
  }
  const name = givenName ?? wheel.name;
  const requirement = Requirement.parse(`${name}${extras} @ ${url}${marker}`);
  return {
    requirement,
    display: `${name}${extras}==${wheel.version.toString()}`,
    comesFrom,
    hashes,
    localPath,
    link,
  };
}

/** A `file:` URL naming a folder or a source archive that exists (a source to build). */
function isLocalSource(url: string, ctx: CollectContext): boolean {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url).pathname);
  } catch {
    return false;
  }
  return ctx.fs.isDirectory(path) || (ctx.fs.exists(path) && archiveFormat(basenameOf(path)) !== null);
}

/** The last path segment of a URL, decoded (query and fragment dropped). */
function urlFilename(url: string): string {
  return decodeURIComponent((url.split(/[?#]/, 1)[0] ?? url).replace(/\/+$/, '').split('/').at(-1) ?? '');
}

function checkWheelUrl(url: string): void {
  const filename = decodeURIComponent((url.split(/[?#]/, 1)[0] ?? url).split('/').at(-1) ?? '');
  if (!filename.endsWith('.whl')) throw buildError(url, SDIST.test(filename) ? 'is a source distribution' : 'is not a wheel');
}

/** pip's `_looks_like_path` plus archive names: a separator, a leading `.`, or a wheel/sdist file name. */
function looksLikePath(text: string): boolean {
  const head = text.split(/[[;]/, 1)[0]!.trim();
  if (/\s@\s|^[A-Za-z0-9._-]+\s*@/.test(text)) return false; // `name @ url`
  return head.includes('/') || head.startsWith('.') || /\.whl$/i.test(head) || SDIST.test(head);
}

function isSourceRoot(root: RootRequirement | SourceRoot): root is SourceRoot {
  return typeof root.link === 'object' && root.link !== null;
}

function parseMarker(text: string, subject: string): Marker {
  try {
    return Requirement.parse(`x ; ${text}`).marker!;
  } catch (error) {
    if (!(error instanceof InvalidRequirement)) throw error;
    throw new PipError(PipErrorCode.Installation, `Invalid requirement: ${pyRepr(`${subject} ; ${text}`)}: ${error.message}`, subject);
  }
}

/**
 * The refusal for a source where nothing can build it (no Python to run a backend: the CLI),
 * in the words used before builds existed.
 */
export function refuseSource(root: SourceRoot): PipError {
  return root.link.editable ? editableError(root.link.written) : buildError(root.link.written, root.link.kind === 'directory' ? 'is a directory (a source tree)' : root.link.kind === 'git' ? 'is a version control URL' : 'is a source distribution');
}

function evaluate(marker: Marker, env: MarkerEnvironment): boolean {
  try {
    return marker.evaluate(env, '');
  } catch {
    return false;
  }
}

function buildError(link: string, what: string): PipError {
  return new PipError(
    PipErrorCode.Unsupported,
    `Cannot install ${link}: it ${what}, and installing it would mean building a wheel, which needs a build backend (and often a compiler) that this environment cannot run. Build a wheel elsewhere (pip wheel ${link}) and install the .whl file, or install a released version from the index.`,
    link,
  );
}

function editableError(target: string): PipError {
  return new PipError(
    PipErrorCode.Unsupported,
    `Cannot install ${target} in editable mode: editable installs need a source tree and a build backend (PEP 660), which this environment cannot run. Install a wheel instead (pip install ./dist/<name>-<version>-py3-none-any.whl).`,
    target,
  );
}

/** `==` or `===` with one exact version (pip's `is_pinned`). */
export function isPinned(requirement: Requirement): boolean {
  const specs = requirement.specifier.specifiers;
  return specs.length === 1 && (specs[0]!.operator === '===' || (specs[0]!.operator === '==' && !specs[0]!.version.endsWith('.*')));
}
