import { describe, expect, it } from 'vitest';
import { Marker, type MarkerEnvironment } from '../../../src/pep/marker';
import { loadConformance } from '../../fixtures/conformance';

type Expected = boolean | string;

interface MarkersFile {
  oracle: string;
  environment: Record<string, string>;
  markers: {
    marker: string;
    normalized: string;
    eval_extra_none: Expected;
    eval_extra_socks: Expected;
    eval_extra_test: Expected;
  }[];
  invalid?: string[];
}

/** What evaluating gave: a boolean, or `error: <class name>` like the vectors. */
function outcome(run: () => boolean): Expected {
  try {
    return run();
  } catch (e) {
    return `error: ${e instanceof Error ? e.name : String(e)}`;
  }
}

/** An expected `error: X` matches an error whose class name or code is X. */
function agrees(got: Expected, want: Expected, code: string | undefined): boolean {
  if (typeof want === 'boolean') return got === want;
  if (!want.startsWith('error: ')) return false;
  const kind = want.slice('error: '.length).trim();
  return got === `error: ${kind}` || (code !== undefined && code === kind);
}

describe('markers.json conformance (PEP 508 markers, packaging 26)', () => {
  const file = loadConformance<MarkersFile>('markers.json');
  // The environment comes from the file (a real Pyodide), never from src.
  const env: MarkerEnvironment = file.environment;

  it('parses, prints and evaluates every marker as packaging does', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const row of file.markers) {
      checked += 1;
      let marker: Marker;
      try {
        marker = Marker.parse(row.marker);
      } catch (e) {
        mismatches.push(`${JSON.stringify(row.marker)}: rejected: ${(e as Error).message}`);
        continue;
      }
      const printed = marker.toString();
      if (printed !== row.normalized) {
        mismatches.push(`${JSON.stringify(row.marker)}: printed ${JSON.stringify(printed)}, want ${JSON.stringify(row.normalized)}`);
      }
      // Printing round-trips: the normalized form parses back to itself.
      const reprinted = Marker.parse(printed).toString();
      if (reprinted !== printed) mismatches.push(`${JSON.stringify(row.marker)}: reprinted as ${JSON.stringify(reprinted)}`);
      const cases: [string, Expected][] = [
        ['', row.eval_extra_none],
        ['socks', row.eval_extra_socks],
        ['test', row.eval_extra_test],
      ];
      for (const [extra, want] of cases) {
        let code: string | undefined;
        const got = outcome(() => {
          try {
            return marker.evaluate(env, extra);
          } catch (e) {
            code = (e as { code?: string }).code;
            throw e;
          }
        });
        if (!agrees(got, want, code)) {
          mismatches.push(`${JSON.stringify(row.marker)} with extra=${JSON.stringify(extra)}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBe(file.markers.length);
    expect(checked).toBeGreaterThan(0);
  });

  it('rejects every invalid marker', () => {
    const invalid = file.invalid ?? [];
    const accepted: string[] = [];
    let checked = 0;
    for (const text of invalid) {
      checked += 1;
      try {
        const marker = Marker.parse(text);
        accepted.push(`${JSON.stringify(text)} was accepted as ${JSON.stringify(marker.toString())}`);
      } catch (e) {
        if ((e as Error).name !== 'InvalidMarker') accepted.push(`${JSON.stringify(text)}: threw ${(e as Error).name}, not InvalidMarker`);
      }
    }
    expect(accepted).toEqual([]);
    expect(checked).toBe(invalid.length);
  });
});
