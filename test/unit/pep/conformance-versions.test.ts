import { describe, expect, it } from 'vitest';
import { InvalidVersion, Version } from '../../../src/pep/version';
import { loadConformance } from '../../fixtures/conformance';

interface VersionRow {
  input: string;
  normalized: string;
  epoch: number;
  release: number[];
  pre: [string, number] | null;
  post: number | null;
  dev: number | null;
  local: string | null;
  public: string;
  base_version: string;
  is_prerelease: boolean;
  is_postrelease: boolean;
  is_devrelease: boolean;
}

interface VersionsFile {
  oracle: string;
  versions: VersionRow[];
  invalid: string[];
  sorted_groups: string[][];
}

const show = (x: unknown): string => JSON.stringify(x);

describe('versions.json conformance (PEP 440 versions, packaging)', () => {
  const file = loadConformance<VersionsFile>('versions.json');

  it('parses every valid row into packaging\'s parts and normalized forms', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of file.versions) {
      checked += 1;
      let v: Version;
      try {
        v = Version.parse(row.input);
      } catch (e) {
        mismatches.push(`${show(row.input)}: rejected: ${(e as Error).message}`);
        continue;
      }
      const got: Omit<VersionRow, 'input'> = {
        normalized: v.toString(),
        epoch: v.epoch,
        release: [...v.release],
        pre: v.pre === null ? null : [v.pre[0], v.pre[1]],
        post: v.post,
        dev: v.dev,
        local: v.local,
        public: v.public,
        base_version: v.baseVersion,
        is_prerelease: v.isPrerelease,
        is_postrelease: v.isPostrelease,
        is_devrelease: v.isDevrelease,
      };
      for (const [field, value] of Object.entries(got)) {
        const want = row[field as keyof VersionRow];
        if (show(value) !== show(want)) mismatches.push(`${show(row.input)}.${field}: got ${show(value)}, want ${show(want)}`);
      }
      // The normalized form is a fixed point and equal to the input version.
      const again = Version.parse(v.toString());
      if (again.toString() !== v.toString() || again.compare(v) !== 0) {
        mismatches.push(`${show(row.input)}: normalized form ${show(v.toString())} does not round-trip`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.versions.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('rejects every invalid row with InvalidVersion', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const input of file.invalid) {
      checked += 1;
      try {
        const v = Version.parse(input);
        mismatches.push(`${show(input)}: accepted as ${show(v.toString())}`);
      } catch (e) {
        if (!(e instanceof InvalidVersion)) mismatches.push(`${show(input)}: threw ${String(e)}, not InvalidVersion`);
        else if (!e.message.startsWith('Invalid version: ')) mismatches.push(`${show(input)}: message ${show(e.message)}`);
      }
      if (Version.tryParse(input) !== null) mismatches.push(`${show(input)}: tryParse accepted it`);
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.invalid.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('orders sorted_groups: equal within a group, strictly ascending across groups', () => {
    const mismatches: string[] = [];
    let checked = 0;
    const groups = file.sorted_groups.map((g) => g.map((s) => Version.parse(s)));
    const flat = groups.flatMap((g, gi) => g.map((v) => ({ v, gi })));
    for (const [gi, group] of groups.entries()) {
      checked += group.length;
      for (const a of group) {
        for (const b of group) {
          if (a.compare(b) !== 0 || !a.equals(b)) mismatches.push(`group ${gi}: ${a} != ${b}`);
        }
      }
    }
    // Every pair across the whole list: sign of compare = sign of group index difference.
    for (const x of flat) {
      for (const y of flat) {
        const got = Math.sign(x.v.compare(y.v));
        const want = Math.sign(x.gi - y.gi);
        if (got !== want) mismatches.push(`${x.v} vs ${y.v}: compare sign ${got}, want ${want}`);
      }
    }
    // Sorting a shuffled copy gives back the groups in order.
    const shuffled = flat.map((x) => x).reverse();
    shuffled.sort((a, b) => a.v.compare(b.v));
    shuffled.forEach((x, i) => {
      if (x.gi !== flat[i]!.gi) mismatches.push(`sorted position ${i}: ${x.v} from group ${x.gi}, want group ${flat[i]!.gi}`);
    });
    expect(mismatches.slice(0, 50)).toEqual([]);
    expect(mismatches.length).toBe(0);
    expect(checked).toBe(file.sorted_groups.reduce((n, g) => n + g.length, 0));
    expect(checked).toBeGreaterThan(0);
  });
});
