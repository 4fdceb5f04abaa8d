/**
 * The Python resolver's behaviour beyond the scenario table: the result's fields, preferences
 * and upgrades, direct references, prefetching, the event log, cancellation, determinism.
 */
import { describe, expect, it } from 'vitest';
import type { DistributionFile } from '../../../src/pep';
import { normalizeName } from '../../../src/pep/name';
import { resolve, type ResolverEvent } from '../../../src/resolver';
import { createMemorySource } from '../../fixtures/memory-source';
import { scenarios } from '../../fixtures/scenarios';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { PYODIDE_ENV, PYODIDE_INFO, pins, resolveMemory } from './helpers';

const base: WheelSpec[] = [
  { name: 'app', version: '1.0', extras: ['fast'], requires: ['lib>=1', 'speed; extra == "fast"'] },
  { name: 'lib', version: '1.0' },
  { name: 'lib', version: '1.5' },
  { name: 'lib', version: '2.0' },
  { name: 'speed', version: '0.1', requires: ['lib<2'] },
];

describe('resolve', () => {
  it('lists the versions the index has when two requirements exclude each other (pip names them)', async () => {
    const result = await resolveMemory({ projects: base }, { requirements: ['lib>=2', 'lib<1.5'] });
    expect(result.kind).toBe('no-solution');
    if (result.kind !== 'no-solution') return;
    expect(result.explanation).toContain('(from versions: 1.0, 1.5, 2.0)');
  });

  it('reports files, extras, requested and dependencies', async () => {
    const result = await resolveMemory({ projects: base }, { requirements: ['app[fast]'] });
    expect(result.kind).toBe('resolution');
    if (result.kind !== 'resolution') return;
    expect(result.distributions.map((d) => [d.name, d.version.toString(), d.requested, d.extras, d.dependencies])).toEqual([
      ['app', '1.0', true, ['fast'], ['lib', 'speed']],
      ['lib', '1.5', false, [], []],
      ['speed', '0.1', false, [], ['lib']],
    ]);
    expect(result.distributions[0]?.file.filename).toBe('app-1.0-py3-none-any.whl');
    expect(result.distributions[0]?.directUrl).toBeNull();
  });

  it('keeps a preferred (installed) version that still fits, unless upgrading', async () => {
    const preferences = [{ name: 'LIB', version: '1.0' }];
    expect(pins(await resolveMemory({ projects: base }, { requirements: ['app'], preferences }))).toEqual(['app==1.0', 'lib==1.0']);
    expect(pins(await resolveMemory({ projects: base }, { requirements: ['app'], preferences }, { upgrade: true }))).toEqual([
      'app==1.0',
      'lib==2.0',
    ]);
    expect(
      pins(await resolveMemory({ projects: base }, { requirements: ['app'], preferences }, { upgradePackages: ['lib'] })),
    ).toEqual(['app==1.0', 'lib==2.0']);
    // A preference outside the requirement is ignored.
    expect(pins(await resolveMemory({ projects: base }, { requirements: ['app', 'lib>=1.5'], preferences }))).toEqual([
      'app==1.0',
      'lib==2.0',
    ]);
  });

  it('evaluates root markers against the target environment', async () => {
    const result = await resolveMemory({ projects: base }, { requirements: ['lib; sys_platform == "win32"', 'app; sys_platform == "emscripten"'] });
    expect(pins(result)).toEqual(['app==1.0', 'lib==2.0']);
    expect(result.kind === 'resolution' && result.distributions.find((d) => d.name === 'lib')?.requested).toBe(false);
  });

  it('warns when an extra does not exist', async () => {
    const result = await resolveMemory({ projects: base }, { requirements: ['lib[nope]'] });
    expect(pins(result)).toEqual(['lib==2.0']);
    expect(result.warnings.map((w) => w.message)).toEqual(["lib 2.0 does not provide the extra 'nope'"]);
  });

  it('installs a direct reference through the source', async () => {
    const memory = createMemorySource({ projects: [...base, { name: 'local', version: '3.0', requires: ['lib<1.5'] }] });
    const local = await memory.getProject(normalizeName('local'));
    if (local.kind !== 'found') throw new Error('fixture: local not found');
    const file = local.project.files[0] as DistributionFile;
    // The source resolves the reference to a file it can read (here: the same wheel in memory).
    const source = { ...memory, getDirectReference: async () => file };
    const result = await resolve({ requirements: ['local @ file:///wheels/local-3.0-py3-none-any.whl', 'app'] }, source, {
      environment: PYODIDE_ENV,
      pyodide: PYODIDE_INFO,
    });
    expect(pins(result)).toEqual(['app==1.0', 'lib==1.0', 'local==3.0']);
    expect(result.kind === 'resolution' && result.distributions.find((d) => d.name === 'local')?.directUrl).toBe(
      'file:///wheels/local-3.0-py3-none-any.whl',
    );
  });

  it('logs decisions and backtracks in order', async () => {
    const events: ResolverEvent[] = [];
    await resolveMemory({ projects: scenarios.backtrack!.projects }, { requirements: ['a'] }, { reporter: (e) => events.push(e) });
    const log = events
      .filter((e) => e.kind === 'decision' || e.kind === 'backtrack')
      .map((e) => (e.kind === 'decision' ? `${e.package}==${e.version}` : e.kind === 'backtrack' ? `backtrack to ${e.toLevel}: ${e.cause}` : ''));
    expect(log).toMatchInlineSnapshot(`
      [
        "a==2.0",
        "b==2.0",
        "backtrack to 1: a==2.0 cannot be used",
        "a==1.0",
        "b==1.0",
      ]
    `);
  });

  it('is cancelled by its AbortSignal', async () => {
    const controller = new AbortController();
    const source = createMemorySource({ projects: scenarios.synthetic!.projects, latencyMs: 5 });
    const pending = resolve({ requirements: ['pkg-000'] }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(pending).rejects.toThrow('stop');
  });

  it('gives the same pins for the same input, in any order', async () => {
    const projects = scenarios.requests!.projects;
    const first = pins(await resolveMemory({ projects }, { requirements: ['requests[socks]', 'urllib3<2.1', 'idna'] }));
    expect(pins(await resolveMemory({ projects }, { requirements: ['requests[socks]', 'urllib3<2.1', 'idna'] }))).toEqual(first);
    expect(pins(await resolveMemory({ projects: [...projects].reverse() }, { requirements: ['idna', 'urllib3<2.1', 'requests[socks]'] }))).toEqual(
      first,
    );
  });

  it('prefetches: round trips grow with the depth of the graph, not its size', async () => {
    // 20 independent dependencies of one root package: with prefetching their pages and metadata
    // are fetched together, so the resolution takes a handful of latencies, not 40.
    const wide: WheelSpec[] = [{ name: 'root-pkg', version: '1.0', requires: Array.from({ length: 20 }, (_, i) => `dep-${i}`) }];
    for (let i = 0; i < 20; i++) wide.push({ name: `dep-${i}`, version: '1.0' });
    const latencyMs = 10;
    const timed = async (prefetch: boolean): Promise<number> => {
      const source = createMemorySource({ projects: wide, latencyMs });
      const start = performance.now();
      const result = await resolve({ requirements: ['root-pkg'] }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, prefetch });
      expect(result.kind).toBe('resolution');
      return (performance.now() - start) / latencyMs;
    };
    const withPrefetch = await timed(true);
    const without = await timed(false);
    expect(without).toBeGreaterThan(40);
    expect(withPrefetch).toBeLessThan(10);
  });
});
