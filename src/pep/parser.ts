/**
 * Recursive descent parser for PEP 508 dependency specifiers and marker expressions
 * (private to src/pep: requirement.ts and marker.ts are its public faces).
 *
 * A transcription of packaging `_parser.py` (26.x): same grammar, same token order, same error
 * messages and spans, so what packaging rejects is rejected here with the same words. Each
 * `parseX()` states the rule it implements. The marker tree keeps packaging's shape (a list of
 * atoms separated by "and"/"or", parentheses as nested lists) because `str(Marker)` depends on
 * it: `((a or b))` prints as `(a or b)`, `(a)` as `a`.
 */
import { evalPythonString } from './python-literal';
import { ParserSyntaxError, Tokenizer } from './tokenizer';

/** A marker variable, after packaging's aliasing (`os.name` -> `os_name`). */
export interface MarkerVariable {
  readonly kind: 'variable';
  readonly value: string;
}

/** A quoted string's value (escapes expanded). */
export interface MarkerValue {
  readonly kind: 'value';
  readonly value: string;
}

export type MarkerVar = MarkerVariable | MarkerValue;

/** `marker_var marker_op marker_var`, e.g. `python_version >= "3.8"`. */
export interface MarkerItem {
  readonly kind: 'item';
  readonly lhs: MarkerVar;
  readonly op: string;
  readonly rhs: MarkerVar;
}

export type BoolOp = 'and' | 'or';

/** packaging's MarkerList: atoms separated by "and"/"or"; a nested list is a parenthesised group. */
export type MarkerList = readonly MarkerNode[];
export type MarkerNode = MarkerItem | MarkerList | BoolOp;

export interface ParsedRequirement {
  readonly name: string;
  readonly url: string;
  readonly extras: readonly string[];
  readonly specifier: string;
  readonly marker: MarkerList | null;
}

// ---------------------------------------------------------------------------------------------
// Dependency specifier
// ---------------------------------------------------------------------------------------------

/** Parse a whole PEP 508 requirement; throws ParserSyntaxError. */
export function parseRequirement(source: string): ParsedRequirement {
  return parseRequirementRule(new Tokenizer(source));
}

/** requirement = WS? IDENTIFIER WS? extras WS? requirement_details */
function parseRequirementRule(tokenizer: Tokenizer): ParsedRequirement {
  tokenizer.consume('WS');
  const name = tokenizer.expect('IDENTIFIER', 'package name at the start of dependency specifier').text;
  tokenizer.consume('WS');
  const extras = parseExtras(tokenizer);
  tokenizer.consume('WS');
  const { url, specifier, marker } = parseRequirementDetails(tokenizer);
  tokenizer.expect('END', 'end of dependency specifier');
  return { name, url, extras, specifier, marker };
}

/**
 * requirement_details = AT URL (WS requirement_marker?)?
 *                     | specifier WS? (requirement_marker)?
 *
 * The URL runs to the next space or tab, so `name @ http://x;marker` keeps `;marker` in the URL:
 * a marker after a URL needs whitespace before its semicolon.
 */
function parseRequirementDetails(tokenizer: Tokenizer): {
  url: string;
  specifier: string;
  marker: MarkerList | null;
} {
  if (tokenizer.check('AT')) {
    tokenizer.read();
    tokenizer.consume('WS');
    const urlStart = tokenizer.position;
    const url = tokenizer.expect('URL', 'URL after @').text;
    if (tokenizer.check('END', true)) return { url, specifier: '', marker: null };
    tokenizer.expect('WS', 'whitespace after URL');
    // The input might end after whitespace.
    if (tokenizer.check('END', true)) return { url, specifier: '', marker: null };
    const marker = parseRequirementMarker(tokenizer, urlStart, 'semicolon (after URL and whitespace)');
    return { url, specifier: '', marker };
  }

  const specifierStart = tokenizer.position;
  const specifier = parseSpecifier(tokenizer);
  tokenizer.consume('WS');
  if (tokenizer.check('END', true)) return { url: '', specifier, marker: null };
  const marker = parseRequirementMarker(
    tokenizer,
    specifierStart,
    specifier
      ? 'comma (within version specifier), semicolon (after version specifier)'
      : 'semicolon (after name with no version specifier)',
  );
  return { url: '', specifier, marker };
}

