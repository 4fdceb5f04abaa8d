/**
 * `pip inspect`: pip's JSON report of the environment, checked against what Python's own
 * importlib.metadata reads from the same site-packages.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import { buildWheel } from '../../fixtures/wheel-builder';
import { PipHarness } from '../../fixtures/pip-harness';

let server: IndexServer;
let h: PipHarness;

beforeAll(async () => {
  server = await startIndexServer({
    projects: [
      { name: 'Insp-App', version: '1.5', requires: ['insp-lib>=1', 'insp-win ; sys_platform == "win32"'], summary: 'An app', projectUrls: { Homepage: 'https://example.org' } },
      { name: 'insp-lib', version: '1.0', description: 'Long\ndescription.\n' },
    ],
  });
  h = await PipHarness.create(server);
}, 60_000);

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  await h.reset();
});

interface Report {
  version: string;
  pip_version: string;
  installed: { metadata: Record<string, unknown>; metadata_location: string; direct_url?: unknown; installer?: string; requested: boolean }[];
  environment: Record<string, string>;
}

test("pip's inspection report, agreeing with importlib.metadata", async () => {
  expect((await h.pip('install', 'insp-app')).code).toBe(0);
  const local = buildWheel({ name: 'insp-local', version: '0.1' });
  h.writeFile(`${h.cwd}/${local.filename}`, local.bytes);
  expect((await h.pip('install', `./${local.filename}`)).code).toBe(0);

  const r = await h.pip('inspect');
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  // rich's print_json: two-space indentation.
  expect(r.stdout.startsWith('{\n  "version": "1",\n  "pip_version": "25.3",\n  "installed": [\n')).toBe(true);
  const report = JSON.parse(r.stdout) as Report;
  expect(report.environment).toEqual(h.environment.markerEnvironment);
  expect(report.installed.map((d) => d.metadata['name'])).toEqual(['Insp-App', 'insp-lib', 'insp-local']);

  // What Python sees for each distribution.
  const python = JSON.parse(
    h.python(`
import importlib, importlib.metadata as m, json
importlib.invalidate_caches()
out = {}
for d in m.distributions():
    out[d.metadata["Name"]] = {
        "path": str(d._path),
        "version": d.version,
        "requires": d.requires or [],
        "installer": (d.read_text("INSTALLER") or "").strip(),
        "requested": d.read_text("REQUESTED") is not None,
        "direct_url": json.loads(d.read_text("direct_url.json")) if d.read_text("direct_url.json") else None,
    }
json.dumps(out)
`) as string,
  ) as Record<string, { path: string; version: string; requires: string[]; installer: string; requested: boolean; direct_url: unknown }>;

  for (const dist of report.installed) {
    const name = dist.metadata['name'] as string;
    const py = python[name]!;
    expect(py).toBeDefined();
    expect(dist.metadata_location).toBe(py.path);
    expect(h.fs.isDirectory(dist.metadata_location)).toBe(true);
    expect(dist.metadata['version']).toBe(py.version);
    expect(dist.metadata['requires_dist'] ?? []).toEqual(py.requires);
    expect(dist.installer).toBe(py.installer);
    expect(dist.requested).toBe(py.requested);
    if (py.direct_url === null) expect(dist.direct_url).toBeUndefined();
    else expect(dist.direct_url).toEqual(py.direct_url);
  }
  const app = report.installed[0]!;
  expect(app.requested).toBe(true);
  expect(app.metadata['summary']).toBe('An app');
  expect(app.metadata['project_url']).toEqual(['Homepage, https://example.org']);
  expect(report.installed[1]!.requested).toBe(false);
  expect(report.installed[1]!.metadata['description']).toBe('Long\ndescription.\n');
  expect((report.installed[2]!.direct_url as { url: string }).url).toBe(`file://${h.cwd}/${local.filename}`);

  // --path reads another directory; --user has nothing here; they cannot be combined.
  const empty = JSON.parse((await h.pip('inspect', '--path', '/nowhere')).stdout) as Report;
  expect(empty.installed).toEqual([]);
  expect(JSON.parse((await h.pip('inspect', '--user')).stdout).installed).toEqual([]);
  expect(await h.pip('inspect', '--path', h.sitePackages, '--user')).toEqual({ code: 1, stdout: '', stderr: "ERROR: Cannot combine '--path' with '--user' or '--local'\n" });
});
