/**
 * Hostile zips (test/integration/hardening/hostile-zips.ts) installed by URL, `NAME @ URL`, by
 * real pip 24.2 and by Pipette's pip over real Pyodide, from the fixture index on 127.0.0.1.
 * A direct URL declares no size, so Pipette reads the METADATA through a HEAD and range
 * requests (src/index/lazy-wheel.ts) before downloading the wheel: that read must see the
 * archive as zipfile does, or a wheel pip installs is lost ("Could not find a version") and one
 * pip refuses is read through.
 *
 * - `--dry-run` (pip reads only METADATA): Pipette would install what pip would, and refuses
 *   what pip refuses, in pip's words ("Wheel 'NAME' located at URL is invalid."); by URL
 *   (through ranges) and by name from an index without PEP 658 files (the whole wheel);
 * - an install: Pipette installs what pip installs and refuses what pip refuses (the refusals on
 *   purpose say why, `differs`), leaving the environment as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IndexCache } from '../../../src/index';
import { PIP_PYTHON } from '../../fixtures/differential';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { PipHarness } from '../../fixtures/pip-harness';
import { runProcess } from '../../fixtures/process';
import { hostileZips } from '../hardening/hostile-zips';

const cases = hostileZips();
let server: IndexServer;
let h: PipHarness;

/** The environment with every PIP_* variable removed: pip as configured by nobody. */
function pipEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')));
}

const url = (c: (typeof cases)[number]): string => server.fileUrl(c.dist.filename);

/** Real pip's `install --dry-run --no-index NAME@URL`: exit code and output. */
async function realPip(c: (typeof cases)[number], ...args: string[]): Promise<{ code: number; output: string }> {
  const r = await runProcess(PIP_PYTHON, ['-m', 'pip', 'install', '--isolated', '--disable-pip-version-check', '--no-compile', '--no-index', ...args, `${c.project}@${url(c)}`], pipEnv());
  return { code: r.code ?? 1, output: r.stdout + r.stderr };
}

beforeAll(async () => {
  server = await startIndexServer({ projects: [], dists: cases.map((c) => c.dist) });
  h = await PipHarness.create(server, { sourceOptions: { retries: 0 } });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe.each(cases.map((c) => [c.project, c] as const))('%s', (_project, c) => {
  it('by URL, --dry-run: Pipette reads its METADATA as pip does', { timeout: 60_000 }, async () => {
    const pip = await realPip(c, '--dry-run');
    const r = await h.pip('install', '--dry-run', `${c.project} @ ${url(c)}`);
    const output = r.stdout + r.stderr;
    if (pip.code === 0) {
      expect(pip.output).toContain(`Would install ${c.project}-1.0`);
      expect(r.code, output).toBe(0);
      expect(output).toContain(`Would install ${c.project}-1.0`);
    } else {
      expect(r.code, output).not.toBe(0);
      // pip's InvalidWheel for what zipfile refuses while reading the metadata (or its traceback).
      expect(output).toContain(`ERROR: Wheel '${c.project}' located at ${url(c)} is invalid.`);
      expect(output).not.toContain('Could not find a version');
    }
  });

  it('from an index without PEP 658 files, --dry-run: the whole wheel is read as through ranges', { timeout: 60_000 }, async () => {
    const pip = await realPip(c, '--dry-run');
    server.setFaults({ noCoreMetadata: true });
    try {
      const r = await h.pip('install', '--dry-run', '--no-cache-dir', c.project);
      const output = r.stdout + r.stderr;
      if (pip.code === 0) {
        expect(r.code, output).toBe(0);
        expect(output).toContain(`Would install ${c.project}-1.0`);
      } else {
        expect(r.code, output).not.toBe(0);
        expect(output).toContain(`ERROR: Wheel '${c.project}' located at ${url(c)} is invalid.`);
      }
    } finally {
      server.setFaults({});
    }
  });

  it('by URL, install: Pipette installs what pip installs, refuses what pip refuses', { timeout: 60_000 }, async () => {
    const pip = await realPip(c, '--target', `/tmp/zip-url-${process.pid}-${c.project}`);
    const before = h.tree([h.sitePackages]);
    const r = await h.pip('install', '--no-cache-dir', `${c.project} @ ${url(c)}`);
    const output = r.stdout + r.stderr;
    if (pip.code === 0 && !c.differs) {
      expect(r.code, output).toBe(0);
      expect((await h.pip('uninstall', '-y', c.project)).code).toBe(0);
    } else {
      expect(r.code, output).not.toBe(0);
      expect(output).not.toContain('Could not find a version');
      // The installer's words (hostile-zips.ts), or pip's InvalidWheel where reading the metadata refused it.
      const invalid = `ERROR: Wheel '${c.project}' located at ${url(c)} is invalid.`;
      expect([c.pipette, invalid].some((words) => words !== undefined && output.includes(words)), output).toBe(true);
      expect(h.tree([h.sitePackages])).toEqual(before);
    }
  });
});

/**
 * A refused wheel leaves nothing a later command would trust: no metadata in the cache under
 * its sha256 (given in the URL, so there is a key to keep it under), and, from reading its
 * metadata (`--dry-run`: through ranges, or whole from a server that ignores Range), no wheel
 * either. An install may still keep the hash-checked download (the installer reads ahead what
 * the resolver picks), which every later install opens and refuses again.
 */
describe.each([
  ['fake-end', 'ranges', false],
  ['bad-utf8', 'a server that ignores Range', true],
])('%s by URL with its sha256, through %s', (project, _how, noRange) => {
  it('is refused, and nothing of it is cached to be trusted', { timeout: 60_000 }, async () => {
    const c = cases.find((x) => x.project === project)!;
    const requirement = `${c.project} @ ${url(c)}#sha256=${c.dist.sha256}`;
    const cache = new IndexCache({ store: h.store, now: Date.now });
    const refused = async (...argv: string[]): Promise<void> => {
      const r = await h.pip(...argv);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`ERROR: Wheel '${c.project}' located at ${url(c)} is invalid.`);
      expect(await cache.getMetadata(c.dist.sha256, c.dist.filename, null)).toBeUndefined();
    };
    server.setFaults(noRange ? { noRange: true } : {});
    try {
      await refused('install', '--dry-run', requirement);
      expect(await cache.getFile(c.dist.sha256, c.dist.filename)).toBeUndefined();
      await refused('install', requirement);
      await refused('install', requirement);
    } finally {
      server.setFaults({});
    }
  });
});

afterAll(async () => {
  await runProcess('rm', ['-rf', ...cases.map((c) => `/tmp/zip-url-${process.pid}-${c.project}`)]);
});
