/**
 * applyPlan with wheels still `arriving` (src/install/apply.ts): each wheel is written as its
 * bytes come in, yet the environment always ends as the plan's order leaves it, and every
 * failure — a download that fails, a hostile wheel, Ctrl+C — puts back everything written
 * so far. The downloads are promises the test resolves in the order it chooses.
 */
import { describe, expect, test } from 'vitest';
import { applyPlan, InstallErrorCode, installWheel, listInstalled, MemoryFs, planInstall, schemeForPrefix, type ApplyEvent, type ArrivingWheel, type InstallError, type LockRecord } from '../../../src/install';
import { buildWheel, type WheelSpec } from '../../fixtures/wheel-builder';

const scheme = schemeForPrefix('/venv', '3.14.2');
const site = scheme.purelib;

interface Wheel {
  readonly record: LockRecord;
  readonly bytes: Uint8Array;
}

function wheelOf(spec: WheelSpec): Wheel {
  const wheel = buildWheel(spec);
  return { record: { name: spec.name, version: spec.version, filename: wheel.filename, url: `https://files.example/${wheel.filename}`, sha256: wheel.sha256, index: 'https://pypi.org/simple/', requested: true, directUrl: null }, bytes: wheel.bytes };
}

/** A download the test ends: `arrive()` resolves it with the wheel's bytes, `fail()` rejects it. */
interface Download {
  readonly promise: Promise<ArrivingWheel>;
  arrive(): void;
  fail(error: Error): void;
}

function download(wheel: Wheel): Download {
  let arrive!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<ArrivingWheel>((resolve, reject) => {
    arrive = () => resolve({ bytes: wheel.bytes, staged: null });
    fail = reject;
  });
  return { promise, arrive, fail };
}

/** Every file with its content: what must be equal before and after a failure. */
function state(fs: MemoryFs): string[] {
  return fs.listFiles().map((p) => `${p}=${new TextDecoder().decode(fs.readFile(p)!)}`);
}

async function environment(): Promise<MemoryFs> {
  const fs = new MemoryFs();
  const w = buildWheel({ name: 'there', version: '1.0' });
  await installWheel(fs, scheme, w.filename, w.bytes, { requested: true });
  return fs;
}

/** Waits (a few event-loop turns at most) until `check` holds. */
async function until(check: () => boolean): Promise<boolean> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  return check();
}

/** Starts applying `wheels` (in this order in the plan), every one of them still downloading. */
function start(fs: MemoryFs, wheels: readonly Wheel[], options: { signal?: AbortSignal } = {}) {
  const downloads = wheels.map(download);
  const events: string[] = [];
  const plan = planInstall({ distributions: wheels.map((w) => w.record) }, { installed: listInstalled(fs, site) });
  const applying = applyPlan({ fs, scheme }, plan, {
    wheels: new Map(),
    arriving: new Map(wheels.map((w, i) => [w.record.url, downloads[i]!.promise] as const)),
    reporter: (e: ApplyEvent) => events.push(`${e.kind} ${'record' in e ? e.record.name : e.dist.name}`),
    ...options,
  });
  // Observed at once: a failure the test provokes must not be an unhandled rejection meanwhile.
  const result = applying.then(
    () => null,
    (error: unknown) => error as Error,
  );
  return { downloads, events, result };
}

/** The environment `wheels` make when applied in the plan's order with every byte there. */
async function inPlanOrder(wheels: readonly Wheel[]): Promise<string[]> {
  const fs = await environment();
  const plan = planInstall({ distributions: wheels.map((w) => w.record) }, { installed: listInstalled(fs, site) });
  await applyPlan({ fs, scheme }, plan, { wheels: new Map(wheels.map((w) => [w.record.url, w.bytes] as const)) });
  return state(fs);
}

