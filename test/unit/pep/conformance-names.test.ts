import { describe, expect, it } from 'vitest';
import { isNormalizedName, isValidName, normalizeName } from '../../../src/pep/name';
import { loadConformance } from '../../fixtures/conformance';

interface NamesFile {
  oracle: string;
  names: { name: string; canonical: string }[];
}

describe('names.json conformance (PEP 503 normalization)', () => {
  const file = loadConformance<NamesFile>('names.json');

  it('normalizes every name as packaging canonicalize_name does', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of file.names) {
      checked += 1;
      const got = normalizeName(row.name);
      if (got !== row.canonical) mismatches.push(`${JSON.stringify(row.name)}: got ${JSON.stringify(got)}, want ${JSON.stringify(row.canonical)}`);
      // Normalizing is idempotent, and a valid name normalizes to a normalized name.
      if (normalizeName(got) !== got) mismatches.push(`${JSON.stringify(row.name)}: normalizing twice changed it`);
      if (isValidName(row.name) && !isNormalizedName(got)) {
        mismatches.push(`${JSON.stringify(row.name)}: valid, but ${JSON.stringify(got)} is not a normalized name`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.names.length);
    expect(checked).toBeGreaterThan(0);
  });
});
