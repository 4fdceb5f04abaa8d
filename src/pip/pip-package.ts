/**
 * pip as a package, as in a real venv: every environment holds `pip-25.3.dist-info` (and a small
 * `pip/` package saying what it is), so `pip list`, `pip show pip`, `importlib.metadata` and
 * `pip --version` agree about which pip is there. The pip that runs is Pipette's own, built into
 * the page; no wheel from an index can replace it, so `pip install` answers requests for pip
 * itself here, before anything is resolved: `pip install --upgrade pip` finds it already the
 * newest Pipette provides, and another version is refused with the reason.
 */
import type { InstalledDist, FileSystem } from '../install';
import { findInstalled, writeRecord, type RecordEntry } from '../install';
import { Requirement, Version } from '../pep';
import type { CommandRun } from './command';
import { ExitStatus } from './command';
import { PipError, PipErrorCode } from './pip-error';
import type { CollectedRequirements } from './requirements';
import { PIP_VERSION, PIPETTE_VERSION } from './version';

const encoder = new TextEncoder();

/** Whether `dist` is Pipette's own pip (the only pip an environment here can hold). */
export function isPipettePip(dist: Pick<InstalledDist, 'name'>): boolean {
  return dist.name === 'pip';
}

/** The files of Pipette's pip in a site-packages: path relative to it -> text. */
function pipFiles(): [string, string][] {
  const distInfo = `pip-${PIP_VERSION}.dist-info`;
  const about =
    `In Pipette, pip is Pipette's own implementation of pip ${PIP_VERSION}'s command line (Pipette ${PIPETTE_VERSION}),\n` +
    'built into the page: run it in the terminal (pip ..., python -m pip ...). This package\n' +
    'describes it; it cannot be upgraded or replaced from an index.\n';
  return [
    [
      'pip/__init__.py',
      `"""${about}"""\n\n__version__ = "${PIP_VERSION}"\n\n\ndef main(args=None):\n    raise SystemExit("pip runs in Pipette's terminal (pip ... or python -m pip ...), not from Python code.")\n`,
    ],
    ['pip/__main__.py', 'from pip import main\n\nif __name__ == "__main__":\n    main()\n'],
    [
      `${distInfo}/METADATA`,
      [
        'Metadata-Version: 2.1',
        'Name: pip',
        `Version: ${PIP_VERSION}`,
        'Summary: The PyPA recommended tool for installing Python packages.',
        'Home-page: https://pip.pypa.io/',
        'Author: The pip developers',
        'Author-email: distutils-sig@python.org',
        'License: MIT',
        'Requires-Python: >=3.9',
        '',
        about,
      ].join('\n'),
    ],
    [`${distInfo}/WHEEL`, `Wheel-Version: 1.0\nGenerator: pipette (${PIPETTE_VERSION})\nRoot-Is-Purelib: true\nTag: py3-none-any\n`],
    [`${distInfo}/INSTALLER`, 'pipette\n'],
    [`${distInfo}/entry_points.txt`, '[console_scripts]\npip = pip:main\npip3 = pip:main\n'],
  ];
}

/**
 * Writes Pipette's pip into `sitePackages` (the parts missing; `force` rewrites them all), with
 * a RECORD listing every file, so pip uninstalls it like any other distribution. The files are
 * Pipette's own text, so RECORD gives their sizes and no hashes (PEP 376 allows an empty hash).
 */
export function writePipPackage(fs: FileSystem, sitePackages: string, options: { force?: boolean } = {}): void {
  const distInfo = `pip-${PIP_VERSION}.dist-info`;
  const files = pipFiles();
  if (!options.force && files.every(([path]) => fs.exists(`${sitePackages}/${path}`)) && fs.exists(`${sitePackages}/${distInfo}/RECORD`)) return;
  const record: RecordEntry[] = [];
  for (const [path, text] of files) {
    const data = encoder.encode(text);
    const abs = `${sitePackages}/${path}`;
    fs.mkdirp(abs.slice(0, abs.lastIndexOf('/')));
    fs.writeFile(abs, data);
    record.push({ path, hash: '', size: data.length });
  }
  record.push({ path: `${distInfo}/RECORD`, hash: '', size: null });
  fs.writeFile(`${sitePackages}/${distInfo}/RECORD`, encoder.encode(writeRecord(record)));
}

/**
 * `pip install` and pip itself: the requirements for pip are answered here and taken out of
 * `collected` before anything is resolved. pip 25.3 satisfying the request: `Requirement
 * already satisfied` (the package put back first if it was uninstalled). Any other version is
 * refused with the reason: an error for the command line, a warning for a requirements file
 * (a `pip freeze --all` from elsewhere pins its own pip; the rest of the file still installs).
 * Pipette's pip installed also becomes a constraint (`pip==25.3`) for what is resolved.
 * Returns the exit status when nothing else is left to install, else null.
 */
export function answerPipRequirements(run: CommandRun, collected: CollectedRequirements, sitePackages: string): number | null {
  const { ctx, log } = run;
  // A package that depends on pip (pip-tools: pip>=22.2) is satisfied by this one, never by a wheel replacing it.
  if (ctx.fs.exists(`${sitePackages}/pip-${PIP_VERSION}.dist-info/METADATA`) && !collected.constraints.some((c) => c.requirement.normalizedName === 'pip')) {
    const display = `pip==${PIP_VERSION}`;
    collected.constraints.push({ requirement: Requirement.parse(display), display, comesFrom: "Pipette's built-in pip", hashes: [], localPath: null, link: null });
  }
  const mine = collected.requirements.filter((r) => r.requirement.normalizedName === 'pip');
  if (mine.length === 0) return null;
  const version = Version.parse(PIP_VERSION);
  const builtIn = `the pip in this terminal is built into the page (Pipette's pip ${PIP_VERSION}), and no other pip can replace it here`;
  const satisfied = mine.filter((r) => {
    if (r.requirement.url === null && r.requirement.specifier.contains(version, { prereleases: true })) return true;
    if (r.comesFrom === null) throw new PipError(PipErrorCode.Installation, `Cannot install ${r.display}: ${builtIn}. Every other package installs as usual; to use another pip, run it on your own computer.`);
    log.warning(`Skipping ${r.display} (from ${r.comesFrom}): ${builtIn}.`);
    return false;
  });
  if (satisfied.length > 0) {
    const dryRun = run.options.flag('dryRun');
    if (!findInstalled(ctx.fs, sitePackages, 'pip') || run.options.flag('forceReinstall')) {
      // Uninstalled earlier (or --force-reinstall): Pipette's pip is written back, as pip would reinstall itself.
      if (!dryRun) writePipPackage(ctx.fs, sitePackages, { force: true });
      log.info(`${dryRun ? 'Would install' : 'Successfully installed'} pip-${PIP_VERSION}`);
    } else {
      for (const r of satisfied) log.info(`Requirement already satisfied: ${r.display} in ${sitePackages}${r.comesFrom ? ` (from ${r.comesFrom})` : ''} (${PIP_VERSION})`);
      if (run.options.flag('upgrade')) log.info(`pip ${PIP_VERSION} is the newest pip Pipette provides: pip is built into this page, so there is nothing to upgrade.`);
    }
  }
  const others = collected.requirements.filter((r) => r.requirement.normalizedName !== 'pip');
  collected.requirements.length = 0;
  for (const r of others) collected.requirements.push(r);
  return collected.requirements.length === 0 ? ExitStatus.Success : null;
}
