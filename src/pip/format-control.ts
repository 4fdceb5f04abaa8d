/**
 * pip's `FormatControl` (pip `models/format_control.py`): which kinds of files each project may
 * be installed from, from `--no-binary` and `--only-binary` (comma-separated names, `:all:`,
 * `:none:`), the later option winning for a name, as pip's `handle_mutual_excludes`.
 * Ex) `--no-binary :all: --only-binary six` -> six from wheels only, everything else from sdists.
 */
import { formatControl, type NormalizedName } from '../pep';
import { PipError, PipErrorCode } from './pip-error';

export interface AllowedFormats {
  readonly wheels: boolean;
  readonly sdists: boolean;
}

export class FormatControl {
  readonly noBinary = new Set<string>();
  readonly onlyBinary = new Set<string>();

  /** `--no-binary` values, then `--only-binary` values (each in the order given). */
  static from(noBinary: readonly string[], onlyBinary: readonly string[]): FormatControl {
    const control = new FormatControl();
    for (const value of noBinary) control.add(value, control.noBinary, control.onlyBinary);
    for (const value of onlyBinary) control.add(value, control.onlyBinary, control.noBinary);
    return control;
  }

  /** pip's `get_allowed_formats`. */
  allowed(name: NormalizedName): AllowedFormats {
    if (this.onlyBinary.has(name)) return { wheels: true, sdists: false };
    if (this.noBinary.has(name)) return { wheels: false, sdists: true };
    if (this.onlyBinary.has(':all:')) return { wheels: true, sdists: false };
    if (this.noBinary.has(':all:')) return { wheels: false, sdists: true };
    return { wheels: true, sdists: true };
  }

  /** pip's `handle_mutual_excludes` (the same rule requirements files' options follow). */
  private add(value: string, target: Set<string>, other: Set<string>): void {
    if (value.startsWith('-')) throw new PipError(PipErrorCode.Command, '--no-binary / --only-binary option requires 1 argument.');
    formatControl(value, target, other);
  }
}
