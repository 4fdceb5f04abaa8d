import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadConformance } from '../../fixtures/conformance';
import { supportedTags, type PyodideLockInfo } from '../../../src/pep/tags';
import { InvalidWheelFilename, parseWheelFilename, wheelRank } from '../../../src/pep/wheel';

interface WheelRow {
  filename: string;
  name: string;
  version: string;
  build: [number, string] | null;
  tags: string[];
  compatible: boolean;
  rank: number | null;
}
interface WheelsFile {
  supported_tags: string[];
  wheels: WheelRow[];
  invalid: string[];
}
interface EnvironmentFile {
  tags: string[];
}

const require = createRequire(import.meta.url);
const lockInfo = (JSON.parse(readFileSync(require.resolve('pyodide/pyodide-lock.json'), 'utf8')) as { info: PyodideLockInfo }).info;
const wheels = loadConformance<WheelsFile>('wheels.json');
const environment = loadConformance<EnvironmentFile>('pyodide-environment.json');

describe('conformance: wheels.json', () => {
  const computed = supportedTags(lockInfo);

  it('supportedTags(lock info) is the vectors\' supported_tags', () => {
    expect(computed).toEqual(wheels.supported_tags);
  });

  it('pyodide-environment.json tags (sys_tags() in Pyodide) = supportedTags minus the pyodide_* spelling', () => {
    expect(computed.filter((t) => !/-pyodide_[^-]*$/.test(t))).toEqual(environment.tags);
  });

  it('parses and ranks every wheel row', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of wheels.wheels) {
      let got;
      try {
        got = parseWheelFilename(row.filename);
      } catch (e) {
        mismatches.push(`${JSON.stringify(row.filename)}: threw ${(e as Error).message}`);
        continue;
      }
      const actual = {
        name: got.name as string,
        version: got.version.toString(),
        build: got.build === null ? null : [...got.build],
        tags: [...got.tags],
        rankFile: wheelRank(got.tags, wheels.supported_tags),
        rankComputed: wheelRank(got.tags, computed),
      };
      const expected = {
        name: row.name,
        version: row.version,
        build: row.build,
        tags: row.tags,
        rankFile: row.rank,
        rankComputed: row.rank,
      };
      if (JSON.stringify(actual) !== JSON.stringify(expected)) {
        mismatches.push(`${JSON.stringify(row.filename)}: got ${JSON.stringify(actual)}, want ${JSON.stringify(expected)}`);
      }
      if ((actual.rankFile !== null) !== row.compatible) {
        mismatches.push(`${JSON.stringify(row.filename)}: compatible ${actual.rankFile !== null}, want ${row.compatible}`);
      }
      checked++;
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(wheels.wheels.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('rejects every invalid file name', () => {
    const accepted: string[] = [];
    for (const filename of wheels.invalid) {
      try {
        parseWheelFilename(filename);
        accepted.push(filename);
      } catch (e) {
        if (!(e instanceof InvalidWheelFilename)) accepted.push(`${filename} (threw ${(e as Error).name})`);
      }
    }
    expect(accepted).toEqual([]);
    expect(wheels.invalid.length).toBeGreaterThan(0);
  });
});
