/**
 * Which pip Pipette speaks: the command surface, messages and report format of pip 25.3,
 * implemented by Pipette (so `pip --version` names both).
 *
 * The version decides behaviour, not only a string. pip 25.3 vendors packaging 25.0 and
 * resolvelib 1.2.1 (pip `src/pip/_vendor/vendor.txt` at 25.3), so Pipette follows them:
 * - pre-releases as packaging 25.0 filters them (src/resolver/prerelease.ts): a specifier that
 *   names a pre-release (`>=2.0b1`, and since packaging 24.2 also `<2.0b1`, `>2.0b1`) turns them
 *   on for the project; any other non-empty specifier keeps final releases only, even when only
 *   pre-releases are in range (`pkg>1.0` with `1.0, 2.0rc1` finds nothing: pip 26.0, with
 *   packaging 26, takes 2.0rc1); a bare `pkg` with no final release at all takes its
 *   pre-releases;
 * - resolution gives up after 200,000 rounds (`ResolutionTooDeepError`).
 * Moving to pip 26 means packaging 26's pre-release rules (which the conformance vectors in
 * ../shared/conformance already follow for `SpecifierSet.filter`), `--all-releases` and
 * `--only-final`, and `--uploaded-prior-to`.
 */
export const PIP_VERSION = '25.3';
export const PIPETTE_VERSION = '0.1.0';

/** `pip 25.3 (pipette 0.1.0) from /lib/python3.14/site-packages/pip (python 3.14)`. */
export function versionLine(sitePackages: string, pythonVersion: string): string {
  const [major, minor] = pythonVersion.split('.');
  return `pip ${PIP_VERSION} (pipette ${PIPETTE_VERSION}) from ${sitePackages}/pip (python ${major}.${minor})`;
}
