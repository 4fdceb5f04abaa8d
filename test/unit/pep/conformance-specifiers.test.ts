import { describe, expect, it } from 'vitest';
import { InvalidSpecifier, SpecifierSet } from '../../../src/pep/specifier';
import { VersionRange } from '../../../src/pep/range';
import { Version } from '../../../src/pep/version';
import { loadConformance } from '../../fixtures/conformance';

interface SpecifierRow {
  spec: string;
  normalized: string;
  contains_pre: string;
  contains_final: string;
  filter: string;
}

interface SpecifiersFile {
  oracle: string;
  bank: string[];
  specifiers: SpecifierRow[];
  invalid: string[];
}

const show = (x: unknown): string => JSON.stringify(x);

/** The bank entries where two bit strings differ, for a readable failure. */
function diff(bank: readonly string[], got: string, want: string): string {
  const where: string[] = [];
  for (let i = 0; i < Math.max(got.length, want.length); i++) {
    if (got[i] !== want[i]) where.push(`${bank[i]} (got ${got[i]}, want ${want[i]})`);
  }
  return where.join(', ');
}

describe('specifiers.json conformance (PEP 440 specifiers, packaging)', () => {
  const file = loadConformance<SpecifiersFile>('specifiers.json');
  const bankVersions = file.bank.map((s) => Version.parse(s));

  it('normalizes, matches and filters the bank exactly as packaging for every row', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of file.specifiers) {
      checked += 1;
      let set: SpecifierSet;
      try {
        set = SpecifierSet.parse(row.spec);
      } catch (e) {
        mismatches.push(`${show(row.spec)}: rejected: ${(e as Error).message}`);
        continue;
      }
      if (set.toString() !== row.normalized) {
        mismatches.push(`${show(row.spec)}: normalized ${show(set.toString())}, want ${show(row.normalized)}`);
      }
      // The bank as strings (like packaging's rows) and as Version objects must agree.
      const pre = file.bank.map((v) => (set.contains(v, { prereleases: true }) ? '1' : '0')).join('');
      const preV = bankVersions.map((v) => (set.contains(v, { prereleases: true }) ? '1' : '0')).join('');
      const fin = file.bank.map((v) => (set.contains(v, { prereleases: false }) ? '1' : '0')).join('');
      const kept = new Set(set.filter(file.bank));
      const fil = file.bank.map((v) => (kept.has(v) ? '1' : '0')).join('');
      const keptByKey = new Set(set.filter(file.bank.map((v) => ({ v })), { key: (x) => x.v }).map((x) => x.v));
      const filKey = file.bank.map((v) => (keptByKey.has(v) ? '1' : '0')).join('');
      if (pre !== row.contains_pre) mismatches.push(`${show(row.spec)} contains_pre: ${diff(file.bank, pre, row.contains_pre)}`);
      if (fin !== row.contains_final) mismatches.push(`${show(row.spec)} contains_final: ${diff(file.bank, fin, row.contains_final)}`);
      if (fil !== row.filter) mismatches.push(`${show(row.spec)} filter: ${diff(file.bank, fil, row.filter)}`);
      if (filKey !== row.filter) mismatches.push(`${show(row.spec)} filter with key: ${diff(file.bank, filKey, row.filter)}`);
      // `===` compares strings, so only string items must agree for it.
      if (!row.spec.includes('===') && preV !== row.contains_pre) {
        mismatches.push(`${show(row.spec)} contains_pre (Version items): ${diff(file.bank, preV, row.contains_pre)}`);
      }
      // The range of a set without `===` holds exactly the versions contains_pre says.
      if (!row.spec.includes('===')) {
        const range = VersionRange.fromSpecifierSet(set);
        const inRange = bankVersions.map((v) => (range.contains(v) ? '1' : '0')).join('');
        if (inRange !== row.contains_pre) mismatches.push(`${show(row.spec)} range: ${diff(file.bank, inRange, row.contains_pre)}`);
      }
      // The normalized string parses back to the same set.
      const again = SpecifierSet.parse(set.toString());
      if (again.toString() !== set.toString() || !again.equals(set)) mismatches.push(`${show(row.spec)}: normalized form does not round-trip`);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.specifiers.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('rejects every invalid row with InvalidSpecifier', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const input of file.invalid) {
      checked += 1;
      try {
        const set = SpecifierSet.parse(input);
        mismatches.push(`${show(input)}: accepted as ${show(set.toString())}`);
      } catch (e) {
        if (!(e instanceof InvalidSpecifier)) mismatches.push(`${show(input)}: threw ${String(e)}, not InvalidSpecifier`);
        else if (!e.message.startsWith('Invalid specifier: ')) mismatches.push(`${show(input)}: message ${show(e.message)}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.invalid.length);
    expect(checked).toBeGreaterThan(0);
  });
});
