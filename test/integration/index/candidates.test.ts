import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeName } from '../../../src/pep/name';
import { SIMPLE_ACCEPT } from '../../../src/index/simple-client';
import { startIndexServer, type IndexServer } from '../../fixtures/index-server';
import type { WheelSpec } from '../../fixtures/wheel-builder';
import { harness, kinds, requestsTo } from './helpers';

const projects: WheelSpec[] = [
  { name: 'Alpha.Pkg', version: '1.0', requires: ['beta>=1'], requiresPython: '>=3.8' },
  { name: 'Alpha.Pkg', version: '1.1', yanked: 'broken build', withSdist: true },
  { name: 'Alpha.Pkg', version: '2.0rc1', tags: 'py2.py3-none-any' },
  { name: 'beta', version: '1.0', sdistOnly: true },
];

let server: IndexServer;
beforeAll(async () => {
  server = await startIndexServer({ projects });
});
afterAll(() => server.close());

describe('candidate lists from one index', () => {
  it('asks for PEP 691 JSON with pip Accept string and lists every file', async () => {
    server.setFaults({});
    server.resetRequests();
    const { source } = harness(server);
    const answer = await source.getProject(normalizeName('alpha-pkg'));
    expect(answer.kind).toBe('found');
    if (answer.kind !== 'found') return;
    const { project } = answer;
    expect(project.name).toBe('alpha-pkg');
    expect(project.warnings).toEqual([]);
    expect(project.versions).toEqual(['1.0', '1.1', '2.0rc1']);
    expect(project.files.map((f) => f.filename)).toEqual([
      'alpha_pkg-1.0-py3-none-any.whl',
      'alpha_pkg-1.1-py3-none-any.whl',
      'alpha_pkg-1.1.tar.gz',
      'alpha_pkg-2.0rc1-py2.py3-none-any.whl',
    ]);
    const byName = new Map(project.files.map((f) => [f.filename, f]));
    const first = byName.get('alpha_pkg-1.0-py3-none-any.whl')!;
    const built = server.dists.find((d) => d.filename === first.filename)!;
    // Relative `../../files/x` resolved against the page URL.
    expect(first.url).toBe(server.fileUrl(first.filename));
    expect(first.hashes).toEqual({ sha256: built.sha256 });
    expect(first.size).toBe(built.bytes.length);
    expect(first.requiresPython).toBe('>=3.8');
    expect(first.coreMetadata).toEqual({ hashes: { sha256: built.metadataSha256 } });
    expect(first.index).toBe(server.simpleUrl);
    expect(first.origin).toBe('index');
    expect(first.uploadTime).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(byName.get('alpha_pkg-1.1-py3-none-any.whl')!.yanked).toBe('broken build');
    // The sdist has no PEP 658 metadata on this index.
    expect(byName.get('alpha_pkg-1.1.tar.gz')!.coreMetadata).toBe(false);

    const pages = requestsTo(server, /^\/simple\//);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.path).toBe('/simple/alpha-pkg/');
    expect(pages[0]?.accept).toBe(SIMPLE_ACCEPT);
  });

  it('normalizes the name it is given (PEP 503)', async () => {
    const { source } = harness(server);
    const answer = await source.getProject('Alpha_PKG' as never);
    expect(answer.kind).toBe('found');
  });

  it('answers not-found as data, naming the indexes searched', async () => {
    const { source } = harness(server);
    const answer = await source.getProject(normalizeName('no-such-project'));
    expect(answer).toEqual({ kind: 'not-found', name: 'no-such-project', indexes: [server.simpleUrl] });
  });

  it('reads an HTML-only index (PEP 503) to the same candidates, without PEP 700 fields', async () => {
    server.setFaults({ htmlOnly: true });
    try {
      const { source: htmlSource } = harness(server);
      const html = await htmlSource.getProject(normalizeName('alpha-pkg'));
      server.setFaults({});
      const { source: jsonSource } = harness(server);
      const json = await jsonSource.getProject(normalizeName('alpha-pkg'));
      if (html.kind !== 'found' || json.kind !== 'found') throw new Error('expected both found');
      expect(html.project.versions).toBeNull();
      const strip = (f: (typeof html.project.files)[number]) => ({ ...f, size: null, uploadTime: null });
      expect(html.project.files.map(strip)).toEqual(json.project.files.map(strip));
      expect(html.project.files.every((f) => f.size === null && f.uploadTime === null)).toBe(true);
    } finally {
      server.setFaults({});
    }
  });

  it('answers repeated questions from memory within a session', async () => {
    server.resetRequests();
    const { source } = harness(server);
    await source.getProject(normalizeName('beta'));
    await source.getProject(normalizeName('beta'));
    await Promise.all([source.getProject(normalizeName('beta')), source.getProject(normalizeName('beta'))]);
    expect(requestsTo(server, /^\/simple\/beta\//)).toHaveLength(1);
  });
});

describe('several indexes', () => {
  let extra: IndexServer;
  beforeAll(async () => {
    extra = await startIndexServer({
      projects: [
        { name: 'alpha-pkg', version: '9.0' },
        { name: 'internal-only', version: '0.1' },
      ],
    });
  });
  afterAll(() => extra.close());

  it('merges the files of every index, index-url first, and warns about dependency confusion', async () => {
    const { source, events } = harness(server, { extraIndexUrls: [extra.simpleUrl] });
    const answer = await source.getProject(normalizeName('alpha-pkg'));
    if (answer.kind !== 'found') throw new Error('expected found');
    const { project } = answer;
    expect(project.files.map((f) => [f.filename, f.index])).toEqual([
      ['alpha_pkg-1.0-py3-none-any.whl', server.simpleUrl],
      ['alpha_pkg-1.1-py3-none-any.whl', server.simpleUrl],
      ['alpha_pkg-1.1.tar.gz', server.simpleUrl],
      ['alpha_pkg-2.0rc1-py2.py3-none-any.whl', server.simpleUrl],
      ['alpha_pkg-9.0-py3-none-any.whl', extra.simpleUrl],
    ]);
    expect(project.versions).toEqual(['1.0', '1.1', '2.0rc1', '9.0']);
    expect(project.warnings).toHaveLength(1);
    expect(project.warnings[0]).toContain('alpha-pkg was found on more than one index');
    expect(project.warnings[0]).toContain(server.simpleUrl);
    expect(project.warnings[0]).toContain(extra.simpleUrl);
    expect(project.warnings[0]).toContain('dependency confusion');
    // Reported once per project, however often the resolver asks.
    await source.getProject(normalizeName('alpha-pkg'));
    const warnings = kinds(events, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'multiple-indexes' });
  });

  it('finds a project that only one index has, without a warning', async () => {
    const { source, events } = harness(server, { extraIndexUrls: [extra.simpleUrl] });
    const answer = await source.getProject(normalizeName('internal-only'));
    if (answer.kind !== 'found') throw new Error('expected found');
    expect(answer.project.files.map((f) => f.index)).toEqual([extra.simpleUrl]);
    expect(answer.project.warnings).toEqual([]);
    expect(kinds(events, 'warning')).toEqual([]);
  });

  it('fails the lookup when one index cannot be reached, rather than choosing from the others', async () => {
    const { source } = harness(server, { extraIndexUrls: ['http://127.0.0.1:9/simple/'], retries: 0 });
    await expect(source.getProject(normalizeName('alpha-pkg'))).rejects.toMatchObject({
      code: 'network',
      host: '127.0.0.1:9',
    });
  });
});
