// Over 400 lines: a transcription of pip's configuration.py (IniFile, Configuration), kept whole to compare.
/**
 * pip's configuration (pip `configuration.py`, `cli/parser.py` ConfigOptionParser): `pip.conf`
 * INI files in the virtual filesystem and `PIP_*` environment variables, loaded once per pip
 * command and turned into option defaults, so `global.index-url`, `install.pre`,
 * `global.timeout`... take effect the way pip applies them.
 *
 * Where the files are (pip's `get_configuration_files()` on a Unix, which Pyodide is):
 * - global: `$XDG_CONFIG_DIRS/pip/pip.conf` (default `/etc/xdg/pip/pip.conf`), then `/etc/pip.conf`;
 * - user: `~/.pip/pip.conf` (legacy), then `$XDG_CONFIG_HOME/pip/pip.conf`
 *   (default `/home/pyodide/.config/pip/pip.conf`; `~` is `$HOME`, `/home/pyodide` in Pyodide);
 * - site: `<sys.prefix>/pip.conf` (`/pip.conf` for the base interpreter, `<venv>/pip.conf` in a venv);
 * - env: the file `$PIP_CONFIG_FILE` names (`/dev/null` turns every file off).
 *
 * Precedence, lowest first (pip's OVERRIDE_ORDER): global, user, site, env files, then `PIP_*`
 * variables; within the files a `[<command>]` section beats `[global]`; the command line beats
 * everything. `--isolated` skips the user files and the variables (not the global and site files).
 *
 * The INI dialect is Python's `configparser.RawConfigParser()` with its defaults (`=` or `:`,
 * full-line `#`/`;` comments, indented continuation lines, strict duplicates), and a file it
 * rejects fails the command with pip's words before anything is read from or written to it.
 */
import type { FileSystem } from '../install';
import { PipetteError } from '../pep';
import { describeOsError, dirnameOf, pyRepr, resolvePath } from './format';

export const ConfigurationErrorCode = {
  /** A file is not valid INI (pip's ConfigurationFileCouldNotBeLoaded). */
  CouldNotLoad: 'config-could-not-load',
  /** `get`/`unset` of a key no file defines. */
  NoSuchKey: 'config-no-such-key',
  /** A key without `section.` in front. */
  BadKey: 'config-bad-key',
  /** A change was asked for without saying which file. */
  NoFile: 'config-no-file',
  /** The file could not be written. */
  Write: 'config-write',
} as const;
export type ConfigurationErrorCode = (typeof ConfigurationErrorCode)[keyof typeof ConfigurationErrorCode];

/** pip's ConfigurationError family; the message is pip's `str(err)`. */
export class ConfigurationError extends PipetteError<ConfigurationErrorCode> {
  override readonly name = 'ConfigurationError';
  /** The file or value the error is about, when there is one. */
  readonly input: string;

  constructor(code: ConfigurationErrorCode, message: string, input = '') {
    super(code, message);
    this.input = input;
  }
}

/** Where a configuration value comes from (pip's `kinds`). */
export const ConfigKind = { Global: 'global', User: 'user', Site: 'site', Env: 'env', EnvVar: 'env-var' } as const;
export type ConfigKind = (typeof ConfigKind)[keyof typeof ConfigKind];
/** The file kinds `pip config --global/--user/--site` can change. */
export type FileKind = typeof ConfigKind.Global | typeof ConfigKind.User | typeof ConfigKind.Site;

/** Lowest precedence first. */
const OVERRIDE_ORDER: readonly ConfigKind[] = [ConfigKind.Global, ConfigKind.User, ConfigKind.Site, ConfigKind.Env, ConfigKind.EnvVar];
/** `PIP_VERSION` and `PIP_HELP` are never configuration. */
const ENV_NAMES_IGNORED = new Set(['version', 'help']);
/** The file key of the environment variables (pip's `":env:"`). */
export const ENV_SECTION = ':env:';
const DEV_NULL = '/dev/null';
const DEFAULT_HOME = '/home/pyodide';

/** What loading configuration needs from the pip context. */
export interface ConfigHost {
  readonly fs: FileSystem;
  readonly env: Readonly<Record<string, string>>;
  /** `sys.prefix` of the environment pip acts on. */
  readonly prefix: string;
  /** The working directory, for a relative `PIP_CONFIG_FILE`. */
  readonly cwd?: string;
}

