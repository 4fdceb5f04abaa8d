// Over 400 lines: a transcription of pip's req_file.py (lines, options, reader), kept whole to compare.
/**
 * pip's requirements-file format (pip's "Requirements File Format" docs; pypa/pip
 * `src/pip/_internal/req/req_file.py` and `req/constructors.py`).
 *
 * A file is read as pip reads it:
 * 1. physical lines (Python `str.splitlines`), numbered from 1;
 * 2. a line ending in `\` is joined with the next one (unless it is a comment); the joined line
 *    keeps the first line's number; a `\` on the last line simply ends the file;
 * 3. comments (`#` at the start or after whitespace) are cut, blank lines dropped;
 * 4. `${VAR}` (upper case, digits, `_`) is replaced from the injected environment when set
 *    and non-empty, and left as written otherwise; no other form (`$VAR`, `%VAR%`) expands;
 * 5. each line splits at the first space-separated token that starts with `-`: before it the
 *    requirement, after it options (POSIX shell words, then optparse rules).
 * `-r`/`-c` lines splice another file in, resolved against the including file.
 *
 * Reading is injected (`read(path)`), so the same code reads the browser's virtual FS and
 * test fixtures.
 */
import { PepError } from './error';
import { Marker } from './marker';
import { normalizeName } from './name';
import { describeOsError, errnoOf } from './errno';
import { pyRepr } from './python-repr';
import { Requirement } from './requirement';
import { parseWheelFilename } from './wheel';

/** One requirement (or constraint) line, spliced in file order through `-r` / `-c`. */
export interface RequirementsFileEntry {
  readonly kind: 'requirement' | 'constraint';
  /** The requirement text: comments and options removed, variables expanded. */
  readonly text: string;
  /**
   * The PEP 508 requirement. For a wheel link or path it is `name==version` from the file
   * name and for a link with `#egg=name` that name, as pip does; null for an unnamed link.
   */
  readonly requirement: Requirement | null;
  /** A URL or local path line (`./dist/x.whl`, `https://.../x.whl`, `-e ./pkg`) as written. */
  readonly link: string | null;
  /** The environment marker (`; python_version < "3.12"`), for named and link lines alike. */
  readonly marker: Marker | null;
  readonly editable: boolean;
  /** `--hash` values as written (`sha256:ab12...`), in order. */
  readonly hashes: readonly string[];
  /** `-C/--config-settings` and `--global-option` values (accepted; meaningless for wheels). */
  readonly configSettings: readonly string[];
  readonly globalOptions: readonly string[];
  readonly source: { readonly path: string; readonly line: number };
  /** The physical line(s) as in the file, continuation lines joined with `\n`. */
  readonly raw: string;
}

/** Options that apply to the whole run, merged across all files in reading order. */
export interface RequirementsFileOptions {
  /** The last `-i/--index-url` seen, null when none. */
  readonly indexUrl: string | null;
  readonly extraIndexUrls: readonly string[];
  readonly noIndex: boolean;
  readonly findLinks: readonly string[];
  readonly pre: boolean;
  readonly preferBinary: boolean;
  readonly requireHashes: boolean;
  /** pip's FormatControl after every `--no-binary`/`--only-binary`: normalized names or `:all:`. */
  readonly noBinary: ReadonlySet<string>;
  readonly onlyBinary: ReadonlySet<string>;
  readonly trustedHosts: readonly string[];
  readonly useFeature: readonly string[];
}

/** A logical line of the top-level file, for `pip freeze -r` to keep order and comments. */
export interface RequirementsFileLine {
  readonly line: number;
  readonly raw: string;
  readonly kind: 'blank' | 'comment' | 'option' | 'entry';
  readonly entry?: RequirementsFileEntry;
}

export interface RequirementsFile {
  readonly path: string;
  readonly entries: readonly RequirementsFileEntry[];
  readonly options: RequirementsFileOptions;
  readonly lines: readonly RequirementsFileLine[];
  /** What pip would log as a warning (e.g. a `--hash` on a line without a requirement). */
  readonly warnings: readonly string[];
}

