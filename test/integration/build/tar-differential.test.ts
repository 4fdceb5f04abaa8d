/**
 * The sdist tar reader against pip's, on hostile tars (test/fixtures/hostile-tars.ts): each
 * archive is unpacked by pip 24.2's own `untar_file` on Python 3.13 (tarfile with the `data`
 * filter, the leading folder stripped as pip strips it) and by `unpackSourceArchive`. Where pip
 * unpacks, Pipette gives exactly the files pip wrote, with the same bytes (a link pip writes is
 * read through, as the build would read it); where pip refuses, so does Pipette. The few
 * differences on purpose say why (`differs`): Pipette refuses, never gives other files.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, unpackSourceArchive } from '../../../src/build';
import { PIP_PYTHON } from '../../fixtures/differential';
import { hostileTars } from '../../fixtures/hostile-tars';
import { runProcess } from '../../fixtures/process';

const cases = hostileTars();
let dir: string;

/** What pip's untar_file wrote: path -> sha256 of what reading it gives, or the exception. */
type PipView = { files: Record<string, string> } | { error: string };
let pipViews: Record<string, PipView>;

const UNTAR_AS_PIP_DOES = `
import hashlib, json, os, sys, tempfile
from pip._internal.utils.unpacking import untar_file
out = {}
for path in sys.argv[1:]:
    dest = tempfile.mkdtemp()
    try:
        untar_file(path, dest)
        files = {}
        for root, dirs, names in os.walk(dest):
            for n in names + [d for d in dirs if os.path.islink(os.path.join(root, d))]:
                p = os.path.join(root, n)
                rel = os.path.relpath(p, dest)
                if os.path.isfile(p):
                    with open(p, "rb") as f:
                        files[rel] = hashlib.sha256(f.read()).hexdigest()
                else:
                    files[rel] = "link to " + os.readlink(p) if os.path.islink(p) else "special file"
        out[path] = {"files": files}
    except BaseException as e:
        out[path] = {"error": f"{type(e).__name__}: {e}"}
print(json.dumps(out))
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tardiff-'));
  for (const c of cases) writeFileSync(join(dir, c.filename), c.bytes);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
  const r = await runProcess(PIP_PYTHON, ['-c', UNTAR_AS_PIP_DOES, ...cases.map((c) => join(dir, c.filename))], env);
  if (r.code !== 0) throw new Error(`python3.13 could not run: ${r.stderr}`);
  const byPath = JSON.parse(r.stdout) as Record<string, PipView>;
  pipViews = Object.fromEntries(cases.map((c) => [c.name, byPath[join(dir, c.filename)]!]));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
  it(c.differs ? `Pipette refuses it: ${c.differs}` : c.pipette ? 'Pipette refuses it, as pip does' : 'Pipette unpacks the files pip does', () => {
    const pip = pipViews[c.name]!;
    let pipette: Record<string, string> | BuildError;
    try {
      pipette = Object.fromEntries(unpackSourceArchive(c.filename, c.bytes).map((f) => [f.path, sha256(f.data)]));
    } catch (error) {
      if (!(error instanceof BuildError)) throw error;
      pipette = error;
    }
    if (c.pipette === undefined) {
      expect(pipette instanceof BuildError ? { error: pipette.message } : { files: pipette }).toEqual(pip);
      return;
    }
    expect(pipette).toBeInstanceOf(BuildError);
    expect((pipette as BuildError).message).toContain(c.pipette);
    if (c.differs) expect(pip).toHaveProperty('files');
    else expect(pip).not.toHaveProperty('files');
  });
});
