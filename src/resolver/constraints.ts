/**
 * Constraints (`-c`, pip's "constraints files"): they limit the versions of a project that
 * ends up installed and never add one. Each becomes a fact known before solving, "the versions
 * outside the constraint are unavailable" (an incompatibility with the single positive term
 * `foo ∉ C`), which only bites once something requires foo.
 */
import type { MarkerEnvironment, NormalizedName, VersionRange, Requirement } from '../pep';
import type { PythonPackage } from './python-package';
import type { UnavailableReason } from './unavailable';

/** The constraint facts of `constraints` whose markers hold in `environment`, by project. */
export function constraintFacts(
  constraints: readonly Requirement[],
  environment: MarkerEnvironment,
): Array<{ package: PythonPackage; set: VersionRange; reason: UnavailableReason }> {
  const byName = new Map<NormalizedName, { range: VersionRange; text: string[] }>();
  for (const c of constraints) {
    if (c.marker !== null && !holds(c, environment)) continue;
    if (c.specifier.specifiers.length === 0) continue;
    const known = byName.get(c.normalizedName);
    byName.set(c.normalizedName, {
      range: known ? known.range.intersection(c.specifier.range) : c.specifier.range,
      text: [...(known?.text ?? []), `${c.name}${c.specifier.toString()}`],
    });
  }
  return [...byName]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, { range, text }]) => ({
      package: name,
      set: range.complement(),
      reason: { kind: 'constraint', constraint: text.join(' and ') },
    }));
}

function holds(req: Requirement, env: MarkerEnvironment): boolean {
  try {
    return req.marker === null || req.marker.evaluate(env, '');
  } catch {
    return false;
  }
}
