/**
 * PEP 508 dependency specifiers: `name [extras] (specifier | @ url) ; marker`.
 *
 * Matches packaging 26 `requirements.py` on top of the shared recursive descent parser
 * (parser.ts): same accepted strings, same fields, same `str()`.
 * Ex) `requests [security,tests] >= 2.8.1, == 2.8.* ; python_version < "2.7"`
 *     -> `requests[security,tests]==2.8.*,>=2.8.1; python_version < "2.7"`.
 */
import { PepError } from './error';
import { Marker } from './marker';
import { normalizeName, type NormalizedName } from './name';
import { parseRequirement, type ParsedRequirement } from './parser';
import { SpecifierSet } from './specifier';
import { ParserSyntaxError } from './tokenizer';

/** The text is not a PEP 508 requirement (message, input and a caret line, in packaging's words). */
export class InvalidRequirement extends PepError<'invalid-requirement'> {
  override readonly name: string = 'InvalidRequirement';
  constructor(reason: string, input: string, span: { start: number; end?: number } | null = null) {
    super('invalid-requirement', reason, input, span);
  }
}

export class Requirement {
  /** The name as written. Ex) `Foo.Bar_baz`. */
  readonly name: string;
  /** PEP 503 form of `name`. Ex) `foo-bar-baz`. */
  readonly normalizedName: NormalizedName;
  /**
   * The extras as written, without duplicates, sorted: what packaging's `sorted(req.extras)`
   * gives and what `str()` prints. Ex) `a[test,DEV,test]` -> ["DEV", "test"].
   * Compare extras through {@link normalizedExtras} (PEP 685).
   */
  readonly extras: readonly string[];
  /** The extras normalized (PEP 685), without duplicates, sorted. Ex) ["dev", "test"]. */
  readonly normalizedExtras: readonly NormalizedName[];
  /** The version specifier; empty (matches any version) when none was given or a URL was. */
  readonly specifier: SpecifierSet;
  /** The direct reference after `@`, or null. */
  readonly url: string | null;
  readonly marker: Marker | null;

  private constructor(fields: {
    name: string;
    extras: readonly string[];
    specifier: SpecifierSet;
    url: string | null;
    marker: Marker | null;
  }) {
    this.name = fields.name;
    this.normalizedName = normalizeName(fields.name);
    this.extras = [...new Set(fields.extras)].sort();
    this.normalizedExtras = [...new Set(fields.extras.map(normalizeName))].sort();
    this.specifier = fields.specifier;
    this.url = fields.url;
    this.marker = fields.marker;
  }

  /**
   * Parse a PEP 508 requirement. Throws InvalidRequirement, e.g. for `plotly>=5.24.0<6`:
   * "Expected comma (within version specifier), semicolon (after version specifier) or end".
   */
  static parse(source: string): Requirement {
    let parsed: ParsedRequirement;
    try {
      parsed = parseRequirement(source);
    } catch (e) {
      if (e instanceof ParserSyntaxError) {
        throw new InvalidRequirement(e.reason, source, e.start === null ? null : { start: e.start, end: e.end ?? e.start + 1 });
      }
      throw e;
    }
    let specifier: SpecifierSet;
    try {
      specifier = SpecifierSet.parse(parsed.specifier);
    } catch (e) {
      // The SPECIFIER token is the specifier grammar, so this is rare (an unparsable version
      // inside a well-formed specifier); still a requirement we must reject.
      if (e instanceof PepError) throw new InvalidRequirement(e.reason, source);
      throw e;
    }
    return new Requirement({
      name: parsed.name,
      extras: parsed.extras,
      specifier,
      url: parsed.url || null,
      marker: parsed.marker === null ? null : Marker.fromTree(parsed.marker),
    });
  }

  /** Same project, extras (normalized), specifier, URL and marker (packaging 26.3 `__eq__`). */
  equals(other: Requirement): boolean {
    return (
      this.normalizedName === other.normalizedName &&
      this.normalizedExtras.join(',') === other.normalizedExtras.join(',') &&
      this.specifier.toString() === other.specifier.toString() &&
      this.url === other.url &&
      (this.marker?.toString() ?? null) === (other.marker?.toString() ?? null)
    );
  }

  /**
   * packaging's `str(Requirement)`: name, `[extras]`, specifier, ` @ url`, then `; marker`
   * (with a space before the `;` after a URL, which would otherwise swallow it).
   */
  toString(): string {
    let out = this.name;
    if (this.extras.length > 0) out += `[${this.extras.join(',')}]`;
    if (this.specifier.specifiers.length > 0) out += this.specifier.toString();
    if (this.url !== null) {
      out += ` @ ${this.url}`;
      if (this.marker !== null) out += ' ';
    }
    if (this.marker !== null) out += `; ${this.marker.toString()}`;
    return out;
  }
}
