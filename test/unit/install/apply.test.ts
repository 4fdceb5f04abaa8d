/**
 * applyPlan (src/install/apply.ts) over a MemoryFs: what it writes (REQUESTED from the record,
 * direct_url.json, the order pip uses) and that it is all or nothing — a refusal in the last
 * wheel, a missing file, Ctrl+C: the filesystem is then exactly what it was.
 */
import { describe, expect, test } from 'vitest';
import { applyPlan, InstallError, installWheel, JournalFs, listInstalled, MemoryFs, parseRecord, planInstall, schemeForPrefix, type ApplyEvent, type LockRecord } from '../../../src/install';
import { normalizeName } from '../../../src/pep';
import { buildWheel, type WheelSpec } from '../../fixtures/wheel-builder';

const scheme = schemeForPrefix('/venv', '3.14.2');
const site = scheme.purelib;

function lockOf(spec: WheelSpec, extra: Partial<LockRecord> = {}): { record: LockRecord; bytes: Uint8Array } {
  const wheel = buildWheel(spec);
  return { record: { name: spec.name, version: spec.version, filename: wheel.filename, url: `https://files.example/${wheel.filename}`, sha256: wheel.sha256, index: 'https://pypi.org/simple/', requested: true, directUrl: null, ...extra }, bytes: wheel.bytes };
}

/** Every file and link with its content: what must be equal before and after a refusal. */
function state(fs: MemoryFs): string[] {
  return fs.listFiles().map((p) => `${p}=${new TextDecoder().decode(fs.readFile(p)!)}`);
}

async function environment(): Promise<MemoryFs> {
  const fs = new MemoryFs();
  for (const spec of [{ name: 'old', version: '1.0' }, { name: 'keep', version: '1.0' }, { name: 'tool', version: '1.0', entryPoints: { console_scripts: { tool: 'tool:main' } } }]) {
    const w = buildWheel(spec);
    await installWheel(fs, scheme, w.filename, w.bytes, { requested: true });
  }
  return fs;
}

describe('applyPlan', () => {
  test("writes in pip's order, REQUESTED only for requested records, direct_url.json for direct ones", async () => {
    const fs = await environment();
    const tool = lockOf({ name: 'tool', version: '2.0', entryPoints: { console_scripts: { tool: 'tool:main' } } });
    const dep = lockOf({ name: 'dep', version: '0.1' }, { requested: false });
    const direct = lockOf({ name: 'direct', version: '3.0' });
    const directRecord = { ...direct.record, index: null, directUrl: direct.record.url };
    const plan = planInstall({ distributions: [tool.record, dep.record, directRecord] }, { installed: listInstalled(fs, site) }, { removeExtraneous: { keep: new Set([normalizeName('keep')]) } });
    expect(plan.extraneous.map((d) => d.name)).toEqual(['old']);
    const events: string[] = [];
    const wheels = new Map([tool, dep, direct].map((x) => [x.record.url, x.bytes] as const));
    await applyPlan({ fs, scheme }, plan, { wheels, reporter: (e: ApplyEvent) => events.push(`${e.kind} ${'record' in e ? e.record.name : e.dist.name}`) });
    expect(events).toEqual(['uninstalling old', 'uninstalled old', 'installing tool', 'uninstalling tool', 'uninstalled tool', 'installed tool', 'installing dep', 'installed dep', 'installing direct', 'installed direct']);
    const byName = new Map(listInstalled(fs, site).map((d) => [d.name, d]));
    expect([...byName.keys()]).toEqual(['dep', 'direct', 'keep', 'tool']);
    expect(byName.get(normalizeName('dep'))!.requested).toBe(false);
    expect(byName.get(normalizeName('tool'))!.requested).toBe(true);
    // REQUESTED is in RECORD exactly when it is on disk: written at install time, never patched.
    const rows = (name: string) => parseRecord(new TextDecoder().decode(fs.readFile(`${byName.get(normalizeName(name))!.distInfoPath}/RECORD`)!)).map((r) => r.path);
    expect(rows('dep').some((p) => p.endsWith('REQUESTED'))).toBe(false);
    expect(rows('tool').some((p) => p.endsWith('REQUESTED'))).toBe(true);
    expect(byName.get(normalizeName('direct'))!.directUrl).toBe(direct.record.url);
    expect(new TextDecoder().decode(fs.readFile('/venv/bin/tool')!)).toContain('from tool import main');
  });

  test('all or nothing: a refusal in the last wheel puts back the uninstalls and the first installs', async () => {
    const fs = await environment();
    const before = state(fs);
    const tool = lockOf({ name: 'tool', version: '2.0' });
    const evil = lockOf({ name: 'evil', version: '1.0', entryPoints: { console_scripts: { '../../../home/pyodide/main.py': 'evil:main' } } });
    const plan = planInstall({ distributions: [tool.record, evil.record] }, { installed: listInstalled(fs, site) }, { removeExtraneous: true });
    const error = await applyPlan({ fs, scheme }, plan, { wheels: new Map([[tool.record.url, tool.bytes], [evil.record.url, evil.bytes]]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstallError);
    expect((error as InstallError).code).toBe('unsafe-script-name');
    expect(state(fs)).toEqual(before);
  });

  test('a wheel that was not fetched, or Ctrl+C between two packages: nothing changes', async () => {
    const fs = await environment();
    const before = state(fs);
    const a = lockOf({ name: 'a', version: '1.0' });
    const b = lockOf({ name: 'b', version: '1.0' });
    const plan = planInstall({ distributions: [a.record, b.record] }, { installed: [] });
    const missing = await applyPlan({ fs, scheme }, plan, { wheels: new Map([[a.record.url, a.bytes]]) }).catch((e: unknown) => e);
    expect((missing as InstallError).code).toBe('missing-wheel');
    expect(state(fs)).toEqual(before);
    const stop = new AbortController();
    const wheels = new Map([[a.record.url, a.bytes], [b.record.url, b.bytes]]);
    const cancelled = await applyPlan({ fs, scheme }, plan, { wheels, signal: stop.signal, reporter: (e) => e.kind === 'installed' && stop.abort() }).catch((e: unknown) => e);
    expect((cancelled as Error).name).toBe('AbortError');
    expect(state(fs)).toEqual(before);
  });

  test("with the caller's journal, apply leaves commit and rollback to the caller (pip sync)", async () => {
    const fs = await environment();
    const before = state(fs);
    const a = lockOf({ name: 'a', version: '1.0' });
    const journal = new JournalFs(fs);
    await applyPlan({ fs, scheme }, planInstall({ distributions: [a.record] }, { installed: [] }), { wheels: new Map([[a.record.url, a.bytes]]), journal });
    expect(fs.exists(`${site}/a/__init__.py`)).toBe(true);
    journal.rollback();
    expect(state(fs)).toEqual(before);
  });

  test('a link in site-packages that leads out: refused before the write, nothing written', async () => {
    const fs = await environment();
    fs.mkdirp('/home/pyodide');
    fs.symlink('/home/pyodide', `${site}/a`);
    const before = state(fs);
    const a = lockOf({ name: 'a', version: '1.0' });
    const error = await applyPlan({ fs, scheme }, planInstall({ distributions: [a.record] }, { installed: [] }), { wheels: new Map([[a.record.url, a.bytes]]) }).catch((e: unknown) => e);
    expect((error as InstallError).code).toBe('symlink-escape');
    expect(fs.exists('/home/pyodide/__init__.py')).toBe(false);
    expect(state(fs)).toEqual(before);
  });
});
