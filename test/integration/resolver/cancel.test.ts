/**
 * The resolver under pip, in a real Pyodide, over the fixture index: a long resolution stops
 * at Ctrl+C (pip's ctx.signal) with pip's message, and a hard failure is explained without
 * touching the environment. Both through the hardening catalogue's one assertion
 * (`expectClearAndUnchanged`: pip freeze and the sha256 of every installed file, before and after).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { pigeonhole } from '../../fixtures/hard-graphs';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { expectClearAndUnchanged, outcome } from '../hardening/catalogue';

const long = pigeonhole(10);
const small = pigeonhole(4);
let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  // The small graph under other names, so both live on one index.
  const renamed = small.packages.map((p) => ({
    ...p,
    name: `small-${p.name}`,
    requires: (p.requires ?? []).map((r) => `small-${r}`),
  }));
  server = await startIndexServer({ projects: [...long.packages, ...renamed, { name: 'kept', version: '1.0' }] });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
  const r = await h.pip('install', 'kept');
  if (r.code !== 0) throw new Error(r.stderr);
}, 60_000);

afterAll(async () => {
  h.signal = null;
  await server?.close();
});

/** Resolves once the index has had no request for `ms`: the resolver only computes then. */
async function quiet(ms: number): Promise<void> {
  for (let seen = -1; ; ) {
    await new Promise((done) => setTimeout(done, ms));
    if (server.requests.length > 0 && server.requests.length === seen) return;
    seen = server.requests.length;
  }
}

test('Ctrl+C during a long resolution: "Operation cancelled by user", soon, and nothing changed', async () => {
  let latency = Infinity;
  const out = await expectClearAndUnchanged(h, {
    input: 'pip install of 11 pigeons in 10 holes (minutes of resolving), Ctrl+C once the index is quiet',
    run: async (s) => {
      const controller = new AbortController();
      s.signal = controller.signal;
      server.resetRequests();
      try {
        const running = s.pip('install', ...long.root);
        await quiet(500);
        const abortedAt = performance.now();
        controller.abort(new DOMException('Interrupted by Ctrl+C', 'AbortError'));
        const r = await running;
        latency = performance.now() - abortedAt;
        return outcome(r);
      } finally {
        s.signal = null;
      }
    },
    expectedMessage: 'ERROR: Operation cancelled by user',
  });
  expect(out.output).not.toContain('ResolutionImpossible');
  expect(latency).toBeLessThan(1000);
});

test('5 pigeons in 4 holes: explained as pip explains a conflict, nothing changed', async () => {
  await expectClearAndUnchanged(h, {
    input: 'pip install of 5 pigeons in 4 holes (no solution)',
    run: async (s) => outcome(await s.pip('install', ...small.root.map((r) => `small-${r}`))),
    expectedMessage: /^ERROR: Cannot install small-pigeon1, small-pigeon2, small-pigeon3, small-pigeon4 and small-pigeon5 because these package versions have conflicting dependencies\.[\s\S]*your requirements are unsatisfiable\.[\s\S]*ERROR: ResolutionImpossible/m,
  });
});
