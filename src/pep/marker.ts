/**
 * PEP 508 environment markers: parse, print as packaging prints them, and evaluate.
 *
 * Matches packaging 26 `markers.py`:
 * - extra names are normalized when parsed (PEP 685), so `extra == "Foo_Bar"` prints and
 *   compares as `extra == "foo-bar"`;
 * - every comparison is evaluated (no short cut), so an undefined comparison anywhere fails the
 *   whole marker, as in packaging;
 * - on the version-valued variables (python_version, python_full_version, implementation_version,
 *   platform_release) `lhs op rhs` means `Specifier(op + rhs).contains(lhs, prereleases=True)`
 *   when that specifier is valid; otherwise, and for every other variable, only `==`, `!=`, `in`
 *   and `not in` compare strings, `<=`/`>=` are string equality, `<`/`>` are false, and `~=`/`===`
 *   raise UndefinedComparison;
 * - the environment is always passed in (the runtime reads it from Pyodide); nothing here knows
 *   a default one.
 */
import { PepError } from './error';
import { normalizeName, type NormalizedName } from './name';
import {
  parseMarker,
  type MarkerItem,
  type MarkerList,
  type MarkerNode,
  type MarkerVar,
} from './parser';
import { pyRepr } from './python-repr';
import { InvalidSpecifier, Specifier } from './specifier';
import { ParserSyntaxError } from './tokenizer';

/**
 * The PEP 508 marker variables of one Python environment: implementation_name,
 * implementation_version, os_name, platform_machine, platform_release, platform_system,
 * platform_version, python_full_version, platform_python_implementation, python_version,
 * sys_platform (and `extra` when evaluating for an extra).
 */
export type MarkerEnvironment = Readonly<Record<string, string>>;

/** The marker text is not PEP 508 (a syntax error, with the caret under the fault). */
export class InvalidMarker extends PepError<'invalid-marker'> {
  override readonly name: string = 'InvalidMarker';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-marker', reason, input, span);
  }
}

/** A comparison packaging leaves undefined, e.g. `"darwin" ~= sys_platform`. */
export class UndefinedComparison extends PepError<'undefined-comparison'> {
  override readonly name: string = 'UndefinedComparison';
  constructor(reason: string, input: string) {
    super('undefined-comparison', reason, input);
  }
}

/** The marker names a variable the environment does not define, e.g. `extras` outside a lock file. */
export class UndefinedEnvironmentName extends PepError<'undefined-environment-name'> {
  override readonly name: string = 'UndefinedEnvironmentName';
  readonly variable: string;
  constructor(variable: string, input: string) {
    super('undefined-environment-name', `${pyRepr(variable)} does not exist in evaluation environment.`, input);
    this.variable = variable;
  }
}

// packaging markers.py MARKERS_REQUIRING_VERSION and MARKERS_ALLOWING_SET.
const VERSION_VARIABLES: ReadonlySet<string> = new Set([
  'implementation_version',
  'platform_release',
  'python_full_version',
  'python_version',
]);
const SET_VARIABLES: ReadonlySet<string> = new Set(['extras', 'dependency_groups']);

type EnvValue = string | ReadonlySet<string>;
type Lookup = (variable: string) => EnvValue;

export class Marker {
  private readonly tree: MarkerList;
  private printed: string | undefined;

  private constructor(tree: MarkerList) {
    this.tree = tree;
  }

  /** Parse a marker expression. Throws InvalidMarker with packaging's message and caret. */
  static parse(source: string): Marker {
    try {
      return Marker.fromTree(parseMarker(source));
    } catch (e) {
      if (e instanceof ParserSyntaxError) throw invalidMarkerFrom(e);
      throw e;
    }
  }

  /** A marker from a parsed tree (Requirement's marker); extra names are normalized here. */
  static fromTree(tree: MarkerList): Marker {
    return new Marker(normalizeExtraValues(tree));
  }

  /** `this and other` (packaging 26.1 `Marker.__and__`). */
  and(other: Marker): Marker {
    return new Marker([this.tree, 'and', other.tree]);
  }

  /** `this or other` (packaging 26.1 `Marker.__or__`). */
  or(other: Marker): Marker {
    return new Marker([this.tree, 'or', other.tree]);
  }

  /**
   * Evaluate in `env` for one extra (packaging's "metadata" context). `extra` defaults to
   * `env.extra`, else "" (no extra); it is normalized before comparing (PEP 685).
   * Throws UndefinedComparison or UndefinedEnvironmentName where packaging raises them.
   */
  evaluate(env: MarkerEnvironment, extra?: string): boolean {
    const given = extra ?? (Object.hasOwn(env, 'extra') ? env.extra : undefined) ?? '';
    const normalized = given ? normalizeName(given) : '';
    return this.evaluateWith((variable) => (variable === 'extra' ? normalized : lookupIn(env, variable, this)));
  }

