/**
 * Option parsing for the builtins, as GNU getopt does it: `-rf` = `-r -f`, `-n5` = `-n 5`,
 * `--` ends options, `-` alone is an operand (stdin), and options may follow operands
 * (`ls dir -l`) unless `stopAtOperand` (xargs: everything after the command is the command's).
 */
import { PipetteError } from '../pep';
export interface OptionSpec {
  /** Flags without a value, one character each. Ex) 'la1F' */
  readonly flags?: string;
  /** Options taking a value. Ex) 'nd' for `-n 5`, `-d=` */
  readonly values?: string;
  /** Long spellings: `--all` -> 'a'. A long option taking a value uses `--name=value` or the next word. */
  readonly long?: Readonly<Record<string, string>>;
  readonly stopAtOperand?: boolean;
}

export interface ParsedOptions {
  readonly flags: ReadonlySet<string>;
  /** Every value given, in order (`grep -e a -e b`). */
  readonly values: ReadonlyMap<string, readonly string[]>;
  readonly operands: readonly string[];
}

/** A usage error in GNU's words, e.g. `invalid option -- 'z'`; the builtin adds its name. */
export class OptionError extends PipetteError<'invalid-option'> {
  override readonly name = 'OptionError';
  constructor(message: string) {
    super('invalid-option', message);
  }
}

export function parseOptions(args: readonly string[], spec: OptionSpec): ParsedOptions {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  const flagChars = spec.flags ?? '';
  const valueChars = spec.values ?? '';
  const setValue = (key: string, value: string): void => {
    const list = values.get(key);
    if (list) list.push(value);
    else values.set(key, [value]);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      // One by one: xargs hands a builtin as many arguments as its input has words (150 000
      // spread into push() overflow the stack).
      for (let j = i + 1; j < args.length; j++) operands.push(args[j]!);
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = arg.slice(2, eq < 0 ? undefined : eq);
      const key = spec.long?.[name];
      if (key === undefined) throw new OptionError(`unrecognized option '${arg}'`);
      if (valueChars.includes(key)) {
        const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) throw new OptionError(`option '--${name}' requires an argument`);
        setValue(key, value);
      } else {
        if (eq >= 0) throw new OptionError(`option '--${name}' doesn't allow an argument`);
        flags.add(key);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (valueChars.includes(c)) {
          const value = j + 1 < arg.length ? arg.slice(j + 1) : args[++i];
          if (value === undefined) throw new OptionError(`option requires an argument -- '${c}'`);
          setValue(c, value);
          break;
        }
        if (!flagChars.includes(c)) throw new OptionError(`invalid option -- '${c}'`);
        flags.add(c);
      }
      continue;
    }
    if (spec.stopAtOperand) {
      for (let j = i; j < args.length; j++) operands.push(args[j]!);
      break;
    }
    operands.push(arg);
  }
  return { flags, values, operands };
}

/** The last value of an option (`-n 1 -n 2` -> '2'), or undefined. */
export function lastValue(options: ParsedOptions, key: string): string | undefined {
  const all = options.values.get(key);
  return all?.[all.length - 1];
}
