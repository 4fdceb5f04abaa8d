/**
 * Property tests of the PubGrub core against a slow, obviously-correct reference
 * (pubgrub-rs `tests/sat_dependency_provider.rs` plays the same role): on random small
 * registries, every solution returned is valid, "no solution" happens exactly when brute
 * force finds none, and the same input (in any listing order) gives the same pins.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainTree } from '../../../src/resolver/report';
import type { ConflictStanding } from '../../../src/resolver/conflict-tracker';
import { type Priority, solve, type SolverEvent } from '../../../src/resolver/solver';
import { IntFormatter, IntProvider, type IntRegistry, IntSet, intSets, ROOT, showVersion, v } from './int-registry';

const NAMES = ['a', 'b', 'c', 'd'];
const VERSIONS = ['1.0.0', '1.1.0', '2.0.0', '3.0.0'];
const RANGES = ['any', '^1.0.0', '>=1.1.0', '<2.0.0', '^2.0.0 or ^3.0.0', '3.0.0', '>=2.0.0 <3.0.0'];

const depsArb = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...RANGES), { maxKeys: 3 });
const registryArb: fc.Arbitrary<IntRegistry> = fc
  .record({
    root: depsArb,
    packages: fc.dictionary(
      fc.constantFrom(...NAMES),
      fc.dictionary(fc.constantFrom(...VERSIONS), depsArb, { minKeys: 1, maxKeys: 4 }),
      { maxKeys: 4 },
    ),
  })
  .map(({ root, packages }) => ({ root: { '1.0.0': root }, ...packages }));

type Pins = Map<string, number>;

/** Whether `pins` selects the root, only listed versions, and meets every selected dependency. */
function isValid(registry: IntRegistry, pins: Pins): boolean {
  if (pins.get(ROOT) !== v('1.0.0')) return false;
  for (const [name, version] of pins) {
    const deps = registry[name]?.[showVersion(version)];
    if (!deps) return false;
    for (const [dep, range] of Object.entries(deps)) {
      const chosen = pins.get(dep);
      if (chosen === undefined || !IntSet.parse(range).contains(chosen)) return false;
    }
  }
  return true;
}

/** Every selected package is reachable from the root through selected dependencies. */
function isMinimal(registry: IntRegistry, pins: Pins): boolean {
  const reached = new Set([ROOT]);
  const queue = [ROOT];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    for (const dep of Object.keys(registry[name]?.[showVersion(pins.get(name) as number)] ?? {})) {
      if (!reached.has(dep)) {
        reached.add(dep);
        queue.push(dep);
      }
    }
  }
  return [...pins.keys()].every((name) => reached.has(name));
}

/** Brute force: try every choice (a listed version or absent) for every package. */
function bruteForceSolvable(registry: IntRegistry): boolean {
  const names = Object.keys(registry).filter((n) => n !== ROOT);
  const choices = names.map((n) => [undefined, ...Object.keys(registry[n] ?? {}).map(v)]);
  const pins: Pins = new Map([[ROOT, v('1.0.0')]]);
  const go = (i: number): boolean => {
    if (i === names.length) return isValid(registry, pins);
    for (const choice of choices[i] ?? []) {
      if (choice === undefined) pins.delete(names[i] as string);
      else pins.set(names[i] as string, choice);
      if (go(i + 1)) return true;
    }
    pins.delete(names[i] as string);
    return false;
  };
  return go(0);
}

async function resolve(registry: IntRegistry, conflictThreshold?: number, onEvent?: (e: SolverEvent<string, number, IntSet, string>) => void) {
  const provider = conflictThreshold === undefined ? new IntProvider(registry) : new ReorderingProvider(registry);
  return solve(provider, ROOT, v('1.0.0'), { sets: intSets, ...(conflictThreshold === undefined ? {} : { conflictThreshold }), ...(onEvent ? { onEvent } : {}) });
}

/**
 * Registries where several root requirements share dependencies with narrow ranges: about a
 * quarter of them make conflict-driven priority reorder (checked below).
 */