  /**
   * Does a dependency with this marker apply to `name[extras]`? pip installs the dependencies
   * of the base distribution (marker true with extra "") plus those of each requested extra
   * (pip `iter_dependencies(extras)` per ExtrasCandidate, on top of its base candidate), so:
   * true when `evaluate(env, e)` holds for some e in {"", ...extras}.
   */
  evaluateWithExtras(env: MarkerEnvironment, extras: Iterable<string>): boolean {
    if (this.evaluate(env, '')) return true;
    for (const extra of extras) if (this.evaluate(env, extra)) return true;
    return false;
  }

  /**
   * Evaluate in a PEP 751 lock file (packaging's "lock_file" context): `extras` and
   * `dependency_groups` are sets (default empty); `extra` is undefined unless `env` has it.
   */
  evaluateLockFile(
    env: MarkerEnvironment,
    sets: { extras?: Iterable<string>; dependencyGroups?: Iterable<string> } = {},
  ): boolean {
    const extras = new Set(sets.extras ?? []);
    const groups = new Set(sets.dependencyGroups ?? []);
    return this.evaluateWith((variable) => {
      if (variable === 'extras') return extras;
      if (variable === 'dependency_groups') return groups;
      const value = lookupIn(env, variable, this);
      return variable === 'extra' && value ? normalizeName(value) : value;
    });
  }

  /** True when the marker compares `extra` anywhere. */
  mentionsExtra(): boolean {
    let found = false;
    visitItems(this.tree, (item) => {
      if (isVariable(item.lhs, 'extra') || isVariable(item.rhs, 'extra')) found = true;
    });
    return found;
  }

  /**
   * The extra names this marker compares `extra` with, normalized, sorted, unique.
   * Ex) `python_version < "3.11" and extra == "Test_Utils"` -> ["test-utils"].
   */
  extras(): NormalizedName[] {
    const names = new Set<NormalizedName>();
    visitItems(this.tree, (item) => {
      if (isVariable(item.lhs, 'extra') && item.rhs.kind === 'value') names.add(normalizeName(item.rhs.value));
      if (isVariable(item.rhs, 'extra') && item.lhs.kind === 'value') names.add(normalizeName(item.lhs.value));
    });
    return [...names].sort();
  }

  equals(other: Marker): boolean {
    return this.toString() === other.toString();
  }

  /** Normalized as packaging prints it: `python_version >= "3.8" and (os_name == "nt" or ...)`. */
  toString(): string {
    this.printed ??= formatMarker(this.tree, true, this);
    return this.printed;
  }

  private evaluateWith(lookup: Lookup): boolean {
    return evaluateList(this.tree, lookup, this);
  }
}

function invalidMarkerFrom(e: ParserSyntaxError): InvalidMarker {
  return new InvalidMarker(e.reason, e.input, e.start === null ? null : { start: e.start, end: e.end ?? e.start + 1 });
}

function isList(node: MarkerNode): node is MarkerList {
  return Array.isArray(node);
}

function isVariable(v: MarkerVar, name: string): boolean {
  return v.kind === 'variable' && v.value === name;
}

function visitItems(list: MarkerList, visit: (item: MarkerItem) => void): void {
  for (const node of list) {
    if (isList(node)) visitItems(node, visit);
    else if (typeof node !== 'string') visit(node);
  }
}

/**
 * packaging `_normalize_extras`: the literal compared with `extra` is normalized, and so is a
 * literal tested for membership in `extras` / `dependency_groups`.
 */
function normalizeExtraValues(list: MarkerList): MarkerList {
  return list.map((node): MarkerNode => {
    if (isList(node)) return normalizeExtraValues(node);
    if (typeof node === 'string') return node;
    const { lhs, rhs } = node;
    if (isVariable(lhs, 'extra') && rhs.kind === 'value') {
      return { ...node, rhs: { kind: 'value', value: normalizeName(rhs.value) } };
    }
    if (rhs.kind === 'variable' && lhs.kind === 'value' && (rhs.value === 'extra' || SET_VARIABLES.has(rhs.value))) {
      return { ...node, lhs: { kind: 'value', value: normalizeName(lhs.value) } };
    }
    return node;
  });
}

/**
 * packaging `_format_marker`: a one-element list is unwrapped (keeping whether it is nested, so
 * a nested group keeps the parentheses its precedence needs); a nested list is parenthesised.
 */
function formatMarker(node: MarkerNode, first: boolean, marker: Marker | null): string {
  if (isList(node)) {
    const only = node[0];
    if (node.length === 1 && only !== undefined && typeof only !== 'string') return formatMarker(only, first, marker);
    const inner = node.map((m) => formatMarker(m, false, marker)).join(' ');
    return first ? inner : `(${inner})`;
  }
  if (typeof node === 'string') return node;
  return `${serializeVar(node.lhs)} ${node.op} ${serializeVar(node.rhs)}`;
}

