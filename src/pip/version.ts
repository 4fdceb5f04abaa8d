/**
 * Which pip Pipette speaks: the command surface, messages and report format of pip 25.3,
 * implemented by Pipette (so `pip --version` names both).
 */
export const PIP_VERSION = '25.3';
export const PIPETTE_VERSION = '0.1.0';

/** `pip 25.3 (pipette 0.1.0) from /lib/python3.14/site-packages/pip (python 3.14)`. */
export function versionLine(sitePackages: string, pythonVersion: string): string {
  const [major, minor] = pythonVersion.split('.');
  return `pip ${PIP_VERSION} (pipette ${PIPETTE_VERSION}) from ${sitePackages}/pip (python ${major}.${minor})`;
}
