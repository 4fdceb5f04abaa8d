/**
 * A small optparse, as pip uses it: `-x`, `-xVALUE`, clustered short flags (`-qq`, `-Uq`),
 * `--long VALUE`, `--long=VALUE`, unambiguous prefixes of long options (`--upgr`), `--` ending
 * options, and interspersed arguments. Actions: store, append, count, store_true, store_false,
 * store_const. Defaults come from pip.conf values (configuration.ts), then `PIP_<LONG_NAME>`
 * environment variables, the way pip's ConfigOptionParser reads them (booleans through
 * strtobool, counts as integers, appends split on whitespace; a value an option cannot take
 * is ConfigValueError, exit status 3); the command line then adds to or overrides them.
 *
 * Errors are optparse's words (`no such option: --x`, `-i option requires 1 argument`,
 * `option --format: invalid choice: 'x' (choose from 'columns', 'freeze', 'json')`); pip prints
 * the command's usage block before them and exits with status 2.
 */
import { PipetteError } from '../pep';
import { pyRepr } from './format';

export type OptionAction = 'store' | 'append' | 'count' | 'store_true' | 'store_false' | 'store_const';
export type OptionValue = string | number | boolean | readonly string[] | null;

export interface OptionSpec {
  /** Short and long spellings, short first: `['-i', '--index-url']`. */
  readonly flags: readonly string[];
  readonly dest: string;
  readonly action: OptionAction;
  readonly metavar?: string;
  readonly choices?: readonly string[];
  /** `int` / `float` options check their value like optparse. */
  readonly type?: 'string' | 'int' | 'float';
  readonly default?: OptionValue;
  readonly const?: OptionValue;
  /** Shown by `pip help <command>`; omitted options are accepted but not listed. */
  readonly help?: string;
}

export interface OptionGroup {
  readonly title: string;
  readonly options: readonly OptionSpec[];
}

/** A command line optparse rejects: printed after the usage block, exit status 2. */
export class UsageError extends PipetteError<'usage'> {
  override readonly name = 'UsageError';
  constructor(message: string) {
    super('usage', message);
  }
}

/**
 * A configured value (pip.conf or `PIP_*`) an option cannot take, e.g. `timeout = soon`: pip's
 * `check_default` prints `An error occurred during configuration: <message>` and exits with 3.
 */
export class ConfigValueError extends PipetteError<'config-value'> {
  override readonly name = 'ConfigValueError';
  constructor(message: string) {
    super('config-value', message);
  }
}

/** Parsed option values by `dest`, with typed accessors. */
export class OptionValues {
  constructor(private readonly values: ReadonlyMap<string, OptionValue>) {}

  get(dest: string): OptionValue {
    return this.values.get(dest) ?? null;
  }
  flag(dest: string): boolean {
    return this.get(dest) === true;
  }
  string(dest: string): string | null {
    const v = this.get(dest);
    return typeof v === 'string' ? v : null;
  }
  number(dest: string): number | null {
    const v = this.get(dest);
    return typeof v === 'number' ? v : null;
  }
  list(dest: string): string[] {
    const v = this.get(dest);
    return Array.isArray(v) ? [...(v as readonly string[])] : [];
  }
  count(dest: string): number {
    const v = this.get(dest);
    return typeof v === 'number' ? v : v === true ? 1 : 0;
  }
  /** Was the option given (on the command line or by the environment)? */
  has(dest: string): boolean {
    return this.values.has(dest);
  }
}

export interface ParsedCommandLine {
  readonly options: OptionValues;
  /** The positional arguments, in order. */
  readonly args: string[];
}

const TRUE = new Set(['y', 'yes', 't', 'true', 'on', '1']);
const FALSE = new Set(['n', 'no', 'f', 'false', 'off', '0']);

/** Python's `strtobool`, as pip applies it to `PIP_*` booleans. */
export function strtobool(value: string): boolean {
  const v = value.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new UsageError(`invalid truth value ${pyRepr(v)}`);
}

/** `PIP_INDEX_URL` for `--index-url`. */
export function envName(longFlag: string): string {
  return `PIP_${longFlag.replace(/^--/, '').toUpperCase().replace(/-/g, '_')}`;
}

function takesValue(spec: OptionSpec): boolean {
  return spec.action === 'store' || spec.action === 'append';
}

/**
 * Parse `argv` against `groups`. `env` supplies `PIP_*` defaults (pass null for `--isolated`).
 * Throws UsageError with optparse's message.
 */