/** Variables print bare; values in double quotes, or single quotes when they contain `"`. */
function serializeVar(v: MarkerVar): string {
  if (v.kind === 'variable') return v.value;
  if (!v.value.includes('"')) return `"${v.value}"`;
  if (!v.value.includes("'")) return `'${v.value}'`;
  throw new InvalidMarker(
    'Cannot serialize marker value containing both quote characters',
    v.value,
  );
}

function lookupIn(env: MarkerEnvironment, variable: string, marker: Marker): string {
  const value = Object.hasOwn(env, variable) ? env[variable] : undefined;
  if (value === undefined) throw new UndefinedEnvironmentName(variable, safeString(marker));
  // packaging `_repair_python_full_version`: an untagged CPython build reports "3.14.2+".
  if (variable === 'python_full_version' && value.endsWith('+')) return `${value}local`;
  return value;
}

function safeString(marker: Marker): string {
  try {
    return marker.toString();
  } catch {
    return '';
  }
}

/**
 * packaging `_evaluate_markers`: "and" binds tighter than "or", so the list is split into
 * "or"-separated groups and is true when every item of some group is true. Every item is
 * evaluated, so errors surface even where the result is already known.
 */
function evaluateList(list: MarkerList, lookup: Lookup, marker: Marker): boolean {
  let anyGroup = false;
  let group = true;
  for (const node of list) {
    if (node === 'or') {
      anyGroup ||= group;
      group = true;
    } else if (node !== 'and') {
      const value = isList(node) ? evaluateList(node, lookup, marker) : evaluateItem(node, lookup, marker);
      group &&= value;
    }
  }
  return anyGroup || group;
}

function evaluateItem(item: MarkerItem, lookup: Lookup, marker: Marker): boolean {
  // As packaging: the variable is the left side if that is one, else the right side (whatever
  // it is: `"a" <= "a"` looks up a variable named "a" and fails).
  let variable: string;
  let lhs: EnvValue;
  let rhs: EnvValue;
  if (item.lhs.kind === 'variable') {
    variable = item.lhs.value;
    lhs = lookup(variable);
    rhs = item.rhs.value;
  } else {
    lhs = item.lhs.value;
    variable = item.rhs.value;
    rhs = lookup(variable);
  }
  if (typeof lhs !== 'string') {
    throw new UndefinedComparison(
      `Set-valued marker ${pyRepr(variable)} can only be used with the membership form ` +
        `(e.g. "<name>" in ${variable}); it cannot appear on the left-hand side of ${pyRepr(item.op)}.`,
      safeString(marker),
    );
  }
  if (SET_VARIABLES.has(variable)) {
    lhs = normalizeName(lhs);
    rhs = typeof rhs === 'string' ? normalizeName(rhs) : new Set([...rhs].map(normalizeName));
  }
  return evaluateOp(lhs, item.op, rhs, variable, marker);
}

/** packaging `_eval_op`. */
function evaluateOp(lhs: string, op: string, rhs: EnvValue, variable: string, marker: Marker): boolean {
  if (VERSION_VARIABLES.has(variable) && typeof rhs === 'string') {
    const specifier = specifierFor(op + rhs);
    if (specifier !== null) return specifier.contains(lhs, { prereleases: true });
  }
  switch (op) {
    case 'in':
      return typeof rhs === 'string' ? rhs.includes(lhs) : rhs.has(lhs);
    case 'not in':
      return typeof rhs === 'string' ? !rhs.includes(lhs) : !rhs.has(lhs);
    case '<=':
    case '==':
    case '>=':
      return lhs === rhs;
    case '!=':
      return lhs !== rhs;
    case '<':
    case '>':
      return false;
    default:
      throw new UndefinedComparison(
        `Undefined <Op(${pyRepr(op)})> on ${pyRepr(lhs)} and ${typeof rhs === 'string' ? pyRepr(rhs) : setRepr(rhs)}.`,
        safeString(marker),
      );
  }
}

function setRepr(set: ReadonlySet<string>): string {
  return set.size === 0 ? 'frozenset()' : `{${[...set].map(pyRepr).join(', ')}}`;
}

// Specifiers built from marker items, by text (`>=3.8`); null = not a valid specifier.
// Markers repeat a handful of comparisons, so a small cache saves re-parsing on every evaluation.
const specifierCache = new Map<string, Specifier | null>();
const SPECIFIER_CACHE_LIMIT = 4096;

function specifierFor(text: string): Specifier | null {
  const cached = specifierCache.get(text);
  if (cached !== undefined) return cached;
  let specifier: Specifier | null;
  try {
    specifier = Specifier.parse(text);
  } catch (e) {
    if (!(e instanceof InvalidSpecifier)) throw e;
    specifier = null;
  }
  if (specifierCache.size >= SPECIFIER_CACHE_LIMIT) specifierCache.clear();
  specifierCache.set(text, specifier);
  return specifier;
}
