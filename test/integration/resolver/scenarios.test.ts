/**
 * The resolver scenarios (test/fixtures/resolver-scenarios.ts) end to end: each served by the
 * fixture index over HTTP on 127.0.0.1 (real wheels, PEP 691 pages, PEP 658 metadata, a Pyodide
 * lock), read through the real PackageSource (`createPackageSource`), resolved, and checked
 * against the same expectations as the in-memory run: pins, or the whole explanation text.
 */
import { describe, expect, it } from 'vitest';
import { createPackageSource } from '../../../src/index';
import type { PyodideLock } from '../../../src/index';
import { resolve } from '../../../src/resolver';
import { startIndexServer } from '../../fixtures/index-server';
import { resolverScenarios } from '../../fixtures/resolver-scenarios';
import { PYODIDE_ENV, PYODIDE_INFO } from '../../unit/resolver/helpers';

describe('resolver scenarios (fixture index over HTTP)', () => {
  for (const scenario of resolverScenarios) {
    it(scenario.description, async () => {
      const server = await startIndexServer({ projects: scenario.packages, pyodidePackages: scenario.pyodidePackages });
      try {
        let pyodideLock: { lock: PyodideLock; baseUrl: string } | null = null;
        if (scenario.pyodidePackages) {
          const response = await fetch(`${server.pyodideUrl}pyodide-lock.json`);
          pyodideLock = { lock: (await response.json()) as PyodideLock, baseUrl: server.pyodideUrl };
        }
        const source = createPackageSource({ indexUrls: [server.simpleUrl], pyodideLock, fetch: globalThis.fetch.bind(globalThis) });
        const result = await resolve(
          { requirements: scenario.root, constraints: scenario.constraints },
          source,
          { environment: PYODIDE_ENV, pyodide: PYODIDE_INFO, ...scenario.options },
        );
        const shown = result.kind === 'resolution' ? result.distributions.map((d) => `${d.name}==${d.version}`) : result.explanation;
        if ('error' in scenario.expected) {
          expect(shown).toBe(scenario.expected.error);
        } else {
          expect(shown).toEqual(scenario.expected.pins);
          expect(result.warnings.map((w) => w.code)).toEqual(scenario.expected.warnings ?? []);
          if (result.kind === 'resolution' && scenario.expected.fromPyodide) {
            expect(result.distributions.filter((d) => d.file.origin === 'pyodide-lock').map((d) => d.name)).toEqual(scenario.expected.fromPyodide);
          }
          if (result.kind === 'resolution') {
            // Every pin comes with the file to install, from this index or the Pyodide lock.
            for (const d of result.distributions) {
              expect(d.file.url.startsWith(server.url)).toBe(true);
              expect(d.file.hashes['sha256']).toMatch(/^[0-9a-f]{64}$/);
            }
          }
        }
      } finally {
        await server.close();
      }
    });
  }
});