/** pip's `get_configuration_files()`, for this virtual filesystem. */
export function configurationFiles(host: Pick<ConfigHost, 'env' | 'prefix'>): Record<FileKind, string[]> {
  const home = (host.env['HOME'] || DEFAULT_HOME).replace(/\/+$/, '') || '/';
  const join = (dir: string, name: string): string => `${dir.replace(/\/+$/, '')}/${name}`;
  // platformdirs' site_config_dir (multipath) plus /etc, as pip's appdirs adds it on Unix.
  const xdgDirs = (host.env['XDG_CONFIG_DIRS'] || '/etc/xdg').split(':').filter(Boolean);
  const userDir = host.env['XDG_CONFIG_HOME'] || join(home, '.config');
  return {
    global: [...xdgDirs.map((d) => join(join(d, 'pip'), 'pip.conf')), '/etc/pip.conf'],
    user: [join(join(home, '.pip'), 'pip.conf'), join(join(userDir, 'pip'), 'pip.conf')],
    site: [join(host.prefix === '/' ? '' : host.prefix, 'pip.conf')],
  };
}

// ---------------------------------------------------------------------------------------------
// The INI files: Python's RawConfigParser, reading and writing.

type SectionMap = Map<string, string>;

/**
 * One INI file as `configparser.RawConfigParser` reads and writes it. Option names are lower
 * case (`optionxform`); `[DEFAULT]` values show through in every section's `items()`.
 */
export class IniFile {
  readonly defaults: SectionMap = new Map();
  private readonly sectionMap = new Map<string, SectionMap>();

  /**
   * Parse `text` read from `source` (the name in error messages). Throws ConfigurationError
   * with configparser's message (MissingSectionHeaderError, DuplicateSectionError,
   * DuplicateOptionError, ParsingError) as pip wraps it.
   */
  static parse(text: string, source: string): IniFile {
    const file = new IniFile();
    const lines = text.replace(/\r\n?/g, '\n').split(/(?<=\n)/);
    if (lines.at(-1) === '') lines.pop();
    const values = new Map<SectionMap, Map<string, string[]>>();
    const added = new Set<string>();
    const errors: [number, string][] = [];
    let cursect: SectionMap | null = null;
    let sectname = '';
    let optname: string | null = null;
    let indentLevel = 0;
    const fail = (reason: string): never => {
      throw new ConfigurationError(ConfigurationErrorCode.CouldNotLoad, couldNotLoad(reason), source);
    };
    const valuesOf = (sect: SectionMap): Map<string, string[]> => {
      let v = values.get(sect);
      if (!v) values.set(sect, (v = new Map()));
      return v;
    };
    lines.forEach((line, i) => {
      const lineno = i + 1;
      const trimmed = pyStrip(line);
      // Full-line comments only (the default comment_prefixes; no inline comments).
      const clean = trimmed.startsWith('#') || trimmed.startsWith(';') ? '' : trimmed;
      if (clean === '') {
        // empty_lines_in_values: a blank line (not a comment) may belong to a multi-line value.
        if (trimmed === '' && cursect && optname) valuesOf(cursect).get(optname)?.push('');
        return;
      }
      const curIndent = line.search(/\S/);
      if (cursect && optname && curIndent > indentLevel) {
        valuesOf(cursect).get(optname)!.push(clean);
        return;
      }
      indentLevel = curIndent;
      const header = /^\[(.+)\]/.exec(clean);
      if (!header && !cursect) {
        fail(`File contains no section headers.\nfile: ${pyRepr(source)}, line: ${lineno}\n${pyRepr(line)}`);
      }
      if (header) {
        sectname = header[1]!;
        if (file.sectionMap.has(sectname)) {
          if (added.has(sectname)) fail(`While reading from ${pyRepr(source)} [line ${pad2(lineno)}]: section ${pyRepr(sectname)} already exists`);
          cursect = file.sectionMap.get(sectname)!;
        } else if (sectname === 'DEFAULT') {
          cursect = file.defaults;
        } else {
          cursect = new Map();
          file.sectionMap.set(sectname, cursect);
        }
        added.add(sectname);
        optname = null;
        return;
      }
      const option = /^(.*?)\s*(=|:)\s*(.*)$/s.exec(clean);
      if (!option) {
        errors.push([lineno, line]);
        return;
      }
      if (!option[1]) errors.push([lineno, line]);
      optname = option[1]!.trimEnd().toLowerCase();
      const key = `${sectname}\u0000${optname}`;
      if (added.has(key)) {
        fail(`While reading from ${pyRepr(source)} [line ${pad2(lineno)}]: option ${pyRepr(optname)} in section ${pyRepr(sectname)} already exists`);
      }
      added.add(key);
      valuesOf(cursect!).set(optname, [pyStrip(option[3]!)]);
    });
    for (const [sect, opts] of values) for (const [name, parts] of opts) sect.set(name, pyRstrip(parts.join('\n')));
    if (errors.length > 0) {
      fail(`Source contains parsing errors: ${pyRepr(source)}${errors.map(([n, l]) => `\n\t[line ${pad2(n)}]: ${pyRepr(l)}`).join('')}`);
    }
    return file;
  }

