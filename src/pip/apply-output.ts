/**
 * pip's words for an install plan as src/install applies it (pip `commands/install.py`,
 * `req/req_install.py`, `req/req_uninstall.py`):
 *
 *   Installing collected packages: tinyjson, greeter
 *     Attempting uninstall: tinyjson
 *       Found existing installation: tinyjson 0.4.0
 *       Uninstalling tinyjson-0.4.0:
 *         Successfully uninstalled tinyjson-0.4.0
 *   Successfully installed greeter-2.0.0 tinyjson-0.3.0
 *
 * and `pip uninstall -y`'s lines for a distribution removed on its own (pip sync's extraneous).
 * RECORD lines left alone because they point outside the environment are named as pip named
 * them ("Not removing or modifying (outside of prefix):"), as a warning: a person should see
 * that a distribution claimed files that were not its to remove.
 */
import type { ApplyEvent, InstalledDist, LockRecord, UninstallResult } from '../install';
import type { PipLogger } from './logger';

/** The version as METADATA spells it (pip's `raw_version`). */
export function rawVersion(dist: InstalledDist): string {
  return dist.metadata.fields.get('version')?.[0] ?? dist.metadata.version.toString();
}

/** pip's listing of what an uninstall kept because it lies outside the environment. */
export function warnKept(log: PipLogger, result: Pick<UninstallResult, 'kept'>): void {
  if (result.kept.length === 0) return;
  log.warning(`Not removing or modifying (outside of prefix):\n${[...result.kept].sort().join('\n')}`);
}

export interface ApplyOutputOptions {
  /** Printed before the first record is installed: `Installing collected packages: a, b`. */
  readonly header?: string | null;
  /** The name as the requirement spelled it (pip's `req.name`); the record's name by default. */
  readonly displayName?: (record: LockRecord) => string;
}

/**
 * A reporter printing pip's lines for `applyPlan`. Distributions removed on their own come
 * first, at the left margin as `pip uninstall` prints them; then the header, and under it,
 * indented, what each install replaces.
 */
export function applyReporter(log: PipLogger, options: ApplyOutputOptions = {}): (event: ApplyEvent) => void {
  const displayName = options.displayName ?? ((r: LockRecord) => r.name);
  let started = false;
  return (event) => {
    if (event.kind === 'installing') {
      if (!started && options.header) log.info(options.header);
      started = true;
      return;
    }
    if (event.kind !== 'uninstalling' && event.kind !== 'uninstalled') return;
    const nameVersion = `${event.dist.metadata.name}-${rawVersion(event.dist)}`;
    const before = (): void => {
      log.info(`Found existing installation: ${event.dist.metadata.name} ${rawVersion(event.dist)}`);
      log.info(`Uninstalling ${nameVersion}:`);
    };
    const after = (result: Pick<UninstallResult, 'kept'>): void => {
      warnKept(log, result);
      log.info(`Successfully uninstalled ${nameVersion}`);
    };
    if (event.replacedBy === null) {
      // `pip uninstall -y` for a distribution the lock does not name.
      if (event.kind === 'uninstalling') before();
      else log.indentSync(() => after(event.result));
      return;
    }
    const replacedBy = event.replacedBy;
    log.indentSync(() => {
      if (event.kind === 'uninstalling') {
        log.info(`Attempting uninstall: ${displayName(replacedBy)}`);
        log.indentSync(before);
      } else log.indentSync(() => after(event.result), 4);
    });
  };
}

/** `Successfully installed a-1.0 b-2.0`, sorted by name as pip sorts them. */
export function summaryLine(items: readonly (readonly [string, string])[]): string {
  const sorted = [...items].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return `Successfully installed ${sorted.map(([name, version]) => `${name}-${version}`).join(' ')}`;
}
