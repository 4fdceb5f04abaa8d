/**
 * The install plan (src/install/plan.ts) as the pure function it is: a lock and an environment
 * in, uv's partition out (cached / remote to install, installed kept, reinstalls, extraneous).
 * Cases by name, then laws over random locks and environments, checked against a slow,
 * obviously-correct reading of the same rules.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InstallError, lockKey, planInstall, type InstalledDist, type LockRecord, type PlanOptions } from '../../../src/install';
import { normalizeName, parseMetadata, type NormalizedName } from '../../../src/pep';

const SHA = (c: string): string => c.repeat(64);

function record(name: string, version: string, extra: Partial<LockRecord> = {}): LockRecord {
  const stem = name.replace(/[-_.]+/g, '_');
  const filename = `${stem}-${version}-py3-none-any.whl`;
  return { name, version, filename, url: `https://files.example/${filename}`, sha256: SHA('a'), index: 'https://pypi.org/simple/', requested: true, directUrl: null, ...extra };
}

function installed(name: string, version: string, directUrl: string | null = null): InstalledDist {
  const metadata = parseMetadata(`Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  return { name: normalizeName(name), metadata, distInfoPath: `/site/${name}-${version}.dist-info`, requested: true, installer: 'pipette', record: [], directUrl };
}

const names = (list: readonly { name: string }[]): string[] => list.map((x) => normalizeName(x.name)).sort();

describe('planInstall', () => {
  test('a fresh environment: everything to install, split by the cache', () => {
    const lock = [record('six', '1.17.0'), record('Jinja2', '3.1.6', { sha256: SHA('b') })];
    const plan = planInstall({ distributions: lock }, { installed: [] }, { isCached: (r) => r.sha256 === SHA('a') });
    expect(plan.install).toEqual(lock);
    expect(names(plan.cached)).toEqual(['six']);
    expect(names(plan.remote)).toEqual(['jinja2']);
    expect(plan.installed).toEqual([]);
    expect(plan.reinstalls).toEqual([]);
    expect(plan.extraneous).toEqual([]);
  });

  test("pip's rule: the same version installed is kept; another version is reinstalled", () => {
    const env = { installed: [installed('six', '1.17'), installed('idna', '3.6')] };
    const plan = planInstall({ distributions: [record('six', '1.17.0'), record('idna', '3.10')] }, env);
    expect(names(plan.installed)).toEqual(['six']); // 1.17 == 1.17.0 (PEP 440)
    expect(names(plan.reinstalls)).toEqual(['idna']);
    expect(names(plan.install)).toEqual(['idna']);
  });

  test("a restore's rule: kept only when known to be the very same file", () => {
    const six = record('six', '1.17.0');
    const env = { installed: [installed('six', '1.17.0')], records: new Map<NormalizedName, LockRecord>() };
    expect(names(planInstall({ distributions: [six] }, env, { match: 'file' }).install)).toEqual(['six']);
    env.records.set(normalizeName('six'), six);
    expect(names(planInstall({ distributions: [six] }, env, { match: 'file' }).installed)).toEqual(['six']);
    env.records.set(normalizeName('six'), { ...six, sha256: SHA('c') });
    expect(names(planInstall({ distributions: [six] }, env, { match: 'file' }).reinstalls)).toEqual(['six']);
    // A direct reference is the same only from the same URL (PEP 610).
    const direct = { ...six, index: null, directUrl: six.url };
    env.records.set(normalizeName('six'), direct);
    expect(names(planInstall({ distributions: [direct] }, env, { match: 'file' }).reinstalls)).toEqual(['six']);
  });

  test('--force-reinstall: every record, or the named ones', () => {
    const env = { installed: [installed('six', '1.17.0'), installed('idna', '3.10')] };
    const lock = { distributions: [record('six', '1.17.0'), record('idna', '3.10')] };
    expect(names(planInstall(lock, env, { reinstall: true }).reinstalls)).toEqual(['idna', 'six']);
    expect(names(planInstall(lock, env, { reinstall: new Set([normalizeName('six')]) }).reinstalls)).toEqual(['six']);
  });

  test('extraneous only when asked, and never the kept ones (pip sync)', () => {
    const env = { installed: [installed('six', '1.17.0'), installed('pip', '25.3'), installed('old', '1.0')] };
    const lock = { distributions: [record('six', '1.17.0')] };
    expect(planInstall(lock, env).extraneous).toEqual([]);
    expect(names(planInstall(lock, env, { removeExtraneous: true }).extraneous)).toEqual(['old', 'pip']);
    expect(names(planInstall(lock, env, { removeExtraneous: { keep: new Set([normalizeName('pip')]) } }).extraneous)).toEqual(['old']);
  });

  test('shared libraries already unpacked are not unpacked again', () => {
    const lib = { ...record('libopenblas', '0.3.26'), filename: 'libopenblas-0.3.26.zip', url: 'https://cdn.example/libopenblas-0.3.26.zip', index: null };
    const none = planInstall({ distributions: [], sharedLibraries: [lib] }, { installed: [] });
    expect(none.sharedLibraries).toEqual([lib]);
    const there = planInstall({ distributions: [], sharedLibraries: [lib] }, { installed: [], sharedLibraries: new Set([lockKey('libopenblas', '0.3.26')]) });
    expect(there.sharedLibraries).toEqual([]);
  });

  const refusals: Array<[string, LockRecord[], RegExp]> = [
    ['a newline in a URL', [record('six', '1.17.0', { url: 'https://files.example/six-1.17.0-py3-none-any.whl\n--index-url https://evil.example/' })], /its url: it holds U\+000A \(a newline\) at character 50, which no URL has/],
    ['a space in a version', [record('six', '1.17.0', { version: '1.17.0 --pre' })], /its version "1\.17\.0 --pre": it holds U\+0020 \(a space\)/],
    ['a file name of another project', [record('six', '1.17.0', { filename: 'evil-1.0-py3-none-any.whl' })], /its filename "evil-1\.0-py3-none-any\.whl": it is a wheel of evil 1\.0, not of six 1\.17\.0/],
    ['a sha256 that is no digest', [record('six', '1.17.0', { sha256: 'abc' })], /its sha256 is not 64 lower-case hex digits/],
    ['one project twice', [record('six', '1.17.0'), record('Six', '1.16.0')], /The lock lists six twice \(1\.17\.0 and 1\.16\.0\)/],
    ['a name that is no project name', [record('six', '1.17.0', { name: 'six\n-r /etc/passwd' })], /name "six\\n-r \/etc\/passwd" is not a valid project name/],
  ];
  test.each(refusals)('refuses a lock with %s (invalid-lock, nothing planned)', (_what, lock, message) => {
    const error = (() => {
      try {
        planInstall({ distributions: lock }, { installed: [] });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).code).toBe('invalid-lock');
    expect((error as InstallError).message).toMatch(message);
  });
});

// --- laws over random locks and environments ---------------------------------------------

const NAMES = ['six', 'idna', 'Jinja2', 'markupsafe', 'attrs', 'pip'];
const VERSIONS = ['1.0', '1.0.0', '2.0', '2.1'];
const recordArb = fc.record({ name: fc.constantFrom(...NAMES), version: fc.constantFrom(...VERSIONS), sha: fc.constantFrom('a', 'b'), direct: fc.boolean() }).map(({ name, version, sha, direct }) => {
  const r = record(name, version, { sha256: SHA(sha) });
  return direct ? { ...r, index: null, directUrl: r.url } : r;
});
const lockArb = fc.uniqueArray(recordArb, { selector: (r) => normalizeName(r.name), maxLength: 6 });
const envArb = fc.uniqueArray(fc.record({ name: fc.constantFrom(...NAMES), version: fc.constantFrom(...VERSIONS), known: fc.option(recordArb, { nil: null }) }), { selector: (d) => normalizeName(d.name), maxLength: 6 });
const optionsArb: fc.Arbitrary<PlanOptions> = fc.record({
  match: fc.constantFrom('version' as const, 'file' as const),
  reinstall: fc.boolean(),
  removeExtraneous: fc.boolean(),
});

/** The same rules, read straight from their description. */
function reference(lock: readonly LockRecord[], env: ReturnType<typeof toEnv>, options: PlanOptions): { install: string[]; kept: string[]; replaced: string[]; extraneous: string[] } {
  const install: string[] = [];
  const kept: string[] = [];
  const replaced: string[] = [];
  for (const r of lock) {
    const d = env.installed.find((i) => i.name === normalizeName(r.name));
    const known = env.records.get(normalizeName(r.name)) ?? null;
    const sameVersion = d !== undefined && d.metadata.version.toString().replace(/(\.0)+$/, '') === r.version.replace(/(\.0)+$/, '');
    const same = sameVersion && (options.match !== 'file' || ((d!.directUrl ?? null) === r.directUrl && known?.sha256 === r.sha256));
    if (d && same && !options.reinstall) kept.push(d.name);
    else {
      if (d) replaced.push(d.name);
      install.push(normalizeName(r.name));
    }
  }
  const extraneous = options.removeExtraneous ? env.installed.filter((d) => !lock.some((r) => normalizeName(r.name) === d.name)).map((d) => d.name) : [];
  return { install: install.sort(), kept: kept.sort(), replaced: replaced.sort(), extraneous: extraneous.sort() };
}

