/**
 * Project and extra names: PEP 503 normalization and the PEP 508 / core metadata name rule.
 *
 * Matches packaging `utils.py` `canonicalize_name` and `_validate_regex`.
 */

/**
 * A name that has been through {@link normalizeName}; the brand lets the type checker insist on
 * it where names are compared or used as keys (packaging `utils.py` `NormalizedName` NewType).
 */
export type NormalizedName = string & { readonly __brand: 'NormalizedName' };

/**
 * PEP 503 normalization: lowercase, and every run of `-`, `_`, `.` becomes one `-`.
 * Ex) `Oslo.Concurrency` -> `oslo-concurrency`, `foo__-bar` -> `foo-bar`.
 *
 * It does not validate (packaging's `canonicalize_name(name)` without `validate`), so any
 * string normalizes; use {@link isValidName} to check the name rule.
 */
export function normalizeName(name: string): NormalizedName {
  return name.toLowerCase().replace(/[-_.]+/g, '-') as NormalizedName;
}

// PEP 508 "Names": starts and ends with an ASCII letter or digit; `.`, `_`, `-` inside.
const VALID_NAME = /^(?:[a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9])$/i;

/** True when `name` follows the PEP 508 name rule. Ex) `zope.interface` yes, `-foo` no. */
export function isValidName(name: string): boolean {
  return VALID_NAME.test(name);
}

// packaging `utils.py` `_normalized_regex`: what normalizeName can return for a valid name.
const NORMALIZED_NAME = /^(?:[a-z0-9]|[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9])$/;

/** True when `name` is valid and already normalized (packaging `is_normalized_name`). */
export function isNormalizedName(name: string): boolean {
  return NORMALIZED_NAME.test(name);
}
