/**
 * The dependencies of one version as the solver gets them: one range per package, same-package
 * requirements intersected, sorted by package so that listing order never changes the result.
 */
import type { VersionRange } from '../pep';
import type { PythonPackage } from './python-package';

/** Same packages with equal ranges. */
export function sameDependencies(
  a: ReadonlyArray<readonly [PythonPackage, VersionRange]>,
  b: ReadonlyArray<readonly [PythonPackage, VersionRange]>,
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as readonly [PythonPackage, VersionRange];
    const y = b[i] as readonly [PythonPackage, VersionRange];
    if (x[0] !== y[0] || !x[1].equals(y[1])) return false;
  }
  return true;
}

/** Requirements of one package, same-package ranges intersected, sorted by package for determinism. */
export class DependencyList {
  // Parallel arrays, not a Map: one is built per version whose metadata is read, usually
  // with a handful of entries, where a scan is cheaper than a hash table.
  private packages: PythonPackage[] = [];
  private ranges: VersionRange[] = [];

  add(p: PythonPackage, range: VersionRange): void {
    if (this.packages.length === 0) {
      // Literals hold exactly one entry; a push would make room for 17.
      this.packages = [p];
      this.ranges = [range];
      return;
    }
    const at = this.packages.indexOf(p);
    if (at < 0) {
      this.packages.push(p);
      this.ranges.push(range);
    } else {
      this.ranges[at] = (this.ranges[at] as VersionRange).intersection(range);
    }
  }

  sorted(): Array<readonly [PythonPackage, VersionRange]> {
    // Sized up front: the result lives as long as the resolution (a pushed-to array keeps
    // room for 17 entries).
    const n = this.packages.length;
    const out = new Array<readonly [PythonPackage, VersionRange]>(n);
    for (let i = 0; i < n; i++) out[i] = [this.packages[i] as PythonPackage, this.ranges[i] as VersionRange];
    return n < 2 ? out : out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
