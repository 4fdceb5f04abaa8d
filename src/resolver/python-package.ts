/**
 * The packages the Python provider hands to PubGrub, as plain strings so they key Maps:
 *   - a project, by its PEP 503 normalized name: `requests`;
 *   - an extra as a virtual package `requests[socks]`, pinned to the same version as
 *     `requests` (it depends on `requests==v` and on the dependencies the extra adds), as uv
 *     does (`PubGrubPackageInner::Extra`);
 *   - `Python`, the interpreter, whose only version is the target's: Requires-Python becomes a
 *     dependency on it, so a failure reads "the current Python version (3.14.2) does not
 *     satisfy Python>=3.15";
 *   - the root, the person's requirements (`<root>`, never printed as such).
 * Normalized names are lower case and never contain `[` or `<`, so the forms cannot collide.
 */
import { normalizeName, type NormalizedName } from '../pep';

export type PythonPackage = string;

export const ROOT_PACKAGE: PythonPackage = '<root>';
export const PYTHON_PACKAGE: PythonPackage = 'Python';

export function extraPackage(name: NormalizedName, extra: NormalizedName): PythonPackage {
  return `${name}[${extra}]`;
}

/** What a package id stands for. */
export type PackageKind =
  | { readonly kind: 'root' }
  | { readonly kind: 'python' }
  | { readonly kind: 'project'; readonly name: NormalizedName }
  | { readonly kind: 'extra'; readonly name: NormalizedName; readonly extra: NormalizedName };

export function packageKind(p: PythonPackage): PackageKind {
  if (p === ROOT_PACKAGE) return { kind: 'root' };
  if (p === PYTHON_PACKAGE) return { kind: 'python' };
  const open = p.indexOf('[');
  if (open < 0) return { kind: 'project', name: p as NormalizedName };
  return { kind: 'extra', name: p.slice(0, open) as NormalizedName, extra: normalizeName(p.slice(open + 1, -1)) };
}

/** The project a package belongs to (the base of an extra), or null for root and Python. */
export function projectOf(p: PythonPackage): NormalizedName | null {
  const k = packageKind(p);
  return k.kind === 'project' || k.kind === 'extra' ? k.name : null;
}
