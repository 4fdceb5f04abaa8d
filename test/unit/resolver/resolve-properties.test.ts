/**
 * The Python resolver against a brute-force reference on random small indexes: every
 * resolution is valid (each pin installable here, every applicable requirement met) and a
 * failure happens only when no valid selection exists. Versions are sometimes unusable (only
 * an sdist, only manylinux wheels, a Requires-Python the target fails, yanked), which
 * exercises the widened "unavailable" and "depends on Python" facts and the widening of
 * identical dependencies over adjacent releases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecifierSet } from '../../../src/pep/specifier';
import { Version } from '../../../src/pep/version';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { resolveMemory } from './helpers';

const NAMES = ['a', 'b', 'c', 'd'];
const VERSIONS = ['1.0', '1.1', '2.0', '3.0'];
const SPECS = ['', '>=1.1', '<2', '>=2', '==1.1', '!=2.0', '~=1.0', '>1.0,<3'];
const KINDS = ['ok', 'ok', 'ok', 'sdist', 'manylinux', 'python', 'yanked'] as const;

interface Release {
  name: string;
  version: string;
  kind: (typeof KINDS)[number];
  requires: Record<string, string>;
}

const releaseArb = (name: string, version: string): fc.Arbitrary<Release> =>
  fc.record({
    name: fc.constant(name),
    version: fc.constant(version),
    kind: fc.constantFrom(...KINDS),
    requires: fc.dictionary(fc.constantFrom(...NAMES.filter((n) => n !== name)), fc.constantFrom(...SPECS), { maxKeys: 2 }),
  });

const indexArb = fc
  .tuple(
    ...NAMES.map((name) =>
      fc.subarray(VERSIONS, { minLength: 0 }).chain((versions) => fc.tuple(...versions.map((v) => releaseArb(name, v)))),
    ),
  )
  .map((perName) => perName.flat());
const rootArb = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...SPECS), { minKeys: 1, maxKeys: 2 });

function toSpec(r: Release): WheelSpec {
  return {
    name: r.name,
    version: r.version,
    requires: Object.entries(r.requires).map(([n, s]) => `${n}${s}`),
    ...(r.kind === 'sdist' ? { sdistOnly: true } : {}),
    ...(r.kind === 'manylinux' ? { tags: 'cp314-cp314-manylinux_2_17_x86_64' } : {}),
    ...(r.kind === 'python' ? { requiresPython: '>=3.15' } : {}),
    ...(r.kind === 'yanked' ? { yanked: 'bad' } : {}),
  };
}

const matches = (spec: string, version: string): boolean => SpecifierSet.parse(spec).contains(Version.parse(version), { prereleases: true });

/**
 * A selection is valid when every pin is installable, every root and pinned requirement holds,
 * and nothing is pinned that nothing requires (as pip installs).
 */
function valid(releases: readonly Release[], root: Record<string, string>, pins: Map<string, string>): boolean {
  const wanted = Object.entries(root);
  for (const [name, version] of pins) {
    const r = releases.find((x) => x.name === name && x.version === version);
    if (!r || r.kind === 'sdist' || r.kind === 'manylinux' || r.kind === 'python') return false;
    // A yanked release only when a root requirement pins it with ==.
    if (r.kind === 'yanked' && !Object.entries(root).some(([n, s]) => n === name && s.startsWith('==') && matches(s, version))) return false;
    wanted.push(...Object.entries(r.requires));
  }
  if (!wanted.every(([name, spec]) => pins.has(name) && matches(spec, pins.get(name) as string))) return false;
  // Nothing extra: every pin is reached from the root through the pins' requirements.
  const reached = new Set(Object.keys(root));
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of releases) {
      if (!reached.has(r.name) || pins.get(r.name) !== r.version) continue;
      for (const dep of Object.keys(r.requires)) if (!reached.has(dep)) (reached.add(dep), (grew = true));
    }
  }
  return [...pins.keys()].every((name) => reached.has(name));
}

function bruteForce(releases: readonly Release[], root: Record<string, string>): boolean {
  const choices = NAMES.map((n) => [undefined, ...releases.filter((r) => r.name === n).map((r) => r.version)]);
  const pins = new Map<string, string>();
  const go = (i: number): boolean => {
    if (i === NAMES.length) return valid(releases, root, pins);
    for (const choice of choices[i] ?? []) {
      if (choice === undefined) pins.delete(NAMES[i] as string);
      else pins.set(NAMES[i] as string, choice);
      if (go(i + 1)) return true;
    }
    pins.delete(NAMES[i] as string);
    return false;
  };
  return go(0);
}

describe('resolve on random indexes', () => {
  it('returns only valid resolutions, and fails only when brute force finds none', async () => {
    await fc.assert(
      fc.asyncProperty(indexArb, rootArb, async (releases, root) => {
        const result = await resolveMemory(
          { projects: releases.map(toSpec) },
          { requirements: Object.entries(root).map(([n, s]) => `${n}${s}`) },
        );
        if (result.kind === 'resolution') {
          const pins = new Map(result.distributions.map((d) => [d.name as string, d.version.toString()]));
          expect(valid(releases, root, pins)).toBe(true);
        } else {
          expect(bruteForce(releases, root)).toBe(false);
          expect(result.explanation).toMatch(/^ERROR: /);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