/** A requirements file pip would refuse; the message names the file and line as pip does. */
export class RequirementsFileError extends PepError<'invalid-requirements-file'> {
  override readonly name = 'RequirementsFileError';
  readonly path: string;
  /** 1-based line number; null when the file itself could not be read. */
  readonly line: number | null;
  constructor(message: string, path: string, line: number | null, input = '') {
    super('invalid-requirements-file', message, input);
    this.path = path;
    this.line = line;
  }
}

export type ReadFile = (path: string) => Promise<string>;

// --- 1-4: lines, continuations, comments, variables -------------------------------------

const COMMENT = /(^|\s+)#.*$/s;
const COMMENT_AT_START = /^(\s+)?#/;
const ENV_VAR = /\$\{([A-Z0-9_]+)\}/g;

interface LogicalLine {
  readonly line: number;
  /** The physical text, for freeze and error messages. */
  readonly raw: string;
  /** After comment removal, stripping and expansion; '' for a blank or comment line. */
  readonly text: string;
}

/** Python's `str.splitlines()` boundaries. */
function splitLines(content: string): string[] {
  const lines = content.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

/** pip's `preprocess`: join_lines, ignore_comments, expand_env_variables. */
function preprocess(content: string, env: Readonly<Record<string, string>>): LogicalLine[] {
  const physical = splitLines(content);
  const out: LogicalLine[] = [];
  let joined: string[] = [];
  let first = 0;
  const finish = (text: string, line: number, lastIndex: number): void => {
    out.push({ line, raw: physical.slice(line - 1, lastIndex + 1).join('\n'), text: clean(text, env) });
  };
  physical.forEach((line, i) => {
    const isComment = COMMENT_AT_START.test(line);
    if (!line.endsWith('\\') || isComment) {
      // pip prefixes a comment with a space "so comments are always matched later".
      const piece = isComment ? ` ${line}` : line;
      if (joined.length > 0) {
        joined.push(piece);
        finish(joined.join(''), first, i);
        joined = [];
      } else {
        finish(piece, i + 1, i);
      }
    } else {
      if (joined.length === 0) first = i + 1;
      joined.push(line.replace(/^\\+|\\+$/g, '')); // Python's line.strip("\\")
    }
  });
  // A continuation on the last line: pip keeps what was gathered.
  if (joined.length > 0) finish(joined.join(''), first, physical.length - 1);
  return out;
}

function clean(line: string, env: Readonly<Record<string, string>>): string {
  const text = line.replace(COMMENT, '').trim();
  return text.replace(ENV_VAR, (whole, name: string) => env[name] || whole);
}

// --- 5: options ------------------------------------------------------------------------

type OptionDest =
  | 'indexUrl' | 'extraIndexUrls' | 'noIndex' | 'constraints' | 'requirements' | 'editables'
  | 'findLinks' | 'noBinary' | 'onlyBinary' | 'preferBinary' | 'requireHashes' | 'pre'
  | 'trustedHosts' | 'useFeature' | 'globalOptions' | 'hashes' | 'configSettings';

interface OptionSpec {
  readonly long: string;
  readonly short?: string;
  readonly dest: OptionDest;
  readonly takesValue: boolean;
}

// pip's SUPPORTED_OPTIONS + SUPPORTED_OPTIONS_REQ.
const OPTIONS: readonly OptionSpec[] = [
  { long: '--index-url', short: '-i', dest: 'indexUrl', takesValue: true },
  { long: '--extra-index-url', dest: 'extraIndexUrls', takesValue: true },
  { long: '--no-index', dest: 'noIndex', takesValue: false },
  { long: '--constraint', short: '-c', dest: 'constraints', takesValue: true },
  { long: '--requirement', short: '-r', dest: 'requirements', takesValue: true },
  { long: '--editable', short: '-e', dest: 'editables', takesValue: true },
  { long: '--find-links', short: '-f', dest: 'findLinks', takesValue: true },
  { long: '--no-binary', dest: 'noBinary', takesValue: true },
  { long: '--only-binary', dest: 'onlyBinary', takesValue: true },
  { long: '--prefer-binary', dest: 'preferBinary', takesValue: false },
  { long: '--require-hashes', dest: 'requireHashes', takesValue: false },
  { long: '--pre', dest: 'pre', takesValue: false },
  { long: '--trusted-host', dest: 'trustedHosts', takesValue: true },
  { long: '--use-feature', dest: 'useFeature', takesValue: true },
  { long: '--global-option', dest: 'globalOptions', takesValue: true },
  { long: '--hash', dest: 'hashes', takesValue: true },
  { long: '--config-settings', short: '-C', dest: 'configSettings', takesValue: true },
];
const STRONG_HASHES = ['sha256', 'sha384', 'sha512'];

type ParsedOptions = { [K in OptionDest]?: string[] };

/** POSIX `shlex.split`; throws a plain message on an unclosed quote or trailing escape. */
function shellWords(s: string): string[] {
  const words: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end < 0) throw new Error('No closing quotation');
      word = (word ?? '') + s.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let acc = '';
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === '\\' && j + 1 < s.length && '\\"$`\n'.includes(s[j + 1]!)) acc += s[++j];
        else acc += s[j];
      }
      if (j >= s.length) throw new Error('No closing quotation');
      word = (word ?? '') + acc;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= s.length) throw new Error('No escaped character');
      word = (word ?? '') + s[++i];
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** optparse's `parse_args` over pip's option table; throws optparse's message. */
function parseOptions(words: readonly string[], leftovers: string[]): ParsedOptions {
  const opts: ParsedOptions = {};
  const add = (spec: OptionSpec, value: string): void => {
    (opts[spec.dest] ??= []).push(value);
  };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') {
      for (const w of words.slice(i + 1)) leftovers.push(w);
      break;
    }
    if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const given = eq < 0 ? word : word.slice(0, eq);
      const spec = matchLong(given);
      if (spec.takesValue) {
        if (eq >= 0) add(spec, word.slice(eq + 1));
        else if (i + 1 < words.length) add(spec, words[++i]!);
        else throw new Error(`${spec.long} option requires 1 argument`);
      } else {
        if (eq >= 0) throw new Error(`${spec.long} option does not take a value`);
        add(spec, '');
      }
    } else if (word.startsWith('-') && word.length > 1) {
      const flag = word.slice(0, 2);
      const spec = OPTIONS.find((o) => o.short === flag);
      if (!spec) throw new Error(`no such option: ${flag}`);
      // Every short option pip accepts here takes a value: `-iURL` or `-i URL`.
      if (word.length > 2) add(spec, word.slice(2));
      else if (i + 1 < words.length) add(spec, words[++i]!);
      else throw new Error(`${flag} option requires 1 argument`);
    } else {
      leftovers.push(word);
    }
  }
  return opts;
}

