/**
 * Hardening catalogue, part 4: storage that fails under the runtime session, as IndexedDB does
 * in a browser: full (QuotaExceededError part way through an install), unavailable (private
 * browsing: every request fails), and shared by two tabs installing at once. The cache is an
 * optimisation and the workspace a convenience: neither may fail an install or change what is
 * installed; each says what it could not keep. The browser's own IndexedDB is exercised in
 * test/e2e/hardening.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryStore, quotaExceededError } from '../../../src/index';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { newStores, RuntimeHarness } from '../../fixtures/runtime-harness';
import { expectClearAndUnchanged, runtimeSubject, type CatalogueItem, type Snapshot, type Subject } from './catalogue';

/** A store that fills up: `set` fails with QuotaExceededError once `budget` bytes are held. */
class FullStore extends MemoryStore {
  refusals = 0;
  constructor(private readonly budget: number) {
    super();
  }
  override async set(key: string, value: Uint8Array): Promise<void> {
    const existing = (await this.get(key))?.length ?? 0;
    if (this.bytes - existing + value.length > this.budget) {
      this.refusals++;
      throw quotaExceededError(`QuotaExceededError: the store holds ${this.bytes} bytes of ${this.budget}`);
    }
    return super.set(key, value);
  }
}

/** IndexedDB in a private window of some browsers: every request fails. */
class UnavailableStore extends MemoryStore {
  private fail(): never {
    throw new DOMException('A mutation operation was attempted on a database that did not allow mutations.', 'InvalidStateError');
  }
  override async get(): Promise<Uint8Array | undefined> {
    this.fail();
  }
  override async set(): Promise<void> {
    this.fail();
  }
  override async del(): Promise<void> {
    this.fail();
  }
  override async keys(): Promise<string[]> {
    this.fail();
  }
}

const PACKAGES = 8;
let server: IndexServer;
beforeAll(async () => {
  // 20 kB of pseudo-random letters per wheel (a fixed LCG), so deflate cannot shrink them away
  // and a few wheels fill the small budget below.
  const letters = (seed: number): string => {
    let x = seed;
    return Array.from({ length: 20_000 }, () => String.fromCharCode(97 + ((x = (x * 1103515245 + 12345) % 2 ** 31) % 26))).join('');
  };
  server = await startIndexServer({
    projects: [
      { name: 'app', version: '1.0', requires: Array.from({ length: PACKAGES }, (_, i) => `dep${i}`) },
      ...Array.from({ length: PACKAGES }, (_, i) => ({ name: `dep${i}`, version: '1.0', files: { [`dep${i}/__init__.py`]: `x = "${letters(i + 1)}"\n` } })),
      { name: 'solo', version: '1.0' },
    ],
  });
});
afterAll(async () => {
  await server?.close();
});

const everything = ['app==1.0', ...Array.from({ length: PACKAGES }, (_, i) => `dep${i}==1.0`)].sort().join('\n') + '\n';
const pip = (...argv: string[]) => async (s: RuntimeHarness) => {
  const r = await s.pip(argv);
  return { code: r.code, output: r.stdout + r.stderr };
};

describe('a full IndexedDB (QuotaExceededError part way through an install)', () => {
  let h: RuntimeHarness & Subject;
  let cache: FullStore;
  let workspace: FullStore;
  beforeAll(async () => {
    // Room for about three of the nine wheels in the cache, and for a state record or two.
    cache = new FullStore(30_000);
    workspace = new FullStore(600);
    h = runtimeSubject(await RuntimeHarness.start(server, { cache, workspace }));
  }, 60_000);

  const items: CatalogueItem<RuntimeHarness & Subject>[] = [
    {
      input: 'cache full part way through a 9-package install',
      run: pip('install', 'app'),
      expectedMessage: /Successfully installed app-1\.0 dep0-1\.0[\s\S]*WARNING: The workspace could not be saved \(QuotaExceededError[^)]*\); the latest changes are in this tab only\./,
      freezeAfter: everything,
    },
  ];
  test.each(items.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
    await expectClearAndUnchanged(h, item);
    expect(cache.refusals).toBeGreaterThan(0);
    expect(cache.bytes).toBeLessThanOrEqual(30_000);
    // Python sees every package.
    expect(await h.py('import dep7, app; "ok"')).toBe('ok');
  });
});

describe('IndexedDB unavailable (private browsing: every request fails)', () => {
  let h: RuntimeHarness & Subject;
  beforeAll(async () => {
    h = runtimeSubject(await RuntimeHarness.start(server, { cache: new UnavailableStore(), workspace: new UnavailableStore() }));
  }, 60_000);

  test('the saved workspace cannot be read: an empty one, and the reason', async () => {
    const report = await h.session.restore();
    expect(report.problems.join('\n')).toMatch(/The saved workspace could not be read \(.*did not allow mutations.*\); starting with an empty one\./);
  });

  const items: CatalogueItem<RuntimeHarness & Subject>[] = [
    {
      input: 'IndexedDB unavailable: pip install app',
      run: pip('install', 'app'),
      expectedMessage: /Successfully installed app-1\.0 [\s\S]*WARNING: The workspace could not be saved \(.*\); the latest changes are in this tab only\./,
      freezeAfter: everything,
    },
    {
      input: 'IndexedDB unavailable: pip uninstall -y app',
      run: pip('uninstall', '-y', 'app'),
      expectedMessage: 'Successfully uninstalled app-1.0',
      freezeAfter: everything.replace('app==1.0\n', ''),
    },
  ];
  test.each(items.map((item) => [item.input, item] as const))('%s', async (_input, item) => {
    await expectClearAndUnchanged(h, item);
  });
});

describe('two tabs installing at once over one cache', () => {
  let a: RuntimeHarness & Subject;
  let b: RuntimeHarness & Subject;
  const shared = newStores();
  beforeAll(async () => {
    [a, b] = (await Promise.all([RuntimeHarness.start(server, shared), RuntimeHarness.start(server, { cache: shared.cache, workspace: new MemoryStore() })]))
      .map((x) => runtimeSubject(x)) as [RuntimeHarness & Subject, RuntimeHarness & Subject];
  }, 60_000);

  test('both installs succeed, each environment is whole, and the cache serves a third', async () => {
    const [ra, rb] = await Promise.all([a.pip(['install', 'app']), b.pip(['install', 'app', 'solo'])]);
    expect(ra.stderr).toBe('');
    expect(rb.stderr).toBe('');
    expect(await a.freeze()).toBe(everything);
    expect(await b.freeze()).toBe([...everything.trim().split('\n'), 'solo==1.0'].sort().join('\n') + '\n');
    // Same wheels, same files: byte for byte the same site-packages for what they share.
    const shape = (s: Snapshot) => s.tree.filter((l) => !l.includes('solo') && !l.includes('/REQUESTED') && !l.includes('/RECORD'));
    expect(shape(await a.snapshot())).toEqual(shape(await b.snapshot()));
    // Every wheel is in the shared cache whole: a reinstall reads it with the index gone.
    server.setFaults({ status: { match: /^\/files\//, code: 503 } });
    try {
      const again = await a.pip(['install', '--force-reinstall', '--no-deps', 'dep3==1.0']);
      expect(again.stdout).toContain('Using cached');
      expect(again.code).toBe(0);
    } finally {
      server.setFaults({});
    }
  });
});
