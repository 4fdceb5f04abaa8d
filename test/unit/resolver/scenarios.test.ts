/**
 * The resolver scenarios (test/fixtures/resolver-scenarios.ts) through the in-memory source:
 * the pins, or the whole explanation text. The same data runs over HTTP in
 * test/integration/resolver/scenarios.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { resolverScenarios } from '../../fixtures/resolver-scenarios';
import { resolveMemory } from './helpers';

describe('resolver scenarios (in-memory source)', () => {
  for (const scenario of resolverScenarios) {
    it(scenario.description, async () => {
      const result = await resolveMemory(
        { projects: scenario.packages, pyodidePackages: scenario.pyodidePackages },
        { requirements: scenario.root, constraints: scenario.constraints },
        scenario.options,
      );
      if ('error' in scenario.expected) {
        expect(result.kind === 'no-solution' ? result.explanation : result.distributions.map((d) => `${d.name}==${d.version}`)).toBe(
          scenario.expected.error,
        );
      } else {
        expect(result.kind === 'resolution' ? result.distributions.map((d) => `${d.name}==${d.version}`) : result.explanation).toEqual(
          scenario.expected.pins,
        );
        expect(result.warnings.map((w) => w.code)).toEqual(scenario.expected.warnings ?? []);
        if (result.kind === 'resolution' && scenario.expected.fromPyodide) {
          expect(result.distributions.filter((d) => d.file.origin === 'pyodide-lock').map((d) => d.name)).toEqual(scenario.expected.fromPyodide);
        }
      }
    });
  }
});