/** optparse `_match_abbrev`: an exact long option or the one it is a unique prefix of. */
function matchLong(given: string): OptionSpec {
  const exact = OPTIONS.find((o) => o.long === given);
  if (exact) return exact;
  const candidates = OPTIONS.filter((o) => o.long.startsWith(given));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new Error(`no such option: ${given}`);
  const names = candidates.map((o) => o.long).sort();
  throw new Error(`ambiguous option: ${given} (${names.join(', ')}?)`);
}

/** pip's `break_args_options`: the requirement ends at the first token starting with `-`. */
function breakArgsOptions(line: string): [string, string] {
  const tokens = line.split(' ');
  const at = tokens.findIndex((t) => t.startsWith('-'));
  if (at < 0) return [line, ''];
  return [tokens.slice(0, at).join(' '), tokens.slice(at).join(' ')];
}

// --- the requirement half --------------------------------------------------------------

const URL_SCHEMES = /^(https?|file|ftp|(git|hg|svn|bzr)\+[a-z+-]+):/i;
const ARCHIVE = /\.(whl|tar\.gz|tgz|tar|zip|tar\.bz2|tbz|tar\.xz|txz|tlz|tar\.lz|tar\.lzma)$/i;

function looksLikePath(name: string): boolean {
  return name.includes('/') || name.includes('\\') || name.startsWith('.');
}

