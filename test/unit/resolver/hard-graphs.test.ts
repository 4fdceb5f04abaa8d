/**
 * Graphs that are hard for a resolver (test/fixtures/hard-graphs.ts), through the in-memory
 * source: the answer real pip gives, found with few conflicts (conflict learning keeps "no
 * version of p fits" facts), and a failure explained in bounded space.
 */
import { describe, expect, it } from 'vitest';
import { bottomConflictChain, pigeonhole } from '../../fixtures/hard-graphs';
import { pins, resolveMemory } from './helpers';

describe('hard graphs', () => {
  it('30 projects x 50 versions with the conflict at the bottom: pip\'s answer, in few conflicts', async () => {
    const graph = bottomConflictChain(30, 50);
    const result = await resolveMemory({ projects: graph.packages }, { requirements: graph.root });
    expect('pins' in graph.pip && pins(result)).toEqual('pins' in graph.pip && graph.pip.pins);
    // Without the kept "no version of p fits" facts this took 1,421 conflicts (and 632 s in the
    // page): every new version of a project walked the versions below it again.
    expect(result.stats.conflicts).toBeLessThan(200);
  });

  it('the same chain of 10 x 20, whatever the listing order', async () => {
    const graph = bottomConflictChain(10, 20);
    const forward = await resolveMemory({ projects: graph.packages }, { requirements: graph.root });
    const backward = await resolveMemory({ projects: [...graph.packages].reverse() }, { requirements: graph.root });
    expect(pins(forward)).toEqual('pins' in graph.pip ? graph.pip.pins : null);
    expect(pins(backward)).toEqual(pins(forward));
  });

  it('6 pigeons in 5 holes: no solution, explained in at most 200 lines that end in the conclusion', async () => {
    const graph = pigeonhole(5);
    const result = await resolveMemory({ projects: graph.packages }, { requirements: graph.root });
    expect(result.kind).toBe('no-solution');
    if (result.kind !== 'no-solution') return;
    expect(result.explanation).toMatch(/^ERROR: Cannot install pigeon1, pigeon2, pigeon3, pigeon4, pigeon5 and pigeon6 because/);
    // The whole proof is 614 lines: the last ones are kept, after a line saying how many are not.
    expect(result.parts.derivation[0]).toMatch(/^\(\d+ earlier lines of the derivation are left out\.\)$/);
    expect(result.parts.derivation.length).toBeLessThanOrEqual(202);
    expect(result.parts.derivation.at(-1)).toMatch(/we can conclude that your requirements are unsatisfiable\.$/);
    expect(result.explanation).toMatch(/ERROR: ResolutionImpossible/);
  });

  it('4 pigeons in 3 holes: the whole derivation, nothing left out', async () => {
    const graph = pigeonhole(3);
    const result = await resolveMemory({ projects: graph.packages }, { requirements: graph.root });
    expect(result.kind === 'no-solution' && result.parts.derivation.some((l) => l.includes('left out'))).toBe(false);
    expect(result.kind === 'no-solution' && result.parts.derivation.at(-1)).toMatch(/your requirements are unsatisfiable\.$/);
  });
});