/** requirement_marker = SEMICOLON marker WS? */
function parseRequirementMarker(tokenizer: Tokenizer, spanStart: number, expected: string): MarkerList {
  if (!tokenizer.check('SEMICOLON')) {
    tokenizer.raiseSyntaxError(`Expected ${expected} or end`, spanStart);
  }
  tokenizer.read();
  const marker = parseMarkerRule(tokenizer);
  tokenizer.consume('WS');
  return marker;
}

/** extras = (LEFT_BRACKET wsp* extras_list? wsp* RIGHT_BRACKET)? */
function parseExtras(tokenizer: Tokenizer): string[] {
  if (!tokenizer.check('LEFT_BRACKET', true)) return [];
  return tokenizer.enclosingTokens('LEFT_BRACKET', 'RIGHT_BRACKET', 'extras', () => {
    tokenizer.consume('WS');
    const extras = parseExtrasList(tokenizer);
    tokenizer.consume('WS');
    return extras;
  });
}

/** extras_list = identifier (wsp* ',' wsp* identifier)* */
function parseExtrasList(tokenizer: Tokenizer): string[] {
  const extras: string[] = [];
  if (!tokenizer.check('IDENTIFIER')) return extras;
  extras.push(tokenizer.read().text);
  for (;;) {
    tokenizer.consume('WS');
    if (tokenizer.check('IDENTIFIER', true)) {
      tokenizer.raiseSyntaxError('Expected comma between extra names');
    } else if (!tokenizer.check('COMMA')) {
      break;
    }
    tokenizer.read();
    tokenizer.consume('WS');
    extras.push(tokenizer.expect('IDENTIFIER', 'extra name after comma').text);
  }
  return extras;
}

/**
 * specifier = LEFT_PARENTHESIS WS? version_many WS? RIGHT_PARENTHESIS
 *           | WS? version_many WS?
 */
function parseSpecifier(tokenizer: Tokenizer): string {
  return tokenizer.enclosingTokens('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'version specifier', () => {
    tokenizer.consume('WS');
    const specifiers = parseVersionMany(tokenizer);
    tokenizer.consume('WS');
    return specifiers;
  });
}

/**
 * version_many = (SPECIFIER (WS? COMMA WS? SPECIFIER)*)?
 *
 * Returns the specifiers' text joined by commas (a trailing comma is kept, as packaging does;
 * SpecifierSet ignores it). A `.*` or `+local` the SPECIFIER token could not take gets a
 * targeted message.
 */
function parseVersionMany(tokenizer: Tokenizer): string {
  let specifiers = '';
  while (tokenizer.check('SPECIFIER')) {
    const spanStart = tokenizer.position;
    const specifier = tokenizer.read().text;
    specifiers += specifier;
    if (tokenizer.check('VERSION_PREFIX_TRAIL', true)) {
      const equality = specifier.startsWith('!=') || (specifier.startsWith('==') && !specifier.startsWith('==='));
      tokenizer.raiseSyntaxError(
        equality
          ? '.* suffix cannot be used with pre-release, post-release, dev or local versions'
          : '.* suffix can only be used with `==` or `!=` operators',
        spanStart,
        tokenizer.position + 1,
      );
    }
    if (tokenizer.check('VERSION_LOCAL_LABEL_TRAIL', true)) {
      tokenizer.raiseSyntaxError(
        'Local version label can only be used with `==` or `!=` operators',
        spanStart,
        tokenizer.position,
      );
    }
    tokenizer.consume('WS');
    if (!tokenizer.check('COMMA')) break;
    specifiers += tokenizer.read().text;
    tokenizer.consume('WS');
  }
  return specifiers;
}

// ---------------------------------------------------------------------------------------------
// Marker expression
// ---------------------------------------------------------------------------------------------

/** Parse a whole marker expression; throws ParserSyntaxError. */
export function parseMarker(source: string): MarkerList {
  const tokenizer = new Tokenizer(source);
  const marker = parseMarkerRule(tokenizer);
  tokenizer.expect('END', 'end of marker expression');
  return marker;
}

