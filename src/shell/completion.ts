import { hasTerminalControls } from '../pep';
import type { ShellFs } from './host';
import { joinChild, resolvePath } from './path';

/** Replace `line.slice(replaceFrom, cursor)` with one of `candidates` (directories end in `/`). */
export interface Completion {
  readonly replaceFrom: number;
  /** Sorted, without duplicates; already quoted for the shell (`my\ file.txt`). */
  readonly candidates: readonly string[];
}

/** What completion may look at. */
export interface CompletionSource {
  readonly fs: ShellFs;
  readonly cwd: string;
  readonly home: string;
  /** `$PATH`: its directories' files are commands. */
  readonly path: string;
  readonly variables: readonly string[];
  readonly builtins: readonly string[];
  /** Installed distribution names, for `pip uninstall` and `pip show`. */
  installedNames(): Promise<readonly string[]>;
  /** pip's subcommands; PIP_COMMANDS when absent. */
  readonly pipCommands?: readonly string[];
}

/** pip's commands in pip's order (pip `commands/__init__.py`), for `pip <Tab>`. */
export const PIP_COMMANDS = [
  'install', 'lock', 'download', 'uninstall', 'freeze', 'inspect', 'list', 'show', 'check', 'config',
  'search', 'cache', 'index', 'wheel', 'hash', 'completion', 'debug', 'help',
] as const;

/** Commands the host provides without a file. */
const HOST_COMMANDS = ['pip', 'pip3', 'python', 'python3'];

const PIP = /^pip(3(\.[0-9]+)?)?$/;
const PYTHON = /^python(3(\.[0-9]+)?)?$/;

interface WordAtCursor {
  /** The finished words of the command the cursor is in (unquoted; assignments and redirect targets left out). */
  readonly words: readonly string[];
  /** Where the word under the cursor starts, and its text so far without quotes. */
  readonly start: number;
  readonly value: string;
  readonly redirectTarget: boolean;
}

/**
 * Completes the word before the cursor, as bash's programmable completion would for this
 * shell: command names in command position, pip's subcommands after `pip`, installed names
 * after `pip uninstall` / `pip show`, directories after `cd`, `$NAME` variables, and paths
 * everywhere else.
 * Ex) ('pip sh', 6) -> { replaceFrom: 4, candidates: ['show'] }
 */
