/**
 * The PubGrub core on pub's worked examples (`doc/solver.md` "Examples"), with integer
 * ranges: the solutions pub gives, and the full explanation text for the failures.
 */
import { describe, expect, it } from 'vitest';
import { explainTree } from '../../../src/resolver/report';
import { solve, type SolverEvent } from '../../../src/resolver/solver';
import { IntFormatter, IntProvider, type IntRegistry, type IntSet, intSets, ROOT, showVersion, v } from './int-registry';

async function run(registry: IntRegistry) {
  const events: SolverEvent<string, number, IntSet, string>[] = [];
  const result = await solve(new IntProvider(registry), ROOT, v('1.0.0'), { sets: intSets, onEvent: (e) => events.push(e) });
  return { result, events };
}

async function pins(registry: IntRegistry): Promise<Record<string, string>> {
  const { result } = await run(registry);
  if (result.kind !== 'solution') throw new Error(explainTree(result.tree, new IntFormatter()).join('\n'));
  return Object.fromEntries([...result.solution].map(([p, n]) => [p, showVersion(n)]).sort());
}

async function explanation(registry: IntRegistry): Promise<string> {
  const { result } = await run(registry);
  if (result.kind !== 'no-solution') throw new Error(`expected no solution, got ${[...result.solution]}`);
  return explainTree(result.tree, new IntFormatter()).join('\n');
}

/** `{b x, a y}` -> `{a y, b x}`, to compare incompatibilities whatever their term order. */
function sortedTerms(s: string): string {
  return `{${s.slice(1, -1).split(', ').sort().join(', ')}}`;
}

describe('pub solver.md examples', () => {
  it('no conflicts', async () => {
    expect(
      await pins({
        root: { '1.0.0': { foo: '^1.0.0' } },
        foo: { '1.0.0': { bar: '^1.0.0' } },
        bar: { '1.0.0': {}, '2.0.0': {} },
      }),
    ).toEqual({ root: '1.0.0', foo: '1.0.0', bar: '1.0.0' });
  });

  it('avoiding conflict during decision making', async () => {
    const { result, events } = await run({
      root: { '1.0.0': { foo: '^1.0.0', bar: '^1.0.0' } },
      foo: { '1.1.0': { bar: '^2.0.0' }, '1.0.0': {} },
      bar: { '1.0.0': {}, '1.1.0': {}, '2.0.0': {} },
    });
    expect(result.kind).toBe('solution');
    if (result.kind !== 'solution') return;
    expect(Object.fromEntries([...result.solution].map(([p, n]) => [p, showVersion(n)]))).toEqual({
      root: '1.0.0',
      foo: '1.0.0',
      bar: '1.1.0',
    });
    // foo 1.1.0 is never decided: bar ^1 is already derived, so its dependency conflicts.
    expect(events.some((e) => e.kind === 'decision' && e.package === 'foo' && e.version === v('1.1.0'))).toBe(false);
  });

  it('performing conflict resolution', async () => {
    const { result, events } = await run({
      root: { '1.0.0': { foo: '>=1.0.0' } },
      foo: { '2.0.0': { bar: '^1.0.0' }, '1.0.0': {} },
      bar: { '1.0.0': { foo: '^1.0.0' } },
    });
    expect(result.kind === 'solution' && Object.fromEntries([...result.solution].map(([p, n]) => [p, showVersion(n)]))).toEqual({
      root: '1.0.0',
      foo: '1.0.0',
    });
    // pub learns {foo >=2.0.0} and backjumps to the root's level.
    const learned = events.filter((e) => e.kind === 'backtrack').map((e) => e.kind === 'backtrack' && String(e.cause));
    expect(learned).toContain('{foo >=2.0.0}');
  });

  it('conflict resolution with a partial satisfier', async () => {
    const { result, events } = await run({
      root: { '1.0.0': { foo: '^1.0.0', target: '^2.0.0' } },
      foo: { '1.1.0': { left: '^1.0.0', right: '^1.0.0' }, '1.0.0': {} },
      left: { '1.0.0': { shared: '>=1.0.0' } },
      right: { '1.0.0': { shared: '<2.0.0' } },
      shared: { '2.0.0': {}, '1.0.0': { target: '^1.0.0' } },
      target: { '2.0.0': {}, '1.0.0': {} },
    });
    expect(result.kind === 'solution' && Object.fromEntries([...result.solution].map(([p, n]) => [p, showVersion(n)]))).toEqual({
      root: '1.0.0',
      foo: '1.0.0',
      target: '2.0.0',
    });
    // The root cause pub finds: foo 1.1.0 transitively needs target ^1.
    const causes = events.filter((e) => e.kind === 'backtrack').map((e) => e.kind === 'backtrack' && sortedTerms(String(e.cause)));
    expect(causes).toContain(sortedTerms('{foo >=1.1.0, not target ^1.0.0}'));
  });

  it('linear error reporting', async () => {
    expect(
      await explanation({
        root: { '1.0.0': { foo: '^1.0.0', baz: '^1.0.0' } },
        foo: { '1.0.0': { bar: '^2.0.0' } },
        bar: { '2.0.0': { baz: '^3.0.0' } },
        baz: { '1.0.0': {}, '3.0.0': {} },
      }),
    ).toMatchInlineSnapshot(`
      "Because all versions of foo depend on bar ^2.0.0 and all versions of bar depend on baz ^3.0.0, we can conclude that all versions of foo depend on baz ^3.0.0.
      And because you require baz ^1.0.0 and foo ^1.0.0, we can conclude that your requirements are unsatisfiable."
    `);
  });

  it('branching error reporting', async () => {
    expect(
      await explanation({
        root: { '1.0.0': { foo: '^1.0.0' } },
        foo: { '1.0.0': { a: '^1.0.0', b: '^1.0.0' }, '1.1.0': { x: '^1.0.0', y: '^1.0.0' } },
        a: { '1.0.0': { b: '^2.0.0' } },
        b: { '1.0.0': {}, '2.0.0': {} },
        x: { '1.0.0': { y: '^2.0.0' } },
        y: { '1.0.0': {}, '2.0.0': {} },
      }),
    ).toMatchInlineSnapshot(`
      "Because foo <1.1.0 depends on a ^1.0.0 and all versions of a depend on b ^2.0.0, we can conclude that foo <1.1.0 depends on b ^2.0.0.
      And because foo <1.1.0 depends on b ^1.0.0, we can conclude that foo <1.1.0 cannot be used. (1)

      Because foo >=1.1.0 depends on x ^1.0.0 and all versions of x depend on y ^2.0.0, we can conclude that foo >=1.1.0 depends on y ^2.0.0.
      And because foo >=1.1.0 depends on y ^1.0.0, we can conclude that foo >=1.1.0 cannot be used.
      And because we know from (1) that foo <1.1.0 cannot be used, we can conclude that all versions of foo cannot be used.
      And because you require foo ^1.0.0, we can conclude that your requirements are unsatisfiable."
    `);
  });
});