export function parseCommandLine(
  argv: readonly string[],
  groups: readonly OptionGroup[],
  env: Readonly<Record<string, string>> | null,
  options: {
    interspersed?: boolean;
    /** `(long option name, value)` pairs from pip.conf, lowest precedence first (applied before `env`). */
    config?: readonly (readonly [string, string])[];
  } = {},
): ParsedCommandLine {
  const interspersed = options.interspersed ?? true;
  const specs = groups.flatMap((g) => g.options);
  const byFlag = new Map<string, OptionSpec>();
  for (const spec of specs) for (const flag of spec.flags) byFlag.set(flag, spec);
  const values = new Map<string, OptionValue>();
  for (const spec of specs) if (spec.default !== undefined && !values.has(spec.dest)) values.set(spec.dest, spec.default);
  for (const [key, raw] of options.config ?? []) {
    // pip: `self.get_option("--" + key)`, an exact long name; other keys are for other commands.
    const spec = byFlag.get(`--${key}`);
    if (spec && key !== 'help' && key !== 'version') applyDefault(spec, `--${key}`, raw, values);
  }
  if (env) applyEnvironment(specs, env, values);

  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      for (const a of argv.slice(i + 1)) args.push(a);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const given = eq >= 0 ? arg.slice(0, eq) : arg;
      const flag = matchLong(given, byFlag);
      const spec = byFlag.get(flag)!;
      if (takesValue(spec)) {
        let value: string;
        if (eq >= 0) value = arg.slice(eq + 1);
        else if (i + 1 < argv.length) value = argv[++i]!;
        else throw new UsageError(`${flag} option requires 1 argument`);
        take(spec, flag, value, values);
      } else {
        if (eq >= 0) throw new UsageError(`${flag} option does not take a value`);
        take(spec, flag, null, values);
      }
    } else if (arg.startsWith('-') && arg !== '-') {
      // A cluster of short options: `-qq`, `-Uq`, `-ifoo` (the rest of the word is the value).
      for (let j = 1; j < arg.length; j++) {
        const flag = `-${arg[j]}`;
        const spec = byFlag.get(flag);
        if (!spec) throw new UsageError(`no such option: ${flag}`);
        if (takesValue(spec)) {
          let value: string;
          if (j + 1 < arg.length) value = arg.slice(j + 1);
          else if (i + 1 < argv.length) value = argv[++i]!;
          else throw new UsageError(`${flag} option requires 1 argument`);
          take(spec, flag, value, values);
          break;
        }
        take(spec, flag, null, values);
      }
    } else if (interspersed) {
      args.push(arg);
    } else {
      // pip's main parser stops at the command name; the command parses the rest.
      for (const a of argv.slice(i)) args.push(a);
      break;
    }
  }
  return { options: new OptionValues(values), args };
}

/** optparse's `_match_abbrev`: an exact match, else the one long option the prefix names. */
function matchLong(given: string, byFlag: ReadonlyMap<string, OptionSpec>): string {
  if (byFlag.has(given)) return given;
  const candidates = [...byFlag.keys()].filter((f) => f.startsWith('--') && f.startsWith(given)).sort();
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new UsageError(`no such option: ${given}`);
  throw new UsageError(`ambiguous option: ${given} (${candidates.join(', ')}?)`);
}

function take(spec: OptionSpec, flag: string, raw: string | null, values: Map<string, OptionValue>): void {
  switch (spec.action) {
    case 'store':
      values.set(spec.dest, convert(spec, flag, raw!));
      break;
    case 'append': {
      const current = values.get(spec.dest);
      values.set(spec.dest, [...(Array.isArray(current) ? (current as string[]) : []), String(convert(spec, flag, raw!))]);
      break;
    }
    case 'count': {
      const current = values.get(spec.dest);
      values.set(spec.dest, (typeof current === 'number' ? current : 0) + 1);
      break;
    }
    case 'store_true':
      values.set(spec.dest, true);
      break;
    case 'store_false':
      values.set(spec.dest, false);
      break;
    case 'store_const':
      values.set(spec.dest, spec.const ?? null);
      break;
  }
}

function convert(spec: OptionSpec, flag: string, raw: string): string | number {
  if (spec.choices && !spec.choices.includes(raw)) {
    throw new UsageError(`option ${flag}: invalid choice: ${pyRepr(raw)} (choose from ${spec.choices.map(pyRepr).join(', ')})`);
  }
  if (spec.type === 'int') {
    if (!/^[-+]?\d+$/.test(raw.trim())) throw new UsageError(`option ${flag}: invalid integer value: ${pyRepr(raw)}`);
    return Number(raw);
  }
  if (spec.type === 'float') {
    const n = Number(raw);
    if (raw.trim() === '' || Number.isNaN(n)) throw new UsageError(`option ${flag}: invalid floating-point value: ${pyRepr(raw)}`);
    return n;
  }
  return raw;
}

