/**
 * The sdist tar reader against pip's, on hostile tars (test/fixtures/hostile-tars.ts): each
 * archive is unpacked by pip 24.2's own `untar_file` on Python 3.13 (tarfile with the `data`
 * filter, the leading folder stripped as pip strips it) and by `unpackSourceArchive`. Where pip
 * unpacks, Pipette gives exactly the files pip wrote, with the same bytes (a link pip writes is
 * read through, as the build would read it); where pip refuses, so does Pipette. The few
 * differences on purpose say why (`differs`): Pipette refuses, never gives other files.
 * Well-formed sdists written by Python's tarfile and GNU tar in each of their formats (long and
 * non-ASCII names, links, an executable, a git-archive global header) must come out the same too.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildError, unpackSourceArchive } from '../../../src/build';
import { PIP_PYTHON } from '../../fixtures/differential';
import { hostileTars } from '../../fixtures/hostile-tars';
import { runProcess } from '../../fixtures/process';

const cases = hostileTars();
const WRITERS = ['tarfile-ustar', 'tarfile-gnu', 'tarfile-pax', 'tar-ustar', 'tar-gnu', 'tar-oldgnu', 'tar-pax', 'git-archive-header'];
let dir: string;

/** What pip's untar_file wrote: path -> sha256 of what reading it gives, or the exception. */
type PipView = { files: Record<string, string> } | { error: string };
let pipViews: Record<string, PipView>;
const wellFormed: Array<{ name: string; filename: string; bytes: Uint8Array }> = [];

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

/** The same tree, written by each writer as `<writer>.tar.gz` in argv[1]. */
const WRITE_WELL_FORMED = `
import io, os, subprocess, sys, tarfile
out = sys.argv[1]
root = os.path.join(out, "tree")
top = "w-1"
deep = os.path.join(top, "src", *(["a" * 40] * 5), "deep.py")  # 230 characters: ustar's prefix field
names = {os.path.join(top, "pyproject.toml"): "[project]\\n", os.path.join(top, "src", "na\u00efve", "\u65e5\u672c.py"): "x = 1\\n", deep: "deep\\n"}
for name, text in names.items():
    os.makedirs(os.path.dirname(os.path.join(root, name)), exist_ok=True)
    with open(os.path.join(root, name), "w", encoding="utf-8") as f:
        f.write(text)
with open(os.path.join(root, top, "run.sh"), "w") as f:
    f.write("#!/bin/sh\\n")
os.chmod(os.path.join(root, top, "run.sh"), 0o755)
os.symlink("pyproject.toml", os.path.join(root, top, "link.toml"))
os.link(os.path.join(root, top, "run.sh"), os.path.join(root, top, "hard.sh"))
for fmt, name in [(tarfile.USTAR_FORMAT, "tarfile-ustar"), (tarfile.GNU_FORMAT, "tarfile-gnu"), (tarfile.PAX_FORMAT, "tarfile-pax")]:
    with tarfile.open(os.path.join(out, name + ".tar.gz"), "w:gz", format=fmt) as t:
        t.add(os.path.join(root, top), arcname=top)
for fmt in ["ustar", "gnu", "oldgnu", "pax"]:
    subprocess.run(["tar", "--format=" + fmt, "--sort=name", "-czf", os.path.join(out, "tar-" + fmt + ".tar.gz"), "-C", root, top], check=True, capture_output=True)
# git archive starts with a pax global header holding the commit id.
with tarfile.open(os.path.join(out, "git-archive-header.tar.gz"), "w:gz", format=tarfile.PAX_FORMAT, pax_headers={"comment": "0123456789abcdef0123456789abcdef01234567"}) as t:
    t.add(os.path.join(root, top), arcname=top)
`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tardiff-'));
  for (const c of cases) writeFileSync(join(dir, c.filename), c.bytes);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
  const w = await runProcess(PIP_PYTHON, ['-c', WRITE_WELL_FORMED, dir], env);
  if (w.code !== 0) throw new Error(`could not write the well-formed tars: ${w.stderr}`);
  const written = WRITERS.map((name) => ({ name, filename: `${name}.tar.gz`, bytes: new Uint8Array(readFileSync(join(dir, `${name}.tar.gz`))) }));
  wellFormed.push(...written);
  const all = [...cases, ...written];
  const r = await runProcess(PIP_PYTHON, ['-c', UNTAR_AS_PIP_DOES, ...all.map((c) => join(dir, c.filename))], env);
  if (r.code !== 0) throw new Error(`python3.13 could not run: ${r.stderr}`);
  const byPath = JSON.parse(r.stdout) as Record<string, PipView>;
  pipViews = Object.fromEntries(all.map((c) => [c.name, byPath[join(dir, c.filename)]!]));
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

describe.each(WRITERS)('a well-formed sdist written by %s', (name) => {
  it('gives the files pip does (and pip unpacks it)', () => {
    const c = wellFormed.find((w) => w.name === name)!;
    const pip = pipViews[name]!;
    expect(Object.keys((pip as { files: Record<string, string> }).files ?? {})).toContain('run.sh');
    const out = unpackSourceArchive(c.filename, c.bytes);
    expect({ files: Object.fromEntries(out.map((f) => [f.path, sha256(f.data)])) }).toEqual(pip);
    expect(out.filter((f) => f.executable).map((f) => f.path).sort()).toEqual(['hard.sh', 'run.sh']);
  });
});