  sections(): string[] {
    return [...this.sectionMap.keys()];
  }

  hasSection(section: string): boolean {
    return this.sectionMap.has(section);
  }

  /** `parser.items(section)`: the defaults (overridden by the section), then the section's own. */
  items(section: string): [string, string][] {
    const own = this.sectionMap.get(section) ?? new Map<string, string>();
    const out = new Map<string, string>(this.defaults);
    for (const [k, v] of own) out.set(k, v);
    return [...out];
  }

  addSection(section: string): void {
    if (!this.sectionMap.has(section)) this.sectionMap.set(section, new Map());
  }

  set(section: string, option: string, value: string): void {
    const sect = section === 'DEFAULT' ? this.defaults : this.sectionMap.get(section);
    if (!sect) throw new Error(`No section: ${pyRepr(section)}`);
    sect.set(option.toLowerCase(), value);
  }

  /** Whether the option existed (and is now gone). */
  removeOption(section: string, option: string): boolean {
    const sect = section === 'DEFAULT' ? this.defaults : this.sectionMap.get(section);
    return sect?.delete(option.toLowerCase()) ?? false;
  }

  removeSection(section: string): boolean {
    return this.sectionMap.delete(section);
  }

  /** `RawConfigParser.write()`: `[section]`, `key = value` (continuation lines tab-indented), a blank line. */
  toString(): string {
    const out: string[] = [];
    const write = (name: string, items: Iterable<[string, string]>): void => {
      out.push(`[${name}]\n`);
      for (const [key, value] of items) out.push(`${key} = ${value.replace(/\n/g, '\n\t')}\n`);
      out.push('\n');
    };
    if (this.defaults.size > 0) write('DEFAULT', this.defaults);
    for (const [name, sect] of this.sectionMap) write(name, sect);
    return out.join('');
  }
}

/** pip's ConfigurationFileCouldNotBeLoaded(error=...): `Configuration file could not be loaded.\n<error>\n`. */
function couldNotLoad(reason: string): string {
  return `Configuration file could not be loaded.\n${reason}\n`;
}

/** `'{0:2d}'.format(n)`. */
function pad2(n: number): string {
  return String(n).padStart(2, ' ');
}

/** Python's `str.strip()` (ASCII whitespace and the Unicode spaces JS also trims). */
function pyStrip(s: string): string {
  return s.trim();
}

function pyRstrip(s: string): string {
  return s.trimEnd();
}

// ---------------------------------------------------------------------------------------------
// The configuration: which files, in which order, and what each key is.

/** pip's `_normalize_name`: `Index_URL` and `--index-url` are `index-url`. */
export function normalizeConfigName(name: string): string {
  const lower = name.toLowerCase().replace(/_/g, '-');
  return lower.startsWith('--') ? lower.slice(2) : lower;
}

/** pip's `_disassemble_key`: `global.index-url` -> [`global`, `index-url`]. */
function disassembleKey(key: string): [string, string] {
  const dot = key.indexOf('.');
  if (dot < 0) {
    throw new ConfigurationError(
      ConfigurationErrorCode.BadKey,
      `Key does not contain dot separated section and key. Perhaps you wanted to use 'global.${key}' instead?`,
      key,
    );
  }
  return [key.slice(0, dot), key.slice(dot + 1)];
}

export interface ConfigurationOptions {
  /** `--isolated`: no user files, no `PIP_*` variables. */
  readonly isolated: boolean;
  /** Load this kind of file only (`pip config --user ...`); null = every kind. */
  readonly loadOnly?: FileKind | null;
}

/** pip's `Configuration`: load, read a key, change a key, save the one file that changed. */
export class Configuration {
  private readonly parsers = new Map<ConfigKind, [string, IniFile][]>(OVERRIDE_ORDER.map((k) => [k, []]));
  /** kind -> file -> key -> value (pip's `_config`). */
  private readonly config = new Map<ConfigKind, Map<string, Map<string, string>>>(OVERRIDE_ORDER.map((k) => [k, new Map()]));
  private readonly modified: [string, IniFile][] = [];
  readonly isolated: boolean;
  readonly loadOnly: FileKind | null;

