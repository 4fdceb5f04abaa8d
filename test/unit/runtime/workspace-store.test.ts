import { describe, expect, test } from 'vitest';
import { decodeState, encodeState, WORKSPACE_DATABASE_NAME, type WorkspaceState } from '../../../src/runtime/workspace-store';

const entry = { name: 'Alpha', version: '1.0', filename: 'alpha-1.0-py3-none-any.whl', url: 'https://files.example/alpha-1.0-py3-none-any.whl', sha256: 'a'.repeat(64), index: 'https://pypi.org/simple/', requested: true, directUrl: null };
const state: WorkspaceState = {
  schema: 1,
  active: '/home/pyodide/.venv',
  environments: [
    { kind: 'base', prefix: '/', options: null, lock: [entry] },
    { kind: 'venv', prefix: '/home/pyodide/.venv', options: { systemSitePackages: false, prompt: 'x', withPip: false, scmIgnoreFiles: true }, lock: [] },
  ],
  sharedLibraries: [],
};

describe('the stored workspace state', () => {
  test('round-trips, and the schema version is in the database name', () => {
    expect(decodeState(encodeState(state))).toEqual({ state, problems: [] });
    expect(WORKSPACE_DATABASE_NAME).toBe('pipette-workspace-v1');
  });

  test('damaged entries are dropped and named; the rest is kept', () => {
    const raw = JSON.parse(new TextDecoder().decode(encodeState(state))) as { environments: { lock: unknown[] }[] };
    raw.environments[0]!.lock.push({ ...entry, sha256: 'not-a-digest' }, 'junk');
    raw.environments.push({ kind: 'nope', lock: [] } as unknown as { lock: unknown[] });
    const { state: decoded, problems } = decodeState(new TextEncoder().encode(JSON.stringify(raw)));
    expect(decoded?.environments.map((e) => e.lock.length)).toEqual([1, 0]);
    expect(problems).toEqual(['A damaged lock entry of / was dropped.', 'A damaged lock entry of / was dropped.', 'A damaged environment record was dropped.']);
  });

  test('not JSON, or another schema: no state, and a sentence saying so', () => {
    expect(decodeState(new TextEncoder().encode('{'))).toEqual({ state: null, problems: ['The saved workspace could not be read (not JSON); starting with an empty one.'] });
    expect(decodeState(new TextEncoder().encode('{"schema": 2}')).state).toBeNull();
  });
});
