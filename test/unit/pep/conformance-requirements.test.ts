import { describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { Requirement } from '../../../src/pep/requirement';
import { loadConformance } from '../../fixtures/conformance';

interface RequirementsFile {
  oracle: string;
  requirements: {
    requirement: string;
    name: string;
    canonical_name: string;
    extras: string[];
    specifier: string;
    url: string | null;
    marker: string | null;
  }[];
  invalid: string[];
}

describe('requirements.json conformance (PEP 508, packaging 26)', () => {
  const file = loadConformance<RequirementsFile>('requirements.json');

  it('parses every requirement into packaging\'s fields', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of file.requirements) {
      checked += 1;
      const label = JSON.stringify(row.requirement);
      let req: Requirement;
      try {
        req = Requirement.parse(row.requirement);
      } catch (e) {
        mismatches.push(`${label}: rejected: ${(e as Error).message}`);
        continue;
      }
      const got = {
        name: req.name,
        canonical_name: req.normalizedName,
        extras: [...req.extras],
        specifier: req.specifier.toString(),
        url: req.url,
        marker: req.marker === null ? null : req.marker.toString(),
      };
      const want = {
        name: row.name,
        canonical_name: row.canonical_name,
        extras: row.extras,
        specifier: row.specifier,
        url: row.url,
        marker: row.marker,
      };
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        mismatches.push(`${label}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
      }
      const normalizedExtras = [...new Set(row.extras.map(normalizeName))].sort();
      if (JSON.stringify(req.normalizedExtras) !== JSON.stringify(normalizedExtras)) {
        mismatches.push(`${label}: normalizedExtras ${JSON.stringify(req.normalizedExtras)}`);
      }
      // str() round-trips: printing and parsing again gives the same requirement and text.
      const printed = req.toString();
      try {
        const again = Requirement.parse(printed);
        if (again.toString() !== printed || !again.equals(req)) {
          mismatches.push(`${label}: ${JSON.stringify(printed)} reprinted as ${JSON.stringify(again.toString())}`);
        }
      } catch (e) {
        mismatches.push(`${label}: printed form ${JSON.stringify(printed)} rejected: ${(e as Error).message}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.requirements.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('rejects every invalid requirement with InvalidRequirement', () => {
    const accepted: string[] = [];
    let checked = 0;
    for (const text of file.invalid) {
      checked += 1;
      try {
        const req = Requirement.parse(text);
        accepted.push(`${JSON.stringify(text)} was accepted as ${JSON.stringify(req.toString())}`);
      } catch (e) {
        if ((e as Error).name !== 'InvalidRequirement') {
          accepted.push(`${JSON.stringify(text)}: threw ${(e as Error).name}: ${(e as Error).message}`);
        }
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBe(file.invalid.length);
    expect(checked).toBeGreaterThan(0);
  });
});
