/**
 * The dependencies of one version as the solver gets them: one range per package, same-package
 * requirements intersected, sorted by package so that listing order never changes the result.
 */
import type { VersionRange } from '../pep/range';
import type { PythonPackage } from './python-package';

/** Same packages with equal ranges. */
export function sameDependencies(
  a: ReadonlyArray<readonly [PythonPackage, VersionRange]>,
  b: ReadonlyArray<readonly [PythonPackage, VersionRange]>,
): boolean {
  return a.length === b.length && a.every(([p, r], i) => b[i]?.[0] === p && r.equals((b[i] as readonly [PythonPackage, VersionRange])[1]));
}

/** Requirements of one package, same-package ranges intersected, sorted by package for determinism. */
export class DependencyList {
  private readonly map = new Map<PythonPackage, VersionRange>();

  add(p: PythonPackage, range: VersionRange): void {
    const known = this.map.get(p);
    this.map.set(p, known ? known.intersection(range) : range);
  }

  sorted(): Array<readonly [PythonPackage, VersionRange]> {
    return [...this.map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