export async function completeLine(line: string, cursor: number, source: CompletionSource): Promise<Completion> {
  const at = wordAtCursor(line.slice(0, cursor));
  const value = at.value;
  const done = (candidates: Iterable<string>): Completion => ({
    replaceFrom: at.start,
    candidates: [...new Set(candidates)].filter((c) => !hasTerminalControls(c) && (c.startsWith(value) || unescape(c).startsWith(value))).sort(),
  });
  const variable = /^\$(\{?)([A-Za-z_][A-Za-z0-9_]*)?$/.exec(value);
  if (variable) {
    const brace = variable[1] === '{';
    return done(source.variables.map((v) => (brace ? `\${${v}}` : `$${v}`)));
  }
  if (at.redirectTarget) return done(paths(value, source, false));
  const [command, ...args] = at.words;
  if (command === undefined) {
    if (value.includes('/')) return done(paths(value, source, false));
    return done([...source.builtins, ...HOST_COMMANDS, ...pathCommands(source)]);
  }
  const pipArgs = PIP.test(command) ? args : PYTHON.test(command) && args[0] === '-m' && args[1] === 'pip' ? args.slice(2) : null;
  if (pipArgs !== null && !value.startsWith('-')) {
    const subcommand = pipArgs.find((a) => !a.startsWith('-'));
    if (subcommand === undefined) return done(source.pipCommands ?? PIP_COMMANDS);
    if (subcommand === 'uninstall' || subcommand === 'show') return done(await source.installedNames());
  }
  return done(paths(value, source, command === 'cd'));
}

/** Reads the line up to the cursor as the tokenizer would, forgiving an open quote. */
function wordAtCursor(prefix: string): WordAtCursor {
  let words: string[] = [];
  let current: { start: number; value: string; redirect: boolean } | null = null;
  let quote: string | null = null;
  let redirect = false;
  const begin = (i: number): { start: number; value: string; redirect: boolean } => {
    if (!current) {
      current = { start: i, value: '', redirect };
      redirect = false;
    }
    return current;
  };
  const finish = (): void => {
    const word = current as { start: number; value: string; redirect: boolean } | null;
    current = null;
    if (!word || word.redirect) return;
    if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word.value)) return;
    words.push(word.value);
  };
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i]!;
    if (quote !== null) {
      if (c === quote) quote = null;
      else if (quote === '"' && c === '\\' && i + 1 < prefix.length) begin(i).value += prefix[++i];
      else begin(i).value += c;
    } else if (c === '"' || c === "'") {
      begin(i);
      quote = c;
    } else if (c === '\\') {
      begin(i).value += prefix[++i] ?? '';
    } else if (c === ' ' || c === '\t' || c === '\n') {
      finish();
    } else if ('|&;()'.includes(c)) {
      finish();
      words = [];
      redirect = false;
    } else if (c === '<' || c === '>') {
      // `2>`: the digits were an IO number, not a word.
      const word = current as { value: string } | null;
      if (word && /^[0-9]+$/.test(word.value)) current = null;
      else finish();
      redirect = true;
    } else {
      begin(i).value += c;
    }
  }
  const word = current as { start: number; value: string; redirect: boolean } | null;
  return {
    words,
    start: word ? word.start : prefix.length,
    value: word ? word.value : '',
    redirectTarget: word ? word.redirect : redirect,
  };
}

/** Names in the directory part of `value` that extend its last part; directories get `/`. */
function paths(value: string, source: CompletionSource, directoriesOnly: boolean): string[] {
  const slash = value.lastIndexOf('/');
  const dirPart = value.slice(0, slash + 1);
  const base = value.slice(slash + 1);
  const expanded = dirPart === '~/' || dirPart.startsWith('~/') ? source.home + dirPart.slice(1) : dirPart;
  const dir = resolvePath(source.cwd, expanded || '.');
  const out: string[] = [];
  for (const name of source.fs.readdir(dir)) {
    if (!name.startsWith(base) || (name.startsWith('.') && !base.startsWith('.'))) continue;
    // A name with a control character is not offered: typed into the line it would reach the
    // terminal as a command, and no backslash can quote it (ls shows it quoted instead).
    if (hasTerminalControls(name)) continue;
    const isDirectory = source.fs.isDirectory(joinChild(dir, name));
    if (directoriesOnly && !isDirectory) continue;
    out.push(escape(dirPart + name) + (isDirectory ? '/' : ''));
  }
  return out;
}

/** Files in PATH's directories: console scripts of the active environment. */
function pathCommands(source: CompletionSource): string[] {
  const out: string[] = [];
  for (const entry of source.path.split(':')) {
    const dir = resolvePath(source.cwd, entry || '.');
    for (const name of source.fs.readdir(dir)) if (!hasTerminalControls(name) && !source.fs.isDirectory(joinChild(dir, name))) out.push(name);
  }
  return out;
}

/** Backslash-quotes what the shell would otherwise read as syntax; a leading `~` stays. */
function escape(text: string): string {
  const tilde = text.startsWith('~') ? '~' : '';
  return tilde + text.slice(tilde.length).replace(/[ \t\n'"\\$`|&;<>()*?[\]#{}!~]/g, '\\$&');
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** The longest start every candidate shares: what Tab inserts when there are several. */
export function commonPrefix(candidates: readonly string[]): string {
  if (candidates.length === 0) return '';
  let prefix = candidates[0]!;
  for (const c of candidates) while (!c.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