  constructor(
    private readonly host: ConfigHost,
    options: ConfigurationOptions,
  ) {
    this.isolated = options.isolated;
    this.loadOnly = options.loadOnly ?? null;
  }

  /** Read the files and the variables; throws ConfigurationError for a file pip would reject. */
  load(): this {
    this.loadFiles();
    if (!this.isolated) {
      const values = new Map<string, string>();
      for (const [name, value] of this.environVars()) values.set(`${ENV_SECTION}.${normalizeConfigName(name)}`, value);
      this.config.get(ConfigKind.EnvVar)!.set(ENV_SECTION, values);
    }
    return this;
  }

  /**
   * pip's `iter_config_files()`: kinds and their files, in display order. The user files are
   * left out in isolated mode and when `PIP_CONFIG_FILE` names an existing file.
   */
  iterConfigFiles(): [ConfigKind, string[]][] {
    const given = this.host.env['PIP_CONFIG_FILE'];
    const envFile = given !== undefined && given !== '' && !given.startsWith('/') && this.host.cwd ? resolvePath(this.host.cwd, given) : given;
    const files = configurationFiles(this.host);
    const out: [ConfigKind, string[]][] = [[ConfigKind.Global, files.global]];
    if (!this.isolated && !(envFile && this.host.fs.exists(envFile))) out.push([ConfigKind.User, files.user]);
    out.push([ConfigKind.Site, files.site]);
    out.push([ConfigKind.Env, envFile !== undefined ? [envFile] : []]);
    return out;
  }

  /**
   * `PIP_*` variables as (lower-case name, value) (pip's `get_environ_vars`; listed by
   * `pip config debug` even in isolated mode, where they are not loaded).
   */
  environVars(): [string, string][] {
    return Object.entries(this.host.env)
      .filter(([k]) => k.startsWith('PIP_') && !ENV_NAMES_IGNORED.has(k.slice(4).toLowerCase()))
      .map(([k, v]) => [k.slice(4).toLowerCase(), v] as [string, string]);
  }

  /** File (or `:env:`) -> its values, lowest precedence first (pip's `_dictionary`). */
  items(): [string, ReadonlyMap<string, string>][] {
    const merged = new Map<string, Map<string, string>>();
    for (const kind of OVERRIDE_ORDER) for (const [file, values] of this.config.get(kind)!) merged.set(file, values);
    return [...merged];
  }

  /** The values each file of `kind` defines. */
  valuesIn(kind: ConfigKind): ReadonlyMap<string, ReadonlyMap<string, string>> {
    return this.config.get(kind)!;
  }

  /** The effective value of `section.name` (highest precedence wins). */
  getValue(key: string): string {
    const normalized = normalizeConfigName(key);
    const clean = new Map<string, string>();
    for (const [, values] of this.items()) for (const [k, v] of values) clean.set(k, v);
    const value = clean.get(normalized);
    if (value !== undefined) return value;
    disassembleKey(normalized);
    throw new ConfigurationError(ConfigurationErrorCode.NoSuchKey, `No such key - ${key}`, key);
  }

  setValue(key: string, value: string): void {
    const normalized = normalizeConfigName(key);
    const [file, parser] = this.parserToModify();
    const [section, name] = disassembleKey(normalized);
    parser.addSection(section);
    parser.set(section, name, value);
    const kind = this.loadOnly!;
    const values = this.config.get(kind)!.get(file) ?? new Map<string, string>();
    values.set(normalized, value);
    this.config.get(kind)!.set(file, values);
    this.markModified(file, parser);
  }

  unsetValue(key: string): void {
    const normalized = normalizeConfigName(key);
    const [file, parser] = this.parserToModify();
    const values = this.config.get(this.loadOnly!)!.get(file);
    if (!values?.has(normalized)) throw new ConfigurationError(ConfigurationErrorCode.NoSuchKey, `No such key - ${key}`, key);
    const [section, name] = disassembleKey(normalized);
    parser.removeOption(section, name);
    // The section may be empty after the option was removed.
    if (parser.items(section).length === 0) parser.removeSection(section);
    values.delete(normalized);
    this.markModified(file, parser);
  }