/** pip's `ConfigOptionParser._update_defaults` for the `PIP_*` environment variables. */
function applyEnvironment(specs: readonly OptionSpec[], env: Readonly<Record<string, string>>, values: Map<string, OptionValue>): void {
  for (const spec of specs) {
    for (const flag of spec.flags) {
      if (!flag.startsWith('--') || flag === '--help' || flag === '--version') continue;
      const raw = env[envName(flag)];
      if (raw === undefined) continue;
      applyDefault(spec, flag, raw, values);
    }
  }
}

/** One configured value (pip.conf or `PIP_*`) as the option's default, checked as pip checks it. */
function applyDefault(spec: OptionSpec, flag: string, raw: string, values: Map<string, OptionValue>): void {
  const key = flag.slice(2);
  switch (spec.action) {
    case 'store_true':
    case 'store_false':
    case 'store_const': {
      let b: boolean;
      try {
        b = strtobool(raw);
      } catch {
        throw new UsageError(`${raw} is not a valid value for ${key} option, please specify a boolean value like yes/no, true/false or 1/0 instead.`);
      }
      // pip's `_handle_no_cache_dir`: any valid value, `false` included, disables the cache.
      if (spec.dest === 'noCacheDir') b = true;
      // pip stores the boolean as is, even for store_false options (its documented quirk),
      // except for the `--no-*` switches whose meaning is the flag itself.
      values.set(spec.dest, spec.action === 'store_const' ? (b ? (spec.const ?? null) : null) : b);
      break;
    }
    case 'count': {
      let n: number | null = null;
      if (/^\d+$/.test(raw.trim())) n = Number(raw);
      else if (TRUE.has(raw.toLowerCase())) n = 1;
      else if (FALSE.has(raw.toLowerCase())) n = 0;
      if (n === null) {
        throw new UsageError(
          `${raw} is not a valid value for ${key} option, please instead specify either a non-negative integer or a boolean value like yes/no or false/true which is equivalent to 1/0.`,
        );
      }
      values.set(spec.dest, n);
      break;
    }
    case 'append':
      values.set(spec.dest, raw.split(/\s+/).filter(Boolean).map((v) => String(checkDefault(spec, key, v))));
      break;
    case 'store':
      values.set(spec.dest, checkDefault(spec, key, raw));
      break;
  }
}

/**
 * pip's `check_default`: optparse's check of a configured value, failing with exit status 3.
 * The option is named as configured, without dashes: `option timeout: invalid floating-point value: 'soon'`.
 */
function checkDefault(spec: OptionSpec, key: string, raw: string): string | number {
  try {
    return convert(spec, key, raw);
  } catch (error) {
    if (error instanceof UsageError) throw new ConfigValueError(error.message);
    throw error;
  }
}

/**
 * The usage block pip prints before a usage error and at the top of `pip help <command>`
 * (PrettyHelpFormatter.format_usage): a blank line, `Usage:   `, then each usage line indented.
 */
export function formatUsage(prog: string, usage: string): string {
  const lines = usage.split('\n').map((l) => `  ${l.replace('%prog', prog)}`);
  return `\nUsage:   \n${lines.join('\n')}\n`;
}

/** One option's spelling for help: `-i, --index-url <url>`. */
export function optionSpelling(spec: OptionSpec): string {
  const metavar = takesValue(spec) ? ` <${spec.metavar ?? spec.dest}>` : '';
  return spec.flags.map((f, i) => (i === spec.flags.length - 1 ? `${f}${metavar}` : f)).join(', ');
}

/** Option groups as pip's help prints them: the spelling, then the help text wrapped at 80 columns. */
export function formatOptionGroups(groups: readonly OptionGroup[]): string {
  const out: string[] = [];
  for (const group of groups) {
    const shown = group.options.filter((o) => o.help !== undefined);
    if (shown.length === 0) continue;
    out.push('', `${group.title}:`);
    for (const spec of shown) {
      const spelling = `  ${optionSpelling(spec)}`;
      const help = wrap(spec.help ?? '', 80 - 30);
      if (spelling.length <= 28) {
        out.push(`${spelling.padEnd(30)}${help[0] ?? ''}`);
      } else {
        out.push(spelling);
        if (help[0] !== undefined) out.push(`${' '.repeat(30)}${help[0]}`);
      }
      for (const line of help.slice(1)) out.push(`${' '.repeat(30)}${line}`);
    }
  }
  return out.join('\n');
}

function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines;
}