const CONFLICT_NAMES = ['a', 'b', 'c', 'd', 'e'];
const conflictArb: fc.Arbitrary<IntRegistry> = fc
  .record({
    root: fc.dictionary(fc.constantFrom(...CONFLICT_NAMES), fc.constant('any'), { minKeys: 2, maxKeys: 3 }),
    packages: fc.dictionary(
      fc.constantFrom(...CONFLICT_NAMES),
      fc.dictionary(
        fc.constantFrom('1.0.0', '1.1.0', '2.0.0', '3.0.0', '4.0.0'),
        fc.dictionary(fc.constantFrom(...CONFLICT_NAMES), fc.constantFrom('any', '^1.0.0', '<2.0.0', '>=2.0.0', '3.0.0', '1.0.0', '>=3.0.0'), { maxKeys: 2 }),
        { minKeys: 3, maxKeys: 5 },
      ),
      { minKeys: 4, maxKeys: 5 },
    ),
  })
  .map(({ root, packages }) => ({ root: { '1.0.0': root }, ...packages }));

/** The integer provider with uv's conflict tiers in front of its own order. */
class ReorderingProvider extends IntProvider {
  override prioritize(p: string, set: IntSet, standing: ConflictStanding = 'none'): Priority {
    return [standing === 'early' ? 1 : standing === 'late' ? -1 : 0, ...super.prioritize(p, set)];
  }
}

/** The same registry with every listing (packages, versions, dependencies) in reverse order. */
function reversed(registry: IntRegistry): IntRegistry {
  const rev = <T>(o: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(o).reverse());
  return rev(Object.fromEntries(Object.entries(registry).map(([n, vs]) => [n, rev(Object.fromEntries(Object.entries(vs).map(([ver, d]) => [ver, rev(d)])))])));
}

describe('PubGrub core properties', () => {
  it('solutions are valid and minimal; no solution only when brute force finds none', async () => {
    await fc.assert(
      fc.asyncProperty(registryArb, async (registry) => {
        const result = await resolve(registry);
        if (result.kind === 'solution') {
          expect(isValid(registry, result.solution)).toBe(true);
          expect(isMinimal(registry, result.solution)).toBe(true);
        } else {
          expect(bruteForceSolvable(registry)).toBe(false);
          // Every failure can be explained, ending with the root's conclusion.
          const lines = explainTree(result.tree, new IntFormatter());
          expect(lines.at(-1)).toMatch(/your requirements are unsatisfiable|cannot be used|version solving/);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('is deterministic: same input twice and reversed listings give the same pins', async () => {
    await fc.assert(
      fc.asyncProperty(registryArb, async (registry) => {
        const pins = async (r: IntRegistry) => {
          const result = await resolve(r);
          return result.kind === 'solution' ? [...result.solution].sort() : explainTree(result.tree, new IntFormatter());
        };
        const first = await pins(registry);
        expect(await pins(registry)).toEqual(first);
        expect(await pins(reversed(registry))).toEqual(first);
      }),
      { numRuns: 200 },
    );
  });

  // Conflict-driven priority reorders decisions and undoes the culprit's: at threshold 1 and
  // 2 it does so after nearly every conflict, and the guarantees above must still hold.
  for (const threshold of [1, 2]) {
    it(`with conflict-driven priority at threshold ${threshold}: valid, minimal, complete, deterministic`, async () => {
      let reordered = 0;
      await fc.assert(
        fc.asyncProperty(conflictArb, async (registry) => {
          const result = await resolve(registry, threshold, (e) => {
            if (e.kind === 'reprioritize') reordered++;
          });
          if (result.kind === 'solution') {
            expect(isValid(registry, result.solution)).toBe(true);
            expect(isMinimal(registry, result.solution)).toBe(true);
          } else {
            expect(bruteForceSolvable(registry)).toBe(false);
          }
          const again = await resolve(reversed(registry), threshold);
          expect(again.kind === 'solution' ? [...again.solution].sort() : null).toEqual(result.kind === 'solution' ? [...result.solution].sort() : null);
        }),
        { numRuns: 300 },
      );
      expect(reordered).toBeGreaterThan(10);
    });
  }

  it('finds the solution of a registry that needs deep backtracking', async () => {
    // Every a version but the oldest needs a b that does not exist.
    const registry: IntRegistry = { root: { '1.0.0': { a: 'any' } }, a: {}, b: { '1.0.0': {} } };
    for (let i = 1; i <= 30; i++) registry.a![`${i}.0.0`] = i === 1 ? { b: '1.0.0' } : { b: `${i}.0.0` };
    const result = await resolve(registry);
    expect(result.kind === 'solution' && showVersion(result.solution.get('a') as number)).toBe('1.0.0');
  });
});
