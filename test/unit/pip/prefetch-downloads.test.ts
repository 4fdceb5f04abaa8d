/**
 * The download scheduler that reads wheels while the resolver works (src/pip/prefetch-downloads.ts):
 * cancelled when backtracking discards a decision, never twice for one file, a bounded number
 * at once, and the failure of a download nobody wants is no error. The fetch is a function
 * the test answers by hand, so the order of events is exact; the real index and the real
 * resolver drive it in test/integration/pip/pipelining.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DistributionFile } from '../../../src/pep';
import { normalizeName, Version } from '../../../src/pep';
import { PrefetchDownloads } from '../../../src/pip/prefetch-downloads';
import { resolveMemory } from '../resolver/helpers';
import { scenarios } from '../../fixtures/scenarios';

interface Call {
  readonly file: DistributionFile;
  readonly signal: AbortSignal;
  resolve(bytes: Uint8Array): void;
  reject(error: unknown): void;
}

function fileOf(name: string, version: string): DistributionFile {
  return {
    filename: `${name}-${version}-py3-none-any.whl`,
    url: `https://example.test/files/${name}-${version}-py3-none-any.whl`,
    hashes: {},
    requiresPython: null,
    yanked: false,
    coreMetadata: false,
    size: 10,
    uploadTime: null,
    origin: 'index',
    index: 'https://example.test/simple/',
  } as DistributionFile;
}

function harness(options: { concurrency?: number; wants?: (name: string) => boolean } = {}) {
  const calls: Call[] = [];
  const deferred: Array<() => void> = [];
  const downloads = new PrefetchDownloads<string>({
    fetch: (file, signal) =>
      new Promise<Uint8Array>((resolve, reject) => {
        calls.push({ file, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
    wants: (name) => options.wants?.(name) ?? true,
    stage: (file, bytes) => `staged ${file.filename} (${bytes.length} B)`,
    concurrency: options.concurrency ?? 2,
    defer: (task) => deferred.push(task),
  });
  const turn = (): void => {
    for (const task of deferred.splice(0)) task();
  };
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
  return { calls, downloads, turn, tick };
}

const decide = (d: PrefetchDownloads<string>, name: string, version: string): DistributionFile => {
  const file = fileOf(name, version);
  d.decided(normalizeName(name), Version.parse(version), file);
  return file;
};
const discard = (d: PrefetchDownloads<string>, file: DistributionFile): void => {
  const [name = '', version = ''] = file.filename.split('-');
  d.discarded(normalizeName(name), Version.parse(version), file);
};

describe('PrefetchDownloads', () => {
  it('starts a download when a version is decided, and hands it, staged, to the install', async () => {
    const { calls, downloads, tick } = harness();
    const file = decide(downloads, 'alpha', '1.0');
    await tick();
    expect(calls.map((c) => c.file.filename)).toEqual(['alpha-1.0-py3-none-any.whl']);
    calls[0]!.resolve(new Uint8Array(3));
    await expect(downloads.take(file)).resolves.toEqual({ bytes: new Uint8Array(3), staged: 'staged alpha-1.0-py3-none-any.whl (3 B)' });
    expect(downloads.stats).toEqual({ started: 1, cancelled: 0, peak: 1, likely: 0 });
  });

  it('cancels the download of a decision backtracking discards (its signal aborts)', async () => {
    const { calls, downloads, turn, tick } = harness();
    const file = decide(downloads, 'alpha', '2.0');
    await tick();
    discard(downloads, file);
    // Not before the host's next turn: the resolver may decide the same version again at once.
    expect(calls[0]!.signal.aborted).toBe(false);
    turn();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(downloads.stats.cancelled).toBe(1);
    // Asked for again later, it is downloaded afresh.
    const again = downloads.take(file);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve(new Uint8Array(1));
    await expect(again).resolves.toMatchObject({ bytes: new Uint8Array(1) });
  });

  it('keeps a download discarded and decided again in the same turn (one download, not two)', async () => {
    const { calls, downloads, turn, tick } = harness();
    const file = decide(downloads, 'alpha', '1.0');
    await tick();
    discard(downloads, file);
    decide(downloads, 'alpha', '1.0');
    turn();
    await tick();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal.aborted).toBe(false);
    // Decided twice in a row: still one download.
    decide(downloads, 'alpha', '1.0');
    await tick();
    expect(calls).toHaveLength(1);
    calls[0]!.resolve(new Uint8Array(2));
    await downloads.take(file);
    expect(downloads.stats).toEqual({ started: 1, cancelled: 0, peak: 1, likely: 0 });
  });

  it('runs at most `concurrency` downloads at once, the rest in decision order, and more once the resolution is over', async () => {
    const { calls, downloads, tick } = harness({ concurrency: 2 });
    const files = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((n) => decide(downloads, n, '1.0'));
    await tick();
    expect(calls.map((c) => c.file.filename[0])).toEqual(['a', 'b']);
    calls[0]!.resolve(new Uint8Array(1));
    await tick();
    await tick();
    expect(calls.map((c) => c.file.filename[0])).toEqual(['a', 'b', 'c']);
    // The install waits on h: it jumps the queue.
    const h = downloads.take(files[7]!);
    calls[1]!.resolve(new Uint8Array(1));
    await tick();
    await tick();
    expect(calls.map((c) => c.file.filename[0])).toEqual(['a', 'b', 'c', 'h']);
    for (const f of files) void downloads.take(f);
    downloads.settle();
    await tick();
    // 6 at once after settle(): c and h still running, d, e, f, g started.
    expect(calls.map((c) => c.file.filename[0])).toEqual(['a', 'b', 'c', 'h', 'd', 'e', 'f', 'g']);
    expect(downloads.stats.peak).toBe(6);
    for (const c of calls.slice(2)) c.resolve(new Uint8Array(1));
    await expect(h).resolves.toMatchObject({ bytes: new Uint8Array(1) });
  });

  it('of the queued downloads, the largest goes first (the link is what limits)', async () => {
    const { calls, downloads, tick } = harness({ concurrency: 1 });
    const sized = (name: string, size: number): void => downloads.decided(normalizeName(name), Version.parse('1.0'), { ...fileOf(name, '1.0'), size });
    sized('first', 5);
    sized('small', 10);
    sized('big', 1_000_000);
    sized('middle', 5_000);
    await tick();
    for (let i = 0; i < 4; i++) {
      calls[i]?.resolve(new Uint8Array(1));
      await tick();
      await tick();
    }
    expect(calls.map((c) => c.file.filename.split('-')[0])).toEqual(['first', 'big', 'middle', 'small']);
  });

  it('a discarded download that is still queued never starts', async () => {
    const { calls, downloads, turn, tick } = harness({ concurrency: 1 });
    decide(downloads, 'a', '1.0');
    const b = decide(downloads, 'b', '1.0');
    discard(downloads, b);
    turn();
    calls[0]?.resolve(new Uint8Array(1));
    await tick();
    await tick();
    expect(calls.map((c) => c.file.filename[0])).toEqual(['a']);
  });

  it('the failure of a discarded download is no error; a taken one that failed ahead is tried once more, then its failure is the install\'s', async () => {
    const { calls, downloads, turn, tick } = harness();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const a = decide(downloads, 'a', '1.0');
      const b = decide(downloads, 'b', '1.0');
      await tick();
      discard(downloads, a);
      turn();
      calls[0]!.reject(new Error('HTTP error 404 for a'));
      calls[1]!.reject(new Error('HTTP error 404 for b'));
      await tick();
      // b failed while read ahead: the install's take() tries it once more, as if it were only
      // starting now; that failure is the install's.
      const taken = downloads.take(b);
      await tick();
      await tick();
      expect(calls.filter((c) => c.file === b)).toHaveLength(2);
      calls.filter((c) => c.file === b)[1]!.reject(new Error('HTTP error 404 for b, again'));
      await expect(taken).rejects.toThrow('HTTP error 404 for b, again');
      // Asked again, the same answer: no third request.
      await expect(downloads.take(b)).rejects.toThrow('HTTP error 404 for b, again');
      expect(calls.filter((c) => c.file === b)).toHaveLength(2);
      expect(calls.filter((c) => c.file === a)).toHaveLength(1);
      downloads.settle();
      downloads.close();
      await tick();
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('settle() cancels what the install did not take; close() and the run\'s signal cancel everything', async () => {
    const controller = new AbortController();
    const calls: Call[] = [];
    const downloads = new PrefetchDownloads<never>({
      fetch: (file, signal) => new Promise<Uint8Array>((resolve, reject) => {
        calls.push({ file, signal, resolve, reject });
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      }),
      wants: () => true,
      signal: controller.signal,
      concurrency: 4,
    });
    const [a, b, c] = ['a', 'b', 'c'].map((n) => {
      const f = fileOf(n, '1.0');
      downloads.decided(normalizeName(n), Version.parse('1.0'), f);
      return f;
    });
    await new Promise((r) => setTimeout(r, 0));
    const taken = downloads.take(a!).catch((e: unknown) => e);
    void downloads.take(b!).catch(() => undefined);
    downloads.settle();
    expect(calls.map((x) => x.signal.aborted)).toEqual([false, false, true]);
    void c;
    controller.abort(new Error('Operation cancelled by user'));
    expect(calls.map((x) => x.signal.aborted)).toEqual([true, true, true]);
    expect(await taken).toBeInstanceOf(Error);
  });

  it('skips what it does not want (already installed, a source to build)', async () => {
    const { calls, downloads, tick } = harness({ wants: (name) => name !== 'installed' });
    decide(downloads, 'installed', '1.0');
    decide(downloads, 'fresh', '1.0');
    await tick();
    expect(calls.map((c) => c.file.filename)).toEqual(['fresh-1.0-py3-none-any.whl']);
  });

  it('limits downloads per host (limits), with more once the resolution is over', async () => {
    const calls: Call[] = [];
    const downloads = new PrefetchDownloads<never>({
      fetch: (file, signal) => new Promise<Uint8Array>((resolve, reject) => void calls.push({ file, signal, resolve, reject })),
      wants: () => true,
      limits: (origin) => (origin === 'https://h2.test' ? { resolving: 3, settled: 5 } : { resolving: 1, settled: 2 }),
    });
    const at = (origin: string, name: string): DistributionFile => ({ ...fileOf(name, '1.0'), url: `${origin}/${name}-1.0-py3-none-any.whl` });
    const files = [
      ...['a', 'b', 'c', 'd', 'e', 'f'].map((n) => at('https://h2.test', n)),
      ...['u', 'v', 'w'].map((n) => at('http://h1.test', n)),
    ];
    for (const f of files) downloads.decided(normalizeName(f.filename.split('-')[0]!), Version.parse('1.0'), f);
    const hosts = (): string[] => calls.filter((c) => !c.signal.aborted).map((c) => new URL(c.file.url).host);
    await new Promise((r) => setTimeout(r, 0));
    expect(hosts().sort()).toEqual(['h1.test', 'h2.test', 'h2.test', 'h2.test']);
    for (const f of files) void downloads.take(f).catch(() => undefined);
    downloads.settle();
    await new Promise((r) => setTimeout(r, 0));
    expect(hosts().sort()).toEqual(['h1.test', 'h1.test', 'h2.test', 'h2.test', 'h2.test', 'h2.test', 'h2.test']);
    downloads.close();
  });

  describe('likely versions (a pending package whose project page is here)', () => {
    /** Each download asked for, and whether it was cancelled since. */
    const downloadStates = (calls: readonly Call[]): Array<[string, boolean]> => calls.map((c) => [c.file.filename, c.signal.aborted]);
    const expect_ = (d: PrefetchDownloads<string>, name: string, version: string): DistributionFile => {
      const file = fileOf(name, version);
      d.likely(normalizeName(name), Version.parse(version), file);
      return file;
    };

    it('starts downloading a likely version, and its decision at that version keeps the same download', async () => {
      const { calls, downloads, turn, tick } = harness();
      const file = expect_(downloads, 'alpha', '2.0');
      await tick();
      expect(calls.map((c) => c.file.filename)).toEqual(['alpha-2.0-py3-none-any.whl']);
      decide(downloads, 'alpha', '2.0');
      turn();
      calls[0]!.resolve(new Uint8Array(4));
      await expect(downloads.take(file)).resolves.toMatchObject({ bytes: new Uint8Array(4) });
      expect(calls).toHaveLength(1);
      expect(downloads.stats).toEqual({ started: 1, cancelled: 0, peak: 1, likely: 1 });
    });

    it('cancels a likely download when its package is decided at another version', async () => {
      const { calls, downloads, turn, tick } = harness();
      expect_(downloads, 'alpha', '2.0');
      await tick();
      decide(downloads, 'alpha', '1.0');
      turn();
      await tick();
      expect(downloadStates(calls)).toEqual([
        ['alpha-2.0-py3-none-any.whl', true],
        ['alpha-1.0-py3-none-any.whl', false],
      ]);
      expect(downloads.stats.cancelled).toBe(1);
    });

    it('cancels a likely download when another version becomes the likely one', async () => {
      const { calls, downloads, tick } = harness();
      expect_(downloads, 'alpha', '2.0');
      await tick();
      expect_(downloads, 'alpha', '1.5');
      await tick();
      expect(downloadStates(calls)).toEqual([
        ['alpha-2.0-py3-none-any.whl', true],
        ['alpha-1.5-py3-none-any.whl', false],
      ]);
    });

    it('a likely version of a package already decided is ignored; once the decision is discarded it counts again', async () => {
      const { calls, downloads, turn, tick } = harness({ concurrency: 5 });
      const one = decide(downloads, 'alpha', '1.0');
      expect_(downloads, 'alpha', '2.0');
      await tick();
      expect(calls.map((c) => c.file.filename)).toEqual(['alpha-1.0-py3-none-any.whl']);
      discard(downloads, one);
      turn();
      expect_(downloads, 'alpha', '2.0');
      await tick();
      expect(downloadStates(calls)).toEqual([
        ['alpha-1.0-py3-none-any.whl', true],
        ['alpha-2.0-py3-none-any.whl', false],
      ]);
    });

    it('queues likely downloads by size, as decided ones: the largest first', async () => {
      const { calls, downloads, tick } = harness({ concurrency: 1 });
      decide(downloads, 'first', '1.0');
      downloads.likely(normalizeName('big'), Version.parse('1.0'), { ...fileOf('big', '1.0'), size: 1_000_000 });
      downloads.decided(normalizeName('small'), Version.parse('1.0'), { ...fileOf('small', '1.0'), size: 1 });
      await tick();
      for (let i = 0; i < 3; i++) {
        calls[i]?.resolve(new Uint8Array(1));
        await tick();
        await tick();
      }
      expect(calls.map((c) => c.file.filename.split('-')[0])).toEqual(['first', 'big', 'small']);
    });

    it('settle() cancels a likely download the install did not take; one it did not want never starts', async () => {
      const { calls, downloads, tick } = harness({ wants: (name) => name !== 'installed' });
      expect_(downloads, 'installed', '1.0');
      expect_(downloads, 'spare', '1.0');
      await tick();
      expect(calls.map((c) => c.file.filename)).toEqual(['spare-1.0-py3-none-any.whl']);
      downloads.settle();
      expect(calls[0]!.signal.aborted).toBe(true);
    });
  });

  it("follows a real resolution's decisions and backtracks: the discarded version's download is cancelled", async () => {
    const started: string[] = [];
    const aborted: string[] = [];
    const downloads = new PrefetchDownloads<never>({
      fetch: (file, signal) => {
        started.push(file.filename);
        return new Promise<Uint8Array>((_, reject) => {
          signal.addEventListener('abort', () => (aborted.push(file.filename), reject(signal.reason)), { once: true });
        });
      },
      wants: () => true,
      concurrency: 10,
    });
    // The backtrack scenario: a 2.0 and b 2.0 are decided, then a 2.0 turns out unusable.
    const result = await resolveMemory({ projects: scenarios.backtrack!.projects, latencyMs: 2 }, { requirements: ['a'] }, { decisions: downloads });
    expect(result.kind).toBe('resolution');
    await new Promise((r) => setTimeout(r, 5));
    expect(started.map((f) => f.split('-').slice(0, 2).join('-'))).toEqual(['a-2.0', 'b-2.0', 'a-1.0', 'b-1.0']);
    expect(aborted.map((f) => f.split('-').slice(0, 2).join('-')).sort()).toEqual(['a-2.0', 'b-2.0']);
    downloads.close();
  });
});
