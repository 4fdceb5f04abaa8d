/**
 * The wheel reader against pip's, on hostile zips (test/integration/hardening/hostile-zips.ts):
 * each wheel goes through real pip 24.2 (`pip install --no-index --find-links DIR --target T`)
 * and through Python's zipfile as pip reads it (every name, the last entry of a name, directories
 * skipped), then through `openWheel`. Where pip installs, Pipette opens the wheel with exactly
 * zipfile's files and bytes; where pip refuses, so does Pipette; the few differences on purpose
 * say why (`differs`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstallError, openWheel } from '../../../src/install';
import { PIP_PYTHON } from '../../fixtures/differential';
import { runProcess } from '../../fixtures/process';
import { hostileZips } from '../hardening/hostile-zips';

const cases = hostileZips();
let dir: string;

/** What zipfile gives pip: name -> sha256 of the content, or the exception it raises. */
type ZipfileView = { files: Record<string, string> } | { error: string };
let zipfileViews: Record<string, ZipfileView>;

const ZIPFILE_AS_PIP_READS = `
import hashlib, json, sys, zipfile
out = {}
for path in sys.argv[1:]:
    try:
        with zipfile.ZipFile(path) as z:
            # pip: namelist() without directories, each read through getinfo(), the last entry of a name.
            out[path] = {"files": {n: hashlib.sha256(z.read(n)).hexdigest() for n in dict.fromkeys(z.namelist()) if not n.endswith("/")}}
    except Exception as e:
        out[path] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
`;

/** The environment with every PIP_* variable removed: pip as configured by nobody. */
function pipEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'zipdiff-'));
  for (const c of cases) writeFileSync(join(dir, c.dist.filename), c.dist.bytes);
  const r = await runProcess(PIP_PYTHON, ['-c', ZIPFILE_AS_PIP_READS, ...cases.map((c) => join(dir, c.dist.filename))]);
  if (r.code !== 0) throw new Error(`python3.13 could not run: ${r.stderr}`);
  const byPath = JSON.parse(r.stdout) as Record<string, ZipfileView>;
  zipfileViews = Object.fromEntries(cases.map((c) => [c.project, byPath[join(dir, c.dist.filename)]!]));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe.each(cases.map((c) => [c.project, c] as const))('%s', (_project, c) => {
  it(`pip 24.2 ${'installs' in c.pip ? 'installs it' : 'refuses it'}`, { timeout: 60_000 }, async () => {
    const target = join(dir, `target-${c.project}`);
    const r = await runProcess(
      PIP_PYTHON,
      ['-m', 'pip', 'install', '--isolated', '--disable-pip-version-check', '--no-compile', '--no-index', '--find-links', dir, '--target', target, c.project],
      pipEnv(),
    );
    const zipfileView = zipfileViews[c.project]!;
    if ('installs' in c.pip) {
      expect(r.code, r.stderr).toBe(0);
      expect(zipfileView).toHaveProperty('files');
    } else {
      expect(r.code).not.toBe(0);
      // pip prints zipfile's exception in its traceback, or (for the metadata read) "is invalid".
      expect('error' in zipfileView ? zipfileView.error : '').toContain(c.pip.refuses);
    }
  });

  it(c.differs ? `Pipette refuses it: ${c.differs}` : 'Pipette agrees', async () => {
    const zipfileView = zipfileViews[c.project]!;
    let opened: Record<string, string> | InstallError;
    try {
      const wheel = await openWheel(c.dist.filename, c.dist.bytes);
      opened = Object.fromEntries([...wheel.entries].map(([name, data]) => [name, sha256(data)]));
    } catch (error) {
      if (!(error instanceof InstallError)) throw error;
      opened = error;
    }
    if ('files' in zipfileView && !c.differs) {
      // The same names with the same bytes: what a person reads in the wheel is what pip installs.
      expect(opened).toEqual(zipfileView.files);
    } else {
      expect(opened).toBeInstanceOf(InstallError);
      expect((opened as InstallError).message).toContain(c.pipette);
    }
  });
});