function toEnv(list: readonly { name: string; version: string; known: LockRecord | null }[]): { installed: InstalledDist[]; records: Map<NormalizedName, LockRecord> } {
  const records = new Map<NormalizedName, LockRecord>();
  for (const d of list) if (d.known) records.set(normalizeName(d.name), { ...d.known, name: d.name, version: d.version });
  return { installed: list.map((d) => installed(d.name, d.version, records.get(normalizeName(d.name))?.directUrl ?? null)), records };
}

describe('planInstall laws', () => {
  test('agrees with the reference; partitions the lock; never plans a project twice', () => {
    fc.assert(
      fc.property(lockArb, envArb, optionsArb, (lock, list, options) => {
        const env = toEnv(list);
        const plan = planInstall({ distributions: lock }, env, options);
        const ref = reference(lock, env, options);
        expect(names(plan.install)).toEqual(ref.install);
        expect(names(plan.installed)).toEqual(ref.kept);
        expect(names(plan.reinstalls)).toEqual(ref.replaced);
        expect(names(plan.extraneous)).toEqual(ref.extraneous);
        // Every record is installed or kept, once; what is replaced is being installed.
        expect([...names(plan.install), ...names(plan.installed)].sort()).toEqual(names(lock));
        for (const r of plan.reinstalls) expect(names(plan.install)).toContain(r.name);
        for (const x of plan.extraneous) expect(names(lock)).not.toContain(x.name);
        expect([...plan.cached, ...plan.remote].length).toBe(plan.install.length);
      }),
      { numRuns: 500 },
    );
  });

  test('is deterministic and keeps the lock order (the same input twice, and reversed)', () => {
    fc.assert(
      fc.property(lockArb, envArb, optionsArb, (lock, list, options) => {
        const env = toEnv(list);
        const a = planInstall({ distributions: lock }, env, options);
        expect(planInstall({ distributions: lock }, env, options)).toEqual(a);
        const reversed = planInstall({ distributions: [...lock].reverse() }, { ...env, installed: [...env.installed].reverse() }, options);
        expect(reversed.install).toEqual([...a.install].reverse());
        expect(names(reversed.installed)).toEqual(names(a.installed));
        expect(names(reversed.extraneous)).toEqual(names(a.extraneous));
      }),
      { numRuns: 200 },
    );
  });
});
