/**
 * The resolver's hint of a likely version (prefetch.ts `expect`, DecisionListener.likely): a
 * pending package whose project page is here is told with the version the solver would choose,
 * so a download can start before the solver reaches it. Over the in-memory source with one slow
 * metadata file, so the order of events is the one a real connection gives.
 */
import { describe, expect, it } from 'vitest';
import type { DistributionFile, NormalizedName, Version } from '../../../src/pep';
import type { DecisionListener } from '../../../src/resolver';
import { resolve } from '../../../src/resolver';
import { createMemorySource, type MemorySourceOptions } from '../../fixtures/memory-source';
import { PYODIDE_ENV, PYODIDE_INFO } from '../../fixtures/pyodide-target';
import type { WheelSpec } from '../../fixtures/wheel-builder';

/** Every event the listener hears, as `likely c 2.0`, `decided c 2.0`, `discarded c 2.0`. */
function recorder(): DecisionListener & { readonly events: string[] } {
  const events: string[] = [];
  const say = (what: string) => (name: NormalizedName, version: Version, _file: DistributionFile) => void events.push(`${what} ${name} ${version}`);
  return { events, decided: say('decided'), discarded: say('discarded'), likely: say('likely') };
}

/** The memory source, with the metadata of the files named in `slow` answered after `slowMs`. */
function sourceWith(options: MemorySourceOptions, slow: readonly string[], slowMs: number) {
  const source = createMemorySource(options);
  const getMetadata = source.getMetadata.bind(source);
  return {
    ...source,
    getMetadata: async (file: DistributionFile, signal?: AbortSignal) => {
      if (slow.some((prefix) => file.filename.startsWith(prefix))) await new Promise((r) => setTimeout(r, slowMs));
      return getMetadata(file, signal);
    },
  };
}

const run = (projects: WheelSpec[], slow: string[], requirements: string[], preferences: Array<{ name: string; version: string }> = []) => {
  const listener = recorder();
  const source = sourceWith({ projects, latencyMs: 2 }, slow, 60);
  return resolve({ requirements, preferences }, source, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, decisions: listener }).then((result) => ({ result, events: listener.events }));
};

describe('the likely version of a pending package', () => {
  const fan: WheelSpec[] = [
    { name: 'top', version: '1.0', requires: ['b', 'c', 'd'] },
    { name: 'b', version: '1.0' },
    { name: 'c', version: '1.0' },
    { name: 'c', version: '2.0' },
    { name: 'd', version: '3.0' },
  ];

  it('is told while the solver waits on another package, before its decision, and is the version decided', async () => {
    // b is decided first (discovery order) and its metadata is slow: c and d arrive meanwhile.
    const { result, events } = await run(fan, ['b-'], ['top']);
    expect(result.kind).toBe('resolution');
    expect(events.indexOf('likely c 2.0')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('likely d 3.0')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('likely c 2.0')).toBeLessThan(events.indexOf('decided b 1.0'));
    expect(events.indexOf('likely d 3.0')).toBeLessThan(events.indexOf('decided b 1.0'));
    expect(events.filter((e) => e.startsWith('decided'))).toEqual(['decided top 1.0', 'decided b 1.0', 'decided c 2.0', 'decided d 3.0']);
    // Never for a package already decided.
    for (const e of events.filter((x) => x.startsWith('likely'))) {
      expect(events.indexOf(e.replace('likely', 'decided'))).toBeGreaterThan(events.indexOf(e));
    }
  });

  it("is told once the page is here, before that version's metadata arrives", async () => {
    // Every metadata file is slow: the pages alone must be enough.
    const listener = recorder();
    const source = sourceWith({ projects: fan, latencyMs: 2 }, ['top-', 'b-', 'c-', 'd-'], 60);
    const getMetadata = source.getMetadata;
    const heard = {
      ...source,
      getMetadata: async (file: DistributionFile, signal?: AbortSignal) => {
        const m = await getMetadata(file, signal);
        listener.events.push(`metadata ${file.filename}`);
        return m;
      },
    };
    const result = await resolve({ requirements: ['top'] }, heard, { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, decisions: listener });
    expect(result.kind).toBe('resolution');
    const { events } = listener;
    const metadataOf = (prefix: string) => events.findIndex((e) => e.startsWith(`metadata ${prefix}`));
    expect(metadataOf('c-2.0')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('likely c 2.0')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('likely c 2.0')).toBeLessThan(metadataOf('c-2.0'));
    expect(events.indexOf('likely d 3.0')).toBeLessThan(metadataOf('d-3.0'));
    expect(events).toContain('decided c 2.0');
  });

  it('follows the preferences the solver follows (an installed version is the likely one)', async () => {
    const { events } = await run(fan, ['b-'], ['top'], [{ name: 'c', version: '1.0' }]);
    expect(events).toContain('likely c 1.0');
    expect(events).not.toContain('likely c 2.0');
    expect(events).toContain('decided c 1.0');
  });

  it('changes when a decision narrows the set: the new likely version is told', async () => {
    // b's dependency c<2 is known only once b is decided; c 2.0 was likely until then.
    const narrowing: WheelSpec[] = [
      { name: 'top', version: '1.0', requires: ['b', 'c', 'slow'] },
      { name: 'b', version: '1.0', requires: ['c<2'] },
      { name: 'c', version: '1.0' },
      { name: 'c', version: '2.0' },
      { name: 'slow', version: '1.0' },
    ];
    const { result, events } = await run(narrowing, ['b-'], ['top']);
    expect(result.kind).toBe('resolution');
    expect(events).toContain('likely c 2.0');
    expect(events.indexOf('likely c 1.0')).toBeGreaterThan(events.indexOf('likely c 2.0'));
    expect(events).toContain('decided c 1.0');
    expect(events).not.toContain('decided c 2.0');
  });
});