describe('applyPlan with wheels arriving', () => {
  test("each wheel is written as it arrives, the last plan's one first; the environment and the events are the plan's order's", async () => {
    const wheels = [wheelOf({ name: 'a', version: '1.0' }), wheelOf({ name: 'b', version: '1.0' }), wheelOf({ name: 'c', version: '1.0', entryPoints: { console_scripts: { c: 'c:main' } } })];
    const fs = await environment();
    const { downloads, events, result } = start(fs, wheels);
    downloads[2]!.arrive();
    // c is written while a and b are still downloading.
    expect(await until(() => fs.exists(`${site}/c/__init__.py`))).toBe(true);
    expect(fs.exists(`${site}/a/__init__.py`)).toBe(false);
    downloads[0]!.arrive();
    expect(await until(() => fs.exists(`${site}/a/__init__.py`))).toBe(true);
    // Nothing is reported until the last one is written...
    expect(events).toEqual([]);
    downloads[1]!.arrive();
    expect(await result).toBeNull();
    // ...then everything, in the plan's order.
    expect(events).toEqual(['installing a', 'installed a', 'installing b', 'installed b', 'installing c', 'installed c']);
    expect(state(fs)).toEqual(await inPlanOrder(wheels));
  });

  test("two wheels writing one path, the plan's later one arriving first: the plan's order decides which file stays", async () => {
    const first = wheelOf({ name: 'first', version: '1.0', files: { 'shared/data.txt': 'from first\n', 'first/__init__.py': '' } });
    const second = wheelOf({ name: 'second', version: '1.0', files: { 'shared/data.txt': 'from second\n', 'second/__init__.py': '' } });
    const fs = await environment();
    const { downloads, result } = start(fs, [first, second]);
    downloads[1]!.arrive();
    expect(await until(() => fs.exists(`${site}/second/__init__.py`))).toBe(true);
    downloads[0]!.arrive();
    expect(await result).toBeNull();
    expect(new TextDecoder().decode(fs.readFile(`${site}/shared/data.txt`)!)).toBe('from second\n');
    expect(state(fs)).toEqual(await inPlanOrder([first, second]));
  });

  test('the last download fails after the others were written: all of them put back, its failure thrown', async () => {
    const wheels = [wheelOf({ name: 'a', version: '1.0' }), wheelOf({ name: 'b', version: '1.0', entryPoints: { console_scripts: { b: 'b:main' } } }), wheelOf({ name: 'c', version: '1.0' })];
    const fs = await environment();
    const before = state(fs);
    const { downloads, events, result } = start(fs, wheels);
    downloads[0]!.arrive();
    downloads[1]!.arrive();
    expect(await until(() => fs.exists('/venv/bin/b') && fs.exists(`${site}/a/__init__.py`))).toBe(true);
    downloads[2]!.fail(new Error('HTTP error 503 while downloading c'));
    expect((await result)?.message).toBe('HTTP error 503 while downloading c');
    expect(state(fs)).toEqual(before);
    expect(events).toEqual([]);
  });

  test('a hostile wheel arriving last, after the others were written: all put back, its refusal thrown', async () => {
    const wheels = [wheelOf({ name: 'a', version: '1.0' }), wheelOf({ name: 'b', version: '1.0' }), wheelOf({ name: 'evil', version: '1.0', corrupt: 'path-traversal' })];
    const fs = await environment();
    const before = state(fs);
    const { downloads, events, result } = start(fs, wheels);
    downloads[0]!.arrive();
    downloads[1]!.arrive();
    expect(await until(() => fs.exists(`${site}/b/__init__.py`))).toBe(true);
    downloads[2]!.arrive();
    const error = (await result) as InstallError;
    expect(error.message).toContain('evil-1.0-py3-none-any.whl');
    expect(state(fs)).toEqual(before);
    expect(fs.exists('/venv/lib/python3.14/pipette-evil.py')).toBe(false);
    // As in the plan's order: the wheels before it, then its turn, were reported.
    expect(events).toEqual(['installing a', 'installed a', 'installing b', 'installed b', 'installing evil']);
  });

  test("two hostile wheels, the plan's later one arriving first: the error is the plan's order's (the earlier wheel's)", async () => {
    const early = wheelOf({ name: 'early', version: '1.0', corrupt: 'bad-record' });
    const late = wheelOf({ name: 'late', version: '1.0', corrupt: 'path-traversal' });
    const fs = await environment();
    const before = state(fs);
    const { downloads, result } = start(fs, [early, late]);
    downloads[1]!.arrive();
    await until(() => false);
    downloads[0]!.arrive();
    const error = (await result) as InstallError;
    // early's own refusal (its RECORD does not match its files), not late's path outside site-packages.
    expect(error.code).toBe(InstallErrorCode.RecordMismatch);
    expect(error.message).toContain('early-1.0-py3-none-any.whl');
    expect(error.message).not.toContain('late-1.0');
    expect(state(fs)).toEqual(before);
  });

  test('Ctrl+C while the last wheel is still downloading (and never notices): all put back, AbortError', async () => {
    const wheels = [wheelOf({ name: 'a', version: '1.0' }), wheelOf({ name: 'b', version: '1.0' })];
    const fs = await environment();
    const before = state(fs);
    const stop = new AbortController();
    const { downloads, result } = start(fs, wheels, { signal: stop.signal });
    downloads[0]!.arrive();
    expect(await until(() => fs.exists(`${site}/a/__init__.py`))).toBe(true);
    stop.abort(new DOMException('The operation was aborted', 'AbortError'));
    expect((await result)?.name).toBe('AbortError');
    expect(state(fs)).toEqual(before);
  });

  test('a plan that uninstalls is written in its order, each wheel awaited in turn', async () => {
    const fs = await environment();
    const before = state(fs);
    const newer = wheelOf({ name: 'there', version: '2.0' });
    const other = wheelOf({ name: 'other', version: '1.0' });
    const { downloads, events, result } = start(fs, [newer, other]);
    downloads[1]!.arrive();
    await until(() => false);
    // other is after there 2.0 in the plan, and there 1.0 is to be uninstalled first: nothing yet.
    expect(state(fs)).toEqual(before);
    downloads[0]!.arrive();
    expect(await result).toBeNull();
    expect(events).toEqual(['installing there', 'uninstalling there', 'uninstalled there', 'installed there', 'installing other', 'installed other']);
    expect(listInstalled(fs, site).map((d) => `${d.name}-${d.metadata.version.toString()}`)).toEqual(['other-1.0', 'there-2.0']);
  });
});