/**
 * pip's `parse_req_from_line` decision: a URL, a local path/archive, or a PEP 508 string.
 * A directory cannot be checked for existence here, so a path-looking name counts as a
 * local project unless, like pip's `_get_url_from_path`, it reads `name @ ...`.
 */
function isLink(name: string): boolean {
  if (URL_SCHEMES.test(name)) return true;
  const [before, after] = splitOnce(name, '@');
  if (after !== null && !looksLikePath(before)) return false;
  return looksLikePath(name) || ARCHIVE.test(name.replace(/\[[^\]]+\]$/, ''));
}

function splitOnce(s: string, sep: string): [string, string | null] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, null] : [s.slice(0, i), s.slice(i + sep.length)];
}

/** The last path segment of a link, without query and fragment. */
function linkFilename(link: string): string {
  const path = link.split(/[?#]/, 1)[0] ?? link;
  return decodeURIComponent(path.replace(/\/+$/, '').split(/[/\\]/).at(-1) ?? '');
}

// --- paths -----------------------------------------------------------------------------

const REMOTE = /^(https?|file):/i;

/** Join a nested file name to its includer's directory (pip: urljoin or os.path.join). */
function resolveInclude(from: string, target: string): string {
  if (REMOTE.test(from)) return new URL(target, from).href;
  if (REMOTE.test(target) || target.startsWith('/')) return target;
  const dir = from.includes('/') ? from.slice(0, from.lastIndexOf('/') + 1) : '';
  return normalizePath(dir + target);
}

function normalizePath(p: string): string {
  const absolute = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..' && out.length > 0 && out.at(-1) !== '..') out.pop();
    else if (seg === '..' && absolute) continue;
    else out.push(seg);
  }
  return (absolute ? '/' : '') + out.join('/') || '.';
}

function isNotFound(e: unknown): boolean {
  // Node's ENOENT, Emscripten's FS.ErrnoError (errno 44; its 2 is EACCES), a DOM NotFoundError.
  return errnoOf(e)?.code === 'ENOENT' || (e as { name?: unknown } | null)?.name === 'NotFoundError';
}

// --- the reader ------------------------------------------------------------------------

interface MutableOptions {
  indexUrl: string | null;
  extraIndexUrls: string[];
  noIndex: boolean;
  findLinks: string[];
  pre: boolean;
  preferBinary: boolean;
  requireHashes: boolean;
  noBinary: Set<string>;
  onlyBinary: Set<string>;
  trustedHosts: string[];
  useFeature: string[];
}

/**
 * pip's FormatControl `handle_mutual_excludes`: `:all:` clears both sets, `:none:` clears the
 * target, a name moves from the other set to the target.
 */
export function formatControl(value: string, target: Set<string>, other: Set<string>): void {
  let names = value.split(',');
  while (names.includes(':all:')) {
    other.clear();
    target.clear();
    target.add(':all:');
    names = names.slice(names.indexOf(':all:') + 1);
    if (!names.includes(':none:')) return;
  }
  for (const name of names) {
    if (name === ':none:') {
      target.clear();
      continue;
    }
    const n = normalizeName(name);
    other.delete(n);
    target.add(n);
  }
}

class Reader {
  readonly entries: RequirementsFileEntry[] = [];
  readonly lines: RequirementsFileLine[] = [];
  readonly warnings: string[] = [];
  readonly options: MutableOptions = {
    indexUrl: null,
    extraIndexUrls: [],
    noIndex: false,
    findLinks: [],
    pre: false,
    preferBinary: false,
    requireHashes: false,
    noBinary: new Set(),
    onlyBinary: new Set(),
    trustedHosts: [],
    useFeature: [],
  };

  constructor(
    private readonly read: ReadFile,
    private readonly env: Readonly<Record<string, string>>,
  ) {}

  /** Read one file; `stack` is the chain of files including it (pip's recursion check). */
  async readFile(path: string, constraint: boolean, stack: readonly string[], from: { path: string; line: number } | null): Promise<void> {
    let content: string;
    try {
      content = await this.read(path);
    } catch (e) {
      const cause = isNotFound(e) ? `[Errno 2] No such file or directory: ${pyRepr(path)}` : describeOsError(e, path);
      throw new RequirementsFileError(`Could not open requirements file: ${cause}`, from?.path ?? path, from?.line ?? null);
    }
    const top = stack.length === 0;
    for (const logical of preprocess(content, this.env)) {
      const entry = await this.readLine(logical, path, constraint, [...stack, path]);
      if (!top) continue;
      const kind = entry ? 'entry' : logical.text !== '' ? 'option' : logical.raw.trim() === '' ? 'blank' : 'comment';
      this.lines.push(entry ? { line: logical.line, raw: logical.raw, kind, entry } : { line: logical.line, raw: logical.raw, kind });
    }
  }

  private async readLine(l: LogicalLine, path: string, constraint: boolean, chain: readonly string[]): Promise<RequirementsFileEntry | null> {
    if (l.text === '') return null;
    const where = `${path}:${l.line}`;
    const [args, optionText] = breakArgsOptions(l.text);
    let opts: ParsedOptions;
    const leftovers: string[] = [];
    try {
      let words: string[];
      try {
        words = shellWords(optionText);
      } catch {
        throw new Error(`Could not split options: ${optionText}`);
      }
      opts = parseOptions(words, leftovers);
      this.checkHashes(opts.hashes ?? []);
    } catch (e) {
      throw new RequirementsFileError(`${where}: ${(e as Error).message}`, path, l.line, l.text);
    }
    if (leftovers.length > 0) this.warnings.push(`${where}: ignoring ${leftovers.map(pyRepr).join(', ')} after the options`);

    const editable = !args && (opts.editables?.length ?? 0) > 0;
    if (args || editable) {
      return this.entry(l, path, constraint, (args || opts.editables![0]!).trim(), editable, opts);
    }

    if (opts.hashes) this.warnings.push(`${path} line ${l.line} has --hash but no requirement, and will be ignored.`);
    this.applyGlobal(opts);
    const include = opts.requirements?.[0] ?? opts.constraints?.[0];
    if (include !== undefined) {
      const nested = resolveInclude(path, include);
      if (chain.includes(nested)) {
        throw new RequirementsFileError(`${nested} recursively references itself in ${path}`, path, l.line, l.text);
      }
      await this.readFile(nested, opts.requirements ? false : true, chain, { path, line: l.line });
    }
    return null;
  }

  private checkHashes(hashes: readonly string[]): void {
    for (const h of hashes) {
      const [algo, digest] = splitOnce(h, ':');
      if (digest === null) throw new Error('Arguments to --hash must be a hash name followed by a value, like --hash=sha256:abcde...');
      if (!STRONG_HASHES.includes(algo)) throw new Error(`Allowed hash algorithms for --hash are ${STRONG_HASHES.join(', ')}.`);
    }
  }

  private applyGlobal(opts: ParsedOptions): void {
    const o = this.options;
    if (opts.indexUrl) o.indexUrl = opts.indexUrl.at(-1)!;
    if (opts.extraIndexUrls) for (const v of opts.extraIndexUrls) o.extraIndexUrls.push(v);
    if (opts.noIndex) o.noIndex = true;
    if (opts.findLinks) for (const v of opts.findLinks) o.findLinks.push(v);
    if (opts.pre) o.pre = true;
    if (opts.preferBinary) o.preferBinary = true;
    if (opts.requireHashes) o.requireHashes = true;
    for (const v of opts.noBinary ?? []) formatControl(v, o.noBinary, o.onlyBinary);
    for (const v of opts.onlyBinary ?? []) formatControl(v, o.onlyBinary, o.noBinary);
    if (opts.trustedHosts) for (const v of opts.trustedHosts) o.trustedHosts.push(v);
    if (opts.useFeature) for (const v of opts.useFeature) o.useFeature.push(v);
  }

  /** A requirement line: pip's `handle_requirement_line` + `parse_req_from_line`. */
  private entry(l: LogicalLine, path: string, constraint: boolean, text: string, editable: boolean, opts: ParsedOptions): RequirementsFileEntry {
    const source = `line ${l.line} of ${path}`;
    const invalid = (subject: string, e: unknown): never => {
      if (!(e instanceof PepError)) throw e;
      let hint = '';
      if (subject.includes('/')) hint = '\nHint: It looks like a path. File does not exist or is not a valid URL.';
      else if (subject.includes('=') && !/[<>=!~]=|===|[<>]/.test(subject)) hint = '\nHint: = is not a valid operator. Did you mean == ?';
      throw new RequirementsFileError(`Invalid requirement: ${pyRepr(subject)} (from ${source})\n${e.message}${hint}`, path, l.line, l.text);
    };

    let requirement: Requirement | null = null;
    let link: string | null = null;
    let marker: Marker | null = null;
    // pip splits the marker off first: after "; " for a URL (a URL may contain ';'), else ';'.
    const [target, markerText] = splitOnce(text, URL_SCHEMES.test(text) ? '; ' : ';');
    if (editable || isLink(target.trim())) {
      if (markerText !== null && markerText.trim() !== '') {
        try {
          marker = Marker.parse(markerText.trim());
        } catch (e) {
          invalid(text, e);
        }
      }
      // `./pkg[dev]`: the extras belong to the requirement, not to the path.
      const extras = /\[([^\]]+)\]$/.exec(target.trim());
      link = extras ? target.trim().slice(0, extras.index) : target.trim();
      const filename = linkFilename(link);
      const egg = /[#&]egg=([^&]+)/.exec(link)?.[1];
      try {
        if (filename.endsWith('.whl')) {
          const wheel = parseWheelFilename(filename);
          requirement = Requirement.parse(`${wheel.name}${extras ? extras[0] : ''}==${wheel.version.toString()}`);
        } else if (egg !== undefined) {
          requirement = Requirement.parse(`${egg}${extras ? extras[0] : ''}`);
        }
      } catch (e) {
        if (!(e instanceof PepError)) throw e;
        throw new RequirementsFileError(`${e.message.split('\n')[0]} (from ${source})`, path, l.line, l.text);
      }
    } else {
      try {
        requirement = Requirement.parse(text);
      } catch (e) {
        invalid(text, e);
      }
      marker = requirement!.marker;
    }

    if (editable && opts.hashes) this.warnings.push(`${path}:${l.line}: --hash is ignored on an editable requirement`);
    const entry: RequirementsFileEntry = {
      kind: constraint ? 'constraint' : 'requirement',
      text,
      requirement,
      link,
      marker,
      editable,
      hashes: editable ? [] : (opts.hashes ?? []),
      configSettings: opts.configSettings ?? [],
      globalOptions: editable ? [] : (opts.globalOptions ?? []),
      source: { path, line: l.line },
      raw: l.raw,
    };
    this.entries.push(entry);
    return entry;
  }
}

/**
 * Read a requirements file and every file it includes.
 * Throws RequirementsFileError (naming file and line) where pip would stop.
 */
export async function parseRequirementsFile(
  path: string,
  read: ReadFile,
  opts: { env?: Readonly<Record<string, string>> } = {},
): Promise<RequirementsFile> {
  const reader = new Reader(read, opts.env ?? {});
  await reader.readFile(path, false, [], null);
  const o = reader.options;
  return {
    path,
    entries: reader.entries,
    options: { ...o, noBinary: new Set(o.noBinary), onlyBinary: new Set(o.onlyBinary) },
    lines: reader.lines,
    warnings: reader.warnings,
  };
}
