/** pip's FormatControl: `--no-binary` / `--only-binary` with names, `:all:`, `:none:`, later wins. */
import { expect, test } from 'vitest';
import { normalizeName } from '../../../src/pep';
import { FormatControl } from '../../../src/pip/format-control';

const allowed = (noBinary: string[], onlyBinary: string[], name: string) => FormatControl.from(noBinary, onlyBinary).allowed(normalizeName(name));

test('defaults: wheels and sdists', () => {
  expect(allowed([], [], 'x')).toEqual({ wheels: true, sdists: true });
});

test(':all:, names, :none:, and a name overriding :all:', () => {
  expect(allowed([':all:'], [], 'x')).toEqual({ wheels: false, sdists: true });
  expect(allowed([], [':all:'], 'x')).toEqual({ wheels: true, sdists: false });
  expect(allowed([':all:'], ['Six'], 'six')).toEqual({ wheels: true, sdists: false });
  expect(allowed([':all:'], ['Six'], 'other')).toEqual({ wheels: false, sdists: true });
  expect(allowed(['a,b'], [], 'b')).toEqual({ wheels: false, sdists: true });
  expect(allowed([':all:,:none:,a'], [], 'b')).toEqual({ wheels: true, sdists: true });
  expect(allowed([':all:,:none:,a'], [], 'a')).toEqual({ wheels: false, sdists: true });
  // --only-binary :all: clears --no-binary (pip's handle_mutual_excludes).
  expect(allowed(['a'], [':all:'], 'a')).toEqual({ wheels: true, sdists: false });
});

test('a value that looks like an option is refused as pip refuses it', () => {
  expect(() => FormatControl.from(['--pre'], [])).toThrow('--no-binary / --only-binary option requires 1 argument.');
});
