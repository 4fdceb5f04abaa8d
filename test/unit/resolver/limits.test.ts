/**
 * The resolver yields to its host, obeys its AbortSignal, and gives up after pip's number of
 * rounds or its time limit, with a typed error naming the packages it was stuck on. Time is
 * driven by an injected scheduler where the test is about time; the abort test runs on the
 * host's own clock and event loop.
 */
import { describe, expect, it } from 'vitest';
import { ResolverError } from '../../../src/resolver';
import type { Scheduler } from '../../../src/resolver';
import { pigeonhole } from '../../fixtures/hard-graphs';
import { resolveMemory } from './helpers';

/** A clock that moves `step` ms each time it is read, and a yield that records the time. */
function fakeScheduler(step = 1): Scheduler & { yields: number[] } {
  let now = 0;
  const yields: number[] = [];
  return {
    yields,
    now: () => (now += step),
    yield: async () => {
      yields.push(now);
    },
  };
}

const hard = pigeonhole(5);
const request = { requirements: hard.root };

describe('resolver limits', () => {
  it('stops after maxRounds with ResolutionTooDeep in pip\'s words, naming the packages it was stuck on', async () => {
    const error = await resolveMemory({ projects: hard.packages }, request, { maxRounds: 40 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolverError);
    const e = error as ResolverError;
    expect(e.code).toBe('resolution-too-deep');
    expect(e.message).toMatch(/^Dependency resolution exceeded maximum depth: no result after 40 rounds\. It was stuck on: /);
    expect(e.message).toMatch(/It was stuck on: (?:(?:pigeon|hole)\d \(\d+ conflicts?\)(?:, |\.))+/);
    expect(e.message).toContain('Pip cannot resolve the current dependencies as the dependency graph is too complex for pip to solve efficiently.');
    expect(e.message).toContain("hint: Try adding lower bounds to constrain your dependencies, for example: 'package>=2.0.0' instead of just 'package'.");
    // The same graph without the limit is solved (as "no solution") in far fewer than 200,000 rounds.
    expect((await resolveMemory({ projects: hard.packages }, request)).kind).toBe('no-solution');
  });

  it('stops at the time limit with a typed error', async () => {
    const scheduler = fakeScheduler(1);
    const error = await resolveMemory({ projects: hard.packages }, request, { scheduler, timeLimitMs: 60 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolverError);
    expect((error as ResolverError).code).toBe('resolution-time-limit');
    expect((error as ResolverError).message).toMatch(/^Dependency resolution took longer than 60 ms and was stopped after \d+ rounds\. It was stuck on: /);
  });

  it('awaits the host every slice of work', async () => {
    const scheduler = fakeScheduler(1);
    const result = await resolveMemory({ projects: hard.packages }, request, { scheduler, sliceMs: 5 });
    expect(result.kind).toBe('no-solution');
    // One clock reading per round here: a yield at least every 5 readings.
    expect(scheduler.yields.length).toBeGreaterThan(10);
    const gaps = scheduler.yields.slice(1).map((t, i) => t - (scheduler.yields[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(8);
  });

  it('rejects soon after its AbortSignal fires, in the middle of a long in-memory resolution', async () => {
    const graph = pigeonhole(8);
    const controller = new AbortController();
    const pending = resolveMemory({ projects: graph.packages }, { requirements: graph.root }, { signal: controller.signal });
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
    }, 300);
    const error = await pending.catch((e: unknown) => e);
    const latency = performance.now() - abortedAt;
    expect(abortedAt).toBeGreaterThan(0);
    expect((error as DOMException).name).toBe('AbortError');
    // Yields every 5 ms of work; generous for a busy machine (the bench prints the figure).
    expect(latency).toBeLessThan(500);
  });
});
