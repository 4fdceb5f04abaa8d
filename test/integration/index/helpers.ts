/**
 * Shared pieces of the src/index integration tests: a source wired to the fixture index with
 * recorded sleeps (retries without waiting) and recorded events, and a store with a byte budget.
 */
import { createPackageSource, type CreatePackageSourceOptions } from '../../../src/index/create-package-source';
import type { CacheStore } from '../../../src/index/cache-store';
import type { IndexEvent } from '../../../src/index/events';
import { MemoryStore } from '../../../src/index/memory-store';
import type { IndexServer, RequestLogEntry } from '../../fixtures/index-server';
import type { PipettePackageSource } from '../../../src/index/create-package-source';
import type { DistributionFile } from '../../../src/pep';
import { normalizeName } from '../../../src/pep/name';

export interface Harness {
  source: ReturnType<typeof createPackageSource>;
  events: IndexEvent[];
  sleeps: number[];
  store: CacheStore;
  clock: { now: number };
}

/** A source on `server` with an injected clock, sleep and reporter; options override. */
export function harness(
  server: IndexServer,
  options: Partial<CreatePackageSourceOptions> & { store?: CacheStore; clock?: { now: number } } = {},
): Harness {
  const events: IndexEvent[] = [];
  const sleeps: number[] = [];
  const store = options.store ?? new MemoryStore();
  const clock = options.clock ?? { now: Date.UTC(2026, 0, 1) };
  const source = createPackageSource({
    indexUrls: [server.simpleUrl],
    fetch: globalThis.fetch,
    cache: store,
    now: () => clock.now,
    reporter: (event) => events.push(event),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { source, events, sleeps, store, clock };
}

/** The first file the source lists for a project (throws when it lists none). */
export async function firstFile(source: PipettePackageSource, name: string): Promise<DistributionFile> {
  const answer = await source.getProject(normalizeName(name));
  if (answer.kind !== 'found' || answer.project.files.length === 0) throw new Error(`${name} not found`);
  return answer.project.files[0]!;
}

/** Requests whose path matches, from the server's log. */
export function requestsTo(server: IndexServer, pattern: RegExp): RequestLogEntry[] {
  return server.requests.filter((r) => pattern.test(r.path));
}

export function kinds(events: IndexEvent[], kind: IndexEvent['kind']): IndexEvent[] {
  return events.filter((e) => e.kind === kind);
}

/**
 * A store that behaves like a browser's IndexedDB over quota: a `set` that would take the total
 * above `budget` bytes rejects with a DOMException named QuotaExceededError.
 */
export class BudgetStore implements CacheStore {
  readonly inner = new MemoryStore();
  quotaErrors = 0;

  constructor(readonly budget: number) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.inner.get(key);
  }

  async set(key: string, value: Uint8Array): Promise<void> {
    const old = (await this.inner.get(key))?.length ?? 0;
    if (this.inner.bytes - old + value.length > this.budget) {
      this.quotaErrors++;
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    }
    await this.inner.set(key, value);
  }

  async del(key: string): Promise<void> {
    await this.inner.del(key);
  }

  async keys(): Promise<string[]> {
    return this.inner.keys();
  }
}