  /** The file `set`/`unset`/`edit` work on: the last (highest precedence) file of its kind. */
  fileToEdit(): string | null {
    return this.parsers.get(this.requireLoadOnly())!.at(-1)?.[0] ?? null;
  }

  /** Write every changed file (`Writing to <file>` through `log`). */
  save(log: (line: string) => void): void {
    this.requireLoadOnly();
    for (const [file, parser] of this.modified) {
      log(`Writing to ${file}`);
      try {
        this.host.fs.mkdirp(dirnameOf(file));
        this.host.fs.writeFile(file, new TextEncoder().encode(parser.toString()));
      } catch (error) {
        const detail = describeOsError(error);
        throw new ConfigurationError(ConfigurationErrorCode.Write, `An error occurred while writing to the configuration file ${file}: ${detail}`, file);
      }
    }
    this.modified.length = 0;
  }

  /**
   * The `(option name, value)` pairs that set option defaults for `command` (pip's
   * `_get_ordered_configuration_items`): every `[global]` value, then every `[<command>]`
   * value, lowest precedence file first, so later ones override earlier ones. Empty values
   * are ignored, as pip does. The `PIP_*` variables are not included: the option parser
   * applies them after these.
   */
  optionItems(command: string): [string, string][] {
    const out: [string, string][] = [];
    const files = this.items().filter(([file]) => file !== ENV_SECTION);
    for (const section of ['global', command]) {
      for (const [, values] of files) {
        for (const [key, value] of values) {
          if (!value) continue;
          const dot = key.indexOf('.');
          if (key.slice(0, dot) === section) out.push([key.slice(dot + 1), value]);
        }
      }
    }
    return out;
  }

  private loadFiles(): void {
    const files = this.iterConfigFiles();
    const envFiles = files.find(([kind]) => kind === ConfigKind.Env)?.[1] ?? [];
    if (envFiles[0] === DEV_NULL) return; // PIP_CONFIG_FILE=/dev/null: no files at all
    for (const [kind, names] of files) {
      for (const file of names) {
        if (this.loadOnly !== null && kind !== this.loadOnly) continue;
        const parser = this.readFile(file);
        for (const section of parser.sections()) {
          const values = this.config.get(kind)!.get(file) ?? new Map<string, string>();
          for (const [name, value] of parser.items(section)) values.set(`${section}.${normalizeConfigName(name)}`, value);
          this.config.get(kind)!.set(file, values);
        }
        this.parsers.get(kind)!.push([file, parser]);
      }
    }
  }

  /** A file's parser; an empty one when the file does not exist (it may be created by `set`). */
  private readFile(file: string): IniFile {
    const fs = this.host.fs;
    // configparser.read() skips what it cannot open (a directory, say).
    if (!fs.exists(file) || fs.isDirectory(file)) return new IniFile();
    let bytes: Uint8Array;
    try {
      bytes = fs.readFile(file) ?? new Uint8Array();
    } catch (error) {
      // configparser would skip a file it cannot open; a file the person named (PIP_CONFIG_FILE)
      // that cannot be read stops pip instead, so no index but the configured one is used.
      throw new ConfigurationError(ConfigurationErrorCode.CouldNotLoad, couldNotLoad(describeOsError(error, file)), file);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // pip's reason uses locale.getpreferredencoding(), UTF-8 in Pyodide.
      throw new ConfigurationError(ConfigurationErrorCode.CouldNotLoad, `Configuration file contains invalid UTF-8 characters in ${file}.`, file);
    }
    return IniFile.parse(text.replace(/^\uFEFF/, ''), file);
  }

  private requireLoadOnly(): FileKind {
    if (this.loadOnly === null) throw new ConfigurationError(ConfigurationErrorCode.NoFile, 'Needed a specific file to be modifying.');
    return this.loadOnly;
  }

  private parserToModify(): [string, IniFile] {
    const parsers = this.parsers.get(this.requireLoadOnly())!;
    const last = parsers.at(-1);
    if (!last) throw new ConfigurationError(ConfigurationErrorCode.NoFile, 'Fatal Internal error [id=2]. Please report as a bug.');
    return last;
  }

  private markModified(file: string, parser: IniFile): void {
    if (!this.modified.some(([f, p]) => f === file && p === parser)) this.modified.push([file, parser]);
  }
}

/** The configuration a pip command runs with: every file and (unless isolated) the variables. */
export function loadConfiguration(host: ConfigHost, isolated: boolean): Configuration {
  return new Configuration(host, { isolated }).load();
}