/**
 * marker = marker_atom (BOOLOP marker_atom)*
 *
 * Flat: `a and b or c` is `[a, "and", b, "or", c]`; precedence ("and" binds tighter) is applied
 * when evaluating, as packaging does.
 */
function parseMarkerRule(tokenizer: Tokenizer, depth = 0): MarkerList {
  const expression: MarkerNode[] = [parseMarkerAtom(tokenizer, depth)];
  while (tokenizer.check('BOOLOP')) {
    const op = tokenizer.read().text as BoolOp;
    expression.push(op, parseMarkerAtom(tokenizer, depth));
  }
  return expression;
}

/**
 * How many parentheses a marker may nest. The grammar sets no bound, but every level costs
 * stack here and when the marker is evaluated or printed: a hostile `((((...` thousands deep
 * would end in a stack overflow instead of a message. Real markers nest two or three deep.
 */
const MAX_MARKER_NESTING = 100;

/**
 * marker_atom = WS? LEFT_PARENTHESIS WS? marker WS? RIGHT_PARENTHESIS WS?
 *             | WS? marker_item WS?
 */
function parseMarkerAtom(tokenizer: Tokenizer, depth: number): MarkerItem | MarkerList {
  tokenizer.consume('WS');
  let marker: MarkerItem | MarkerList;
  if (tokenizer.check('LEFT_PARENTHESIS', true)) {
    if (depth >= MAX_MARKER_NESTING) tokenizer.raiseSyntaxError(`Marker expression nested more than ${MAX_MARKER_NESTING} parentheses deep`);
    marker = tokenizer.enclosingTokens('LEFT_PARENTHESIS', 'RIGHT_PARENTHESIS', 'marker expression', () => {
      tokenizer.consume('WS');
      const inner = parseMarkerRule(tokenizer, depth + 1);
      tokenizer.consume('WS');
      return inner;
    });
  } else {
    marker = parseMarkerItem(tokenizer);
  }
  tokenizer.consume('WS');
  return marker;
}

/** marker_item = WS? marker_var WS? marker_op WS? marker_var WS? */
function parseMarkerItem(tokenizer: Tokenizer): MarkerItem {
  tokenizer.consume('WS');
  const lhs = parseMarkerVar(tokenizer);
  tokenizer.consume('WS');
  const op = parseMarkerOp(tokenizer);
  tokenizer.consume('WS');
  const rhs = parseMarkerVar(tokenizer);
  tokenizer.consume('WS');
  return { kind: 'item', lhs, op, rhs };
}

/**
 * marker_var = VARIABLE | QUOTED_STRING
 *
 * Legacy spellings are folded: `os.name` -> `os_name`, `sys.platform` -> `sys_platform`,
 * `platform.version` -> `platform_version`, `python_implementation` and
 * `platform.python_implementation` -> `platform_python_implementation`.
 */
function parseMarkerVar(tokenizer: Tokenizer): MarkerVar {
  if (tokenizer.check('VARIABLE')) {
    const name = tokenizer.read().text.replace('.', '_');
    const value = name === 'python_implementation' ? 'platform_python_implementation' : name;
    return { kind: 'variable', value };
  }
  if (tokenizer.check('QUOTED_STRING')) {
    const token = tokenizer.read();
    const result = evalPythonString(token.text);
    if (!result.ok) {
      throw new ParserSyntaxError(
        'Invalid quoted string',
        tokenizer.source,
        token.position,
        token.position + token.text.length + 1,
      );
    }
    return { kind: 'value', value: result.value };
  }
  return tokenizer.raiseSyntaxError('Expected a marker variable or quoted string');
}

/** marker_op = IN | NOT IN | OP */
function parseMarkerOp(tokenizer: Tokenizer): string {
  if (tokenizer.check('IN')) {
    tokenizer.read();
    return 'in';
  }
  if (tokenizer.check('NOT')) {
    tokenizer.read();
    tokenizer.expect('WS', "whitespace after 'not'");
    tokenizer.expect('IN', "'in' after 'not'");
    return 'not in';
  }
  if (tokenizer.check('OP')) return tokenizer.read().text;
  return tokenizer.raiseSyntaxError(
    'Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in',
  );
}
